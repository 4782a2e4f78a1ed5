"""Rendering benchmarking: the benchmarking section of the standard scorecard (table and
Markdown; CSV and JSON add the keys to each row in :mod:`.render`) and the ChAT-style
four-column summary (``--layout chat``) in every format.

Every rating is text (``green``, ``better``, ``above (worse)``), never colour alone; a missing
figure is ``-``; a suppressed published figure is its symbol (``c``), never 0.
"""

from __future__ import annotations

import io
import json
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..benchmarking import BenchmarkRow, PublishedFigure
from ..scoring import Scorecard
from .benchmarking import BenchmarkView
from .render import FORMATS, WIDTH, csv_text, plain

__all__ = [
    "BENCHMARK_KEYS",
    "CHAT_COLUMNS",
    "benchmark_markdown",
    "benchmark_table",
    "benchmark_values",
    "chat_rows",
    "render_chat",
]

BENCHMARK_KEYS: tuple[str, ...] = (
    "target",
    "rag",
    "direction",
    "direction_published",
    "england",
    "region",
    "comparator",
    "comparator_mean",
    "published",
    "quartile_band",
    "rank",
    "rank_of",
)
"""The keys every format carries per indicator when benchmarking is asked for (CSV and JSON
carry the other keys of :meth:`BenchmarkRow.to_dict` too)."""


def benchmark_values(view: BenchmarkView) -> dict[str, dict[str, Any]]:
    """Each indicator's benchmarking as plain values (:meth:`BenchmarkRow.to_dict`), by id."""
    return {r.indicator: r.to_dict() for r in view.rows}


# -- cells ----------------------------------------------------------------------------------------


def _num(value: float | int | None, decimals: int) -> str:
    return "-" if value is None else f"{value:,.{decimals}f}"


def _fig(value: PublishedFigure | None) -> str:
    return "-" if value is None else str(value)


def _text(value: object) -> str:
    return "-" if value is None else str(getattr(value, "value", value))


def _position(row: BenchmarkRow) -> str:
    if row.position is None:
        return "-"
    rating = row.position_rating
    return f"{row.position.value} ({rating.value})" if rating is not None else row.position.value


def _has_any(row: BenchmarkRow) -> bool:
    return any(getattr(row, k) is not None for k in ("target", "previous", "direction")) or any(
        row.to_dict()[k] is not None for k in BENCHMARK_KEYS
    )


def _has_published(row: BenchmarkRow) -> bool:
    return any(v is not None for v in (row.published, row.england, row.comparator, row.region))


def _others(n: int) -> str:
    return f"{n} other indicator{'' if n == 1 else 's'}"


def _name(path: str | None) -> str:
    return "-" if path is None else os.path.basename(path)


def _title(view: BenchmarkView) -> str:
    area = view.authority
    if area is None:
        return "Benchmarking"
    region = area.region_name or area.region_code
    return f"Benchmarking: {area}" + (f", {region}" if region else "")


def _legend(view: BenchmarkView) -> list[tuple[str, str]]:
    """What each benchmarking column is, and where its figures come from."""
    parts: list[tuple[str, str]] = []
    if view.targets is not None:
        parts.append(("Target, RAG", f"from {_name(view.targets)}: red, amber or green"))
    if view.previous is not None:
        parts.append(
            (
                "Trend",
                f"against {view.previous}, from the same inputs (- where either figure is missing)",
            )
        )
    if view.comparators is None:
        return parts
    years = ", ".join(view.published_periods) or "none for these indicators"
    shown = "England" if view.authority is None else "Pub, England, Region"
    parts.append((shown, f"published figures ({years}) from {_name(view.comparators)}"))
    if view.authority is not None:
        parts.append(("vs pub", "the latest figure against Pub, the authority's published one"))
    if view.group is not None:
        members = ", ".join(view.group.members)
        parts.append(("Comp, Mean", f"median and mean of {view.group.name} ({members})"))
    if view.authority is not None:
        parts.append(
            ("Band, Rank", "Pub among all authorities: quartile (A best, D worst), rank (1 best)")
        )
    return parts


def _numbers(row: BenchmarkRow) -> dict[str, str]:
    d = row.decimals
    return {
        "Value": _num(row.value, d),
        "Target": "-" if row.target is None else f"{row.target.target:,}",
        "RAG": _text(row.rag),
        "Trend": _text(row.direction),
        "vs pub": _text(row.direction_published),
        "Pub": _fig(row.published),
        "England": _fig(row.england),
        "Region": _fig(row.region),
        "Comp": _num(row.comparator, d),
        "Mean": _num(row.comparator_mean, d),
        "Band": _text(row.quartile_band),
        "Rank": "-" if row.rank is None else f"{row.rank}/{row.rank_of}",
    }


def _columns(view: BenchmarkView) -> list[str]:
    """The columns the inputs given can fill: those of a file not given are left out."""
    heads = ["Value"]
    if view.targets is not None:
        heads += ["Target", "RAG"]
    if view.previous is not None:
        heads.append("Trend")
    if view.comparators is not None:
        mine = view.authority is not None
        heads += ["vs pub", "Pub"] if mine else []
        heads.append("England")
        heads += ["Region"] if mine else []
        heads += ["Comp", "Mean"] if view.group is not None else []
        heads += ["Band", "Rank"] if mine else []
    return heads


_LEFT = frozenset({"RAG", "Trend", "vs pub", "Band"})


def _wrap(text: str, width: int, indent: str = "") -> str:
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent)


def benchmark_table(view: BenchmarkView, titles: Mapping[str, str]) -> str:
    """The benchmarking section of the scorecard table: a legend, then for each indicator with
    anything to show its title on one line and its figures under it, in at most
    :data:`WIDTH` columns. ``titles`` are the titles to show, by indicator id."""
    rows = [r for r in view.rows if _has_any(r)]
    out = io.StringIO()
    out.write(f"\n{_title(view)}\n")
    legend = _legend(view)
    key_width = max((len(k) for k, _ in legend), default=0)
    for key, text in legend:
        first = f"  {key.ljust(key_width)}  "
        wrapped = textwrap.wrap(text, WIDTH - len(first)) or [""]
        out.write(first + wrapped[0] + "\n")
        out.writelines(" " * len(first) + more + "\n" for more in wrapped[1:])
    out.write("\n")
    if not rows:
        out.write("(no indicator has a target, a previous figure or a published figure)\n")
        return out.getvalue()
    cells = [_numbers(r) for r in rows]
    heads = _columns(view)
    widths = {h: max(len(h), *(len(c[h]) for c in cells)) for h in heads}
    gap = "  " if 2 + sum(widths.values()) + 2 * (len(heads) - 1) <= WIDTH else " "

    def line(values: Mapping[str, str]) -> str:
        shown = [
            values[h].ljust(widths[h]) if h in _LEFT else values[h].rjust(widths[h]) for h in heads
        ]
        return ("  " + gap.join(shown)).rstrip()

    out.write("Indicator\n" + line({h: h for h in heads}) + "\n")
    out.write("  " + gap.join("-" * widths[h] for h in heads) + "\n")
    for row, values in zip(rows, cells, strict=True):
        out.write(_wrap(titles.get(row.indicator, row.title), WIDTH) + "\n")
        out.write(line(values) + "\n")
    left = len(view.rows) - len(rows)
    if left:
        out.write(f"({_others(left)}: no target, previous figure or published figure)\n")
    return out.getvalue()


def _md(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n"


def benchmark_markdown(view: BenchmarkView, titles: Mapping[str, str]) -> str:
    """The benchmarking section of the Markdown scorecard."""
    rows = [r for r in view.rows if _has_any(r)]
    out = io.StringIO()
    out.write(f"\n### {_title(view)}\n\n")
    out.writelines(f"- {key}: {text}\n" for key, text in _legend(view))
    out.write("\n")
    if not rows:
        out.write("(no indicator has a target, a previous figure or a published figure)\n")
        return out.getvalue()
    heads = ["Indicator", *_columns(view)]
    out.write(_md(heads))
    out.write("|---|" + "|".join("---" if h in _LEFT else "---:" for h in heads[1:]) + "|\n")
    for row in rows:
        cells = _numbers(row)
        out.write(_md([titles.get(row.indicator, row.title), *(cells[h] for h in heads[1:])]))
    return out.getvalue()


# -- the ChAT summary -----------------------------------------------------------------------------


CHAT_COLUMNS: tuple[str, ...] = (
    "indicator",
    "title",
    "period",
    "latest",
    "direction",
    "published_period",
    "published",
    "comparator",
    "comparator_name",
    "england",
    "position",
    "position_rating",
)
"""The columns of the ChAT-style summary in CSV (the keys of each row in JSON)."""


def chat_rows(view: BenchmarkView) -> list[dict[str, Any]]:
    """The ChAT-style summary as plain rows, for the indicators with a published figure: the
    latest figure and its direction of travel; the published figures of the authority, its
    comparator group (median) and England; and the position against the middle 50%."""
    out: list[dict[str, Any]] = []
    for r in view.rows:
        if not _has_published(r):
            continue
        d = r.to_dict()
        d.update(indicator=r.indicator, title=r.title, period=r.period, latest=r.value)
        out.append({k: d[k] for k in CHAT_COLUMNS})
    return out


def _chat_cells(row: BenchmarkRow, title: str) -> list[str]:
    d = row.decimals
    return [
        title,
        _num(row.value, d),
        _text(row.direction),
        _fig(row.published),
        _num(row.comparator, d),
        _fig(row.england),
        _position(row),
    ]


def _chat_heading(card: Scorecard, view: BenchmarkView) -> list[str]:
    who = str(view.authority) if view.authority is not None else "no authority given"
    lines = [f"ChAT summary {card.period}: {who}"]
    if view.group is not None:
        lines.append(f"Comparator: median of {view.group.name} ({', '.join(view.group.members)})")
    if view.previous is not None:
        lines.append(
            f"Direction of travel: against {view.previous} (- where either figure is missing)"
        )
    return lines


def _published_label(view: BenchmarkView) -> str:
    years = view.published_periods
    return f"Published {years[-1]}" if len(years) == 1 else "Published"


def _chat_table(card: Scorecard, view: BenchmarkView, titles: Mapping[str, str]) -> str:
    rows = [r for r in view.rows if _has_published(r)]
    out = io.StringIO()
    out.write("\n".join(_chat_heading(card, view)) + "\n\n")
    heads = ["Indicator", "Figure", "Travel", "Authority", "Comparator", "England", "Middle 50%"]
    groups = [
        (f"Latest {card.period}", 1, 3),
        (_published_label(view), 3, 6),
        ("All authorities", 6, 7),
    ]
    body = [_chat_cells(r, titles.get(r.indicator, r.title)) for r in rows]
    widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(heads)]
    for label, start, stop in groups:  # widen a group's last column to fit its label
        span = sum(widths[start:stop]) + 2 * (stop - start - 1)
        widths[stop - 1] += max(0, len(label) - span)
    rest = sum(widths[1:]) + 2 * (len(heads) - 1)
    longest = max((len(b[0]) for b in body), default=0)
    widths[0] = max(20, min(longest, WIDTH - rest))

    def fmt(cells: Sequence[str]) -> str:
        titled = textwrap.wrap(cells[0], widths[0], subsequent_indent="  ") or [""]
        first = [titled[0].ljust(widths[0])]
        for i in range(1, len(heads)):
            first.append(cells[i].ljust(widths[i]) if i in (2, 6) else cells[i].rjust(widths[i]))
        return "\n".join(["  ".join(first).rstrip(), *titled[1:]]) + "\n"

    top = " " * widths[0]
    for label, start, stop in groups:
        span = sum(widths[start:stop]) + 2 * (stop - start - 1)
        top += "  " + label.center(span)
    out.write(top.rstrip() + "\n" + fmt(heads))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for cells in body:
        out.write(fmt(cells))
    if not body:
        out.write(f"(no indicator has a published figure in {_name(view.comparators)})\n")
    _chat_notes(out, view, rows)
    return out.getvalue()


def _chat_notes(out: io.StringIO, view: BenchmarkView, shown: Sequence[BenchmarkRow]) -> None:
    years = view.published_periods
    if len(years) > 1:
        for row in shown:
            out.write(f"{row.title}: published {row.published_period}\n")
    left = len(view.rows) - len(shown)
    if left:
        out.write(
            f"\n{_others(left)} {'has' if left == 1 else 'have'} no published figure in "
            f"{_name(view.comparators)}.\n"
        )


def _chat_markdown(card: Scorecard, view: BenchmarkView, titles: Mapping[str, str]) -> str:
    rows = [r for r in view.rows if _has_published(r)]
    out = io.StringIO()
    lines = _chat_heading(card, view)
    out.write(f"## {lines[0]}\n\n" + "".join(f"{line}.\n" for line in lines[1:]))
    published = _published_label(view)
    out.write(
        "\n"
        + _md(
            [
                "Indicator",
                f"Latest {card.period}",
                "Direction of travel",
                f"{published}: authority",
                "Comparator",
                "England",
                "Against middle 50%",
            ]
        )
    )
    out.write("|---|---:|---|---:|---:|---:|---|\n")
    for row in rows:
        out.write(_md(_chat_cells(row, titles.get(row.indicator, row.title))))
    if not rows:
        out.write("| (none) | | | | | | |\n")
    _chat_notes(out, view, rows)
    return out.getvalue()


def _chat_json(card: Scorecard, view: BenchmarkView) -> str:
    payload = {
        "layout": "chat",
        "period": {
            "name": str(card.period),
            "start": card.period.start.isoformat(),
            "end": card.period.end.isoformat(),
        },
        "benchmarking": view.header(),
        "rows": [{k: plain(v) for k, v in r.items()} for r in chat_rows(view)],
    }
    return json.dumps(payload, indent=2) + "\n"


def render_chat(card: Scorecard, fmt: str, view: BenchmarkView, titles: Mapping[str, str]) -> str:
    """The ChAT-style four-column summary of ``card`` in one of :data:`FORMATS`: the
    authority's latest figure and direction of travel; the published figures of the authority,
    its comparator group and England; and the authority against the middle 50% of all
    authorities. Only the indicators with a published figure are shown."""
    renderers: dict[str, Callable[[], str]] = {
        "csv": lambda: csv_text(chat_rows(view), CHAT_COLUMNS),
        "json": lambda: _chat_json(card, view),
        "markdown": lambda: _chat_markdown(card, view, titles),
        "table": lambda: _chat_table(card, view, titles),
    }
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return renderers[fmt]()
