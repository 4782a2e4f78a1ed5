"""One child's reviews of a period of care and how they are judged, for
``lac_reviews_in_timescale`` in ``reviews``: the intervals of regulation 33
(:class:`Timescale`), and :class:`Reviews`, the reviews held by each period end judged once
each (the rules numbered in comments are the indicator's, as on the specification page
``docs/indicators/lac_reviews_in_timescale.md``).

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import operator
from collections.abc import Callable, Iterable

import attrs

from ...calendar import DayCount, WorkingDayCalendar
from ...decisions import Decisions
from ...durations import Interval, adder
from ...records.looked_after import LookedAfterReview
from .._common import iso
from ._shared import whole_months

__all__ = ["Judgement", "Reviews", "Timescale"]


@attrs.frozen
class Timescale:
    """The review intervals of regulation 33, as the indicator's parameters give them."""

    cal: WorkingDayCalendar
    convention: DayCount
    first_limit: int
    second_within: Interval
    later_within: Interval
    second_due: Callable[[_dt.date], _dt.date] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda t: adder(t.second_within), takes_self=True),
    )
    """A date plus ``second_within``."""
    later_due: Callable[[_dt.date], _dt.date] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda t: adder(t.later_within), takes_self=True),
    )
    """A date plus ``later_within``."""


@attrs.define
class Judgement:
    """What the reviews of one child's period of care show."""

    due: _dt.date
    """The date the next review is due by."""
    breaches: list[tuple[_dt.date, str]] = attrs.Factory(list)
    """Each late review: the date it was held, and the message."""
    not_judged: list[str] = attrs.Factory(list)
    """What could not be judged, in words."""
    first_due_in_working_days: bool = False
    """No review has been held and the first is due within working days: overdue when the
    working days to the period end are more than the limit (else: when the period end is
    after :attr:`due`)."""


class Reviews:
    """Rule 5: one child's reviews from the start of their current period of care, each date
    once (a second review on one date is reported as a duplicate in each period whose end it
    is held by), and how those held by a day are judged (rules 2-3 and 6-9)."""

    __slots__ = (
        "_reported",
        "_running",
        "_seconds",
        "_steps",
        "_views",
        "dates",
        "reviews_from",
        "start",
        "timescale",
        "words",
    )

    def __init__(
        self,
        timescale: Timescale,
        start: _dt.date,
        reviews: Iterable[LookedAfterReview],
        reviews_from: _dt.date | None,
        *,
        words: bool = True,
    ) -> None:
        self.timescale = timescale
        self.words = words
        """Whether the breaches and what is not judged are put in words (else their messages
        are empty: only their number and dates are needed, as without outcomes kept)."""
        self.start = start
        self.reviews_from = reviews_from
        self.dates: list[_dt.date] = []
        """The dates of the reviews from ``start`` on, each once, in order."""
        self._seconds: list[LookedAfterReview] = []
        self._reported: list[list[int]] = []
        for r in _in_order(reviews):
            if r.date < start:
                continue
            if self.dates and self.dates[-1] == r.date:
                self._seconds.append(r)
                self._reported.append([])
                continue
            self.dates.append(r.date)
        # The judgement of the dates judged so far, and after each of them (and before the
        # first) what it was: the due date, how many breaches and things not judged, and
        # whether the first review's deadline is counted in working days.
        self._running = Judgement(due=start)
        self._steps: list[tuple[_dt.date, int, int, bool]] = []
        self._views: dict[int, Judgement] = {}

    def by(self, end: _dt.date, where: Iterable[int]) -> int:
        """The number of review dates up to ``end``; the second reviews on one of those dates
        are to be reported in the periods at the positions ``where``."""
        m = bisect.bisect_right(self.dates, end)
        self.held(m, where)
        return m

    def held(self, m: int, where: Iterable[int]) -> None:
        """The second reviews on one of the first ``m`` review dates are to be reported in
        the periods at the positions ``where``."""
        if m:
            last = self.dates[m - 1]
            for r, reported in zip(self._seconds, self._reported, strict=True):
                if r.date > last:
                    break
                reported.extend(where)

    def judged(self, m: int) -> Judgement:
        """The judgement of the first ``m`` review dates (each date judged once, in order)."""
        got = self._views.get(m)
        if got is not None:
            return got
        due, breaches, unjudged, in_working_days = self.state(m)
        running = self._running
        got = self._views[m] = Judgement(
            due, running.breaches[:breaches], running.not_judged[:unjudged], in_working_days
        )
        return got

    def state(self, m: int) -> tuple[_dt.date, int, int, bool]:
        """What :meth:`judged` gives of the first ``m`` review dates, in figures: the due
        date, the number of breaches and of things not judged, and
        :attr:`Judgement.first_due_in_working_days`."""
        steps = self._steps
        if len(steps) > m:
            return steps[m]
        t, start, since, words = self.timescale, self.start, self.reviews_from, self.words
        if not steps:
            self._running = _no_review(t, start, since, words)
            steps.append(self._step())
        running = self._running
        while len(steps) <= m:
            n = len(steps) - 1
            _add_review(t, start, since, running, n, self.dates[n], words)
            steps.append(self._step())
        return steps[m]

    def _step(self) -> tuple[_dt.date, int, int, bool]:
        j = self._running
        return j.due, len(j.breaches), len(j.not_judged), j.first_due_in_working_days

    def report(self, d: Decisions, cid: str) -> None:
        """Report each second review on one date, in the periods it is held by."""
        for r, reported in zip(self._seconds, self._reported, strict=True):
            if reported:
                d.issue(
                    f"two reviews on {iso(r.date)}; counted once",
                    cid,
                    r,
                    "duplicate",
                    periods=reported,
                )


def _in_order(reviews: Iterable[LookedAfterReview]) -> list[LookedAfterReview]:
    """The reviews by date, then participation code (sorted by date alone when no two share
    a date)."""
    ordered = sorted(reviews, key=_date_of)
    if len({r.date for r in ordered}) < len(ordered):
        ordered.sort(key=lambda r: (r.date, r.participation or ""))
    return ordered


_date_of = operator.attrgetter("date")


def _anchored(start: _dt.date, reviews_from: _dt.date | None) -> bool:
    """Rule 6: whether the review data begin part-way through the period of care."""
    return reviews_from is not None and start < reviews_from


def _no_review(
    t: Timescale, start: _dt.date, reviews_from: _dt.date | None, words: bool = True
) -> Judgement:
    """The judgement before any review of the period of care that began on ``start`` (with
    ``words``, what is not judged put in words)."""
    if reviews_from is None or not _anchored(start, reviews_from):  # rules 2 and 4
        return Judgement(
            due=t.cal.add_working_days(start, t.first_limit), first_due_in_working_days=True
        )
    # Rule 8: the latest a review could have been due after the data begin: the last unseen
    # review the day before, plus the longest interval (or the first review's deadline, if
    # that is later).
    longest = max(
        t.second_due(reviews_from - _dt.timedelta(days=1)),
        t.later_due(reviews_from - _dt.timedelta(days=1)),
    )
    latest = max(t.cal.add_working_days(start, t.first_limit), longest)
    judged = Judgement(due=latest)
    judged.not_judged.append(  # rule 6
        f"reviews before {iso(reviews_from)} are not in the data" if words else ""
    )
    return judged


def _add_review(
    t: Timescale,
    start: _dt.date,
    reviews_from: _dt.date | None,
    judged: Judgement,
    n: int,
    d: _dt.date,
    words: bool = True,
) -> None:
    """Add review ``n`` (from 0) of the data, held on ``d``, to ``judged``, the judgement of
    the earlier ones (with ``words``, each breach and what is not judged put in words)."""
    due = judged.due
    judged.first_due_in_working_days = False
    if reviews_from is not None and _anchored(start, reviews_from):  # rules 6-9
        if n == 0:
            if d > due:  # rule 8 (the latest date one could have been due)
                judged.breaches.append(
                    (
                        d,
                        f"no review in the data from {iso(reviews_from)} to {iso(d)}: one was "
                        f"due by {iso(due)} at the latest"
                        if words
                        else "",
                    )
                )
            judged.not_judged.append(  # rule 7
                f"review {iso(d)} is taken as the anchor (it may not be the first); the next "
                f"is allowed {whole_months(t.later_within)}"
                if words
                else ""
            )
        elif d > due:  # rule 9
            judged.breaches.append(
                (d, f"review {iso(d)} was after its due date {iso(due)}" if words else "")
            )
        judged.due = t.later_due(d)
        return
    if n == 0:  # rule 2
        wd = t.cal.working_days(start, d, t.convention)
        if wd > t.first_limit:
            judged.breaches.append(
                (
                    d,
                    f"first review {iso(d)} was {wd} working days "
                    f"after {iso(start)} (limit {t.first_limit})"
                    if words
                    else "",
                )
            )
    elif d > due:  # rule 3
        judged.breaches.append(
            (d, f"review {iso(d)} was after its due date {iso(due)}" if words else "")
        )
    judged.due = t.second_due(d) if n == 0 else t.later_due(d)
