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
from xml.etree.ElementTree import Element

import attrs

from ..bundle import RECORD_FIELDS, Bundle, SourceInfo
from ..errors import InputError, RecordError
from ..records import Assessment, ChildProtectionPlan, Referral, Section47, TransferInConference
from ..results import DataIssue
from ._common import BadValue, Errors, Problems, convert
from ._stitch import Return, stitch
from ._values import _DATE_CACHE, parse_bool, parse_date, parse_int
from ._xml import NotAReturn, RecordStream, mixed_content

__all__ = ["read_cin_census", "stitch_cin"]

_HEADER = ("Message", "Header")
_CHILD = ("Message", "Children", "Child")


_Parse = Callable[[str], Any]
_known_date = _DATE_CACHE.get


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

    def fields_of(self, node: Element) -> Callable[[str], str]:
        """The place of a field (by element name) under ``node``, for reporting a bad value."""
        return lambda field: self.where(node, field)()

    def value(self, node: Element, tag: str, parse: _Parse, required: bool = False) -> Any:
        """The value of the child element ``tag``, parsed; ``None`` when absent or blank
        (BadValue when required, or when the text cannot be parsed)."""
        text = node.findtext(tag)
        if text:
            try:
                return parse(text.strip())
            except ValueError:
                pass
        elif not required:
            return None
        return convert(text or None, tag, self.where(node, tag), parse, required=required)

    def date(self, node: Element, tag: str, required: bool = False) -> Any:
        """The date held by the child element ``tag`` (as :meth:`value` with ``parse_date``,
        looking the text up among the dates already read first)."""
        text = node.findtext(tag)
        if text:
            known = _known_date(text)
            if known is not None:
                return known
        elif not required:
            return None
        return self.value(node, tag, parse_date, required)

    # -- header -----------------------------------------------------------------------------

    def header(self, node: Element) -> None:
        self.header_seen = True
        p = self.problems
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

    def child(self, node: Element) -> None:
        p = self.problems
        for stray in mixed_content(node):
            p.note(
                "unexpected text between elements (ignored)",
                location=self.locate(stray),
                field=stray.tag,
                value=(stray.text or "").strip()[:60],
                kind="malformed",
            )
        ids = node.find("ChildIdentifiers")
        child_id = _text(ids, "LAchildID") if ids is not None else None
        if child_id is None:
            p.report(
                "missing LAchildID: none of this child's records can be loaded"
                if p.collect
                else "missing LAchildID",
                location=self.locate(ids if ids is not None else node),
                field="LAchildID",
            )
            return
        for details in node.findall("CINdetails"):
            self.cin_details(child_id, details)

    def cin_details(self, child_id: str, node: Element) -> None:
        p = self.problems
        try:
            referral_date = self.date(node, "CINreferralDate", True)
            closure_date = self.date(node, "CINclosureDate")
            nfa = self.value(node, "ReferralNFA", parse_bool, True)
        except BadValue as exc:
            p.bad(exc, "referral", child_id)
        else:
            reason = _text(node, "ReasonForClosure")
            try:
                referral: Referral | None = Referral(
                    child_id, referral_date, closure_date, reason, nfa
                )
            except RecordError:  # built again to report the problem with its place
                referral = p.build(
                    Referral,
                    self.fields_of(node),
                    "referral",
                    child_id=child_id,
                    date=referral_date,
                    closure_date=closure_date,
                    closure_reason=reason,
                    no_further_action=nfa,
                )
            if referral is not None:
                self.referrals.append(referral)

        for group in node.findall("Assessments"):
            try:
                start = self.date(group, "AssessmentActualStartDate", True)
                authorised = self.date(group, "AssessmentAuthorisationDate")
            except BadValue as exc:
                p.bad(exc, "assessment", child_id)
                continue
            self.assessments.append(Assessment(child_id, start, authorised))

        enquiries = node.findall("Section47")
        conference_dates: set[_dt.date] = set()
        for group in enquiries:
            try:
                start = self.date(group, "S47ActualStartDate", True)
                conference = self.date(group, "DateOfInitialCPC")
                not_required = self.value(group, "ICPCnotRequired", parse_bool, True)
            except BadValue as exc:
                p.bad(exc, "section 47 enquiry", child_id)
                continue
            if conference is not None:
                conference_dates.add(conference)
            self.section47s.append(Section47(child_id, start, conference, bool(not_required)))

        try:
            icpc = self.date(node, "DateOfInitialCPC")
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
                    location=self.where(node, "DateOfInitialCPC")(),
                    field="DateOfInitialCPC",
                    value=icpc.isoformat(),
                    kind="conference",
                    child_id=child_id,
                )

        for group in node.findall("ChildProtectionPlans"):
            try:
                start = self.date(group, "CPPstartDate", True)
                end = self.date(group, "CPPendDate")
                previous = self.value(group, "NumberOfPreviousCPP", parse_int)
                reviews = [
                    self.review_date(review)
                    for block in group.findall("Reviews")
                    for review in block.findall("CPPreviewDate")
                ]
            except BadValue as exc:
                p.bad(exc, "child protection plan", child_id)
                continue
            plan = p.build(
                ChildProtectionPlan,
                self.fields_of(group),
                "child protection plan",
                child_id=child_id,
                start_date=start,
                end_date=end,
                review_dates=tuple(d for d in reviews if d is not None),
                previous_plans=previous,
            )
            if plan is not None:
                self.plans.append(plan)

    def review_date(self, node: Element) -> _dt.date | None:
        """A CPPreviewDate element's date (BadValue when blank or not a date)."""
        locate = self.locate
        value: _dt.date | None = convert(
            node.text, node.tag, lambda: locate(node), parse_date, required=True
        )
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
                f"{exc.message}; everything after this point is not loaded",
                location=exc.location,
                kind="malformed",
            )
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
        others: dict[str, Any] = {n: getattr(b, n) for n in RECORD_FIELDS if n not in _CIN_KEYS}
        others["sources"] = b.sources
        rest = rest + Bundle(**others)
    stitched = stitch(returns, issues, _CIN_KEYS)
    fields: dict[str, Any] = {f: tuple(v) for f, v in stitched.items()}
    fields["issues"] = tuple(issues)
    return attrs.evolve(rest, **fields)
