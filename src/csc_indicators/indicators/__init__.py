"""The indicators: one function per figure, each returning an explained
:class:`~csc_indicators.results.IndicatorResult`.

Importing this package registers every indicator in :data:`csc_indicators.INDICATORS`.
Children-in-need indicators live in the modules for referrals, assessments, child protection
(section 47 enquiries, conferences and plans) and activity counts; looked-after indicators in the
modules for placements, reviews, adoption, health, care leavers and activity.

The distributions (:func:`assessment_duration_bands`, :func:`icpc_duration_bands`) return a
:class:`~csc_indicators.results.Distribution` and are not registered.
"""

# Registration order is the order a scorecard lists the indicators in: percentages by stage
# of the child's journey (referral, assessment, conference, plan), then the activity counts.
from . import referrals, assessments, conferences, plans, cin_activity  # noqa: I001, F401
from .assessments import (
    ASSESSMENT_BANDS,
    assessment_duration_bands,
    assessments_within_45_working_days,
)
from .cin_activity import (
    assessments_completed,
    children_on_cp_plan,
    cp_plans_ceased,
    cp_plans_started,
    icpcs_held,
    referrals_received,
    s47_enquiries_started,
)
from .conferences import ICPC_BANDS, icpc_duration_bands, icpcs_within_15_working_days
from .plans import (
    cp_plans_ceased_lasting_2_years,
    cp_plans_open_2_years_or_more,
    cp_reviews_in_timescale,
    repeat_cp_plans,
    repeat_cp_plans_within_2_years,
)
from .referrals import rereferrals_within_12_months

__all__: list[str] = [
    "ASSESSMENT_BANDS",
    "ICPC_BANDS",
    "assessment_duration_bands",
    "assessments_completed",
    "assessments_within_45_working_days",
    "children_on_cp_plan",
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
    "s47_enquiries_started",
]
