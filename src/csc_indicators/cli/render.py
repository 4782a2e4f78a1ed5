"""Rendering: scorecards, the indicator list and per-record rows as a table, CSV, JSON or
Markdown. Pure functions from results to text, shared by every command.

:func:`scorecard_rows` gives one plain dict per indicator with everything shown (figures, data
quality, status); :func:`render_scorecard` lays them out in a format. The formats' building
blocks (:func:`plain`, :func:`csv_text`, :func:`add_provenance`...) live in
:mod:`~csc_indicators.cli.formats` and the indicator list (:func:`spec_dict`,
:func:`render_list`) in :mod:`~csc_indicators.cli.render_list`; both are importable from here
too.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..bundle import RECORD_LABELS, Bundle
from ..results import DataIssue, IndicatorResult, ValueKind
from ..scoring import Scorecard
from .formats import FORMATS, WIDTH, add_provenance, csv_text, plain, write_csv_rows
from .render_list import _kind_of, render_list, spec_dict

if TYPE_CHECKING:
    from ..provenance import Provenance
    from .benchmarking import BenchmarkView

__all__ = [
    "DATA_EXCLUSION_KINDS",
    "FORMATS",
    "WIDTH",
    "add_provenance",
    "csv_text",
    "data_exclusions",
    "loaded_summary",
    "plain",
    "render_list",
    "render_scorecard",
    "scorecard_rows",
    "spec_dict",
    "write_csv_rows",
]

DATA_EXCLUSION_KINDS = frozenset({"duplicate", "conflict", "date order", "calendar"})
"""The kinds of data issue for which an indicator sets a record aside (leaves it out of the
figure, or counts it once among its twins)."""


# -- data quality ---------------------------------------------------------------------------------


def data_exclusions(issues: Iterable[DataIssue]) -> int:
    """The number of records an indicator set aside because of bad data: the distinct records
    named by its issues of a kind in :data:`DATA_EXCLUSION_KINDS` (duplicate, conflict, date
    order, calendar). Each was left out of the figure with a reason, or counted once among its
    twins. Records left out because they are not in the indicator's cohort (outside the
    period, a short break, ...) are ordinary exclusions, not counted here."""
    seen: set[int] = set()
    for issue in issues:
        if issue.kind in DATA_EXCLUSION_KINDS:
            seen.add(id(issue.record) if issue.record is not None else id(issue))
    return len(seen)


def _issue_dict(issue: DataIssue) -> dict[str, Any]:
    return {
        "kind": issue.kind,
        "child_id": issue.child_id,
        "location": issue.location,
        "field": issue.field,
        "value": plain(issue.value),
        "message": issue.message,
    }


# -- the scorecard --------------------------------------------------------------------------------


def scorecard_rows(card: Scorecard, population: int | None = None) -> list[dict[str, Any]]:
    """One plain dict per indicator considered, computed or not, in scorecard order.

    Keys: indicator, title, short_title, family, period, numerator, denominator, population,
    value, rounded_value, kind, polarity, status (``computed`` or ``not computed``), reason,
    excluded_bad_data (:func:`data_exclusions`) and issues (the number of data issues the
    indicator found).
    """
    by_id = {r.indicator: r for r in card.results}
    skipped = {n.indicator: n for n in card.not_computed}
    rows: list[dict[str, Any]] = []
    for indicator, spec in card.specs.items():
        shown = spec_dict(spec)
        result: IndicatorResult | None = by_id.get(indicator)
        kind = result.kind if result is not None else _kind_of(spec, population)
        row: dict[str, Any] = {
            "indicator": indicator,
            "title": spec.title,
            "short_title": shown["short_title"],
            "family": shown["family"],
            "period": str(card.period),
            "numerator": None,
            "denominator": None,
            "population": population if kind is ValueKind.RATE_PER_10K else None,
            "value": None,
            "rounded_value": None,
            "kind": str(kind),
            "polarity": str(spec.polarity),
            "status": "computed",
            "reason": "",
            "excluded_bad_data": None,
            "issues": None,
        }
        if result is not None:
            row.update(
                numerator=result.numerator,
                denominator=result.denominator,
                value=result.value,
                rounded_value=result.rounded_value,
                excluded_bad_data=data_exclusions(result.issues),
                issues=len(result.issues),
            )
        else:
            row.update(status="not computed", reason=skipped[indicator].reason)
        rows.append(row)
    return rows


def loaded_summary(bundle: Bundle | None) -> list[dict[str, Any]]:
    """What was loaded, per source kind (:meth:`Bundle.coverage_summary`), or nothing."""
    return [] if bundle is None else bundle.coverage_summary()


def _count(n: int) -> str:
    return f"{n:,}"


def _value(row: Mapping[str, Any]) -> str:
    v = row["rounded_value"]
    kind = row["kind"]
    if row["status"] != "computed":
        return ""
    if v is None:
        return "n/a"
    if kind == str(ValueKind.PERCENTAGE):
        return f"{v}%"
    if kind == str(ValueKind.RATE_PER_10K):
        return f"{v} per 10,000"
    if kind == str(ValueKind.COUNT):
        return _count(int(v))
    return str(v)


def _figures(row: Mapping[str, Any]) -> tuple[str, str]:
    """The numerator and denominator cells: blank for a count (its value is the count), the
    count and the population for a rate."""
    if row["status"] != "computed" or row["kind"] == str(ValueKind.COUNT):
        return "", ""
    if row["kind"] == str(ValueKind.RATE_PER_10K):
        return _count(row["numerator"]), _count(row["population"] or 0)
    return _count(row["numerator"]), _count(row["denominator"])


_BETTER = {"higher is better": "higher", "lower is better": "lower", "context": "context"}


def _summary_lines(summary: list[dict[str, Any]], markdown: bool) -> list[str]:
    lines: list[str] = []
    for s in summary:
        files = f"{s['sources']} file{'s' if s['sources'] != 1 else ''}"
        head = f"{s['kind']}: {s['coverage']} ({files})"
        items = [f"{_count(n)} {RECORD_LABELS.get(name, name)}" for name, n in s["records"].items()]
        if markdown:
            lines.append(f"- {head}: {', '.join(items)}" if items else f"- {head}")
            continue
        lines.append("  " + head)
        line = ""
        for i, item in enumerate(items):
            piece = item + ("," if i < len(items) - 1 else "")
            if line and len(line) + 1 + len(piece) > WIDTH:
                lines.append(line)
                line = ""
            line = f"{line} {piece}" if line else f"    {piece}"
        if line:
            lines.append(line)
    return lines


def _heading(card: Scorecard) -> str:
    start, end = card.period.start, card.period.end
    return f"Scorecard {card.period} ({start.day} {start:%B %Y} to {end.day} {end:%B %Y})"


def _population_note(rows: list[dict[str, Any]]) -> str | None:
    pops = {r["population"] for r in rows if r["population"]}
    if not pops:
        return None
    return f"Rates are per 10,000 children aged 0-17, for a population of {_count(pops.pop())}."


def _table(card: Scorecard, rows: list[dict[str, Any]], summary: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write(_heading(card) + "\n")
    if summary:
        out.write("\nData loaded:\n" + "\n".join(_summary_lines(summary, False)) + "\n")
    note = _population_note(rows)
    if note:
        out.write("\n" + note + "\n")
    computed = [r for r in rows if r["status"] == "computed"]
    head = ["Indicator", "Numerator", "Denominator", "Value", "Better", "Bad data", "Issues"]
    body = [
        [
            r["short_title"],
            *_figures(r),
            _value(r),
            _BETTER.get(r["polarity"], r["polarity"]),
            _count(r["excluded_bad_data"] or 0),
            _count(r["issues"] or 0),
        ]
        for r in computed
    ]
    widths = [max([len(h)] + [len(line[i]) for line in body]) for i, h in enumerate(head)]
    rest = sum(widths[1:]) + 2 * (len(head) - 1)
    widths[0] = max(24, min(max(len(line[0]) for line in body) if body else 0, WIDTH - rest))

    def fmt(cells: list[str]) -> str:
        titles = textwrap.wrap(cells[0], widths[0], subsequent_indent="  ") or [""]
        first = [titles[0].ljust(widths[0])]
        first += [c.rjust(w) for c, w in zip(cells[1:4], widths[1:4], strict=True)]
        first.append(cells[4].ljust(widths[4]))
        first += [c.rjust(w) for c, w in zip(cells[5:], widths[5:], strict=True)]
        return "\n".join(["  ".join(first).rstrip(), *titles[1:]]) + "\n"

    out.write("\n" + fmt(head))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for line in body:
        out.write(fmt(line))
    if not body:
        out.write("(no indicator could be computed)\n")
    _not_computed(out, rows, markdown=False)
    _reading_problems(out, card)
    return out.getvalue()


def _not_computed(out: io.StringIO, rows: list[dict[str, Any]], markdown: bool) -> None:
    skipped = [r for r in rows if r["status"] != "computed"]
    if not skipped:
        return
    out.write("\n" + ("### Not computed\n\n" if markdown else "Not computed:\n"))
    for r in skipped:
        title = r["title"] if markdown else r["short_title"]
        line = f"{title} ({r['indicator']}): {r['reason']}"
        if markdown:
            out.write(f"- {line}\n")
        else:
            out.write(textwrap.fill(line, WIDTH, initial_indent="  ", subsequent_indent="    "))
            out.write("\n")


def _reading_problems(out: io.StringIO, card: Scorecard) -> None:
    if card.issues:
        n = len(card.issues)
        out.write(
            f"\n{n} problem{'' if n == 1 else 's'} found while reading the inputs "
            "(write them out with --issues FILE).\n"
        )


def _markdown(card: Scorecard, rows: list[dict[str, Any]], summary: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write(f"## {_heading(card)}\n\n")
    if summary:
        out.write("Data loaded:\n\n" + "\n".join(_summary_lines(summary, True)) + "\n\n")
    note = _population_note(rows)
    if note:
        out.write(note + "\n\n")
    out.write("| Indicator | Numerator | Denominator | Value | Better | Bad data | Issues |\n")
    out.write("|---|---:|---:|---:|---|---:|---:|\n")
    computed = [r for r in rows if r["status"] == "computed"]
    for r in computed:
        cells = [
            r["title"],
            *_figures(r),
            _value(r),
            _BETTER.get(r["polarity"], r["polarity"]),
            _count(r["excluded_bad_data"] or 0),
            _count(r["issues"] or 0),
        ]
        out.write("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n")
    if not computed:
        out.write("| (none) | | | | | | |\n")
    _not_computed(out, rows, markdown=True)
    _reading_problems(out, card)
    return out.getvalue()


def _json(
    card: Scorecard,
    rows: list[dict[str, Any]],
    summary: list[dict[str, Any]],
    benchmarking: Mapping[str, Any] | None = None,
) -> str:
    by_id = {r.indicator: r for r in card.results}
    indicators = []
    for row in rows:
        entry = {k: plain(v) for k, v in row.items()}
        result = by_id.get(row["indicator"])
        entry["data_issues"] = [] if result is None else [_issue_dict(i) for i in result.issues]
        indicators.append(entry)
    payload = {
        "period": {
            "name": str(card.period),
            "kind": card.period.kind.name,
            "start": card.period.start.isoformat(),
            "end": card.period.end.isoformat(),
        },
        "data": summary,
        "indicators": indicators,
        "not_computed": [
            {
                "indicator": n.indicator,
                "title": n.title,
                "missing": list(n.missing),
                "reason": n.reason,
            }
            for n in card.not_computed
        ],
        "sources": [
            {
                "kind": s.kind,
                "path": s.path,
                "collection_year": s.collection_year,
                "reference_date": plain(s.reference_date),
                "la_code": s.la_code,
            }
            for s in card.sources
        ],
        "issues": len(card.issues),
    }
    if benchmarking is not None:
        payload["benchmarking"] = dict(benchmarking)
    return json.dumps(payload, indent=2) + "\n"


def render_scorecard(
    card: Scorecard,
    fmt: str,
    *,
    bundle: Bundle | None = None,
    population: int | None = None,
    benchmarking: BenchmarkView | None = None,
    provenance: Provenance | None = None,
) -> str:
    """The scorecard in one of :data:`FORMATS`.

    Every format carries, per indicator, the figures, the records set aside for bad data and
    the number of data issues (:func:`scorecard_rows`); the table, Markdown and JSON forms are
    headed by what was loaded (records per kind, coverage per source) when ``bundle`` is given,
    and the JSON form lists each indicator's data issues. With ``benchmarking``, the CSV and
    JSON rows carry the keys of :meth:`~csc_indicators.benchmarking.BenchmarkRow.to_dict`
    (JSON also its sources, under ``benchmarking``), and the table and Markdown forms end with
    a benchmarking section. With ``provenance``, every form carries it
    (:func:`add_provenance`): CSV as leading ``#`` lines, JSON under ``provenance``, the table
    as a footer and Markdown as a last section.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    text = _render_scorecard(card, fmt, bundle, population, benchmarking)
    return add_provenance(text, fmt, provenance)


def _render_scorecard(
    card: Scorecard,
    fmt: str,
    bundle: Bundle | None,
    population: int | None,
    benchmarking: BenchmarkView | None,
) -> str:
    from .render_benchmarking import benchmark_markdown, benchmark_table, benchmark_values

    rows = scorecard_rows(card, population)
    titles = {r["indicator"]: r["short_title"] for r in rows}  # tables: to fit 100 columns
    full_titles = {r["indicator"]: r["title"] for r in rows}  # Markdown: no width to fit
    if benchmarking is not None:
        extra = benchmark_values(benchmarking)
        rows = [{**r, **extra.get(r["indicator"], {})} for r in rows]
    if fmt == "csv":
        return csv_text(rows)
    summary = loaded_summary(bundle)
    if fmt == "json":
        header = None if benchmarking is None else benchmarking.header()
        return _json(card, rows, summary, header)
    if fmt == "markdown":
        text = _markdown(card, rows, summary)
        return (
            text if benchmarking is None else text + benchmark_markdown(benchmarking, full_titles)
        )
    text = _table(card, rows, summary)
    return text if benchmarking is None else text + benchmark_table(benchmarking, titles)
