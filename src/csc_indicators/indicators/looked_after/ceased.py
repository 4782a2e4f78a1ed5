"""Children who ceased to be looked after in the period: all of them (:func:`lac_ceased`, by
reason with ``reasons``), and those adopted, under a special guardianship order, or returned to
parents or relatives. Each is a count, or a rate per 10,000 children when the 0-17 population
is given; all four follow the rules of :func:`lac_ceased`.

Importing :mod:`~csc_indicators.indicators.looked_after.activity` registers them, after the
counts on the period end and of starts; they are importable from there too.

Specifications: ``docs/indicators/lac_ceased.md`` and the three ``lac_ceased_*`` pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ...codes import (
    CEASED_ADOPTED,
    CEASED_RETURNED_HOME,
    CEASED_SPECIAL_GUARDIANSHIP,
    SHORT_BREAK_LEGAL_STATUSES,
)
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from .._common import count_kind, iso
from ._shared import histories

__all__ = [
    "lac_ceased",
    "lac_ceased_adopted",
    "lac_ceased_returned_home",
    "lac_ceased_special_guardianship",
]


def _ceased(
    of: Callable[..., IndicatorResult],
    episodes: Iterable[Episode],
    period: Period,
    *,
    reasons: frozenset[str] | None = None,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """The ceased indicators: rules 1 to 5 of :func:`lac_ceased` (``reasons`` for rule 5)."""
    b = ResultBuilder(of, count_kind(population))
    for cid, h in histories(episodes, b, as_of=period.end).items():
        ended = [p for p in h.periods if p.end is not None and p.end in period]  # rule 1
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
            if not poc.ceased:  # rule 2
                b.exclude(
                    cid,
                    last,
                    f"the last episode ended {iso(poc.end)} with reason X1 (a new episode "
                    "follows) but no episode follows: not a cessation (decision D17)",
                    details=details,
                )
            elif exclude_short_breaks and last.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 3
                b.exclude(
                    cid, last, f"short break (legal status {last.legal_status})", details=details
                )
            elif n < last_counted:  # rule 4
                b.exclude(
                    cid,
                    last,
                    "ceased again later in the period; only the last occasion is counted",
                    details=details,
                )
            elif reasons is not None and rec not in reasons:  # rule 5
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
    return b.build(period, params)


@register(
    title="Children who ceased to be looked after in the period",
    short_title="Ceased to be looked after",
    family=Family.LOOKED_AFTER,
    unit="child ceasing to be looked after in the period (last occasion)",
    polarity=Polarity.CONTEXT,
    sources=(
        "SSDA903",
        "DfE children looked after in England (ceased to be looked after)",
    ),
    kind=ValueKind.COUNT,
)
def lac_ceased(
    episodes: Iterable[Episode],
    period: Period,
    *,
    reasons: frozenset[str] | None = None,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children whose period of care ended in the period, each child counted once, on the last
    occasion; with ``reasons``, by reason (the outcomes give the whole breakdown).

    Rules (numbered as on the specification page):

    1. Unit: each period of care ending in the period: its last episode's end date is in
       the period (an end on ``period.end`` is in it), with that episode's REC.
    2. REC X1 never ends a period of care (decision D17): a last episode ending X1 with no
       episode following is excluded with a reason and reported (``inconsistent``).
    3. With ``exclude_short_breaks`` (default), a short break's (V3/V4) ending is excluded.
    4. Each child is counted once, on the last occasion; earlier endings are excluded.
    5. With ``reasons``, a child whose last ending had another REC is excluded, naming it.
    6. The value is the count, or a rate per 10,000 with ``population``.

    Args:
        episodes: SSDA903 episodes, any order.
        period: the reporting period.
        reasons: the REC codes counted (``None``: every reason).
        population: the 0-17 population, for a rate per 10,000 (``None``: a count).
        exclude_short_breaks: leave out short breaks.

    References:
        - DfE, *Children looked after in England including adoptions* (methodology and
          national tables).
        - DfE, *SSDA903 children looked after return guide*.
    """
    return _ceased(
        lac_ceased,
        episodes,
        period,
        reasons=reasons,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
    )


@register(
    title="Children who ceased to be looked after because they were adopted",
    short_title="Ceased: adopted",
    family=Family.LOOKED_AFTER,
    unit="child ceasing to be looked after in the period (last occasion), reason E11/E12",
    polarity=Polarity.CONTEXT,
    sources=(
        "SSDA903 REC E11, E12",
        "DfE children looked after in England",
    ),
    kind=ValueKind.COUNT,
)
def lac_ceased_adopted(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children whose last ending in the period was an adoption (REC E11 or E12).

    Rules (numbered as on the specification page):

    1. Unit: each period of care ending in the period: its last episode's end date is in
       the period (an end on ``period.end`` is in it), with that episode's REC.
    2. REC X1 never ends a period of care (decision D17): a last episode ending X1 with no
       episode following is excluded with a reason and reported (``inconsistent``).
    3. With ``exclude_short_breaks`` (default), a short break's (V3/V4) ending is excluded.
    4. Each child is counted once, on the last occasion; earlier endings are excluded.
    5. Counted when the last ending's REC is E11 or E12; another REC is excluded, naming it.
    6. The value is the count, or a rate per 10,000 with ``population``.

    Args:
        episodes, period, population, exclude_short_breaks: as for :func:`lac_ceased`.

    References:
        - DfE, *Children looked after in England including adoptions*; SSDA903 guide (REC).
    """
    return _ceased(
        lac_ceased_adopted,
        episodes,
        period,
        reasons=CEASED_ADOPTED,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
    )


@register(
    title="Children who ceased to be looked after under a special guardianship order",
    short_title="Ceased: special guardianship order",
    family=Family.LOOKED_AFTER,
    unit="child ceasing to be looked after in the period (last occasion), reason E45-E48",
    polarity=Polarity.CONTEXT,
    sources=(
        "SSDA903 REC E45-E48",
        "DfE children looked after in England",
    ),
    kind=ValueKind.COUNT,
)
def lac_ceased_special_guardianship(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children whose last ending in the period was a special guardianship order.

    Rules (numbered as on the specification page):

    1. Unit: each period of care ending in the period: its last episode's end date is in
       the period (an end on ``period.end`` is in it), with that episode's REC.
    2. REC X1 never ends a period of care (decision D17): a last episode ending X1 with no
       episode following is excluded with a reason and reported (``inconsistent``).
    3. With ``exclude_short_breaks`` (default), a short break's (V3/V4) ending is excluded.
    4. Each child is counted once, on the last occasion; earlier endings are excluded.
    5. Counted when the last ending's REC is E45-E48; another REC is excluded, naming it.
    6. The value is the count, or a rate per 10,000 with ``population``.

    Args:
        episodes, period, population, exclude_short_breaks: as for :func:`lac_ceased`.

    References:
        - DfE, *Children looked after in England including adoptions*; SSDA903 guide (REC).
    """
    return _ceased(
        lac_ceased_special_guardianship,
        episodes,
        period,
        reasons=CEASED_SPECIAL_GUARDIANSHIP,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
    )


@register(
    title="Children who ceased to be looked after to live with parents or relatives",
    short_title="Ceased: returned to parents or relatives",
    family=Family.LOOKED_AFTER,
    unit="child ceasing to be looked after in the period (last occasion), reason E4A/E4B/E13",
    polarity=Polarity.CONTEXT,
    sources=(
        "SSDA903 REC E4A, E4B, E13",
        "DfE children looked after in England",
    ),
    kind=ValueKind.COUNT,
)
def lac_ceased_returned_home(
    episodes: Iterable[Episode],
    period: Period,
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children whose last ending in the period was a return home or to relatives.

    Rules (numbered as on the specification page):

    1. Unit: each period of care ending in the period: its last episode's end date is in
       the period (an end on ``period.end`` is in it), with that episode's REC.
    2. REC X1 never ends a period of care (decision D17): a last episode ending X1 with no
       episode following is excluded with a reason and reported (``inconsistent``).
    3. With ``exclude_short_breaks`` (default), a short break's (V3/V4) ending is excluded.
    4. Each child is counted once, on the last occasion; earlier endings are excluded.
    5. Counted when the last ending's REC is E4A, E4B or E13; another REC is excluded, naming it.
    6. The value is the count, or a rate per 10,000 with ``population``.

    Args:
        episodes, period, population, exclude_short_breaks: as for :func:`lac_ceased`.

    References:
        - DfE, *Children looked after in England including adoptions*; SSDA903 guide (REC).
    """
    return _ceased(
        lac_ceased_returned_home,
        episodes,
        period,
        reasons=CEASED_RETURNED_HOME,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
    )
