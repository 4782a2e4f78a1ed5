"""How each indicator uses its period: the one table the series engine reads.

* ``EVENTS``: each outcome belongs to a period by one date of its record (a referral by its
  date, an assessment by its authorisation date) and the decision does not otherwise depend
  on the period. The engine computes the indicator once over the span of the periods and
  buckets the outcomes by that date; the children whose decisions could depend on the period
  (twins, data issues, a rule that takes one occasion per child) are recomputed exactly.
* ``AS_AT_END``: a state on the period end (and maybe the period start). Evaluated once per
  distinct period (per distinct end when ``uses_start`` is false), from histories built once.
* ``PERIOD``: anything else: evaluated per period, exactly as a scorecard does.

An indicator the table does not name (a registry built at run time) is ``PERIOD``. The
declarations are checked by the property tests (``tests/test_series_properties.py``): every
cell must equal what ``scorecard(bundle, period)`` gives.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..results import Outcome

__all__ = ["USAGE", "PeriodUse", "Usage", "usage_of"]


class Usage(enum.Enum):
    """How an indicator uses its period."""

    EVENTS = "events"
    """Outcomes belong to a period by one date of their record."""
    AS_AT_END = "as at end"
    """A state on the period end (and maybe the start)."""
    PERIOD = "period"
    """Anything else: evaluated per period."""


DateOf = Callable[[Outcome], "_dt.date | None"]
Days = Callable[[Any], "tuple[_dt.date | None, _dt.date | None]"]
"""The first and last day on which a record can put a child in a snapshot."""


@attrs.frozen(slots=True)
class PeriodUse:
    """One indicator's declaration."""

    usage: Usage
    """How it uses the period."""
    date: DateOf | None = attrs.field(default=None, eq=False)
    """``EVENTS``: the date that puts an outcome in a period (also the date a breakdown
    judges the child's group on). ``None`` for the others: the period end is used."""
    once_per_child: bool = False
    """``EVENTS``: a child counts once per period (first or last occasion), so a child with
    several outcomes in the span is recomputed per period."""
    known_by_end: tuple[str, ...] = ()
    """``EVENTS``: inputs (bundle field names) whose dates after the period end are not
    known yet when judging it (decision D15): a child with such a date after a period's end
    is recomputed for that period."""
    later: DateOf | None = attrs.field(default=None, eq=False)
    """``EVENTS``: a date of the outcome's record the decision uses only when it is on or
    before the period end (decision D15: a conference after the end is not known then). An
    outcome whose ``later`` date falls after a period's end is recomputed for that period."""
    reasons_name_end: bool = False
    """``EVENTS``: the reasons of the outcomes name the period end, so a series that keeps
    outcomes runs the indicator per period."""
    cohort: tuple[tuple[str, Days], ...] = attrs.field(default=(), eq=False)
    """``AS_AT_END``: the records that can put a child in the snapshot: (input name, the
    first and last day on which the record can, ``None`` for no limit). On each period end
    the indicator runs over the children with such a record on that day only (with the
    children whose care history has issues then): a child with none gives no outcome and no
    issue but its care history's. Empty: every child, every time."""
    uses_start: bool = True
    """``AS_AT_END``: whether the figures depend on the period start too (else one
    evaluation per distinct end gives them)."""
    outcomes_use_start: bool = True
    """``AS_AT_END``: whether the outcomes listed depend on the period start (children with
    an episode in the period, excluded with a reason); only with :attr:`uses_start` false
    does it matter, for a series that keeps outcomes."""


def _attr(name: str) -> DateOf:
    def date(outcome: Outcome) -> _dt.date | None:
        value = getattr(outcome.record, name, None)
        return value if isinstance(value, _dt.date) else None

    date.__name__ = f"record.{name}"
    return date


def _conference(outcome: Outcome) -> _dt.date | None:
    record = outcome.record
    value = getattr(record, "conference_date", None)
    if value is None:
        value = getattr(record, "date", None)
    return value if isinstance(value, _dt.date) else None


def _days(start: str, end: str) -> Days:
    def days(record: Any) -> tuple[_dt.date | None, _dt.date | None]:
        return getattr(record, start), getattr(record, end)

    days.__name__ = f"{start}..{end}"
    return days


def _any_day(record: Any) -> tuple[_dt.date | None, _dt.date | None]:
    return None, None


_EPISODES = ("episodes", _days("start_date", "end_date"))
_PLANS = ("plans", _days("start_date", "end_date"))

_EVENTS = Usage.EVENTS
_END = Usage.AS_AT_END
_PERIOD = Usage.PERIOD
# snapshots of children on a plan, or looked after, on the period end
_ON_PLAN = PeriodUse(_END, uses_start=False, outcomes_use_start=False, cohort=(_PLANS,))
_LOOKED_AFTER = PeriodUse(_END, uses_start=False, cohort=(_EPISODES,))

USAGE: Mapping[str, PeriodUse] = {
    # children in need: events, by the date the unit names
    "rereferrals_within_12_months": PeriodUse(_EVENTS, _attr("date")),
    "assessments_within_45_working_days": PeriodUse(_EVENTS, _attr("authorisation_date")),
    "icpcs_within_15_working_days": PeriodUse(_EVENTS, _conference),
    "repeat_cp_plans": PeriodUse(_EVENTS, _attr("start_date")),
    "repeat_cp_plans_within_2_years": PeriodUse(_EVENTS, _attr("start_date")),
    "cp_plans_ceased_lasting_2_years": PeriodUse(_EVENTS, _attr("end_date")),
    "referrals_received": PeriodUse(_EVENTS, _attr("date")),
    "assessments_completed": PeriodUse(_EVENTS, _attr("authorisation_date")),
    "s47_enquiries_started": PeriodUse(_EVENTS, _attr("start_date")),
    "icpcs_held": PeriodUse(_EVENTS, _conference),
    "cp_plans_started": PeriodUse(_EVENTS, _attr("start_date")),
    "cp_plans_ceased": PeriodUse(_EVENTS, _attr("end_date")),
    # children in need: states on the period end
    "cp_plans_open_2_years_or_more": _ON_PLAN,
    "cp_reviews_in_timescale": _ON_PLAN,
    "children_on_cp_plan": _ON_PLAN,
    # looked after: states on the period end; their excluded outcomes name the children with
    # an episode in the period, so the outcomes listed depend on the start
    "three_or_more_placements": _LOOKED_AFTER,
    "long_term_placement_stability": _LOOKED_AFTER,
    "lac_annual_health_check": PeriodUse(
        _END, uses_start=False, cohort=(_EPISODES, ("health_outcomes", _any_day))
    ),
    "lac_dental_check": PeriodUse(
        _END, uses_start=False, cohort=(_EPISODES, ("health_outcomes", _any_day))
    ),
    "lac_at_period_end": _LOOKED_AFTER,
    "uasc_looked_after_at_period_end": _LOOKED_AFTER,
    # the start matters only with scope="period" (a late review before it is not judged),
    # which a series does not pass
    "lac_reviews_in_timescale": _LOOKED_AFTER,
    # looked after: events
    "adoption_a1": PeriodUse(_EVENTS, _attr("end_date")),
    "adoption_a10": PeriodUse(_EVENTS, _attr("end_date"), known_by_end=("adoptions",)),
    "adoption_a2": PeriodUse(_EVENTS, _attr("end_date"), known_by_end=("adoptions",)),
    "returned_to_care_within_12_months": PeriodUse(_EVENTS, _attr("start_date")),
    "lac_started": PeriodUse(_EVENTS, _attr("start_date"), once_per_child=True),
    "lac_ceased": PeriodUse(_EVENTS, _attr("end_date"), once_per_child=True),
    "lac_ceased_adopted": PeriodUse(_EVENTS, _attr("end_date"), once_per_child=True),
    "lac_ceased_special_guardianship": PeriodUse(_EVENTS, _attr("end_date"), once_per_child=True),
    "lac_ceased_returned_home": PeriodUse(_EVENTS, _attr("end_date"), once_per_child=True),
    # looked after: the rest depends on the whole period (time in care judged at the end,
    # the collection year of the end, any time in the period)
    "initial_health_assessments_within_20_working_days": PeriodUse(_PERIOD),
    "care_leavers_19_21_eet": PeriodUse(_PERIOD),
    "care_leavers_19_21_suitable_accommodation": PeriodUse(_PERIOD),
    "care_leavers_17_18_eet": PeriodUse(_PERIOD),
    "care_leavers_17_18_suitable_accommodation": PeriodUse(_PERIOD),
    "lac_missing_incident": PeriodUse(_PERIOD),
    "lac_away_without_authorisation": PeriodUse(_PERIOD),
    # the ChAT rows added with the benchmarking views
    "children_subject_to_s47_enquiries": PeriodUse(
        _EVENTS, _attr("start_date"), once_per_child=True
    ),
    "children_subject_to_icpc": PeriodUse(_EVENTS, _conference, once_per_child=True),
    # met: a conference by the end (not met "no conference by <end>")
    "s47_enquiries_leading_to_icpc": PeriodUse(
        _EVENTS, _attr("start_date"), later=_attr("conference_date"), reasons_name_end=True
    ),
    "children_in_need_at_period_end": PeriodUse(
        _END, uses_start=False, cohort=(("referrals", _days("date", "closure_date")),)
    ),
    "three_or_more_placements_in_2_years": _LOOKED_AFTER,
    "lac_ceased_adopted_percent": PeriodUse(_EVENTS, _attr("end_date"), once_per_child=True),
    "lac_ceased_special_guardianship_percent": PeriodUse(
        _EVENTS, _attr("end_date"), once_per_child=True
    ),
    "lac_ceased_16_plus_remained_until_18": PeriodUse(
        _EVENTS, _attr("end_date"), once_per_child=True
    ),
}
"""Every registered indicator's declaration, by id (the test suite checks it names each
registered indicator)."""

_DEFAULT = PeriodUse(Usage.PERIOD)


def usage_of(indicator: str) -> PeriodUse:
    """The declaration of an indicator (``PERIOD`` for one the table does not name)."""
    return USAGE.get(indicator, _DEFAULT)


def group_date(use: PeriodUse, outcome: Outcome, period_end: _dt.date) -> _dt.date:
    """The date a breakdown judges an outcome's group on: its event date for an ``EVENTS``
    indicator (when the record holds it), else the period end."""
    if use.date is not None:
        day = use.date(outcome)
        if day is not None:
            return day
    return period_end
