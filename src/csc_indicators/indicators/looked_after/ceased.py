"""Children who ceased to be looked after in the period: all of them (:func:`lac_ceased`, by
reason with ``reasons``), and those adopted, under a special guardianship order, or returned to
parents or relatives. Each is a count, or a rate per 10,000 children when the 0-17 population
is given; all four follow the rules of :func:`lac_ceased`.

Importing :mod:`~csc_indicators.indicators.looked_after.activity` registers them, after the
counts on the period end and of starts; they are importable from there too.

Each is evaluated over many periods at once (:func:`~csc_indicators.registry.over_periods`)
by :func:`cessations`, which the shares of :mod:`.ceased_shares` and :mod:`.leaving_care` use
too: an ending is decided once, placed by its date, unless the child ceased again later (it is
then the last occasion only in the periods ending before that) or the child's history depends
on the period end (decision D15: twin episodes, a period of care ending X1), decided period by
period.

Specifications: ``docs/indicators/lac_ceased.md`` and the three ``lac_ceased_*`` pages.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..._history_cache import remembered
from ...care_history import PeriodOfCare
from ...codes import (
    CEASED_ADOPTED,
    CEASED_RETURNED_HOME,
    CEASED_SPECIAL_GUARDIANSHIP,
    SHORT_BREAK_LEGAL_STATUSES,
)
from ...decisions import Decisions
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import count_kind, iso
from ._over import SUMMARY, HistoriesOver

__all__ = [
    "lac_ceased",
    "lac_ceased_adopted",
    "lac_ceased_returned_home",
    "lac_ceased_special_guardianship",
]

NOT_CEASED, SHORT_BREAK, CEASED_AGAIN, LAST = range(4)
"""What :func:`cessations` says of an ending: not a cessation (X1, rule 2), a short break
(rule 3), the child ceased again later in the period (rule 4), or the child's last occasion."""

Cessation = tuple[str, PeriodOfCare, int, _dt.date | None, tuple[int, ...] | list[int] | None]
"""An ending decided by :func:`cessations`: the child, the period of care, what it is, and
where the decision goes (the ``day=`` and ``periods=`` of
:meth:`~csc_indicators.decisions.Decisions.count`)."""


def cessations(over: HistoriesOver, exclude_short_breaks: bool) -> Iterator[Cessation]:
    """Every period of care ending in the periods, in child order, decided by rules 1 to 4 of
    :func:`lac_ceased` (the last occasion: no other ending counted later in the period).

    An ending is placed by its date, except that one followed by another counted ending of
    the child is the last occasion only in the periods ending before that one: it is pinned,
    as the last occasion to those, as an earlier occasion to the others."""
    short_breaks = SHORT_BREAK_LEGAL_STATUSES if exclude_short_breaks else frozenset()
    for cid, h, where in over.children():
        first, last, pin = where.first, where.last, where.pin
        ended = [  # rule 1
            p
            for p in h.periods
            if (e := p.episodes[-1].end_date) is not None and first <= e <= last
        ]
        if not ended:
            continue
        # The end of the next counted ending after each one (rules 2 to 4).
        following: list[_dt.date | None] = [None] * len(ended)
        nxt: _dt.date | None = None
        for k in range(len(ended) - 1, -1, -1):
            following[k] = nxt
            p = ended[k]
            if p.ceased and p.episodes[-1].legal_status not in short_breaks:
                nxt = p.end
        for k, poc in enumerate(ended):
            day = poc.end
            assert day is not None
            if not poc.ceased:  # rule 2
                what = NOT_CEASED
            elif poc.episodes[-1].legal_status in short_breaks:  # rule 3
                what = SHORT_BREAK
            elif (later := following[k]) is None or later > last:
                what = LAST
            else:  # rule 4: the last occasion only in a period ending before the next one
                holding = where.holding(day)
                again = [n for n in holding if where.periods[n].end >= later]
                if again:
                    yield cid, poc, CEASED_AGAIN, None, again
                once = [n for n in holding if where.periods[n].end < later]
                if once:
                    yield cid, poc, LAST, None, once
                continue
            if pin is None:
                yield cid, poc, what, day, None
            else:
                yield cid, poc, what, None, pin


def endings(
    over: HistoriesOver, episodes: Iterable[Episode], exclude_short_breaks: bool
) -> Sequence[Cessation]:
    """What :func:`cessations` gives, made once for every indicator of a series reading these
    very ``episodes`` (remembered while their histories are, as in a series)."""
    return remembered(
        episodes,
        ("cessations", over.periods, exclude_short_breaks),
        lambda: list(cessations(over, exclude_short_breaks)),
    )


def why_not_ceased(what: int, poc: PeriodOfCare) -> str:
    """The reason an ending is not counted (rules 2 to 4), for :func:`cessations`' verdicts
    other than :data:`LAST`."""
    last = poc.episodes[-1]
    if what == NOT_CEASED:
        return (
            f"the last episode ended {iso(poc.end)} with reason X1 (a new episode follows) but "
            "no episode follows: not a cessation (decision D17)"
        )
    if what == SHORT_BREAK:
        return f"short break (legal status {last.legal_status})"
    return "ceased again later in the period; only the last occasion is counted"


def ceased_details(poc: PeriodOfCare) -> dict[str, object]:
    """The details of an ending's outcome."""
    return {"ceased": iso(poc.end), "reason_ceased": poc.reason_ceased or "-"}


def _not_one_of(rec: str, reasons: frozenset[str]) -> str:
    return f"ceased for reason {rec}, not one of {', '.join(sorted(reasons))}"


def _ceased(
    of: Callable[..., IndicatorResult],
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    reasons: frozenset[str] | None = None,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """The ceased indicators: rules 1 to 5 of :func:`lac_ceased` (``reasons`` for rule 5),
    over many periods."""
    d = Decisions(of, periods, count_kind(population))
    over = HistoriesOver(d, episodes, periods)
    keep = d.keep
    for cid, poc, what, day, ns in endings(over, episodes, exclude_short_breaks):
        last = poc.episodes[-1]
        details = ceased_details(poc) if keep else None
        if what != LAST:  # rules 2 to 4
            why = why_not_ceased(what, poc) if keep else SUMMARY
            d.exclude(cid, last, why, details=details, day=day, periods=ns)
        elif reasons is not None and (rec := poc.reason_ceased or "-") not in reasons:  # rule 5
            why = _not_one_of(rec, reasons) if keep else SUMMARY
            d.exclude(cid, last, why, details=details, day=day, periods=ns)
        else:
            d.count(cid, last, True, details=details, day=day, periods=ns)
    params: dict[str, object] = {
        "population": population,
        "exclude_short_breaks": exclude_short_breaks,
    }
    if reasons is not None:
        params["reasons"] = tuple(sorted(reasons))
    return d.results(params)


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
    return _lac_ceased_over(
        episodes,
        [period],
        reasons=reasons,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
    )[0]


@over_periods(lac_ceased)
def _lac_ceased_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    reasons: frozenset[str] | None = None,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_ceased` over many periods at once."""
    return _ceased(
        lac_ceased,
        episodes,
        periods,
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
    return _lac_ceased_adopted_over(
        episodes, [period], population=population, exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_ceased_adopted)
def _lac_ceased_adopted_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_ceased_adopted` over many periods at once."""
    return _ceased(
        lac_ceased_adopted,
        episodes,
        periods,
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
    return _lac_ceased_special_guardianship_over(
        episodes, [period], population=population, exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_ceased_special_guardianship)
def _lac_ceased_special_guardianship_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_ceased_special_guardianship` over many periods at once."""
    return _ceased(
        lac_ceased_special_guardianship,
        episodes,
        periods,
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
    return _lac_ceased_returned_home_over(
        episodes, [period], population=population, exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_ceased_returned_home)
def _lac_ceased_returned_home_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    population: int | None = None,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_ceased_returned_home` over many periods at once."""
    return _ceased(
        lac_ceased_returned_home,
        episodes,
        periods,
        reasons=CEASED_RETURNED_HOME,
        population=population,
        exclude_short_breaks=exclude_short_breaks,
    )
