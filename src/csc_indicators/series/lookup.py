"""A user's breakdown: :class:`Lookup`, each child's group (team, locality, worker...) from a
CSV file, rows or a mapping, maybe with validity dates.

:class:`Lookup` and :class:`LookupRow` are importable from
:mod:`~csc_indicators.series.grouping` too.
"""

from __future__ import annotations

import bisect
import csv
import datetime as _dt
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from ..bundle import Bundle
from ..errors import InputError
from .grouping_base import UNASSIGNED, Grouping, GroupOf

__all__ = ["Lookup", "LookupRow"]


@attrs.frozen(slots=True)
class LookupRow:
    """One row of a lookup: a child's group from one date to another (both included)."""

    child_id: str
    group: str
    start: _dt.date | None = None
    """The first day the row holds (``None``: from the beginning)."""
    end: _dt.date | None = None
    """The last day the row holds (``None``: without end)."""
    line: int | None = None
    """The line of the file it was read from."""

    def holds(self, day: _dt.date) -> bool:
        """Whether the row is valid on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


_CHILD_COLUMNS = ("child_id", "child", "childid", "lachildid", "la_child_id", "id")
_GROUP_COLUMNS = ("group", "team", "locality", "worker", "area", "unit")
_FROM_COLUMNS = ("from", "start", "valid_from", "from_date", "start_date")
_TO_COLUMNS = ("to", "end", "valid_to", "to_date", "end_date", "until")


def _read_day(text: str) -> _dt.date:
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return _dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError as exc:
        raise ValueError(f"not a date: {exc}") from None
    raise ValueError("not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _sort_key(row: LookupRow) -> tuple[_dt.date, _dt.date]:
    return (row.start or _dt.date.min, row.end or _dt.date.max)


class Lookup(Grouping):
    """A user's breakdown: each child's group (team, locality, worker...), maybe dated.

    A child's group for an outcome is that of the row valid on the outcome's date; children
    with no row valid then are in the ``unassigned`` group (never dropped). Build one from a
    CSV file (:meth:`from_csv`), from rows, or from a mapping ``{child_id: group}``.

    Raises:
        InputError: two rows of one child overlap (or repeat), or a row ends before it starts.
    """

    def __init__(
        self,
        rows: Iterable[LookupRow] | Mapping[str, str],
        *,
        name: str = "group",
        path: str | None = None,
    ) -> None:
        if isinstance(rows, Mapping):
            rows = [LookupRow(str(k), str(v)) for k, v in rows.items()]
        self.name = name
        self.path = path
        by_child: dict[str, list[LookupRow]] = {}
        for row in rows:
            if row.start is not None and row.end is not None and row.end < row.start:
                raise InputError(
                    f"the row for child {row.child_id} ends ({row.end}) before it starts "
                    f"({row.start})",
                    path=path,
                    location=None if row.line is None else f"line {row.line}",
                    field="to",
                )
            by_child.setdefault(row.child_id, []).append(row)
        for cid, items in by_child.items():
            items.sort(key=_sort_key)
            for a, b in itertools.pairwise(items):
                a_end = a.end or _dt.date.max
                if (b.start or _dt.date.min) <= a_end:
                    where = "" if a.line is None else f" (line {a.line})"
                    raise InputError(
                        f"child {cid} has overlapping rows: {_span(a)}{where} and {_span(b)}",
                        path=path,
                        location=None if b.line is None else f"line {b.line}",
                        field="child_id",
                        value=cid,
                    )
        self._rows = by_child
        self._starts = {
            cid: [r.start or _dt.date.min for r in items] for cid, items in by_child.items()
        }
        self._groups = tuple(sorted({r.group for items in by_child.values() for r in items}))
        # Children with one row valid on every day: their group whatever the date.
        self._always = {
            cid: items[0].group
            for cid, items in by_child.items()
            if len(items) == 1 and items[0].start is None and items[0].end is None
        }

    @property
    def rows(self) -> tuple[LookupRow, ...]:
        """Every row, by child then date."""
        return tuple(r for cid in sorted(self._rows) for r in self._rows[cid])

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups the lookup names, sorted (``unassigned`` is not among them)."""
        return self._groups

    def __repr__(self) -> str:
        return f"Lookup({self.name!r}: {len(self._rows):,} children, {len(self._groups):,} groups)"

    def group_of(self, child_id: str, day: _dt.date) -> str:
        """The child's group on ``day``, or ``unassigned``."""
        fixed = self._always.get(child_id)
        if fixed is not None:
            return fixed
        items = self._rows.get(child_id)
        if items is None:
            return UNASSIGNED
        i = bisect.bisect_right(self._starts[child_id], day) - 1
        if i >= 0 and items[i].holds(day):
            return items[i].group
        return UNASSIGNED

    def bind(self, bundle: Bundle) -> GroupOf:
        return lambda outcome, day: self.group_of(outcome.child_id, day)

    def fixed_groups(self) -> Mapping[str, str]:
        return self._always

    def known_groups(self) -> tuple[str, ...]:
        return (*self._groups, UNASSIGNED)

    def order(self, groups: Iterable[str]) -> list[str]:
        return super().order(groups)

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> Lookup:
        """Read a lookup file: a CSV file with a header row.

        Columns (header names in any case): the child (``child_id``, or ``child``,
        ``LAchildID``), the group (the column named ``name`` when given, else ``group``,
        ``team``, ``locality``, ``worker``, ``area`` or ``unit``, else the one other column)
        and optionally ``from`` and ``to`` (dates ``YYYY-MM-DD`` or ``DD/MM/YYYY``, both
        included; empty: without limit). The lookup's name is ``name``, else the group
        column's header.

        Raises:
            InputError: the file cannot be read, a column is missing, a date is not a date, a
                child or group is empty, or two rows of one child overlap; the message names
                the file, the line and the column.
        """
        shown = str(path)
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                lines = list(csv.reader(handle))
        except OSError as exc:
            raise InputError(f"cannot open the file: {exc.strerror}", path=shown) from None
        except UnicodeDecodeError:
            raise InputError("the file is not UTF-8 text", path=shown) from None
        if not lines:
            raise InputError("the file is empty (a header row is needed)", path=shown)
        header = [h.strip() for h in lines[0]]
        low = [h.lower() for h in header]

        def find(options: Sequence[str]) -> int | None:
            for option in options:
                if option.lower() in low:
                    return low.index(option.lower())
            return None

        child_col = find(_CHILD_COLUMNS)
        if child_col is None:
            raise InputError(
                f"no child column: expected one of {', '.join(_CHILD_COLUMNS)}",
                path=shown,
                location="line 1",
            )
        from_col, to_col = find(_FROM_COLUMNS), find(_TO_COLUMNS)
        if name is not None and name.lower() in low:
            group_col: int | None = low.index(name.lower())
        else:
            group_col = find(_GROUP_COLUMNS)
        if group_col is None:
            others = [i for i in range(len(header)) if i not in (child_col, from_col, to_col)]
            if len(others) != 1:
                raise InputError(
                    "no group column: name it group (or team, locality, worker), or pass "
                    "name= the column's header",
                    path=shown,
                    location="line 1",
                )
            group_col = others[0]
        rows: list[LookupRow] = []
        for number, cells in enumerate(lines[1:], start=2):
            if not any(c.strip() for c in cells):
                continue

            def cell(index: int | None, number: int = number, cells: list[str] = cells) -> str:
                if index is None:
                    return ""
                return cells[index].strip() if index < len(cells) else ""

            def day(index: int | None, number: int = number) -> _dt.date | None:
                text = cell(index)
                if not text:
                    return None
                try:
                    return _read_day(text)
                except ValueError as exc:
                    assert index is not None
                    raise InputError(
                        str(exc),
                        path=shown,
                        location=f"line {number}",
                        field=header[index],
                        value=text,
                    ) from None

            child, group = cell(child_col), cell(group_col)
            if not child:
                raise InputError(
                    "the child is empty",
                    path=shown,
                    location=f"line {number}",
                    field=header[child_col],
                )
            if not group:
                raise InputError(
                    "the group is empty",
                    path=shown,
                    location=f"line {number}",
                    field=header[group_col],
                )
            rows.append(LookupRow(child, group, day(from_col), day(to_col), number))
        return cls(rows, name=name or header[group_col], path=shown)


def _span(row: LookupRow) -> str:
    start = "the beginning" if row.start is None else row.start.isoformat()
    end = "no end" if row.end is None else row.end.isoformat()
    return f"{row.group} from {start} to {end}"
