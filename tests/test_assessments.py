"""Assessments within 45 working days and the C2 duration bands: worked example, edge
cases and properties."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Assessment, DayCount, Period, WorkingDayCalendar
from csc_indicators.calendar import default_calendar
from csc_indicators.indicators import (
    ASSESSMENT_BANDS,
    assessment_duration_bands,
    assessments_within_45_working_days,
)
from csc_indicators.results import keeping_outcomes
from strategies.cin import (
    History,
    broken_histories,
    check_additive,
    check_bounds,
    check_child_independence,
    check_order_free,
    histories,
    periods,
    quiet_spans,
    split_periods,
    triples,
)

D = dt.date
FY22 = Period.financial_year(2022)
ID = "assessments_within_45_working_days"
WEEKENDS_ONLY = WorkingDayCalendar(name="weekends only")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            D(2023, 1, 3),
            D(2023, 3, 7),
            {"exclusive_start": 45, "exclusive_end": 45, "inclusive_minus_one": 45},
        ),
        (
            D(2023, 3, 11),
            D(2023, 3, 13),
            {"exclusive_start": 1, "exclusive_end": 0, "inclusive_minus_one": 0},
        ),  # Saturday start
        (
            D(2023, 3, 10),
            D(2023, 3, 11),
            {"exclusive_start": 0, "exclusive_end": 1, "inclusive_minus_one": 0},
        ),  # Saturday end
        (
            D(2022, 9, 19),
            D(2022, 9, 20),
            {"exclusive_start": 1, "exclusive_end": 0, "inclusive_minus_one": 0},
        ),  # bank holiday start
        (
            D(2022, 9, 16),
            D(2022, 9, 20),
            {"exclusive_start": 1, "exclusive_end": 1, "inclusive_minus_one": 1},
        ),  # 19 Sep skipped
        (
            D(2023, 5, 5),
            D(2023, 5, 9),
            {"exclusive_start": 1, "exclusive_end": 1, "inclusive_minus_one": 1},
        ),  # coronation skipped
        (
            D(2023, 3, 11),
            D(2023, 3, 12),
            {"exclusive_start": 0, "exclusive_end": 0, "inclusive_minus_one": -1},
        ),  # weekend only
    ],
)
def test_conventions(start: dt.date, end: dt.date, expected: dict[str, int]) -> None:
    for convention in DayCount:
        r = assessments_within_45_working_days(
            [Assessment("X", start, end)], Period(end, end), convention=convention
        )
        assert r.outcomes[0].measure == expected[convention.value]
        assert r.parameters["convention"] is convention
        # a weekend-only stretch is "same day" in the bands under every convention
        d = assessment_duration_bands(
            [Assessment("X", start, end)], Period(end, end), convention=convention
        )
        assert d.total == 1


def test_45_and_46_working_days() -> None:
    cal = default_calendar()
    start = D(2024, 6, 3)
    day45 = cal.add_working_days(start, 45)
    day46 = cal.add_working_days(start, 46)
    r = assessments_within_45_working_days(
        [Assessment("A", start, day45), Assessment("B", start, day46)],
        Period(start, day46),
    )
    assert [(o.measure, o.met) for o in r.outcomes] == [(45, True), (46, False)]
    assert (
        assessments_within_45_working_days(
            [Assessment("B", start, day46)], Period(start, day46), limit=46
        ).numerator
        == 1
    )


def test_period_boundaries_31_march_1_april() -> None:
    items = [
        Assessment("A", D(2023, 3, 1), D(2023, 3, 31)),
        Assessment("B", D(2023, 3, 1), D(2023, 4, 1)),
    ]
    fy22 = assessments_within_45_working_days(items, FY22)
    fy23 = assessments_within_45_working_days(items, Period.financial_year(2023))
    assert [o.child_id for o in fy22.outcomes] == ["A"]
    assert [o.child_id for o in fy23.outcomes] == ["B"]
    # started in an earlier year, authorised in this one: counted in this one
    old = assessments_within_45_working_days([Assessment("C", D(2022, 3, 1), D(2022, 4, 4))], FY22)
    assert (old.denominator, old.outcomes[0].measure) == (1, 24)


def test_open_and_duplicate_assessments() -> None:
    items = [
        Assessment("A", D(2022, 5, 3)),
        Assessment("A", D(2022, 5, 3), D(2022, 5, 10)),
        Assessment("A", D(2022, 5, 3), D(2022, 5, 10)),
    ]
    r = assessments_within_45_working_days(items, FY22)
    assert [o.counted for o in r.outcomes] == [True, False]
    assert r.outcomes[1].reason == "duplicate of an assessment with the same dates"
    # The open record of the same assessment is a conflict (decision D14), reported.
    assert [i.kind for i in r.issues] == ["conflict", "duplicate"]


def test_outside_calendar_is_excluded_not_raised() -> None:
    cal = WorkingDayCalendar([D(2022, 12, 25)], first_year=2022, last_year=2022)
    r = assessments_within_45_working_days(
        [Assessment("A", D(2021, 12, 1), D(2022, 1, 10))],
        Period(D(2022, 1, 1), D(2022, 12, 31)),
        calendar=cal,
    )
    assert r.denominator == 0
    assert "outside the years" in (r.outcomes[0].reason or "")
    assert r.issues[0].kind == "calendar"


def test_custom_calendar_closure_days() -> None:
    # a council's Christmas closure: 28-30 December 2022 are not working days
    cal = WorkingDayCalendar.england_and_wales([D(2022, 12, 28), D(2022, 12, 29), D(2022, 12, 30)])
    item = [Assessment("A", D(2022, 12, 23), D(2023, 1, 3))]
    assert assessments_within_45_working_days(item, FY22).outcomes[0].measure == 4
    assert assessments_within_45_working_days(item, FY22, calendar=cal).outcomes[0].measure == 1


def test_sanity_devon_2016_17() -> None:
    """Devon's 2016-17 scorecard (RA 7): 5,034 of 5,625 assessments within 45 working days,
    89.5%."""
    cal = default_calendar()
    start = D(2016, 9, 1)
    fast, slow = cal.add_working_days(start, 30), cal.add_working_days(start, 50)
    items = [Assessment(f"F{i}", start, fast) for i in range(5034)]
    items += [Assessment(f"S{i}", start, slow) for i in range(5625 - 5034)]
    r = assessments_within_45_working_days(items, Period.financial_year(2016))
    assert (r.numerator, r.denominator, r.rounded_value) == (5034, 5625, 89.5)


def test_distribution_parameters_and_methods() -> None:
    items = [
        Assessment("A", D(2023, 3, 6), D(2023, 3, 6)),
        Assessment("B", D(2023, 3, 6), D(2023, 3, 9)),
    ]
    mid = assessment_duration_bands(items, FY22)
    assert mid.median == 1.5
    assert assessment_duration_bands(items, FY22, median_method="low").median == 0.0
    assert assessment_duration_bands(items, FY22, median_method="high").median == 3.0
    assert mid.parameters["bands"] == ASSESSMENT_BANDS
    assert mid.parameters["median_method"] == "midpoint"
    assert assessment_duration_bands([], FY22).median is None


# -- properties -------------------------------------------------------------------------------

any_history = st.one_of(histories(), broken_histories())


@settings(max_examples=40)
@given(any_history, periods(), st.integers(0, 2**16))
def test_properties(h: History, period: Period, seed: int) -> None:
    check_order_free(ID, h, period, seed)
    check_bounds(ID, h, period)
    check_child_independence(ID, h, period)


@settings(max_examples=40)
@given(any_history, split_periods())
def test_disjoint_periods_add(h: History, ps: tuple[Period, Period, Period]) -> None:
    check_additive(ID, h, ps)


@settings(max_examples=40)
@given(any_history, periods(), st.integers(0, 80), st.integers(0, 80))
def test_raising_limit_never_lowers_numerator(h: History, period: Period, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    small = assessments_within_45_working_days(h.assessments, period, limit=lo)
    large = assessments_within_45_working_days(h.assessments, period, limit=hi)
    assert small.denominator == large.denominator
    assert small.numerator <= large.numerator


@settings(max_examples=40)
@given(histories(), periods(), st.integers(-300, 300), st.sampled_from(list(DayCount)))
def test_shift_by_weeks_keeps_outcomes(
    h: History, period: Period, weeks: int, convention: DayCount
) -> None:
    # a calendar without holidays: no shift crosses a bank holiday
    days = 7 * weeks
    moved = Period(period.start + dt.timedelta(days), period.end + dt.timedelta(days))
    a = assessments_within_45_working_days(
        h.assessments, period, calendar=WEEKENDS_ONLY, convention=convention
    )
    b = assessments_within_45_working_days(
        h.shifted(days).assessments, moved, calendar=WEEKENDS_ONLY, convention=convention
    )
    assert triples(a) == triples(b)


def test_shift_by_weeks_england_and_wales() -> None:
    # 5 June to 27 July 2023 and two weeks later: no bank holiday from 30 May to 27 August
    items = [
        Assessment("A", D(2023, 6, 5), D(2023, 7, 27)),
        Assessment("B", D(2023, 6, 10), D(2023, 6, 10)),
        Assessment("C", D(2023, 6, 9), D(2023, 7, 1)),
    ]
    h = History(assessments=tuple(items))
    p = Period(D(2023, 6, 1), D(2023, 7, 31))
    q = Period(D(2023, 6, 15), D(2023, 8, 14))
    a = assessments_within_45_working_days(h.assessments, p)
    b = assessments_within_45_working_days(h.shifted(14).assessments, q)
    assert triples(a) == triples(b) == [(True, True, 38), (True, True, 0), (True, True, 15)]


@settings(max_examples=40)
@given(any_history, periods())
def test_bands_match_indicator(h: History, period: Period) -> None:
    r = assessments_within_45_working_days(h.assessments, period)
    d = assessment_duration_bands(h.assessments, period)
    assert d.total == r.denominator
    within = sum(
        v
        for k, v in d.bands.items()
        if k in ("same day", "1-10", "11-20", "21-30", "31-40", "41-45")
    )
    assert within == r.numerator
    assert [o.record for o in d.outcomes] == [o.record for o in r.outcomes]
    assert d.issues == r.issues


@settings(max_examples=60)
@given(quiet_spans(), st.sampled_from(list(DayCount)))
def test_shift_crossing_no_bank_holiday_keeps_outcomes(
    spans: tuple[list[tuple[dt.date, dt.date]], int], convention: DayCount
) -> None:
    pairs, shift = spans
    h = History(assessments=tuple(Assessment(f"C{i}", a, b) for i, (a, b) in enumerate(pairs)))
    g = h.shifted(shift)
    everything = Period(D(2012, 1, 1), D(2028, 12, 31))
    a = assessments_within_45_working_days(h.assessments, everything, convention=convention)
    b = assessments_within_45_working_days(g.assessments, everything, convention=convention)
    assert triples(a) == triples(b)


@pytest.mark.parametrize("keep", [True, False])
def test_a_record_given_twice_is_its_own_duplicate(keep: bool) -> None:
    """The same record object twice is as two equal records (decision D14), whatever the
    other records of the child and the mode."""
    a = Assessment("A", D(2022, 5, 3), D(2022, 5, 10))
    others = [Assessment("A", D(2022, 6, 1), D(2022, 6, 2)), Assessment("B", D(2022, 5, 3))]
    with keeping_outcomes(keep):
        twice = assessments_within_45_working_days([a, *others, a], FY22)
        copied = assessments_within_45_working_days([a, *others, attrs.evolve(a)], FY22)
    assert twice == copied
    assert (twice.denominator, [i.kind for i in twice.issues]) == (2, ["duplicate"])
