"""Building the report: :func:`report` computes every figure, chart and record the report shows
into a :class:`~csc_indicators.report.model.Report`.

The figures come from the library's own functions and nothing else: the monthly series from
:func:`~csc_indicators.series` (in-month, year to date and rolling 12 months for every month),
the latest figure and the records behind it from :func:`~csc_indicators.scorecard` over the
headline period of the last month, and the target, RAG, direction of travel and comparators
from :func:`~csc_indicators.benchmarking.benchmark`. So the report's latest figure of every
indicator is the scorecard's for that period, to the digit.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from collections.abc import Iterable, Mapping, Sequence

from ..benchmarking import (
    ComparatorGroup,
    Comparators,
    Targets,
    benchmark,
    read_comparators,
    read_targets,
)
from ..bundle import Bundle
from ..calendar import WorkingDayCalendar
from ..io.locate import locate
from ..params import check_parameters
from ..periods import PeriodKind
from ..provenance import provenance
from ..registry import INDICATORS, IndicatorSpec
from ..scoring import scorecard
from ..series import Grouping, Lookup, Series, monthly_periods, series
from ..series.engine import select_specs
from ..series.periods import MonthSpec, month_of
from .areas import area_of, definition_of, sections
from .model import HEADLINES, Headline, Panel, Point, Report

__all__ = ["grouping_name", "report"]


def _authority_name(
    given: str | None, comparators: Comparators | None, authority: str | None, bundle: Bundle
) -> str:
    if given:
        return given
    if comparators is not None and authority is not None:
        area = comparators.authority(authority)
        if area.name:
            return area.name
    codes = sorted({s.la_code for s in bundle.sources if s.la_code})
    if codes:
        return f"Local authority {', '.join(codes)}"
    return "Local authority"


def _grouping(by: str | Grouping | None) -> str | Grouping | None:
    """``name=FILE`` reads a lookup file; any other text names a dimension."""
    if isinstance(by, str) and "=" in by:
        name, _, path = by.partition("=")
        return Lookup.from_csv(path.strip(), name=name.strip() or None)
    return by


def report(
    bundle: Bundle,
    *,
    to: MonthSpec,
    months: int = 12,
    targets: Targets | str | os.PathLike[str] | None = None,
    comparators: Comparators | str | os.PathLike[str] | None = None,
    authority: str | None = None,
    neighbours: Sequence[str] | ComparatorGroup | None = None,
    by: str | Grouping | None = None,
    headline: Headline = "ytd",
    population: int | None = None,
    calendar: WorkingDayCalendar | None = None,
    indicators: Iterable[str] | None = None,
    title: str | None = None,
    registry: Mapping[str, IndicatorSpec] | None = None,
    generated: _dt.datetime | None = None,
    parameters: Mapping[str, Mapping[str, object]] | None = None,
) -> Report:
    """The monthly performance report of ``bundle`` for the ``months`` months to ``to``.

    Args:
        bundle: the records (e.g. :func:`~csc_indicators.example_bundle`).
        to: the last month: ``"2025-03"``, ``(2025, 3)`` or a date in it.
        months: how many months the trends show (at least 1).
        targets: a :class:`~csc_indicators.benchmarking.Targets` or a targets file: each
            indicator's target and its RAG rating.
        comparators: a :class:`~csc_indicators.benchmarking.Comparators` or a comparators file:
            England, the region and the comparator group on each chart and in the scorecard.
        authority: the authority's code or name in the comparators file.
        neighbours: the comparator group (codes or names, or a
            :class:`~csc_indicators.benchmarking.ComparatorGroup`).
        by: a breakdown of the latest figures: a dimension (``age_band``, ``sex``...), a
            :class:`~csc_indicators.Lookup`, or ``name=FILE`` (a lookup file such as
            ``team=teams.csv``).
        headline: which period of the last month gives the latest figure, its RAG and its
            direction: ``ytd`` (the financial year to date, default), ``rolling-12`` or
            ``month``. The direction of travel compares it with the same period of the
            previous month.
        population: the 0-17 population, for rates per 10,000.
        calendar: the working-day calendar (default: England and Wales).
        indicators: only these indicators (default: all).
        title: the authority's name in the header (default: its name in the comparators file,
            else its code in the returns).
        registry: the indicators to consider (default: :data:`~csc_indicators.INDICATORS`).
        generated: when the report says it was produced (default: now).
        parameters: documented parameters of some indicators, by id then name, as for
            :func:`~csc_indicators.scorecard` (``{"assessments_within_45_working_days":
            {"limit": 40}}``): every figure of the report (trends, headline, breakdown) is
            computed with them, and the header names those that differ from the defaults.

    Raises:
        ValueError: ``months`` below 1, ``to`` not a month, ``headline`` unknown, or
            ``authority``/``neighbours`` without comparators.
        KeyError: ``indicators`` names an unregistered indicator.
        InputError: a targets, comparators or lookup file cannot be read, or ``authority`` or a
            neighbour is not in the comparators file.
    """
    started = time.perf_counter()
    if headline not in HEADLINES:
        raise ValueError(f"headline must be one of {', '.join(HEADLINES)}, got {headline!r}")
    if comparators is None and (authority is not None or neighbours is not None):
        raise ValueError("authority and neighbours need comparators")
    year, month_number = month_of(to)
    kind = HEADLINES[headline]
    wanted = tuple(indicators) if indicators is not None else None
    specs = select_specs(registry, wanted)
    ids = tuple(s.id for s in specs)
    given = check_parameters(parameters, INDICATORS if registry is None else registry)
    cal = calendar if calendar is not None else WorkingDayCalendar.england_and_wales()
    read_targets_ = targets
    if targets is not None and not isinstance(targets, Targets):
        read_targets_ = read_targets(targets, registry=registry)
    read_comparators_ = comparators
    if comparators is not None and not isinstance(comparators, Comparators):
        read_comparators_ = read_comparators(comparators, registry=registry)
    assert read_targets_ is None or isinstance(read_targets_, Targets)
    assert read_comparators_ is None or isinstance(read_comparators_, Comparators)
    grouping = _grouping(by)

    periods = monthly_periods((year, month_number), months)
    the_series = series(
        bundle,
        periods,
        indicators=ids,
        population=population,
        calendar=cal,
        registry=registry,
        parameters=given,
    )
    month_periods = tuple(p for p in periods if p.kind is PeriodKind.IN_MONTH)
    last = month_periods[-1]
    by_kind = {p.kind: p for p in periods[-3:]}
    head = by_kind[kind]
    before_month = monthly_periods((year, month_number), 2, (kind,))[0]
    card = scorecard(
        bundle,
        head,
        population=population,
        calendar=cal,
        parameters=given,
        registry=registry,
        indicators=ids,
    )
    previous = scorecard(
        bundle,
        before_month,
        population=population,
        calendar=cal,
        parameters=given,
        registry=registry,
        indicators=ids,
        outcomes=False,
    )
    rows = benchmark(
        card,
        targets=read_targets_,
        comparators=read_comparators_,
        authority=authority,
        neighbours=neighbours,
        previous=previous,
    )
    bench = {r.indicator: r for r in rows}
    results = {r.indicator: r for r in card.results}
    reasons = {n.indicator: n.reason for n in card.not_computed}

    breakdown: Series | None = None
    if grouping is not None:
        breakdown = series(
            bundle,
            [head],
            indicators=ids,
            by=grouping,
            population=population,
            calendar=cal,
            registry=registry,
            parameters=given,
        )

    panels_by_id: dict[str, Panel] = {}
    for spec in specs:
        points = []
        for m, ytd, r12 in zip(periods[0::3], periods[1::3], periods[2::3], strict=True):
            points.append(
                Point(
                    m,
                    the_series.cell(spec.id, m).rounded_value,
                    the_series.cell(spec.id, ytd).rounded_value,
                    the_series.cell(spec.id, r12).rounded_value,
                )
            )
        result = results.get(spec.id)
        row = bench[spec.id]
        groups: list[tuple[str, float | int | None, int | None, int | None]] = []
        if breakdown is not None:
            for g in breakdown.groups:
                assert g is not None
                cell = breakdown.cell(spec.id, head, g)
                groups.append((g, cell.rounded_value, cell.numerator, cell.denominator))
        kind_shown = result.kind if result is not None else spec.kind
        panels_by_id[spec.id] = Panel(
            spec,
            area_of(spec.id),
            definition_of(spec),
            head,
            row.value,
            row.decimals,
            spec.unit_shown_for(kind_shown),
            None if result is None else result.numerator,
            None if result is None else result.denominator,
            "computed" if result is not None else "not computed",
            reasons.get(spec.id, ""),
            row,
            tuple(points),
            result,
            tuple(groups),
        )
    grouped = sections(specs)
    ordered = tuple((area, tuple(panels_by_id[s.id] for s in members)) for area, members in grouped)
    # The few records the indicators found faulty, found in the files they were read from.
    places = locate(
        (i.record for p in panels_by_id.values() for i in p.issues if i.location is None), bundle
    )

    options: list[tuple[str, str]] = []
    if months != 12:
        options.append(("months", str(months)))
    if headline != "ytd":
        options.append(("headline", headline))
    if population is not None:
        options.append(("population", f"{population:,}"))
    if wanted is not None:
        options.append(("indicators", ", ".join(wanted)))
    if grouping is not None:
        options.append(("by", by if isinstance(by, str) else grouping_name(grouping)))
    if calendar is not None:
        options.append(("calendar", cal.name))
    sources_: list[tuple[str, str]] = []
    if read_targets_ is not None:
        sources_.append(("Targets", read_targets_.path or "given in code"))
    if read_comparators_ is not None:
        sources_.append(("Comparators", read_comparators_.path or "given in code"))
    if authority is not None:
        sources_.append(("Authority in the comparators", authority))
    if neighbours is not None:
        members = neighbours.members if isinstance(neighbours, ComparatorGroup) else neighbours
        sources_.append(("Comparator group", ", ".join(members)))

    return Report(
        authority=_authority_name(title, read_comparators_, authority, bundle),
        month=last,
        months=month_periods,
        headline=headline,
        headline_period=head,
        previous_period=before_month,
        panels=tuple(p for _, ps in ordered for p in ps),
        sections=ordered,
        series=the_series,
        scorecard=card,
        bundle_summary=tuple(bundle.coverage_summary()),
        sources=bundle.sources,
        read_issues=bundle.issues,
        provenance=provenance(card.results, calendar=cal, registry=registry, population=population),
        options=tuple(options),
        benchmark_sources=tuple(sources_),
        by=None if breakdown is None else breakdown.by,
        generated=(generated or _dt.datetime.now()).replace(microsecond=0),
        seconds=time.perf_counter() - started,
        places=places,
    )


def grouping_name(grouping: str | Grouping) -> str:
    """The name of a breakdown."""
    return grouping if isinstance(grouping, str) else grouping.name
