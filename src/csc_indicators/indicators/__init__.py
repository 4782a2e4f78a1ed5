"""The indicators: one function per figure, each returning an explained
:class:`~csc_indicators.results.IndicatorResult`.

Importing this package registers every indicator in :data:`csc_indicators.INDICATORS`.
Children-in-need indicators live in the modules for referrals, assessments, child protection
(section 47 enquiries, conferences and plans) and activity counts; looked-after indicators in the
modules for placements, reviews, adoption, health, care leavers and activity.

The distributions (:func:`assessment_duration_bands`, :func:`icpc_duration_bands`) return a
:class:`~csc_indicators.results.Distribution` and are not registered.
"""

# The scorecard lists the indicators in the order of csc_indicators.registry.SCORECARD_ORDER.
from .children_in_need import referrals, assessments, conferences, plans  # noqa: I001, F401
from .children_in_need import plan_durations, plan_reviews, activity, plan_activity  # noqa: F401
from .children_in_need.assessments import (
    ASSESSMENT_BANDS,
    assessment_duration_bands,
    assessments_within_45_working_days,
)
from .children_in_need.activity import (
    assessments_completed,
    icpcs_held,
    referrals_received,
    s47_enquiries_started,
)
from .children_in_need.conferences import (
    ICPC_BANDS,
    icpc_duration_bands,
    icpcs_within_15_working_days,
)
from .children_in_need.plan_activity import (
    children_on_cp_plan,
    cp_plans_ceased,
    cp_plans_started,
)
from .children_in_need.plan_durations import (
    cp_plans_ceased_lasting_2_years,
    cp_plans_open_2_years_or_more,
)
from .children_in_need.plan_reviews import cp_reviews_in_timescale
from .children_in_need.plans import repeat_cp_plans, repeat_cp_plans_within_2_years
from .children_in_need.referrals import rereferrals_within_12_months
from .children_in_need.enquiries import (
    children_subject_to_icpc,
    children_subject_to_s47_enquiries,
    s47_enquiries_leading_to_icpc,
)
from .children_in_need.children_in_need import children_in_need_at_period_end

__all__: list[str] = [
    "ASSESSMENT_BANDS",
    "ICPC_BANDS",
    "assessment_duration_bands",
    "assessments_completed",
    "assessments_within_45_working_days",
    "children_in_need_at_period_end",
    "children_on_cp_plan",
    "children_subject_to_icpc",
    "children_subject_to_s47_enquiries",
    "cp_plans_ceased",
    "cp_plans_ceased_lasting_2_years",
    "cp_plans_open_2_years_or_more",
    "cp_plans_started",
    "cp_reviews_in_timescale",
    "icpc_duration_bands",
    "icpcs_held",
    "icpcs_within_15_working_days",
    "referrals_received",
    "repeat_cp_plans",
    "repeat_cp_plans_within_2_years",
    "rereferrals_within_12_months",
    "s47_enquiries_leading_to_icpc",
    "s47_enquiries_started",
]

# -- looked-after children (SSDA903) ---------------------------------------------------------
from .looked_after import placements, reviews, health, adoption, care_leavers  # noqa: I001, F401
from .looked_after import returns, missing, activity as lac_activity  # noqa: F401
from .looked_after.adoption import adoption_a1, adoption_a2, adoption_a10
from .looked_after.care_leavers import (
    care_leavers_17_18_eet,
    care_leavers_17_18_suitable_accommodation,
    care_leavers_19_21_eet,
    care_leavers_19_21_suitable_accommodation,
)
from .looked_after.health import (
    initial_health_assessments_within_20_working_days,
    lac_annual_health_check,
    lac_dental_check,
)
from .looked_after.activity import (
    lac_at_period_end,
    lac_ceased,
    lac_ceased_adopted,
    lac_ceased_returned_home,
    lac_ceased_special_guardianship,
    lac_started,
    uasc_looked_after_at_period_end,
)
from .looked_after.reviews import lac_reviews_in_timescale
from .looked_after.missing import lac_away_without_authorisation, lac_missing_incident
from .looked_after.placements import long_term_placement_stability, three_or_more_placements
from .looked_after.returns import returned_to_care_within_12_months
from .looked_after.ceased_shares import (
    lac_ceased_adopted_percent,
    lac_ceased_special_guardianship_percent,
)
from .looked_after.leaving_care import lac_ceased_16_plus_remained_until_18
from .looked_after.stability_2_years import three_or_more_placements_in_2_years

__all__ += [
    "adoption_a1",
    "adoption_a2",
    "adoption_a10",
    "care_leavers_17_18_eet",
    "care_leavers_17_18_suitable_accommodation",
    "care_leavers_19_21_eet",
    "care_leavers_19_21_suitable_accommodation",
    "initial_health_assessments_within_20_working_days",
    "lac_annual_health_check",
    "lac_at_period_end",
    "lac_away_without_authorisation",
    "lac_ceased",
    "lac_ceased_16_plus_remained_until_18",
    "lac_ceased_adopted",
    "lac_ceased_adopted_percent",
    "lac_ceased_returned_home",
    "lac_ceased_special_guardianship",
    "lac_ceased_special_guardianship_percent",
    "lac_dental_check",
    "lac_missing_incident",
    "lac_reviews_in_timescale",
    "lac_started",
    "long_term_placement_stability",
    "returned_to_care_within_12_months",
    "three_or_more_placements",
    "three_or_more_placements_in_2_years",
    "uasc_looked_after_at_period_end",
]
