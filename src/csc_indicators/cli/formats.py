"""Output formats shared by every command: the formats' names, the width of a table, values as
plain JSON-friendly data, rows as CSV text, and the provenance added to any rendered output.
"""

from __future__ import annotations

import csv
import datetime as _dt
import enum
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..provenance import Provenance

__all__ = ["FORMATS", "WIDTH", "add_provenance", "csv_text", "plain", "write_csv_rows"]

FORMATS = ("table", "csv", "json", "markdown")
"""The output formats."""

WIDTH = 100
"""The widest line of a table."""


def plain(value: object) -> Any:
    """A JSON-friendly form of a value: dates as ISO text, enums by name, tuples as lists."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (tuple, list, frozenset, set)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def _cell(value: object) -> str:
    shown = plain(value)
    if shown is None:
        return ""
    if isinstance(shown, bool):
        return "true" if shown else "false"
    if isinstance(shown, list):
        return ";".join(_cell(v) for v in shown)
    return str(shown)


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV text: the columns given, or every key in the order first seen."""
    rows = list(rows)
    if columns is None:
        seen: dict[str, None] = {}
        for row in rows:
            for key in row:
                seen.setdefault(key, None)
        columns = list(seen)
    out = io.StringIO()
    write_csv_rows(out, columns, ([_cell(row.get(c)) for c in columns] for row in rows))
    return out.getvalue()


def write_csv_rows(out: io.StringIO, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write CSV rows after comment lines: a row with a ``#`` in a value has every value
    quoted, so that a reader told that ``#`` starts a comment (pandas' ``comment="#"``) does
    not cut it there."""
    plain = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(header)
    for cells in rows:
        (quoted if any("#" in c for c in cells) else plain).writerow(cells)


def add_provenance(text: str, fmt: str, provenance: Provenance | None) -> str:
    """A command's output in ``fmt`` with the provenance of its figures added: CSV gets leading
    ``#`` comment lines (``pandas.read_csv(path, comment="#")`` skips them), a JSON object a
    ``provenance`` key (last), a table a ``Computed with:`` footer fitting :data:`WIDTH`, and
    Markdown a ``### Computed with`` section. ``None`` leaves the text as it is.

    Any command can use it on what it renders (the scorecard, the ChAT summary, a series).
    """
    if provenance is None:
        return text
    if fmt == "csv":
        return provenance.comment_lines() + text
    if fmt == "json":
        payload = json.loads(text)
        if not isinstance(payload, dict):
            return (
                json.dumps({"data": payload, "provenance": provenance.to_dict()}, indent=2) + "\n"
            )
        payload["provenance"] = provenance.to_dict()
        return json.dumps(payload, indent=2) + "\n"
    block = provenance.markdown() if fmt == "markdown" else provenance.footer(WIDTH)
    return text.rstrip("\n") + "\n\n" + block
