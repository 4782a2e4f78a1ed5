"""Looked-after children's statutory reviews held in timescale (Care Planning, Placement and
Case Review (England) Regulations 2010, regulation 33).

Specification: ``docs/indicators/lac_reviews_in_timescale.md``. How one child's reviews are
judged (:class:`~._review_timeline.Reviews`) is in the private ``_review_timeline`` module.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Literal, get_args

from dateutil.relativedelta import relativedelta

from ...calendar import DayCount, WorkingDayCalendar
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...durations import Interval
from ...periods import Period
from ...records.looked_after import Episode, LookedAfterReview
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso, resolve_calendar
from ..children_in_need._shared import working_days_or_reason
from ._review_timeline import Judgement, Reviews, Timescale
from ._shared import (
    Snapshots,
    exclude_not_open,
    exclude_short_break,
    merged_counts,
    open_spans,
    snapshot_decisions,
    snapshots,
)

__all__ = ["ReviewScope", "lac_reviews_in_timescale"]

ReviewScope = Literal["period_of_care", "period"]
"""Which reviews are judged: every review of the current period of care (decision D10), or
only what happened in the reporting period (the former NI 66)."""
_SCOPES: tuple[ReviewScope, ...] = get_args(ReviewScope)


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
    return _lac_reviews_in_timescale_over(
        episodes,
        reviews,
        [period],
        calendar=calendar,
        convention=convention,
        first_limit=first_limit,
        second_within=second_within,
        later_within=later_within,
        reviews_from=reviews_from,
        scope=scope,
    )[0]


@over_periods(lac_reviews_in_timescale)
def _lac_reviews_in_timescale_over(
    episodes: Iterable[Episode],
    reviews: Iterable[LookedAfterReview],
    periods: Sequence[Period],
    *,
    calendar: WorkingDayCalendar | None = None,
    convention: DayCount = DayCount.EXCLUSIVE_START,
    first_limit: int = 20,
    second_within: Interval = relativedelta(months=3),  # noqa: B008
    later_within: Interval = relativedelta(months=6),  # noqa: B008
    reviews_from: _dt.date | None = None,
    scope: ReviewScope = "period_of_care",
) -> list[IndicatorResult]:
    """:func:`lac_reviews_in_timescale` over many periods at once: each child decided once for
    all the periods ending on one day (with ``scope="period"``, starting on one day too), on
    their history judged on that day; the reviews of a period of care are judged once for
    each number of them held by a period end."""
    if scope not in _SCOPES:
        raise ValueError(f"scope must be one of {_SCOPES}, got {scope!r}")
    cal = resolve_calendar(calendar)
    timescale = Timescale(cal, convention, first_limit, second_within, later_within)
    d, spread = snapshot_decisions(lac_reviews_in_timescale, periods, by_start=scope == "period")
    keep = d.keep
    snap = snapshots(episodes, d)
    # Rule 10: with scope="period", the periods ending on one day, by their start.
    groups: list[list[tuple[_dt.date | None, Sequence[int]]]] = []
    for where in snap.at:
        if scope == "period":
            by_start: dict[_dt.date, list[int]] = {}
            for n in where:
                by_start.setdefault(d.periods[n].start, []).append(n)
            groups.append([(start, tuple(ns)) for start, ns in by_start.items()])
        else:
            groups.append([(None, where)])
    by_child: dict[str, list[LookedAfterReview]] = {}
    for r in reviews:
        by_child.setdefault(r.child_id, []).append(r)
    # Without outcomes, every review of the period of care judged: the ends where a child's
    # figures are the same are counted together.
    together = not keep and scope == "period_of_care"
    for cid, h, first, stop in snap.runs():
        tally: dict[tuple[bool, int | None], list[int]] = {}
        spans = open_spans(h, snap.ends, first, stop)  # rule 1
        if keep:
            exclude_not_open(d, cid, h, snap, first, stop, spans)
        for i, lo, hi in spans:
            e = h.episodes[i]
            if e.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 1
                if keep:
                    exclude_short_break(d, cid, e, snap, lo, hi)
                continue
            start = h.periods[h.period_of[i]].start
            held = Reviews(  # rule 5
                timescale, start, by_child.get(cid, ()), reviews_from, words=keep
            )
            if together and _together(tally, held, snap, lo, hi):
                held.report(d, cid)
                continue
            for k in range(lo, hi):
                end, where = snap.ends[k], snap.at[k]
                so_far, problem = working_days_or_reason(cal, start, end, convention)
                if so_far is None:
                    assert problem is not None
                    d.issue(problem, cid, e, "calendar", periods=where)
                    d.exclude(cid, e, problem, periods=where)
                    continue
                if so_far < first_limit:  # rule 1
                    if keep:
                        d.exclude(
                            cid,
                            e,
                            f"period of care started {iso(start)}, {so_far} working days "
                            f"before {iso(end)} (fewer than {first_limit})",
                            periods=where,
                        )
                    continue
                m = held.by(end, where)  # rule 5
                judged = held.judged(m)  # rules 2-3 and 6-9
                if judged.first_due_in_working_days:  # rule 4
                    overdue = so_far > first_limit
                else:
                    overdue = end > judged.due
                for period_start, within in groups[k]:
                    reasons, unjudged = _reasons(judged, period_start, end, scope, overdue)
                    if not keep:
                        tally.setdefault((not reasons, m), []).extend(within)
                        continue
                    d.count(
                        cid,
                        e,
                        not reasons,
                        m,
                        reason="; ".join(reasons) or None,
                        details={
                            "period_of_care_start": iso(start),
                            "review_dates": tuple(iso(x) for x in held.dates[:m]),
                            "next_due": iso(judged.due),
                            "not_judged": (*judged.not_judged, *unjudged),
                        },
                        periods=within,
                    )
            held.report(d, cid)
        if tally:
            merged_counts(d, cid, tally)
    return spread(
        d.results(
            {
                "calendar": cal,
                "convention": convention,
                "first_limit": first_limit,
                "second_within": second_within,
                "later_within": later_within,
                "reviews_from": reviews_from,
                "scope": scope,
            }
        )
    )


def _together(
    tally: dict[tuple[bool, int | None], list[int]],
    held: Reviews,
    snap: Snapshots,
    lo: int,
    hi: int,
) -> bool:
    """Without outcomes, every review of the period of care judged (``scope`` period of
    care): the child, open on each of ``snap.ends[lo:hi]``, counted in ``tally`` by runs of
    ends with the same figures (the same reviews held, overdue or not); ``False``, with
    nothing done, when the working days to one of the ends cannot be counted."""
    t, start, ends = held.timescale, held.start, snap.ends
    cal, convention, limit = t.cal, t.convention, t.first_limit
    if any(
        working_days_or_reason(cal, start, ends[k], convention)[0] is None for k in (lo, hi - 1)
    ):
        return False  # the calendar does not cover them (reported end by end)
    k = lo
    # Rule 1: the working days from the start never fall as the end moves on.
    while k < hi and cal.working_days(start, ends[k], convention) < limit:
        k += 1
    dates = held.dates
    while k < hi:
        m = bisect.bisect_right(dates, ends[k])  # rule 5
        # The ends before the next review are judged on the same reviews.
        b = bisect.bisect_left(ends, dates[m], k + 1, hi) if m < len(dates) else hi
        held.held(m, snap.positions(k, b))
        due, breaches, _, in_working_days = held.state(m)  # rules 2-3 and 6-9
        if in_working_days:  # rule 4, end by end
            for j in range(k, b):
                overdue = cal.working_days(start, ends[j], convention) > limit
                met = not breaches and not overdue
                tally.setdefault((met, m), []).extend(snap.at[j])
        else:  # rule 4: overdue after the due date
            c = bisect.bisect_right(ends, due, k, b)
            if c > k:
                tally.setdefault((not breaches, m), []).extend(snap.positions(k, c))
            if b > c:
                tally.setdefault((False, m), []).extend(snap.positions(c, b))
        k = b
    return True


def _reasons(
    judged: Judgement,
    period_start: _dt.date | None,
    end: _dt.date,
    scope: ReviewScope,
    overdue: bool,
) -> tuple[list[str], list[str]]:
    """The reasons the child is not met: the breaches in scope and an overdue review (rule
    4); and the breaches out of scope (rule 10, held before ``period_start``), not judged."""
    reasons: list[str] = []
    unjudged: list[str] = []
    for held, message in judged.breaches:
        if scope == "period" and period_start is not None and held < period_start:  # rule 10
            unjudged.append(f"{message} (held before {iso(period_start)})")
        else:
            reasons.append(message)
    if overdue:  # rule 4
        reasons.append(f"a review was due by {iso(judged.due)} and none was held by {iso(end)}")
    return reasons, unjudged
