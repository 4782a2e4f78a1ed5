"""Child protection plan reviews in timescale (CIN census).

Specification: ``docs/indicators/cp_reviews_in_timescale.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence

from dateutil.relativedelta import relativedelta

from ...durations import Interval, after
from ...periods import Period
from ...records.cin import ChildProtectionPlan
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import by_child, iso
from ._shared import (
    check_interval,
    exclude_plan_twin,
    interval_words,
    open_on,
    plan_key,
    plan_overlaps,
    plan_twins,
    report_overlaps,
)

__all__ = ["cp_reviews_in_timescale"]


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
    first_within: Interval = relativedelta(months=3),  # noqa: B008
    later_within: Interval = relativedelta(months=6),  # noqa: B008
) -> IndicatorResult:
    """The percentage of children on a plan at the end of the period, on it for at least
    ``first_within``, whose plan was reviewed within the required timescales.

    Rules (numbered as on the specification page):

    1. Unit: each child with a plan open at the end of ``period.end`` (as for
       :func:`~csc_indicators.indicators.cp_plans_open_2_years_or_more`). Open plans with
       the same start date are records of one plan (decision D14): one is used, chosen by
       the shared content rule (more review dates known on ``period.end`` first, as both
       are open); the others are excluded with a reason, reported as ``duplicate`` or
       ``conflict``. When a child has
       more than one open plan (an overlap, reported), the latest-starting plan is used and
       the others are excluded with a reason.
    2. Children whose plan started less than ``first_within`` before ``period.end``
       (``start + first_within > period.end``) are excluded with a reason.
    3. Reviews dated after ``period.end`` are ignored; reviews on or before the plan's start
       are reported as ``date order`` issues and ignored.
    4. Met when the first review is on or before ``start + first_within``, each later review
       on or before the previous review ``+ later_within``, and the next review is not
       overdue on ``period.end`` (``period.end <= last review + later_within``, or
       ``<= start + first_within`` before any review).

    Args:
        plans: every plan known.
        period: the reporting period (only its end matters: this is a snapshot).
        first_within: the time from the plan's start to the first review (default 3
            calendar months; a ``timedelta`` gives a fixed number of days).
        later_within: the longest time from one review to the next (default 6 calendar
            months).

    Raises:
        TypeError: ``first_within`` or ``later_within`` is not a ``timedelta`` or a
            ``relativedelta``.

    References:
        - DfE LAIT measures 19 and 215: a first review within three months of the plan, then
          at intervals of not more than six months.
        - Explore Education Statistics, *Characteristics of children in need*, table D6.
        - HM Government, *Working Together to Safeguard Children*: child protection review
          conferences.
        - DfE, Children in need census guide: ``CPPreviewDate``; CIN census validation rules
          8841 and 2885.
        - Decisions D7 and D14 (``docs/decisions.md``).
    """
    check_interval("first_within", first_within)
    check_interval("later_within", later_within)
    b = ResultBuilder(cp_reviews_in_timescale)
    day = period.end
    for child_id, items in by_child(plans, plan_key).items():
        if not any(open_on(p, day) for p in items):  # rule 1
            continue
        plan = _current_plan(b, child_id, items, day)  # rule 1
        due = after(plan.start_date, first_within)
        if due > day:  # rule 2
            b.exclude(
                child_id,
                plan,
                f"on the plan for less than {interval_words(first_within)} on {iso(day)} "
                f"(started {iso(plan.start_date)})",
            )
            continue
        reviews = _reviews_known(b, child_id, plan, day)  # rule 3
        met, reason = _review_chain(plan.start_date, reviews, day, first_within, later_within)
        b.count(
            child_id,
            plan,
            met,
            len(reviews),
            reason,
            {"reviews": tuple(reviews), "start_date": plan.start_date},
        )
    return b.build(period, {"first_within": first_within, "later_within": later_within})


def _current_plan(
    b: ResultBuilder, child_id: str, items: Sequence[ChildProtectionPlan], day: _dt.date
) -> ChildProtectionPlan:
    """Rule 1: the child's plan open on ``day`` (the latest-starting one, twins resolved by
    decision D14); the other open plans are excluded with a reason, overlaps reported."""
    report_overlaps(b, child_id, plan_overlaps(items), lambda p: open_on(p, day))
    current = plan_twins(b, child_id, items, lambda p: open_on(p, day), day)
    plan = [p for p, chosen in current if chosen is None][-1]
    for other, chosen in current:
        if chosen is not None:
            exclude_plan_twin(b, child_id, other, chosen, day)
        elif other.start_date != plan.start_date:
            b.exclude(
                child_id,
                other,
                f"another open plan of this child (starting {iso(plan.start_date)}) is used",
            )
    return plan


def _reviews_known(
    b: ResultBuilder, child_id: str, plan: ChildProtectionPlan, day: _dt.date
) -> list[_dt.date]:
    """Rule 3: the plan's review dates after its start and on or before ``day``; a review
    on or before the start is reported (``date order``) and ignored."""
    reviews: list[_dt.date] = []
    for r in sorted(set(plan.review_dates)):
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
    return reviews


def _review_chain(
    start: _dt.date,
    reviews: list[_dt.date],
    day: _dt.date,
    first_within: Interval,
    later_within: Interval,
) -> tuple[bool, str]:
    """Rule 4: walk the reviews; the first late one (or an overdue next one) fails."""
    due = after(start, first_within)  # rule 4
    last: _dt.date | None = None
    for r in reviews:
        if r > due:
            what = "first review" if last is None else f"review after {iso(last)}"
            return False, f"{what} held {iso(r)}, after it was due ({iso(due)})"
        last = r
        due = after(r, later_within)
    if day > due:
        what = "first review" if last is None else f"review after {iso(last)}"
        return False, f"{what} overdue on {iso(day)} (due {iso(due)})"
    n = len(reviews)
    return True, f"{n} review(s), each in time; next due {iso(due)}"
