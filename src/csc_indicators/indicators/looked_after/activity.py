"""Looked-after activity counts: children looked after on the period end, children who started
and ceased to be looked after (by reason), and unaccompanied asylum-seeking children. Each is a
count, or a rate per 10,000 children when the 0-17 population is given."""

from __future__ import annotations

from collections.abc import Iterable

from ...codes import (
    CEASED_ADOPTED,
    CEASED_RETURNED_HOME,
    CEASED_SPECIAL_GUARDIANSHIP,
    SHORT_BREAK_LEGAL_STATUSES,
)
from ...periods import Period
from ...records.looked_after import Child, Episode
from ...registry import register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import count_kind, iso
from ._shared import histories, in_period_or_end, looked_after_at_end

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
    id="lac_at_period_end",
    title="Children looked after at the end of the period",
    family="looked after",
    unit="child looked after on the period end",
    polarity=Polarity.CONTEXT,
    source="SSDA903; DfE children looked after in England (looked after at 31 March)",
    spec_page="indicators/lac_at_period_end.md",
    inputs=("episodes",),
    uses_population=True,
)
def lac_at_period_end(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children looked after on ``period.end`` (an episode covers that day), excluding by
    default those on a short break (V3/V4) that day."""
    b = ResultBuilder(count_kind(population))
    for cid, h in histories(episodes, b, as_of=period.end).items():
        e, why = looked_after_at_end(h, period, exclude_short_breaks=exclude_short_breaks)
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
        else:
            b.count(
                cid, e, True, details={"legal_status": e.legal_status, "placement": e.placement}
            )
    return b.build(
        "lac_at_period_end",
        "Children looked after at the end of the period",
        period,
        {"population": population, "exclude_short_breaks": exclude_short_breaks},
    )


@register(
    id="lac_started",
    title="Children who started to be looked after in the period",
    family="looked after",
    unit="child starting a period of care in the period (first occasion)",
    polarity=Polarity.CONTEXT,
    source="SSDA903; DfE children looked after in England (started to be looked after)",
    spec_page="indicators/lac_started.md",
    inputs=("episodes",),
    uses_population=True,
)
def lac_started(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children who started a period of care (first episode RNE S) in the period, each child
    counted once, on the first occasion; later starts are excluded outcomes."""
    b = ResultBuilder(count_kind(population))
    for cid, h in histories(episodes, b, as_of=period.end).items():
        counted = False
        for poc in h.periods:
            if poc.start not in period:
                continue
            first = poc.episodes[0]
            if first.reason_new_episode != "S":
                b.exclude(
                    cid,
                    first,
                    f"first episode has RNE {first.reason_new_episode}, "
                    "not S: the data begin part-way through a period of care",
                )
            elif exclude_short_breaks and first.legal_status in SHORT_BREAK_LEGAL_STATUSES:
                b.exclude(cid, first, f"short break (legal status {first.legal_status})")
            elif counted:
                b.exclude(
                    cid, first, "started again in the period; only the first occasion is counted"
                )
            else:
                counted = True
                b.count(cid, first, True, details={"started": iso(poc.start)})
    return b.build(
        "lac_started",
        "Children who started to be looked after in the period",
        period,
        {"population": population, "exclude_short_breaks": exclude_short_breaks},
    )


def lac_ceased(
    episodes: Iterable[Episode],
    period: Period,
    *,
    reasons: frozenset[str] | None = None,
    population: int | None = None,
    exclude_short_breaks: bool = True,
    indicator: str = "lac_ceased",
    title: str = "Children who ceased to be looked after in the period",
) -> IndicatorResult:
    """Children whose period of care ended in the period, each child counted once, on the last
    occasion (earlier endings are excluded outcomes). REC X1 never ends a period of care: a
    last episode ending X1 with no episode following it is excluded with a reason and
    reported (decision D17). With ``reasons``, only children whose
    last ending had one of those reasons (REC) are counted; the others are excluded outcomes
    naming their reason, so the outcomes give the whole breakdown."""
    b = ResultBuilder(count_kind(population))
    for cid, h in histories(episodes, b, as_of=period.end).items():
        ended = [p for p in h.periods if p.end is not None and p.end in period]
        last_counted = max(
            (
                n
                for n, p in enumerate(ended)
                if p.ceased
                and not (
                    exclude_short_breaks
                    and p.episodes[-1].legal_status in SHORT_BREAK_LEGAL_STATUSES
                )
            ),
            default=-1,
        )
        for n, poc in enumerate(ended):
            last = poc.episodes[-1]
            rec = poc.reason_ceased or "-"
            details = {"ceased": iso(poc.end), "reason_ceased": rec}
            if not poc.ceased:
                b.exclude(
                    cid,
                    last,
                    f"the last episode ended {iso(poc.end)} with reason X1 (a new episode "
                    "follows) but no episode follows: not a cessation (decision D17)",
                    details=details,
                )
            elif exclude_short_breaks and last.legal_status in SHORT_BREAK_LEGAL_STATUSES:
                b.exclude(
                    cid, last, f"short break (legal status {last.legal_status})", details=details
                )
            elif n < last_counted:
                b.exclude(
                    cid,
                    last,
                    "ceased again later in the period; only the last occasion is counted",
                    details=details,
                )
            elif reasons is not None and rec not in reasons:
                b.exclude(
                    cid,
                    last,
                    f"ceased for reason {rec}, not one of {', '.join(sorted(reasons))}",
                    details=details,
                )
            else:
                b.count(cid, last, True, details=details)
    params: dict[str, object] = {
        "population": population,
        "exclude_short_breaks": exclude_short_breaks,
    }
    if reasons is not None:
        params["reasons"] = tuple(sorted(reasons))
    return b.build(indicator, title, period, params)


register(
    id="lac_ceased",
    title="Children who ceased to be looked after in the period",
    family="looked after",
    unit="child ceasing to be looked after in the period (last occasion)",
    polarity=Polarity.CONTEXT,
    source="SSDA903; DfE children looked after in England (ceased to be looked after)",
    spec_page="indicators/lac_ceased.md",
    inputs=("episodes",),
    uses_population=True,
)(lac_ceased)


@register(
    id="lac_ceased_adopted",
    title="Children who ceased to be looked after because they were adopted",
    family="looked after",
    unit="child ceasing to be looked after in the period (last occasion), reason E11/E12",
    polarity=Polarity.CONTEXT,
    source="SSDA903 REC E11, E12; DfE children looked after in England",
    spec_page="indicators/lac_ceased_adopted.md",
    inputs=("episodes",),
    uses_population=True,
)
def lac_ceased_adopted(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children whose last ending in the period was an adoption (REC E11 or E12)."""
    return lac_ceased(
        episodes,
        period,
        reasons=CEASED_ADOPTED,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
        indicator="lac_ceased_adopted",
        title="Children who ceased to be looked after because they were adopted",
    )


@register(
    id="lac_ceased_special_guardianship",
    title="Children who ceased to be looked after under a special guardianship order",
    family="looked after",
    unit="child ceasing to be looked after in the period (last occasion), reason E45-E48",
    polarity=Polarity.CONTEXT,
    source="SSDA903 REC E45-E48; DfE children looked after in England",
    spec_page="indicators/lac_ceased_special_guardianship.md",
    inputs=("episodes",),
    uses_population=True,
)
def lac_ceased_special_guardianship(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children whose last ending in the period was a special guardianship order."""
    return lac_ceased(
        episodes,
        period,
        reasons=CEASED_SPECIAL_GUARDIANSHIP,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
        indicator="lac_ceased_special_guardianship",
        title="Children who ceased to be looked after under a special guardianship order",
    )


@register(
    id="lac_ceased_returned_home",
    title="Children who ceased to be looked after to live with parents or relatives",
    family="looked after",
    unit="child ceasing to be looked after in the period (last occasion), reason E4A/E4B/E13",
    polarity=Polarity.CONTEXT,
    source="SSDA903 REC E4A, E4B, E13; DfE children looked after in England",
    spec_page="indicators/lac_ceased_returned_home.md",
    inputs=("episodes",),
    uses_population=True,
)
def lac_ceased_returned_home(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children whose last ending in the period was a return home or to relatives."""
    return lac_ceased(
        episodes,
        period,
        reasons=CEASED_RETURNED_HOME,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
        indicator="lac_ceased_returned_home",
        title="Children who ceased to be looked after to live with parents or relatives",
    )


@register(
    id="uasc_looked_after_at_period_end",
    title="Unaccompanied asylum-seeking children looked after at the end of the period",
    family="looked after",
    unit="child looked after on the period end",
    polarity=Polarity.CONTEXT,
    source="SSDA903 UASC table; DfE children looked after in England (UASC)",
    spec_page="indicators/uasc_looked_after_at_period_end.md",
    inputs=("episodes", "children"),
    uses_population=True,
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
    Looked-after children who were not UASC that day are excluded outcomes."""
    b = ResultBuilder(count_kind(population))
    hs = histories(episodes, b, as_of=period.end)
    uasc: dict[str, Child] = {}
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
    for cid, h in hs.items():
        e, why = in_period_or_end(h, period)
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        child = uasc.get(cid)
        if child is None or not child.uasc:
            b.exclude(cid, e, "not an unaccompanied asylum-seeking child")
        elif child.uasc_ceased is not None and child.uasc_ceased <= period.end:
            b.exclude(cid, e, f"UASC status ceased on {iso(child.uasc_ceased)}")
        else:
            b.count(cid, e, True)
    return b.build(
        "uasc_looked_after_at_period_end",
        "Unaccompanied asylum-seeking children looked after at the end of the period",
        period,
        {"population": population},
    )
