"""Looked-after reviews in timescale: edge cases (the worked examples run on the spec page)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, LookedAfterReview, SourceInfo, WorkingDayCalendar
from csc_indicators.cli import example_data
from csc_indicators.indicators import lac_reviews_in_timescale
from csc_indicators.io import read_ssda903
from csc_indicators.registry import INDICATORS
from csc_indicators.scoring import run_indicator, scorecard
from lac_examples import FY2024, REVIEWS, REVIEWS_EPISODES, D, E


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


# -- reviews that could not be in the data (reviews_from) and the period scope ----------------

# The data begin on 1 April 2024 (only the 2024-25 return is loaded).
LATE_DATA_EPISODES = [
    E("G", D(2023, 6, 5), "S", "C2", "U4"),
    E("H", D(2023, 1, 9), "S", "C2", "U4"),
    E("I", D(2023, 10, 2), "S", "C2", "U4"),
    E("J", D(2024, 4, 15), "S", "C2", "U4"),
]
LATE_DATA_REVIEWS = [
    LookedAfterReview("G", D(2024, 6, 20)),
    LookedAfterReview("G", D(2024, 12, 10)),
    LookedAfterReview("H", D(2024, 11, 15)),
    LookedAfterReview("H", D(2025, 1, 10)),
    LookedAfterReview("I", D(2024, 5, 2)),
    LookedAfterReview("I", D(2024, 12, 1)),
    LookedAfterReview("J", D(2024, 5, 10)),
    LookedAfterReview("J", D(2024, 8, 9)),
]
SCOPE_EPISODES = [E("K", D(2023, 1, 9), "S", "C2", "U4"), E("L", D(2023, 1, 9), "S", "C2", "U4")]
SCOPE_REVIEWS = [
    LookedAfterReview("K", day)
    for day in (D(2023, 2, 20), D(2023, 5, 15), D(2023, 11, 10), D(2024, 5, 8), D(2024, 11, 1))
] + [
    LookedAfterReview("L", day)
    for day in (D(2023, 2, 3), D(2023, 5, 3), D(2023, 11, 20), D(2024, 4, 10), D(2024, 10, 30))
]


def test_no_review_in_the_data_is_overdue_only_after_the_latest_possible_date() -> None:
    eps = [E("A", D(2020, 5, 1), "S", "C2", "U4")]
    # Data from 1 October 2024: a review may have been held on 30 September, next due by
    # 30 March 2025 at the latest, so on 31 March 2025 one is overdue.
    r = lac_reviews_in_timescale(eps, [], FY2024, reviews_from=D(2024, 10, 1))
    assert not r.outcomes[0].met
    assert r.outcomes[0].reason == (
        "a review was due by 2025-03-30 and none was held by 2025-03-31"
    )
    r = lac_reviews_in_timescale(eps, [], FY2024, reviews_from=D(2024, 10, 2))
    assert r.outcomes[0].met and r.outcomes[0].details["next_due"] == "2025-04-01"


def test_reviews_from_on_or_before_the_start_changes_nothing() -> None:
    for day in (D(2024, 1, 8), D(2022, 4, 1)):
        with_hint = lac_reviews_in_timescale(REVIEWS_EPISODES, REVIEWS, FY2024, reviews_from=day)
        plain = lac_reviews_in_timescale(REVIEWS_EPISODES, REVIEWS, FY2024)
        assert with_hint.outcomes == plain.outcomes


def test_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="scope"):
        lac_reviews_in_timescale([], [], FY2024, scope="year")


def test_scorecard_passes_the_first_day_of_the_earliest_return() -> None:
    spec = INDICATORS["lac_reviews_in_timescale"]
    assert spec.data_from == (("reviews_from", "SSDA903"),)
    bundle = Bundle(
        episodes=LATE_DATA_EPISODES,
        reviews=LATE_DATA_REVIEWS,
        sources=(
            SourceInfo("SSDA903", "2025/episodes.csv", 2025),
            SourceInfo("SSDA903", "2024/episodes.csv", 2024),
            SourceInfo("CIN census", "cin.xml", 2020),
            SourceInfo("SSDA903", "loose.csv", None),
        ),
    )
    assert bundle.data_from("SSDA903") == D(2024, 4, 1)
    r = run_indicator(spec, bundle, FY2024)
    assert r.parameters["reviews_from"] == D(2024, 4, 1) and r.numerator == 1
    # Without sources naming a year, the default (D10: the data hold every review).
    bare = Bundle(episodes=LATE_DATA_EPISODES, reviews=LATE_DATA_REVIEWS)
    assert bare.data_from("SSDA903") is None
    r = run_indicator(spec, bare, FY2024)
    assert r.parameters["reviews_from"] is None and r.numerator == 0


def test_example_authority_no_longer_fails_children_on_missing_early_reviews() -> None:
    """The example returns begin in 2022-23: without the hint (D10 alone) 10 of 20 children
    meet, seven failed on a 'first review' that is only the first in the data; the scorecard
    passes reviews_from=2022-04-01 and 17 of 20 meet, every failure a breach the data show."""
    bundle = read_ssda903(example_data()[1])
    r = scorecard(bundle, FY2024, indicators=("lac_reviews_in_timescale",))[
        "lac_reviews_in_timescale"
    ]
    assert r.parameters["reviews_from"] == D(2022, 4, 1)
    assert (r.numerator, r.denominator) == (17, 20)
    for o in r.outcomes:
        if o.counted and o.details["period_of_care_start"] < "2022-04-01":
            assert "first review" not in (o.reason or ""), o
    plain = lac_reviews_in_timescale(bundle.episodes or (), bundle.reviews or (), FY2024)
    assert (plain.numerator, plain.denominator) == (10, 20)
    assert any(
        "first review 2022-06-09 was 184 working days after 2021-09-14" in (o.reason or "")
        for o in plain.outcomes
    )


# -- properties ----------------------------------------------------------------------------


@st.composite
def review_histories(draw: st.DrawFn) -> tuple[dt.date, list[dt.date]]:
    """A period of care's start and its review dates: gaps mostly within the limits."""
    start = draw(st.dates(D(2020, 1, 1), D(2025, 2, 1)))
    days: list[dt.date] = []
    day = start
    for n in range(draw(st.integers(0, 12))):
        limit = 28 if n == 0 else 92 if n == 1 else 183
        day = day + dt.timedelta(days=draw(st.integers(1, limit + 10)))
        if day > FY2024.end:
            break
        days.append(day)
    return start, days


@settings(max_examples=200, deadline=None)
@given(history=review_histories(), reviews_from=st.dates(D(2019, 4, 1), D(2025, 3, 31)))
def test_missing_early_reviews_never_fail_a_child(
    history: tuple[dt.date, list[dt.date]], reviews_from: dt.date
) -> None:
    """A child met with every review known still meets when the reviews before reviews_from
    are dropped and reviews_from is given; and scope="period" never fails a child that
    scope="period_of_care" passes."""
    start, days = history
    eps = [E("A", start, "S", "C2", "U4")]
    full = [LookedAfterReview("A", d) for d in days]
    seen = [r for r in full if r.date >= reviews_from]
    whole = lac_reviews_in_timescale(eps, full, FY2024)
    cut = lac_reviews_in_timescale(eps, seen, FY2024, reviews_from=reviews_from)
    assert whole.denominator == cut.denominator
    if whole.numerator:
        assert cut.numerator == 1, cut.outcomes
    for rf in (None, reviews_from):
        a = lac_reviews_in_timescale(eps, seen, FY2024, reviews_from=rf)
        b = lac_reviews_in_timescale(eps, seen, FY2024, reviews_from=rf, scope="period")
        assert a.numerator <= b.numerator and a.denominator == b.denominator
    if reviews_from <= start:
        assert cut.outcomes == lac_reviews_in_timescale(eps, seen, FY2024).outcomes


@settings(max_examples=50, deadline=None)
@given(
    history=review_histories(),
    reviews_from=st.none() | st.dates(D(2019, 4, 1), D(2025, 3, 31)),
    scope=st.sampled_from(["period_of_care", "period"]),
    seed=st.randoms(),
)
def test_order_never_matters_with_the_new_parameters(
    history: tuple[dt.date, list[dt.date]],
    reviews_from: dt.date | None,
    scope: str,
    seed: random.Random,
) -> None:
    start, days = history
    eps = [E("A", start, "S", "C2", "U4"), E("B", D(2023, 1, 9), "S", "C2", "U4")]
    reviews = [LookedAfterReview("A", d) for d in days] + SCOPE_REVIEWS[:5]
    reviews = [r if r.child_id == "A" else LookedAfterReview("B", r.date) for r in reviews]
    shuffled = list(reviews)
    seed.shuffle(shuffled)
    a = lac_reviews_in_timescale(eps, reviews, FY2024, reviews_from=reviews_from, scope=scope)
    b = lac_reviews_in_timescale(
        eps[::-1], shuffled, FY2024, reviews_from=reviews_from, scope=scope
    )
    assert a == b and a.numerator <= a.denominator
