"""What the report shows: a :class:`Report` of :class:`Panel` objects (one per indicator, with
its trend of :class:`Point` objects and the :class:`RecordRow` objects behind its latest
figure), which renders itself as a page (:meth:`Report.html`) or a workbook
(:meth:`Report.xlsx`).

:func:`report`, which computes it, lives in :mod:`~csc_indicators.report.build` and is
importable from here too.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Literal

import attrs

from ..benchmarking import BenchmarkRow, Direction, Rag
from ..bundle import SourceInfo
from ..io.locate import Places
from ..periods import Period, PeriodKind
from ..provenance import Provenance
from ..registry import IndicatorSpec
from ..results import DataIssue, IndicatorResult, Outcome, Polarity, ValueKind
from ..scoring import Scorecard
from ..series import Series
from .areas import Area

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


# report() lives in build.py, which imports this module; it is importable from here too, as
# the package and earlier versions import it.
from .build import grouping_name, report  # noqa: E402, F401
