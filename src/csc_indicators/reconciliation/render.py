"""A reconciliation as a table, CSV or JSON: the summary first, then one row per difference,
and the provenance of our figures.

* ``table``: the summary (both figures, the records per class, the explanations and notes), the
  differing records, and the provenance as a footer; it fits :data:`WIDTH` columns (long
  lines and the Reason column wrap).
* ``csv``: comment lines starting with ``#`` (the provenance, then the summary), then a header
  and one row per differing record. ``pandas.read_csv(path, comment="#")`` reads the rows.
* ``json``: an object with ``provenance``, ``summary`` and ``differences``.
"""

from __future__ import annotations

import datetime as _dt
import enum
import io
import json
import textwrap
from collections.abc import Sequence
from typing import Any, Literal

from ..cli.render import write_csv_rows
from ..results import ValueKind
from .model import Figure, Reconciliation

__all__ = ["FORMATS", "WIDTH", "Format", "render", "summary_lines"]

Format = Literal["table", "csv", "json"]
FORMATS: tuple[Format, ...] = ("table", "csv", "json")

WIDTH = 100
"""The widest line of the table form."""

_REASON_MIN = 30
"""The narrowest the Reason column gets before the table gives up fitting :data:`WIDTH`."""


def _plain(value: object) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _cell(value: object) -> str:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, float) and plain.is_integer():
        return str(int(plain))
    return str(plain)


def _shown(figure: Figure, kind: ValueKind) -> str:
    v = figure.rounded_value
    if v is None:
        return "n/a"
    return f"{v}%" if kind is ValueKind.PERCENTAGE else str(v)


def summary_lines(rec: Reconciliation, kind: ValueKind) -> list[str]:
    """The summary as lines of text: what was compared, both figures, the records per class,
    the explanations (offsets and the parameter that closes the gap) and the notes."""
    out = [
        f"Reconciliation: {rec.title} ({rec.indicator}), {rec.period}",
        f"Matched on: {', '.join(('child_id', *rec.key_roles))}",
    ]
    out.append(
        f"Ours:   {_shown(rec.ours, kind)} [{_cell(rec.ours.numerator) or '?'}/"
        f"{rec.ours.denominator}]"
    )
    out.append(
        f"Theirs: {_shown(rec.theirs, kind)} [{_cell(rec.theirs.numerator) or '?'}/"
        f"{rec.theirs.denominator}]"
    )
    counts = rec.counts()
    out.append(f"Records: {sum(counts.values())}, of which {len(rec.differences)} differ")
    width = max(len(str(s)) for s in counts)
    out.extend(f"  {str(s).ljust(width)}  {n:>6}" for s, n in counts.items())
    explanations = list(rec.offsets)
    if rec.suggestion is not None:
        explanations.append(rec.suggestion.text)
    elif rec.trials:
        tried = ", ".join(sorted({t.name for t in rec.trials}))
        explanations.append(f"no single parameter reduces the differences (tried {tried})")
    if explanations:
        out.append("Explained:")
        out.extend(f"  {line}" for line in explanations)
    if rec.notes:
        out.append("Notes:")
        out.extend(f"  {line}" for line in rec.notes)
    return out


def _columns(rec: Reconciliation) -> list[str]:
    return [
        "status",
        "child_id",
        *rec.key_roles,
        "our_counted",
        "our_met",
        "our_measure",
        "their_line",
        "their_counted",
        "their_met",
        "their_measure",
        "reason",
        "our_reason",
    ]


def _csv(rec: Reconciliation, kind: ValueKind) -> str:
    out = io.StringIO()
    assert rec.provenance is not None
    out.write(rec.provenance.comment_lines())
    for line in summary_lines(rec, kind):
        out.write(f"# {line}\n")
    columns = _columns(rec)
    write_csv_rows(out, columns, ([_cell(row.get(c)) for c in columns] for row in rec.rows()))
    return out.getvalue()


def _json(rec: Reconciliation) -> str:
    payload = {
        "provenance": None if rec.provenance is None else rec.provenance.to_dict(),
        "summary": _plain(rec.summary()),
        "differences": [_plain(r) for r in rec.rows()],
    }
    return json.dumps(payload, indent=2) + "\n"


def _flags(counted: object, met: object, measure: object) -> str:
    if counted is None and met is None and measure is None:
        return "-"

    def yn(v: object) -> str:
        return "?" if v is None else ("Y" if v else "N")

    return f"{yn(counted)}/{yn(met)}/{_cell(measure) or '-'}"


def _wrapped(line: str) -> list[str]:
    """A summary line fitted to :data:`WIDTH`, continuation lines indented past its own
    indent."""
    if len(line) <= WIDTH:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")))
    return textwrap.wrap(
        line,
        WIDTH,
        initial_indent="",
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
        break_long_words=False,
    )


def _table(rec: Reconciliation, kind: ValueKind) -> str:
    lines = [piece for line in summary_lines(rec, kind) for piece in _wrapped(line)]
    rows = rec.rows()
    lines.append("")
    if rows:
        lines.append(f"Differences ({len(rows)}); counted/met/measure for each side, and why:")
        head = ["Status", "Child", *rec.key_roles, "Ours", "Theirs (line)", "Reason"]
        body: list[list[str]] = []
        for r in rows:
            their = _flags(r["their_counted"], r["their_met"], r["their_measure"])
            if r["their_line"] is not None:
                their = f"{their} ({r['their_line']})"
            body.append(
                [
                    str(r["status"]),
                    str(r["child_id"]),
                    *(_cell(r[k]) or "-" for k in rec.key_roles),
                    _flags(r["our_counted"], r["our_met"], r["our_measure"]),
                    their,
                    str(r["reason"]),
                ]
            )
        lines.extend(_aligned(head, body))
    else:
        lines.append("No differences.")
    assert rec.provenance is not None
    return "\n".join(lines) + "\n\n" + rec.provenance.footer(WIDTH)


def _aligned(head: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    """The rows in columns fitting :data:`WIDTH`: the last (the reason) wraps in its column,
    continuation lines starting under it; when the other columns leave it less than
    :data:`_REASON_MIN`, each reason goes under its record instead, indented."""
    widths = [max([len(h)] + [len(row[i]) for row in body]) for i, h in enumerate(head)]
    start = sum(widths[:-1]) + 2 * (len(widths) - 1)
    inline = WIDTH - start >= _REASON_MIN
    if inline:
        widths[-1] = min(widths[-1], WIDTH - start)
    else:
        widths = widths[:-1]

    def fmt(cells: Sequence[str]) -> list[str]:
        if not inline:
            parts = [c.ljust(w) for c, w in zip(cells[:-1], widths, strict=True)]
            first = "  ".join(parts).rstrip()
            return [
                first,
                *textwrap.wrap(
                    cells[-1],
                    WIDTH,
                    initial_indent="    ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                ),
            ]
        parts = [c.ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)]
        reason = textwrap.wrap(cells[-1], widths[-1], break_on_hyphens=False) or [""]
        first = "  ".join([*parts, reason[0]]).rstrip()
        return [first, *(" " * start + more for more in reason[1:])]

    out = fmt(head) if inline else fmt(head)[:1]
    out.append("  ".join("-" * w for w in widths))
    for row in body:
        out.extend(fmt(row))
    return out


def render(rec: Reconciliation, fmt: Format = "table") -> str:
    """The reconciliation as text in one of :data:`FORMATS` (``table``, ``csv``, ``json``)."""
    kind = rec.kind
    if fmt == "csv":
        return _csv(rec, kind)
    if fmt == "json":
        return _json(rec)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    return _table(rec, kind)
