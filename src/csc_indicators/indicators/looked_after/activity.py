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

import bisect
from collections.abc import Iterable, Sequence

from ...care_history import ChildHistory, PeriodOfCare
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import count_kind, iso
from ._shared import (
    exclude_not_open,
    exclude_short_break,
    open_spans,
    snapshot_decisions,
    snapshots,
)

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
    return _lac_at_period_end_over(
        episodes, [period], population=population, exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_at_period_end)
def _lac_at_period_end_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_at_period_end` over many periods at once: each child decided once for all
    the periods ending on one day, on their history judged on that day."""
    d, spread = snapshot_decisions(lac_at_period_end, periods, count_kind(population))  # rule 3
    keep = d.keep
    snap = snapshots(episodes, d)
    for cid, h, first, stop in snap.runs():
        where: list[int] = []
        spans = open_spans(h, snap.ends, first, stop)  # rule 1
        if keep:
            exclude_not_open(d, cid, h, snap, first, stop, spans)
        for i, lo, hi in spans:
            e = h.episodes[i]
            if exclude_short_breaks and e.legal_status in SHORT_BREAK_LEGAL_STATUSES:
                if keep:  # rule 2
                    exclude_short_break(d, cid, e, snap, lo, hi)
                continue
            if not keep:
                where += snap.positions(lo, hi)
                continue
            details = {"legal_status": e.legal_status, "placement": e.placement}
            for k in range(lo, hi):
                d.count(cid, e, True, details=details, periods=snap.at[k])
        if where:
            d.count(cid, None, True, periods=where)
    return spread(
        d.results({"population": population, "exclude_short_breaks": exclude_short_breaks})
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
    return _lac_started_over(
        episodes, [period], population=population, exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_started)
def _lac_started_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_started` over many periods at once: each start decided once, placed by its
    date; a child who started more than once in the periods' span, or whose periods of care
    depend on the period end (twins, decision D14 judged at the end, D15), is decided period
    by period."""
    d = Decisions(lac_started, periods, count_kind(population))  # rule 4
    keep = d.keep
    snap = snapshots(episodes, d)
    position = {end: k for k, end in enumerate(snap.ends)}
    if not periods:
        return []
    first_day = min(p.start for p in periods)
    last_day = max(p.end for p in periods)
    for cid, runs in snap.children():
        h = runs[0][0]
        # Rule 1: a period of care starts with an episode; the child's histories on every end
        # have the same episode starts.
        eps = h.episodes
        if not eps or eps[-1].start_date < first_day or eps[0].start_date > last_day:
            continue
        starts = h.starts
        i = bisect.bisect_left(starts, first_day)
        if i == len(starts) or starts[i] > last_day:
            continue
        same = all(other.episodes == h.episodes for other, _, _ in runs[1:])
        qualifying = [poc for poc in h.periods if _qualifies(poc, exclude_short_breaks)]
        if same and len(qualifying) <= 1:
            # Each start once, by its date (rule 3 cannot apply); without outcomes, only the
            # start counted.
            for poc in h.periods if keep else qualifying:
                day = poc.episodes[0].start_date
                if not first_day <= day <= last_day:
                    continue
                if keep:
                    _decide_start(d.at(day), cid, poc, exclude_short_breaks, counted=False)
                else:  # the episode starting it: a breakdown's group is the child's then
                    d.count(cid, poc.episodes[0], True, day=day)
            continue
        if same and d.figures_only:
            # Only the figures: the child counted once in each period holding a qualifying
            # start (rules 1 to 3; the later ones are exclusions, not made).
            held_by = {
                n
                for poc in qualifying
                if first_day <= (day := poc.episodes[0].start_date) <= last_day
                for n, p in enumerate(periods)
                if p.start <= day <= p.end
            }
            if held_by:
                d.tally(1, periods=sorted(held_by))
            continue
        on_end = [history for history, first, stop in runs for _ in range(first, stop)]
        for n, period in enumerate(periods):
            held = on_end[position[period.end]]
            _started_in(d.for_period(n), cid, held, period, exclude_short_breaks)
    return d.results({"population": population, "exclude_short_breaks": exclude_short_breaks})


def _qualifies(poc: PeriodOfCare, exclude_short_breaks: bool) -> bool:
    """Whether a period of care starting in a period is a start counted by rules 1 and 2."""
    first = poc.episodes[0]
    return first.reason_new_episode == "S" and not (
        exclude_short_breaks and first.legal_status in SHORT_BREAK_LEGAL_STATUSES
    )


def _started_in(
    b: Sink, cid: str, h: ChildHistory, period: Period, exclude_short_breaks: bool
) -> None:
    """One child's periods of care starting in one period (rules 1 to 3)."""
    counted = False
    for poc in h.periods:
        if poc.start not in period:  # rule 1
            continue
        counted = _decide_start(b, cid, poc, exclude_short_breaks, counted=counted)


def _decide_start(
    b: Sink, cid: str, poc: PeriodOfCare, exclude_short_breaks: bool, *, counted: bool
) -> bool:
    """Rules 1 to 3 for one period of care starting in the period, ``counted`` telling
    whether the child was already counted in it; whether the child is counted now."""
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
        b.exclude(cid, first, "started again in the period; only the first occasion is counted")
    else:
        b.count(cid, first, True, details={"started": iso(poc.start)} if b.keep else None)
        return True
    return counted


# Registered after the counts above, in this order, as they always have been (the registry's
# order is the order `csc-indicators list` shows).
from .ceased import (  # noqa: E402
    lac_ceased,
    lac_ceased_adopted,
    lac_ceased_returned_home,
    lac_ceased_special_guardianship,
)
from .uasc import uasc_looked_after_at_period_end  # noqa: E402
