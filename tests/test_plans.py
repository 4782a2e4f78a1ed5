"""Child protection plan indicators: repeat plans (ever and within 2 years), plans lasting 2
years or more (ceased, open), reviews in timescale: worked examples, edge cases, properties."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import ChildProtectionPlan, Period
from csc_indicators.indicators import (
    cp_plans_ceased_lasting_2_years,
    cp_plans_open_2_years_or_more,
    cp_reviews_in_timescale,
    repeat_cp_plans,
    repeat_cp_plans_within_2_years,
)
from strategies.cin import (
    History,
    broken_histories,
    check_additive,
    check_bounds,
    check_child_independence,
    check_order_free,
    histories,
    periods,
    split_periods,
)

D = dt.date
P = ChildProtectionPlan
FY24 = Period.financial_year(2024)

PLAN_IDS = [
    "repeat_cp_plans",
    "repeat_cp_plans_within_2_years",
    "cp_plans_ceased_lasting_2_years",
    "cp_plans_open_2_years_or_more",
    "cp_reviews_in_timescale",
]
FLOW_IDS = PLAN_IDS[:3]


def test_previous_plans_zero_contradicted_is_reported() -> None:
    plans = [P("A", D(2020, 1, 1), D(2020, 6, 1)), P("A", D(2024, 5, 1), previous_plans=0)]
    r = repeat_cp_plans(plans, FY24)
    assert r.numerator == 1
    assert [i.kind for i in r.issues] == ["inconsistent"]


@pytest.mark.parametrize(
    ("previous_end", "start", "calendar_met", "days_met"),
    [
        (D(2022, 4, 1), D(2024, 4, 1), True, False),  # 731 days across 29 Feb 2024
        (D(2022, 4, 2), D(2024, 4, 1), True, True),  # 730 days
        (D(2022, 2, 28), D(2024, 2, 28), True, True),
        (D(2022, 2, 28), D(2024, 2, 29), False, False),
        (D(2023, 3, 1), D(2025, 3, 1), True, False),  # 2 years = 731 days here
        (D(2023, 3, 1), D(2025, 2, 28), True, True),
        (D(2024, 2, 29), D(2026, 2, 28), True, True),  # 29 Feb + 2 years = 28 Feb
        (D(2024, 2, 29), D(2026, 3, 1), False, False),
        (D(2024, 5, 1), D(2024, 5, 1), True, True),  # same-day handover: not an overlap
    ],
)
def test_within_2_years_leap_years(
    previous_end: dt.date, start: dt.date, calendar_met: bool, days_met: bool
) -> None:
    plans = [P("A", previous_end - dt.timedelta(days=100), previous_end), P("A", start)]
    period = Period(start, start)
    by_years = repeat_cp_plans_within_2_years(plans, period)
    by_days = repeat_cp_plans_within_2_years(plans, period, window=dt.timedelta(days=730))
    assert by_years.outcomes[0].met is calendar_met
    assert by_days.outcomes[0].met is days_met
    assert by_years.outcomes[0].measure == (start - previous_end).days
    assert not by_years.issues


def test_within_2_years_overlaps_count_as_met() -> None:
    plans = [P("A", D(2023, 1, 1), D(2024, 8, 1)), P("A", D(2024, 5, 1), D(2024, 9, 1))]
    r = repeat_cp_plans_within_2_years(plans, FY24)
    assert (r.numerator, r.denominator) == (1, 1)
    assert [i.kind for i in r.issues] == ["overlap"]
    # an overlap with an earlier plan that is not the most recent one
    plans = [
        P("A", D(2020, 1, 1), D(2024, 12, 1)),
        P("A", D(2021, 1, 1), D(2021, 2, 1)),
        P("A", D(2024, 6, 1)),
    ]
    r = repeat_cp_plans_within_2_years(plans, FY24)
    assert r.outcomes[0].met and [i.kind for i in r.issues] == ["overlap"]


def test_within_2_years_earlier_end_before_start_is_excluded() -> None:
    plans = [P("A", D(2023, 6, 1), D(2023, 1, 1)), P("A", D(2024, 6, 1))]
    r = repeat_cp_plans_within_2_years(plans, FY24)
    assert r.denominator == 0 and "before its start" in (r.outcomes[0].reason or "")
    with pytest.raises(TypeError):
        repeat_cp_plans_within_2_years(plans, FY24, window=730)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "last_day", "met"),
    [
        (D(2023, 4, 1), D(2025, 3, 31), True),  # the day before the second anniversary
        (D(2023, 4, 2), D(2025, 3, 31), False),
        (D(2022, 3, 1), D(2024, 2, 28), False),
        (D(2022, 3, 1), D(2024, 2, 29), True),  # across 29 February: 731 days
        (D(2024, 2, 29), D(2026, 2, 27), True),  # 29 Feb + 2 years = 28 Feb
        (D(2024, 2, 29), D(2026, 2, 26), False),
    ],
)
def test_min_duration_in_calendar_years(start: dt.date, last_day: dt.date, met: bool) -> None:
    years = relativedelta(years=2)
    period = Period(last_day, last_day)
    ceased = cp_plans_ceased_lasting_2_years([P("A", start, last_day)], period, min_duration=years)
    still_open = cp_plans_open_2_years_or_more([P("A", start)], period, min_duration=years)
    assert ceased.outcomes[0].met is met and still_open.outcomes[0].met is met
    assert ceased.outcomes[0].measure == (last_day - start).days + 1
    assert ceased.outcomes[0].reason is not None and "24 months" in ceased.outcomes[0].reason
    assert ceased.parameters["min_duration"] == years


def test_min_duration_must_be_an_interval() -> None:
    with pytest.raises(TypeError):
        cp_plans_ceased_lasting_2_years([], FY24, min_duration=730)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cp_plans_open_2_years_or_more([], FY24, min_duration=730)  # type: ignore[arg-type]


def test_open_leap_year() -> None:
    # period end 29 February 2024: a plan from 1 March 2022 has run 731 days
    period = Period(D(2023, 3, 1), D(2024, 2, 29))
    r = cp_plans_open_2_years_or_more([P("A", D(2022, 3, 1)), P("B", D(2022, 3, 2))], period)
    assert [(o.measure, o.met) for o in r.outcomes] == [(731, True), (730, True)]


@pytest.mark.parametrize(
    ("reviews", "met"),
    [
        ([D(2025, 2, 28)], True),  # 30 November + 3 months = 28 February
        ([D(2025, 3, 1)], False),
        ([], False),  # first review overdue on 31 March
        ([D(2024, 11, 30), D(2025, 1, 1)], True),  # a review on the start day is ignored
    ],
)
def test_reviews_month_end(reviews: list[dt.date], met: bool) -> None:
    r = cp_reviews_in_timescale([P("A", D(2024, 11, 30), None, reviews)], FY24)
    assert r.outcomes[0].met is met


def test_reviews_after_period_end_are_ignored_and_overlap_uses_latest_plan() -> None:
    plans = [
        P("A", D(2024, 6, 1), None, [D(2024, 8, 1), D(2025, 1, 20), D(2025, 5, 1)]),
        P("A", D(2024, 7, 1), None, [D(2024, 9, 1), D(2025, 2, 1)]),
    ]
    r = cp_reviews_in_timescale(plans, FY24)
    assert [(o.record.start_date, o.counted) for o in r.outcomes] == [
        (D(2024, 6, 1), False),
        (D(2024, 7, 1), True),
    ]
    assert [i.kind for i in r.issues] == ["overlap"]
    alone = cp_reviews_in_timescale(plans[:1], FY24)
    assert alone.outcomes[0].details["reviews"] == (D(2024, 8, 1), D(2025, 1, 20))


def test_plans_with_no_end() -> None:
    plans = [P("A", D(2020, 1, 1))]
    assert cp_plans_ceased_lasting_2_years(plans, FY24).outcomes == ()
    assert cp_plans_open_2_years_or_more(plans, FY24).numerator == 1
    assert repeat_cp_plans(plans, FY24).outcomes == ()


# -- properties -------------------------------------------------------------------------------

any_history = st.one_of(histories(), broken_histories())


@pytest.mark.parametrize("indicator", PLAN_IDS)
@settings(max_examples=30)
@given(h=any_history, period=periods(), seed=st.integers(0, 2**16))
def test_properties(indicator: str, h: History, period: Period, seed: int) -> None:
    check_order_free(indicator, h, period, seed)
    check_bounds(indicator, h, period)
    check_child_independence(indicator, h, period)


@pytest.mark.parametrize("indicator", FLOW_IDS)
@settings(max_examples=30)
@given(h=any_history, ps=split_periods())
def test_disjoint_periods_add(
    indicator: str, h: History, ps: tuple[Period, Period, Period]
) -> None:
    check_additive(indicator, h, ps)


@settings(max_examples=30)
@given(histories(), periods())
def test_valid_histories_have_no_plan_issues(h: History, period: Period) -> None:
    for f in (
        repeat_cp_plans,
        repeat_cp_plans_within_2_years,
        cp_plans_ceased_lasting_2_years,
        cp_plans_open_2_years_or_more,
        cp_reviews_in_timescale,
    ):
        assert [i for i in f(h.plans, period).issues if i.kind != "inconsistent"] == []


@settings(max_examples=30)
@given(any_history, periods(), st.integers(1, 1500), st.integers(1, 1500))
def test_monotonic_in_parameters(h: History, period: Period, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    w_lo = repeat_cp_plans_within_2_years(h.plans, period, window=dt.timedelta(days=lo))
    w_hi = repeat_cp_plans_within_2_years(h.plans, period, window=dt.timedelta(days=hi))
    assert w_lo.denominator == w_hi.denominator and w_lo.numerator <= w_hi.numerator
    for f in (cp_plans_ceased_lasting_2_years, cp_plans_open_2_years_or_more):
        m_lo, m_hi = (
            f(h.plans, period, min_duration=dt.timedelta(days=lo)),
            f(h.plans, period, min_duration=dt.timedelta(days=hi)),
        )
        assert m_lo.denominator == m_hi.denominator and m_lo.numerator >= m_hi.numerator


@settings(max_examples=30)
@given(any_history, periods())
def test_within_2_years_implies_ever(h: History, period: Period) -> None:
    ever = repeat_cp_plans(h.plans, period)
    within = repeat_cp_plans_within_2_years(h.plans, period)
    ever_met = {id(o.record) for o in ever.outcomes if o.met}
    assert all(id(o.record) in ever_met for o in within.outcomes if o.met)


def test_reviews_with_day_count_timescales() -> None:
    plans = [P("A", D(2024, 10, 1), None, [D(2024, 12, 31)])]
    # 91 days from 1 October is 31 December: on time; 90 days is 30 December: late
    assert cp_reviews_in_timescale(plans, FY24, first_within=dt.timedelta(days=91)).numerator == 1
    late = cp_reviews_in_timescale(plans, FY24, first_within=dt.timedelta(days=90))
    assert late.numerator == 0 and "2024-12-30" in (late.outcomes[0].reason or "")
    recent = cp_reviews_in_timescale(
        [P("B", D(2025, 3, 1))], FY24, first_within=dt.timedelta(days=91)
    )
    assert recent.outcomes[0].reason == (
        "on the plan for less than 91 days on 2025-03-31 (started 2025-03-01)"
    )
    with pytest.raises(TypeError):
        cp_reviews_in_timescale(plans, FY24, first_within=3)  # type: ignore[arg-type]


@settings(max_examples=30)
@given(any_history, periods())
def test_default_min_duration_is_at_least_730_inclusive_days(h: History, period: Period) -> None:
    for f in (cp_plans_ceased_lasting_2_years, cp_plans_open_2_years_or_more):
        for o in f(h.plans, period).counted_outcomes():
            assert o.measure is not None and o.met is (o.measure >= 730)
