"""The reference CIN census reader, and the reader compared with it.

:func:`read_reference` is the CIN census reader as it was before the fast scanner (an element
tree per ``Child``, each value read through :class:`~csc_indicators.io._elements.ElementGroup`
and the generated builders), run on the reference XML reader (expat callbacks building
:class:`~csc_indicators.io._xml.Node` trees, every element with its line). It is kept here,
record at a time and straightforward, so that :func:`~csc_indicators.io.read_cin_census` can be
compared with it on any file: the same records in the same order, the same issues with the same
messages and places, the same errors.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from array import array
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from csc_indicators import Bundle, InputError
from csc_indicators.bundle import SourceInfo
from csc_indicators.io import _xml
from csc_indicators.io._common import Errors, Problems, report_skipped
from csc_indicators.io._elements import ElementGroup, names_of, report_clash
from csc_indicators.io._tables import CIN_BY_NAME, CIN_TABLES, Table, builder
from csc_indicators.io._values import parse_date, parse_int
from csc_indicators.io._xml import NotAReturn, RecordStream, mixed_content, unfinished
from csc_indicators.io.cin_census import _one_per_child
from csc_indicators.records import (
    Assessment,
    ChildProtectionPlan,
    CinChild,
    Referral,
    Section47,
    TransferInConference,
)

_HEADER = ("Message", "Header")
_CHILD = ("Message", "Children", "Child")


_CHILD_TABLE = CIN_BY_NAME["Child"]
_REFERRAL = CIN_BY_NAME["CINdetails"]
_ASSESSMENT = CIN_BY_NAME["Assessments"]
_SECTION47 = CIN_BY_NAME["Section47"]
_TRANSFER_IN = CIN_BY_NAME["Transfer-in"]
_PLAN = CIN_BY_NAME["ChildProtectionPlans"]
_NAMES = {t.name: names_of(t) for t in CIN_TABLES}
_BUILDERS = {t.name: builder(t).xml for t in CIN_TABLES}
_ID = "ChildIdentifiers/LAchildID"
_RECORD_TAGS = ("Header", "Children", "Child")
"""The census elements that never belong inside a Header or a Child."""


def _text(node: Element, tag: str) -> str | None:
    """The stripped text of the first child ``tag`` of ``node``; ``None`` if absent or blank."""
    text = node.findtext(tag)
    if text:
        return text.strip() or None
    return None


class _Reader:
    def __init__(self, problems: Problems, locate: Callable[[Element], str]) -> None:
        self.problems = problems
        self.locate = locate
        self.referrals: list[Referral] = []
        self.assessments: list[Assessment] = []
        self.section47s: list[Section47] = []
        self.transfer_ins: list[TransferInConference] = []
        self.plans: list[ChildProtectionPlan] = []
        self.children: list[CinChild] = []
        """Each child's characteristics (one per child: see :func:`_one_per_child`)."""
        self.numbers = array("L")
        """The number of the ``Child`` each of :attr:`children` came from (its place)."""
        self.number = 0
        self.collection_year: int | None = None
        self.reference_date: _dt.date | None = None
        self.la_code: str | None = None
        self.header_seen = False

    # -- values and their places ----------------------------------------------------------------

    def where(self, node: Element, tag: str) -> Callable[[], str]:
        """The place of ``tag`` under ``node`` (or of ``node``), computed only when needed."""
        locate = self.locate

        def where() -> str:
            child = node.find(tag)
            return locate(child if child is not None else node)

        return where

    # -- header -----------------------------------------------------------------------------

    def nested(self, node: Element) -> None:
        """Note a record element inside another (a ``Child`` in a ``Header``, say): its content
        is not read, so that nothing inside it is lost silently."""
        for tag in _RECORD_TAGS:
            found = node.iter(tag)  # in C; the node itself comes first when it has the tag
            inner = next(found, None)
            if inner is node:
                inner = next(found, None)
            if inner is not None:
                self.problems.note(
                    f"an element {tag} inside {node.tag}, where the census has none: its "
                    "content is not read",
                    location=self.locate(inner),
                    field=tag,
                    kind="not read",
                )

    def header(self, node: Element) -> None:
        self.header_seen = True
        p = self.problems
        self.nested(node)
        details = node.find("CollectionDetails")
        if details is None:
            p.report(
                "missing CollectionDetails in the Header",
                location=self.locate(node),
                field="CollectionDetails",
            )
            return
        collection = _text(details, "Collection")
        if collection is not None and collection.upper() != "CIN":
            raise NotAReturn(
                f"not a CIN census: the Header names the collection {collection!r}",
                path=p.path,
                location=self.where(details, "Collection")(),
            )
        year_text = _text(details, "Year")
        try:
            year = parse_int(year_text or "")
            if not _dt.MINYEAR < year <= _dt.MAXYEAR:  # e.g. a mistyped 20023
                raise ValueError(year_text)
        except ValueError:
            p.report(
                "the collection Year is not a year",
                location=self.where(details, "Year")(),
                field="Year",
                value=year_text,
            )
            year = None
        if year is not None:
            # The header names the year in which the collection ends (2025 = 2024-25).
            self.collection_year = year - 1
        ref_text = _text(details, "ReferenceDate")
        if ref_text is not None:
            try:
                self.reference_date = parse_date(ref_text)
            except ValueError as exc:
                p.report(
                    str(exc),
                    location=self.where(details, "ReferenceDate")(),
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
                    location=self.where(details, "ReferenceDate")(),
                    field="ReferenceDate",
                    value=ref_text,
                    kind="header",
                )
        source = node.find("Source")
        if source is not None:
            self.la_code = _text(source, "LEA")

    # -- children ---------------------------------------------------------------------------

    def group(self, node: Element, table: Table) -> ElementGroup:
        return ElementGroup(node, _NAMES[table.name], self.locate)

    def load(
        self,
        table: Table,
        node: Element,
        child_id: str | None,
        into: list[Any],
        group: ElementGroup | None = None,
    ) -> Any:
        """Build one record of ``table`` from ``node`` (or its ``group``, already made); a
        repeated element with two values is a conflict: reported, not loaded. The record, or
        ``None``."""
        if group is None:
            group = self.group(node, table)
        else:
            group.clashes.clear()
        record = _BUILDERS[table.name](group, self.problems, child_id)
        if group.clashes and report_clash(
            group, self.problems, table.what, child_id or group.get(_ID)
        ):
            return None
        if record is not None:
            into.append(record)
        return record

    def child(self, node: Element) -> None:
        p = self.problems
        self.number += 1
        self.nested(node)
        for stray in mixed_content(node):
            p.note(
                "unexpected text between elements (ignored)",
                location=self.locate(stray),
                field=stray.tag,
                value=(stray.text or "").strip()[:60],
                kind="malformed",
            )
        ids = self.group(node, _CHILD_TABLE)
        child_id = ids.get(_ID)
        if ids.clashes:
            report_clash(ids, p, "child", None)
            if p.collect:
                p.note(
                    "the child's identifier is in conflict: none of this child's records can "
                    "be loaded",
                    location=self.locate(node),
                    field="LAchildID",
                    kind="conflict",
                )
            return
        if child_id is None:
            holder = node.find("ChildIdentifiers")
            p.report(
                "missing LAchildID: none of this child's records can be loaded"
                if p.collect
                else "missing LAchildID",
                location=self.locate(holder if holder is not None else node),
                field="LAchildID",
            )
            return
        if self.load(_CHILD_TABLE, node, None, self.children, ids) is not None:
            self.numbers.append(self.number)
        for details in node.findall("CINdetails"):
            self.cin_details(child_id, details)

    def cin_details(self, child_id: str, node: Element) -> None:
        p = self.problems
        details = self.group(node, _REFERRAL)
        self.load(_REFERRAL, node, child_id, self.referrals, details)
        for group in node.findall("Assessments"):
            self.load(_ASSESSMENT, group, child_id, self.assessments)

        enquiries = node.findall("Section47")
        conference_dates: set[_dt.date] = set()
        for group in enquiries:
            enquiry = self.load(_SECTION47, group, child_id, self.section47s)
            if enquiry is not None and enquiry.conference_date is not None:
                conference_dates.add(enquiry.conference_date)

        details.clashes.clear()
        if details.get("DateOfInitialCPC") is None and not details.clashes:
            pass
        elif not enquiries:
            self.load(_TRANSFER_IN, node, child_id, self.transfer_ins, details)
        else:
            found: list[TransferInConference] = []
            self.load(_TRANSFER_IN, node, child_id, found, details)
            for conference in found:
                if conference.date in conference_dates:
                    continue
                icpc = conference.date
                p.note(
                    f"CINdetails/DateOfInitialCPC {icpc.isoformat()} matches no Section47 "
                    "conference of this referral; as the referral has a Section47 group it is "
                    "not read as a transfer-in conference",
                    location=self.where(node, "DateOfInitialCPC")(),
                    field="DateOfInitialCPC",
                    value=icpc.isoformat(),
                    kind="conference",
                    child_id=child_id,
                )

        for group in node.findall("ChildProtectionPlans"):
            self.load(_PLAN, group, child_id, self.plans)


def _read_one(path: str | os.PathLike[str], errors: Errors) -> Bundle:
    """Read one CIN census file, the reference way."""
    problems = Problems(path, errors)
    elements = RecordStream(
        path, kind="CIN census", root="Message", capture=frozenset({_HEADER, _CHILD})
    )
    reader = _Reader(problems, elements.locate)
    with contextlib.closing(elements):
        try:
            for node in elements:
                if node.tag == "Header":
                    reader.header(node)
                else:
                    reader.child(node)
        except NotAReturn:
            raise
        except InputError as exc:
            if not problems.collect:
                raise
            problems.note(
                f"{exc.message}; everything after this point is not loaded"
                + (f", from the unfinished {after}" if (after := unfinished(exc)) else ""),
                location=exc.location,
                kind="malformed",
            )
    report_skipped(problems, elements.skipped, "a CIN census")
    if not reader.header_seen:
        problems.note(
            "no Header: the collection year, reference date and LA code are unknown",
            location="Message",
            field="Header",
            kind="header",
        )
    source = SourceInfo(
        kind="CIN census",
        path=problems.path,
        collection_year=reader.collection_year,
        reference_date=reader.reference_date,
        la_code=reader.la_code,
    )
    children = _one_per_child(problems, reader.children, reader.numbers)
    fields: dict[str, Any] = {
        "cin_children": children,
        "referrals": tuple(reader.referrals),
        "assessments": tuple(reader.assessments),
        "section47s": tuple(reader.section47s),
        "transfer_ins": tuple(reader.transfer_ins),
        "plans": tuple(reader.plans),
        "sources": (source,),
        "issues": tuple(problems.issues),
    }
    return Bundle(**fields)


def read_reference(
    path: str | os.PathLike[str], errors: Errors = "raise", *, element_tree: bool = False
) -> Bundle:
    """Read one CIN census file as the reader did before the fast scanner: on the reference XML
    reader (expat callbacks), or with ``element_tree`` on the C ElementTree builder (which hands
    over to the reference XML reader for what it cannot read exactly)."""
    saved = _xml.USE_FAST_READER
    _xml.USE_FAST_READER = element_tree
    try:
        return _read_one(path, errors)
    finally:
        _xml.USE_FAST_READER = saved


def outcome(read: Callable[..., Bundle], path: Any, errors: str) -> object:
    """What reading gives: the bundle, or the error's kind, message and place."""
    try:
        return read(path, errors=errors)
    except InputError as exc:
        return type(exc).__name__, exc.message, exc.location


def same_as_reference(path: Any, errors: str) -> object:
    """Read ``path`` with the reader and the reference reader; assert they agree (issues
    compared one by one first, for a readable failure); the outcome."""
    from csc_indicators.io import read_cin_census

    new = outcome(read_cin_census, path, errors)
    old = outcome(read_reference, path, errors)
    if isinstance(new, Bundle) and isinstance(old, Bundle):
        assert [(i.location, i.message) for i in new.issues] == [
            (i.location, i.message) for i in old.issues
        ]
    assert new == old
    return new
