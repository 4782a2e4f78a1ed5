"""Children-in-need records: what the CIN census holds about referrals, assessments, section 47
enquiries, conferences and child protection plans.

Every field's ``metadata["item"]`` names the CIN census item it holds. Types and codes are
checked on construction; inconsistent *dates* (an end before its start) are accepted as recorded,
because analysts need to see them: the indicators report them with a reason.
"""

from __future__ import annotations

import datetime as _dt

import attrs

from ..codes import CIN
from . import _fields as f

__all__ = [
    "Assessment",
    "ChildProtectionPlan",
    "CinChild",
    "Referral",
    "Section47",
    "TransferInConference",
]


@attrs.frozen(slots=True)
class CinChild:
    """A child in need's characteristics: the ``ChildIdentifiers`` and ``ChildCharacteristics``
    of one ``Child`` of the CIN census (one record per child, beside its referrals)."""

    child_id: str = f.identifier("LAchildID")
    """The child's identifier in the local authority (``LAchildID``)."""
    date_of_birth: _dt.date | None = f.optional_date("PersonBirthDate")
    """Date of birth (``PersonBirthDate``); ``None`` for an unborn child or when not recorded."""
    sex: str | None = f.code("Sex", CIN["Sex"], required=False)
    """Sex: M male, F female, U unknown (``Sex``, from 2024-25; the older ``GenderCurrent``
    1, 2, 0 and 9 are read as M, F, U and U); ``None`` when not recorded."""
    ethnicity: str | None = f.code("Ethnicity", CIN["Ethnicity"], required=False)
    """Ethnicity, one of the DfE main codes (``Ethnicity``): WBRI, ..., REFU refused, NOBT not
    yet obtained; ``None`` when not recorded."""
    disabilities: tuple[str, ...] = f.codes("Disability", CIN["Disability"])
    """The recorded disabilities (``Disabilities/Disability``), in the order recorded: NONE,
    MOB, HAND, PC, INC, COMM, LD, HEAR, VIS, BEH, CON, AUT, DDA; empty when none is recorded."""

    @property
    def disability(self) -> bool | None:
        """Whether the child has a disability: ``True`` when a disability other than ``NONE``
        is recorded, ``False`` when only ``NONE`` is, ``None`` when nothing is."""
        if not self.disabilities:
            return None
        return any(d != "NONE" for d in self.disabilities)


@attrs.frozen(slots=True)
class Referral:
    """A referral to children's social care: one ``CINdetails`` group of the CIN census."""

    child_id: str = f.identifier("LAchildID")
    """The child's identifier in the local authority (``LAchildID``)."""
    date: _dt.date = f.date("CINreferralDate")
    """The date of the referral (``CINreferralDate``)."""
    closure_date: _dt.date | None = f.optional_date("CINclosureDate")
    """The date the episode of need closed (``CINclosureDate``), if closed."""
    closure_reason: str | None = f.code("ReasonForClosure", CIN["ReasonForClosure"], required=False)
    """The reason for closure, RC1-RC9 (``ReasonForClosure``)."""
    no_further_action: bool = f.flag("ReferralNFA")
    """Whether the referral led to no further action (``ReferralNFA``)."""
    referral_source: str | None = f.code("ReferralSource", CIN["ReferralSource"], required=False)
    """Who made the referral (``ReferralSource``): 1A-1D individuals, 2A-2B schools and
    education, 3A-3F health, 4 housing, 5A-5D local authority services, 6 police, 7 other legal
    agency, 8 other, 9 anonymous, 10 unknown; ``None`` when not recorded."""
    primary_need: str | None = f.code("PrimaryNeedCode", CIN["PrimaryNeedCode"], required=False)
    """The child's primary need at assessment (``PrimaryNeedCode``): N1 abuse or neglect, ...,
    N8 absent parenting, N9 cases other than children in need, N0 not stated; ``None`` when
    not recorded."""


@attrs.frozen(slots=True)
class Assessment:
    """A continuous (single) assessment: one ``Assessments`` group of the CIN census."""

    child_id: str = f.identifier("LAchildID")
    """The child's identifier in the local authority (``LAchildID``)."""
    start_date: _dt.date = f.date("AssessmentActualStartDate")
    """The actual start date of the assessment (``AssessmentActualStartDate``)."""
    authorisation_date: _dt.date | None = f.optional_date("AssessmentAuthorisationDate")
    """The date the assessment was completed and authorised (``AssessmentAuthorisationDate``);
    ``None`` while it is open."""


@attrs.frozen(slots=True)
class Section47:
    """A section 47 enquiry and the initial child protection conference that followed it."""

    child_id: str = f.identifier("LAchildID")
    """The child's identifier in the local authority (``LAchildID``)."""
    start_date: _dt.date = f.date("S47ActualStartDate")
    """The date of the strategy discussion that started the enquiry (``S47ActualStartDate``)."""
    conference_date: _dt.date | None = f.optional_date("DateOfInitialCPC")
    """The date of the initial child protection conference (``Section47/DateOfInitialCPC``)."""
    conference_not_required: bool = f.flag("ICPCnotRequired")
    """Whether the enquiry concluded that no conference was needed (``ICPCnotRequired``)."""


@attrs.frozen(slots=True)
class TransferInConference:
    """A transfer-in initial child protection conference: a child already on a plan in another
    authority, conferenced on arrival. Recorded as ``CINdetails/DateOfInitialCPC`` with no
    ``Section47`` group, so it has no strategy discussion to measure from."""

    child_id: str = f.identifier("LAchildID")
    """The child's identifier in the local authority (``LAchildID``)."""
    date: _dt.date = f.date("DateOfInitialCPC")
    """The date of the conference (``CINdetails/DateOfInitialCPC``)."""


@attrs.frozen(slots=True)
class ChildProtectionPlan:
    """A child protection plan: one ``ChildProtectionPlans`` group of the CIN census."""

    child_id: str = f.identifier("LAchildID")
    """The child's identifier in the local authority (``LAchildID``)."""
    start_date: _dt.date = f.date("CPPstartDate")
    """The date the plan started (``CPPstartDate``)."""
    end_date: _dt.date | None = f.optional_date("CPPendDate")
    """The date the plan ended (``CPPendDate``); ``None`` while it is open."""
    review_dates: tuple[_dt.date, ...] = f.dates("CPPreviewDate")
    """The dates of the plan's review conferences (``Reviews/CPPreviewDate``), as recorded."""
    previous_plans: int | None = f.optional_int("NumberOfPreviousCPP")
    """The recorded number of previous plans (``NumberOfPreviousCPP``), when known."""
