"""Children-in-need activity counts of child protection plans: plans started, plans ceased and
children on a plan at the period end, each a count or, when the 0-17 population is given, a
rate per 10,000 children.

Specifications: one page per count under ``docs/indicators/``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable

from ...periods import Period
from ...records.cin import ChildProtectionPlan
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from .._common import by_child, count_kind, iso
from ._shared import (
    exclude_plan_twin,
    open_on,
    plan_key,
    plan_overlaps,
    plan_twins,
    report_overlaps,
)

__all__ = ["children_on_cp_plan", "cp_plans_ceased", "cp_plans_started"]


def _plan_events(
    indicator: Callable[..., IndicatorResult],
    plans: Iterable[ChildProtectionPlan],
    period: Period,
    population: int | None,
    when: Callable[[ChildProtectionPlan], _dt.date | None],
    noun: str,
) -> IndicatorResult:
    """Count the plans whose ``when`` date is in the period (rule 1), one per start date
    (rule 2, decision D14); overlaps and a plan ending before it starts are reported and
    counted (rule 3)."""
    b = ResultBuilder(indicator, count_kind(population))

    def involved(p: ChildProtectionPlan) -> bool:  # rule 1
        d = when(p)
        return d is not None and d in period

    for child_id, items in by_child(plans, plan_key).items():
        report_overlaps(b, child_id, plan_overlaps(items), involved)  # rule 3
        for plan, chosen in plan_twins(b, child_id, items, involved, period.end):
            if chosen is not None:  # rule 2
                exclude_plan_twin(b, child_id, plan, chosen, period.end)
                continue
            if plan.end_date is not None and plan.end_date < plan.start_date:  # rule 3
                b.issue(
                    f"ended {iso(plan.end_date)}, before its start {iso(plan.start_date)}",
                    child_id,
                    plan,
                    kind="date order",
                )
            b.count(child_id, plan, True, None, f"plan {noun} {iso(when(plan))}")
    return b.build(period, {"population": population})


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
    return _plan_events(
        cp_plans_started,
        plans,
        period,
        population,
        lambda p: p.start_date,
        "started",
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
    return _plan_events(
        cp_plans_ceased,
        plans,
        period,
        population,
        lambda p: p.end_date,
        "ended",
    )


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
    b = ResultBuilder(children_on_cp_plan, count_kind(population))
    day = period.end
    for child_id, items in by_child(plans, plan_key).items():
        if not any(open_on(p, day) for p in items):  # rule 1
            continue
        # rule 2
        report_overlaps(b, child_id, plan_overlaps(items), lambda p: open_on(p, day))
        current = plan_twins(b, child_id, items, lambda p: open_on(p, day), day)
        plan = [p for p, chosen in current if chosen is None][-1]
        for other, chosen in current:
            if chosen is not None:  # rule 3
                exclude_plan_twin(b, child_id, other, chosen, period.end)
            elif other.start_date != plan.start_date:  # rule 2
                b.exclude(
                    child_id,
                    other,
                    f"child counted once, on the plan starting {iso(plan.start_date)}",
                )
        b.count(
            child_id, plan, True, None, f"plan starting {iso(plan.start_date)} open on {iso(day)}"
        )
    return b.build(period, {"population": population})
