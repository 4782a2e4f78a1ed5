"""The report as an Excel workbook, written with XlsxWriter.

* ``Summary``: the header facts and the scorecard of the latest figures with their target,
  RAG, direction of travel and comparators.
* One sheet per area (``Front door``...): each indicator's monthly figures (in month, year to
  date, rolling 12 months, target) with a native Excel line chart beside them.
* ``By <breakdown>`` (with a breakdown): the latest figure of each indicator per group.
* One sheet per indicator: the records behind the latest figure, one row per outcome (filters
  on, header frozen, dates as Excel dates).
* ``Data quality``: the records loaded, the files read, the problems found reading them and
  those the indicators found, each with the record's place in the file it was read from.
"""

from __future__ import annotations

import datetime as _dt
import enum
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..bundle import RECORD_LABELS
from ._extra import missing
from .model import record_label
from .svg import COLOURS

if TYPE_CHECKING:
    from .model import Panel, Report

__all__ = ["render_xlsx", "sheet_name"]

_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str, taken: set[str]) -> str:
    """A worksheet name from ``text``: without the characters Excel refuses, at most 31
    characters, unique (case ignored) among ``taken``, which it joins."""
    base = " ".join(_BAD.sub(" ", text).split()).strip("'") or "Sheet"
    if len(base) > 31:
        cut = base[:32].rfind(" ")
        base = base[:cut] if cut >= 16 else base[:31]
    name = base
    n = 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _number_format(panel: Panel) -> str:
    places = "0" if panel.decimals == 0 else "0." + "0" * panel.decimals
    if panel.unit_shown == "%":
        return f'{places}"%"'
    if panel.unit_shown == "days":
        return f'{places}" days"'
    return "#,##" + places


class _Book:
    """The workbook and its formats."""

    def __init__(self, workbook: Any) -> None:
        self.wb = workbook
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 14, "font_color": COLOURS["ytd"]})
        self.subtitle = add({"bold": True, "font_size": 11})
        self.bold = add({"bold": True})
        self.muted = add({"font_color": "#595959"})
        self.head = add(
            {"bold": True, "bg_color": "#E8EDF3", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.date = add({"num_format": "yyyy-mm-dd"})
        self.month = add({"num_format": "mmm yyyy"})
        self.rag = {
            "green": add({"bg_color": "#2E7D32", "font_color": "#FFFFFF", "bold": True}),
            "amber": add({"bg_color": "#F2B600", "font_color": "#1B1B1B", "bold": True}),
            "red": add({"bg_color": "#C62828", "font_color": "#FFFFFF", "bold": True}),
        }
        self._numbers: dict[str, Any] = {}

    def number(self, fmt: str) -> Any:
        if fmt not in self._numbers:
            self._numbers[fmt] = self.wb.add_format({"num_format": fmt})
        return self._numbers[fmt]


def _published(figure: Any) -> float | str | None:
    if figure is None:
        return None
    value = figure.value
    return figure.symbol if value is None else float(value)


_ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def _summary(book: _Book, report: Report) -> None:
    ws = book.wb.add_worksheet("Summary")
    ws.write(0, 0, report.authority, book.title)
    ws.write(1, 0, f"Children's social care: monthly performance report, {report.month}")
    facts: list[tuple[str, str]] = [
        ("Period", f"{len(report.months)} months: {report.months[0]} to {report.month}"),
        (
            "Latest figure",
            f"{report.headline_words}: {report.headline_period.label}; the direction of travel "
            f"compares it with {report.previous_period.label}",
        ),
        ("Data", "; ".join(report.coverage) or "no source named its year"),
        *report.benchmark_sources,
        ("Computed with", "; ".join(report.provenance.lines())),
        *((f"Option {name}", value) for name, value in report.options),
        ("Produced", report.generated.isoformat(sep=" ")),
    ]
    row = 3
    for label, value in facts:
        ws.write(row, 0, label, book.bold)
        ws.write(row, 1, value)
        row += 1
    row += 1
    headings = [
        "Area",
        "Indicator",
        "Id",
        "Latest",
        "Unit",
        "Numerator",
        "Denominator",
        "Target",
        "Amber tolerance",
        "RAG",
        "Previous month",
        "Direction",
        "England",
        "Region",
        "Neighbours",
        "Published (this authority)",
        "Published period",
        "Status",
    ]
    top = row
    ws.write_row(row, 0, headings, book.head)
    for panel in report.panels:
        row += 1
        b = panel.bench
        fmt = book.number(_number_format(panel))
        ws.write(row, 0, panel.area.title)
        ws.write(row, 1, panel.spec.title)
        ws.write(row, 2, panel.id)
        _write_value(ws, row, 3, panel.value, fmt)
        ws.write(row, 4, panel.unit_shown)
        _write_value(ws, row, 5, panel.numerator, None)
        _write_value(ws, row, 6, panel.denominator, None)
        if b.target is not None:
            ws.write_number(row, 7, float(b.target.target), fmt)
            ws.write_number(row, 8, float(b.target.amber_tolerance), fmt)
        if b.rag is not None:
            ws.write(row, 9, b.rag.value.capitalize(), book.rag[b.rag.value])
        _write_value(ws, row, 10, b.previous, fmt)
        if b.direction is not None:
            arrow = _ARROWS.get(panel.change or "", "")
            ws.write(row, 11, f"{arrow} {b.direction.value}".strip())
        for col, figure in ((12, b.england), (13, b.region), (15, b.published)):
            _write_value(ws, row, col, _published(figure), fmt)
        _write_value(ws, row, 14, b.comparator, fmt)
        _write_value(ws, row, 16, b.published_period, None)
        ws.write(row, 17, panel.status if not panel.reason else f"{panel.status}: {panel.reason}")
    ws.autofilter(top, 0, row, len(headings) - 1)
    ws.freeze_panes(top + 1, 2)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 34)
    ws.set_column(3, 16, 12)
    ws.set_column(17, 17, 40)


def _write_value(ws: Any, row: int, col: int, value: object, fmt: Any) -> None:
    """A cell: a number (with ``fmt``), a date, a boolean, text, or nothing for ``None``."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        if fmt is None:
            ws.write_number(row, col, value)
        else:
            ws.write_number(row, col, value, fmt)
    elif isinstance(value, (_dt.date, _dt.datetime)):
        ws.write_datetime(row, col, _as_datetime(value), fmt)
    else:
        ws.write_string(row, col, _text(value))


def _as_datetime(value: _dt.date) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value
    return _dt.datetime(value.year, value.month, value.day)


def _text(value: object) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (list, tuple, frozenset, set)):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _area_sheet(book: _Book, report: Report, name: str, panels: Sequence[Panel]) -> None:
    ws = book.wb.add_worksheet(name)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 4, 14)
    row = 0
    for panel in panels:
        fmt = book.number(_number_format(panel))
        ws.write(row, 0, panel.spec.title, book.subtitle)
        ws.write(row + 1, 0, panel.definition, book.muted)
        head = row + 2
        ws.write_row(head, 0, ["Month", "In month", "Year to date", "Rolling 12 months"], book.head)
        target = panel.bench.target
        if target is not None:
            ws.write(head, 4, "Target", book.head)
        for i, point in enumerate(panel.points):
            r = head + 1 + i
            ws.write_datetime(r, 0, _as_datetime(point.month.start), book.month)
            _write_value(ws, r, 1, point.in_month, fmt)
            _write_value(ws, r, 2, point.ytd, fmt)
            _write_value(ws, r, 3, point.rolling_12, fmt)
            if target is not None:
                ws.write_number(r, 4, float(target.target), fmt)
        first, last = head + 1, head + len(panel.points)
        chart = book.wb.add_chart({"type": "line"})
        colours = (COLOURS["in-month"], COLOURS["ytd"], COLOURS["rolling-12"])
        dashes = ("solid", "solid", "dash")
        widths = (1.25, 2.25, 2)
        for col, colour, dash, width in zip((1, 2, 3), colours, dashes, widths, strict=True):
            chart.add_series(
                {
                    "name": [name, head, col],
                    "categories": [name, first, 0, last, 0],
                    "values": [name, first, col, last, col],
                    "line": {"color": colour, "width": width, "dash_type": dash},
                    "marker": {"type": "circle", "size": 4, "fill": {"color": colour}},
                }
            )
        if target is not None:
            chart.add_series(
                {
                    "name": [name, head, 4],
                    "categories": [name, first, 0, last, 0],
                    "values": [name, first, 4, last, 4],
                    "line": {"color": COLOURS["target"], "width": 1.5, "dash_type": "dash"},
                }
            )
        chart.set_title({"name": panel.spec.short_title, "name_font": {"size": 11}})
        chart.set_x_axis({"date_axis": True, "num_format": "mmm yy"})
        chart.set_y_axis(
            {"num_format": _number_format(panel), "major_gridlines": {"visible": True}}
        )
        chart.set_legend({"position": "bottom"})
        chart.show_blanks_as("gap")
        chart.set_size({"width": 620, "height": max(260, 20 * (len(panel.points) + 3))})
        ws.insert_chart(row, 6, chart, {"x_offset": 8, "y_offset": 4})
        row = max(last + 3, row + 15)


def _breakdown_sheet(book: _Book, report: Report, name: str) -> None:
    ws = book.wb.add_worksheet(name)
    groups = [g for g, *_ in report.panels[0].groups] if report.panels else []
    ws.write(0, 0, f"Latest figures by {report.by}: {report.headline_period.label}", book.title)
    ws.write_row(2, 0, ["Indicator", *groups], book.head)
    row = 2
    for panel in report.panels:
        row += 1
        fmt = book.number(_number_format(panel))
        ws.write(row, 0, panel.spec.title)
        for col, (_, value, _num, _den) in enumerate(panel.groups, start=1):
            _write_value(ws, row, col, value, fmt)
    ws.autofilter(2, 0, row, len(groups))
    ws.freeze_panes(3, 1)
    ws.set_column(0, 0, 60)
    ws.set_column(1, max(1, len(groups)), 14)


def _records_sheet(book: _Book, report: Report, name: str, panel: Panel) -> None:
    ws = book.wb.add_worksheet(name)
    assert panel.result is not None
    result = panel.result
    records = panel.records
    rows = [r.outcome.to_row() for r in records]
    columns = ["outcome"]
    for row_ in rows:
        for key in row_:
            if key not in columns:
                columns.append(key)
    ws.write_row(0, 0, columns, book.head)
    for i, (record, values) in enumerate(zip(records, rows, strict=True), start=1):
        ws.write_string(i, 0, record.status)
        for col, key in enumerate(columns[1:], start=1):
            value = values.get(key)
            fmt = book.date if isinstance(value, _dt.date) else None
            _write_value(ws, i, col, value, fmt)
    last = max(len(rows), 1)
    ws.autofilter(0, 0, last, len(columns) - 1)
    ws.freeze_panes(1, 2)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 14)
    ws.set_column(2, len(columns) - 1, 14)
    if "reason" in columns:
        ws.set_column(columns.index("reason"), columns.index("reason"), 50)
    note = (
        f"{panel.spec.title}, {result.period.label}: {panel.shown} "
        f"({result.numerator:,} / {result.denominator:,})"
    )
    ws.write_comment(0, 0, note)


def _quality_sheet(book: _Book, report: Report, name: str) -> None:
    ws = book.wb.add_worksheet(name)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 5, 22)
    ws.set_column(5, 5, 70)
    ws.write(0, 0, "Data quality", book.title)
    row = 2
    ws.write(row, 0, "Records loaded", book.subtitle)
    row += 1
    ws.write_row(
        row, 0, ["Return", "Files", "Collection years", "From", "To", "Records"], book.head
    )
    for s in report.bundle_summary:
        row += 1
        ws.write(row, 0, s["kind"])
        ws.write_number(row, 1, s["sources"])
        ws.write(row, 2, ", ".join(str(y) for y in s["years"]))
        for col, key in ((3, "start"), (4, "end")):
            if s[key]:
                ws.write_datetime(row, col, _as_datetime(_dt.date.fromisoformat(s[key])), book.date)
        ws.write(
            row, 5, ", ".join(f"{n:,} {RECORD_LABELS.get(k, k)}" for k, n in s["records"].items())
        )
    row += 2
    common, files = report.source_files()
    ws.write(row, 0, f"Files read{f' (in {common})' if common else ''}", book.subtitle)
    row += 1
    ws.write_row(row, 0, ["Return", "File", "Collection year", "Authority code"], book.head)
    for kind, path, year, code in files:
        row += 1
        ws.write_row(row, 0, [kind, path, year, code])
    row += 2
    ws.write(row, 0, "Problems found reading the returns", book.subtitle)
    row += 1
    ws.write_row(row, 0, ["Place", "Child", "Kind", "Field", "Value", "Problem"], book.head)
    if not report.read_issues:
        row += 1
        ws.write(row, 0, "None: every record of every file was loaded.")
    for issue in report.read_issues:
        row += 1
        values = [issue.location, issue.child_id, issue.kind, issue.field, issue.value]
        for col, value in enumerate(values):
            _write_value(ws, row, col, value, None)
        ws.write(row, 5, issue.message)
    row += 2
    ws.write(
        row,
        0,
        f"Records the indicators found faulty ({report.headline_period.label})",
        book.subtitle,
    )
    row += 1
    ws.write_row(row, 0, ["Indicator", "Child", "Kind", "Place", "Record", "Problem"], book.head)
    found = report.indicator_issues
    if not found:
        row += 1
        ws.write(row, 0, "None: no indicator found a faulty record.")
    for panel, issue in found:
        row += 1
        ws.write(row, 0, panel.id)
        _write_value(ws, row, 1, issue.child_id, None)
        ws.write(row, 2, issue.kind)
        _write_value(ws, row, 3, report.place_of(issue) or None, None)
        _write_value(ws, row, 4, record_label(issue.record) or None, None)
        ws.write(row, 5, issue.message)


def render_xlsx(report: Report) -> bytes:
    """The workbook (see :meth:`Report.xlsx`)."""
    try:
        import xlsxwriter  # type: ignore[import-untyped]  # the library ships no type hints
    except ImportError as exc:  # pragma: no cover - the tests run with the extra installed
        raise missing("XlsxWriter", "The Excel report") from exc
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": f"{report.authority}: monthly performance report, {report.month}",
            "subject": "Children's social care performance indicators",
            "creator": f"csc_indicators {report.provenance.version}",
            "created": report.generated,
        }
    )
    book = _Book(workbook)
    taken: set[str] = set()
    taken.add("summary")
    _summary(book, report)
    for area, panels in report.sections:
        _area_sheet(book, report, sheet_name(area.title, taken), panels)
    if report.by is not None:
        _breakdown_sheet(book, report, sheet_name(f"By {report.by}", taken))
    _quality_sheet(book, report, sheet_name("Data quality", taken))
    for panel in report.panels:
        if panel.result is not None:
            _records_sheet(book, report, sheet_name(panel.spec.short_title, taken), panel)
    workbook.close()
    return buffer.getvalue()
