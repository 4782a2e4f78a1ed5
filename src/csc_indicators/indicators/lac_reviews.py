"""Looked-after children's statutory reviews held in timescale (Care Planning, Placement and
Case Review (England) Regulations 2010, regulation 33)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from ..calendar import DayCount, WorkingDayCalendar
from ..codes import SHORT_BREAK_LEGAL_STATUSES
from ..periods import Period
from ..records.looked_after import Episode, LookedAfterReview
from ..registry import register
from ..results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from ._common import iso, resolve_calendar
from ._lac import histories, in_period_or_end

__all__ = ["lac_reviews_in_timescale"]


@register(
    id="lac_reviews_in_timescale",
    title="Looked-after children whose reviews were all held in timescale",
    family="looked after",
    unit="child looked after on the period end for at least 20 working days (excluding V3/V4)",
    polarity=Polarity.HIGHER_IS_BETTER,
    source="SSDA903 Reviews; Care Planning, Placement and Case Review (England) "
           "Regulations 2010, reg. 33",
    spec_page="indicators/lac_reviews_in_timescale.md",
    inputs=("episodes", "reviews"),
    uses_calendar=True,
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
) -> IndicatorResult:
    """Children looked after on ``period.end`` whose every review in the current period of
    care was on time and none is overdue on ``period.end`` (decision D10).

    The first review is due within ``first_limit`` working days of the start of the period of
    care, the second within ``second_months`` calendar months of the first, and each later one
    within ``later_months`` months of the previous one.
    """
    cal = resolve_calendar(calendar)
    b = ResultBuilder(ValueKind.PERCENTAGE)
    hs = histories(episodes, b)
    by_child: dict[str, list[LookedAfterReview]] = {}
    for r in reviews:
        by_child.setdefault(r.child_id, []).append(r)
    for cid, h in hs.items():
        e, why = in_period_or_end(h, period)
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        if e.legal_status in SHORT_BREAK_LEGAL_STATUSES:
            b.exclude(cid, e, f"on a short break (legal status {e.legal_status}) on "
                              f"{iso(period.end)}")
            continue
        poc = h.period_on(period.end)
        assert poc is not None
        start = poc.start
        so_far = cal.working_days(start, period.end, convention)
        if so_far < first_limit:
            b.exclude(cid, e, f"period of care started {iso(start)}, {so_far} working days "
                              f"before {iso(period.end)} (fewer than {first_limit})")
            continue
        dates: list[_dt.date] = []
        for r in sorted(by_child.get(cid, ()), key=lambda r: (r.date, r.participation or "")):
            if not start <= r.date <= period.end:
                continue
            if dates and dates[-1] == r.date:
                b.issue(f"two reviews on {iso(r.date)}; counted once", cid, r, "duplicate")
                continue
            dates.append(r.date)
        late: list[str] = []
        due: _dt.date | None = None
        for n, d in enumerate(dates):
            if n == 0:
                wd = cal.working_days(start, d, convention)
                if wd > first_limit:
                    late.append(f"first review {iso(d)} was {wd} working days after "
                                f"{iso(start)} (limit {first_limit})")
            elif due is not None and d > due:
                late.append(f"review {iso(d)} was after its due date {iso(due)}")
            due = d + relativedelta(months=second_months if n == 0 else later_months)
        if not dates:
            overdue = so_far > first_limit
            next_due = cal.add_working_days(start, first_limit)
        else:
            assert due is not None
            overdue = period.end > due
            next_due = due
        reasons = list(late)
        if overdue:
            reasons.append(f"a review was due by {iso(next_due)} and none was held by "
                           f"{iso(period.end)}")
        b.count(
            cid, e, not reasons, len(dates),
            reason="; ".join(reasons) or None,
            details={
                "period_of_care_start": iso(start),
                "review_dates": tuple(iso(d) for d in dates),
                "next_due": iso(next_due),
            },
        )
    return b.build(
        "lac_reviews_in_timescale",
        "Looked-after children whose reviews were all held in timescale",
        period,
        {
            "calendar": cal,
            "convention": convention,
            "first_limit": first_limit,
            "second_months": second_months,
            "later_months": later_months,
        },
    )
