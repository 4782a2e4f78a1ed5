"""The records of one CIN census ``Child`` (or the ``Header``) from its tree: the reader of
:func:`~csc_indicators.io.read_cin_census`, one record at a time.

A child of the plain shape is read straight from its bytes by the scanner
(:func:`._cin_fast.quick_child`), which delivers its records in place of its tree; a child whose
tree holds nothing out of the ordinary is read whole the fast way
(:func:`._cin_fast.fast_child`); any other is read group by group (:meth:`CinReader.child`),
each group the fast way or else the exact way, which reports every problem with its place (see
:mod:`._trees`). The places are found on the reference reader's copy of the record
(:meth:`._xml_scan.Scan.node`).
"""

from __future__ import annotations

import datetime as _dt
from array import array
from collections.abc import Iterable
from typing import Any

from ..records import (
    Assessment,
    ChildProtectionPlan,
    CinChild,
    Referral,
    Section47,
    TransferInConference,
)
from ._cin_fast import CHILD, FAST, fast_child, quick_child
from ._common import Problems
from ._elements import names_of, report_clash
from ._tables import CIN_BY_NAME, CIN_TABLES, Table, builder
from ._trees import SLOW, Place, TreeGroup, entries, find, text_of
from ._values import parse_date, parse_int
from ._xml import Node, NotAReturn
from ._xml_scan import Record, Scan, Tree

__all__ = ["RECORD_TAGS", "CinReader"]

_CHILD_TABLE = CIN_BY_NAME["Child"]
_REFERRAL = CIN_BY_NAME["CINdetails"]
_ASSESSMENT = CIN_BY_NAME["Assessments"]
_SECTION47 = CIN_BY_NAME["Section47"]
_TRANSFER_IN = CIN_BY_NAME["Transfer-in"]
_PLAN = CIN_BY_NAME["ChildProtectionPlans"]
_NAMES = {t.name: names_of(t) for t in CIN_TABLES}
_BUILDERS = {t.name: builder(t).read for t in CIN_TABLES}
_FAST_CHILD = FAST["Child"]
_FAST_REFERRAL = FAST["CINdetails"]
_FAST_TRANSFER_IN = FAST["Transfer-in"]
_EMPTY: Tree = {}
"""A group element holding no elements (never changed)."""
_ID = "ChildIdentifiers/LAchildID"
RECORD_TAGS = ("Header", "Children", "Child")
"""The census elements that never belong inside a Header or a Child."""

Steps = tuple[tuple[str, int], ...]
"""The way from a record down to one of its elements: each element's tag and its position
(from 0) among its parent's children of that tag."""


def _text(tree: Any, tag: bytes) -> str | None:
    """The stripped text of the first child ``tag`` of ``tree``; ``None`` if absent or blank."""
    found = entries(tree, tag)
    if found:
        text = text_of(found[0])
        if text:
            return text.strip() or None
    return None


class CinReader:
    """Reads the records of a CIN census, record element by record element, into its lists."""

    def __init__(self, problems: Problems, scan: Scan) -> None:
        self.problems = problems
        self.scan = scan
        self.referrals: list[Referral] = []
        self.assessments: list[Assessment] = []
        self.section47s: list[Section47] = []
        self.transfer_ins: list[TransferInConference] = []
        self.plans: list[ChildProtectionPlan] = []
        self.children: list[CinChild] = []
        """Each child's characteristics (one per child: see :func:`.cin_census._one_per_child`)."""
        self.numbers = array("L")
        """The number of the ``Child`` each of :attr:`children` came from (its place)."""
        self.number = 0
        self.collection_year: int | None = None
        self.reference_date: _dt.date | None = None
        self.la_code: str | None = None
        self.header_seen = False
        scan.quick = ("Child", CHILD, quick_child)

    # -- places ---------------------------------------------------------------------------------

    def place(self, steps: Steps) -> Place:
        """``place(path)``: the place of the first element at ``path`` below the element
        ``steps`` lead to in the current record (of that element itself, when there is none or
        ``path`` is ``None``), computed only when needed."""

        def place(path: str | None = None) -> str:
            node = self.scan.node()
            for tag, index in steps:
                node = node.all(tag)[index]
            return find(node, path).location

        return place

    # -- header -----------------------------------------------------------------------------

    def nested(self) -> None:
        """Note a record element inside another (a ``Child`` in a ``Header``, say): its content
        is not read, so that nothing inside it is lost silently."""
        node = self.scan.node()
        for tag in RECORD_TAGS:
            inner = _first_inside(node, tag)
            if inner is not None:
                self.problems.note(
                    f"an element {tag} inside {node.tag}, where the census has none: its "
                    "content is not read",
                    location=inner.location,
                    field=tag,
                    kind="not read",
                )

    def header(self, tree: Tree, nested: bool) -> None:
        self.header_seen = True
        p = self.problems
        if nested:
            self.nested()
        found = entries(tree, b"CollectionDetails")
        if not found:
            p.report(
                "missing CollectionDetails in the Header",
                location=self.place(())(),
                field="CollectionDetails",
            )
            return
        details = found[0]
        where = self.place((("CollectionDetails", 0),))
        collection = _text(details, b"Collection")
        if collection is not None and collection.upper() != "CIN":
            raise NotAReturn(
                f"not a CIN census: the Header names the collection {collection!r}",
                path=p.path,
                location=where("Collection"),
            )
        year_text = _text(details, b"Year")
        try:
            year = parse_int(year_text or "")
            if not _dt.MINYEAR < year <= _dt.MAXYEAR:  # e.g. a mistyped 20023
                raise ValueError(year_text)
        except ValueError:
            p.report(
                "the collection Year is not a year",
                location=where("Year"),
                field="Year",
                value=year_text,
            )
            year = None
        if year is not None:
            # The header names the year in which the collection ends (2025 = 2024-25).
            self.collection_year = year - 1
        ref_text = _text(details, b"ReferenceDate")
        if ref_text is not None:
            try:
                self.reference_date = parse_date(ref_text)
            except ValueError as exc:
                p.report(
                    str(exc),
                    location=where("ReferenceDate"),
                    field="ReferenceDate",
                    value=ref_text,
                )
        if year is not None and self.reference_date is not None:
            expected = _dt.date(year, 3, 31)
            if self.reference_date != expected:
                p.note(
                    f"the ReferenceDate {self.reference_date.isoformat()} is not 31 March of "
                    f"the collection Year {year} (expected {expected.isoformat()}); the "
                    f"collection year is taken from Year as {year - 1}-{year % 100:02d}",
                    location=where("ReferenceDate"),
                    field="ReferenceDate",
                    value=ref_text,
                    kind="header",
                )
        source = entries(tree, b"Source")
        if source:
            self.la_code = _text(source[0], b"LEA")

    # -- children ---------------------------------------------------------------------------

    def load(
        self,
        table: Table,
        tree: Any,
        steps: Steps,
        child_id: str,
        into: list[Any],
        group: TreeGroup | None = None,
        *,
        given: bool = True,
    ) -> Any:
        """Build one record of ``table`` from a group's tree the exact way (with the group,
        made now if not given): a repeated element with two values is a conflict, reported,
        not loaded. The record, or ``None``. ``given``: whether the table's builder is given
        the child's id (the ``Child`` table reads it)."""
        if group is None:
            group = TreeGroup(tree, _NAMES[table.name], self.place(steps))
        else:
            group.clashes.clear()
        p = self.problems
        record = _BUILDERS[table.name](group, p, child_id if given else None)
        if group.clashes and report_clash(
            group,
            p,
            table.what,
            (child_id if given else None) or group.get(_ID),
        ):
            return None
        if record is not None:
            into.append(record)
        return record

    def each(
        self,
        table: Table,
        found: Any,
        tag: str,
        steps: Steps,
        child_id: str,
        into: list[Any],
    ) -> list[Any]:
        """The records of the groups ``found`` (one, or a list of them) with this tag: each the
        fast way, or else the exact way; ``None`` for a group not loaded."""
        fast = FAST[table.name]
        records: list[Any] = []
        for index, tree in enumerate(found if type(found) is list else (found,)):
            try:
                record = fast(tree if type(tree) is dict else _EMPTY, child_id)
            except SLOW:
                record = self.load(table, tree, (*steps, (tag, index)), child_id, into)
            else:
                into.append(record)
            records.append(record)
        return records

    def read(self, records: Iterable[Record]) -> None:
        """Read every record element: each ``Child`` whole the fast way when it can be, else
        with :meth:`child`."""
        children = self.children.append
        numbers = self.numbers.append
        referrals = self.referrals.extend
        assessments = self.assessments.extend
        section47s = self.section47s.extend
        transfer_ins = self.transfer_ins.extend
        plans = self.plans.extend
        for tag, tree, nested, strays in records:
            if tag == "Header":
                self.header(tree, nested)
                continue
            if not nested and not strays:
                try:
                    found = tree if type(tree) is tuple else fast_child(tree)
                except SLOW:
                    pass
                else:
                    self.number += 1
                    children(found[0])
                    numbers(self.number)
                    referrals(found[1])
                    assessments(found[2])
                    section47s(found[3])
                    transfer_ins(found[4])
                    plans(found[5])
                    continue
            self.child(tree, nested, strays)

    def child(self, tree: Tree, nested: bool, strays: list[Node]) -> None:
        """Read one ``Child`` group by group."""
        p = self.problems
        self.number += 1
        if nested:
            self.nested()
        for stray in strays:
            p.note(
                "unexpected text between elements (ignored)",
                location=stray.location,
                field=stray.tag,
                value=(stray.text or "").strip()[:60],
                kind="malformed",
            )
        # The child's id the fast way: its one ChildIdentifiers/LAchildID, holding text.
        child_id = None
        ids = tree.get(b"ChildIdentifiers")
        if type(ids) is dict:
            entry = ids.get(b"LAchildID")
            if type(entry) is bytes or type(entry) is str:
                child_id = (text_of(entry) or "").strip() or None
        group = None
        if child_id is None:
            here = self.place(())
            group = TreeGroup(tree, _NAMES["Child"], here)
            child_id = group.get(_ID)
            if group.clashes:
                report_clash(group, p, "child", None)
                if p.collect:
                    p.note(
                        "the child's identifier is in conflict: none of this child's records "
                        "can be loaded",
                        location=here(),
                        field="LAchildID",
                        kind="conflict",
                    )
                return
            if child_id is None:
                p.report(
                    "missing LAchildID: none of this child's records can be loaded"
                    if p.collect
                    else "missing LAchildID",
                    location=here("ChildIdentifiers"),
                    field="LAchildID",
                )
                return
        try:
            self.children.append(_FAST_CHILD(tree, child_id))
        except SLOW:
            if self.load(_CHILD_TABLE, tree, (), child_id, self.children, group, given=False):
                self.numbers.append(self.number)
        else:
            self.numbers.append(self.number)
        found = tree.get(b"CINdetails")
        if found is not None:
            if type(found) is list:
                for index, details in enumerate(found):
                    self.cin_details(child_id, details, index)
            else:
                self.cin_details(child_id, found, 0)

    def cin_details(self, child_id: str, tree: Any, index: int) -> None:
        if type(tree) is not dict:
            tree = _EMPTY
        try:
            self.referrals.append(_FAST_REFERRAL(tree, child_id))
        except SLOW:
            self.load(_REFERRAL, tree, (("CINdetails", index),), child_id, self.referrals)
        found = tree.get(b"Assessments")
        if found is not None:
            self.each(
                _ASSESSMENT,
                found,
                "Assessments",
                (("CINdetails", index),),
                child_id,
                self.assessments,
            )
        enquiries = tree.get(b"Section47")
        conference_dates: set[_dt.date] = set()
        if enquiries is not None:
            for enquiry in self.each(
                _SECTION47,
                enquiries,
                "Section47",
                (("CINdetails", index),),
                child_id,
                self.section47s,
            ):
                if enquiry is not None and enquiry.conference_date is not None:
                    conference_dates.add(enquiry.conference_date)
        if b"DateOfInitialCPC" in tree:
            try:
                conference = _FAST_TRANSFER_IN(tree, child_id)
            except SLOW:
                self.transfer_in(child_id, tree, index, enquiries is not None, conference_dates)
            else:
                if enquiries is None:
                    self.transfer_ins.append(conference)
                elif conference.date not in conference_dates:
                    self.not_transfer_in(child_id, conference, index)
        found = tree.get(b"ChildProtectionPlans")
        if found is not None:
            self.each(
                _PLAN,
                found,
                "ChildProtectionPlans",
                (("CINdetails", index),),
                child_id,
                self.plans,
            )

    def transfer_in(
        self,
        child_id: str,
        tree: Any,
        index: int,
        enquiries: bool,
        conference_dates: set[_dt.date],
    ) -> None:
        """A ``CINdetails/DateOfInitialCPC``, the exact way: a transfer-in conference when the
        referral has no Section47 group."""
        steps = (("CINdetails", index),)
        details = TreeGroup(tree, _NAMES[_REFERRAL.name], self.place(steps))
        if details.get("DateOfInitialCPC") is None and not details.clashes:
            return
        if not enquiries:
            self.load(_TRANSFER_IN, tree, steps, child_id, self.transfer_ins, details)
            return
        found: list[TransferInConference] = []
        self.load(_TRANSFER_IN, tree, steps, child_id, found, details)
        for conference in found:
            if conference.date not in conference_dates:
                self.not_transfer_in(child_id, conference, index)

    def not_transfer_in(self, child_id: str, conference: TransferInConference, index: int) -> None:
        """Note a ``CINdetails/DateOfInitialCPC`` matching no Section47 conference of a referral
        that has some."""
        icpc = conference.date
        self.problems.note(
            f"CINdetails/DateOfInitialCPC {icpc.isoformat()} matches no Section47 "
            "conference of this referral; as the referral has a Section47 group it "
            "is not read as a transfer-in conference",
            location=self.place((("CINdetails", index),))("DateOfInitialCPC"),
            field="DateOfInitialCPC",
            value=icpc.isoformat(),
            kind="conference",
            child_id=child_id,
        )


def _first_inside(node: Node, tag: str) -> Node | None:
    """The first element with this tag inside ``node`` (not ``node`` itself), in document
    order."""
    stack = list(reversed(node.children))
    while stack:
        element = stack.pop()
        if element.tag == tag:
            return element
        stack.extend(reversed(element.children))
    return None
