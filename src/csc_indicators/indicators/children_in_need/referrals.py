"""Referrals: re-referrals within 12 months of a previous referral (CIN census).

Specification: ``docs/indicators/rereferrals_within_12_months.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter

# The first indicator module imported: the results module is loaded before the decisions
# engine (the results module and the result builder import each other, results first).
from ... import results as _results  # noqa: F401
from ...decisions import Decisions, Sink
from ...durations import Interval, after
from ...periods import Period
from ...records.cin import Referral
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import iso
from .._twins import select_twins
from ._shared import (
    check_interval,
    exclude_twin,
    interval_words,
    referral_key,
)
from ._span import PeriodSpan, children_with_events

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
    return _rereferrals_over(referrals, [period], window=window)[0]


@over_periods(rereferrals_within_12_months)
def _rereferrals_over(
    referrals: Iterable[Referral],
    periods: Sequence[Period],
    *,
    window: Interval = _dt.timedelta(days=365),
) -> list[IndicatorResult]:
    """:func:`rereferrals_within_12_months` over many periods at once.

    A child with no twins is decided once, each referral placed by its date (its previous
    referral is the one before it); a child with twins is decided period by period (which
    twin is used depends on what is known at the period end, decision D15)."""
    check_interval("window", window, positive=True)
    d = Decisions(rereferrals_within_12_months, periods)
    span = PeriodSpan(periods)
    first, last = span.first, span.last
    keep = d.keep
    # Without any outcome collected, the days of the counted referrals and of those met,
    # tallied at the end; in a breakdown, those of each child whose group is known, by group
    # (the child's group looked up once). The measure only makes a mean's figures.
    bulk = d.spec.kind is not ValueKind.MEAN
    whole: tuple[list[int], list[int]] | None = ([], []) if bulk and d.figures_only else None
    fixed = d.known_groups if bulk else None
    by_group: dict[str, tuple[list[int], list[int]]] = {}
    for child_id, items, twins in children_with_events(
        referrals, _DATED, span, same=_DATED, key=referral_key
    ):
        if twins:
            previous_date = _previous_dates(items)  # rule 3
            for n, period in enumerate(periods):
                _rereferrals_child(d.for_period(n), child_id, items, period, previous_date, window)
            continue
        tallied = whole
        if fixed is not None and (group := fixed.get(child_id)) is not None:
            tallied = by_group.get(group)
            if tallied is None:
                tallied = by_group[group] = ([], [])
        previous: _dt.date | None = None  # rule 3: the referral before (no twins: rule 2)
        for referral in items:
            day = referral.date
            if first <= day <= last:  # rule 1
                met, days, reason, details = _judge_rereferral(referral, previous, window, keep)
                if tallied is None:
                    d.count(child_id, referral, met, days, reason, details, day=day)
                else:
                    tallied[0].append(o := day.toordinal())
                    if met:
                        tallied[1].append(o)
            previous = day
    if whole is not None:
        d.add_counted_days(*whole)
    for group, (counted, met_days) in by_group.items():
        d.add_counted_days(counted, met_days, group=group)
    return d.results({"window": window})


_DATED = attrgetter("date")


def _rereferrals_child(
    b: Sink,
    child_id: str,
    items: list[Referral],
    period: Period,
    previous_date: Mapping[_dt.date, _dt.date | None],
    window: Interval,
) -> None:
    """One child's referrals over one period (rules 1 to 4), twins chosen as known at the
    period end."""
    if not any(r.date in period for r in items):  # rule 1
        return
    pairs = select_twins(
        b,
        child_id,
        items,
        same=attrgetter("date"),
        selected=lambda r: r.date in period,  # rule 1
        noun="referral",
        end=attrgetter("closure_date"),
        as_of=period.end,
    )
    for referral, chosen in pairs:
        if chosen is not None:  # rule 2
            _exclude_same_day(b, child_id, referral, chosen, period.end)
            continue
        met, days, reason, details = _judge_rereferral(
            referral, previous_date[referral.date], window, True
        )
        b.count(child_id, referral, met, days, reason, details)


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
    b: Sink, child_id: str, referral: Referral, chosen: Referral, as_of: _dt.date
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
    referral: Referral,
    previous: _dt.date | None,
    window: Interval,
    keep: bool,
) -> tuple[bool, int | None, str | None, Mapping[str, object] | None]:
    """Rules 3 and 4: whether the referral is within ``window`` of the previous one, the days
    since it, and (when ``keep``) the reason and details of the counted outcome."""
    if previous is None:  # rule 3
        if not keep:
            return False, None, None, None
        return False, None, "no earlier referral", {"previous_referral_date": None}
    days = (referral.date - previous).days
    met = referral.date <= after(previous, window)  # rule 4
    if not keep:
        return met, days, None, None
    reason = (
        f"previous referral {iso(previous)}, {days} days earlier"
        f" ({'within' if met else 'more than'} {interval_words(window)})"
    )
    return met, days, reason, {"previous_referral_date": previous}
