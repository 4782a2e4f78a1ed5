"""Children-in-need activity counts of child protection plans: plans started, plans ceased and
children on a plan at the period end, each a count or, when the 0-17 population is given, a
rate per 10,000 children.

Specifications: one page per count under ``docs/indicators/``.

Also the plumbing the plan indicators share over many periods: :func:`plan_events_over` (a
unit of plans dated in the period) and :func:`plan_snapshots_over` (plans open at the period
end).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter

from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.cin import ChildProtectionPlan
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import by_child, count_kind, iso
from ._shared import (
    PlanOverlap,
    exclude_plan_twin,
    open_on,
    plan_key,
    plan_overlaps,
    plan_started,
    plan_twins,
    report_overlaps,
)
from ._span import PeriodSpan, children_with_events
from .children_in_need import EndSnapshots

__all__ = [
    "children_on_cp_plan",
    "cp_plans_ceased",
    "cp_plans_started",
    "plan_events_over",
    "plan_snapshots_over",
]

Plan = ChildProtectionPlan
Decide = Callable[[Sink, Plan], None]
"""What an indicator decides for one plan of its unit, once its twins are set aside."""
DecideFor = Callable[[str, Sequence[Plan], Sequence[PlanOverlap]], Decide]
"""Given a child's plans (sorted by :func:`~._shared.plan_key`) and their overlaps, how the
indicator decides each of them."""


def plan_events_over(
    indicator: Callable[..., IndicatorResult],
    plans: Iterable[Plan],
    periods: Sequence[Period],
    parameters: Mapping[str, object],
    *,
    when: Callable[[Plan], _dt.date | None],
    decide_for: DecideFor,
    kind: ValueKind | None = None,
) -> list[IndicatorResult]:
    """An indicator whose unit is each plan whose ``when`` date is in the period, over many
    periods at once: overlaps involving such a plan are reported, twins (plans of one child
    starting on one date, decision D14) are set aside, and each other plan is decided by
    ``decide_for``.

    A child without twins has each plan decided once, placed by its ``when`` date; a child
    with twins is decided period by period (which twin is used depends on what is known at
    the period end, decision D15)."""
    d = Decisions(indicator, periods, kind)
    if not d.periods:
        return []
    span = PeriodSpan(periods)
    first, last = span.first, span.last
    # The children with a plan dated in the span, each with all their plans by plan_key,
    # and whether two of them start on one date (a bundle's table remembers where each
    # child's plans lie, for the next indicator by the same date).
    for child_id, items, twins in children_with_events(
        plans, when, span, same=plan_started, key=plan_key
    ):
        days = [when(p) for p in items]
        overlaps = plan_overlaps(items)
        decide = decide_for(child_id, items, overlaps)
        if not twins:
            for o in overlaps:
                where = _holding(periods, when(o.earlier), when(o.later))
                if where:
                    d.issue(o.message(), child_id, o.later, "overlap", periods=where)
            for plan, w in zip(items, days, strict=True):
                if w is not None and first <= w <= last:
                    decide(d.at(w), plan)
            continue
        for n, period in enumerate(periods):
            involved = _involved(when, period)
            if any(involved(p) for p in items):
                plan_events_child(
                    d.for_period(n), child_id, items, overlaps, involved, period.end, decide
                )
    return d.results(parameters)


def _involved(when: Callable[[Plan], _dt.date | None], period: Period) -> Callable[[Plan], bool]:
    def involved(p: Plan) -> bool:
        w = when(p)
        return w is not None and w in period

    return involved


def _holding(periods: Sequence[Period], *days: _dt.date | None) -> list[int]:
    """The positions of the periods holding one of ``days``."""
    return [n for n, p in enumerate(periods) if any(w is not None and w in p for w in days)]


def plan_events_child(
    b: Sink,
    child_id: str,
    items: Sequence[Plan],
    overlaps: Sequence[PlanOverlap],
    involved: Callable[[Plan], bool],
    as_of: _dt.date,
    decide: Decide,
) -> None:
    """One child's plans over one period (ending ``as_of``): the overlaps involving a plan of
    the unit are reported, twins among the unit's plans set aside (decision D14), and each
    other plan of the unit decided."""
    report_overlaps(b, child_id, overlaps, involved)
    for plan, chosen in plan_twins(b, child_id, items, involved, as_of):
        if chosen is not None:
            exclude_plan_twin(b, child_id, plan, chosen, as_of)
            continue
        decide(b, plan)


def plan_snapshots_over(
    s: EndSnapshots,
    plans: Iterable[Plan],
    *,
    on_end: Callable[[Sink, str, Sequence[Plan], Sequence[PlanOverlap], _dt.date], None],
    each_plan: Callable[[str, Plan, int, int], None],
) -> None:
    """Decide the plans open at the period ends (``s.days``), each child once.

    A child without twins or overlaps has at most one plan open on each end: ``each_plan``
    decides it for the run of ends ``s.days[lo:hi]`` it is open on. Another child is decided
    end by end by ``on_end`` (the single-end logic)."""
    if not s.days:
        return
    for child_id, items in _open_somewhen(plans, s.days[0], s.days[-1]):
        ranges = [s.open_range(p.start_date, p.end_date) for p in items]
        overlaps = plan_overlaps(items)
        if not overlaps and len({p.start_date for p in items}) == len(items):
            for plan, (lo, hi) in zip(items, ranges, strict=True):
                if lo < hi:
                    each_plan(child_id, plan, lo, hi)
            continue
        for j in sorted({j for lo, hi in ranges for j in range(lo, hi)}):
            on_end(s.at(j), child_id, items, overlaps, s.days[j])


def _open_somewhen(
    plans: Iterable[Plan], first: _dt.date, last: _dt.date
) -> list[tuple[str, list[Plan]]]:
    """The children with a plan open on some day from ``first`` to ``last``, by child id,
    each with all their plans sorted by :func:`~._shared.plan_key`."""
    records = plans if isinstance(plans, (list, tuple)) else list(plans)
    wanted = {
        p.child_id
        for p in records
        if p.start_date <= last and (p.end_date is None or p.end_date > first)
    }
    return list(by_child((p for p in records if p.child_id in wanted), plan_key).items())


def _events(noun: str, when: Callable[[Plan], _dt.date | None]) -> DecideFor:
    """Rules 1 and 3 of the plans started and ceased: each plan counted, a plan ending
    before it starts reported (``date order``)."""

    def decide_for(child_id: str, items: Sequence[Plan], overlaps: Sequence[PlanOverlap]) -> Decide:
        def decide(b: Sink, plan: Plan) -> None:
            if plan.end_date is not None and plan.end_date < plan.start_date:  # rule 3
                b.issue(
                    f"ended {iso(plan.end_date)}, before its start {iso(plan.start_date)}",
                    child_id,
                    plan,
                    kind="date order",
                )
            b.count(child_id, plan, True, None, lambda: f"plan {noun} {iso(when(plan))}")

        return decide

    return decide_for


@register(
    title="Child protection plans started",
    short_title="CP plans started",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan starting in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CPPstartDate)",
        "DfE LAIT measures 14 and 15 (denominator)",
        "EES table D3",
    ),
    kind=ValueKind.COUNT,
    ees="D3",
)
def cp_plans_started(
    plans: Iterable[ChildProtectionPlan], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of child protection plans starting in the period; per 10,000 children when
    the 0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. Unit: each plan whose start date is in the period.
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): one is counted, chosen by the shared content rule (the later end, open latest;
       more recorded detail; then a fixed order); the others are excluded with a reason,
       reported as ``duplicate`` (identical) or ``conflict``.
    3. Overlapping plans, and a plan ending before it starts, are counted and reported
       (``overlap``, ``date order``).

    Args:
        plans: every plan known, of any date.
        period: the reporting period.
        population: the 0-17 population, for a rate per 10,000 children (``None``: a count).

    Raises:
        ValueError: ``population`` is given but is not a positive whole number.

    References:
        - DfE, Children in need census guide: ``CPPstartDate``; CIN census validation rules
          8935 and 8940.
        - DfE LAIT measures 14 and 15: plans starting in the year, each occasion counted.
        - Explore Education Statistics, *Characteristics of children in need*, table D3.
        - Decision D14 (``docs/decisions.md``).
    """
    return _cp_plans_started_over(plans, [period], population=population)[0]


@over_periods(cp_plans_started)
def _cp_plans_started_over(
    plans: Iterable[ChildProtectionPlan],
    periods: Sequence[Period],
    *,
    population: int | None = None,
) -> list[IndicatorResult]:
    """:func:`cp_plans_started` over many periods at once."""
    return plan_events_over(
        cp_plans_started,
        plans,
        periods,
        {"population": population},
        when=plan_started,
        decide_for=_events("started", plan_started),  # rules 1 and 3
        kind=count_kind(population),
    )


@register(
    title="Child protection plans ceased",
    short_title="CP plans ceased",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan ending in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CPPendDate)",
        "DfE LAIT measure 98 (denominator)",
        "EES table D7",
    ),
    kind=ValueKind.COUNT,
    ees="D7",
)
def cp_plans_ceased(
    plans: Iterable[ChildProtectionPlan], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of child protection plans ending in the period; per 10,000 children when
    the 0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. Unit: each plan whose end date is in the period.
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): one is counted, chosen as for :func:`cp_plans_started`; the others are excluded
       with a reason, reported as ``duplicate`` or ``conflict``.
    3. A plan ending before it starts is counted (it ended) and reported (``date order``);
       overlaps are reported (``overlap``).

    Args:
        plans: every plan known, of any date.
        period: the reporting period.
        population: the 0-17 population, for a rate per 10,000 children (``None``: a count).

    Raises:
        ValueError: ``population`` is given but is not a positive whole number.

    References:
        - DfE, Children in need census guide: ``CPPendDate``.
        - DfE LAIT measure 98: children ceasing to be the subject of a plan in the year, a
          child more than once.
        - Explore Education Statistics, *Characteristics of children in need*, table D7.
        - Decision D14 (``docs/decisions.md``).
    """
    return _cp_plans_ceased_over(plans, [period], population=population)[0]


@over_periods(cp_plans_ceased)
def _cp_plans_ceased_over(
    plans: Iterable[ChildProtectionPlan],
    periods: Sequence[Period],
    *,
    population: int | None = None,
) -> list[IndicatorResult]:
    """:func:`cp_plans_ceased` over many periods at once."""
    return plan_events_over(
        cp_plans_ceased,
        plans,
        periods,
        {"population": population},
        when=_ended,
        decide_for=_events("ended", _ended),  # rules 1 and 3
        kind=count_kind(population),
    )


_ended: Callable[[Plan], _dt.date | None] = attrgetter("end_date")


@register(
    title="Children on a child protection plan at the period end",
    short_title="Children on a CP plan at period end",
    family=Family.CHILDREN_IN_NEED,
    unit="child with a child protection plan open at the end of the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CPPstartDate, CPPendDate)",
        "DfE EES table D5",
    ),
    kind=ValueKind.COUNT,
    ees="D5",
)
def children_on_cp_plan(
    plans: Iterable[ChildProtectionPlan], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of children with a plan open at the end of ``period.end``; per 10,000
    children when the 0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. Unit: each child with a plan open at the end of ``period.end`` (started on or before
       it, not ended on or before it).
    2. A child with more than one open plan (an overlap, reported) is counted once, on the
       latest-starting plan; the other plans are excluded with a reason.
    3. Open plans with the same start date are records of one plan (decision D14), chosen as
       for :func:`~csc_indicators.indicators.cp_plans_open_2_years_or_more`; the others are
       excluded, reported as ``duplicate`` or ``conflict``.

    Args:
        plans: every plan known, of any date.
        period: the reporting period (only its end matters: this is a snapshot).
        population: the 0-17 population, for a rate per 10,000 children (``None``: a count).

    Raises:
        ValueError: ``population`` is given but is not a positive whole number.

    References:
        - DfE, Children in need census guide: ``CPPstartDate``, ``CPPendDate``; CIN census
          validation rule 8935 (one open plan).
        - Explore Education Statistics, *Characteristics of children in need*, table D5, and
          the published rate of children on a plan at 31 March per 10,000 children.
        - Decision D14 (``docs/decisions.md``).
    """
    return _children_on_cp_plan_over(plans, [period], population=population)[0]


@over_periods(children_on_cp_plan)
def _children_on_cp_plan_over(
    plans: Iterable[ChildProtectionPlan],
    periods: Sequence[Period],
    *,
    population: int | None = None,
) -> list[IndicatorResult]:
    """:func:`children_on_cp_plan` over many periods at once: each child decided once for
    all the distinct period ends."""
    s = EndSnapshots(children_on_cp_plan, periods, count_kind(population))

    def each_plan(child_id: str, plan: Plan, lo: int, hi: int) -> None:  # rule 1
        if s.tallies(child_id):
            s.tally(lo, hi, True, child_id)
            return
        for j in range(lo, hi):
            _count_on(s.at(j), child_id, plan, s.days[j])

    plan_snapshots_over(s, plans, on_end=_on_plan_child, each_plan=each_plan)
    return s.results({"population": population})


def _on_plan_child(
    b: Sink,
    child_id: str,
    items: Sequence[Plan],
    overlaps: Sequence[PlanOverlap],
    day: _dt.date,
) -> None:
    """One child's plans (sorted by :func:`~._shared.plan_key`) judged on ``day``."""

    def is_open(p: Plan) -> bool:  # rule 1
        return open_on(p, day)

    if not any(is_open(p) for p in items):
        return
    report_overlaps(b, child_id, overlaps, is_open)  # rule 2
    current = plan_twins(b, child_id, items, is_open, day)
    plan = [p for p, chosen in current if chosen is None][-1]
    for other, chosen in current:
        if chosen is not None:  # rule 3
            exclude_plan_twin(b, child_id, other, chosen, day)
        elif other.start_date != plan.start_date:  # rule 2
            b.exclude(
                child_id,
                other,
                f"child counted once, on the plan starting {iso(plan.start_date)}",
            )
    _count_on(b, child_id, plan, day)


def _count_on(b: Sink, child_id: str, plan: Plan, day: _dt.date) -> None:
    """Rule 1: the child counted on the plan open on ``day``."""
    b.count(child_id, plan, True, None, f"plan starting {iso(plan.start_date)} open on {iso(day)}")
