"""Referrals: re-referrals within 12 months of a previous referral (CIN census).

Specification: ``docs/indicators/rereferrals_within_12_months.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence

from ...durations import Interval, after
from ...periods import Period
from ...records.cin import Referral
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import by_child, iso
from .._twins import select_twins
from ._shared import check_interval, exclude_twin, interval_words, referral_key

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
    window: Interval = _dt.timedelta(days=365),
) -> IndicatorResult:
    """The percentage of referrals in the period made within 12 months of the same child's
    previous referral.

    Rules (numbered as on the specification page):

    1. Unit: each referral whose date is in the period. Referrals outside it are only
       look-back data.
    2. Referrals of the same child on the same date are records of one referral (decision
       D14): one is used, chosen by the shared content rule (the later closure, open latest;
       more recorded detail; then a fixed order); the others are excluded with a reason and
       reported as ``duplicate`` (identical) or ``conflict``, so the date is counted once.
    3. The previous referral is the child's latest referral dated strictly before this one,
       from every referral supplied (before the period too, NFA referrals included). A
       referral with no earlier referral is counted and not met.
    4. Met when ``this <= previous + window``: with the default ``timedelta(days=365)``,
       ``0 < this - previous <= 365`` days; with ``relativedelta(months=12)``, on or before
       the anniversary (29 February + 12 months = 28 February).

    Args:
        referrals: every referral known, of any date.
        period: the reporting period.
        window: the look-back (default 365 days, the OSR27/2012 rule; a
            ``relativedelta(months=12)`` gives calendar months).

    Returns:
        A percentage result: one outcome per referral in the period, with the days since the
        previous referral as its measure and ``previous_referral_date`` in its details.

    Raises:
        TypeError: ``window`` is not a ``timedelta`` or a ``relativedelta``.
        ValueError: ``window`` is not positive.

    References:
        - DfE, Children in need census guide: ``CINreferralDate``.
        - DfE LAIT measure 271: re-referrals within 12 months of a previous referral.
        - Explore Education Statistics, *Children in need: a focus on re-referrals* (table C1).
        - DfE, CIN census methodology note OSR27/2012: "365 days or less".
        - Decisions D2 and D14 (``docs/decisions.md``).
    """
    check_interval("window", window, positive=True)
    b = ResultBuilder(rereferrals_within_12_months)
    for child_id, items in by_child(referrals, referral_key).items():
        if not any(r.date in period for r in items):  # rule 1
            continue
        previous_date = _previous_dates(items)  # rule 3
        pairs = select_twins(
            b,
            child_id,
            items,
            same=lambda r: r.date,
            selected=lambda r: r.date in period,  # rule 1
            noun="referral",
            end=lambda r: r.closure_date,
            as_of=period.end,
        )
        for referral, chosen in pairs:
            if chosen is not None:  # rule 2
                _exclude_same_day(b, child_id, referral, chosen, period.end)
                continue
            _judge_rereferral(b, child_id, referral, previous_date[referral.date], window)
    return b.build(period, {"window": window})


def _previous_dates(items: Sequence[Referral]) -> dict[_dt.date, _dt.date | None]:
    """Rule 3: for each referral date of one child (``items`` sorted by date), the latest
    referral date strictly before it (``None`` for the first)."""
    previous_date: dict[_dt.date, _dt.date | None] = {}
    last: _dt.date | None = None
    for r in items:
        if r.date not in previous_date:
            previous_date[r.date] = last
            last = r.date
    return previous_date


def _exclude_same_day(
    b: ResultBuilder, child_id: str, referral: Referral, chosen: Referral, as_of: _dt.date
) -> None:
    """Rule 2: a second record of the referral of one date is excluded (decision D14)."""
    exclude_twin(
        b,
        child_id,
        referral,
        chosen,
        duplicate_issue=f"two referrals on {iso(referral.date)}: counted once",
        duplicate_reason=f"duplicate of the referral of {iso(chosen.date)} (same child, same date)",
        noun=f"referral of {iso(referral.date)}",
        as_of=as_of,
    )


def _judge_rereferral(
    b: ResultBuilder,
    child_id: str,
    referral: Referral,
    previous: _dt.date | None,
    window: Interval,
) -> None:
    """Rules 3 and 4: count the referral, met when within ``window`` of the previous one."""
    if previous is None:  # rule 3
        b.count(
            child_id,
            referral,
            False,
            None,
            "no earlier referral",
            {"previous_referral_date": None},
        )
        return
    days = (referral.date - previous).days
    met = referral.date <= after(previous, window)  # rule 4
    reason = (
        f"previous referral {iso(previous)}, {days} days earlier"
        f" ({'within' if met else 'more than'} {interval_words(window)})"
    )
    b.count(child_id, referral, met, days, reason, {"previous_referral_date": previous})
