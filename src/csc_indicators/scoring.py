"""Scoring: every registered indicator a bundle of records allows, in one call (the scorecard).

:func:`scorecard` runs each indicator of the registry whose required inputs the bundle supplies,
in a fixed order (:data:`~csc_indicators.registry.SCORECARD_ORDER`), and
names the indicators it could not compute with the reason: the record kinds missing, or the
error an indicator raised on purpose (a date outside the calendar's years, say).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any

import attrs

from ._collector import collector_paused
from .bundle import LOCAL_ONLY, RECORD_SOURCES, Bundle, SourceInfo, _span
from .calendar import WorkingDayCalendar
from .errors import CscIndicatorsError
from .params import check_parameters
from .periods import Period
from .registry import INDICATORS, SCORECARD_ORDER, Family, IndicatorSpec, over_periods_of
from .results import DataIssue, IndicatorResult, keeping_outcomes

__all__ = [
    "FAMILY_ORDER",
    "NotComputed",
    "Scorecard",
    "missing_inputs",
    "scorecard",
]

FAMILY_ORDER: tuple[Family, ...] = (Family.CHILDREN_IN_NEED, Family.LOOKED_AFTER)
"""The families in scorecard order, for indicators :data:`SCORECARD_ORDER` does not name (in
a registry built at run time): they follow the named ones, by family, in registration order."""


@attrs.frozen(slots=True)
class NotComputed:
    """An indicator the scorecard could not compute, and why."""

    indicator: str
    """The indicator's id."""
    title: str
    """The indicator's title."""
    missing: tuple[str, ...]
    """The record kinds (bundle field names) it needs and the bundle does not supply."""
    reason: str
    """Why, in words."""


@attrs.frozen(slots=True, repr=False)
class Scorecard:
    """The results of every indicator computed, in scorecard order, and those not computed.

    ``repr`` is short: ``Scorecard(2024-25: 45 computed, 1 not computed)``.
    """

    period: Period
    """The reporting period."""
    results: tuple[IndicatorResult, ...]
    """One result per computed indicator, in scorecard order."""
    not_computed: tuple[NotComputed, ...]
    """The indicators left out, in scorecard order, each with its reason."""
    specs: Mapping[str, IndicatorSpec] = attrs.field(eq=False, repr=False)
    """The registry entry of every indicator considered, by id."""
    sources: tuple[SourceInfo, ...] = ()
    """The bundle's sources."""
    issues: tuple[DataIssue, ...] = ()
    """The problems found while reading the bundle (``Bundle.issues``)."""

    def __repr__(self) -> str:
        return (
            f"Scorecard({self.period}: {len(self.results)} computed, "
            f"{len(self.not_computed)} not computed)"
        )

    def __getitem__(self, indicator: str) -> IndicatorResult:
        for result in self.results:
            if result.indicator == indicator:
                return result
        raise KeyError(f"the scorecard has no result for {indicator!r}")

    def __iter__(self) -> Iterator[IndicatorResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per indicator considered, computed or not, in scorecard order:
        indicator, title, family, period, numerator, denominator, value, rounded_value, kind,
        polarity, status (``computed`` or ``not computed``) and reason."""
        out: list[dict[str, Any]] = []
        by_id = {r.indicator: r for r in self.results}
        skipped = {n.indicator: n for n in self.not_computed}
        for indicator, spec in self.specs.items():
            row: dict[str, Any] = {
                "indicator": indicator,
                "title": spec.title,
                "family": str(spec.family),
                "period": str(self.period),
                "numerator": None,
                "denominator": None,
                "value": None,
                "rounded_value": None,
                "kind": str(spec.kind),
                "polarity": str(spec.polarity),
                "status": "computed",
                "reason": "",
            }
            result = by_id.get(indicator)
            if result is not None:
                row.update(
                    numerator=result.numerator,
                    denominator=result.denominator,
                    value=result.value,
                    rounded_value=result.rounded_value,
                    kind=str(result.kind),
                )
            else:
                row.update(status="not computed", reason=skipped[indicator].reason)
            out.append(row)
        return out


_POSITION = {ident: i for i, ident in enumerate(SCORECARD_ORDER)}


def _order(registry: Mapping[str, IndicatorSpec]) -> list[IndicatorSpec]:
    """The specs in scorecard order: those :data:`SCORECARD_ORDER` names in its order, then
    any others by family (:data:`FAMILY_ORDER`) and registration order."""
    specs = list(registry.values())

    def rank(item: tuple[int, IndicatorSpec]) -> tuple[int, int, int]:
        index, spec = item
        if spec.id in _POSITION:
            return (0, _POSITION[spec.id], 0)
        return (1, FAMILY_ORDER.index(spec.family), index)

    return [spec for _, spec in sorted(enumerate(specs), key=rank)]


def run_indicator(
    spec: IndicatorSpec,
    bundle: Bundle,
    period: Period,
    *,
    population: int | None = None,
    calendar: WorkingDayCalendar | None = None,
    parameters: Mapping[str, object] | None = None,
) -> IndicatorResult:
    """Call one registered indicator with the bundle's records, as the scorecard does.

    An indicator that declares :attr:`~csc_indicators.registry.IndicatorSpec.data_from` is
    also told the first date the bundle's data of that kind cover
    (:meth:`~csc_indicators.Bundle.data_from`), when the sources name their years.

    ``parameters`` are this indicator's documented parameters by name (``{"limit": 40}``),
    passed as keyword arguments; check them first with
    :func:`csc_indicators.params.check_parameters` (the scorecard does).

    Raises:
        ValueError: the bundle does not supply one of the indicator's required inputs.
    """
    args, kwargs = _arguments(spec, bundle, population, calendar, parameters)
    return spec.function(*args, period, **kwargs)


def run_indicator_over(
    spec: IndicatorSpec,
    bundle: Bundle,
    periods: Sequence[Period],
    *,
    population: int | None = None,
    calendar: WorkingDayCalendar | None = None,
    parameters: Mapping[str, object] | None = None,
) -> list[IndicatorResult]:
    """:func:`run_indicator` for each of ``periods`` (one result per period, in order), in
    one pass when the indicator has an evaluation over periods
    (:func:`~csc_indicators.registry.over_periods`).

    Raises:
        ValueError: the bundle does not supply one of the indicator's required inputs.
    """
    args, kwargs = _arguments(spec, bundle, population, calendar, parameters)
    many = over_periods_of(spec)
    if many is None:
        return [spec.function(*args, p, **kwargs) for p in periods]
    return many(*args, list(periods), **kwargs)


def _arguments(
    spec: IndicatorSpec,
    bundle: Bundle,
    population: int | None,
    calendar: WorkingDayCalendar | None,
    parameters: Mapping[str, object] | None,
) -> tuple[list[Any], dict[str, Any]]:
    """The positional and keyword arguments the scorecard passes to the indicator."""
    missing = [name for name in spec.inputs if getattr(bundle, name) is None]
    if missing:
        raise ValueError(f"{spec.id} needs {_and(missing)}, which the bundle lacks")
    args = [getattr(bundle, name) for name in spec.inputs]
    kwargs: dict[str, Any] = {
        name: getattr(bundle, name)
        for name in spec.optional_inputs
        if getattr(bundle, name) is not None
    }
    if spec.uses_calendar:
        kwargs["calendar"] = calendar
    if spec.uses_population:
        kwargs["population"] = population
    for keyword, kind in spec.data_from:
        first = bundle.data_from(kind)
        if first is not None:
            kwargs[keyword] = first
    if parameters:
        kwargs.update(parameters)
    return args, kwargs


def outside_coverage(spec: IndicatorSpec, bundle: Bundle, period: Period) -> str | None:
    """Why the bundle's data cannot give the indicator over the period, or ``None`` when they
    can: the period must lie inside the coverage (:meth:`Bundle.coverage`) of every source kind
    of the indicator's required inputs (D18). A source kind whose coverage is unknown (no
    source names its year, as in a bundle built by hand) does not stop it."""
    kinds = dict.fromkeys(k for n in spec.inputs if (k := RECORD_SOURCES.get(n)) is not None)
    for kind in kinds:
        cover = bundle.coverage(kind)
        if cover is None or (cover.start <= period.start and period.end <= cover.end):
            continue
        if period.start < cover.start and period.end > cover.end:
            where = f"the period runs from {_span(period)}"
        elif period.end > cover.end:
            where = f"the period ends {_span(period).split(' to ')[1]}"
        else:
            where = f"the period starts {_span(period).split(' to ')[0]}"
        return f"the {kind} data cover {_span(cover)}; {where}"
    return None


def scorecard(
    bundle: Bundle,
    period: Period,
    *,
    population: int | None = None,
    calendar: WorkingDayCalendar | None = None,
    parameters: Mapping[str, Mapping[str, object]] | None = None,
    registry: Mapping[str, IndicatorSpec] | None = None,
    indicators: tuple[str, ...] | None = None,
    progress: Callable[[int, int, IndicatorSpec], None] | None = None,
    workers: int = 1,
    outcomes: bool = True,
) -> Scorecard:
    """Every registered indicator the bundle allows, over one period.

    Args:
        bundle: the records (for example from :func:`csc_indicators.io.read_cin_census` and
            :func:`csc_indicators.io.read_ssda903`, added together).
        period: the reporting period.
        population: the 0-17 population, for the indicators that give a rate per 10,000
            (without it they give a count).
        calendar: the working-day calendar for the indicators that count working days
            (default: England and Wales).
        parameters: documented parameters of some indicators, by indicator id then name:
            ``{"assessments_within_45_working_days": {"limit": 40}}``. Each indicator is
            called with its own; the others keep their defaults. The results record them
            (``result.parameters``), and :func:`csc_indicators.provenance.provenance` names
            those that differ from the defaults.
        registry: the indicators to consider (default: :data:`csc_indicators.INDICATORS`).
        indicators: only these indicator ids (default: all of the registry).
        progress: called as ``progress(i, n, spec)`` before each indicator runs (in the
            calling process only, so not with ``workers > 1``).
        workers: the number of processes. With more than one, the bundle is split by child
            (:meth:`Bundle.part`), each part's scorecard is computed in its own process, and
            the parts' results are merged (:meth:`IndicatorResult.merge`): the figures and the
            outcomes are the same as with one process, outcomes in the same order. Use it with
            ``outcomes=False``: keeping every outcome, sending them back from the processes
            costs more than splitting the work saves (see the performance page).
        outcomes: keep every result's per-record outcomes (default). ``False`` keeps only the
            figures and data issues, dropping each indicator's outcomes as soon as it is
            computed: for national-scale runs where memory matters more than the breakdown.

    Returns:
        A :class:`Scorecard`: the results in a fixed order (:data:`SCORECARD_ORDER`) and the
        indicators not computed, with the missing inputs named, or the coverage of the data
        when the period is not inside it (D18: the period must lie within the coverage of every
        source kind an indicator needs, :meth:`Bundle.coverage`; a bundle whose sources do not
        name their years is not checked).

    Raises:
        KeyError: ``indicators`` names an indicator that is not registered.
        ParameterError: ``parameters`` names an indicator that is not registered or a
            parameter the indicator does not document (the message lists those it does), or
            ``population`` (give ``population=`` instead).
        ValueError: ``workers`` is less than 1.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    source = INDICATORS if registry is None else registry
    given = check_parameters(parameters, source)
    if workers > 1:
        return _in_parallel(
            bundle,
            period,
            population=population,
            calendar=calendar,
            parameters=given,
            registry=registry,
            indicators=indicators,
            workers=workers,
            outcomes=outcomes,
        )
    specs = _order(source)
    if indicators is not None:
        for wanted in indicators:
            if wanted not in source:
                raise KeyError(f"no indicator is registered as {wanted!r}")
        specs = [s for s in specs if s.id in indicators]
    results: list[IndicatorResult] = []
    skipped: list[NotComputed] = []
    # The collector stays paused between indicators too: a collection there walks every
    # record of the bundle (about 1 s at 16 times a large authority, issue #12).
    with collector_paused():
        for i, spec in enumerate(specs):
            if progress is not None:
                progress(i, len(specs), spec)
            missing = tuple(name for name in spec.inputs if getattr(bundle, name) is None)
            if missing:
                skipped.append(
                    NotComputed(
                        spec.id,
                        spec.title,
                        missing,
                        missing_inputs(missing),
                    )
                )
                continue
            beyond = outside_coverage(spec, bundle, period)
            if beyond is not None:
                skipped.append(NotComputed(spec.id, spec.title, (), beyond))
                continue
            try:
                with keeping_outcomes(outcomes):
                    result = run_indicator(
                        spec,
                        bundle,
                        period,
                        population=population,
                        calendar=calendar,
                        parameters=given.get(spec.id),
                    )
                if not outcomes and result.outcomes:
                    result = attrs.evolve(result, outcomes=())
                results.append(result)
            except CscIndicatorsError as exc:
                skipped.append(NotComputed(spec.id, spec.title, (), f"failed: {exc}"))
    return Scorecard(
        period=period,
        results=tuple(results),
        not_computed=tuple(skipped),
        specs={s.id: s for s in specs},
        sources=bundle.sources,
        issues=bundle.issues,
    )


# -- work split by child across processes ---------------------------------------------------

_SHARED: dict[str, Bundle] = {}
"""The bundle forked worker processes inherit (set only while a pool is running)."""


def _part_scorecard(
    index: int, parts: int, bundle: Bundle | None, period: Period, options: dict[str, Any]
) -> Scorecard:
    whole = _SHARED["bundle"] if bundle is None else bundle
    part = whole.part(index, parts) if bundle is None else whole
    return scorecard(part, period, **options)


def _in_parallel(
    bundle: Bundle,
    period: Period,
    *,
    workers: int,
    registry: Mapping[str, IndicatorSpec] | None,
    **options: Any,
) -> Scorecard:
    if registry is not None and registry is not INDICATORS:
        # A registry built at run time need not exist in a fresh process: run it here.
        return scorecard(bundle, period, registry=registry, **options)
    methods = multiprocessing.get_all_start_methods()
    context: BaseContext
    jobs: list[tuple[int, int, Bundle | None]]
    if "fork" in methods:
        # Children inherit the bundle: nothing is pickled on the way in.
        context = multiprocessing.get_context("fork")
        _SHARED["bundle"] = bundle
        jobs = [(i, workers, None) for i in range(workers)]
    else:  # pragma: no cover - platforms without fork send each part
        context = multiprocessing.get_context()
        jobs = [(i, workers, part) for i, part in enumerate(bundle.partition(workers))]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(_part_scorecard, i, n, part, period, options) for i, n, part in jobs
            ]
            parts = [f.result() for f in futures]
    finally:
        _SHARED.pop("bundle", None)
    return _merge_parts(parts, bundle)


def _merge_parts(parts: list[Scorecard], bundle: Bundle) -> Scorecard:
    first = parts[0]
    merged: list[IndicatorResult] = []
    failed = {n.indicator: n for p in parts for n in p.not_computed}
    # An indicator that failed for any part has no figure: a part of the children is no total.
    ids = [r.indicator for r in first.results if r.indicator not in failed]
    for indicator in ids:
        pieces = [p[indicator] for p in parts]
        total = IndicatorResult.combine(pieces)
        # Each child is wholly in one part and every indicator lists children in id order,
        # so a stable sort by child restores the order a single process gives.
        total = attrs.evolve(
            total,
            outcomes=sorted(total.outcomes, key=lambda o: o.child_id),
            issues=sorted(total.issues, key=lambda i: i.child_id or ""),
        )
        merged.append(total)
    not_computed = tuple(failed[s] for s in first.specs if s in failed)
    return Scorecard(
        period=first.period,
        results=tuple(merged),
        not_computed=not_computed,
        specs=first.specs,
        sources=bundle.sources,
        issues=bundle.issues,
    )


def _and(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def missing_inputs(missing: Sequence[str]) -> str:
    """Why an indicator is not computed when record kinds it needs were not supplied:
    ``needs episodes and children, not supplied`` (with where to get a kind no return holds).
    """
    return f"needs {_and(missing)}, not supplied" + _local_only(tuple(missing))


def _local_only(missing: tuple[str, ...]) -> str:
    """A note when a missing kind is one no return holds: where such records come from."""
    local = [name for name in missing if name in LOCAL_ONLY]
    if not local:
        return ""
    return (
        f" ({_and(tuple(local))}: in no statutory return; build the records in Python and add "
        "them to the bundle)"
    )
