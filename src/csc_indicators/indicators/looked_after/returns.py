"""Children who returned to care within 12 months of leaving it (decision D13).

Evaluated over many periods at once (:func:`~csc_indicators.registry.over_periods`): each
period of care is decided once, placed by its start, since the previous period of care does
not depend on the reporting period; a child whose history depends on the period end (decision
D15: twin episodes, a period of care ending X1) is decided period by period.

Specification: ``docs/indicators/returned_to_care_within_12_months.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence

from ...care_history import PeriodOfCare
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Decisions
from ...durations import Interval, after
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso
from ._over import SUMMARY, HistoriesOver

__all__ = ["returned_to_care_within_12_months"]


@register(
    title="Periods of care starting within 12 months of the previous one ending",
    short_title="Returned to care within 12 months",
    family=Family.LOOKED_AFTER,
    unit="period of care starting in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903 episodes (periods of care)",
        "local measure following DfE's re-referral methodology",
    ),
)
def returned_to_care_within_12_months(
    episodes: Iterable[Episode],
    period: Period,
    *,
    window: Interval = _dt.timedelta(days=365),
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Each period of care starting in the period; met when the same child's previous period
    of care ended at most ``window`` (365 days) before this one started.

    Rules (numbered as on the specification page):

    1. Unit: each period of care starting in the period whose first episode has RNE S; one
       starting with another RNE is excluded with a reason (not a start of care).
    2. Short breaks: with ``exclude_short_breaks`` (default), a period of care whose first
       episode has legal status V3 or V4 (each break of a series is recorded as a new start)
       is excluded with a reason and is never the previous period of care.
    3. The previous period of care is the child's latest earlier one in all the episodes
       supplied (before the period too); with none, the outcome is counted and not met.
    4. Measure: calendar days from the previous period's end to this start. Met when this
       start is on or before the previous end plus ``window`` (0 days is met).

    Args:
        episodes: SSDA903 episodes, any order.
        period: the reporting period.
        window: how soon after the previous end a start is a return (365 days).
        exclude_short_breaks: leave short-break periods of care out (rule 2).

    References:
        - DfE, *SSDA903 children looked after return guide*: reason for new episode S and
          the reasons episode ceased (REC).
        - DfE, *Characteristics of children in need* methodology (OSR27/2012): a
          re-referral is within 365 days of the previous referral, the rule this local
          measure follows for periods of care.
    """
    return _returned_to_care_over(
        episodes, [period], window=window, exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(returned_to_care_within_12_months)
def _returned_to_care_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    window: Interval = _dt.timedelta(days=365),
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`returned_to_care_within_12_months` over many periods at once."""
    d = Decisions(returned_to_care_within_12_months, periods)
    over = HistoriesOver(d, episodes, periods)
    keep = d.keep
    short_breaks = SHORT_BREAK_LEGAL_STATUSES if exclude_short_breaks else frozenset()
    for cid, h, where in over.children():
        first_day, last_day, pin = where.first, where.last, where.pin
        prev: PeriodOfCare | None = None
        for poc in h.periods:
            first = poc.episodes[0]
            short = first.legal_status in short_breaks
            start = poc.start
            if not first_day <= start <= last_day:
                if not short:
                    prev = poc  # rule 3
                continue
            day = start if pin is None else None
            if short:  # rule 2
                why = _short_break(first) if keep else SUMMARY
                d.exclude(cid, first, why, day=day, periods=pin)
                continue
            before, prev = prev, poc
            if first.reason_new_episode != "S":  # rule 1
                why = _not_a_start(first) if keep else SUMMARY
                d.exclude(cid, first, why, day=day, periods=pin)
                continue
            if before is None:  # rule 3
                d.count(
                    cid,
                    first,
                    False,
                    reason="no earlier period of care in the data",
                    details={"started": iso(start), "previous_end": iso(None)} if keep else None,
                    day=day,
                    periods=pin,
                )
                continue
            assert before.end is not None  # an open period never precedes another one
            gap = (start - before.end).days  # rule 4
            d.count(
                cid,
                first,
                start <= after(before.end, window),
                gap,
                details={
                    "started": iso(start),
                    "previous_end": iso(before.end),
                    "previous_reason_ceased": before.reason_ceased or "-",
                }
                if keep
                else None,
                day=day,
                periods=pin,
            )
    return d.results({"window": window, "exclude_short_breaks": exclude_short_breaks})


def _short_break(first: Episode) -> str:
    return f"short break (legal status {first.legal_status})"


def _not_a_start(first: Episode) -> str:
    return (
        f"first episode has RNE {first.reason_new_episode}, not "
        "S: not a start of care (the data begin part-way "
        "through a period of care, or follow a gap)"
    )
