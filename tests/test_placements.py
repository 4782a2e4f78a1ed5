"""Three or more placements (old NI 62) and long-term stability (old NI 63): edge cases (the
worked examples run on the spec pages)."""

from __future__ import annotations

import pytest

from csc_indicators import Period
from csc_indicators.indicators import long_term_placement_stability, three_or_more_placements
from lac_examples import (
    FY2024,
    PLACEMENTS_EXAMPLE,
    STABILITY_EPISODES,
    D,
    E,
)


def by_child(result):  # type: ignore[no-untyped-def]
    return {o.child_id: o for o in result.outcomes}


def test_window_from_period_start() -> None:
    q4 = Period.quarter(2024, 4)
    rolling = three_or_more_placements(PLACEMENTS_EXAMPLE, q4)
    from_start = three_or_more_placements(PLACEMENTS_EXAMPLE, q4, window="period")
    assert by_child(rolling)["A"].measure == 3
    assert by_child(from_start)["A"].measure == 2
    with pytest.raises(ValueError, match="window"):
        three_or_more_placements(PLACEMENTS_EXAMPLE, q4, window="fytd")


def test_temporary_placements_can_be_left_out() -> None:
    eps = [
        E("T", D(2024, 1, 1), "S", "C2", "U4", D(2024, 7, 1), "X1"),
        E("T", D(2024, 7, 1), "P", "C2", "T3", D(2024, 7, 10), "X1"),
        E("T", D(2024, 7, 10), "P", "C2", "U6"),
    ]
    assert three_or_more_placements(eps, FY2024).outcomes[0].measure == 3
    r = three_or_more_placements(eps, FY2024, count_temporary=False)
    assert r.outcomes[0].measure == 2 and not r.outcomes[0].met


def test_any_short_break_in_the_window_can_exclude() -> None:
    eps = [
        E("S", D(2024, 1, 1), "S", "V3", "U1", D(2024, 5, 1), "E8"),
        E("S", D(2024, 6, 1), "S", "C2", "U4"),
    ]
    assert three_or_more_placements(eps, FY2024).denominator == 1
    assert three_or_more_placements(eps, FY2024, exclude_any_short_break=True).denominator == 0


def test_stability_needs_a_date_of_birth() -> None:
    r = long_term_placement_stability(STABILITY_EPISODES, [], FY2024)
    assert r.denominator == 0
    assert all("date of birth" in (o.reason or "") for o in r.outcomes if o.child_id != "J")
