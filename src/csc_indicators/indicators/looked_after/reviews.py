"""Looked-after children's statutory reviews held in timescale (Care Planning, Placement and
Case Review (England) Regulations 2010, regulation 33)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from ...calendar import DayCount, WorkingDayCalendar
from ...periods import Period
from ...records.looked_after import Episode, LookedAfterReview
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso, resolve_calendar
from ..children_in_need._shared import working_days_or_reason
from ._shared import histories, looked_after_at_end

__all__ = ["lac_reviews_in_timescale"]


_SCOPES = ("period_of_care", "period")


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
    second_months: int = 3,
    later_months: int = 6,
    reviews_from: _dt.date | None = None,
    scope: str = "period_of_care",
) -> IndicatorResult:
    """Children looked after on ``period.end`` whose every review in the current period of
    care was on time and none is overdue on ``period.end`` (decision D10).

    The first review is due within ``first_limit`` working days of the start of the period of
    care, the second within ``second_months`` calendar months of the first, and each later one
    within ``later_months`` months of the previous one.

    Args:
        reviews_from: the first date the review data covers (an SSDA903 Reviews table holds
            only the reviews of its own collection year, so this is 1 April of the earliest
            return loaded; the scorecard passes it). A child whose period of care started
            earlier is never failed on reviews that could not be in the data: the earliest
            review in the data is taken as the anchor without being judged, and the next one
            is allowed ``later_months`` (it may have followed an earlier review that is not
            in the data). ``None`` (default): the data hold every review.
        scope: ``"period_of_care"`` (default, D10: every review of the current period of
            care is judged) or ``"period"`` (only what happened in the reporting period: a
            late review held before ``period.start`` is not judged, as in the former
            national indicator NI 66).
    """
    if scope not in _SCOPES:
        raise ValueError(f"scope must be one of {_SCOPES}, got {scope!r}")
    cal = resolve_calendar(calendar)
    b = ResultBuilder(lac_reviews_in_timescale)
    hs = histories(episodes, b, as_of=period.end)
    by_child: dict[str, list[LookedAfterReview]] = {}
    for r in reviews:
        by_child.setdefault(r.child_id, []).append(r)
    longest = relativedelta(months=max(second_months, later_months))
    for cid, h in hs.items():
        e, why = looked_after_at_end(h, period)
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        poc = h.period_on(period.end)
        assert poc is not None
        start = poc.start
        counted, problem = working_days_or_reason(cal, start, period.end, convention)
        if counted is None:
            assert problem is not None
            b.issue(problem, cid, e, "calendar")
            b.exclude(cid, e, problem)
            continue
        so_far = counted
        if so_far < first_limit:
            b.exclude(
                cid,
                e,
                f"period of care started {iso(start)}, {so_far} working days "
                f"before {iso(period.end)} (fewer than {first_limit})",
            )
            continue
        dates: list[_dt.date] = []
        for r in sorted(by_child.get(cid, ()), key=lambda r: (r.date, r.participation or "")):
            if not start <= r.date <= period.end:
                continue
            if dates and dates[-1] == r.date:
                b.issue(f"two reviews on {iso(r.date)}; counted once", cid, r, "duplicate")
                continue
            dates.append(r.date)
        # Each breach: (the date the late review was held, the message).
        breaches: list[tuple[_dt.date, str]] = []
        not_judged: list[str] = []
        due: _dt.date
        overdue: bool | None = None  # None: overdue when period.end is after ``due``
        if reviews_from is not None and start < reviews_from:
            # The data begin part-way through the period of care: the reviews before
            # reviews_from are unknown. The latest a review could have been due after the
            # data begin: the last unseen review the day before, plus the longest interval
            # (or the first review's deadline, if that is later).
            latest = max(
                cal.add_working_days(start, first_limit),
                reviews_from - _dt.timedelta(days=1) + longest,
            )
            not_judged.append(f"reviews before {iso(reviews_from)} are not in the data")
            if dates:
                first = dates[0]
                if first > latest:
                    breaches.append(
                        (
                            first,
                            f"no review in the data from {iso(reviews_from)} "
                            f"to {iso(first)}: one was due by {iso(latest)} "
                            "at the latest",
                        )
                    )
                not_judged.append(
                    f"review {iso(first)} is taken as the anchor (it may not "
                    f"be the first); the next is allowed {later_months} months"
                )
                due = first + relativedelta(months=later_months)
                rest = dates[1:]
            else:
                due = latest
                rest = []
            for d in rest:
                if d > due:
                    breaches.append((d, f"review {iso(d)} was after its due date {iso(due)}"))
                due = d + relativedelta(months=later_months)
        else:
            due = cal.add_working_days(start, first_limit)
            if not dates:  # the first review's deadline is counted in working days
                overdue = so_far > first_limit
            for n, d in enumerate(dates):
                if n == 0:
                    wd = cal.working_days(start, d, convention)
                    if wd > first_limit:
                        breaches.append(
                            (
                                d,
                                f"first review {iso(d)} was {wd} working days "
                                f"after {iso(start)} (limit {first_limit})",
                            )
                        )
                elif d > due:
                    breaches.append((d, f"review {iso(d)} was after its due date {iso(due)}"))
                due = d + relativedelta(months=second_months if n == 0 else later_months)
        reasons: list[str] = []
        for held, message in breaches:
            if scope == "period" and held < period.start:
                not_judged.append(f"{message} (held before {iso(period.start)})")
            else:
                reasons.append(message)
        if overdue if overdue is not None else period.end > due:
            reasons.append(f"a review was due by {iso(due)} and none was held by {iso(period.end)}")
        b.count(
            cid,
            e,
            not reasons,
            len(dates),
            reason="; ".join(reasons) or None,
            details={
                "period_of_care_start": iso(start),
                "review_dates": tuple(iso(d) for d in dates),
                "next_due": iso(due),
                "not_judged": tuple(not_judged),
            },
        )
    return b.build(
        period,
        {
            "calendar": cal,
            "convention": convention,
            "first_limit": first_limit,
            "second_months": second_months,
            "later_months": later_months,
            "reviews_from": reviews_from,
            "scope": scope,
        },
    )
