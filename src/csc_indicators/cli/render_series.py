"""Rendering ``csc-indicators series``: a table with the months across (one block per
indicator, one line per kind of period and per group), CSV and JSON rows (one per cell), and
Markdown (one table per indicator).

The table fits :data:`~csc_indicators.cli.render.WIDTH` columns: as many months as fit side by
side (12 with labels of up to 16 characters), more months wrap into bands of that many.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..periods import Period, PeriodKind
from ..registry import IndicatorSpec
from ..results import Polarity, ValueKind
from .render import WIDTH, _summary_lines, csv_text, plain

if TYPE_CHECKING:
    from .series import SeriesView

__all__ = ["KIND_LABELS", "month_label", "render_series"]

KIND_LABELS: Mapping[str, str] = {
    str(PeriodKind.IN_MONTH): "In month",
    str(PeriodKind.YTD): "YTD",
    str(PeriodKind.ROLLING_12): "12 months",
}
"""The label of each kind's line in the table."""

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_MAX = 30
_MIN_COLUMN = 6
NOT_SHOWN = "-"
_BENCH_LINES = (
    ("england", "England"),
    ("region", "Region"),
    ("comparator", "Neighbours"),
    ("published", "Published"),
)


def month_label(month: Period | _dt.date) -> str:
    """A month's column heading: ``Apr 24``."""
    day = month.end if isinstance(month, Period) else month
    return f"{_MONTHS[day.month - 1]} {day.year % 100:02d}"


def _month_key(row: Mapping[str, Any]) -> tuple[int, int]:
    end = _dt.date.fromisoformat(row["period_end"])
    return end.year, end.month


def _fmt(value: object, decimals: int) -> str:
    if value is None:
        return NOT_SHOWN
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,.{decimals}f}"


def _unit(spec: IndicatorSpec, kind: ValueKind) -> str:
    unit = spec.unit_shown_for(kind)
    words = [] if unit == "count" else [unit]
    if spec.polarity is not Polarity.CONTEXT:
        words.append(spec.polarity.value)
    return f" ({'; '.join(words)})" if words else ""


class _Block:
    """One indicator: its heading and its lines, each a label and one text per month."""

    def __init__(self, view: SeriesView, spec: IndicatorSpec, rows: list[dict[str, Any]]) -> None:
        self.spec = spec
        kind = ValueKind(rows[0]["value_kind"]) if rows else spec.kind
        self.heading = spec.short_title + _unit(spec, kind)
        self.title = spec.title + _unit(spec, kind)
        decimals = spec.decimals_for(kind)
        index = {(m.end.year, m.end.month): i for i, m in enumerate(view.months)}
        cells: dict[tuple[str, str | None], list[str]] = {}
        firsts: dict[tuple[str, str], list[object]] = {}
        kinds = [str(k) for k in view.kinds]
        for row in rows:
            at = index[_month_key(row)]
            line = cells.setdefault((row["kind"], row["group"]), [NOT_SHOWN] * len(view.months))
            if row["status"] == "computed":
                shown = spec.decimals_for(ValueKind(row["value_kind"]))
                line[at] = _fmt(row["rounded_value"], shown)
            if row["group"] is not None or view.bench is None:
                continue
            for key in ("rag", "direction", *(k for k, _ in _BENCH_LINES), "target"):
                if key in row:
                    got = firsts.setdefault((row["kind"], key), [None] * len(view.months))
                    got[at] = row[key]
        self.lines: list[tuple[str, list[str]]] = []
        for k in kinds:
            self.lines.append((KIND_LABELS.get(k, k), cells[(k, None)]))
            for g in view.groups:
                self.lines.append(("  " + g, cells[(k, g)]))
        if view.bench is None:
            return
        first = kinds[0]
        for key, label, precision in (
            ("target", "Target", decimals),
            *((k, label, decimals) for k, label in _BENCH_LINES),
        ):
            values = firsts.get((first, key))
            if values is not None and any(v is not None for v in values):
                self.lines.append((label, [_fmt(v, precision) for v in values]))
        for key, label in (("rag", "RAG"), ("direction", "Change")):
            for k in kinds:
                values = firsts.get((k, key))
                if values is not None and any(v is not None for v in values):
                    self.lines.append(
                        (f"{label} {KIND_LABELS.get(k, k)}", [_fmt(v, 0) for v in values])
                    )


def _blocks(view: SeriesView) -> list[_Block]:
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in view.rows:
        by_id.setdefault(row["indicator"], []).append(row)
    return [_Block(view, spec, by_id.get(spec.id, [])) for spec in view.specs]


def _span(view: SeriesView) -> str:
    first, last = view.months[0], view.months[-1]
    months = len(view.months)
    text = f"1 month, {first}" if months == 1 else f"{months} months, {first} to {last}"
    if view.by is not None:
        text += f", by {view.by}"
        if view.lookup_shown is not None:
            text += f" ({view.lookup_shown})"
    return text


def _runs(indexes: Sequence[int], labels: Sequence[str]) -> str:
    """Month indexes as runs: ``Apr 24 to Feb 25, Mar 25``."""
    runs: list[list[int]] = []
    for i in sorted(set(indexes)):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return ", ".join(labels[a] if a == b else f"{labels[a]} to {labels[b]}" for a, b in runs)


def _not_computed(view: SeriesView) -> list[str]:
    """One line per reason (its part before ``; the period``) and kind: the months and the
    number of indicators."""
    labels = [month_label(m) for m in view.months]
    index = {(m.end.year, m.end.month): i for i, m in enumerate(view.months)}
    found: dict[tuple[str, str], tuple[list[int], set[str]]] = {}
    for row in view.rows:
        if row["status"] == "computed" or row["group"] is not None:
            continue
        head = row["reason"].split("; the period")[0] or "not computed"
        months, ids = found.setdefault((row["kind"], head), ([], set()))
        months.append(index[_month_key(row)])
        ids.add(row["indicator"])
    lines = []
    for (kind, head), (months, ids) in found.items():
        many = f"{len(ids)} indicator{'s' if len(ids) != 1 else ''}"
        every = len(labels) > 1 and len(set(months)) == len(labels)
        when = "every month" if every else _runs(months, labels)
        lines.append(f"{KIND_LABELS.get(kind, kind)}, {when}: {head} ({many})")
    return lines


def _notes(view: SeriesView) -> list[str]:
    notes = [f"{NOT_SHOWN}: no figure (not computed, or nothing to count)."]
    if view.by is not None:
        notes.append(
            f"Each kind's line is all the children; the lines beneath it, the groups by {view.by}"
            " (an outcome's group is judged on its date"
            + ("; unassigned: children the lookup does not place then)." if view.lookup else ").")
        )
    rates = {str(ValueKind.RATE_PER_10K), str(ValueKind.COUNT)}
    if view.by is not None and {r["value_kind"] for r in view.rows} >= rates:
        notes.append("A rate per 10,000 is given per group as a count.")
    bench = view.bench
    if bench is not None and bench.comparators is not None:
        years = sorted({r["published_period"] for r in view.rows if r.get("published_period")})
        notes.append(
            "England, Region, Neighbours (the median of the comparator group) and Published (the "
            "authority's own figure) are annual published figures: each month shows those of the "
            f"latest year ending by its end ({', '.join(years) or 'none in the file'})."
        )
    if bench is not None and bench.options.compare_previous:
        notes.append("Change: against the previous month's figure of the same kind.")
    return notes


def _table(view: SeriesView) -> str:
    blocks = _blocks(view)
    labels = [label for b in blocks for label, _ in b.lines]
    label_width = min(_LABEL_MAX, max([16, *(len(label) for label in labels)]))
    texts = [t for b in blocks for _, cells in b.lines for t in cells]
    width = max([_MIN_COLUMN, *(len(t) for t in texts)])
    heads = [month_label(m) for m in view.months]
    per_band = max(1, min(12, (WIDTH - label_width) // (width + 1)))
    out = io.StringIO()
    out.write(textwrap.fill(f"Series: {_span(view)}", WIDTH, subsequent_indent="  ") + "\n")
    summary = [] if view.bundle is None else view.bundle.coverage_summary()
    if summary:
        out.write("\nData loaded:\n" + "\n".join(_summary_lines(summary, False)) + "\n")
    for block in blocks:
        out.write("\n" + _clip(block.heading, WIDTH) + "\n")
        for start in range(0, len(heads), per_band):
            stop = start + per_band
            if start:
                out.write("\n")
            out.write(_line("", heads[start:stop], label_width, width))
            for label, cells in block.lines:
                out.write(_line(_clip(label, label_width), cells[start:stop], label_width, width))
    out.write("\n")
    for note in _notes(view):
        out.write(textwrap.fill(note, WIDTH, subsequent_indent="  ") + "\n")
    missing = _not_computed(view)
    if missing:
        out.write("Not computed:\n")
        for line in missing:
            out.write(
                textwrap.fill(line, WIDTH, initial_indent="  ", subsequent_indent="    ") + "\n"
            )
    return out.getvalue()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 2] + ".."


def _line(label: str, cells: Sequence[str], label_width: int, width: int) -> str:
    text = label.ljust(label_width) + "".join(" " + c.rjust(width) for c in cells)
    return text.rstrip() + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(view: SeriesView) -> str:
    heads = [month_label(m) for m in view.months]
    out = io.StringIO()
    out.write(f"**Series:** {_md(_span(view))}\n")
    for block in _blocks(view):
        out.write(f"\n### {_md(block.title)}\n\n")
        out.write("| | " + " | ".join(heads) + " |\n")
        out.write("|---|" + "---:|" * len(heads) + "\n")
        for label, cells in block.lines:
            shown = f"&nbsp;&nbsp;{_md(label.strip())}" if label.startswith("  ") else _md(label)
            out.write(f"| {shown} | " + " | ".join(_md(c) for c in cells) + " |\n")
    out.write("\n")
    for note in _notes(view):
        out.write(f"{_md(note)}\n\n")
    missing = _not_computed(view)
    if missing:
        out.write("Not computed:\n\n" + "".join(f"- {_md(m)}\n" for m in missing))
    return out.getvalue()


def _benchmarking_header(view: SeriesView) -> dict[str, Any] | None:
    bench = view.bench
    if bench is None:
        return None
    from .benchmarking import BenchmarkView

    header = BenchmarkView(
        (),
        targets=bench.options.targets,
        comparators=bench.options.comparators,
        authority=bench.authority,
        group=bench.group,
    ).header()
    header.pop("previous_period", None)
    header["published_periods"] = sorted(
        {r["published_period"] for r in view.rows if r.get("published_period")}
    )
    header["direction"] = (
        "against the previous month's cell of the same kind"
        if bench.options.compare_previous
        else None
    )
    header["comparators_note"] = (
        "annual published figures: each cell has those of the latest year in the file that "
        "ends by its period's end"
    )
    return header


def _json(view: SeriesView) -> str:
    payload: dict[str, Any] = {"series": view.header()}
    payload["data"] = [] if view.bundle is None else view.bundle.coverage_summary()
    bench = _benchmarking_header(view)
    if bench is not None:
        payload["benchmarking"] = bench
    payload["rows"] = [{k: plain(v) for k, v in row.items()} for row in view.rows]
    return json.dumps(payload, indent=2) + "\n"


def render_series(view: SeriesView, fmt: str) -> str:
    """The series in a format: ``table``, ``csv``, ``json`` or ``markdown``."""
    if fmt == "json":
        return _json(view)
    if fmt == "csv":
        return csv_text(view.rows)
    if fmt == "markdown":
        return _markdown(view)
    return _table(view)
