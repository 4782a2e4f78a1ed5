"""Unaccompanied asylum-seeking children looked after on the period end: a count, or a rate per
10,000 children when the 0-17 population is given.

Importing :mod:`~csc_indicators.indicators.looked_after.activity` registers it, after the other
activity counts; it is importable from there too.

Specification: ``docs/indicators/uasc_looked_after_at_period_end.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...periods import Period
from ...records.looked_after import Child, Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import count_kind, iso, one_each_in_order
from ._shared import exclude_not_open, open_spans, snapshot_decisions, snapshots

__all__ = ["uasc_looked_after_at_period_end"]


@register(
    title="Unaccompanied asylum-seeking children looked after at the end of the period",
    short_title="UASC looked after at period end",
    family=Family.LOOKED_AFTER,
    unit="child looked after on the period end",
    polarity=Polarity.CONTEXT,
    sources=(
        "SSDA903 UASC table",
        "DfE children looked after in England (UASC)",
    ),
    kind=ValueKind.COUNT,
)
def uasc_looked_after_at_period_end(
    episodes: Iterable[Episode],
    children: Iterable[Child],
    period: Period,
    *,
    population: int | None = None,
) -> IndicatorResult:
    """Children looked after on ``period.end`` who were unaccompanied asylum-seeking children
    that day (``uasc`` set and the date UASC status ceased, if any, after ``period.end``).
    Looked-after children who were not UASC that day are excluded outcomes.

    Rules (numbered as on the specification page):

    1. Unit: each child looked after on ``period.end`` (short breaks are not excluded
       separately).
    2. Counted when the child was an unaccompanied asylum-seeking child that day: in the UASC
       table with no date UASC status ceased (DUC) on or before ``period.end``; otherwise
       excluded with a reason.
    3. The value is the count, or a rate per 10,000 with ``population``.

    Args:
        episodes: SSDA903 episodes, any order.
        children: the children's header records (with the UASC table's fields).
        period: the reporting period; the snapshot is ``period.end``.
        population: the 0-17 population, for a rate per 10,000 (``None``: a count).

    References:
        - DfE, *Children looked after in England including adoptions* (methodology and
          national tables).
        - DfE, *SSDA903 children looked after return guide*.
    """
    return _uasc_looked_after_at_period_end_over(
        episodes, children, [period], population=population
    )[0]


@over_periods(uasc_looked_after_at_period_end)
def _uasc_looked_after_at_period_end_over(
    episodes: Iterable[Episode],
    children: Iterable[Child],
    periods: Sequence[Period],
    *,
    population: int | None = None,
) -> list[IndicatorResult]:
    """:func:`uasc_looked_after_at_period_end` over many periods at once: each child decided
    once for all the periods ending on one day, on their history judged on that day."""
    d, spread = snapshot_decisions(
        uasc_looked_after_at_period_end,
        periods,
        count_kind(population),  # rule 3
    )
    keep = d.keep
    snap = snapshots(episodes, d)
    children = children if isinstance(children, (list, tuple)) else list(children)
    uasc = one_each_in_order(children)  # one record per child: nothing to choose
    if uasc is None:
        uasc = {}
        for c in sorted(
            children,
            key=lambda c: (
                c.child_id,
                not c.uasc,
                c.uasc_ceased is None,
                c.uasc_ceased or c.date_of_birth,
            ),
        ):
            uasc.setdefault(c.child_id, c)
    for cid, h, first, stop in snap.runs():
        child = uasc.get(cid)
        if not keep and (child is None or not child.uasc):  # rule 2: never counted
            continue
        where: list[int] = []
        spans = open_spans(h, snap.ends, first, stop)  # rule 1
        if keep:
            exclude_not_open(d, cid, h, snap, first, stop, spans)
        for i, lo, hi in spans:
            e = h.episodes[i]
            for k in range(lo, hi):
                end = snap.ends[k]
                if child is None or not child.uasc:  # rule 2
                    d.exclude(
                        cid, e, "not an unaccompanied asylum-seeking child", periods=snap.at[k]
                    )
                elif child.uasc_ceased is not None and child.uasc_ceased <= end:
                    if keep:
                        d.exclude(
                            cid,
                            e,
                            f"UASC status ceased on {iso(child.uasc_ceased)}",
                            periods=snap.at[k],
                        )
                elif keep:
                    d.count(cid, e, True, periods=snap.at[k])
                else:
                    where.extend(snap.at[k])
        if where:
            d.count(cid, None, True, periods=where)
    return spread(d.results({"population": population}))
