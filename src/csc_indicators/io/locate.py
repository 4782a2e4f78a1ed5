"""Where a few records stand in the files they were read from: :func:`locate`.

The readers keep no place per record: finding one costs time on every row and element, and
almost every record is never asked about. An indicator that excludes a record for bad data (a
duplicate, a conflict, dates out of order) names the record, not its line; :func:`locate` finds
the lines of those few afterwards, reading each source file of the kinds needed once:

* an SSDA903 CSV table: the line of the row that gives the record (its child's id first, then
  every value of the row the reader would read, parsed as the reader parses it, equal to the
  record's; the table is recognised and its columns named by the declarations of
  :mod:`._tables`, as the reader does);
* the CIN census XML and the SSDA903 XML form: the line of the element that holds the record
  (``Child``, ``CINdetails``, ``Assessments``, ``Section47``, ``ChildProtectionPlans``; the
  ``DateOfInitialCPC`` of a transfer-in conference; ``HEADER``, ``EPISODE``, ``AREVIEW``...),
  read with the readers' own safe XML stream (no document type, no entities, the same limits).

Values are compared, not texts: ``2024-04-01`` in one file is ``01/04/2024`` in another. A
record no row or element gives exactly (one built in Python, one changed since it was read, a
file moved since) has no place: it is never guessed from its key alone. A record given by
several rows (an episode still open, repeated in two years' returns; a child's Header and UASC
rows) has all of them; equal records read from several rows (an exact duplicate the reader
kept twice) are matched to those rows in order.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..bundle import Bundle
from ..errors import InputError
from ..records import HealthAssessment
from ._common import Problems
from ._elements import ElementGroup, names_of
from ._ssda903_csv import LINE_LIMIT
from ._ssda903_tables import identify
from ._tables import BY_NAME, CIN_BY_NAME, CIN_TABLES, TABLES, Group, Table, build
from ._xml import RecordStream, mixed_content

__all__ = ["NOT_FOUND", "NOT_READ", "FilePlace", "Places", "locate"]

NOT_FOUND = "place not found"
"""What :meth:`Places.text` says of a record no row or element of the files read gives."""

NOT_READ = "not read from a file"
"""What :meth:`Places.text` says of a record whose return no file of the bundle holds (records
built in Python)."""


@attrs.frozen(slots=True)
class FilePlace:
    """One place in a source file."""

    path: str
    """The file, as the bundle's :class:`~csc_indicators.SourceInfo` names it."""
    line: int
    """The line (from 1) of the row, or of the start tag of the element."""
    element: str | None = None
    """The element's path in an XML file (``Message/Children/Child[2]/CINdetails``)."""

    def __str__(self) -> str:
        """``path:line N`` (CSV) or ``path:line N, element path`` (XML): as the readers name
        the places of the problems they report."""
        text = f"{self.path}:line {self.line}"
        return f"{text}, {self.element}" if self.element else text


@attrs.frozen(slots=True, eq=False)
class Places:
    """The places :func:`locate` found, by record (the record object itself: an equal record
    read from another row is another record)."""

    found: Mapping[int, tuple[FilePlace, ...]] = attrs.field(factory=dict, repr=False)
    """``id(record)`` -> its places (the records found only)."""
    records: Mapping[int, object] = attrs.field(factory=dict, repr=False)
    """``id(record)`` -> the record, for every record asked about (kept, so that the ids stay
    theirs)."""
    unsourced: frozenset[int] = attrs.field(factory=frozenset, repr=False)
    """``id(record)`` of the records whose return the bundle read from no file."""
    searched: tuple[str, ...] = ()
    """The files read, in order."""

    def of(self, record: object) -> tuple[FilePlace, ...]:
        """The record's places (empty: not found, or not asked about)."""
        return self.found.get(id(record), ()) if self._asked(record) else ()

    def text(self, record: object) -> str:
        """The record's places as text (``a.csv:line 3``; several joined by ``and``), else
        ``place not found`` (``not read from a file`` when the bundle read the record's return
        from no file: records built in Python)."""
        places = self.of(record)
        if places:
            return " and ".join(str(p) for p in places)
        if self._asked(record) and id(record) in self.unsourced:
            return NOT_READ
        return NOT_FOUND

    def _asked(self, record: object) -> bool:
        return self.records.get(id(record)) is record

    def __len__(self) -> int:
        """The number of records found."""
        return len(self.found)

    def __repr__(self) -> str:
        return (
            f"Places(found={len(self.found)} of {len(self.records)}, "
            f"searched={len(self.searched)} files)"
        )


# -- which tables give which records ----------------------------------------------------------


def _tables_of() -> dict[type, tuple[Table, ...]]:
    out: dict[type, list[Table]] = {}
    for table in (*TABLES, *CIN_TABLES):
        if table.record is not None and table.field is not None:
            out.setdefault(table.record, []).append(table)
    return {k: tuple(v) for k, v in out.items()}


_TABLES_OF = _tables_of()
"""Record type -> the tables (or census groups) giving it (``Child``: Header and UASC)."""

_LOCAL_ONLY = (HealthAssessment,)
"""Records no return holds (kept locally, built in Python): never read from a file."""

_ID_COLUMN = {
    t.name: next(c.name for c in t.read if c.type == "id")
    for t in TABLES
    if t.record is not None and t.field is not None
}

Found = tuple[Table, Any, FilePlace, frozenset[str]]
"""A record built from a row or element: its table, the record, its place and the fields
that row or element gives (those compared)."""


def _fields(table: Table, present: Callable[[str], bool] = lambda _: True) -> frozenset[str]:
    """The record fields a row of ``table`` gives, of the columns ``present``."""
    out = {c.field for c in table.read if c.field is not None and present(c.name)}
    return frozenset({*out, *table.fixed, "child_id"})


_LOCATION = re.compile(r"^line (\d+)(?:, (.*))?$", re.DOTALL)


def _place(path: str, location: str) -> FilePlace | None:
    match = _LOCATION.match(location)
    if match is None:  # pragma: no cover - RecordStream.locate always gives "line N, path"
        return None
    return FilePlace(path, int(match.group(1)), match.group(2))


# -- SSDA903 CSV ------------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"


def _split(text: str) -> list[str] | None:
    """The values of one line, as the reader splits it (``None``: not valid CSV alone)."""
    if '"' not in text:
        return text.split(",")
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _csv_rows(path: str, tables: frozenset[str], ids: frozenset[str]) -> Iterator[Found]:
    """The records of the rows of one SSDA903 CSV table whose child is in ``ids``, when the
    file holds one of ``tables`` (else only its header line is read)."""
    problems = Problems(path, "collect")
    with open(path, "rb") as stream:
        number = 0
        header: list[str] | None = None
        table: Table | None = None
        values: list[str] = []
        index: dict[str, int] = {}
        given = frozenset[str]()
        at_id = 0
        width = 0
        repeated: list[list[int]] = []

        def get(column: str) -> str | None:
            i = index.get(column)
            return None if i is None else values[i] or None

        row = Group(get, lambda _column: f"line {number}")
        for raw in stream:
            number += 1
            if number == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                if header is None:
                    return  # the reader reads nothing of a table whose header it cannot read
                continue
            if not text.replace(",", "").strip() or len(text) > LINE_LIMIT:
                if header is None and text.replace(",", "").strip():
                    return
                continue
            split = _split(text)
            if header is None:
                if split is None:
                    return
                header = [c.strip().upper() for c in split]
                table = identify(path, header)
                if table is None or table.name not in tables:
                    return
                if any(c not in header for c in table.required):
                    return
                index = {c: i for i, c in reversed(list(enumerate(header)))}
                given = _fields(table, index.__contains__)
                at_id = index[_ID_COLUMN[table.name]]
                width = len(header)
                repeated = [
                    [i for i, name in enumerate(header) if name == c]
                    for c in set(table.columns)
                    if header.count(c) > 1
                ]
                continue
            assert table is not None
            if split is None:
                continue
            values = [v.strip() for v in split]
            if len(values) != width and (len(values) < width or any(values[width:])):
                continue
            if values[at_id] not in ids:
                continue
            if any(len({values[i] for i in places}) > 1 for places in repeated):
                continue
            record = build(table, row, problems)
            if record is not None:
                yield table, record, FilePlace(path, number), given


# -- XML --------------------------------------------------------------------------------------


def _load(table: Table, group: ElementGroup, child_id: str | None = None) -> Any | None:
    """The record the reader loads from ``group`` (``None``: it loads none)."""
    group.clashes.clear()
    record = build(table, group.row, Problems("", "collect"), child_id=child_id)
    return None if group.clashes else record


def _nowhere(_element: Any) -> str:
    return ""


_CIN_ID = "ChildIdentifiers/LAchildID"
_CIN_NAMES = {t.name: names_of(t) for t in CIN_TABLES}


def _cin_rows(path: str, tables: frozenset[str], ids: frozenset[str]) -> Iterator[Found]:
    """The records of the ``Child`` elements of one CIN census file whose child is in
    ``ids``, for the census groups ``tables``, each with its element's line."""
    stream = RecordStream(
        path,
        kind="CIN census",
        root="Message",
        capture=frozenset({("Message", "Header"), ("Message", "Children", "Child")}),
    )

    def found(table: Table, record: Any, element: Any) -> Found | None:
        place = _place(path, stream.locate(element))
        return None if record is None or place is None else (table, record, place, _fields(table))

    with contextlib.closing(stream):
        for node in stream:
            if node.tag != "Child":
                continue
            mixed_content(node)
            ids_group = ElementGroup(node, _CIN_NAMES["Child"], _nowhere)
            child_id = ids_group.get(_CIN_ID)
            if ids_group.clashes or child_id is None or child_id not in ids:
                continue
            out: list[Found | None] = []
            if "Child" in tables:
                table = CIN_BY_NAME["Child"]
                out.append(found(table, _load(table, ids_group), node))
            for details in node.findall("CINdetails"):
                for name, elements in (
                    ("CINdetails", [details]),
                    ("Assessments", details.findall("Assessments")),
                    ("Section47", details.findall("Section47")),
                    ("ChildProtectionPlans", details.findall("ChildProtectionPlans")),
                ):
                    if name not in tables:
                        continue
                    table = CIN_BY_NAME[name]
                    for element in elements:
                        group = ElementGroup(element, _CIN_NAMES[name], _nowhere)
                        out.append(found(table, _load(table, group, child_id), element))
                date = details.find("DateOfInitialCPC")
                if (
                    "Transfer-in" in tables
                    and date is not None
                    and details.find("Section47") is None
                ):
                    table = CIN_BY_NAME["Transfer-in"]
                    group = ElementGroup(details, _CIN_NAMES["Transfer-in"], _nowhere)
                    out.append(found(table, _load(table, group, child_id), date))
            yield from (f for f in out if f is not None)


_SSDA_NAMES = {t.name: names_of(t) for t in TABLES}
_HEADER_NAMES = {**_SSDA_NAMES["Header"], "CHILD": "CHILDID"}
_HEADER_RECORDS = tuple(
    (t, tuple(c.name for c in t.read if c.name not in ("CHILD", "DOB")))
    for t in TABLES
    if t.xml == "HEADER" and t.name != "Header" and t.field is not None
)
_GROUPS = tuple(
    t for t in TABLES if t.xml not in (None, "HEADER", "EPISODE") and t.field is not None
)


def _ssda903_xml_rows(path: str, tables: frozenset[str], ids: frozenset[str]) -> Iterator[Found]:
    """The records of the ``CHILD`` elements of one SSDA903 XML file whose child is in
    ``ids``, for ``tables``, each with its element's line, as the reader reads them."""
    stream = RecordStream(
        path,
        kind="SSDA903 return (XML)",
        root="EXPSSDA903",
        capture=frozenset({("EXPSSDA903", "CHILD")}),
    )

    def found(table: Table, record: Any, element: Any) -> Found | None:
        place = _place(path, stream.locate(element))
        return None if record is None or place is None else (table, record, place, _fields(table))

    with contextlib.closing(stream):
        for child in stream:
            mixed_content(child)
            header = child.find("HEADER")
            if header is None:
                continue
            head = ElementGroup(header, _HEADER_NAMES, _nowhere)
            child_id = head.get("CHILD")
            head.clashes.clear()
            if child_id is None or child_id not in ids:
                continue
            out: list[Found | None] = []
            if "Header" in tables:
                out.append(found(BY_NAME["Header"], _load(BY_NAME["Header"], head), header))
            for table, items in _HEADER_RECORDS:
                head.clashes.clear()
                own = [head.get(c) for c in items]  # every item read: a clash counts too
                if table.name in tables and (any(own) or head.clashes):
                    out.append(found(table, _load(table, head), header))
            inherited = {"CHILD": head.get("CHILD"), "DOB": head.get("DOB")}
            for table in _GROUPS:
                if table.name not in tables:
                    continue
                tag = table.xml
                assert tag is not None
                for parent in (header, child):
                    for element in parent.findall(tag):
                        if tag == "PERMANENCE" and not (
                            element.findtext("PREV_PERM", "").strip()
                            or element.findtext("DATE_PERM", "").strip()
                        ):
                            continue
                        group = ElementGroup(element, _SSDA_NAMES[table.name], _nowhere, inherited)
                        out.append(found(table, _load(table, group), element))
            if "Episodes" in tables:
                table = BY_NAME["Episodes"]
                for element in child.findall("EPISODE"):
                    group = ElementGroup(element, _SSDA_NAMES["Episodes"], _nowhere, inherited)
                    out.append(found(table, _load(table, group), element))
            yield from (f for f in out if f is not None)


# -- matching ---------------------------------------------------------------------------------


def _rows(path: str, kind: str, tables: frozenset[str], ids: frozenset[str]) -> Iterator[Found]:
    if kind == "CIN census":
        return _cin_rows(path, tables, ids)
    if path.lower().endswith(".xml"):
        return _ssda903_xml_rows(path, tables, ids)
    return _csv_rows(path, tables, ids)


def _may_hold(path: str, kind: str, tables: set[str]) -> bool:
    """Whether the file may hold one of ``tables``: an SSDA903 CSV file whose name names
    another table is not opened."""
    if kind != "SSDA903" or path.lower().endswith(".xml"):
        return True
    named = identify(path, [])
    return named is None or named.name in tables


def _same(record: object, built: object, fields: frozenset[str]) -> bool:
    return type(record) is type(built) and all(
        getattr(record, f, None) == getattr(built, f, None) for f in fields
    )


def locate(records: Iterable[object], bundle: Bundle) -> Places:
    """Find where each of ``records`` (a few: those the indicators' data issues name) stands
    in the source files ``bundle`` was read from (:attr:`~csc_indicators.Bundle.sources`).

    Only the files of the returns those records come from are read, each once, and only the
    rows (or ``Child``/``CHILD`` elements) of their children are parsed: the time is linear in
    the files' sizes. A record is found at a row or element when the reader would build from
    it a record with the same values (in the fields that row gives); see the module.

    Args:
        records: the records (``None`` and records of kinds no return holds are skipped).
        bundle: the bundle they belong to.

    Returns:
        The places found, by record: ``places.of(record)``, ``places.text(record)``.
    """
    wanted: dict[int, object] = {}
    for record in records:
        if record is not None:
            wanted.setdefault(id(record), record)
    asked = tuple(r for r in wanted.values() if type(r) in _TABLES_OF)
    by_kind: dict[str, tuple[set[str], set[str]]] = {}
    for record in asked:
        for table in _TABLES_OF[type(record)]:
            names, ids = by_kind.setdefault(table.returns, (set(), set()))
            names.add(table.name)
            ids.add(str(getattr(record, "child_id", "")))
    candidates: dict[tuple[type, str], list[Found]] = {}
    searched: list[str] = []
    read_kinds: set[str] = set()
    for source in bundle.sources:
        if source.path is None or source.kind not in by_kind or source.path in searched:
            continue
        names, ids = by_kind[source.kind]
        read_kinds.add(source.kind)
        if not _may_hold(source.path, source.kind, names):
            continue
        searched.append(source.path)
        try:
            for table, built, place, fields in _rows(
                source.path, source.kind, frozenset(names), frozenset(ids)
            ):
                year = source.collection_year
                if getattr(built, "collection_year", 0) is None and year is not None:
                    # The reader gives each OC2 and OC3 row its return's year.
                    built = attrs.evolve(built, collection_year=year)
                    fields = fields | {"collection_year"}
                key = (type(built), str(getattr(built, "child_id", "")))
                candidates.setdefault(key, []).append((table, built, place, fields))
        except (InputError, OSError):
            continue  # moved or changed since it was read: what was found before stands
    found: dict[int, tuple[FilePlace, ...]] = {}
    unsourced = {id(r) for r in wanted.values() if isinstance(r, _LOCAL_ONLY)}
    for record in asked:
        kinds = {t.returns for t in _TABLES_OF[type(record)]}
        if not kinds & read_kinds:
            unsourced.add(id(record))
            continue
        key = (type(record), str(getattr(record, "child_id", "")))
        places = [
            p for _, built, p, fields in candidates.get(key, ()) if _same(record, built, fields)
        ]
        if not places:
            continue
        if len(places) > 1:
            places = _own_row(record, bundle, places)
        found[id(record)] = tuple(places)
    return Places(found, wanted, frozenset(unsourced), tuple(searched))


def _own_row(record: object, bundle: Bundle, places: list[FilePlace]) -> list[FilePlace]:
    """Of several rows giving equal values, the record's own when the bundle holds as many
    equal records as there are rows (the k-th equal record of its kind is the k-th row: the
    readers keep the file's order); else every row (the record was read from all of them)."""
    fields = {t.field for t in _TABLES_OF[type(record)]}
    twins = [
        r for f in sorted(f for f in fields if f) for r in getattr(bundle, f) or () if r == record
    ]
    if len(twins) == len(places):
        for k, twin in enumerate(twins):
            if twin is record:
                return [places[k]]
    return places
