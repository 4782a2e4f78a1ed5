"""What the report shows, computed once: :func:`report` builds a :class:`Report`, which renders
itself as a page (:meth:`Report.html`) or a workbook (:meth:`Report.xlsx`).

The figures come from the library's own functions and nothing else: the monthly series from
:func:`~csc_indicators.series` (in-month, year to date and rolling 12 months for every month),
the latest figure and the records behind it from :func:`~csc_indicators.scorecard` over the
headline period of the last month, and the target, RAG, direction of travel and comparators
from :func:`~csc_indicators.benchmarking.benchmark`. So the report's latest figure of every
indicator is the scorecard's for that period, to the digit.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from ..benchmarking import (
    BenchmarkRow,
    ComparatorGroup,
    Comparators,
    Direction,
    Rag,
    Targets,
    benchmark,
    read_comparators,
    read_targets,
)
from ..bundle import Bundle, SourceInfo
from ..calendar import WorkingDayCalendar
from ..io.locate import Places, locate
from ..params import check_parameters
from ..periods import Period, PeriodKind
from ..provenance import Provenance, provenance
from ..registry import INDICATORS, IndicatorSpec
from ..results import DataIssue, IndicatorResult, Outcome, Polarity, ValueKind
from ..scoring import Scorecard, scorecard
from ..series import Grouping, Lookup, Series, monthly_periods, series
from ..series.engine import select_specs
from ..series.periods import MonthSpec, month_of
from .areas import Area, area_of, definition_of, sections

__all__ = [
    "HEADLINES",
    "Headline",
    "Panel",
    "Point",
    "RecordRow",
    "Report",
    "format_value",
    "record_dates",
    "record_label",
    "record_rows",
    "report",
]

Headline = Literal["ytd", "rolling-12", "month"]
"""Which of the last month's periods gives the latest figure, its RAG and its direction."""

HEADLINES: dict[str, PeriodKind] = {
    "ytd": PeriodKind.YTD,
    "rolling-12": PeriodKind.ROLLING_12,
    "month": PeriodKind.IN_MONTH,
}
"""The headline names and the kinds of period they name."""

_KIND_WORDS = {
    PeriodKind.YTD: "year to date",
    PeriodKind.ROLLING_12: "rolling 12 months",
    PeriodKind.IN_MONTH: "in month",
}


def format_value(value: float | int | None, decimals: int, unit_shown: str) -> str:
    """A figure as the report prints it: ``78.5%``, ``478 days``, ``836``, ``12.3 per
    10,000``; an en dash when there is none."""
    if value is None:
        return "–"
    number = f"{value:,.{decimals}f}"
    if unit_shown == "%":
        return f"{number}%"
    if unit_shown == "days":
        return f"{number} days"
    if unit_shown == "per 10,000":
        return f"{number} per 10,000"
    return number


@attrs.frozen(slots=True)
class Point:
    """One month of an indicator's trend: the figure of each kind of period ending then."""

    month: Period
    """The calendar month."""
    in_month: float | int | None
    ytd: float | int | None
    rolling_12: float | int | None


@attrs.frozen(slots=True)
class RecordRow:
    """One record behind the latest figure, as the drill-down lists it."""

    child_id: str
    status: str
    """``met``, ``not met``, ``counted`` (a count or a mean) or ``excluded``."""
    measure: int | float | None
    reason: str
    record_type: str
    dates: tuple[tuple[str, _dt.date], ...]
    """The record's dates, by field name (start, end, authorisation...)."""
    outcome: Outcome = attrs.field(repr=False, eq=False)

    @property
    def dates_text(self) -> str:
        """The dates as ``name date; ...``."""
        return "; ".join(f"{k.replace('_', ' ')} {v.isoformat()}" for k, v in self.dates)


_WORSE_FIRST = {"not met": 0, "excluded": 1, "met": 2, "counted": 2}
_MET_FIRST = {"met": 0, "excluded": 1, "not met": 2, "counted": 2}


def _status(outcome: Outcome, kind: ValueKind) -> str:
    if not outcome.counted:
        return "excluded"
    if kind is ValueKind.PERCENTAGE:
        return "met" if outcome.met else "not met"
    return "counted"


def record_dates(record: object) -> tuple[tuple[str, _dt.date], ...]:
    if not attrs.has(type(record)):
        return ()
    out: list[tuple[str, _dt.date]] = []
    for a in attrs.fields(type(record)):  # type: ignore[arg-type]
        value = getattr(record, a.name)
        if isinstance(value, _dt.date):
            day = value.date() if isinstance(value, _dt.datetime) else value
            out.append((a.name, day))
    return tuple(out)


def record_label(record: object) -> str:
    """A record in words, for a table naming it: its type and dates (``Assessment: start date
    2024-05-02; authorisation date 2024-05-20``); empty for ``None``."""
    if record is None:
        return ""
    dates = "; ".join(f"{k.replace('_', ' ')} {v.isoformat()}" for k, v in record_dates(record))
    return f"{type(record).__name__}" + (f": {dates}" if dates else "")


def record_rows(
    result: IndicatorResult, polarity: Polarity = Polarity.HIGHER_IS_BETTER
) -> list[RecordRow]:
    """The outcomes of ``result``, those that count against the authority first: for a
    percentage where higher is better those not met, where lower is better those met (the
    re-referrals, say); then those excluded, then the rest (each group in the result's order:
    by child, then date)."""
    rows = [
        RecordRow(
            o.child_id,
            _status(o, result.kind),
            o.measure,
            o.reason or "",
            type(o.record).__name__,
            record_dates(o.record),
            o,
        )
        for o in result.outcomes
    ]
    order = _MET_FIRST if polarity is Polarity.LOWER_IS_BETTER else _WORSE_FIRST
    return sorted(rows, key=lambda r: order[r.status])


@attrs.frozen(slots=True)
class Panel:
    """One indicator as the report shows it."""

    spec: IndicatorSpec
    area: Area
    definition: str
    headline_period: Period
    value: float | int | None
    """The latest figure, rounded as published (``None``: not computed or undefined)."""
    decimals: int
    unit_shown: str
    numerator: int | None
    denominator: int | None
    status: str
    """``computed`` or ``not computed``."""
    reason: str
    """Why the latest figure is not computed."""
    bench: BenchmarkRow
    points: tuple[Point, ...]
    result: IndicatorResult | None = attrs.field(eq=False, repr=False)
    """The latest headline result with its outcomes (``None``: not computed)."""
    groups: tuple[tuple[str, float | int | None, int | None, int | None], ...] = ()
    """With a breakdown: ``(group, value, numerator, denominator)`` of the headline period."""

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def shown(self) -> str:
        """The latest figure with its unit."""
        return format_value(self.value, self.decimals, self.unit_shown)

    def fmt(self, value: float | int | None) -> str:
        """Any figure of this indicator, with its unit."""
        return format_value(value, self.decimals, self.unit_shown)

    @property
    def rag(self) -> Rag | None:
        return self.bench.rag

    @property
    def direction(self) -> Direction | None:
        return self.bench.direction

    @property
    def change(self) -> str | None:
        """``up``, ``down`` or ``same``: how the figure moved since the previous month."""
        before, now = self.bench.previous, self.value
        if before is None or now is None:
            return None
        return "up" if now > before else "down" if now < before else "same"

    @property
    def records(self) -> list[RecordRow]:
        """The records behind the latest figure (:func:`record_rows`)."""
        return [] if self.result is None else record_rows(self.result, self.spec.polarity)

    @property
    def issues(self) -> tuple[DataIssue, ...]:
        """The data problems the indicator found over the headline period."""
        return () if self.result is None else self.result.issues


@attrs.frozen(slots=True)
class Report:
    """The monthly performance report: every figure, chart and record it shows, computed.

    Render it with :meth:`html` (one self-contained page), :meth:`xlsx` (a workbook) or
    :meth:`write` (by the file's extension).
    """

    authority: str
    """The authority's name as the header shows it."""
    month: Period
    """The last month reported on."""
    months: tuple[Period, ...]
    """Every month of the trend, oldest first."""
    headline: Headline
    """Which period of the last month gives the latest figure."""
    headline_period: Period
    previous_period: Period
    """The period the direction of travel compares the latest figure with (the previous
    month's headline period)."""
    panels: tuple[Panel, ...]
    """Every indicator, in area order."""
    sections: tuple[tuple[Area, tuple[Panel, ...]], ...]
    """The areas with their panels."""
    series: Series = attrs.field(repr=False)
    """The monthly series behind the trends."""
    scorecard: Scorecard = attrs.field(repr=False)
    """The scorecard of the headline period (with outcomes)."""
    bundle_summary: tuple[dict[str, Any], ...]
    """What was loaded per source kind (:meth:`Bundle.coverage_summary`)."""
    sources: tuple[SourceInfo, ...]
    read_issues: tuple[DataIssue, ...]
    """The problems found reading the returns (a lenient read)."""
    provenance: Provenance
    options: tuple[tuple[str, str], ...]
    """The report's options that differ from their defaults, as ``(name, value)``."""
    benchmark_sources: tuple[tuple[str, str], ...]
    """Where targets and comparators come from, as ``(what, where)``."""
    by: str | None
    """The name of the breakdown of the latest figures, when there is one."""
    generated: _dt.datetime
    seconds: float
    """How long computing the report took."""
    places: Places = attrs.field(factory=Places, repr=False)
    """Where in the source files each record the indicators found faulty stands
    (:func:`~csc_indicators.io.locate.locate`)."""

    @property
    def title(self) -> str:
        """``Monthly performance report: March 2025``."""
        return f"Monthly performance report: {self.month}"

    @property
    def headline_words(self) -> str:
        """The headline period's kind, in words."""
        return _KIND_WORDS[HEADLINES[self.headline]]

    @property
    def coverage(self) -> list[str]:
        """The dates the data cover, per source kind, in words."""
        return [f"{s['kind']}: {s['coverage']}" for s in self.bundle_summary]

    def source_files(self) -> tuple[str, list[tuple[str, str, str, str]]]:
        """The files read: the folder they share, and per file ``(kind, path within that
        folder, collection year, authority code)``."""
        paths = [s.path for s in self.sources if s.path]
        common = ""
        if paths:
            common = os.path.commonpath([os.path.dirname(p) for p in paths])
        rows = []
        for s in self.sources:
            shown = "(not read from a file)"
            if s.path:
                shown = os.path.relpath(s.path, common) if common else s.path
            year = "" if s.year is None else str(Period.financial_year(s.year))
            rows.append((s.kind, shown, year, s.la_code or ""))
        return common, rows

    @property
    def indicator_issues(self) -> list[tuple[Panel, DataIssue]]:
        """Every data problem an indicator found over the headline period."""
        return [(p, i) for p in self.panels for i in p.issues]

    def place_of(self, issue: DataIssue) -> str:
        """Where the record of a problem an indicator found stands in the files read:
        ``path:line N`` (with the element's path in an XML file), ``place not found``, or
        ``not read from a file`` (records built in Python); empty when the problem names no
        record."""
        if issue.location:
            return issue.location
        if issue.record is None:
            return ""
        return self.places.text(issue.record)

    def html(self) -> str:
        """The report as one self-contained HTML page (inline CSS and SVG, no script needed,
        no external address).

        Raises:
            ImportError: Jinja2 is not installed (``pip install 'csc-indicators[report]'``).
        """
        from .html import render_html

        return render_html(self)

    def xlsx(self) -> bytes:
        """The report as an Excel workbook (the scorecard, the monthly series with charts, the
        records behind each figure, the data quality).

        Raises:
            ImportError: XlsxWriter is not installed (``pip install 'csc-indicators[report]'``).
        """
        from .xlsx import render_xlsx

        return render_xlsx(self)

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the page (``.html``, ``.htm``) or the workbook (``.xlsx``).

        Raises:
            ValueError: another extension.
            OSError: the file cannot be written.
        """
        suffix = os.path.splitext(os.fspath(path))[1].lower()
        if suffix in (".html", ".htm"):
            with open(path, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(self.html())
        elif suffix == ".xlsx":
            with open(path, "wb") as stream:
                stream.write(self.xlsx())
        else:
            raise ValueError(
                f"{os.fspath(path)}: the report is written as .html (a page) or .xlsx (a "
                f"workbook), not {suffix or 'a file without an extension'}"
            )


# -- building ---------------------------------------------------------------------------------


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
    # series() takes no parameters= yet: the series are computed with the parameters bound
    # into the indicators' functions (the same calls run_indicator makes).
    bound = _bound(INDICATORS if registry is None else registry, given) if given else registry
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
        bundle, periods, indicators=ids, population=population, calendar=cal, registry=bound
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
            registry=bound,
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


def _bound(
    registry: Mapping[str, IndicatorSpec], given: Mapping[str, Mapping[str, object]]
) -> dict[str, IndicatorSpec]:
    """The registry with each indicator's parameters bound into its function."""
    return {
        ident: attrs.evolve(spec, function=functools.partial(spec.function, **given[ident]))
        if ident in given
        else spec
        for ident, spec in registry.items()
    }


def grouping_name(grouping: str | Grouping) -> str:
    """The name of a breakdown."""
    return grouping if isinstance(grouping, str) else grouping.name
