"""Reading the CIN census: the Department for Education's children-in-need census XML.

The file is ``Message`` -> ``Header`` (collection details and source) and ``Children`` ->
``Child`` (one per child) -> ``ChildIdentifiers``, ``ChildCharacteristics`` and one
``CINdetails`` group per referral, holding that referral's ``Assessments``, ``Section47``
enquiries and ``ChildProtectionPlans``. The reader streams the file (:class:`._xml_scan.Scan`),
taking one ``Child`` at a time as a tree, and turns each group into the typed records of
:mod:`csc_indicators.records.cin`: the fast way when nothing is out of the ordinary, else the
exact way, which reports every problem with its place (see :mod:`._trees`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import os
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Any

import attrs

from ..bundle import RECORD_FIELDS, Bundle, SourceInfo
from ..errors import InputError
from ..records import (
    Assessment,
    ChildProtectionPlan,
    CinChild,
    Referral,
    Section47,
    TransferInConference,
)
from ..results import DataIssue
from ._common import Errors, Problems, check_errors, report_skipped
from ._elements import names_of, report_clash
from ._stitch import Return, sort_issues, stitch
from ._tables import CIN_BY_NAME, CIN_TABLES, Table, builder
from ._trees import SLOW, TreeGroup, clear_caches, entries, fast_builder, find, text_of
from ._values import parse_date, parse_int
from ._xml import NotAReturn, Node, unfinished
from ._xml_scan import Scan, Tree

__all__ = ["read_cin_census", "stitch_cin"]

_CAPTURE = frozenset({("Message", "Header"), ("Message", "Children", "Child")})

_CHILD_TABLE = CIN_BY_NAME["Child"]
_REFERRAL = CIN_BY_NAME["CINdetails"]
_ASSESSMENT = CIN_BY_NAME["Assessments"]
_SECTION47 = CIN_BY_NAME["Section47"]
_TRANSFER_IN = CIN_BY_NAME["Transfer-in"]
_PLAN = CIN_BY_NAME["ChildProtectionPlans"]
_NAMES = {t.name: names_of(t) for t in CIN_TABLES}
_BUILDERS = {t.name: builder(t).read for t in CIN_TABLES}
_FAST = {t.name: fast_builder(t) for t in CIN_TABLES}
_FAST_CHILD = _FAST["Child"]
_FAST_REFERRAL = _FAST["CINdetails"]
_FAST_TRANSFER_IN = _FAST["Transfer-in"]
_EMPTY: Tree = {}
"""A group element holding no elements (never changed)."""
_ID = "ChildIdentifiers/LAchildID"
_RECORD_TAGS = ("Header", "Children", "Child")
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


class _Reader:
    def __init__(self, problems: Problems, scan: Scan) -> None:
        self.problems = problems
        self.scan = scan
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

    # -- places ---------------------------------------------------------------------------------

    def place(self, steps: Steps) -> Callable[[str | None], str]:
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
        for tag in _RECORD_TAGS:
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
            group,  # type: ignore[arg-type]
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
        fast = _FAST[table.name]
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

    def child(self, tree: Tree, nested: bool, strays: list[Node]) -> None:
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
                child_id = text_of(entry).strip() or None  # type: ignore[union-attr]
        group = None
        if child_id is None:
            here = self.place(())
            group = TreeGroup(tree, _NAMES["Child"], here)
            child_id = group.get(_ID)
            if group.clashes:
                report_clash(group, p, "child", None)  # type: ignore[arg-type]
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


PathLike = str | os.PathLike[str]


def read_cin_census(paths: PathLike | Iterable[PathLike], *, errors: Errors = "raise") -> Bundle:
    """Read one CIN census XML file, or several, into a :class:`~csc_indicators.Bundle`.

    Several files (several collection years) are read one by one and stitched together as
    :func:`stitch_cin` does: each record is loaded once, the latest year's copy winning.

    Each ``Child``'s identifiers and characteristics (``PersonBirthDate``, ``Sex`` or
    ``GenderCurrent``, ``Ethnicity``, ``Disabilities``) become a
    :class:`~csc_indicators.CinChild` (``Bundle.cin_children``, one per child: two different
    ones of one child in one file are a ``conflict`` and neither is loaded).

    Every ``CINdetails`` group becomes a :class:`~csc_indicators.Referral`; its ``Assessments``,
    ``Section47`` and ``ChildProtectionPlans`` groups become
    :class:`~csc_indicators.Assessment`, :class:`~csc_indicators.Section47` and
    :class:`~csc_indicators.ChildProtectionPlan` records; a ``DateOfInitialCPC`` on a
    ``CINdetails`` group with no ``Section47`` group becomes a
    :class:`~csc_indicators.TransferInConference`. The header's collection year (which names
    the year the collection *ends*), reference date and LA code go into the bundle's
    :class:`~csc_indicators.SourceInfo` (whose ``collection_year`` names the year it *starts*).

    Args:
        paths: the XML file, or several.
        errors: ``"raise"`` (default) raises at the first problem; ``"collect"`` loads every
            record it can and lists every problem in ``Bundle.issues`` with its location.

    Raises:
        InputError: in either mode, when the file cannot be read as a CIN census at all (missing,
            empty, not XML, another root element, a document type declaration); with
            ``errors="raise"``, at the first bad value, naming the file, line, element path,
            field and value.
    """
    check_errors(errors)
    # Everything built here (the trees of the children, the records) holds no reference
    # cycles: the cycle collector would only walk it again and again (about a sixth of the
    # time). It is paused for the call and restored as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if isinstance(paths, (str, os.PathLike)):
            return _read_one(paths, errors)
        files = list(paths)
        if not files:
            raise NotAReturn("no CIN census file given", path="")
        return stitch_cin([_read_one(path, errors) for path in files])
    finally:
        if collecting:
            gc.enable()


def _read_one(path: PathLike, errors: Errors) -> Bundle:
    """Read one CIN census file."""
    problems = Problems(path, errors)
    scan = Scan(
        path, kind="CIN census", root="Message", capture=_CAPTURE, watch=frozenset(_RECORD_TAGS)
    )
    reader = _Reader(problems, scan)
    with contextlib.closing(scan):
        try:
            for tag, tree, nested, strays in scan:
                if tag == "Header":
                    reader.header(tree, nested)
                else:
                    reader.child(tree, nested, strays)
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
        finally:
            clear_caches()
    report_skipped(problems, scan.skipped, "a CIN census")
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


def _one_per_child(
    problems: Problems, found: list[CinChild], numbers: Sequence[int]
) -> list[CinChild]:
    """Each child's characteristics once: a child in the file twice with the same
    characteristics is a duplicate (loaded once), with others a conflict (neither is loaded),
    both reported as the stitcher does. ``numbers`` are the ``Child`` elements they came from."""
    ids = sorted(r.child_id for r in found)  # a list of references: less memory than a set
    repeated = {a for a, b in pairwise(ids) if a == b}
    del ids
    if not repeated:
        return found
    places = [
        (r, f"{problems.path}:Message/Children/Child[{n}]")
        for r, n in zip(found, numbers, strict=True)
        if r.child_id in repeated
    ]
    issues: list[DataIssue] = []
    twice = stitch(
        [Return(problems.path, {"cin_children": places})],
        issues,
        _CIN_KEYS,
        exclusive=frozenset({"cin_children"}),
    )
    problems.issues.extend(sort_issues(issues))
    kept = {r.child_id: r for r in twice.get("cin_children", ())}
    return [r for r in found if r.child_id not in repeated or kept.pop(r.child_id, None) is r]


_CIN_KEYS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "referrals": lambda r: (r.child_id, r.date),
    "assessments": lambda a: (a.child_id, a.start_date),
    "section47s": lambda s: (s.child_id, s.start_date),
    "transfer_ins": lambda t: (t.child_id, t.date),
    "plans": lambda p: (p.child_id, p.start_date),
    "cin_children": lambda c: (c.child_id,),
}
_CIN_FIELDS = tuple(_CIN_KEYS)


def stitch_cin(bundles: Sequence[Bundle]) -> Bundle:
    """Combine several CIN census bundles (several collection years) so that each record is
    loaded once.

    A census repeats what was still open at its start (a referral, an assessment, a plan), so
    records are matched by child and date (a referral by its referral date; an assessment,
    enquiry or plan by its start; a transfer-in by its date) and the copy from the latest
    collection year is kept; copies that only gained values (a closure date, more review dates)
    are not reported, other revisions and same-year clashes are (``Bundle.issues``). Kinds
    outside the CIN census are added together unchanged.
    """
    if len(bundles) == 1:
        return bundles[0]
    returns: list[Return] = []
    issues: list[DataIssue] = []
    rest = Bundle()
    for b in bundles:
        years = [s.collection_year for s in b.sources if s.collection_year is not None]
        where = ", ".join(s.path or s.kind for s in b.sources) or "bundle"
        ret = Return(where, year=max(years) if years else None)
        for field in _CIN_FIELDS:
            records = getattr(b, field)
            if records is not None:
                ret.records[field] = [(r, where) for r in records]
        returns.append(ret)
        issues.extend(b.issues)
        others: dict[str, Any] = {n: getattr(b, n) for n in RECORD_FIELDS if n not in _CIN_KEYS}
        others["sources"] = b.sources
        rest = rest + Bundle(**others)
    stitched = stitch(returns, issues, _CIN_KEYS, exclusive=frozenset({"cin_children"}))
    fields: dict[str, Any] = {f: tuple(v) for f, v in stitched.items()}
    fields["issues"] = tuple(issues)
    return attrs.evolve(rest, **fields)
