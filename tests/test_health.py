"""Initial health assessments and the OC2 health and dental checks: worked examples."""

from __future__ import annotations

import pytest

from csc_indicators import HealthAssessment, Period
from csc_indicators.indicators import (
    initial_health_assessments_within_20_working_days as iha,
)
from csc_indicators.indicators import lac_annual_health_check, lac_dental_check
from lac_examples import FY2024, IHA_ASSESSMENTS, IHA_EPISODES, OC2, OC2_EPISODES, D, E


def test_iha_worked_example() -> None:
    r = iha(IHA_EPISODES, IHA_ASSESSMENTS, FY2024)
    assert (r.numerator, r.denominator, r.rounded_value) == (1, 3, 33.3)
    o = {x.child_id: x for x in r.outcomes}
    assert o["A"].met and o["A"].measure == 18
    assert not o["B"].met and o["B"].measure == 21   # Christmas and New Year bank holidays
    assert not o["C"].counted and "6 working days" in (o["C"].reason or "")
    assert not o["E"].counted and "7 working days" in (o["E"].reason or "")
    assert not o["F"].met and "no initial health assessment" in (o["F"].reason or "")


def test_iha_28_calendar_day_variant() -> None:
    r = iha(IHA_EPISODES, IHA_ASSESSMENTS, FY2024, days="calendar", limit=28)
    o = {x.child_id: x for x in r.outcomes}
    assert o["A"].measure == 24 and o["A"].met
    assert o["B"].measure == 32 and not o["B"].met
    assert r.parameters["days"] == "calendar" and r.parameters["limit"] == 28
    with pytest.raises(ValueError, match="days"):
        iha(IHA_EPISODES, IHA_ASSESSMENTS, FY2024, days="weeks")


def test_iha_29_february_start() -> None:
    eps = [E("L", D(2024, 2, 29), "S", "C1", "U4")]
    done = [HealthAssessment("L", D(2024, 3, 28))]
    fy = Period.financial_year(2023)
    r = iha(eps, done, fy)
    assert r.outcomes[0].measure == 20 and r.outcomes[0].met   # Good Friday 29 March 2024
    r = iha(eps, done, fy, days="calendar", limit=28)
    assert r.outcomes[0].measure == 28 and r.outcomes[0].met


def test_annual_health_check_worked_example() -> None:
    r = lac_annual_health_check(OC2_EPISODES, OC2, FY2024)
    assert (r.numerator, r.denominator, r.rounded_value) == (2, 3, 66.7)
    o = {x.child_id: x for x in r.outcomes}
    assert o["B"].counted                       # looked after from 1 April 2024 exactly
    assert not o["C"].counted and "not continuously" in (o["C"].reason or "")
    assert not o["D"].met and o["D"].reason == "no OC2 record"
    assert not o["E"].counted and "short-break" in (o["E"].reason or "")


def test_dental_check_worked_example() -> None:
    r = lac_dental_check(OC2_EPISODES, OC2, FY2024)
    assert (r.numerator, r.denominator, r.rounded_value) == (1, 3, 33.3)
