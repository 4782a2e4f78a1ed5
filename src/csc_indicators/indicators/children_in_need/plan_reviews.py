"""Child protection plan reviews in timescale (CIN census).

Specification: ``docs/indicators/cp_reviews_in_timescale.md``.
"""

from __future__ import annotations

import bisect
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
from ._shared import (
    PlanOverlap,
    check_interval,
    exclude_plan_twin,
    interval_words,
    open_on,
    plan_twins,
    report_overlaps,
)
from .children_in_need import EndSnapshots
from .plan_activity import plan_snapshots_over

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
    return _reviews_over(plans, [period], first_within=first_within, later_within=later_within)[0]


@over_periods(cp_reviews_in_timescale)
def _reviews_over(
    plans: Iterable[ChildProtectionPlan],
    periods: Sequence[Period],
    *,
    first_within: Interval = relativedelta(months=3),  # noqa: B008
    later_within: Interval = relativedelta(months=6),  # noqa: B008
) -> list[IndicatorResult]:
    """:func:`cp_reviews_in_timescale` over many periods at once: each child decided once
    for all the distinct period ends."""
    check_interval("first_within", first_within)
    check_interval("later_within", later_within)
    s = EndSnapshots(cp_reviews_in_timescale, periods)
    days = s.days
    first, later = adder(first_within), adder(later_within)

    def each_plan(child_id: str, plan: ChildProtectionPlan, lo: int, hi: int) -> None:
        # rule 1: the child's one open plan on days[lo:hi]
        due = first(plan.start_date)
        on_time = bisect.bisect_left(days, due, lo, hi)  # rule 2: from due on
        tallied = s.tallies(child_id)
        if not tallied:
            for j in range(lo, on_time):
                _too_recent(s.at(j), child_id, plan, days[j], first_within)
        if on_time == hi:
            return
        chain = _Chain(s.over(on_time, hi), child_id, plan, due, later)  # rule 3
        if not tallied:
            for j in range(on_time, hi):
                chain.count(s.at(j), child_id, days[j])
            return
        run, met = on_time, chain.met(days[on_time])
        for j in range(on_time + 1, hi + 1):
            now = j < hi and chain.met(days[j])
            if j == hi or now != met:
                s.tally(run, j, met, child_id)
                run, met = j, now

    def on_end(
        b: Sink,
        child_id: str,
        items: Sequence[ChildProtectionPlan],
        overlaps: Sequence[PlanOverlap],
        day: _dt.date,
    ) -> None:
        if not any(open_on(p, day) for p in items):  # rule 1
            return
        plan = _current_plan(b, child_id, items, overlaps, day)  # rule 1
        due = first(plan.start_date)
        if due > day:  # rule 2
            _too_recent(b, child_id, plan, day, first_within)
            return
        _Chain(b, child_id, plan, due, later).count(b, child_id, day)  # rules 3 and 4

    plan_snapshots_over(s, plans, on_end=on_end, each_plan=each_plan)
    return s.results({"first_within": first_within, "later_within": later_within})


def _too_recent(
    b: Sink, child_id: str, plan: ChildProtectionPlan, day: _dt.date, first_within: Interval
) -> None:
    """Rule 2: a plan started less than ``first_within`` before ``day`` is excluded."""
    b.exclude(
        child_id,
        plan,
        f"on the plan for less than {interval_words(first_within)} on {iso(day)} "
        f"(started {iso(plan.start_date)})",
    )


def _current_plan(
    b: Sink,
    child_id: str,
    items: Sequence[ChildProtectionPlan],
    overlaps: Sequence[PlanOverlap],
    day: _dt.date,
) -> ChildProtectionPlan:
    """Rule 1: the child's plan open on ``day`` (the latest-starting one, twins resolved by
    decision D14); the other open plans are excluded with a reason, overlaps reported."""
    report_overlaps(b, child_id, overlaps, lambda p: open_on(p, day))
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


class _Chain:
    """Rules 3 and 4 for one plan, on any day on which it is open and due its first review:
    the reviews known then are those on or before the day (rule 3), walked in order (rule 4).
    The due dates are worked out once, as far as a day needs them."""

    __slots__ = ("_dues", "_late", "_later", "plan", "reviews")

    def __init__(
        self,
        b: Sink,
        child_id: str,
        plan: ChildProtectionPlan,
        first_due: _dt.date,
        later: Callable[[_dt.date], _dt.date],
    ) -> None:
        self.plan = plan
        self.reviews: list[_dt.date] = []
        """The plan's review dates after its start, in order."""
        for r in sorted(set(plan.review_dates)):  # rule 3
            if r > plan.start_date:
                self.reviews.append(r)
            else:  # known on any day the plan is judged: it is on or before the start
                b.issue(
                    f"review {iso(r)} on or before the plan's start {iso(plan.start_date)}",
                    child_id,
                    plan,
                    kind="date order",
                )
        self._later = later  # a review's date plus later_within
        # _dues[i]: when review i is due (the first from the start, each next from the last)
        self._dues = [first_due]
        self._late: int | None = None  # the first review held after it was due

    def _walk(self, known: int) -> tuple[int | None, _dt.date]:
        """Rule 4 over the first ``known`` reviews: the first late one among them (else
        ``None``) and its due date, or the due date of the next review."""
        dues = self._dues
        while len(dues) <= known and self._late is None:
            i = len(dues) - 1
            r = self.reviews[i]
            if r > dues[i]:
                self._late = i
            else:
                dues.append(self._later(r))
        if self._late is not None and self._late < known:
            return self._late, dues[self._late]
        return None, dues[known]

    def met(self, day: _dt.date) -> bool:
        """Rule 4: every review known on ``day`` in time, and the next not overdue."""
        late, due = self._walk(bisect.bisect_right(self.reviews, day))
        return late is None and day <= due

    def count(self, b: Sink, child_id: str, day: _dt.date) -> None:
        """Rule 4: the plan's outcome on ``day``, with the reviews known then."""
        known = bisect.bisect_right(self.reviews, day)
        reviews = self.reviews[:known]
        late, due = self._walk(known)
        if late is not None:
            what = "first review" if late == 0 else f"review after {iso(reviews[late - 1])}"
            met, reason = False, f"{what} held {iso(reviews[late])}, after it was due ({iso(due)})"
        elif day > due:
            what = "first review" if known == 0 else f"review after {iso(reviews[-1])}"
            met, reason = False, f"{what} overdue on {iso(day)} (due {iso(due)})"
        else:
            met, reason = True, f"{known} review(s), each in time; next due {iso(due)}"
        b.count(
            child_id,
            self.plan,
            met,
            known,
            reason,
            {"reviews": tuple(reviews), "start_date": self.plan.start_date},
        )
