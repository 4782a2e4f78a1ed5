"""The documentation's tables, generated from the table declarations (see :mod:`._tables`):
:func:`markdown`, :func:`summary` and :func:`regenerate`."""

from __future__ import annotations

import attrs

from ._table_types import Column
from ._tables_cin import CIN_TABLES
from ._tables_ssda903 import TABLES

# -- documentation --------------------------------------------------------------------------------


def _codes_cell(column: Column) -> str:
    lists = column.lists()
    if not lists:
        return ""
    cell = f"`{column.codes}`"
    if len({codes for codes in lists.values() if codes}) > 1:
        cell += " (changes by year)"
    years = [y for y, codes in lists.items() if codes]
    if years[0] != min(lists):
        cell += f" ({years[0]}-{(years[0] + 1) % 100:02d} on)"
    elif years[-1] != max(lists):
        cell += f" (to {years[-1]}-{(years[-1] + 1) % 100:02d})"
    return cell


def signature(record: type) -> str:
    """``Referral(child_id, date, closure_date=None, ...)``: a record's constructor."""
    parts = []
    for a in attrs.fields(record):
        if a.default is attrs.NOTHING:
            parts.append(a.name)
        else:
            default = a.default.factory() if isinstance(a.default, attrs.Factory) else a.default  # type: ignore[arg-type]
            parts.append(f"{a.name}={default!r}")
    return f"{record.__name__}({', '.join(parts)})"


def markdown(returns: str) -> str:
    """The tables of ``docs/records.md`` for one return (``SSDA903`` or ``CIN census``): per
    table, the record it gives and each column read, with the record field it fills, its
    type, code list and whether it is required."""
    out: list[str] = []
    tables = TABLES if returns == "SSDA903" else CIN_TABLES
    for table in tables:
        if table.record is None:
            continue
        where = f"`{table.xml}`" if returns == "CIN census" else f"{table.name}"
        out.append(f"**{where}**: {table.doc}, `{signature(table.record)}`\n")
        out.append("| column | field | type | codes, notes | required |")
        out.append("|---|---|---|---|---|")
        for column in table.items:
            if column.field is None:
                continue
            name = f"`{column.name}`"
            if column.xml and column.presence != "xml":
                name += f" (XML `{column.xml}`)"
            if column.presence == "xml":
                name += " (XML only)"
            if column.required:
                need = "yes"
            elif column.presence == "optional" and returns == "SSDA903":
                need = "no; the column may be absent"
            else:
                need = "no"
            notes = [n for n in (_codes_cell(column), column.doc) if n]
            if column.breakdown:
                notes.append("breakdown: a bad value is read as not recorded")
            out.append(
                f"| {name} | `{column.field}` | {column.type} | {'; '.join(notes)} | {need} |"
            )
        ignored = [c.name for c in table.items if c.field is None]
        if ignored:
            out.append(f"\nNot read: {', '.join(ignored)}.")
        out.append("")
    return "\n".join(out)


def summary(returns: str) -> str:
    """The table of ``docs/reading-returns.md`` for one return: each table (or group), the
    columns read and the record kind."""
    if returns == "SSDA903":
        out = ["| Table | Columns read | Records |", "|---|---|---|"]
        for table in TABLES:
            if table.record is None:
                continue
            names = ", ".join(c.name for c in table.read if c.presence != "xml")
            out.append(f"| {table.name} | {names} | `{table.record.__name__}` |")
    else:
        out = ["| Census group | Items read | Record |", "|---|---|---|"]
        for table in CIN_TABLES:
            assert table.record is not None
            names = ", ".join(f"`{c.name}`" for c in table.read)
            out.append(f"| `{table.xml}` | {names} | `{table.record.__name__}` |")
    return "\n".join(out) + "\n"


GENERATED = {
    "docs/records.md": {"CIN census": markdown, "SSDA903": markdown},
    "docs/reading-returns.md": {"CIN census": summary, "SSDA903": summary},
}
"""The documentation pages and the generated part of each, by return."""

BEGIN = "<!-- generated from the table declarations: {} -->"
END = "<!-- end of generated tables -->"


def regenerate(text: str, page: str) -> str:
    """The page's text with each generated part rewritten from the declarations."""
    for returns, make in GENERATED[page].items():
        begin = BEGIN.format(returns)
        head, found, rest = text.partition(begin)
        if not found:
            raise ValueError(f"{page} has no {begin!r} marker")
        _, found, tail = rest.partition(END)
        if not found:
            raise ValueError(f"{page}: {begin!r} is not closed by {END!r}")
        text = f"{head}{begin}\n\n{make(returns)}\n{END}{tail}"
    return text
