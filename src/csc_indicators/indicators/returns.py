"""Children who returned to care within 12 months of leaving it (decision D13)."""

from __future__ import annotations

from collections.abc import Iterable

from ..periods import Period
from ..records.looked_after import Episode
from ..registry import register
from ..results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from ._common import iso
from ._lac import histories

__all__ = ["returned_to_care_within_12_months"]


@register(
    id="returned_to_care_within_12_months",
    title="Periods of care starting within 12 months of the previous one ending",
    family="looked after",
    unit="period of care starting in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    source="SSDA903 episodes (periods of care); local measure following DfE's re-referral "
           "methodology",
    spec_page="indicators/returned_to_care_within_12_months.md",
    inputs=("episodes",),
)
def returned_to_care_within_12_months(
    episodes: Iterable[Episode],
    period: Period,
    *,
    window_days: int = 365,
) -> IndicatorResult:
    """Each period of care starting in the period; met when the same child's previous period
    of care ended at most ``window_days`` calendar days before this one started."""
    b = ResultBuilder(ValueKind.PERCENTAGE)
    for cid, h in histories(episodes, b).items():
        for n, poc in enumerate(h.periods):
            if poc.start not in period:
                continue
            first = poc.episodes[0]
            if first.reason_new_episode != "S":
                b.exclude(cid, first, f"first episode has RNE {first.reason_new_episode}, not "
                                      "S: not a start of care (the data begin part-way "
                                      "through a period of care, or follow a gap)")
                continue
            if n == 0:
                b.count(cid, first, False, reason="no earlier period of care in the data",
                        details={"started": iso(poc.start), "previous_end": iso(None)})
                continue
            prev = h.periods[n - 1]
            assert prev.end is not None  # an open period never precedes another one
            gap = (poc.start - prev.end).days
            b.count(cid, first, gap <= window_days, gap,
                    details={"started": iso(poc.start), "previous_end": iso(prev.end),
                             "previous_reason_ceased": prev.reason_ceased or "-"})
    return b.build("returned_to_care_within_12_months",
                   "Periods of care starting within 12 months of the previous one ending",
                   period, {"window_days": window_days})
