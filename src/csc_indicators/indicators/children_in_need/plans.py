"""Child protection plans: repeat plans (ever, and within two years), plans lasting two years
or more (ceased in the period, and open at its end), and plan reviews in timescale
(CIN census).

Specifications: one page per indicator under ``docs/indicators/``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from ...periods import Period
from ...records.cin import ChildProtectionPlan
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import by_child, iso
from ._shared import (
    exclude_twin,
    open_on,
    plan_key,
    plan_overlaps,
    plan_twins,
    report_overlaps,
)

__all__ = [
    "cp_plans_ceased_lasting_2_years",
    "cp_plans_open_2_years_or_more",
    "cp_reviews_in_timescale",
    "repeat_cp_plans",
    "repeat_cp_plans_within_2_years",
]


def _duplicate(
    b: ResultBuilder,
    child_id: str,
    plan: ChildProtectionPlan,
    chosen: ChildProtectionPlan,
    as_of: _dt.date,
) -> None:
    exclude_twin(
        b,
        child_id,
        plan,
        chosen,
        duplicate_issue=f"two plans start on {iso(plan.start_date)}: counted once",
        duplicate_reason=f"duplicate of the plan starting {iso(plan.start_date)}",
        noun=f"plan starting {iso(plan.start_date)}",
        as_of=as_of,
    )


def _date_order(b: ResultBuilder, child_id: str, plan: ChildProtectionPlan) -> None:
    assert plan.end_date is not None
    reason = f"ended {iso(plan.end_date)}, before its start {iso(plan.start_date)}"
    b.issue(reason, child_id, plan, kind="date order")
    b.exclude(child_id, plan, reason)


# -- repeat plans ---------------------------------------------------------------------------


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
    """
    b = ResultBuilder(repeat_cp_plans)
    for child_id, items in by_child(plans, plan_key).items():
        report_overlaps(b, child_id, plan_overlaps(items), lambda p: p.start_date in period)
        first = items[0]  # the child's first plan
        selected = plan_twins(b, child_id, items, lambda p: p.start_date in period, period.end)
        for plan, chosen in selected:  # rule 1
            if chosen is not None:  # rule 2
                _duplicate(b, child_id, plan, chosen, period.end)
                continue
            earlier = first if first.start_date < plan.start_date else None
            _repeat_ever(b, child_id, plan, earlier)
    return b.build(period, {})


def _repeat_ever(
    b: ResultBuilder,
    child_id: str,
    plan: ChildProtectionPlan,
    first: ChildProtectionPlan | None,
) -> None:
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
    window: relativedelta | _dt.timedelta = relativedelta(years=2),  # noqa: B008
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
    """
    if not isinstance(window, (relativedelta, _dt.timedelta)):
        raise TypeError(f"window must be a relativedelta or a timedelta, got {window!r}")
    b = ResultBuilder(repeat_cp_plans_within_2_years)
    for child_id, items in by_child(plans, plan_key).items():
        overlaps = plan_overlaps(items)
        report_overlaps(b, child_id, overlaps, lambda p: p.start_date in period)
        overlapped = {id(o.later): o for o in overlaps}
        # For each start date: the latest end and a plan ending before its start, among the
        # plans starting strictly earlier.
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
        selected = plan_twins(b, child_id, items, lambda p: p.start_date in period, period.end)
        for plan, chosen in selected:  # rule 1
            if chosen is not None:  # rule 2
                _duplicate(b, child_id, plan, chosen, period.end)
                continue
            prev_end, prev_bad = before[plan.start_date]
            _within(b, child_id, plan, window, overlapped.get(id(plan)), prev_end, prev_bad)
    return b.build(period, {"window": window})


def _within(
    b: ResultBuilder,
    child_id: str,
    plan: ChildProtectionPlan,
    window: relativedelta | _dt.timedelta,
    overlap: object,
    latest_end: _dt.date | None,
    bad_end: ChildProtectionPlan | None,
) -> None:
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
    met = start <= latest_end + window
    b.count(
        child_id,
        plan,
        met,
        gap,
        f"previous plan ended {iso(latest_end)}, {gap} days earlier "
        f"({'within' if met else 'more than'} the window)",
        {"previous_plan_end": latest_end},
    )


# -- plans lasting two years or more ----------------------------------------------------------


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
    min_days: int = 730,
) -> IndicatorResult:
    """The percentage of plans ending in the period that lasted at least ``min_days``
    calendar days, counting both the start and the end day.

    Rules (numbered as on the specification page):

    1. Unit: each plan whose end date is in the period.
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): among those ending in the period, one is used, chosen by the shared content rule
       (the later end first); the others are excluded with a reason, reported as
       ``duplicate`` (identical) or ``conflict``.
    3. A plan ending before it starts is excluded with a reason and reported.
    4. Measure: ``end - start + 1`` days. Met when at least ``min_days`` (DfE: "more than
       729 calendar days including days of cessation").
    5. Overlapping plans are reported as ``overlap`` issues; each plan is still measured on
       its own dates.
    """
    b = ResultBuilder(cp_plans_ceased_lasting_2_years)

    def ends_in(p: ChildProtectionPlan) -> bool:
        return p.end_date is not None and p.end_date in period

    for child_id, items in by_child(plans, plan_key).items():
        report_overlaps(b, child_id, plan_overlaps(items), ends_in)
        for plan, chosen in plan_twins(b, child_id, items, ends_in, period.end):  # rule 1
            if chosen is not None:  # rule 2
                _duplicate(b, child_id, plan, chosen, period.end)
                continue
            end = plan.end_date
            assert end is not None
            if end < plan.start_date:  # rule 3
                _date_order(b, child_id, plan)
                continue
            days = (end - plan.start_date).days + 1  # rule 4
            met = days >= min_days
            b.count(
                child_id,
                plan,
                met,
                days,
                f"lasted {days} days ({'at least' if met else 'fewer than'} {min_days})",
            )
    return b.build(period, {"min_days": min_days})


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
    min_days: int = 730,
) -> IndicatorResult:
    """The percentage of plans open at the end of the period that had then lasted at least
    ``min_days`` calendar days, counting the start day and the period's last day.

    Rules (numbered as on the specification page):

    1. Unit: each plan open at the end of ``period.end``: started on or before it and not
       ended on or before it (a plan ending on ``period.end`` has ceased).
    2. Plans of the same child with the same start date are records of one plan (decision
       D14): among those open at the end of the period, one is used, chosen by the shared
       content rule; the others are excluded with a reason, reported as ``duplicate``
       (identical) or ``conflict``. A plan open on ``period.end`` is never dropped as the
       twin of one that is not.
    3. Measure: ``period.end - start + 1`` days. Met when at least ``min_days``.
    4. Overlapping plans are reported as ``overlap`` issues; each open plan is an outcome.
    """
    b = ResultBuilder(cp_plans_open_2_years_or_more)
    day = period.end

    def is_open(p: ChildProtectionPlan) -> bool:
        return open_on(p, day)

    for child_id, items in by_child(plans, plan_key).items():
        report_overlaps(b, child_id, plan_overlaps(items), is_open)
        for plan, chosen in plan_twins(b, child_id, items, is_open, day):  # rule 1
            if chosen is not None:  # rule 2
                _duplicate(b, child_id, plan, chosen, period.end)
                continue
            days = (day - plan.start_date).days + 1  # rule 3
            met = days >= min_days
            b.count(
                child_id,
                plan,
                met,
                days,
                f"open {days} days on {iso(day)} ({'at least' if met else 'fewer than'} "
                f"{min_days})",
            )
    return b.build(period, {"min_days": min_days})


# -- reviews --------------------------------------------------------------------------------


@register(
    title="Children on a child protection plan reviewed within the required timescales",
    short_title="CP plans reviewed in timescale",
    family=Family.CHILDREN_IN_NEED,
    unit="child on a child protection plan at the period end for at least 3 months",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "CIN census (CPPreviewDate)",
        "DfE LAIT measures 19 and 215",
        "EES table D6",
    ),
    lait_code=19,
    ees="D6",
)
def cp_reviews_in_timescale(
    plans: Iterable[ChildProtectionPlan],
    period: Period,
    *,
    first_review: relativedelta | _dt.timedelta = relativedelta(months=3),  # noqa: B008
    review_interval: relativedelta | _dt.timedelta = relativedelta(months=6),  # noqa: B008
) -> IndicatorResult:
    """The percentage of children on a plan at the end of the period, on it for at least
    ``first_review``, whose plan was reviewed within the required timescales.

    Rules (numbered as on the specification page):

    1. Unit: each child with a plan open at the end of ``period.end`` (as for
       :func:`cp_plans_open_2_years_or_more`). Open plans with the same start date are
       records of one plan (decision D14): one is used, chosen by the shared content rule
       (more review dates known on ``period.end`` first, as both are open); the others are
       excluded with a reason, reported as ``duplicate`` or ``conflict``. When a child has
       more than one open plan (an overlap, reported), the latest-starting plan is used and
       the others are excluded with a reason.
    2. Children whose plan started less than ``first_review`` before ``period.end``
       (``start + first_review > period.end``) are excluded with a reason.
    3. Reviews dated after ``period.end`` are ignored; reviews on or before the plan's start
       are reported as ``date order`` issues and ignored.
    4. Met when the first review is on or before ``start + first_review``, each later review
       on or before the previous review ``+ review_interval``, and the next review is not
       overdue on ``period.end`` (``period.end <= last review + review_interval``, or
       ``<= start + first_review`` before any review).

    Args:
        plans: every plan known.
        period: the reporting period (only its end matters: this is a snapshot).
        first_review: the time to the first review (default 3 calendar months; a
            ``timedelta`` gives a fixed number of days).
        review_interval: the longest gap between reviews (default 6 calendar months).
    """
    for name, value in (("first_review", first_review), ("review_interval", review_interval)):
        if not isinstance(value, (relativedelta, _dt.timedelta)):
            raise TypeError(f"{name} must be a relativedelta or a timedelta, got {value!r}")
    b = ResultBuilder(cp_reviews_in_timescale)
    day = period.end
    for child_id, items in by_child(plans, plan_key).items():
        if not any(open_on(p, day) for p in items):  # rule 1
            continue
        report_overlaps(b, child_id, plan_overlaps(items), lambda p: open_on(p, day))
        current = plan_twins(b, child_id, items, lambda p: open_on(p, day), day)
        plan = [p for p, chosen in current if chosen is None][-1]
        for other, chosen in current:
            if chosen is not None:
                _duplicate(b, child_id, other, chosen, day)
            elif other.start_date != plan.start_date:
                b.exclude(
                    child_id,
                    other,
                    f"another open plan of this child (starting {iso(plan.start_date)}) is used",
                )
        due = plan.start_date + first_review
        if due > day:  # rule 2
            b.exclude(
                child_id,
                plan,
                f"on the plan for less than {_months(first_review)} on {iso(day)} "
                f"(started {iso(plan.start_date)})",
            )
            continue
        reviews: list[_dt.date] = []
        for r in sorted(set(plan.review_dates)):  # rule 3
            if r > day:
                continue
            if r <= plan.start_date:
                b.issue(
                    f"review {iso(r)} on or before the plan's start {iso(plan.start_date)}",
                    child_id,
                    plan,
                    kind="date order",
                )
                continue
            reviews.append(r)
        met, reason = _review_chain(plan.start_date, reviews, day, first_review, review_interval)
        b.count(
            child_id,
            plan,
            met,
            len(reviews),
            reason,
            {"reviews": tuple(reviews), "start_date": plan.start_date},
        )
    return b.build(
        period,
        {"first_review": first_review, "review_interval": review_interval},
    )


def _review_chain(
    start: _dt.date,
    reviews: list[_dt.date],
    day: _dt.date,
    first_review: relativedelta | _dt.timedelta,
    interval: relativedelta | _dt.timedelta,
) -> tuple[bool, str]:
    """Rule 4: walk the reviews; the first late one (or an overdue next one) fails."""
    due = start + first_review
    last: _dt.date | None = None
    for r in reviews:
        if r > due:
            what = "first review" if last is None else f"review after {iso(last)}"
            return False, f"{what} held {iso(r)}, after it was due ({iso(due)})"
        last = r
        due = r + interval
    if day > due:
        what = "first review" if last is None else f"review after {iso(last)}"
        return False, f"{what} overdue on {iso(day)} (due {iso(due)})"
    n = len(reviews)
    return True, f"{n} review(s), each in time; next due {iso(due)}"


def _months(delta: relativedelta | _dt.timedelta) -> str:
    if isinstance(delta, _dt.timedelta):
        return f"{delta.days} days"
    return f"{delta.months + 12 * delta.years} months" if not delta.days else str(delta)
