"""What identifies a record: the one table the matching of two lists is derived from.

Each record type names the fields that identify one of its records within a child: an
assessment by its start and authorisation dates, a referral by its date, an episode by its
start (``DECOM``), and so on. Fields play *roles* shared across record types (a section 47
enquiry's ``conference_date`` and a transfer-in conference's ``date`` are both the conference
date), so the outcomes of an indicator that mixes types still have one key. A record type with
no identifying fields (a care leaver's OC3 row, a child's header) is identified by the child
alone.

A role's column spellings are its role name, the field's own name, the statutory item the field
holds (``metadata["item"]``: ``AssessmentActualStartDate``, ``DECOM``, ...) and the common
spellings listed here; spellings are compared ignoring case, spaces, ``_``, ``-`` and ``.``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from ..records import (
    AdoptionRecord,
    Assessment,
    CareLeaverRecord,
    Child,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47,
    TransferInConference,
)

__all__ = [
    "FLAG_SPELLINGS",
    "IDENTITY",
    "ROLE_SPELLINGS",
    "identity_of",
    "normalise",
    "spellings_for",
]

IDENTITY: Mapping[type, Mapping[str, str]] = {
    Referral: {"referral_date": "date"},
    Assessment: {"start_date": "start_date", "authorisation_date": "authorisation_date"},
    Section47: {"start_date": "start_date", "conference_date": "conference_date"},
    TransferInConference: {"conference_date": "date"},
    ChildProtectionPlan: {"start_date": "start_date"},
    Episode: {"start_date": "start_date"},
    LookedAfterReview: {"review_date": "date"},
    HealthAssessment: {"health_assessment_date": "date"},
    MissingEpisode: {"start_date": "start_date"},
    PlacedForAdoption: {"decision_date": "decision_date"},
    Child: {},
    AdoptionRecord: {},
    PreviousPermanence: {},
    CareLeaverRecord: {},
    HealthOutcomeRecord: {},
}
"""Record type to ``{role: field}``: the fields that identify one record of a child, by role,
in key order. The key of an outcome is its child id followed by these dates."""

ROLE_SPELLINGS: Mapping[str, tuple[str, ...]] = {
    "child_id": ("child_id", "LAchildID", "CHILD", "child", "child_ref", "person_id", "id"),
    "referral_date": ("referral_date", "date_of_referral", "referral", "ref_date"),
    "start_date": ("start_date", "start", "date_started", "started", "startdate"),
    "authorisation_date": (
        "authorisation_date",
        "authorised",
        "authorised_date",
        "date_authorised",
        "completion_date",
        "completed_date",
        "end_date",
    ),
    "conference_date": ("conference_date", "icpc_date", "icpc", "date_of_icpc", "cpc_date"),
    "review_date": ("review_date", "date_of_review"),
    "health_assessment_date": ("health_assessment_date", "iha_date", "assessment_date"),
    "decision_date": ("decision_date", "date_of_decision"),
}
"""Common column spellings of each role, beyond the field names and statutory items."""

FLAG_SPELLINGS: Mapping[str, tuple[str, ...]] = {
    "counted": ("counted", "included", "include", "in_denominator", "denominator", "in_cohort"),
    "met": (
        "met",
        "within_timescale",
        "in_time",
        "on_time",
        "in_timescale",
        "timely",
        "in_numerator",
        "numerator",
    ),
    "measure": ("measure", "working_days", "days", "duration", "working_days_taken", "wd"),
}
"""Column spellings of the optional values: their counted flag, met flag and measure."""

_NOT_ALNUM = re.compile(r"[\s_\-.]+")


def normalise(name: str) -> str:
    """A column name compared ignoring case, spaces, ``_``, ``-`` and ``.``."""
    return _NOT_ALNUM.sub("", name).casefold()


def identity_of(record_type: type) -> Mapping[str, str]:
    """The ``{role: field}`` identity of a record type (``{}`` for a type not in the table:
    such a record is identified by its child alone)."""
    return IDENTITY.get(record_type, {})


def spellings_for(record_types: Iterable[type]) -> dict[str, str]:
    """Normalised column spelling to role (or ``counted``/``met``/``measure``) for outcomes
    of the given record types: the child id, each identifying role of those types (its role
    name, field names, statutory items and common spellings) and the optional values."""
    out: dict[str, str] = {}

    def add(spelling: str, role: str) -> None:
        out.setdefault(normalise(spelling), role)

    for spelling in ROLE_SPELLINGS["child_id"]:
        add(spelling, "child_id")
    for record_type in record_types:
        fields = {a.name: a for a in attrs.fields(record_type)} if attrs.has(record_type) else {}
        for role, field in identity_of(record_type).items():
            add(role, role)
            add(field, role)
            item = fields[field].metadata.get("item") if field in fields else None
            if isinstance(item, str):
                add(item, role)
            for spelling in ROLE_SPELLINGS.get(role, ()):
                add(spelling, role)
        if "child_id" in fields:
            item = fields["child_id"].metadata.get("item")
            if isinstance(item, str):
                add(item, "child_id")
    for flag, spellings in FLAG_SPELLINGS.items():
        for spelling in spellings:
            add(spelling, flag)
    return out
