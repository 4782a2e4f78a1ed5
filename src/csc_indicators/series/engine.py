"""The series: indicators over many periods, maybe broken down, computed as one.

:func:`series` gives, for every indicator and period, exactly what
``scorecard(bundle, period)`` gives for it, and for a breakdown, the same outcomes split into
groups.

:func:`assemble` (in :mod:`~csc_indicators.series.assembly`, importable from here too) turns
the results into the table's cells.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from .._collector import collector_paused
from ..builder import GroupTallies
from ..bundle import Bundle
from ..calendar import WorkingDayCalendar
from ..care_history import known_as_of
from ..errors import CscIndicatorsError
from ..params import check_parameters
from ..periods import Period
from ..registry import INDICATORS, IndicatorSpec
from ..results import keeping_outcomes
from ..scoring import _order, missing_inputs, outside_coverage, run_indicator_over
from .assembly import Breakdown, Computed, assemble
from .grouping import Dimension, Grouping, Lookup, grouping_of
from .table import Series

__all__ = ["Computed", "assemble", "select_specs", "series"]


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
    parameters: Mapping[str, Mapping[str, object]] | None = None,
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
        parameters: documented parameters by indicator id, ``{id: {name: value}}``, as for
            :func:`~csc_indicators.scorecard` (every cell uses them).

    Returns:
        A :class:`~csc_indicators.Series`: cells by indicator (scorecard order), period (in
        the order given) and group.

    Raises:
        KeyError: ``indicators`` names an indicator that is not registered.
        ValueError: ``by`` names no dimension.
        ParameterError: ``parameters`` names an indicator or a parameter that does not exist.
    """
    given = check_parameters(parameters, INDICATORS if registry is None else registry)
    grouping = grouping_of(by)
    specs = select_specs(registry, indicators)
    wanted = tuple(periods)
    # A lookup's groups are known beforehand, and the group of a child with an undated row
    # is known whatever the outcome: the figures of those children are tallied by group as
    # they are decided, with no outcome kept.
    fixed = grouping.fixed_groups() if type(grouping) is Lookup and not outcomes else {}
    tallies = GroupTallies(fixed) if fixed else None
    split = None
    if grouping is not None:
        split = Breakdown(bundle, wanted, grouping, outcomes=outcomes, tallies=tallies)
    with collector_paused():  # nothing built here holds a cycle
        results = _compute(
            bundle,
            wanted,
            specs,
            keep=outcomes or grouping is not None,
            # A built-in breakdown reads each outcome's child and record only: without outcomes
            # shown, bare ones (no reason formatted, no details) give its figures; a lookup's
            # groups are known beforehand, so it needs the counted ones only.
            bare=not outcomes and type(grouping) in (Dimension, Lookup),
            counted_only=not outcomes and type(grouping) is Lookup,
            tallies=tallies,
            population=population,
            calendar=calendar,
            registry=registry,
            parameters=given,
            then=None if split is None else split.add,
        )
        if split is None:
            return assemble(bundle, wanted, specs, results, None, outcomes=outcomes)
        return split.series(specs, results)


def _compute(
    bundle: Bundle,
    periods: Sequence[Period],
    specs: Sequence[IndicatorSpec],
    *,
    keep: bool,
    bare: bool = False,
    counted_only: bool = False,
    tallies: GroupTallies | None = None,
    population: int | None,
    calendar: WorkingDayCalendar | None,
    registry: Mapping[str, IndicatorSpec] | None,
    parameters: Mapping[str, Mapping[str, object]] | None = None,
    then: Callable[[IndicatorSpec, dict[int, Computed]], dict[int, Computed]] | None = None,
) -> dict[tuple[str, int], Computed]:
    """Every indicator over every period, each in one pass over the periods.

    Periods with the same dates share one result (whose ``period`` is the first of them: the
    cells take their period, kind and label from the series' own periods). ``then`` is
    given each indicator's results by period position as soon as they are computed, and
    gives what to keep of them (a breakdown splits them into groups, then drops the
    outcomes it does not show: fewer objects alive, less work for the cycle collector)."""
    distinct: dict[tuple[_dt.date, _dt.date], Period] = {}
    for p in periods:
        distinct.setdefault((p.start, p.end), p)
    run = _Runner(
        bundle,
        keep=keep,
        bare=bare,
        counted_only=counted_only,
        tallies=tallies,
        population=population,
        calendar=calendar,
        parameters=parameters,
    )
    out: dict[tuple[str, int], Computed] = {}
    # Histories on several dates: one build of them all, rebuilt only where a date matters
    # (when an indicator reads episodes).
    several_ends = len({p.end for p in periods}) > 1 and any(
        "episodes" in (*s.inputs, *s.optional_inputs) for s in specs
    )
    with known_as_of(bundle.episodes) if several_ends else contextlib.nullcontext():
        for spec in specs:
            by_dates: dict[tuple[_dt.date, _dt.date], Computed] = {}
            missing = tuple(name for name in spec.inputs if getattr(bundle, name) is None)
            todo: list[Period] = []
            for key, p in distinct.items():
                if missing:
                    by_dates[key] = missing_inputs(missing)
                elif (beyond := outside_coverage(spec, bundle, p)) is not None:
                    by_dates[key] = beyond
                else:
                    todo.append(p)
            if todo:
                for p, got in run.indicator(spec, todo).items():
                    by_dates[(p.start, p.end)] = got
            mine = {n: by_dates[(p.start, p.end)] for n, p in enumerate(periods)}
            if then is not None:
                mine = then(spec, mine)
            for n, value in mine.items():
                out[(spec.id, n)] = value
    return out


class _Runner:
    """Runs each indicator over all the periods at once."""

    def __init__(
        self,
        bundle: Bundle,
        *,
        keep: bool,
        bare: bool = False,
        counted_only: bool = False,
        tallies: GroupTallies | None = None,
        population: int | None,
        calendar: WorkingDayCalendar | None,
        parameters: Mapping[str, Mapping[str, object]] | None = None,
    ) -> None:
        self.bundle = bundle
        self.parameters = parameters or {}
        self.keep = keep
        """Whether the results carry outcomes."""
        self.bare = keep and bare
        """Whether they are bare (:func:`~csc_indicators.builder.bare_outcome`): for figures
        by group only."""
        self.counted_only = self.bare and counted_only
        """Whether only the counted ones are needed (the indicators then run in summary
        mode, keeping them bare)."""
        self.tallies = tallies if self.counted_only else None
        """Where the builders tally by group the counted decisions of the children whose
        group is known beforehand (keeping no outcome of them)."""
        self.population = population
        self.calendar = calendar

    def mode(self) -> tuple[bool, bool]:
        """How the indicators keep their outcomes: the arguments of
        :func:`~csc_indicators.builder.keeping_outcomes`."""
        return (self.keep and not self.counted_only, self.bare)

    def indicator(
        self, spec: IndicatorSpec, periods: Sequence[Period], *, tallied: bool = True
    ) -> dict[Period, Computed]:
        """Every period in one pass: the indicator's own evaluation over periods
        (:func:`~csc_indicators.registry.over_periods`; else one call per period). When it
        fails, each period is run alone: it fails for the periods whose scorecard fails only
        (a date outside the calendar's years...).

        With ``tallied`` (and the runner's :attr:`tallies`), the counted decisions of the
        children whose group is known are tallied by group; if a result is not one a builder
        built (an indicator that changed it), the indicator runs again keeping them bare."""
        keep, bare = self.mode()
        tallies = self.tallies if tallied else None
        try:
            with keeping_outcomes(keep, bare=bare, tallies=tallies):
                got = run_indicator_over(
                    spec,
                    self.bundle,
                    periods,
                    population=self.population,
                    calendar=self.calendar,
                    parameters=self.parameters.get(spec.id),
                )
        except CscIndicatorsError as exc:
            if len(periods) == 1:
                return {periods[0]: f"failed: {exc}"}
            return {p: self.indicator(spec, [p], tallied=tallied)[p] for p in periods}
        if tallies is not None and not all(tallies.holds(r) for r in got):
            return self.indicator(spec, periods, tallied=False)
        out: dict[Period, Computed] = {}
        for p, result in zip(periods, got, strict=True):
            if not (keep or bare) and result.outcomes:  # an indicator that kept them anyway
                result = attrs.evolve(result, outcomes=())
            out[p] = result
        return out
