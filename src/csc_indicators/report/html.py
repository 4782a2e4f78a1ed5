"""The report as one self-contained HTML page, written with a Jinja2 template (autoescape on).

Everything the page needs is in the file: the CSS in a ``<style>`` element, the charts as
inline SVG (:mod:`csc_indicators.report.svg`); no script is needed to read it and it names no
address, so it opens the same offline, attached to an email or archived, and prints to A4.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..bundle import RECORD_LABELS
from ..periods import Period
from ..results import DataIssue, ValueKind
from ._extra import missing
from .model import RecordRow, record_label
from .svg import COLOURS, Line, Marker, bar_chart, line_chart

if TYPE_CHECKING:
    from .model import Panel, Report

__all__ = ["charts", "render_html"]


def _label(period_label: str) -> str:
    """``March 2025`` as ``Mar 2025`` (a chart's month label)."""
    month, _, year = period_label.partition(" ")
    return f"{month[:3]} {year}".strip()


def _markers(panel: Panel) -> list[Marker]:
    b = panel.bench
    out: list[Marker] = []
    if b.england is not None and b.england.value is not None:
        out.append(Marker("england", "England", b.england.value))
    if b.region is not None and b.region.value is not None:
        out.append(Marker("region", "Region", b.region.value))
    if b.comparator is not None:
        out.append(Marker("neighbours", "Neighbours", float(b.comparator)))
    return out


def _describe(panel: Panel, labels: list[str], lines: list[Line]) -> str:
    """The chart in words: each line's first and last figure, the target and the markers."""
    parts: list[str] = []
    for line in lines:
        present = [(labels[i], v) for i, v in enumerate(line.values) if v is not None]
        if not present:
            parts.append(f"{line.label}: no figure.")
            continue
        (first_label, first), (last_label, last) = present[0], present[-1]
        low = min(present, key=lambda p: p[1])
        high = max(present, key=lambda p: p[1])
        parts.append(
            f"{line.label}: {panel.fmt(last)} in {last_label} (from {panel.fmt(first)} in "
            f"{first_label}; lowest {panel.fmt(low[1])} in {low[0]}, highest "
            f"{panel.fmt(high[1])} in {high[0]})."
        )
    target = panel.bench.target
    if target is not None:
        parts.append(f"Target {panel.fmt(float(target.target))}.")
    for m in _markers(panel):
        parts.append(f"{m.label} {panel.fmt(m.value)} (published {panel.bench.published_period}).")
    return " ".join(parts)


def charts(panel: Panel) -> list[str]:
    """The SVG charts of one indicator: one line chart of the in-month, year-to-date and
    rolling-12-month figures (with the target and the published markers); for a count or a
    rate, the in-month figures as bars above the year-to-date and rolling-12 lines, as they
    are on another scale; for a snapshot (the three figures equal every month), one line;
    none when no month has a figure."""
    labels = [_label(p.month.label) for p in panel.points]
    in_month = tuple(p.in_month for p in panel.points)
    ytd = tuple(p.ytd for p in panel.points)
    r12 = tuple(p.rolling_12 for p in panel.points)
    target = panel.bench.target
    target_value = None if target is None else float(target.target)
    kind = panel.result.kind if panel.result is not None else panel.spec.kind
    percentage = kind is ValueKind.PERCENTAGE
    decimals = panel.decimals

    def tick(v: float) -> str:
        shown = f"{v:,.{decimals}f}" if v != int(v) else f"{v:,.0f}"
        return f"{shown}%" if percentage else shown

    title = panel.spec.title
    ident = f"chart-{panel.id}"
    if all(v is None for v in (*in_month, *ytd, *r12)):
        return []  # nothing to draw: the page says why

    def trend(name: str, what: str, lines: list[Line], **extra: Any) -> str:
        """A line chart of ``lines`` with the target and the comparators' markers."""
        return line_chart(
            name,
            title=f"{title}: {what}",
            desc=_describe(panel, labels, lines),
            labels=labels,
            lines=lines,
            target=target_value,
            markers=_markers(panel),
            text=tick,
            label=panel.fmt,
            **extra,
        )

    if is_snapshot(panel):
        end = tuple(_first(p.in_month, p.ytd, p.rolling_12) for p in panel.points)
        lines = [Line("ytd", "At the end of each month", end)]
        return [
            trend(
                ident,
                "at the end of each month",
                lines,
                percentage=percentage,
                zero=kind is ValueKind.COUNT,
            )
        ]
    if kind in (ValueKind.COUNT, ValueKind.RATE_PER_10K):
        lines = [
            Line("ytd", "Year to date", ytd),
            Line("rolling-12", "Rolling 12 months", r12),
        ]
        bars = [Line("in-month", "In month", in_month)]
        return [
            bar_chart(
                f"{ident}-month",
                title=f"{title}: in month",
                desc=_describe(panel, labels, bars),
                labels=labels,
                values=in_month,
                text=tick,
                height=130,
            ),
            trend(ident, "year to date and rolling 12 months", lines, zero=True, height=150),
        ]
    lines = [
        Line("in-month", "In month", in_month),
        Line("ytd", "Year to date", ytd),
        Line("rolling-12", "Rolling 12 months", r12),
    ]
    return [
        trend(
            ident,
            "in month, year to date and rolling 12 months",
            lines,
            percentage=percentage,
        )
    ]


def _first(*values: float | int | None) -> float | int | None:
    return next((v for v in values if v is not None), None)


def is_snapshot(panel: Panel) -> bool:
    """Whether the indicator's three figures are equal in every month where they exist (a
    count at the period end, say): then one line shows them."""
    for p in panel.points:
        present = {v for v in (p.in_month, p.ytd, p.rolling_12) if v is not None}
        if len(present) > 1:
            return False
    return True


def legend(panel: Panel, chart_count: int) -> list[tuple[str, str, str]]:
    """The legend under an indicator's charts: ``(shape, colour, text)``."""
    same = is_snapshot(panel)
    out: list[tuple[str, str, str]] = []
    if same:
        out.append(("line", COLOURS["ytd"], "At the end of each month"))
    else:
        if chart_count == 2:
            out.append(("bar", COLOURS["bar"], "In month (bars)"))
        else:
            out.append(("line", COLOURS["in-month"], "In month"))
        out.append(("line", COLOURS["ytd"], "Year to date"))
        out.append(("dash", COLOURS["rolling-12"], "Rolling 12 months"))
    if panel.bench.target is not None:
        out.append(("dash", COLOURS["target"], "Target"))
    for m in _markers(panel):
        out.append((m.key, COLOURS[m.key], f"{m.label} ({panel.bench.published_period})"))
    return out


def render_html(report: Report) -> str:
    """The page (see :meth:`Report.html`)."""
    try:
        import jinja2
        import markupsafe
    except ImportError as exc:  # pragma: no cover - the tests run with the extra installed
        raise missing("Jinja2", "The HTML report") from exc
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("csc_indicators.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    view: dict[str, Any] = {}
    for panel in report.panels:
        svgs = charts(panel)
        view[panel.id] = {
            "charts": [markupsafe.Markup(s) for s in svgs],
            "legend": legend(panel, len(svgs)),
            "records": panel.records,
        }
    env.globals.update(day=_day, counts=_counts, record=_record, fy=_financial_year)
    template = env.get_template("report.html.j2")
    return template.render(report=report, view=view, colours=COLOURS, record_labels=RECORD_LABELS)


def _day(value: _dt.date) -> str:
    """``1 April 2024`` (``%-d`` is not portable)."""
    return f"{value.day} {value:%B %Y}"


def _financial_year(year: int) -> str:
    """``2024`` as ``2024-25``."""
    return str(Period.financial_year(year))


def _counts(records: Sequence[RecordRow]) -> list[tuple[str, int]]:
    """How many records of each status, in the drill-down's order."""
    seen: dict[str, int] = {}
    for r in records:
        seen[r.status] = seen.get(r.status, 0) + 1
    return list(seen.items())


def _record(issue: DataIssue) -> str:
    """The record a problem an indicator found names: its type and dates."""
    return record_label(issue.record)
