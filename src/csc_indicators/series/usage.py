"""How each indicator uses its period, as far as a breakdown needs it: the date on which an
outcome's group is judged.

* ``EVENTS``: each outcome belongs to a period by one date of its record (a referral by its
  date, an assessment by its authorisation date): a breakdown judges its group (the child's
  age band, a dated lookup's team) on that date.
* ``AS_AT_END``: a state on the period end: judged on the period end.
* ``PERIOD``: anything else: judged on the period end.

An indicator the table does not name (a registry built at run time) is ``PERIOD``. (The series
computes every indicator through its evaluation over periods,
:func:`~csc_indicators.registry.over_periods`: this table no longer says how.)
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Mapping

import attrs

from ..results import Outcome

__all__ = ["USAGE", "PeriodUse", "Usage", "group_date", "usage_of"]


class Usage(enum.Enum):
    """How an indicator uses its period."""

    EVENTS = "events"
    """Outcomes belong to a period by one date of their record."""
    AS_AT_END = "as at end"
    """A state on the period end (and maybe the start)."""
    PERIOD = "period"
    """Anything else."""


DateOf = Callable[[Outcome], "_dt.date | None"]


@attrs.frozen(slots=True)
class PeriodUse:
    """One indicator's declaration."""

    usage: Usage
    """How it uses the period."""
    date: DateOf | None = attrs.field(default=None, eq=False)
    """``EVENTS``: the date that puts an outcome in a period, the date a breakdown judges the
    child's group on. ``None`` for the others: the period end is used."""


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


_END = PeriodUse(Usage.AS_AT_END)
_PERIOD = PeriodUse(Usage.PERIOD)


def _events(date: DateOf) -> PeriodUse:
    return PeriodUse(Usage.EVENTS, date)


_START = _events(_attr("start_date"))
_ENDED = _events(_attr("end_date"))

USAGE: Mapping[str, PeriodUse] = {
    # children in need: events, by the date the unit names
    "rereferrals_within_12_months": _events(_attr("date")),
    "assessments_within_45_working_days": _events(_attr("authorisation_date")),
    "icpcs_within_15_working_days": _events(_conference),
    "repeat_cp_plans": _START,
    "repeat_cp_plans_within_2_years": _START,
    "cp_plans_ceased_lasting_2_years": _ENDED,
    "referrals_received": _events(_attr("date")),
    "assessments_completed": _events(_attr("authorisation_date")),
    "s47_enquiries_started": _START,
    "icpcs_held": _events(_conference),
    "cp_plans_started": _START,
    "cp_plans_ceased": _ENDED,
    "children_subject_to_s47_enquiries": _START,
    "children_subject_to_icpc": _events(_conference),
    "s47_enquiries_leading_to_icpc": _START,
    # children in need: states on the period end
    "cp_plans_open_2_years_or_more": _END,
    "cp_reviews_in_timescale": _END,
    "children_on_cp_plan": _END,
    "children_in_need_at_period_end": _END,
    # looked after: states on the period end
    "three_or_more_placements": _END,
    "three_or_more_placements_in_2_years": _END,
    "long_term_placement_stability": _END,
    "lac_annual_health_check": _END,
    "lac_dental_check": _END,
    "lac_at_period_end": _END,
    "uasc_looked_after_at_period_end": _END,
    "lac_reviews_in_timescale": _END,
    # looked after: events
    "adoption_a1": _ENDED,
    "adoption_a10": _ENDED,
    "adoption_a2": _ENDED,
    "returned_to_care_within_12_months": _START,
    "lac_started": _START,
    "lac_ceased": _ENDED,
    "lac_ceased_adopted": _ENDED,
    "lac_ceased_special_guardianship": _ENDED,
    "lac_ceased_returned_home": _ENDED,
    "lac_ceased_adopted_percent": _ENDED,
    "lac_ceased_special_guardianship_percent": _ENDED,
    "lac_ceased_16_plus_remained_until_18": _ENDED,
    # looked after: the rest depends on the whole period
    "initial_health_assessments_within_20_working_days": _PERIOD,
    "care_leavers_19_21_eet": _PERIOD,
    "care_leavers_19_21_suitable_accommodation": _PERIOD,
    "care_leavers_17_18_eet": _PERIOD,
    "care_leavers_17_18_suitable_accommodation": _PERIOD,
    "lac_missing_incident": _PERIOD,
    "lac_away_without_authorisation": _PERIOD,
}
"""Every registered indicator's declaration, by id (the test suite checks it names each
registered indicator)."""

_DEFAULT = _PERIOD


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
