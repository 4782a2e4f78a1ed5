"""Every record of one CIN census ``Child`` at once, the fast way (:func:`fast_child`): what
:class:`._cin_records.CinReader` reads when nothing in the child is out of the ordinary.

Most children are not even walked into a tree: one whose content has the plain shape of the
census schema (:data:`CHILD`: its elements in the schema's order, each group holding elements,
each element read holding text and there once) is matched whole by one regular expression in
the scanner's block (:attr:`._xml_scan.Scan.quick`), and :func:`quick_child` makes its records
from the captured texts with the fast builders' own converters
(:func:`._trees.fast_maker`): the same records that :func:`fast_child` gives from its tree, or
``None`` whenever it would not give them (a value it does not read), when the child is walked
after all. ``tests/test_cinread_quick.py`` compares the two ways child by child."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..records import (
    Assessment,
    ChildProtectionPlan,
    CinChild,
    Referral,
    Section47,
    TransferInConference,
)
from ._tables import CIN_BY_NAME, CIN_TABLES
from ._trees import SLOW, Slow, fast_builder, fast_columns, fast_maker, text_of
from ._xml_scan import _SPACE, _TEXT, Tree

__all__ = ["CHILD", "FAST", "ChildRecords", "fast_child", "quick_child"]

FAST = {t.name: fast_builder(t) for t in CIN_TABLES}
"""Each CIN census group's fast builder, by table name (see :func:`._trees.fast_builder`)."""
_FAST_CHILD = FAST["Child"]
_FAST_REFERRAL = FAST["CINdetails"]
_FAST_ASSESSMENT = FAST["Assessments"]
_FAST_SECTION47 = FAST["Section47"]
_FAST_TRANSFER_IN = FAST["Transfer-in"]
_FAST_PLAN = FAST["ChildProtectionPlans"]

ChildRecords = tuple[
    CinChild,
    list[Referral],
    list[Assessment],
    list[Section47],
    list[TransferInConference],
    list[ChildProtectionPlan],
]


def _each(fast: Callable[[Any, str], Any], found: Any, child_id: str) -> list[Any]:
    """The records of one group element or several (a list), the fast way."""
    if type(found) is dict:
        return [fast(found, child_id)]
    if type(found) is not list:
        raise Slow
    records = []
    for tree in found:
        if type(tree) is not dict:
            raise Slow
        records.append(fast(tree, child_id))
    return records


def fast_child(tree: Tree) -> ChildRecords:
    """All the records of one ``Child`` the fast way, as :meth:`~._cin_records.CinReader.child`
    reads them
    when every group is read the fast way and nothing is to be reported; or raise one of
    :data:`._trees.SLOW`."""
    ids = tree.get(b"ChildIdentifiers")
    if type(ids) is not dict:
        raise Slow
    entry = ids.get(b"LAchildID")
    if type(entry) is not bytes:
        raise Slow
    child_id = (text_of(entry) or "").strip()
    if not child_id:
        raise Slow
    child = _FAST_CHILD(tree, child_id)
    referrals: list[Referral] = []
    assessments: list[Assessment] = []
    section47s: list[Section47] = []
    transfer_ins: list[TransferInConference] = []
    plans: list[ChildProtectionPlan] = []
    found = tree.get(b"CINdetails")
    if found is not None:
        for details in found if type(found) is list else (found,):
            if type(details) is not dict:
                raise Slow
            referrals.append(_FAST_REFERRAL(details, child_id))
            group = details.get(b"Assessments")
            if group is not None:
                if type(group) is dict:
                    assessments.append(_FAST_ASSESSMENT(group, child_id))
                else:
                    assessments += _each(_FAST_ASSESSMENT, group, child_id)
            group = details.get(b"Section47")
            if group is not None:
                if type(group) is dict:
                    enquiries = [_FAST_SECTION47(group, child_id)]
                else:
                    enquiries = _each(_FAST_SECTION47, group, child_id)
                section47s += enquiries
            if b"DateOfInitialCPC" in details:
                conference = _FAST_TRANSFER_IN(details, child_id)
                if group is None:
                    transfer_ins.append(conference)
                elif all(e.conference_date != conference.date for e in enquiries):
                    raise Slow  # noted as no transfer-in: the exact way
            group = details.get(b"ChildProtectionPlans")
            if group is not None:
                if type(group) is dict:
                    plans.append(_FAST_PLAN(group, child_id))
                else:
                    plans += _each(_FAST_PLAN, group, child_id)
    return child, referrals, assessments, section47s, transfer_ins, plans


# -- plain children, straight from the bytes ----------------------------------------------------

_W = rb"[ \t\r\n]{0,%d}+" % _SPACE
_T = rb"([^<]{1,%d}+)" % _TEXT
_ANY = rb"[^<]{0,%d}+" % _TEXT
_ITEMS = rb"(?=<[A-Za-z_])"
"""A group element holding elements (no text only, which the walk takes as an item)."""


def _item(tag: str) -> bytes:
    """An element read by a table, holding text (captured), if there."""
    return rb"(?:<%s>%s</%s>%s)?" % (tag.encode(), _T, tag.encode(), _W)


def _unread(*tags: str) -> bytes:
    """Elements the tables do not read, each if there (with any text, or empty)."""
    return b"".join(
        rb"(?:<%s>%s</%s>%s|<%s/>%s)?" % (t.encode(), _ANY, t.encode(), _W, t.encode(), _W)
        for t in tags
    )


def _group(tag: str, inner: bytes, times: bytes = b"") -> bytes:
    """A group element holding elements (``inner``), ``times`` times."""
    t = tag.encode()
    return rb"(?:<%s>%s%s%s</%s>%s)%s" % (t, _W, _ITEMS, inner, t, _W, times)


def _unread_group(tag: str, inner: bytes, times: bytes = b"?") -> bytes:
    """A group element the tables do not read, holding ``inner`` (or nothing), ``times``
    times."""
    t = tag.encode()
    return rb"(?:<%s>%s%s</%s>%s|<%s/>%s)%s" % (t, _W, inner, t, _W, t, _W, times)


def _repeated(tag: str) -> bytes:
    """One element holding text or more (a repeated item), the first captured, the others
    captured together."""
    t = tag.encode()
    return rb"<%s>%s</%s>%s((?:<%s>%s</%s>%s)*+)" % (t, _T, t, _W, t, _T[1:-1], t, _W)


_ASSESSMENT = _group(
    "Assessments",
    _item("AssessmentActualStartDate")
    + _unread("AssessmentInternalReviewDate")
    + _item("AssessmentAuthorisationDate")
    + _unread_group(
        "FactorsIdentifiedAtAssessment",
        b"(?:<AssessmentFactors>%s</AssessmentFactors>%s|<AssessmentFactors/>%s)*+"
        % (_ANY, _W, _W),
        b"*+",
    ),
)
_PLAN_DATES = _unread_group("CINPlanDates", _unread("CINPlanStartDate", "CINPlanEndDate"), b"*+")
_PRE_PROCEEDINGS = _unread_group(
    "PreProceedingsandFGDM",
    _unread(
        "PPStartDate",
        "LBPSentDate",
        "FGDMMeetingOffer",
        "FGDMMeetingFac",
        "InitialPPMeetingDate",
        "ReviewMeetingsCount",
        "StepDecisionDate",
        "PPOutcome",
        "CourtAppDate",
        "LetterInitCPDate",
    ),
    b"*+",
)
_SECTION47 = _group(
    "Section47",
    _item("S47ActualStartDate")
    + _unread("InitialCPCtarget")
    + _item("DateOfInitialCPC")
    + _item("ICPCnotRequired"),
)
_PLAN = _group(
    "ChildProtectionPlans",
    _item("CPPstartDate")
    + _item("CPPendDate")
    + _unread("InitialCategoryOfAbuse", "LatestCategoryOfAbuse")
    + _item("NumberOfPreviousCPP")
    + b"(?:%s)?" % _group("Reviews", _repeated("CPPreviewDate")),
)


def _plain(pattern: bytes) -> bytes:
    """``pattern`` without its captures."""
    return pattern.replace(b"(", b"(?:").replace(b"(?:?", b"(?")


def _first_then(pattern: bytes) -> bytes:
    """``pattern`` any number of times: the first with its captures, the others captured
    together (``None`` if there is none at all, empty if one only)."""
    return b"(?:%s((?:%s)*+))?+" % (pattern, _plain(pattern))


_DETAILS = _group(
    "CINdetails",
    _item("CINreferralDate")
    + _item("ReferralSource")
    + _item("PrimaryNeedCode")
    + _item("CINclosureDate")
    + _item("ReasonForClosure")
    + _item("DateOfInitialCPC")
    + _item("ReferralNFA")
    + _first_then(_ASSESSMENT)
    + _PLAN_DATES
    + _first_then(_SECTION47)
    + _item("ReferralNFA")
    + _first_then(_PLAN)
    + _PRE_PROCEEDINGS,
)
CHILD = (
    _W
    + _group(
        "ChildIdentifiers",
        _item("LAchildID")
        + _unread("UPN", "FormerUPN", "UPNunknown")
        + _item("PersonBirthDate")
        + _unread("ExpectedPersonBirthDate")
        + _item("Sex")
        + _item("GenderCurrent")
        + _unread("PersonDeathDate"),
    )
    + b"(?:%s)?"
    % _group(
        "ChildCharacteristics",
        _item("Ethnicity") + b"(?:%s)?" % _group("Disabilities", _repeated("Disability")),
    )
    + _first_then(_DETAILS)
)
"""The pattern of the content of a plain ``Child``: the census schema's elements in its
order, each group holding elements, each element read holding text and there once (so that its
entry in the walk's tree would be that text), the record elements nowhere."""
_DETAILS_RE = re.compile(_DETAILS)
_ASSESSMENTS_RE = re.compile(_ASSESSMENT)
_SECTION47_RE = re.compile(_SECTION47)
_PLANS_RE = re.compile(_PLAN)
_DISABILITY = re.compile(rb"<Disability>([^<]++)")
_REVIEW = re.compile(rb"<CPPreviewDate>([^<]++)")

_CHILD_MAKER = fast_maker(CIN_BY_NAME["Child"])
_REFERRAL_MAKER = fast_maker(CIN_BY_NAME["CINdetails"])
_ASSESSMENT_MAKER = fast_maker(CIN_BY_NAME["Assessments"])
_SECTION47_MAKER = fast_maker(CIN_BY_NAME["Section47"])
_TRANSFER_IN_MAKER = fast_maker(CIN_BY_NAME["Transfer-in"])
_PLAN_MAKER = fast_maker(CIN_BY_NAME["ChildProtectionPlans"])
assert [
    fast_columns(CIN_BY_NAME[name])
    for name in ("Child", "CINdetails", "Section47", "ChildProtectionPlans")
] == [
    (
        "ChildIdentifiers/PersonBirthDate",
        "ChildIdentifiers/Sex",
        "ChildIdentifiers/GenderCurrent",
        "ChildCharacteristics/Ethnicity",
        "ChildCharacteristics/Disabilities/Disability",
    ),
    (
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "ReferralNFA",
    ),
    ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
    ("CPPstartDate", "CPPendDate", "NumberOfPreviousCPP", "Reviews/CPPreviewDate"),
], "the quick reader passes the elements in this order"


def _many(first: bytes | None, more: bytes, items: re.Pattern[bytes]) -> Any:
    """The entry of a repeated item: its text, or the list of its texts."""
    return [first, *items.findall(more)] if more else first


def quick_child(found: re.Match[bytes]) -> ChildRecords | None:
    """All the records of a ``Child`` whose content :data:`CHILD` matched (in a block the
    scanner checked), as :func:`fast_child` gives them from its tree, when every value is read
    the fast way; else ``None``."""
    values = found.groups()
    raw_id = values[0]
    if raw_id is None:
        return None
    child_id = (raw_id.decode() if b"\r" not in raw_id else text_of(raw_id) or "").strip()
    if not child_id:
        return None
    referrals: list[Referral] = []
    assessments: list[Assessment] = []
    section47s: list[Section47] = []
    transfer_ins: list[TransferInConference] = []
    plans: list[ChildProtectionPlan] = []
    try:
        child = _CHILD_MAKER(
            child_id,
            values[1],
            values[2],
            values[3],
            values[4],
            _many(values[5], values[6], _DISABILITY),
        )
        more = values[28]
        if more is None:
            return child, referrals, assessments, section47s, transfer_ins, plans
        groups = [values[7:28]]
        if more:
            groups += [m.groups() for m in _DETAILS_RE.finditer(more)]
        for (
            date,
            source,
            need,
            closure,
            reason,
            conference,
            nfa,
            begun,
            authorised,
            more_assessments,
            enquiry_begun,
            held,
            required,
            more_enquiries,
            late_nfa,
            plan_begun,
            ended,
            previous,
            review,
            reviews,
            more_plans,
        ) in groups:
            if nfa is not None and late_nfa is not None:
                return None  # a list in the walk's tree
            referrals.append(
                _REFERRAL_MAKER(child_id, date, source, need, closure, reason, nfa or late_nfa)
            )
            if more_assessments is not None:
                assessments.append(_ASSESSMENT_MAKER(child_id, begun, authorised))
                if more_assessments:
                    for begun, authorised in _ASSESSMENTS_RE.findall(more_assessments):
                        assessments.append(
                            _ASSESSMENT_MAKER(child_id, begun or None, authorised or None)
                        )
            if more_enquiries is not None:
                enquiries = [_SECTION47_MAKER(child_id, enquiry_begun, held, required)]
                if more_enquiries:
                    enquiries += [
                        _SECTION47_MAKER(child_id, b or None, h or None, r or None)
                        for b, h, r in _SECTION47_RE.findall(more_enquiries)
                    ]
                section47s += enquiries
            if conference is not None:
                transfer_in = _TRANSFER_IN_MAKER(child_id, conference)
                if more_enquiries is None:
                    transfer_ins.append(transfer_in)
                elif all(e.conference_date != transfer_in.date for e in enquiries):
                    return None  # noted as no transfer-in: the exact way
            if more_plans is not None:
                plans.append(
                    _PLAN_MAKER(
                        child_id, plan_begun, ended, previous, _many(review, reviews, _REVIEW)
                    )
                )
                if more_plans:
                    for b, e, n, r, rs in _PLANS_RE.findall(more_plans):
                        plans.append(
                            _PLAN_MAKER(
                                child_id,
                                b or None,
                                e or None,
                                n or None,
                                _many(r or None, rs, _REVIEW),
                            )
                        )
    except SLOW:
        return None
    return child, referrals, assessments, section47s, transfer_ins, plans
