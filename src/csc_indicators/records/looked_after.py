"""Looked-after children records: what the SSDA903 return holds about episodes of care,
reviews, adoption, health, missing incidents and care leavers.

Every field's ``metadata["item"]`` names the SSDA903 item it holds (DECOM, RNE, LS, PLACE, DEC,
REC, ...). Codes are checked against the SSDA903 code lists of the supported collection years
(:data:`csc_indicators.codes.SSDA903`): an unknown code raises
:class:`~csc_indicators.errors.RecordError` naming the field and the value. Dates are accepted as
recorded; inconsistencies (an episode ending before it starts, overlaps) are reported by the
indicators.
"""

from __future__ import annotations

import datetime as _dt

import attrs

from ..codes import SSDA903
from . import _fields as f

__all__ = [
    "AdoptionRecord",
    "CareLeaverRecord",
    "Child",
    "Episode",
    "HealthAssessment",
    "HealthOutcomeRecord",
    "LookedAfterReview",
    "MissingEpisode",
    "PlacedForAdoption",
    "PreviousPermanence",
]


@attrs.frozen(slots=True)
class Child:
    """A looked-after child's fixed facts (the SSDA903 Header and UASC tables)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    date_of_birth: _dt.date = f.date("DOB")
    """Date of birth (``DOB``)."""
    sex: str | None = f.code("SEX", SSDA903["SEX"], required=False)
    """Sex, ``1`` male or ``2`` female (``SEX``)."""
    uasc_ceased: _dt.date | None = f.optional_date("DUC")
    """The date the child ceased to be an unaccompanied asylum-seeking child (``DUC``)."""
    uasc: bool = f.flag("UASC")
    """Whether the child is or was an unaccompanied asylum-seeking child (in the UASC table)."""
    ethnicity: str | None = f.code("ETHNIC", SSDA903["ETHNIC"], required=False)
    """Ethnicity, one of the DfE main codes (``ETHNIC``): WBRI, WIRI, ..., REFU refused, NOBT
    not yet obtained; ``None`` when not recorded."""


@attrs.frozen(slots=True)
class Episode:
    """An episode of care: a period with one legal status and one placement (SSDA903 Episodes).

    A new episode starts whenever the legal status, the placement or the carer changes; the
    reason for the new episode (RNE) says which. Consecutive episodes of one period of care join
    on the same date: the earlier one's ``end_date`` is the later one's ``start_date``.
    """

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    start_date: _dt.date = f.date("DECOM")
    """The date the episode commenced (``DECOM``)."""
    reason_new_episode: str = f.code("RNE", SSDA903["RNE"])
    """Reason for new episode: S started, L legal status only, P placement and carer,
    T placement with the same carer, B legal status, placement and carer, U legal status and
    placement with the same carer (``RNE``)."""
    legal_status: str = f.code("LS", SSDA903["LS"])
    """Legal status (``LS``), e.g. C2 full care order, V2 section 20, V3/V4 short breaks."""
    placement: str = f.code("PLACE", SSDA903["PLACE"])
    """Placement type (``PLACE``), e.g. U1-U6 foster care, A3-A6 placed for adoption."""
    end_date: _dt.date | None = f.optional_date("DEC")
    """The date the episode ceased (``DEC``); ``None`` while open."""
    reason_ceased: str | None = f.code("REC", SSDA903["REC"], required=False)
    """Reason the episode ceased (``REC``): X1 a new episode follows, E11/E12 adopted, ..."""
    placement_provider: str | None = f.code(
        "PLACE_PROVIDER", SSDA903["PLACE_PROVIDER"], required=False
    )
    """Placement provider, PR0-PR5 (``PLACE_PROVIDER``)."""
    reason_place_change: str | None = f.code(
        "REASON_PLACE_CHANGE", SSDA903["REASON_PLACE_CHANGE"], required=False
    )
    """Reason for the change of placement, recorded on the ceasing episode
    (``REASON_PLACE_CHANGE``)."""
    category_of_need: str | None = f.code("CIN", SSDA903["CIN"], required=False)
    """Category of need, N1-N8 (``CIN``)."""
    placement_postcode_district: str | None = f.postcode_district("PL_POST")
    """The postcode district of the placement: the outward code of ``PL_POST`` only (``WV27``
    of ``WV27 9FW``); the full postcode is never kept."""


@attrs.frozen(slots=True)
class LookedAfterReview:
    """A looked-after child's statutory review (SSDA903 Reviews)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    date: _dt.date = f.date("REVIEW")
    """The date of the review (``REVIEW``)."""
    participation: str | None = f.code("REVIEW_CODE", SSDA903["REVIEW_CODE"], required=False)
    """How the child took part, PN0-PN7 (``REVIEW_CODE``)."""


@attrs.frozen(slots=True)
class AdoptionRecord:
    """Adoption facts of a child adopted from care (SSDA903 AD1)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    decision_date: _dt.date | None = f.optional_date("DATE_INT")
    """The date of the decision that the child should be placed for adoption (``DATE_INT``)."""
    match_date: _dt.date | None = f.optional_date("DATE_MATCH")
    """The date the child was matched with the adopters (``DATE_MATCH``)."""
    foster_carer: bool | None = f.optional_flag("FOSTER_CARE")
    """Whether the child was adopted by their foster carer (``FOSTER_CARE``)."""


@attrs.frozen(slots=True)
class PlacedForAdoption:
    """A decision that the child should be placed for adoption (SSDA903 PlacedAdoption)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    decision_date: _dt.date = f.date("DATE_PLACED")
    """The date of the decision (``DATE_PLACED``)."""
    ceased_date: _dt.date | None = f.optional_date("DATE_PLACED_CEASED")
    """The date the child ceased to be placed for adoption (``DATE_PLACED_CEASED``)."""
    ceased_reason: str | None = f.code(
        "REASON_PLACED_CEASED", SSDA903["REASON_PLACED_CEASED"], required=False
    )
    """Why the plan ceased, RD1-RD4 (``REASON_PLACED_CEASED``)."""


@attrs.frozen(slots=True)
class PreviousPermanence:
    """A permanence order the child had before this period of care (SSDA903 PrevPerm)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    option: str = f.code("PREV_PERM", SSDA903["PREV_PERM"])
    """The previous permanence option, P1-P4 or Z1 (``PREV_PERM``)."""
    date: _dt.date | None = f.optional_date("DATE_PERM")
    """The date of the previous permanence order, when known (``DATE_PERM``)."""


@attrs.frozen(slots=True)
class HealthAssessment:
    """An initial health assessment of a child who became looked after (held locally; not part
    of SSDA903)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier."""
    date: _dt.date = f.date("initial health assessment date")
    """The date of the assessment."""


@attrs.frozen(slots=True)
class CareLeaverRecord:
    """A care leaver's circumstances around their birthday (SSDA903 OC3)."""

    child_id: str = f.identifier("CHILD")
    """The young person's identifier (``CHILD``)."""
    date_of_birth: _dt.date = f.date("DOB")
    """Date of birth (``DOB``)."""
    in_touch: str = f.code("IN_TOUCH", SSDA903["IN_TOUCH"])
    """Whether the authority was in touch: YES, NO, DIED, REFU, NREQ, RHOM (``IN_TOUCH``)."""
    activity: str = f.code("ACTIV", SSDA903["ACTIV"])
    """Main activity (``ACTIV``): F1/P1 higher education, F2/P2 other education, F4/P4
    training or employment, F5/P5 apprenticeship, G4-G6 not in education, employment or
    training, 0 when not in touch."""
    accommodation: str = f.code("ACCOM", SSDA903["ACCOM"])
    """Accommodation (``ACCOM``); the second character says whether it is suitable (1) or not
    (2); 0 when not in touch."""
    collection_year: int | None = f.optional_int("collection year")
    """The collection year of the return the row came from, named by the year it starts
    (2024 = 2024-25); ``None`` when unknown. A young person has a row in each year's return
    around a birthday; the indicators use the reporting period's year."""


@attrs.frozen(slots=True)
class HealthOutcomeRecord:
    """Health outcomes of a child looked after continuously for 12 months (SSDA903 OC2)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    health_check: bool | None = f.optional_flag("HEALTH_CHECK")
    """Whether the annual health assessment was up to date (``HEALTH_CHECK``)."""
    teeth_check: bool | None = f.optional_flag("TEETH_CHECK")
    """Whether the dental check was up to date (``TEETH_CHECK``)."""
    immunisations: bool | None = f.optional_flag("IMMUNISATIONS")
    """Whether immunisations were up to date (``IMMUNISATIONS``)."""
    health_assessment: bool | None = f.optional_flag("HEALTH_ASSESSMENT")
    """Whether the health assessment was up to date (``HEALTH_ASSESSMENT``)."""
    sdq_score: int | None = f.optional_int("SDQ_SCORE")
    """Strengths and difficulties questionnaire score, 0-40 (``SDQ_SCORE``)."""
    substance_misuse: bool | None = f.optional_flag("SUBSTANCE_MISUSE")
    """Whether a substance misuse problem was identified (``SUBSTANCE_MISUSE``)."""
    convicted: bool | None = f.optional_flag("CONVICTED")
    """Whether the child was convicted of an offence (``CONVICTED``)."""
    date_of_birth: _dt.date | None = f.optional_date("DOB")
    """Date of birth (``DOB``), when given."""
    collection_year: int | None = f.optional_int("collection year")
    """The collection year of the return the row came from, named by the year it starts
    (2024 = 2024-25); ``None`` when unknown. A child looked after for years has a row in
    each year's return; the indicators use the reporting period's year."""


@attrs.frozen(slots=True)
class MissingEpisode:
    """An incident of a looked-after child missing or away from placement (SSDA903 Missing)."""

    child_id: str = f.identifier("CHILD")
    """The child's identifier (``CHILD``)."""
    kind: str = f.code("MISSING", SSDA903["MISSING"])
    """``M`` missing from placement, ``A`` away from placement without authorisation."""
    start_date: _dt.date = f.date("MIS_START")
    """The date the incident started (``MIS_START``)."""
    end_date: _dt.date | None = f.optional_date("MIS_END")
    """The date the child returned (``MIS_END``); ``None`` if not yet returned."""
