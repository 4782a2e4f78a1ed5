"""Children who returned to care within 12 months of leaving it (decision D13)."""

from __future__ import annotations

from collections.abc import Iterable

from ...care_history import PeriodOfCare
from ...codes import SHORT_BREAK_LEGAL_STATUSES
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
    window_days: int = 365,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Each period of care starting in the period; met when the same child's previous period
    of care ended at most ``window_days`` calendar days before this one started.

    With ``exclude_short_breaks`` (default), a period of care that is a short break (its first
    episode has legal status V3 or V4: each break of a series is recorded as a new start) is
    neither counted nor taken as the previous period of care.
    """
    b = ResultBuilder(returned_to_care_within_12_months)
    for cid, h in histories(episodes, b, as_of=period.end).items():
        prev: PeriodOfCare | None = None
        for poc in h.periods:
            first = poc.episodes[0]
            short = exclude_short_breaks and first.legal_status in SHORT_BREAK_LEGAL_STATUSES
            if poc.start not in period:
                if not short:
                    prev = poc
                continue
            if short:
                b.exclude(cid, first, f"short break (legal status {first.legal_status})")
                continue
            before, prev = prev, poc
            if first.reason_new_episode != "S":
                b.exclude(
                    cid,
                    first,
                    f"first episode has RNE {first.reason_new_episode}, not "
                    "S: not a start of care (the data begin part-way "
                    "through a period of care, or follow a gap)",
                )
                continue
            if before is None:
                b.count(
                    cid,
                    first,
                    False,
                    reason="no earlier period of care in the data",
                    details={"started": iso(poc.start), "previous_end": iso(None)},
                )
                continue
            assert before.end is not None  # an open period never precedes another one
            gap = (poc.start - before.end).days
            b.count(
                cid,
                first,
                gap <= window_days,
                gap,
                details={
                    "started": iso(poc.start),
                    "previous_end": iso(before.end),
                    "previous_reason_ceased": before.reason_ceased or "-",
                },
            )
    return b.build(
        period,
        {"window_days": window_days, "exclude_short_breaks": exclude_short_breaks},
    )
