"""Looked-after reviews in timescale: worked example and edge cases."""

from __future__ import annotations

from csc_indicators import DayCount, LookedAfterReview, WorkingDayCalendar
from csc_indicators.indicators import lac_reviews_in_timescale
from lac_examples import FY2024, REVIEWS, REVIEWS_EPISODES, D, E


def test_worked_example() -> None:
    r = lac_reviews_in_timescale(REVIEWS_EPISODES, REVIEWS, FY2024)
    assert (r.numerator, r.denominator, r.rounded_value) == (2, 4, 50.0)
    o = {x.child_id: x for x in r.outcomes}
    assert o["A"].met and o["A"].details["next_due"] == "2025-06-20"
    assert not o["B"].met and "24 working days" in (o["B"].reason or "")
    assert o["C"].met
    assert not o["D"].met and "due by 2024-10-30" in (o["D"].reason or "")
    assert not o["E"].counted and "7 working days" in (o["E"].reason or "")
    assert not o["F"].counted and "short break" in (o["F"].reason or "")
    assert r.parameters["convention"] is DayCount.EXCLUSIVE_START


def test_first_review_due_on_the_20th_working_day_and_not_yet_held() -> None:
    # 2025-03-03 + 20 working days is 2025-03-31: due today, so not yet overdue.
    eps = [E("A", D(2025, 3, 3), "S", "C1", "U4")]
    r = lac_reviews_in_timescale(eps, [], FY2024)
    assert r.outcomes[0].counted and r.outcomes[0].met
    assert r.outcomes[0].details["next_due"] == "2025-03-31"


def test_duplicate_reviews_are_reported_and_counted_once() -> None:
    eps = [E("A", D(2024, 9, 2), "S", "C1", "U4")]
    reviews = [REVIEWS[0], REVIEWS[0], REVIEWS[1]]
    r = lac_reviews_in_timescale(eps, reviews, FY2024)
    assert r.outcomes[0].measure == 2
    assert [i.kind for i in r.issues] == ["duplicate"]


def test_a_closure_day_moves_the_deadline() -> None:
    eps = [E("A", D(2024, 9, 2), "S", "C1", "U4")]
    reviews = [LookedAfterReview("A", D(2024, 10, 1)), LookedAfterReview("A", D(2024, 12, 20))]
    r = lac_reviews_in_timescale(eps, reviews, FY2024)
    assert r.numerator == 0 and "21 working days" in (r.outcomes[0].reason or "")
    # A council closure day inside the first month makes 1 October the 20th working day.
    closed = WorkingDayCalendar([D(2024, 9, 10)], first_year=2020, last_year=2030)
    r = lac_reviews_in_timescale(eps, reviews, FY2024, calendar=closed)
    assert r.numerator == 1
    assert r.parameters["calendar"] is closed
