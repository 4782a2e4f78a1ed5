"""Reading the CIN census: the Department for Education's children-in-need census XML.

The file is ``Message`` -> ``Header`` (collection details and source) and ``Children`` ->
``Child`` (one per child) -> ``ChildIdentifiers``, ``ChildCharacteristics`` and one
``CINdetails`` group per referral, holding that referral's ``Assessments``, ``Section47``
enquiries and ``ChildProtectionPlans``. The reader streams the file, building one ``Child`` at a
time, and turns each group into the typed records of :mod:`csc_indicators.records.cin`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..bundle import RECORD_FIELDS, Bundle, SourceInfo
from ..errors import InputError
from ..records import Assessment, ChildProtectionPlan, Referral, Section47, TransferInConference
from ..results import DataIssue
from ._common import BadValue, Errors, Problems, bool_of, date_of, int_of
from ._stitch import Return, stitch
from ._values import parse_date, parse_int
from ._xml import Node, NotAReturn, iter_elements

__all__ = ["read_cin_census", "stitch_cin"]

_HEADER = ("Message", "Header")
_CHILD = ("Message", "Children", "Child")


def _where(node: Node, tag: str) -> Callable[[], str]:
    """The place of ``tag`` under ``node`` (or of ``node``), computed only when needed."""

    def where() -> str:
        child = node.first(tag)
        return (child if child is not None else node).location

    return where


def _fields_of(node: Node) -> Callable[[str], str]:
    """The place of a field (by element name) under ``node``, for reporting a bad value."""
    return lambda field: _where(node, field)()


def _date(node: Node, tag: str) -> _dt.date | None:
    """An optional date held by the child element ``tag``."""
    value: _dt.date | None = date_of(node.value(tag), tag, _where(node, tag))
    return value


def _required(node: Node, tag: str) -> _dt.date:
    """A required date held by the child element ``tag`` (BadValue when absent)."""
    value: _dt.date = date_of(node.value(tag), tag, _where(node, tag), required=True)
    return value


class _Reader:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.referrals: list[Referral] = []
        self.assessments: list[Assessment] = []
        self.section47s: list[Section47] = []
        self.transfer_ins: list[TransferInConference] = []
        self.plans: list[ChildProtectionPlan] = []
        self.collection_year: int | None = None
        self.reference_date: _dt.date | None = None
        self.la_code: str | None = None
        self.header_seen = False

    # -- header -----------------------------------------------------------------------------

    def header(self, node: Node) -> None:
        self.header_seen = True
        p = self.problems
        details = node.first("CollectionDetails")
        if details is None:
            p.report("missing CollectionDetails in the Header", location=node.location,
                     field="CollectionDetails")
            return
        collection = details.value("Collection")
        if collection is not None and collection.upper() != "CIN":
            raise NotAReturn(
                f"not a CIN census: the Header names the collection {collection!r}",
                path=p.path, location=_where(details, "Collection")(),
            )
        year_text = details.value("Year")
        try:
            year = parse_int(year_text or "")
        except ValueError:
            p.report("the collection Year is not a year", location=_where(details, "Year")(),
                     field="Year", value=year_text)
            year = None
        if year is not None:
            # The header names the year in which the collection ends (2025 = 2024-25).
            self.collection_year = year - 1
        ref_text = details.value("ReferenceDate")
        if ref_text is not None:
            try:
                self.reference_date = parse_date(ref_text)
            except ValueError as exc:
                p.report(str(exc), location=_where(details, "ReferenceDate")(),
                         field="ReferenceDate", value=ref_text)
        if year is not None and self.reference_date is not None:
            expected = _dt.date(year, 3, 31)
            if self.reference_date != expected:
                p.note(
                    f"the ReferenceDate {self.reference_date.isoformat()} is not 31 March of "
                    f"the collection Year {year} (expected {expected.isoformat()}); the "
                    f"collection year is taken from Year as {year - 1}-{year % 100:02d}",
                    location=_where(details, "ReferenceDate")(), field="ReferenceDate",
                    value=ref_text, kind="header",
                )
        source = node.first("Source")
        if source is not None:
            self.la_code = source.value("LEA")

    # -- children ---------------------------------------------------------------------------

    def child(self, node: Node) -> None:
        p = self.problems
        for stray in node.stray_text():
            p.note("unexpected text between elements (ignored)", location=stray.location,
                   field=stray.tag, value=stray.text.strip()[:60], kind="malformed")
        ids = node.first("ChildIdentifiers")
        child_id = ids.value("LAchildID") if ids is not None else None
        if child_id is None:
            p.report(
                "missing LAchildID: none of this child's records can be loaded"
                if p.collect else "missing LAchildID",
                location=(ids or node).location, field="LAchildID",
            )
            return
        for details in node.all("CINdetails"):
            self.cin_details(child_id, details)

    def cin_details(self, child_id: str, node: Node) -> None:
        p = self.problems
        try:
            referral_date = _required(node, "CINreferralDate")
            closure_date = _date(node, "CINclosureDate")
            nfa = bool_of(node.value("ReferralNFA"), "ReferralNFA", _where(node, "ReferralNFA"),
                          required=True)
        except BadValue as exc:
            p.bad(exc, "referral", child_id)
        else:
            referral = p.build(
                Referral, _fields_of(node), "referral", child_id=child_id,
                date=referral_date, closure_date=closure_date,
                closure_reason=node.value("ReasonForClosure"), no_further_action=nfa,
            )
            if referral is not None:
                self.referrals.append(referral)

        for group in node.all("Assessments"):
            try:
                start = _required(group, "AssessmentActualStartDate")
                authorised = _date(group, "AssessmentAuthorisationDate")
            except BadValue as exc:
                p.bad(exc, "assessment", child_id)
                continue
            self.assessments.append(Assessment(child_id, start, authorised))

        enquiries = node.all("Section47")
        conference_dates: set[_dt.date] = set()
        for group in enquiries:
            try:
                start = _required(group, "S47ActualStartDate")
                conference = _date(group, "DateOfInitialCPC")
                not_required = bool_of(group.value("ICPCnotRequired"), "ICPCnotRequired",
                                       _where(group, "ICPCnotRequired"), required=True)
            except BadValue as exc:
                p.bad(exc, "section 47 enquiry", child_id)
                continue
            if conference is not None:
                conference_dates.add(conference)
            self.section47s.append(Section47(child_id, start, conference, bool(not_required)))

        try:
            icpc = _date(node, "DateOfInitialCPC")
        except BadValue as exc:
            p.bad(exc, "conference", child_id)
            icpc = None
        if icpc is not None:
            if not enquiries:
                self.transfer_ins.append(TransferInConference(child_id, icpc))
            elif icpc not in conference_dates:
                p.note(
                    f"CINdetails/DateOfInitialCPC {icpc.isoformat()} matches no Section47 "
                    "conference of this referral; as the referral has a Section47 group it is "
                    "not read as a transfer-in conference",
                    location=_where(node, "DateOfInitialCPC")(), field="DateOfInitialCPC",
                    value=icpc.isoformat(), kind="conference", child_id=child_id,
                )

        for group in node.all("ChildProtectionPlans"):
            try:
                start = _required(group, "CPPstartDate")
                end = _date(group, "CPPendDate")
                previous = int_of(group.value("NumberOfPreviousCPP"), "NumberOfPreviousCPP",
                                  _where(group, "NumberOfPreviousCPP"))
                reviews = [
                    _date_required(review)
                    for block in group.all("Reviews")
                    for review in block.all("CPPreviewDate")
                ]
            except BadValue as exc:
                p.bad(exc, "child protection plan", child_id)
                continue
            plan = p.build(
                ChildProtectionPlan, _fields_of(group),
                "child protection plan", child_id=child_id, start_date=start, end_date=end,
                review_dates=tuple(d for d in reviews if d is not None),
                previous_plans=previous,
            )
            if plan is not None:
                self.plans.append(plan)


def _date_required(node: Node) -> _dt.date | None:
    value: _dt.date | None = date_of(node.text, node.tag, node.location, required=True)
    return value


def read_cin_census(path: str | os.PathLike[str], *, errors: Errors = "raise") -> Bundle:
    """Read one CIN census XML file into a :class:`~csc_indicators.Bundle`.

    Every ``CINdetails`` group becomes a :class:`~csc_indicators.Referral`; its ``Assessments``,
    ``Section47`` and ``ChildProtectionPlans`` groups become
    :class:`~csc_indicators.Assessment`, :class:`~csc_indicators.Section47` and
    :class:`~csc_indicators.ChildProtectionPlan` records; a ``DateOfInitialCPC`` on a
    ``CINdetails`` group with no ``Section47`` group becomes a
    :class:`~csc_indicators.TransferInConference`. The header's collection year (which names
    the year the collection *ends*), reference date and LA code go into the bundle's
    :class:`~csc_indicators.SourceInfo` (whose ``collection_year`` names the year it *starts*).

    Args:
        path: the XML file.
        errors: ``"raise"`` (default) raises at the first problem; ``"collect"`` loads every
            record it can and lists every problem in ``Bundle.issues`` with its location.

    Raises:
        InputError: in either mode, when the file cannot be read as a CIN census at all (missing,
            empty, not XML, another root element, a document type declaration); with
            ``errors="raise"``, at the first bad value, naming the file, line, element path,
            field and value.
    """
    problems = Problems(path, errors)
    reader = _Reader(problems)
    elements = iter_elements(
        path, kind="CIN census", root="Message", capture=frozenset({_HEADER, _CHILD})
    )
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
                f"{exc.message}; everything after this point is not loaded",
                location=exc.location, kind="malformed",
            )
    if not reader.header_seen:
        problems.note("no Header: the collection year, reference date and LA code are "
                      "unknown", location="Message", field="Header", kind="header")
    source = SourceInfo(
        kind="CIN census",
        path=problems.path,
        collection_year=reader.collection_year,
        reference_date=reader.reference_date,
        la_code=reader.la_code,
    )
    fields: dict[str, Any] = {
        "referrals": tuple(reader.referrals),
        "assessments": tuple(reader.assessments),
        "section47s": tuple(reader.section47s),
        "transfer_ins": tuple(reader.transfer_ins),
        "plans": tuple(reader.plans),
        "sources": (source,),
        "issues": tuple(problems.issues),
    }
    return Bundle(**fields)


_CIN_KEYS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "referrals": lambda r: (r.child_id, r.date),
    "assessments": lambda a: (a.child_id, a.start_date),
    "section47s": lambda s: (s.child_id, s.start_date),
    "transfer_ins": lambda t: (t.child_id, t.date),
    "plans": lambda p: (p.child_id, p.start_date),
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
        others: dict[str, Any] = {
            n: getattr(b, n) for n in RECORD_FIELDS if n not in _CIN_KEYS
        }
        others["sources"] = b.sources
        rest = rest + Bundle(**others)
    stitched = stitch(returns, issues, _CIN_KEYS)
    fields: dict[str, Any] = {f: tuple(v) for f, v in stitched.items()}
    fields["issues"] = tuple(issues)
    return attrs.evolve(rest, **fields)
