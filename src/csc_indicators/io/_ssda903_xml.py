"""Reading the SSDA903 XML form: ``EXPSSDA903`` -> ``CHILD`` -> ``HEADER`` and ``EPISODE``.

Which items each group holds, and how each becomes a record field, is declared in
:mod:`._tables` (a table's ``xml`` names its group; a column's ``xml`` its element when that is
not the CSV column name). Each item is looked up once; an item repeated in one group with
another value (two ``DECOM`` in one ``EPISODE``, say) cannot be resolved without guessing, so
the record is reported and not loaded (:mod:`._elements`). Repeats with the same value are
harmless and read once.
"""

from __future__ import annotations

import contextlib
import operator
from xml.etree.ElementTree import Element

from ..errors import InputError
from ..results import DataIssue
from ._common import Errors, Problems, report_skipped
from ._elements import ElementGroup, names_of, report_clash
from ._ssda903_fast import GroupMaker, group_maker
from ._ssda903_tables import KIND
from ._stitch import Return
from ._tables import BY_NAME, TABLES, Table, builder
from ._xml import NotAReturn, RecordStream, mixed_content, unfinished

__all__ = ["read_xml"]

_HEADER = BY_NAME["Header"]
_INHERITED = frozenset({"CHILD", "DOB"})
"""The columns a group below the HEADER takes from it when it does not give them."""

_GROUPS: tuple[Table, ...] = tuple(
    t for t in TABLES if t.xml not in (None, "HEADER", "EPISODE") and t.field is not None
)
"""The repeating groups (AREVIEW, AMISSING, AD_PLACED, PERMANENCE, OC2), each under the CHILD
or under its HEADER, in the order their records are loaded."""
_GROUP_TAGS = tuple((t, t.xml) for t in _GROUPS if t.xml is not None)

_HEADER_RECORDS: tuple[tuple[Table, tuple[str, ...]], ...] = tuple(
    (t, tuple(c.name for c in t.read if c.name not in _INHERITED))
    for t in TABLES
    if t.xml == "HEADER" and t is not _HEADER
)
"""The records read from the HEADER when one of their own items is there (AD1, OC3)."""

_EPISODES = BY_NAME["Episodes"]
_TAG = operator.attrgetter("tag")
_NAMES = {t.name: names_of(t) for t in TABLES}
_HEADER_NAMES = {**_NAMES["Header"], "CHILD": "CHILDID"}
_HEADER_TAGS = {
    t.name: frozenset(_HEADER_NAMES.get(c, c) for c in items) for t, items in _HEADER_RECORDS
}
"""The elements of each record read from the HEADER (one of which must be there)."""
assert not any("/" in tag for tags in _HEADER_TAGS.values() for tag in tags)
_BUILDERS = {t.name: builder(t).xml for t in TABLES if t.record is not None}


def _fast_paths(names: dict[str, dict[str, str]] | None) -> dict[str, GroupMaker | None]:
    """Each table's fast path for clean groups (:mod:`._ssda903_fast`), read with the element
    names of its own group (``names`` None: the HEADER's); other groups go to the builder."""
    return {
        t.name: group_maker(t, names[t.name], _INHERITED)
        if names
        else group_maker(t, _HEADER_NAMES)
        for t in TABLES
        if t.record is not None
    }


_FIELDS = (
    "children",
    "episodes",
    "reviews",
    "health_outcomes",
    "care_leavers",
    "adoptions",
    "placed_for_adoption",
    "previous_permanence",
    "missing",
)


def read_xml(path: str, errors: Errors, into: Return) -> list[DataIssue]:
    """Read one ``EXPSSDA903`` file into ``into`` (each record with its element path)."""
    p = Problems(path, errors)
    elements = RecordStream(
        path, kind=KIND + " (XML)", root="EXPSSDA903", capture=frozenset({("EXPSSDA903", "CHILD")})
    )
    locate = elements.locate
    for field in _FIELDS:
        into.records.setdefault(field, [])
    records = into.records
    number = 0
    fast_groups = _fast_paths(_NAMES)  # below the HEADER or the CHILD
    fast_header = _fast_paths(None)  # the records read from the HEADER (child, AD1, OC3)

    def build(table: Table, group: ElementGroup, at: str) -> None:
        record = _BUILDERS[table.name](group, p)
        if group.clashes and report_clash(group, p, table.what, group.get("CHILD")):
            return
        if record is not None:
            assert table.field is not None
            records[table.field].append((record, at))

    def load(table: Table, head: ElementGroup, at: str) -> None:
        # A record read from the HEADER: made at once when clean, else by the builder.
        fast = fast_header[table.name]
        record = None if fast is None or head.clashes else fast(head.node, head.inherited)
        if record is None:
            build(table, head, at)
        else:
            assert table.field is not None
            records[table.field].append((record, at))

    def load_node(table: Table, node: Element, inherited: dict[str, str | None], at: str) -> None:
        # A group below the HEADER or the CHILD: as build(ElementGroup(node, ...)), the group
        # made only when the builder needs it.
        fast = fast_groups[table.name]
        record = None if fast is None else fast(node, inherited)
        if record is None:
            build(table, ElementGroup(node, _NAMES[table.name], locate, inherited), at)
        else:
            assert table.field is not None
            records[table.field].append((record, at))

    with contextlib.closing(elements):
        try:
            for child in elements:
                number += 1
                # The place of each record, for the stitcher's and the code checks' reports:
                # its element path (line numbers are found only for problems, see locate).
                place = f"{path}:EXPSSDA903/CHILD[{number}]"
                for stray in mixed_content(child):
                    p.note(
                        "unexpected text between elements",
                        location=locate(stray),
                        field=stray.tag,
                        value=(stray.text or "").strip()[:60],
                        kind="malformed",
                    )
                header = child.find("HEADER")
                if header is None:
                    p.report(
                        "a CHILD without a HEADER: its records are not loaded"
                        if p.collect
                        else "a CHILD without a HEADER",
                        location=locate(child),
                        field="HEADER",
                    )
                    continue
                head = ElementGroup(header, _HEADER_NAMES, locate)
                at = f"{place}/HEADER"
                load(_HEADER, head, at)
                present = set(map(_TAG, header))
                for table, items in _HEADER_RECORDS:
                    if present.isdisjoint(_HEADER_TAGS[table.name]):
                        continue  # none of its items: nothing found, nothing clashes
                    head.clashes.clear()
                    found = [head.get(c) for c in items]
                    if any(found) or head.clashes:
                        load(table, head, at)
                inherited = {"CHILD": head.get("CHILD"), "DOB": head.get("DOB")}
                head.clashes.clear()
                below = set(map(_TAG, child))
                for table, tag in _GROUP_TAGS:
                    for parent, where_in, tags in ((header, at, present), (child, place, below)):
                        if tag not in tags:
                            continue  # findall would find none
                        for i, node in enumerate(parent.findall(tag), 1):
                            if tag == "PERMANENCE" and not (
                                node.findtext("PREV_PERM", "").strip()
                                or node.findtext("DATE_PERM", "").strip()
                            ):
                                continue
                            load_node(table, node, inherited, f"{where_in}/{tag}[{i}]")
                for i, node in enumerate(child.findall("EPISODE"), 1):
                    load_node(_EPISODES, node, inherited, f"{place}/EPISODE[{i}]")
        except NotAReturn:
            raise
        except InputError as exc:
            if not p.collect:
                raise
            p.note(
                f"{exc.message}; everything after this point is not loaded"
                + (f", from the unfinished {after}" if (after := unfinished(exc)) else ""),
                location=exc.location,
                kind="malformed",
            )
    report_skipped(p, elements.skipped, "an SSDA903 return")
    into.sources.append(path)
    return p.issues
