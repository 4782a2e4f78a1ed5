"""Referrals: re-referrals within 12 months of a previous referral (CIN census).

Specification: ``docs/indicators/rereferrals_within_12_months.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from ...periods import Period
from ...records.cin import Referral
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import by_child, iso
from ._shared import first_of_each, referral_key

__all__ = ["rereferrals_within_12_months"]


@register(
    title="Re-referrals within 12 months of a previous referral",
    short_title="Re-referrals within 12 months",
    family=Family.CHILDREN_IN_NEED,
    unit="referral dated in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "CIN census",
        "DfE LAIT measure 271",
        "OSR27/2012 methodology (365 days or less)",
    ),
    lait_code=271,
    ees="C1",
)
def rereferrals_within_12_months(
    referrals: Iterable[Referral],
    period: Period,
    *,
    window_days: int = 365,
    window_months: int | None = None,
) -> IndicatorResult:
    """The percentage of referrals in the period made within 12 months of the same child's
    previous referral.

    Rules (numbered as on the specification page):

    1. Unit: each referral whose date is in the period. Referrals outside it are only
       look-back data.
    2. A second referral of the same child on the same date is a duplicate: reported as a
       ``duplicate`` data issue and excluded with a reason, so the date is counted once.
    3. The previous referral is the child's latest referral dated strictly before this one,
       from every referral supplied (before the period too, NFA referrals included).
    4. Met when ``0 < this - previous <= window_days`` days; or, when ``window_months`` is
       given, when ``this <= previous + window_months`` calendar months (``relativedelta``,
       29 February + 12 months = 28 February), and ``window_days`` is then not used.

    Args:
        referrals: every referral known, of any date.
        period: the reporting period.
        window_days: the look-back in calendar days (default 365, the OSR27/2012 rule).
        window_months: a calendar-month look-back instead (e.g. 12); ``None`` (default) uses
            ``window_days``.

    Returns:
        A percentage result: one outcome per referral in the period, with the days since the
        previous referral as its measure and ``previous_referral_date`` in its details.
    """
    if window_months is not None and window_months < 1:
        raise ValueError(f"window_months must be at least 1, got {window_months!r}")
    if window_months is None and window_days < 1:
        raise ValueError(f"window_days must be at least 1, got {window_days!r}")
    months = None if window_months is None else relativedelta(months=window_months)
    b = ResultBuilder(rereferrals_within_12_months)
    for child_id, items in by_child(referrals, referral_key).items():
        previous: Referral | None = None  # latest referral on an earlier date
        current: Referral | None = None  # the first referral on the current date
        for referral, original in first_of_each(items, lambda r: r.date):
            if original is None:
                if current is not None:
                    previous = current
                current = referral
            if referral.date not in period:  # rule 1
                continue
            if original is not None:  # rule 2
                b.issue(
                    f"two referrals on {iso(referral.date)}: counted once",
                    child_id,
                    referral,
                    kind="duplicate",
                )
                b.exclude(
                    child_id,
                    referral,
                    f"duplicate of the referral of {iso(original.date)} (same child, same date)",
                )
                continue
            if previous is None:  # rule 3
                b.count(
                    child_id,
                    referral,
                    False,
                    None,
                    "no earlier referral",
                    {"previous_referral_date": None},
                )
                continue
            days = (referral.date - previous.date).days
            if months is None:  # rule 4
                met = days <= window_days
                limit = f"{window_days} days"
            else:
                met = referral.date <= previous.date + months
                limit = f"{window_months} months"
            reason = (
                f"previous referral {iso(previous.date)}, {days} days earlier"
                f" ({'within' if met else 'more than'} {limit})"
            )
            b.count(
                child_id,
                referral,
                met,
                days,
                reason,
                {"previous_referral_date": previous.date},
            )
    return b.build(period, {"window_days": window_days, "window_months": window_months})
