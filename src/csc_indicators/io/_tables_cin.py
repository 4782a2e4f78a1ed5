"""The CIN census group declarations (see :mod:`._tables`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..records import (
    Assessment,
    ChildProtectionPlan,
    CinChild,
    Referral,
    Section47,
    TransferInConference,
)
from ._table_types import Table, _c

# -- the CIN census groups ----------------------------------------------------------------------

_GENDER = {"1": "M", "2": "F", "0": "U", "9": "U"}
"""``GenderCurrent`` (up to 2023-24) read as ``Sex`` (from 2024-25); either element is read
with either list, as files of the change-over year mix them."""

CIN_TABLES: tuple[Table, ...] = (
    Table(
        "Child",
        (
            _c("ChildIdentifiers/LAchildID", "child_id", "id", required=True),
            _c("ChildIdentifiers/PersonBirthDate", "date_of_birth", "date", breakdown=True),
            _c(
                "ChildIdentifiers/Sex",
                "sex",
                "code",
                codes="Sex",
                breakdown=True,
                aliases=_GENDER,
                doc="M, F, U",
            ),
            _c(
                "ChildIdentifiers/GenderCurrent",
                "sex",
                "code",
                codes="GenderCurrent",
                breakdown=True,
                aliases=_GENDER,
                doc="1, 2, 0, 9, read as M, F, U, U",
            ),
            _c(
                "ChildCharacteristics/Ethnicity",
                "ethnicity",
                "code",
                codes="Ethnicity",
                breakdown=True,
            ),
            _c(
                "ChildCharacteristics/Disabilities/Disability",
                "disabilities",
                "codes",
                codes="Disability",
                breakdown=True,
            ),
        ),
        (),
        "cin_children",
        CinChild,
        "child's characteristics",
        "Child",
        returns="CIN census",
        doc="the child's characteristics",
    ),
    Table(
        "CINdetails",
        (
            _c("CINreferralDate", "date", "date", required=True),
            _c("ReferralSource", "referral_source", "code", codes="ReferralSource", breakdown=True),
            _c("PrimaryNeedCode", "primary_need", "code", codes="PrimaryNeedCode", breakdown=True),
            _c("CINclosureDate", "closure_date", "date"),
            _c("ReasonForClosure", "closure_reason", "code", codes="ReasonForClosure"),
            _c("ReferralNFA", "no_further_action", "flag", required=True),
        ),
        (),
        "referrals",
        Referral,
        "referral",
        "CINdetails",
        returns="CIN census",
        doc="a referral and its episode of need",
    ),
    Table(
        "Assessments",
        (
            _c("AssessmentActualStartDate", "start_date", "date", required=True),
            _c("AssessmentAuthorisationDate", "authorisation_date", "date"),
        ),
        (),
        "assessments",
        Assessment,
        "assessment",
        "CINdetails/Assessments",
        returns="CIN census",
        doc="a continuous assessment",
    ),
    Table(
        "Section47",
        (
            _c("S47ActualStartDate", "start_date", "date", required=True),
            _c("DateOfInitialCPC", "conference_date", "date"),
            _c("ICPCnotRequired", "conference_not_required", "flag", required=True),
        ),
        (),
        "section47s",
        Section47,
        "section 47 enquiry",
        "CINdetails/Section47",
        returns="CIN census",
        doc="a section 47 enquiry and its initial conference",
    ),
    Table(
        "Transfer-in",
        (_c("DateOfInitialCPC", "date", "date", required=True),),
        (),
        "transfer_ins",
        TransferInConference,
        "conference",
        "CINdetails",
        returns="CIN census",
        doc="a CINdetails DateOfInitialCPC with no Section47 group",
    ),
    Table(
        "ChildProtectionPlans",
        (
            _c("CPPstartDate", "start_date", "date", required=True),
            _c("CPPendDate", "end_date", "date"),
            _c("NumberOfPreviousCPP", "previous_plans", "int"),
            _c("Reviews/CPPreviewDate", "review_dates", "dates"),
        ),
        (),
        "plans",
        ChildProtectionPlan,
        "child protection plan",
        "CINdetails/ChildProtectionPlans",
        returns="CIN census",
        doc="a child protection plan",
    ),
)
"""The CIN census groups, each giving one record kind (element paths below ``Child``)."""

CIN_BY_NAME: Mapping[str, Table] = MappingProxyType({t.name: t for t in CIN_TABLES})
