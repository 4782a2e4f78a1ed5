"""The areas of the report and the one table that places every indicator in one of them.

:data:`AREAS` lists the sections of the report in order; :data:`PLACES` gives, for every
registered indicator, its area and the one-line definition the report prints under its title
(the opening sentence of the indicator's specification page, shortened to one line where the
page takes more). An indicator registered later and not yet placed here is shown in a last
section, ``Other indicators``, rather than dropped (the test suite checks that the table names
every registered indicator).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from ..registry import INDICATORS, IndicatorSpec

__all__ = [
    "AREAS",
    "OTHER",
    "PLACES",
    "Area",
    "Place",
    "area_of",
    "definition_of",
    "sections",
    "unplaced",
]


@attrs.frozen(slots=True)
class Area:
    """One section of the report."""

    key: str
    """A short identifier (an HTML anchor, a worksheet name)."""
    title: str
    """The section's heading."""


FRONT_DOOR = Area("front-door", "Front door")
ASSESSMENTS = Area("assessments", "Assessments")
CHILD_PROTECTION = Area("child-protection", "Child protection")
LOOKED_AFTER = Area("looked-after", "Looked after")
CARE_LEAVERS = Area("care-leavers", "Care leavers")
ADOPTION = Area("adoption", "Adoption")
OTHER = Area("other", "Other indicators")
"""Where an indicator missing from :data:`PLACES` goes."""

AREAS: tuple[Area, ...] = (
    FRONT_DOOR,
    ASSESSMENTS,
    CHILD_PROTECTION,
    LOOKED_AFTER,
    CARE_LEAVERS,
    ADOPTION,
)
"""The sections of indicators, in the order the report shows them (the data-quality section
follows them)."""


@attrs.frozen(slots=True)
class Place:
    """Where an indicator is shown and the line that defines it."""

    area: Area
    definition: str


def _p(area: Area, definition: str) -> Place:
    return Place(area, definition)


PLACES: Mapping[str, Place] = {
    # front door
    "referrals_received": _p(
        FRONT_DOOR,
        "Referrals whose referral date is in the period; a child referred twice counts twice.",
    ),
    "rereferrals_within_12_months": _p(
        FRONT_DOOR,
        "Referrals in the period made within 12 months of a previous referral of the same child.",
    ),
    "children_in_need_at_period_end": _p(
        FRONT_DOOR,
        "Children with a children-in-need episode open at the end of the period's last day "
        "(a snapshot; no-further-action referrals left out).",
    ),
    # assessments
    "assessments_completed": _p(
        ASSESSMENTS,
        "Assessments whose authorisation date is in the period (completed "
        "assessments, as DfE counts them).",
    ),
    "assessments_within_45_working_days": _p(
        ASSESSMENTS,
        "Assessments authorised in the period that took at most 45 working days "
        "from the start to authorisation.",
    ),
    # child protection
    "s47_enquiries_started": _p(
        CHILD_PROTECTION,
        "Section 47 enquiries whose start date (the strategy discussion) is in the period.",
    ),
    "icpcs_held": _p(
        CHILD_PROTECTION,
        "Initial child protection conferences held in the period, transfer-in "
        "conferences included.",
    ),
    "icpcs_within_15_working_days": _p(
        CHILD_PROTECTION,
        "Initial child protection conferences held in the period within 15 "
        "working days of the strategy discussion.",
    ),
    "children_subject_to_s47_enquiries": _p(
        CHILD_PROTECTION,
        "Children with a section 47 enquiry starting in the period, each child counted once.",
    ),
    "children_subject_to_icpc": _p(
        CHILD_PROTECTION,
        "Children with an initial child protection conference in the period (transfer-ins "
        "included), each child counted once.",
    ),
    "s47_enquiries_leading_to_icpc": _p(
        CHILD_PROTECTION,
        "Section 47 enquiries starting in the period that were followed by an initial "
        "child protection conference by the period end.",
    ),
    "cp_plans_started": _p(
        CHILD_PROTECTION, "Child protection plans whose start date is in the period."
    ),
    "repeat_cp_plans": _p(
        CHILD_PROTECTION,
        "Plans starting in the period that are the child's second or later plan, ever.",
    ),
    "repeat_cp_plans_within_2_years": _p(
        CHILD_PROTECTION,
        "Plans starting in the period within 2 years of the child's previous plan ending.",
    ),
    "cp_plans_ceased": _p(
        CHILD_PROTECTION, "Child protection plans whose end date is in the period."
    ),
    "cp_plans_ceased_lasting_2_years": _p(
        CHILD_PROTECTION, "Plans ending in the period that had lasted 2 years or more."
    ),
    "children_on_cp_plan": _p(
        CHILD_PROTECTION,
        "Children with a child protection plan open at the end of the "
        "period's last day (a snapshot).",
    ),
    "cp_plans_open_2_years_or_more": _p(
        CHILD_PROTECTION,
        "Plans open at the end of the period that had then been open for 2 "
        "years or more (a snapshot).",
    ),
    "cp_reviews_in_timescale": _p(
        CHILD_PROTECTION,
        "Children on a plan for at least 3 months at the period end whose "
        "reviews were all held in timescale.",
    ),
    # looked after
    "lac_at_period_end": _p(
        LOOKED_AFTER, "Children looked after on the last day of the period (a snapshot)."
    ),
    "three_or_more_placements_in_2_years": _p(
        LOOKED_AFTER,
        "Children looked after for 2 years or more at the period end who had 3 or more "
        "placements in those 2 years.",
    ),
    "lac_ceased_adopted_percent": _p(
        LOOKED_AFTER, "Children who ceased to be looked after in the period who were adopted."
    ),
    "lac_ceased_special_guardianship_percent": _p(
        LOOKED_AFTER,
        "Children who ceased to be looked after in the period under a special guardianship order.",
    ),
    "lac_started": _p(LOOKED_AFTER, "Children who started to be looked after in the period."),
    "lac_ceased": _p(
        LOOKED_AFTER, "Children who ceased to be looked after in the period, whatever the reason."
    ),
    "lac_ceased_special_guardianship": _p(
        LOOKED_AFTER,
        "Children who ceased to be looked after in the period under a special guardianship order.",
    ),
    "lac_ceased_returned_home": _p(
        LOOKED_AFTER,
        "Children who ceased to be looked after in the period to live with parents or relatives.",
    ),
    "uasc_looked_after_at_period_end": _p(
        LOOKED_AFTER,
        "Unaccompanied asylum-seeking children looked after on the last day of the period.",
    ),
    "three_or_more_placements": _p(
        LOOKED_AFTER,
        "Children looked after at the period end who had three or more "
        "placements in the 12 months before it.",
    ),
    "long_term_placement_stability": _p(
        LOOKED_AFTER,
        "Children under 16 in care for 2.5 years or more at the period end who "
        "had lived with the same carer for 2 years.",
    ),
    "lac_reviews_in_timescale": _p(
        LOOKED_AFTER,
        "Children looked after at the period end whose statutory reviews were "
        "all held on time, none overdue.",
    ),
    "initial_health_assessments_within_20_working_days": _p(
        LOOKED_AFTER,
        "Children starting to be looked after in the period whose initial health "
        "assessment was within 20 working days.",
    ),
    "lac_annual_health_check": _p(
        LOOKED_AFTER,
        "Children looked after continuously for 12 months at the period end "
        "whose annual health assessment was up to date.",
    ),
    "lac_dental_check": _p(
        LOOKED_AFTER,
        "Children looked after continuously for 12 months at the period end "
        "whose teeth were checked by a dentist.",
    ),
    "returned_to_care_within_12_months": _p(
        LOOKED_AFTER,
        "Periods of care starting in the period within 12 months of the child's "
        "previous period of care ending.",
    ),
    "lac_missing_incident": _p(
        LOOKED_AFTER,
        "Children looked after in the period with a missing incident starting in the period.",
    ),
    "lac_away_without_authorisation": _p(
        LOOKED_AFTER,
        "Children looked after in the period who were away from placement without authorisation.",
    ),
    # care leavers
    "lac_ceased_16_plus_remained_until_18": _p(
        CARE_LEAVERS,
        "Children who ceased to be looked after in the period aged 16 or over who remained "
        "looked after until their 18th birthday.",
    ),
    "care_leavers_17_18_eet": _p(
        CARE_LEAVERS,
        "Care leavers whose 17th or 18th birthday fell in the period and who "
        "were in education, employment or training.",
    ),
    "care_leavers_17_18_suitable_accommodation": _p(
        CARE_LEAVERS,
        "Care leavers whose 17th or 18th birthday fell in the period and whose "
        "accommodation was suitable.",
    ),
    "care_leavers_19_21_eet": _p(
        CARE_LEAVERS,
        "Care leavers whose 19th, 20th or 21st birthday fell in the period and "
        "who were in education, employment or training.",
    ),
    "care_leavers_19_21_suitable_accommodation": _p(
        CARE_LEAVERS,
        "Care leavers whose 19th, 20th or 21st birthday fell in the period and "
        "whose accommodation was suitable.",
    ),
    # adoption
    "lac_ceased_adopted": _p(
        ADOPTION, "Children who ceased to be looked after in the period because they were adopted."
    ),
    "adoption_a1": _p(
        ADOPTION,
        "Average days from entering care to moving in with the adoptive family, for "
        "children adopted in the period.",
    ),
    "adoption_a10": _p(
        ADOPTION,
        "As A1, but for a foster carer adoption the clock stops when the child "
        "moved in with that carer.",
    ),
    "adoption_a2": _p(
        ADOPTION,
        "Average days from court authority to place for adoption to the match with "
        "adopters, for children adopted in the period.",
    ),
}
"""Every registered indicator's area and one-line definition, by id: the one table of the
report's layout (within an area, indicators follow the scorecard's order)."""


def area_of(indicator: str) -> Area:
    """The area an indicator is shown in (:data:`OTHER` when the table does not place it)."""
    place = PLACES.get(indicator)
    return OTHER if place is None else place.area


def definition_of(spec: IndicatorSpec) -> str:
    """The indicator's one-line definition; for one the table does not place, its unit of
    count from the registry."""
    place = PLACES.get(spec.id)
    if place is not None:
        return place.definition
    return f"Each {spec.unit}."


def sections(specs: Iterable[IndicatorSpec]) -> list[tuple[Area, list[IndicatorSpec]]]:
    """The areas with their indicators (in the order given), leaving out empty areas;
    :data:`OTHER` last when any indicator falls in it."""
    grouped: dict[Area, list[IndicatorSpec]] = {}
    for spec in specs:
        grouped.setdefault(area_of(spec.id), []).append(spec)
    return [(a, grouped[a]) for a in (*AREAS, OTHER) if a in grouped]


def unplaced(registry: Mapping[str, IndicatorSpec] | None = None) -> list[str]:
    """Registered indicators the table does not place (empty when it is complete)."""
    source = INDICATORS if registry is None else registry
    return [i for i in source if i not in PLACES]
