"""The reference series: one scorecard per distinct period, outcomes split into groups.

The straightforward implementation the engine replaced; the property tests check the engine
against it (and against ``scorecard`` itself).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from csc_indicators import Bundle, IndicatorResult, IndicatorSpec, Period, WorkingDayCalendar
from csc_indicators.scoring import scorecard
from csc_indicators.series import Grouping, Series
from csc_indicators.series.engine import Computed, assemble, select_specs
from csc_indicators.series.grouping import grouping_of


def reference_series(
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
    """As :func:`csc_indicators.series`, by one scorecard per distinct period."""
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
