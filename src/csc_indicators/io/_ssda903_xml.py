"""Reading the SSDA903 XML form: ``EXPSSDA903`` -> ``CHILD`` -> ``HEADER`` and ``EPISODE``.

Each item a record is read from is looked up once; an item repeated in one group with another
value (two ``DECOM`` in one ``EPISODE``, say) cannot be resolved without guessing, so the record
is reported and not loaded. Repeats with the same value are harmless and read once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from ..errors import InputError
from ..results import DataIssue
from ._common import Errors, Problems
from ._ssda903_tables import KIND, Getter, Where
from ._ssda903_tables import _adoption as _adoption
from ._ssda903_tables import _care_leaver as _care_leaver
from ._ssda903_tables import _child as _child
from ._ssda903_tables import _episode as _episode
from ._ssda903_tables import _health as _health
from ._ssda903_tables import _missing as _missing
from ._ssda903_tables import _placed as _placed
from ._ssda903_tables import _previous as _previous
from ._ssda903_tables import _review as _review
from ._stitch import Return
from ._xml import NotAReturn, RecordStream, mixed_content

__all__ = ["read_xml"]

Build = Callable[[Getter, Where, Problems], Any]

_GROUPS: tuple[tuple[str, str, Build], ...] = (
    # (element, bundle field, builder), in the order the records are loaded; each group may be
    # under the CHILD or under its HEADER. Episodes follow, under the CHILD only.
    ("AREVIEW", "reviews", _review),
    ("AMISSING", "missing", _missing),
    ("AD_PLACED", "placed_for_adoption", _placed),
    ("PERMANENCE", "previous_permanence", _previous),
    ("OC2", "health_outcomes", _health),
)
_HEADER_RECORDS: tuple[tuple[str, Build, str, tuple[str, ...]], ...] = (
    # records read from the HEADER when one of their items is there
    ("adoptions", _adoption, "AD1 record", ("DATE_INT", "DATE_MATCH", "FOSTER_CARE")),
    ("care_leavers", _care_leaver, "OC3 record", ("IN_TOUCH", "ACTIV", "ACCOM")),
)
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


class _Group:
    """The items of one group element (a ``HEADER``, an ``EPISODE``, ...), read by column name;
    repeated items with different values are noted in :attr:`clashes`."""

    def __init__(
        self,
        node: Element,
        names: dict[str, str],
        locate: Callable[[Element], str],
        inherited: dict[str, str | None] | None = None,
    ) -> None:
        self.node = node
        self.names = names
        self.locate = locate
        self.inherited = inherited or {}
        self.clashes: list[tuple[str, list[str]]] = []

    def get(self, column: str) -> str | None:
        if column in self.inherited and (column == "CHILD" or self._text(column) is None):
            return self.inherited[column]
        return self._text(column)

    def _text(self, column: str) -> str | None:
        tag = self.names.get(column, column)
        found = self.node.findall(tag)
        if not found:
            return None
        texts = [(e.text or "").strip() for e in found]
        if len(set(texts)) > 1 and all(tag != t for t, _ in self.clashes):
            self.clashes.append((tag, texts))
        return texts[0] or None

    def where_tag(self, tag: str) -> str:
        child = self.node.find(tag)
        return self.locate(child if child is not None else self.node)

    def where(self, column: str | None) -> str:
        if column is None:
            return self.locate(self.node)
        child = self.node.find(self.names.get(column, column))
        return self.locate(child if child is not None else self.node)


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

    def load(field: str, build: Build, group: _Group, what: str, at: str) -> None:
        record = build(group.get, group.where, p)
        if group.clashes:
            tag, texts = group.clashes[0]
            values = ", ".join(repr(t[:40]) for t in texts)
            p.report(
                f"the element {tag} appears {len(texts)} times with different values ({values})"
                + (f"; the {what} is not loaded" if p.collect else ""),
                location=group.where_tag(tag),
                field=tag,
                kind="conflict",
                child_id=group.get("CHILD"),
            )
            group.clashes.clear()
            return
        if record is not None:
            records[field].append((record, at))

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
                head = _Group(header, {"CHILD": "CHILDID"}, locate)
                at = f"{place}/HEADER"
                load("children", _child_row, head, "child", at)
                for field, build, what, items in _HEADER_RECORDS:
                    head.clashes.clear()
                    found = [head.get(c) for c in items]
                    if any(found) or head.clashes:
                        load(field, build, head, what, at)
                inherited = {"CHILD": head.get("CHILD"), "DOB": head.get("DOB")}
                head.clashes.clear()
                for tag, field, build in _GROUPS:
                    for parent, where_in in ((header, at), (child, place)):
                        for i, node in enumerate(parent.findall(tag), 1):
                            if tag == "PERMANENCE" and not (
                                node.findtext("PREV_PERM", "").strip()
                                or node.findtext("DATE_PERM", "").strip()
                            ):
                                continue
                            group = _Group(node, {}, locate, inherited)
                            load(field, build, group, tag, f"{where_in}/{tag}[{i}]")
                for i, node in enumerate(child.findall("EPISODE"), 1):
                    group = _Group(node, {"PLACE": "PL"}, locate, inherited)
                    load("episodes", _episode, group, "episode", f"{place}/EPISODE[{i}]")
        except NotAReturn:
            raise
        except InputError as exc:
            if not p.collect:
                raise
            p.note(
                f"{exc.message}; everything after this point is not loaded",
                location=exc.location,
                kind="malformed",
            )
    into.sources.append(path)
    return p.issues


def _child_row(get: Getter, where: Where, p: Problems) -> Any:
    return _child(get, where, p, uasc_table=False)
