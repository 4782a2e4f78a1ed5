"""Looked-after activity counts: children looked after on the period end, children who started
and ceased to be looked after (by reason), and unaccompanied asylum-seeking children. Each is a
count, or a rate per 10,000 children when the 0-17 population is given.

This module holds the children looked after on the period end and those who started; the
ceased counts live in :mod:`~csc_indicators.indicators.looked_after.ceased` and the UASC count
in :mod:`~csc_indicators.indicators.looked_after.uasc`. Both are imported at the end of this
module, so that the registry keeps its order (on the period end, started, ceased by reason,
UASC) and every count stays importable from here.

Specifications: ``docs/indicators/lac_at_period_end.md``, ``lac_started.md``, ``lac_ceased.md``
(and the three ``lac_ceased_*`` pages) and ``uasc_looked_after_at_period_end.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from .._common import count_kind, iso
from ._shared import histories, looked_after_at_end

__all__ = [
    "lac_at_period_end",
    "lac_ceased",
    "lac_ceased_adopted",
    "lac_ceased_returned_home",
    "lac_ceased_special_guardianship",
    "lac_started",
    "uasc_looked_after_at_period_end",
]


@register(
    title="Children looked after at the end of the period",
    short_title="Looked after at period end",
    family=Family.LOOKED_AFTER,
    unit="child looked after on the period end",
    polarity=Polarity.CONTEXT,
    sources=(
        "SSDA903",
        "DfE children looked after in England (looked after at 31 March)",
    ),
    kind=ValueKind.COUNT,
)
def lac_at_period_end(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children looked after on ``period.end`` (an episode covers that day), excluding by
    default those on a short break (V3/V4) that day.

    Rules (numbered as on the specification page):

    1. Unit: each child looked after on ``period.end``: an episode covers that day (a last
       episode ending on ``period.end`` means the child ceased that day: excluded).
    2. With ``exclude_short_breaks`` (default), a child on a short break (V3/V4) that day is
       excluded with a reason.
    3. The value is the count, or ``10000 * count / population`` with ``population``.

    Args:
        episodes: SSDA903 episodes, any order.
        period: the reporting period; the snapshot is ``period.end``.
        population: the 0-17 population, for a rate per 10,000 (``None``: a count).
        exclude_short_breaks: leave out children on a short break.

    References:
        - DfE, *Children looked after in England including adoptions* (methodology and
          national tables).
        - DfE, *SSDA903 children looked after return guide*.
    """
    b = ResultBuilder(lac_at_period_end, count_kind(population))
    for cid, h in histories(episodes, b, as_of=period.end).items():
        e, why = looked_after_at_end(  # rules 1 and 2
            h, period, exclude_short_breaks=exclude_short_breaks
        )
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
        else:
            b.count(
                cid, e, True, details={"legal_status": e.legal_status, "placement": e.placement}
            )
    return b.build(
        period,
        {"population": population, "exclude_short_breaks": exclude_short_breaks},
    )


@register(
    title="Children who started to be looked after in the period",
    short_title="Started to be looked after",
    family=Family.LOOKED_AFTER,
    unit="child starting a period of care in the period (first occasion)",
    polarity=Polarity.CONTEXT,
    sources=(
        "SSDA903",
        "DfE children looked after in England (started to be looked after)",
    ),
    kind=ValueKind.COUNT,
)
def lac_started(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children who started a period of care (first episode RNE S) in the period, each child
    counted once, on the first occasion; later starts are excluded outcomes.

    Rules (numbered as on the specification page):

    1. Unit: each period of care starting in the period whose first episode has RNE S (one
       starting with another RNE is excluded: the data begin part-way through it).
    2. With ``exclude_short_breaks`` (default), a period of care starting on a short break
       (V3/V4) is excluded.
    3. Each child is counted once, on the first occasion; later starts are excluded.
    4. The value is the count, or a rate per 10,000 with ``population``.

    Args:
        episodes: SSDA903 episodes, any order.
        period: the reporting period.
        population: the 0-17 population, for a rate per 10,000 (``None``: a count).
        exclude_short_breaks: leave out short breaks.

    References:
        - DfE, *Children looked after in England including adoptions* (methodology and
          national tables).
        - DfE, *SSDA903 children looked after return guide*.
    """
    b = ResultBuilder(lac_started, count_kind(population))
    for cid, h in histories(episodes, b, as_of=period.end).items():
        counted = False
        for poc in h.periods:
            if poc.start not in period:  # rule 1
                continue
            first = poc.episodes[0]
            if first.reason_new_episode != "S":  # rule 1
                b.exclude(
                    cid,
                    first,
                    f"first episode has RNE {first.reason_new_episode}, "
                    "not S: the data begin part-way through a period of care",
                )
            elif exclude_short_breaks and first.legal_status in SHORT_BREAK_LEGAL_STATUSES:
                b.exclude(cid, first, f"short break (legal status {first.legal_status})")  # rule 2
            elif counted:  # rule 3
                b.exclude(
                    cid, first, "started again in the period; only the first occasion is counted"
                )
            else:
                counted = True
                b.count(cid, first, True, details={"started": iso(poc.start)})
    return b.build(
        period,
        {"population": population, "exclude_short_breaks": exclude_short_breaks},
    )


# Registered after the counts above, in this order, as they always have been (the registry's
# order is the order `csc-indicators list` shows).
from .ceased import (  # noqa: E402
    lac_ceased,
    lac_ceased_adopted,
    lac_ceased_returned_home,
    lac_ceased_special_guardianship,
)
from .uasc import uasc_looked_after_at_period_end  # noqa: E402
