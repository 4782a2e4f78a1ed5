"""Looked-after children's statutory reviews held in timescale (Care Planning, Placement and
Case Review (England) Regulations 2010, regulation 33).

Specification: ``docs/indicators/lac_reviews_in_timescale.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Literal, get_args

import attrs
from dateutil.relativedelta import relativedelta

from ...calendar import DayCount, WorkingDayCalendar
from ...durations import Interval, after
from ...periods import Period
from ...records.looked_after import Episode, LookedAfterReview
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso, resolve_calendar
from ..children_in_need._shared import working_days_or_reason
from ._shared import histories, looked_after_at_end, whole_months

__all__ = ["ReviewScope", "lac_reviews_in_timescale"]

ReviewScope = Literal["period_of_care", "period"]
"""Which reviews are judged: every review of the current period of care (decision D10), or
only what happened in the reporting period (the former NI 66)."""
_SCOPES: tuple[ReviewScope, ...] = get_args(ReviewScope)


@attrs.frozen
class _Timescale:
    """The review intervals of regulation 33, as the indicator's parameters give them."""

    cal: WorkingDayCalendar
    convention: DayCount
    first_limit: int
    second_within: Interval
    later_within: Interval


@attrs.define
class _Judgement:
    """What the reviews of one child's period of care show."""

    due: _dt.date
    """The date the next review is due by."""
    breaches: list[tuple[_dt.date, str]] = attrs.Factory(list)
    """Each late review: the date it was held, and the message."""
    not_judged: list[str] = attrs.Factory(list)
    """What could not be judged, in words."""
    overdue: bool | None = None
    """Whether no review has been held by the due date; ``None``: when ``period.end`` is
    after :attr:`due`."""


@register(
    title="Looked-after children whose reviews were all held in timescale",
    short_title="LAC reviews all in timescale",
    family=Family.LOOKED_AFTER,
    unit="child looked after on the period end for at least 20 working days (excluding V3/V4)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 Reviews",
        "Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33",
    ),
    data_from=(("reviews_from", "SSDA903"),),
)
def lac_reviews_in_timescale(
    episodes: Iterable[Episode],
    reviews: Iterable[LookedAfterReview],
    period: Period,
    *,
    calendar: WorkingDayCalendar | None = None,
    convention: DayCount = DayCount.EXCLUSIVE_START,
    first_limit: int = 20,
    second_within: Interval = relativedelta(months=3),  # noqa: B008
    later_within: Interval = relativedelta(months=6),  # noqa: B008
    reviews_from: _dt.date | None = None,
    scope: ReviewScope = "period_of_care",
) -> IndicatorResult:
    """Children looked after on ``period.end`` whose every review in the current period of
    care was on time and none is overdue on ``period.end`` (decision D10).

    Rules (numbered as on the specification page):

    1. Unit: each child looked after on ``period.end`` (short breaks V3/V4 excluded) whose
       current period of care started at least ``first_limit`` working days before it; the
       clock starts on the period of care's first day.
    2. The first review is due within ``first_limit`` working days of the start (the
       calendar and convention given).
    3. The second is due within ``second_within`` of the first, each later one within
       ``later_within`` of the previous one.
    4. Not overdue: ``period.end`` is on or before the next review's due date.
    5. Reviews before the period of care or after ``period.end`` are not considered; two on
       one date are counted once and reported as a duplicate.
    6. With ``reviews_from`` after the start of the period of care, the reviews before it
       are unknown and nothing is judged against them.
    7. The earliest review in the data is the anchor, not itself judged against the start;
       the next is allowed ``later_within``.
    8. A first review in the data later than the latest date one could have been due
       (``reviews_from`` - 1 day + the longer interval, or the first review's deadline if
       later) fails the child; with none in the data, the child is overdue after that date.
    9. From the anchor on, rules 3 and 4 apply.
    10. With ``scope="period"``, a late review held before ``period.start`` is not judged.

    Args:
        episodes: SSDA903 episodes, any order.
        reviews: SSDA903 reviews, any order.
        period: the reporting period; the snapshot is ``period.end``.
        calendar: the working-day calendar (``None``: England and Wales).
        convention: the day-count convention of the first review's working days.
        first_limit: the first review's timescale in working days (20).
        second_within: the second review's interval after the first (3 calendar months).
        later_within: each later review's interval after the previous (6 calendar months).
        reviews_from: the first date the review data covers (an SSDA903 Reviews table holds
            only the reviews of its own collection year, so this is 1 April of the earliest
            return loaded; the scorecard passes it). ``None`` (default): the data hold every
            review.
        scope: ``"period_of_care"`` (default, D10: every review of the current period of
            care is judged) or ``"period"`` (only what happened in the reporting period, as
            in the former national indicator NI 66).

    References:
        - The Care Planning, Placement and Case Review (England) Regulations 2010,
          regulation 33 (the review intervals) and regulation 48 (short breaks).
        - DfE, *SSDA903 children looked after return guide*: the Reviews table (REVIEW,
          REVIEW_CODE).
        - Communities and Local Government, *National Indicators for Local Authorities and
          Local Authority Partnerships: Handbook of Definitions* (2008), NI 66.
    """
    if scope not in _SCOPES:
        raise ValueError(f"scope must be one of {_SCOPES}, got {scope!r}")
    cal = resolve_calendar(calendar)
    timescale = _Timescale(cal, convention, first_limit, second_within, later_within)
    b = ResultBuilder(lac_reviews_in_timescale)
    hs = histories(episodes, b, as_of=period.end)
    by_child: dict[str, list[LookedAfterReview]] = {}
    for r in reviews:
        by_child.setdefault(r.child_id, []).append(r)
    for cid, h in hs.items():
        e, why = looked_after_at_end(h, period)  # rule 1
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        poc = h.period_on(period.end)
        assert poc is not None
        start = poc.start
        so_far, problem = working_days_or_reason(cal, start, period.end, convention)
        if so_far is None:
            assert problem is not None
            b.issue(problem, cid, e, "calendar")
            b.exclude(cid, e, problem)
            continue
        if so_far < first_limit:  # rule 1
            b.exclude(
                cid,
                e,
                f"period of care started {iso(start)}, {so_far} working days "
                f"before {iso(period.end)} (fewer than {first_limit})",
            )
            continue
        dates = _review_dates(b, cid, by_child.get(cid, ()), start, period.end)  # rule 5
        if reviews_from is not None and start < reviews_from:
            judged = _judge_from_anchor(timescale, start, dates, reviews_from)  # rules 6-9
        else:
            judged = _judge_from_start(timescale, start, dates, so_far)  # rules 2-3
        reasons = _reasons(judged, period, scope)
        b.count(
            cid,
            e,
            not reasons,
            len(dates),
            reason="; ".join(reasons) or None,
            details={
                "period_of_care_start": iso(start),
                "review_dates": tuple(iso(d) for d in dates),
                "next_due": iso(judged.due),
                "not_judged": tuple(judged.not_judged),
            },
        )
    return b.build(
        period,
        {
            "calendar": cal,
            "convention": convention,
            "first_limit": first_limit,
            "second_within": second_within,
            "later_within": later_within,
            "reviews_from": reviews_from,
            "scope": scope,
        },
    )


def _review_dates(
    b: ResultBuilder,
    cid: str,
    reviews: Iterable[LookedAfterReview],
    start: _dt.date,
    end: _dt.date,
) -> list[_dt.date]:
    """Rule 5: the dates of the reviews from ``start`` to ``end``, each date once (a second
    review on one date is reported as a duplicate)."""
    dates: list[_dt.date] = []
    for r in sorted(reviews, key=lambda r: (r.date, r.participation or "")):
        if not start <= r.date <= end:
            continue
        if dates and dates[-1] == r.date:
            b.issue(f"two reviews on {iso(r.date)}; counted once", cid, r, "duplicate")
            continue
        dates.append(r.date)
    return dates


def _judge_from_start(
    t: _Timescale, start: _dt.date, dates: Sequence[_dt.date], so_far: int
) -> _Judgement:
    """Rules 2 and 3: every review of the period of care is in the data. ``so_far`` is the
    working days from ``start`` to the period end."""
    judged = _Judgement(due=t.cal.add_working_days(start, t.first_limit))
    if not dates:  # rule 4: the first review's deadline is counted in working days
        judged.overdue = so_far > t.first_limit
    for n, d in enumerate(dates):
        if n == 0:  # rule 2
            wd = t.cal.working_days(start, d, t.convention)
            if wd > t.first_limit:
                judged.breaches.append(
                    (
                        d,
                        f"first review {iso(d)} was {wd} working days "
                        f"after {iso(start)} (limit {t.first_limit})",
                    )
                )
        elif d > judged.due:  # rule 3
            judged.breaches.append((d, f"review {iso(d)} was after its due date {iso(judged.due)}"))
        judged.due = after(d, t.second_within if n == 0 else t.later_within)
    return judged


def _judge_from_anchor(
    t: _Timescale, start: _dt.date, dates: Sequence[_dt.date], reviews_from: _dt.date
) -> _Judgement:
    """Rules 6 to 9: the data begin on ``reviews_from``, part-way through the period of care
    that began on ``start``."""
    # Rule 8: the latest a review could have been due after the data begin: the last unseen
    # review the day before, plus the longest interval (or the first review's deadline, if
    # that is later).
    longest = max(
        after(reviews_from - _dt.timedelta(days=1), t.second_within),
        after(reviews_from - _dt.timedelta(days=1), t.later_within),
    )
    latest = max(t.cal.add_working_days(start, t.first_limit), longest)
    judged = _Judgement(due=latest)
    judged.not_judged.append(f"reviews before {iso(reviews_from)} are not in the data")  # rule 6
    if not dates:
        return judged
    first = dates[0]
    if first > latest:  # rule 8
        judged.breaches.append(
            (
                first,
                f"no review in the data from {iso(reviews_from)} to {iso(first)}: one was "
                f"due by {iso(latest)} at the latest",
            )
        )
    judged.not_judged.append(  # rule 7
        f"review {iso(first)} is taken as the anchor (it may not be the first); the next is "
        f"allowed {whole_months(t.later_within)}"
    )
    judged.due = after(first, t.later_within)
    for d in dates[1:]:  # rule 9
        if d > judged.due:
            judged.breaches.append((d, f"review {iso(d)} was after its due date {iso(judged.due)}"))
        judged.due = after(d, t.later_within)
    return judged


def _reasons(judged: _Judgement, period: Period, scope: ReviewScope) -> list[str]:
    """The reasons the child is not met: the breaches in scope (rule 10; those out of scope
    are added to ``not_judged``) and an overdue review (rule 4)."""
    reasons: list[str] = []
    for held, message in judged.breaches:
        if scope == "period" and held < period.start:  # rule 10
            judged.not_judged.append(f"{message} (held before {iso(period.start)})")
        else:
            reasons.append(message)
    overdue = judged.overdue if judged.overdue is not None else period.end > judged.due
    if overdue:  # rule 4
        reasons.append(
            f"a review was due by {iso(judged.due)} and none was held by {iso(period.end)}"
        )
    return reasons
