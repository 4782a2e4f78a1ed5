"""Child protection plans lasting two years or more: those ceasing in the period, and those
open at its end (CIN census).

Specifications: ``docs/indicators/cp_plans_ceased_lasting_2_years.md`` and
``docs/indicators/cp_plans_open_2_years_or_more.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter

from ...decisions import Sink
from ...durations import Interval, after
from ...periods import Period
from ...records.cin import ChildProtectionPlan
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso
from ._shared import (
    PlanOverlap,
    check_interval,
    exclude_plan_date_order,
    exclude_plan_twin,
    interval_words,
    open_on,
    plan_twins,
    report_overlaps,
)
from .children_in_need import EndSnapshots
from .plan_activity import Decide, plan_events_over, plan_snapshots_over

__all__ = [
    "cp_plans_ceased_lasting_2_years",
    "cp_plans_open_2_years_or_more",
    "lasted",
]

_ONE_DAY = _dt.timedelta(days=1)


def lasted(start: _dt.date, last_day: _dt.date, min_duration: Interval) -> bool:
    """Whether a plan from ``start`` to ``last_day``, both days counted, lasted at least
    ``min_duration``: ``last_day + 1 day >= start + min_duration``. For a ``timedelta`` this
    is ``last_day - start + 1 day >= min_duration`` (730 days: "more than 729 calendar days
    including days of cessation")."""
    return after(last_day, _ONE_DAY) >= after(start, min_duration)


def _threshold(min_duration: Interval) -> str:
    """The threshold in a reason: a whole number of days (``730``), or months in words."""
    if isinstance(min_duration, _dt.timedelta):
        return str(min_duration.days)
    return interval_words(min_duration)


@register(
    title="Child protection plans ceasing in the period that lasted 2 years or more",
    short_title="CP plans ceased after 2 years or more",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan ending in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "CIN census",
        "DfE LAIT measure 98 (former NI 64)",
        "EES table D7",
    ),
    lait_code=98,
    ees="D7",
)
def cp_plans_ceased_lasting_2_years(
    plans: Iterable[ChildProtectionPlan],
    period: Period,
    *,
    min_duration: Interval = _dt.timedelta(days=730),
) -> IndicatorResult:
    """The percentage of plans ending in the period that lasted at least ``min_duration``,
    counting both the start and the end day.

    Rules (numbered as on the specification page):

    1. Unit: each plan whose end date is in the period.
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): among those ending in the period, one is used, chosen by the shared content rule
       (the later end first); the others are excluded with a reason, reported as
       ``duplicate`` (identical) or ``conflict``.
    3. A plan ending before it starts is excluded with a reason and reported.
    4. Measure: ``end - start + 1`` days. Met when ``end + 1 day >= start + min_duration``:
       for the default 730 days, a measure of at least 730 (DfE: "more than 729 calendar days
       including days of cessation").
    5. Overlapping plans are reported as ``overlap`` issues; each plan is still measured on
       its own dates.

    Args:
        plans: every plan known, of any date.
        period: the reporting period.
        min_duration: the shortest length that meets the indicator (default 730 days; a
            ``relativedelta(years=2)`` gives calendar years).

    Raises:
        TypeError: ``min_duration`` is not a ``timedelta`` or a ``relativedelta``.

    References:
        - DfE LAIT measure 98 (former NI 64): "more than 729 calendar days including days of
          cessation".
        - Explore Education Statistics, *Characteristics of children in need*, table D7 (plans
          ending in the year by duration).
        - DfE, Children in need census guide: ``CPPstartDate``, ``CPPendDate``.
        - Decisions D6 and D14 (``docs/decisions.md``).
    """
    return _ceased_lasting_over(plans, [period], min_duration=min_duration)[0]


@over_periods(cp_plans_ceased_lasting_2_years)
def _ceased_lasting_over(
    plans: Iterable[ChildProtectionPlan],
    periods: Sequence[Period],
    *,
    min_duration: Interval = _dt.timedelta(days=730),
) -> list[IndicatorResult]:
    """:func:`cp_plans_ceased_lasting_2_years` over many periods at once."""
    check_interval("min_duration", min_duration)

    def decide_for(
        child_id: str, items: Sequence[ChildProtectionPlan], overlaps: Sequence[PlanOverlap]
    ) -> Decide:
        def decide(b: Sink, plan: ChildProtectionPlan) -> None:
            end = plan.end_date
            assert end is not None
            if end < plan.start_date:  # rule 3
                exclude_plan_date_order(b, child_id, plan)
                return
            _measure_ceased(b, child_id, plan, end, min_duration)

        return decide

    return plan_events_over(  # rules 1, 2 and 5
        cp_plans_ceased_lasting_2_years,
        plans,
        periods,
        {"min_duration": min_duration},
        when=attrgetter("end_date"),
        decide_for=decide_for,
    )


def _measure_ceased(
    b: Sink,
    child_id: str,
    plan: ChildProtectionPlan,
    end: _dt.date,
    min_duration: Interval,
) -> None:
    """Rule 4: the inclusive length of a plan that ended, met when at least
    ``min_duration``."""
    days = (end - plan.start_date).days + 1  # rule 4
    met = lasted(plan.start_date, end, min_duration)
    b.count(
        child_id,
        plan,
        met,
        days,
        lambda: (
            f"lasted {days} days ({'at least' if met else 'fewer than'} {_threshold(min_duration)})"
        ),
    )


@register(
    title="Child protection plans open at the period end for 2 years or more",
    short_title="CP plans open 2 years or more",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan open at the end of the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "CIN census",
        "DfE EES table D5 (plans open at 31 March by duration)",
    ),
    lait_code=264,
    ees="D5",
)
def cp_plans_open_2_years_or_more(
    plans: Iterable[ChildProtectionPlan],
    period: Period,
    *,
    min_duration: Interval = _dt.timedelta(days=730),
) -> IndicatorResult:
    """The percentage of plans open at the end of the period that had then lasted at least
    ``min_duration``, counting the start day and the period's last day.

    Rules (numbered as on the specification page):

    1. Unit: each plan open at the end of ``period.end``: started on or before it and not
       ended on or before it (a plan ending on ``period.end`` has ceased).
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): among those open at the end of the period, one is used, chosen by the shared
       content rule; the others are excluded with a reason, reported as ``duplicate``
       (identical) or ``conflict``. A plan open on ``period.end`` is never dropped as the
       twin of one that is not.
    3. Measure: ``period.end - start + 1`` days. Met when
       ``period.end + 1 day >= start + min_duration`` (for 730 days: a measure of at least
       730).
    4. Overlapping plans are reported as ``overlap`` issues; each open plan is an outcome.

    Args:
        plans: every plan known, of any date.
        period: the reporting period (only its end matters: this is a snapshot).
        min_duration: the shortest length that meets the indicator (default 730 days; a
            ``relativedelta(years=2)`` gives calendar years).

    Raises:
        TypeError: ``min_duration`` is not a ``timedelta`` or a ``relativedelta``.

    References:
        - Explore Education Statistics, *Characteristics of children in need*, table D5
          (plans open at 31 March by duration, top band "2 years or more").
        - DfE LAIT measure 264.
        - DfE, Children in need census guide: ``CPPstartDate``, ``CPPendDate``; CIN census
          validation rule 8930.
        - Decisions D6 and D14 (``docs/decisions.md``).
    """
    return _open_2_years_over(plans, [period], min_duration=min_duration)[0]


@over_periods(cp_plans_open_2_years_or_more)
def _open_2_years_over(
    plans: Iterable[ChildProtectionPlan],
    periods: Sequence[Period],
    *,
    min_duration: Interval = _dt.timedelta(days=730),
) -> list[IndicatorResult]:
    """:func:`cp_plans_open_2_years_or_more` over many periods at once: each child decided
    once for all the distinct period ends."""
    check_interval("min_duration", min_duration)
    s = EndSnapshots(cp_plans_open_2_years_or_more, periods)

    def each_plan(child_id: str, plan: ChildProtectionPlan, lo: int, hi: int) -> None:
        if not s.tallies(child_id):
            for j in range(lo, hi):
                _measure_open(s.at(j), child_id, plan, s.days[j], min_duration)
            return
        # rule 3: once the plan has lasted long enough, it has on every later end
        long = first_from(lo, hi, lambda j: lasted(plan.start_date, s.days[j], min_duration))
        if lo < long:
            s.tally(lo, long, False, child_id)
        if long < hi:
            s.tally(long, hi, True, child_id)

    def on_end(
        b: Sink,
        child_id: str,
        items: Sequence[ChildProtectionPlan],
        overlaps: Sequence[PlanOverlap],
        day: _dt.date,
    ) -> None:
        def is_open(p: ChildProtectionPlan) -> bool:  # rule 1
            return open_on(p, day)

        report_overlaps(b, child_id, overlaps, is_open)  # rule 4
        for plan, chosen in plan_twins(b, child_id, items, is_open, day):  # rule 1
            if chosen is not None:  # rule 2
                exclude_plan_twin(b, child_id, plan, chosen, day)
                continue
            _measure_open(b, child_id, plan, day, min_duration)

    plan_snapshots_over(s, plans, on_end=on_end, each_plan=each_plan)
    return s.results({"min_duration": min_duration})


def first_from(lo: int, hi: int, holds: Callable[[int], bool]) -> int:
    """The first ``j`` in ``[lo, hi)`` for which ``holds(j)`` (``hi`` if none), for a
    ``holds`` that stays true once true."""
    while lo < hi:
        mid = (lo + hi) // 2
        if holds(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _measure_open(
    b: Sink,
    child_id: str,
    plan: ChildProtectionPlan,
    day: _dt.date,
    min_duration: Interval,
) -> None:
    """Rule 3: the inclusive length of an open plan on ``day``, met when at least
    ``min_duration``."""
    days = (day - plan.start_date).days + 1  # rule 3
    met = lasted(plan.start_date, day, min_duration)
    b.count(
        child_id,
        plan,
        met,
        days,
        f"open {days} days on {iso(day)} ({'at least' if met else 'fewer than'} "
        f"{_threshold(min_duration)})",
    )
