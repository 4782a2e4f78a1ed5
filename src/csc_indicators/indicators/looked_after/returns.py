"""Children who returned to care within 12 months of leaving it (decision D13).

Specification: ``docs/indicators/returned_to_care_within_12_months.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from ...care_history import PeriodOfCare
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...durations import Interval, after
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso
from ._shared import histories

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
    b = ResultBuilder(returned_to_care_within_12_months)
    for cid, h in histories(episodes, b, as_of=period.end).items():
        prev: PeriodOfCare | None = None
        for poc in h.periods:
            first = poc.episodes[0]
            short = exclude_short_breaks and first.legal_status in SHORT_BREAK_LEGAL_STATUSES
            if poc.start not in period:
                if not short:
                    prev = poc  # rule 3
                continue
            if short:  # rule 2
                b.exclude(cid, first, f"short break (legal status {first.legal_status})")
                continue
            before, prev = prev, poc
            if first.reason_new_episode != "S":  # rule 1
                b.exclude(
                    cid,
                    first,
                    f"first episode has RNE {first.reason_new_episode}, not "
                    "S: not a start of care (the data begin part-way "
                    "through a period of care, or follow a gap)",
                )
                continue
            if before is None:  # rule 3
                b.count(
                    cid,
                    first,
                    False,
                    reason="no earlier period of care in the data",
                    details={"started": iso(poc.start), "previous_end": iso(None)},
                )
                continue
            assert before.end is not None  # an open period never precedes another one
            gap = (poc.start - before.end).days  # rule 4
            b.count(
                cid,
                first,
                poc.start <= after(before.end, window),
                gap,
                details={
                    "started": iso(poc.start),
                    "previous_end": iso(before.end),
                    "previous_reason_ceased": before.reason_ceased or "-",
                },
            )
    return b.build(
        period,
        {"window": window, "exclude_short_breaks": exclude_short_breaks},
    )
