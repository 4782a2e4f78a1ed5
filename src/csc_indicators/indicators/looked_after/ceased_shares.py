"""Shares of the children who ceased to be looked after: adopted (LAIT measure 208) and left
care under a special guardianship order (LAIT measure 390), as percentages of the children who
ceased to be looked after in the period (the cohort of :func:`lac_ceased`).

Specifications: ``docs/indicators/lac_ceased_adopted_percent.md`` and
``docs/indicators/lac_ceased_special_guardianship_percent.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ...codes import CEASED_ADOPTED, CEASED_SPECIAL_GUARDIANSHIP
from ...decisions import Decisions
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Outcome, Polarity, ResultBuilder, keeping_outcomes
from ._over import SUMMARY, HistoriesOver
from .activity import lac_ceased
from .ceased import LAST, ceased_details, endings, why_not_ceased

__all__ = [
    "ceased_cohort",
    "lac_ceased_adopted_percent",
    "lac_ceased_special_guardianship_percent",
]


def ceased_cohort(
    b: ResultBuilder, episodes: Iterable[Episode], period: Period, *, exclude_short_breaks: bool
) -> list[Outcome]:
    """The outcomes of :func:`lac_ceased` (the children who ceased to be looked after in the
    period, last occasion, decision D17, short breaks excluded by default), always with their
    outcomes, whatever the caller's summary mode; its data issues are added to ``b``."""
    with keeping_outcomes(True):
        cohort = lac_ceased(episodes, period, exclude_short_breaks=exclude_short_breaks)
    for i in cohort.issues:
        b.issue(i.message, i.child_id, i.record, i.kind)
    return list(cohort.outcomes)


def _met_reason(rec: str, met: bool, wanted: str) -> str:
    return f"ceased for reason {rec} ({'one' if met else 'not one'} of {wanted})"


def _share(
    of: Callable[..., IndicatorResult],
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    reasons: frozenset[str],
    exclude_short_breaks: bool,
) -> list[IndicatorResult]:
    d = Decisions(of, periods)
    over = HistoriesOver(d, episodes, periods)
    keep = d.keep
    wanted = ", ".join(sorted(reasons))
    for cid, poc, what, day, ns in endings(over, episodes, exclude_short_breaks):
        last = poc.episodes[-1]
        details = ceased_details(poc) if keep else None
        if what != LAST:  # rule 1: out of the cohort, with lac_ceased's reason
            why = why_not_ceased(what, poc) if keep else SUMMARY
            d.exclude(cid, last, why, details=details, day=day, periods=ns)
            continue
        rec = poc.reason_ceased or "-"
        met = rec in reasons  # rule 2
        told = _met_reason(rec, met, wanted) if keep else None
        d.count(cid, last, met, None, told, details, day=day, periods=ns)
    return d.results(
        {"exclude_short_breaks": exclude_short_breaks, "reasons": tuple(sorted(reasons))}
    )


@register(
    title="Children ceasing to be looked after in the period who were adopted",
    short_title="Ceased to be looked after: adopted (%)",
    family=Family.LOOKED_AFTER,
    unit="child ceasing to be looked after in the period (last occasion)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 REC E11, E12",
        "DfE LAIT measure 208 (children looked after who were adopted in the year, %)",
        "DfE children looked after in England: children who ceased to be looked after",
    ),
    lait_code=208,
    ees="CLA ceasing by characteristics",
)
def lac_ceased_adopted_percent(
    episodes: Iterable[Episode], period: Period, *, exclude_short_breaks: bool = True
) -> IndicatorResult:
    """The percentage of the children who ceased to be looked after in the period (the
    :func:`lac_ceased` cohort: last occasion, X1 never a cessation, short breaks excluded by
    default) whose last ending was an adoption (REC E11 or E12).

    Rules (numbered as on the specification page):

    1. The denominator is the cohort of :func:`lac_ceased` with the same
       ``exclude_short_breaks``: each child whose period of care ended in the period, on the
       last occasion; its exclusions are kept with their reasons.
    2. Met when that last ending had reason E11 or E12.
    """
    return _lac_ceased_adopted_percent_over(
        episodes, [period], exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_ceased_adopted_percent)
def _lac_ceased_adopted_percent_over(
    episodes: Iterable[Episode], periods: Sequence[Period], *, exclude_short_breaks: bool = True
) -> list[IndicatorResult]:
    """:func:`lac_ceased_adopted_percent` over many periods at once."""
    return _share(
        lac_ceased_adopted_percent, episodes, periods, CEASED_ADOPTED, exclude_short_breaks
    )


@register(
    title="Children ceasing to be looked after in the period under a special guardianship order",
    short_title="Ceased to be looked after: SGO (%)",
    family=Family.LOOKED_AFTER,
    unit="child ceasing to be looked after in the period (last occasion)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 REC E45, E46, E47, E48",
        "DfE LAIT measure 390 (children who ceased to be looked after because of a special "
        "guardianship order)",
        "DfE children looked after in England: children who ceased to be looked after",
    ),
    lait_code=390,
    ees="CLA ceasing by characteristics",
)
def lac_ceased_special_guardianship_percent(
    episodes: Iterable[Episode], period: Period, *, exclude_short_breaks: bool = True
) -> IndicatorResult:
    """The percentage of the children who ceased to be looked after in the period (the
    :func:`lac_ceased` cohort) whose last ending was a special guardianship order (REC E45,
    E46, E47 or E48).

    Rules (numbered as on the specification page):

    1. The denominator is the cohort of :func:`lac_ceased` with the same
       ``exclude_short_breaks``: each child whose period of care ended in the period, on the
       last occasion; its exclusions are kept with their reasons.
    2. Met when that last ending had reason E45, E46, E47 or E48.
    """
    return _lac_ceased_special_guardianship_percent_over(
        episodes, [period], exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_ceased_special_guardianship_percent)
def _lac_ceased_special_guardianship_percent_over(
    episodes: Iterable[Episode], periods: Sequence[Period], *, exclude_short_breaks: bool = True
) -> list[IndicatorResult]:
    """:func:`lac_ceased_special_guardianship_percent` over many periods at once."""
    return _share(
        lac_ceased_special_guardianship_percent,
        episodes,
        periods,
        CEASED_SPECIAL_GUARDIANSHIP,
        exclude_short_breaks,
    )
