"""Reading one SSDA903 CSV table.

The file is read one physical line at a time, and each line is one row: the tables never hold a
value spanning lines, so a quote left open cannot merge the rows that follow into one. Each line
is decoded on its own, so an undecodable byte costs only its row, reported at its own line. Every
non-blank data line is either loaded or named in a problem with its line number: a line that
cannot be split into values (an unbalanced quote), one cut short before its last columns, one
with more values than columns, one longer than :data:`LINE_LIMIT` characters, and one whose
repeated column holds two different values are reported and not loaded.
"""

from __future__ import annotations

import csv
from typing import Any, cast

from ..results import DataIssue
from ._common import Errors, Problems
from ._ssda903_fast import row_maker
from ._ssda903_tables import KIND, TABLES, Table, identify
from ._stitch import Return
from ._tables import builder
from ._xml import NotAReturn

__all__ = ["LINE_LIMIT", "read_csv"]

LINE_LIMIT = 65_536
"""Characters beyond which a CSV line is not read (a statutory table's row is a few hundred)."""

_BOM = b"\xef\xbb\xbf"

BATCH = 1 << 20
"""Bytes of whole lines read and decoded at once (a longer line is read whole, as before)."""


def _blank(text: str) -> bool:
    """A line holding nothing but separators and spaces (skipped, as the DfE tools do)."""
    return not text.replace(",", "").strip()


def _split(text: str) -> list[str] | None:
    """The values of one line; ``None`` if the line is not valid CSV on its own (a quote left
    open, or a closing quote followed by more text)."""
    if '"' not in text:
        return text.split(",")
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


class _Lines:
    """The physical lines of a binary file, numbered from 1 and decoded one by one.

    Lines are read in batches of about :data:`BATCH` bytes (whole lines, as ``readline``
    splits them); a batch that is all UTF-8 is decoded at once, and one that is not line by
    line, so that each undecodable line is named with its own reason."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.number = 0
        """The number of the last line handed out."""
        self._batch: list[str | None] = []
        self._problems: dict[int, str] = {}
        self._at = 0

    def batch(self) -> tuple[list[str | None], dict[int, str]] | None:
        """The lines not yet handed out: their texts (``None``: not UTF-8, with the reason
        under its place in the list in the dict), numbered on from :attr:`number`; ``None`` at
        the end of the file. The caller numbers them and sets :attr:`number` as it goes."""
        if self._at < len(self._batch):
            texts, problems, at = self._batch, self._problems, self._at
            self._batch, self._problems, self._at = [], {}, 0
            if at:
                texts = texts[at:]
                problems = {i - at: reason for i, reason in problems.items() if i >= at}
            return texts, problems
        raw: list[bytes] = self.stream.readlines(BATCH)
        if not raw:
            return None
        if self.number == 0 and raw[0].startswith(_BOM):
            raw[0] = raw[0][len(_BOM) :]
        data = b"".join(raw)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return _decode_each(raw)
        lines = text.split("\n")
        if data.endswith(b"\n"):
            lines.pop()
        if "\r" in text:
            lines = [t.rstrip("\r") for t in lines]
        return cast("list[str | None]", lines), {}

    def next(self) -> tuple[str | None, str] | None:
        """``(text, problem)``: the next line's text (``None`` if it is not UTF-8, with the
        reason in ``problem``); ``None`` at the end of the file."""
        if self._at >= len(self._batch):
            found = self.batch()
            if found is None:
                return None
            self._batch, self._problems = found
            self._at = 0
        at = self._at
        self._at += 1
        self.number += 1
        text = self._batch[at]
        return text, ("" if text is not None else self._problems[at])


def _decode_each(raw: list[bytes]) -> tuple[list[str | None], dict[int, str]]:
    """Lines decoded one by one: those that are not UTF-8 are ``None``, with the reason under
    their place."""
    texts: list[str | None] = []
    problems: dict[int, str] = {}
    for i, line in enumerate(raw):
        try:
            texts.append(line.decode("utf-8").rstrip("\r\n"))
        except UnicodeDecodeError as exc:
            texts.append(None)
            problems[i] = f"not UTF-8 text ({exc.reason} at byte {exc.start + 1} of the line)"
    return texts, problems


def _not_loaded(lines: _Lines) -> str:
    """The non-blank lines left (the rows of a table that cannot be read), for a message."""
    count = 0
    first = last = 0
    while (item := lines.next()) is not None:
        text, _ = item
        if text is None or not _blank(text):
            count += 1
            first = first or lines.number
            last = lines.number
    if not count:
        return "it has no rows"
    if count == 1:
        return f"its 1 row (line {first}) is not loaded"
    return f"its {count} rows (lines {first} to {last}) are not loaded"


def read_csv(path: str, errors: Errors, into: Return) -> list[DataIssue]:
    """Read one table into ``into`` (its records, each with ``path:line N``); the problems
    found are returned (collect mode) or raised (raise mode)."""
    p = Problems(path, errors)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise NotAReturn(f"cannot open the file: {exc.strerror}", path=path) from None
    with stream:
        lines = _Lines(stream)
        header: list[str] | None = None
        while header is None:
            item = lines.next()
            if item is None:
                p.report(
                    f"not an {KIND} table: the file is empty",
                    location="line 1",
                    kind="not a table",
                )
                return p.issues
            text, problem = item
            if text is None:
                p.report(
                    f"{problem}: the header cannot be read; {_not_loaded(lines)}",
                    location=f"line {lines.number}",
                    kind="encoding",
                )
                return p.issues
            if _blank(text):
                continue
            header = _split(text)
            if header is None or len(text) > LINE_LIMIT:
                p.report(
                    f"the header line is not valid CSV; {_not_loaded(lines)}",
                    location=f"line {lines.number}",
                    kind="malformed",
                )
                return p.issues
        columns = [c.strip().upper() for c in header]
        header_line = f"line {lines.number}"
        table = identify(path, columns)
        if table is None:
            p.report(
                f"not an {KIND} table: its columns ({', '.join(columns)[:200]}) match none "
                f"of {', '.join(t.name for t in TABLES)}",
                location=header_line,
                kind="not a table",
            )
            return p.issues
        missing = [c for c in table.required if c not in columns]
        if missing:
            p.report(
                f"the {table.name} table lacks the required column"
                f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
                + (f"; the table is not loaded: {_not_loaded(lines)}" if p.collect else ""),
                location=header_line,
                field=missing[0],
                kind="missing column",
            )
            return p.issues
        absent = [c for c in table.optional if c not in columns]
        if absent:
            p.note(
                f"the {table.name} table has no column {', '.join(absent)}: read as not recorded",
                location=header_line,
                field=absent[0],
                kind="missing column",
            )
        if table.field is None:
            p.note(
                f"the {table.name} table is recognised but not read: no indicator uses it",
                location=header_line,
                kind="not read",
            )
            return p.issues
        _rows(path, p, lines, table, columns, into)
    into.sources.append(path)
    return p.issues


class Line:
    """One row of a table, as the table builders read it (:class:`._tables.Row`): its stripped
    values and line number, set for each line read, and the place of each column."""

    __slots__ = ("index", "number", "values")

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        """The place of each column among the values (of a repeated one: its first)."""
        self.values: list[str] = []
        self.number = 0

    def get(self, column: str) -> str | None:
        """The column's value (``None``: blank, or no such column)."""
        i = self.index.get(column)
        return None if i is None else self.values[i] or None

    def get_all(self, column: str) -> list[str]:
        """The column's value as a repeated element's: one text, or none when blank."""
        text = self.get(column)
        return [] if text is None else [text]

    def where(self, column: str | None) -> str:
        """The place of a value: its line."""
        return f"line {self.number}"


def _rows(
    path: str, p: Problems, lines: _Lines, table: Table, columns: list[str], into: Return
) -> None:
    index = {c: i for i, c in reversed(list(enumerate(columns)))}
    repeated = {
        c: [i for i, name in enumerate(columns) if name == c]
        for c in set(table.columns)
        if columns.count(c) > 1
    }
    dest = "_uasc" if table.name == "UASC" else table.field
    assert dest is not None
    append = into.records.setdefault(dest, []).append
    width = len(columns)
    row = Line(index)
    build = builder(table).csv
    # Clean rows are made at once; any other row is read by the table's builder.
    fast = row_maker(table, [index.get(c.name) for c in table.read])
    prefix = f"{path}:line "

    while (found := lines.batch()) is not None:
        texts, problems = found
        first = lines.number + 1
        lines.number += len(texts)
        for i, text in enumerate(texts):
            if text is None:
                p.report(
                    f"{problems[i]}; the row is not loaded",
                    location=f"line {first + i}",
                    kind="encoding",
                )
                continue
            if len(text) > LINE_LIMIT:
                if not _blank(text):
                    _too_long(p, text, first + i)
                continue
            if '"' in text:
                split = _split(text)
                if split is None:
                    p.report(
                        "the line is not valid CSV (a quote left open or misplaced); the row is "
                        "not loaded",
                        location=f"line {first + i}",
                        kind="malformed",
                    )
                    continue  # (a line with a quote is never blank)
            else:
                split = text.split(",")
            # A line without a space whose characters are all printable has no white space
            # (every character str.strip removes but the space is unprintable): nothing to strip.
            values = split if " " not in text and text.isprintable() else [v.strip() for v in split]
            if not values[0] and _blank(text):  # a blank line's first value is blank
                continue
            if len(values) != width and (len(values) < width or any(values[width:])):
                p.report(
                    f"the row has {len(values)} values but the header names {width} columns"
                    + ("; the row is not loaded" if p.collect else ""),
                    location=f"line {first + i}",
                    kind="malformed",
                )
                continue
            if repeated:
                clash = next(
                    (c for c, places in repeated.items() if len({values[j] for j in places}) > 1),
                    None,
                )
                if clash is not None:
                    shown = ", ".join(repr(values[j][:40]) for j in repeated[clash])
                    p.report(
                        f"the column {clash} appears {len(repeated[clash])} times with different "
                        f"values ({shown}); the row is not loaded",
                        location=f"line {first + i}",
                        field=clash,
                        kind="conflict",
                    )
                    continue
            record = None if fast is None else fast(values)
            if record is None:
                row.values = values
                row.number = first + i
                record = build(row, p)
                if record is None:
                    continue
            append((record, f"{prefix}{first + i}"))


def _too_long(p: Problems, text: str, line: int) -> None:
    p.report(
        f"the line is {len(text):,} characters long (the limit is {LINE_LIMIT:,}); "
        "the row is not loaded",
        location=f"line {line}",
        kind="malformed",
    )
