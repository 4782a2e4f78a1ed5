"""Child protection plans: repeat plans, ever and within two years of the previous plan
(CIN census). Plans lasting two years or more are in :mod:`.plan_durations`, plan reviews in
:mod:`.plan_reviews`.

Specifications: ``docs/indicators/repeat_cp_plans.md`` and
``docs/indicators/repeat_cp_plans_within_2_years.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence

from dateutil.relativedelta import relativedelta

from ...decisions import Sink
from ...durations import Interval, adder
from ...periods import Period
from ...records.cin import ChildProtectionPlan
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso
from ._shared import PlanOverlap, check_interval, plan_started
from .plan_activity import Decide, plan_events_over

__all__ = [
    "repeat_cp_plans",
    "repeat_cp_plans_within_2_years",
]


@register(
    title="Child protection plans that are a second or subsequent plan (ever)",
    short_title="Repeat CP plans (ever)",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan starting in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "CIN census (NumberOfPreviousCPP)",
        "DfE LAIT measures 14 and 15",
        "EES table D3",
    ),
    ees="D3",
)
def repeat_cp_plans(plans: Iterable[ChildProtectionPlan], period: Period) -> IndicatorResult:
    """The percentage of plans starting in the period that are the child's second or
    subsequent plan, however long ago the earlier one was.

    Rules (numbered as on the specification page):

    1. Unit: each plan whose start date is in the period.
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): among those starting in the period, one is used, chosen by the shared content
       rule (later end, open latest; more recorded detail; then a fixed order); the others are
       excluded with a reason, reported as ``duplicate`` (identical) or ``conflict``.
    3. Met when the child has an earlier plan in the data (an earlier start date) or the
       plan's recorded number of previous plans is at least 1. A recorded 0 contradicted by
       an earlier plan in the data is reported as an ``inconsistent`` issue (and met).
    4. Overlapping plans are reported as ``overlap`` issues; they do not change the outcome.

    Args:
        plans: every plan known, of any date.
        period: the reporting period.

    References:
        - DfE, Children in need census guide: ``CPPstartDate``, ``NumberOfPreviousCPP``; CIN
          census validation rule 8730.
        - DfE LAIT measures 14 and 15: second or subsequent plans, "regardless of how long
          ago".
        - Explore Education Statistics, *Characteristics of children in need*, table D3.
        - Decisions D5 and D14 (``docs/decisions.md``).
    """
    return _repeat_cp_plans_over(plans, [period])[0]


@over_periods(repeat_cp_plans)
def _repeat_cp_plans_over(
    plans: Iterable[ChildProtectionPlan], periods: Sequence[Period]
) -> list[IndicatorResult]:
    """:func:`repeat_cp_plans` over many periods at once."""

    def decide_for(
        child_id: str, items: Sequence[ChildProtectionPlan], overlaps: Sequence[PlanOverlap]
    ) -> Decide:
        first = items[0]  # the child's first plan

        def decide(b: Sink, plan: ChildProtectionPlan) -> None:
            earlier = first if first.start_date < plan.start_date else None
            _repeat_ever(b, child_id, plan, earlier)

        return decide

    return plan_events_over(  # rules 1, 2 and 4
        repeat_cp_plans, plans, periods, {}, when=plan_started, decide_for=decide_for
    )


def _repeat_ever(
    b: Sink,
    child_id: str,
    plan: ChildProtectionPlan,
    first: ChildProtectionPlan | None,
) -> None:
    """Rule 3: met on an earlier plan in the data, or a recorded previous plan."""
    recorded = plan.previous_plans
    details = {
        "first_plan_start": None if first is None else first.start_date,
        "previous_plans_recorded": recorded,
    }
    if first is not None:  # rule 3
        if recorded == 0:
            b.issue(
                f"plan starting {iso(plan.start_date)} records 0 previous plans, but a plan "
                f"starting {iso(first.start_date)} is recorded",
                child_id,
                plan,
                kind="inconsistent",
            )
        b.count(
            child_id,
            plan,
            True,
            None,
            f"earlier plan starting {iso(first.start_date)}",
            details,
        )
    elif recorded is not None and recorded >= 1:
        b.count(child_id, plan, True, None, f"{recorded} previous plan(s) recorded", details)
    else:
        why = "no earlier plan" + ("" if recorded is None else ", 0 previous plans recorded")
        b.count(child_id, plan, False, None, why, details)


@register(
    title="Child protection plans starting within 2 years of the previous plan ending",
    short_title="Repeat CP plans within 2 years",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan starting in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "CIN census (local measure, former N18",
        "no DfE publication)",
    ),
)
def repeat_cp_plans_within_2_years(
    plans: Iterable[ChildProtectionPlan],
    period: Period,
    *,
    window: Interval = relativedelta(years=2),  # noqa: B008
) -> IndicatorResult:
    """The percentage of plans starting in the period that start within ``window`` of the end
    of the child's previous plan.

    Rules (numbered as on the specification page):

    1. Unit: each plan whose start date is in the period.
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): one is used, chosen by the shared content rule; the others are excluded with a
       reason, reported as ``duplicate`` (identical) or ``conflict``.
    3. Every earlier plan of the child (earlier start date) must have ended on or before
       this start. An earlier plan still open at this start, or ending after it, is an
       overlap: reported as an ``overlap`` issue and the plan is counted as met.
    4. Otherwise the previous end is the latest end date of the earlier plans. Met when
       ``start <= previous end + window`` (calendar arithmetic for a ``relativedelta``;
       29 February + 2 years = 28 February). No earlier plan: not met. An earlier plan whose
       end is before its own start makes the gap unknowable: excluded with a reason.

    Args:
        plans: every plan known, of any date.
        period: the reporting period.
        window: the look-back from the previous end (default 2 calendar years; a
            ``timedelta(days=730)`` gives a fixed day count).

    Raises:
        TypeError: ``window`` is not a ``timedelta`` or a ``relativedelta``.

    References:
        - Eastern Region benchmarking definitions, former Safeguarding Performance Information
          Framework measure N18: a second or subsequent plan "within two years of the
          previous plan's end date" (no DfE publication).
        - DfE, Children in need census guide: ``CPPstartDate``, ``CPPendDate``; CIN census
          validation rules 8935 and 8940 (one open plan; no plan starting within another).
        - Decisions D5 and D14 (``docs/decisions.md``).
    """
    return _repeat_within_over(plans, [period], window=window)[0]


@over_periods(repeat_cp_plans_within_2_years)
def _repeat_within_over(
    plans: Iterable[ChildProtectionPlan],
    periods: Sequence[Period],
    *,
    window: Interval = relativedelta(years=2),  # noqa: B008
) -> list[IndicatorResult]:
    """:func:`repeat_cp_plans_within_2_years` over many periods at once."""
    check_interval("window", window)
    plus_window = adder(window)

    def decide_for(
        child_id: str, items: Sequence[ChildProtectionPlan], overlaps: Sequence[PlanOverlap]
    ) -> Decide:
        overlapped = {id(o.later): o for o in overlaps}  # rule 3
        before = _earlier_ends(items)  # rule 4

        def decide(b: Sink, plan: ChildProtectionPlan) -> None:
            prev_end, prev_bad = before[plan.start_date]
            _within(b, child_id, plan, plus_window, overlapped.get(id(plan)), prev_end, prev_bad)

        return decide

    return plan_events_over(  # rules 1, 2 and 3
        repeat_cp_plans_within_2_years,
        plans,
        periods,
        {"window": window},
        when=plan_started,
        decide_for=decide_for,
    )


def _earlier_ends(
    items: Sequence[ChildProtectionPlan],
) -> dict[_dt.date, tuple[_dt.date | None, ChildProtectionPlan | None]]:
    """Rule 4: for each start date of one child's plans (sorted), the latest end among the
    plans starting strictly earlier, and an earlier plan ending before its own start."""
    before: dict[_dt.date, tuple[_dt.date | None, ChildProtectionPlan | None]] = {}
    latest_end: _dt.date | None = None
    bad_end: ChildProtectionPlan | None = None
    for plan in items:
        before.setdefault(plan.start_date, (latest_end, bad_end))
        if plan.end_date is not None and plan.end_date < plan.start_date:
            bad_end = plan
        end = plan.end_date
        if end is not None and (latest_end is None or end > latest_end):
            latest_end = end
    return before


def _within(
    b: Sink,
    child_id: str,
    plan: ChildProtectionPlan,
    window: Callable[[_dt.date], _dt.date],
    overlap: object,
    latest_end: _dt.date | None,
    bad_end: ChildProtectionPlan | None,
) -> None:
    """Rules 3 and 4: an overlap is met; otherwise met when on or before ``window`` of the
    previous end (the previous end plus the window)."""
    start = plan.start_date
    if overlap is not None:  # rule 3
        b.count(
            child_id,
            plan,
            True,
            None,
            "starts while an earlier plan is still open (overlap, counted as met)",
            {"previous_plan_end": None},
        )
        return
    if bad_end is not None:  # rule 4
        b.exclude(
            child_id,
            plan,
            f"the earlier plan starting {iso(bad_end.start_date)} ends "
            f"{iso(bad_end.end_date)}, before its start: the gap is unknown",
        )
        return
    if latest_end is None:
        b.count(child_id, plan, False, None, "no earlier plan", {"previous_plan_end": None})
        return
    gap = (start - latest_end).days
    met = start <= window(latest_end)
    b.count(
        child_id,
        plan,
        met,
        gap,
        f"previous plan ended {iso(latest_end)}, {gap} days earlier "
        f"({'within' if met else 'more than'} the window)",
        {"previous_plan_end": latest_end},
    )
