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


def test_an_overlapped_episode_is_described_as_known_at_the_period_end() -> None:
    """Two episodes start on one date (D14 keeps the longer); a later one ends before the
    period: the child is not looked after on period.end, and the reason names no end that is
    only known later (decision D15; found by tests/test_conformance.py)."""
    eps = [
        E("C", D(2017, 1, 1), "S", "C1", "U1", D(2017, 1, 2), "X1"),
        E("C", D(2017, 1, 2), "B", "C2", "U3", D(2017, 1, 3), "E4A"),
        E("C", D(2017, 1, 4), "S", "C1", "U1", D(2017, 1, 5), "E4A"),
        E("C", D(2017, 1, 1), "S", "C1", "U1", D(2019, 1, 1), "E11"),
    ]
    later = [*eps[:3], E("C", D(2017, 1, 1), "S", "C1", "U1")]
    year = Period.financial_year(2017)
    reasons = {three_or_more_placements(x, year).outcomes[0].reason for x in (eps, later)}
    assert reasons == {
        "not looked after on 2018-03-31: the episode from 2017-01-01 has no end by then, but a "
        "later episode ended before it"
    }


def test_both_placement_measures_share_one_window_rule() -> None:
    """Decision D8 once: the placement open on the window's first day, then each new placement
    starting later in it; a short break anywhere in the window excludes the child."""
    from csc_indicators.care_history import build_histories
    from csc_indicators.indicators.looked_after._shared import (
        placement_starts,
        short_break_in_window,
    )

    eps = [
        E("T", D(2023, 1, 1), "S", "C2", "U4", D(2024, 7, 1), "X1"),
        E("T", D(2024, 7, 1), "P", "C2", "T3", D(2024, 7, 10), "X1"),
        E("T", D(2024, 7, 10), "P", "C2", "U6", D(2024, 9, 1), "X1"),
        E("T", D(2024, 9, 1), "L", "V3", "U6"),
    ]
    h = build_histories(eps)["T"]
    start, end = D(2024, 4, 1), D(2025, 3, 31)
    window = h.overlapping(start, end)
    assert placement_starts(h, window, start, end, True) == [
        "2023-01-01",
        "2024-07-01",
        "2024-07-10",
    ]
    assert placement_starts(h, window, start, end, False) == ["2023-01-01", "2024-07-10"]
    assert short_break_in_window(window) == (
        "short-break episode (legal status V3) from 2024-09-01 in the window"
    )
    assert short_break_in_window(window[:3]) is None
