"""Returns to care, missing incidents and activity counts: edge cases (the worked examples
run on the spec pages)."""

from __future__ import annotations

import pytest

from csc_indicators import ValueKind
from csc_indicators.indicators import (
    lac_at_period_end,
    lac_ceased,
    lac_started,
    returned_to_care_within_12_months,
)
from lac_examples import (
    ACTIVITY_EPISODES,
    FY2024,
)


def test_rates_per_10000() -> None:
    end = lac_at_period_end(ACTIVITY_EPISODES, FY2024, population=20000)
    assert end.kind is ValueKind.RATE_PER_10K
    assert end.rounded_value == 1.0 and end.parameters["population"] == 20000
    with pytest.raises(ValueError, match="population"):
        lac_at_period_end(ACTIVITY_EPISODES, FY2024, population=0)


def test_only_the_last_regular_ending_counts() -> None:
    from lac_examples import D, E

    eps = [
        E("Z", D(2024, 4, 10), "S", "V2", "U4", D(2024, 5, 1), "E4A"),
        E("Z", D(2024, 6, 1), "S", "V2", "U4", D(2024, 7, 1), "E13"),
        E("Z", D(2024, 8, 1), "S", "V3", "U1", D(2024, 8, 5), "E8"),
    ]
    r = lac_ceased(eps, FY2024)
    assert r.numerator == 1
    assert [o.details["reason_ceased"] for o in r.counted_outcomes()] == ["E13"]
    s = lac_started(eps, FY2024)
    assert [o.details["started"] for o in s.counted_outcomes()] == ["2024-04-10"]


def test_a_period_of_care_that_is_not_a_start_is_excluded() -> None:
    from lac_examples import D, E

    eps = [E("G", D(2024, 5, 1), "P", "C2", "U4")]  # the data begin part-way through
    r = returned_to_care_within_12_months(eps, FY2024)
    assert r.denominator == 0 and "not a start of care" in (r.outcomes[0].reason or "")


def test_short_breaks_are_not_returns_to_care() -> None:
    from lac_examples import D, E

    eps = [
        E("H", D(2023, 1, 1), "S", "V2", "U4", D(2024, 2, 1), "E4A"),
        E("H", D(2024, 5, 1), "S", "V3", "U1", D(2024, 5, 3), "E8"),
        E("H", D(2024, 6, 1), "S", "V3", "U1", D(2024, 6, 3), "E8"),
        E("H", D(2025, 3, 1), "S", "C1", "U4"),
    ]
    r = returned_to_care_within_12_months(eps, FY2024)
    assert (r.numerator, r.denominator) == (0, 1)
    assert r.counted_outcomes()[0].details["previous_end"] == "2024-02-01"
    assert [o.reason for o in r.excluded_outcomes()] == ["short break (legal status V3)"] * 2
    r = returned_to_care_within_12_months(eps, FY2024, exclude_short_breaks=False)
    assert (r.numerator, r.denominator) == (3, 3)
