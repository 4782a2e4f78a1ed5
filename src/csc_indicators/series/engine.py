"""The series: indicators over many periods, maybe broken down, computed as one.

:func:`series` gives, for every indicator and period, exactly what
``scorecard(bundle, period)`` gives for it, and for a breakdown, the same outcomes split into
groups.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ..bundle import Bundle
from ..calendar import WorkingDayCalendar
from ..periods import Period
from ..registry import INDICATORS, IndicatorSpec
from ..results import IndicatorResult, Outcome, ValueKind
from ..scoring import _order, scorecard
from .grouping import Grouping, GroupOf, grouping_of
from .table import Series, SeriesCell
from .usage import group_date, usage_of

__all__ = ["Computed", "assemble", "select_specs", "series"]

Computed = IndicatorResult | str
"""What one indicator gives over one period: its result, or why it is not computed."""


def select_specs(
    registry: Mapping[str, IndicatorSpec] | None, indicators: Iterable[str] | None
) -> list[IndicatorSpec]:
    """The specs in scorecard order, only ``indicators`` when given.

    Raises:
        KeyError: ``indicators`` names an indicator that is not registered.
    """
    source = INDICATORS if registry is None else registry
    specs = _order(source)
    if indicators is None:
        return specs
    wanted = tuple(indicators)
    for ident in wanted:
        if ident not in source:
            raise KeyError(f"no indicator is registered as {ident!r}")
    return [s for s in specs if s.id in wanted]


def series(
    bundle: Bundle,
    periods: Iterable[Period],
    *,
    indicators: Iterable[str] | None = None,
    by: str | Grouping | None = None,
    outcomes: bool = False,
    population: int | None = None,
    calendar: WorkingDayCalendar | None = None,
    registry: Mapping[str, IndicatorSpec] | None = None,
) -> Series:
    """Every indicator over every period, maybe broken down into groups.

    Each cell holds what ``scorecard(bundle, period)`` gives for that indicator (numerator,
    denominator, value; with ``outcomes=True`` the outcomes too), or for a breakdown, the
    figures of the outcomes of one group.

    Args:
        bundle: the records.
        periods: the periods, in the order the series lists them (see
            :func:`~csc_indicators.monthly_periods`).
        indicators: only these indicator ids (default: every indicator of the registry).
        by: a breakdown: a name of :data:`~csc_indicators.DIMENSIONS` (``age_band``,
            ``sex``...) or a grouping object such as a :class:`~csc_indicators.Lookup`.
        outcomes: keep each cell's per-record outcomes.
        population: the 0-17 population, for the rates per 10,000 (a breakdown's cells of a
            rate give the group's count).
        calendar: the working-day calendar (default: England and Wales).
        registry: the indicators to consider (default: :data:`csc_indicators.INDICATORS`).

    Returns:
        A :class:`~csc_indicators.Series`: cells by indicator (scorecard order), period (in
        the order given) and group.

    Raises:
        KeyError: ``indicators`` names an indicator that is not registered.
        ValueError: ``by`` names no dimension.
    """
    grouping = grouping_of(by)
    specs = select_specs(registry, indicators)
    wanted = tuple(periods)
    results = _compute(
        bundle,
        wanted,
        specs,
        keep=outcomes or grouping is not None,
        population=population,
        calendar=calendar,
        registry=registry,
    )
    return assemble(bundle, wanted, specs, results, grouping, outcomes=outcomes)


def _compute(
    bundle: Bundle,
    periods: Sequence[Period],
    specs: Sequence[IndicatorSpec],
    *,
    keep: bool,
    population: int | None,
    calendar: WorkingDayCalendar | None,
    registry: Mapping[str, IndicatorSpec] | None,
) -> dict[tuple[str, int], Computed]:
    """One scorecard per distinct period (the straightforward way)."""
    out: dict[tuple[str, int], Computed] = {}
    done: dict[tuple[_dt.date, _dt.date], dict[str, Computed]] = {}
    ids = tuple(s.id for s in specs)
    for n, period in enumerate(periods):
        key = (period.start, period.end)
        if key not in done:
            card = scorecard(
                bundle,
                period,
                population=population,
                calendar=calendar,
                registry=registry,
                indicators=ids,
                outcomes=keep,
            )
            got: dict[str, Computed] = {r.indicator: r for r in card.results}
            got.update({x.indicator: x.reason for x in card.not_computed})
            done[key] = got
        for spec in specs:
            value = done[key][spec.id]
            if isinstance(value, IndicatorResult) and value.period.kind is not period.kind:
                value = attrs.evolve(value, period=period)
            out[(spec.id, n)] = value
    return out


# -- from results to cells ---------------------------------------------------------------------


def _figures(result: IndicatorResult, outs: Sequence[Outcome]) -> IndicatorResult:
    """The result restricted to some of its outcomes (a group's), with their figures."""
    counted = [o for o in outs if o.counted]
    kind = result.kind
    if kind is ValueKind.MEAN:
        numerator = sum(int(o.measure or 0) for o in counted)
    elif kind in (ValueKind.COUNT, ValueKind.RATE_PER_10K):
        numerator = len(counted)
        kind = ValueKind.COUNT  # a group's share of a rate of the whole population: a count
    else:
        numerator = sum(1 for o in counted if o.met)
    return attrs.evolve(
        result,
        numerator=numerator,
        denominator=len(counted),
        kind=kind,
        outcomes=tuple(outs),
        decimals=0 if kind is ValueKind.COUNT else result.decimals,
    )


def _cell(
    spec: IndicatorSpec,
    period: Period,
    group: str | None,
    computed: Computed,
    *,
    outcomes: bool,
) -> SeriesCell:
    if isinstance(computed, str):
        return SeriesCell(
            spec.id,
            spec.title,
            period,
            group,
            None,
            None,
            None,
            None,
            spec.kind,
            status="not computed",
            reason=computed,
        )
    return SeriesCell(
        spec.id,
        spec.title,
        period,
        group,
        computed.numerator,
        computed.denominator,
        computed.value,
        computed.rounded_value,
        computed.kind,
        outcomes=computed.outcomes if outcomes else (),
        issues=computed.issues,
    )


def assemble(
    bundle: Bundle,
    periods: Sequence[Period],
    specs: Sequence[IndicatorSpec],
    results: Mapping[tuple[str, int], Computed],
    grouping: Grouping | None,
    *,
    outcomes: bool,
) -> Series:
    """The series of per-(indicator, period index) results, broken down by ``grouping``."""
    cells: list[SeriesCell] = []
    ids = tuple(s.id for s in specs)
    if grouping is None:
        for spec in specs:
            for n, period in enumerate(periods):
                cells.append(_cell(spec, period, None, results[(spec.id, n)], outcomes=outcomes))
        return Series(tuple(cells), tuple(periods), ids)
    group_of: GroupOf = grouping.bind(bundle)
    split: dict[tuple[str, int], dict[str, list[Outcome]]] = {}
    seen: set[str] = set(grouping.known_groups())
    for spec in specs:
        use = usage_of(spec.id)
        for n, period in enumerate(periods):
            computed = results[(spec.id, n)]
            if isinstance(computed, str):
                continue
            parts: dict[str, list[Outcome]] = {}
            end = period.end
            for o in computed.outcomes:
                parts.setdefault(group_of(o, group_date(use, o, end)), []).append(o)
            seen.update(parts)
            split[(spec.id, n)] = parts
    groups = tuple(grouping.order(seen))
    for spec in specs:
        for n, period in enumerate(periods):
            computed = results[(spec.id, n)]
            parts = split.get((spec.id, n), {})
            for g in groups:
                value = computed
                if isinstance(computed, IndicatorResult):
                    value = _figures(computed, parts.get(g, ()))
                cells.append(_cell(spec, period, g, value, outcomes=outcomes))
    return Series(tuple(cells), tuple(periods), ids, groups, grouping.name)
