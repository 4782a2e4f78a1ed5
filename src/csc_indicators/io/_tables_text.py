"""Writing a value of a declared table (see :mod:`._tables`): the texts a field's value is
written as (:func:`text_of`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from ._table_types import Column

# -- writing a value ------------------------------------------------------------------------------


def text_of(
    column: Column,
    value: Any,
    *,
    dates: Callable[[_dt.date | None], str],
    flags: tuple[str, str] = ("1", "0"),
) -> list[str]:
    """The texts a field's value is written as (several for a repeated element; none when
    blank)."""
    if value is None or value == ():
        return []
    kind = column.type
    if kind in ("codes", "dates"):
        return [dates(v) if kind == "dates" else _write_code(column, v) for v in value]
    if kind in ("date", "partial date"):
        return [dates(value)]
    if kind == "flag":
        return [flags[0] if value else flags[1]]
    if kind == "int":
        return [str(value)]
    if kind == "code":
        return [_write_code(column, value)]
    return [str(value)]


def _write_code(column: Column, code: str) -> str:
    """A code as the column writes it: itself if the column's list has it, else the code its
    aliases read as it (``M`` in ``GenderCurrent``: 1)."""
    own = frozenset().union(*column.lists().values())
    if code in own or not column.aliases:
        return code
    for written, read in column.aliases.items():
        if read == code and written in own:
            return written
    return code
