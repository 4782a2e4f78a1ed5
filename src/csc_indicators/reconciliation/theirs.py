"""Reading their list: a CSV file or rows of dicts, one row per record they consider.

Columns are recognised by their spelling (see :mod:`csc_indicators.reconciliation.keys`): the child
id (required), the dates that identify a record, and optionally their counted flag, met flag and
measure. Every other column is ignored and named as ignored. A row that cannot be read (no child
id, a date that is not a date) is kept, with the problem, so that it is counted and reported
rather than dropped.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import cast

import attrs

from .._collector import collector_paused
from ..errors import CscIndicatorsError
from .keys import FLAG_SPELLINGS, ROLE_SPELLINGS, normalise, spellings_for
from .values import read_date, read_flag, read_measure

__all__ = ["ReconcileError", "TheirList", "TheirRow", "read_theirs"]


class ReconcileError(CscIndicatorsError, ValueError):
    """Their list cannot be reconciled as given (no child id column, an unknown column in a
    mapping, a file that cannot be read); the message says what to change."""


@attrs.frozen(slots=True)
class TheirRow:
    """One row of their list, read."""

    line: int
    """Where it is: the line in their CSV file (the header is line 1), or the row's number
    (from 1) for rows given in Python."""
    child_id: str
    """The child's id as they give it (surrounding spaces removed)."""
    dates: Mapping[str, _dt.date | None] = attrs.field(eq=False)
    """The identifying dates they give, by role (``start_date``, ``authorisation_date``, ...)."""
    counted: bool | None = None
    """Their counted (included) flag; ``None`` when they give none."""
    met: bool | None = None
    """Their met flag; ``None`` when they give none."""
    measure: int | float | None = None
    """Their measure (working days, say); ``None`` when they give none."""
    problem: str | None = None
    """Why the row cannot be matched (no child id, a date that is not a date); ``None`` when
    it was read."""


@attrs.frozen(slots=True)
class TheirList:
    """Their list, read: the rows and how each column was understood."""

    rows: tuple[TheirRow, ...]
    """Every row, in their order."""
    columns: Mapping[str, str]
    """Their column name to the role it was read as (``child_id``, a date role, ``counted``,
    ``met`` or ``measure``)."""
    ignored: tuple[str, ...] = ()
    """Their columns not used, each with why when it is not simply unknown."""
    source: str = "their list"
    """Where it came from: the file's path, or ``rows`` for rows given in Python."""

    def has(self, role: str) -> bool:
        """Whether one of their columns was read as ``role``."""
        return role in self.columns.values()


def _known_roles(spellings: Mapping[str, str]) -> list[str]:
    return sorted(set(spellings.values()))


def _resolve_mapping(
    columns: Mapping[str, str] | None, spellings: Mapping[str, str]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for theirs, ours in (columns or {}).items():
        role = spellings.get(normalise(ours))
        if role is None:
            raise ReconcileError(
                f"--columns {theirs}={ours}: {ours!r} is not a column we know; use one of "
                f"{', '.join(_known_roles(spellings))}"
            )
        out[normalise(theirs)] = role
    return out


def _read_csv(path: str) -> tuple[list[str], Iterable[tuple[int, Sequence[str]]]]:
    try:
        with open(path, "rb") as stream:
            raw = stream.read()
    except OSError as exc:
        raise ReconcileError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # a spreadsheet's "CSV" export
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ReconcileError(f"{path}: the file is empty (expected a header row)") from None
    return header, ((reader.line_num, row) for row in reader)


def read_theirs(
    source: str | os.PathLike[str] | Iterable[Mapping[str, object]],
    record_types: Iterable[type],
    *,
    columns: Mapping[str, str] | None = None,
) -> TheirList:
    """Read their list.

    Args:
        source: a CSV file (UTF-8, with or without a byte-order mark, or a spreadsheet's
            Windows-1252 export; comma-, semicolon- or tab-separated) or rows of dicts.
        record_types: the record types of the outcomes it is compared with: their
            identifying dates decide which columns are recognised
            (:func:`~csc_indicators.reconciliation.keys.spellings_for`).
        columns: their column name to ours (a role such as ``start_date`` or ``met``, or any
            spelling we recognise), for columns whose names we do not recognise.

    Raises:
        ReconcileError: the file cannot be read, has no child id column, or ``columns`` names
            a column we do not know.
    """
    spellings = spellings_for(record_types)
    overrides = _resolve_mapping(columns, spellings)
    where = "rows"
    if isinstance(source, (str, os.PathLike)):
        where = os.fspath(source)
        header, body = _read_csv(where)
        rows: Iterable[tuple[int, Sequence[object]]] = body
    else:
        dicts = list(source)
        seen: dict[str, None] = {}
        for d in dicts:
            for k in d:
                seen.setdefault(str(k), None)
        header = list(seen)
        rows = ((i, [d.get(h) for h in header]) for i, d in enumerate(dicts, 1))
    mapped: dict[str, str] = {}
    index: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        key = normalise(name)
        role = overrides.get(key) or spellings.get(key)
        if role is None:
            ignored.append(name)
        elif role in index:
            ignored.append(f"{name} (also reads as {role}; {header[index[role]]} is used)")
        else:
            mapped[name] = role
            index[role] = i
    if "child_id" not in index:
        looked = ", ".join(ROLE_SPELLINGS["child_id"][:4])
        raise ReconcileError(
            f"{where}: no child id column (looked for {looked}, ...); the columns are: "
            f"{', '.join(header) or '(none)'}; name it with --columns COLUMN=child_id"
        )
    date_roles = [r for r in index if r != "child_id" and r not in FLAG_SPELLINGS]
    read = _Reader(index, date_roles)
    # the rows hold no reference cycles: the cycle collector is paused while they are made
    with collector_paused():
        out = [read(line, cells) for line, cells in rows]
    return TheirList(tuple(out), mapped, tuple(ignored), where)


_Parsed = tuple[object, str | None]


class _Reader:
    """Reads rows; each distinct cell text is parsed once (a list repeats its dates and flags
    many times)."""

    def __init__(self, index: Mapping[str, int], date_roles: Sequence[str]) -> None:
        self.child = index["child_id"]
        self.width = max(index.values()) + 1
        self.cache: dict[Callable[[object], object], dict[object, _Parsed]] = {
            read_date: {},
            read_flag: {},
            read_measure: {},
        }
        self.dates = [(role, index[role], self.cache[read_date]) for role in date_roles]
        self.values = [
            (role, index[role], read_measure if role == "measure" else read_flag)
            for role in ("counted", "met", "measure")
            if role in index
        ]

    def parse(self, reader: Callable[[object], object], value: object) -> _Parsed:
        cache = self.cache[reader]
        try:
            return cache[value]
        except KeyError:
            pass
        except TypeError:  # an unhashable value from a Python row: parse it every time
            return self._parse(reader, value)
        parsed = cache[value] = self._parse(reader, value)
        return parsed

    @staticmethod
    def _parse(reader: Callable[[object], object], value: object) -> _Parsed:
        try:
            return reader(value), None
        except ValueError as exc:
            return None, f"{exc} (got {value!r})"

    def __call__(self, line: int, cells: Sequence[object]) -> TheirRow:
        if len(cells) < self.width:
            cells = [*cells, *[None] * (self.width - len(cells))]
        problems: list[str] = []
        raw_id = cells[self.child]
        child_id = "" if raw_id is None else str(raw_id).strip()
        if not child_id:
            problems.append("no child id")
        dates: dict[str, _dt.date | None] = {}
        for role, i, cache in self.dates:
            value = cells[i]
            try:
                parsed = cache[value]
            except (KeyError, TypeError):
                parsed = self.parse(read_date, value)
            if parsed[1]:
                problems.append(f"{role}: {parsed[1]}")
            dates[role] = cast("_dt.date | None", parsed[0])
        got: dict[str, object] = {}
        for role, i, reader in self.values:
            value, problem = self.parse(reader, cells[i])
            if problem:
                problems.append(f"{role}: {problem}")
            got[role] = value
        return TheirRow(
            line,
            child_id,
            dates,
            cast("bool | None", got.get("counted")),
            cast("bool | None", got.get("met")),
            cast("int | float | None", got.get("measure")),
            "; ".join(problems) or None,
        )
