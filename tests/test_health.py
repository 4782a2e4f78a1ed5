"""Initial health assessments and the OC2 health and dental checks: edge cases (the worked
examples run on the spec pages)."""

from __future__ import annotations

import pytest

from csc_indicators import HealthOutcomeRecord, Period
from csc_indicators.indicators import (
    initial_health_assessments_within_20_working_days as iha,
)
from csc_indicators.indicators import lac_annual_health_check
from lac_examples import FY2024, IHA_ASSESSMENTS, IHA_EPISODES, D, E


def test_iha_28_calendar_day_variant() -> None:
    r = iha(IHA_EPISODES, IHA_ASSESSMENTS, FY2024, days="calendar", limit=28)
    o = {x.child_id: x for x in r.outcomes}
    assert o["A"].measure == 24 and o["A"].met
    assert o["B"].measure == 32 and not o["B"].met
    assert r.parameters["days"] == "calendar" and r.parameters["limit"] == 28
    with pytest.raises(ValueError, match="days"):
        iha(IHA_EPISODES, IHA_ASSESSMENTS, FY2024, days="weeks")


def test_oc2_uses_the_reporting_years_row() -> None:
    """A and D each have an OC2 row in the 2023 and 2024 returns; 2024-25 uses the 2024 row.
    A child whose only row is of another year has no OC2 record for this year."""
    eps = [
        E("A", D(2022, 5, 1), "S", "C2", "U4"),
        E("D", D(2020, 1, 1), "S", "C2", "U4"),
        E("G", D(2021, 1, 1), "S", "C2", "U4"),
    ]
    rows = [
        HealthOutcomeRecord("A", health_check=False, collection_year=2023),
        HealthOutcomeRecord("A", health_check=True, collection_year=2024),
        HealthOutcomeRecord("D", health_check=True, collection_year=2023),
        HealthOutcomeRecord("D", health_check=False, collection_year=2024),
        HealthOutcomeRecord("G", health_check=True, collection_year=2023),
    ]
    for order in (rows, rows[::-1]):
        r = lac_annual_health_check(eps, order, FY2024)
        assert (r.numerator, r.denominator) == (1, 3)
        o = {x.child_id: x for x in r.outcomes}
        assert len(r.outcomes) == 3 and r.issues == ()
        assert o["A"].met and o["A"].record == rows[1]
        assert not o["D"].met and o["D"].record == rows[3]
        assert o["G"].reason == "no OC2 record for collection year 2024 (only for 2023)"
    r = lac_annual_health_check(eps, rows, Period.financial_year(2023))
    assert {x.child_id: x.met for x in r.outcomes} == {"A": False, "D": True, "G": True}


def test_two_oc2_rows_of_one_year_are_a_conflict() -> None:
    eps = [E("A", D(2022, 5, 1), "S", "C2", "U4")]
    first = HealthOutcomeRecord("A", health_check=True, teeth_check=True, collection_year=2024)
    second = HealthOutcomeRecord("A", health_check=False, collection_year=2024)
    r = lac_annual_health_check(eps, [second, first], FY2024)
    assert r.denominator == 1 and len(r.outcomes) == 1
    (issue,) = r.issues
    # Decision D14: a conflict; the row with more recorded detail is used.
    assert issue.kind == "conflict" and issue.record == second
    assert r.outcomes[0].record == first
    assert issue.message.startswith("more than one OC2 record for 2024-25; not used:")
