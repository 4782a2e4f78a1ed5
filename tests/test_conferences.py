"""ICPCs within 15 working days of the strategy discussion and the C4 duration bands:
worked example, edge cases and properties."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import (
    INDICATORS,
    DayCount,
    Period,
    Section47,
    TransferInConference,
    WorkingDayCalendar,
)
from csc_indicators.calendar import default_calendar
from csc_indicators.indicators import icpc_duration_bands, icpcs_within_15_working_days
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
ID = "icpcs_within_15_working_days"
WEEKENDS_ONLY = WorkingDayCalendar(name="weekends only")


def test_15_and_16_working_days_and_same_day() -> None:
    cal = default_calendar()
    start = D(2024, 10, 7)
    items = [
        Section47("A", start, cal.add_working_days(start, 15)),
        Section47("B", start, cal.add_working_days(start, 16)),
        Section47("C", start, start),
    ]
    r = icpcs_within_15_working_days(items, Period.financial_year(2024))
    assert [(o.measure, o.met) for o in r.outcomes] == [(15, True), (16, False), (0, True)]
    raised = icpcs_within_15_working_days(items, Period.financial_year(2024), limit=16)
    assert raised.numerator == 3


def test_weekend_and_bank_holiday_endpoints() -> None:
    items = [
        Section47("A", D(2023, 3, 11), D(2023, 3, 13)),  # Saturday strategy discussion
        Section47("B", D(2022, 9, 16), D(2022, 9, 20)),  # across the state funeral
        Section47("C", D(2022, 12, 23), D(2023, 1, 3)),
    ]  # across Christmas
    r = icpcs_within_15_working_days(items, FY22)
    assert [o.measure for o in r.outcomes] == [1, 1, 4]
    r = icpcs_within_15_working_days(items, FY22, convention=DayCount.EXCLUSIVE_END)
    assert [o.measure for o in r.outcomes] == [0, 1, 4]


def test_period_boundaries_31_march_1_april() -> None:
    items = [
        Section47("A", D(2023, 3, 20), D(2023, 3, 31)),
        Section47("B", D(2023, 3, 20), D(2023, 4, 1)),
    ]
    assert [o.child_id for o in icpcs_within_15_working_days(items, FY22).outcomes] == ["A"]
    fy23 = icpcs_within_15_working_days(items, Period.financial_year(2023))
    assert [o.child_id for o in fy23.outcomes] == ["B"]


def test_two_enquiries_one_conference() -> None:
    items = [
        Section47("A", D(2024, 5, 1), D(2024, 6, 3)),
        Section47("A", D(2024, 5, 20), D(2024, 6, 3)),
    ]
    r = icpcs_within_15_working_days(items, Period.financial_year(2024))
    assert [(o.counted, o.record.start_date) for o in r.outcomes] == [
        (False, D(2024, 5, 1)),
        (True, D(2024, 5, 20)),
    ]
    assert r.outcomes[1].measure == 9  # from the latest strategy discussion
    assert [i.kind for i in r.issues] == ["duplicate"]
    held = INDICATORS["icpcs_held"].function(items, Period.financial_year(2024))
    assert held.numerator == 1


def test_not_required_but_held_is_counted_and_reported() -> None:
    items = [Section47("A", D(2024, 5, 1), D(2024, 5, 10), conference_not_required=True)]
    r = icpcs_within_15_working_days(items, Period.financial_year(2024))
    assert (r.numerator, r.denominator) == (1, 1)
    assert [i.kind for i in r.issues] == ["inconsistent"]


def test_transfer_in_none_and_duplicate_of_s47_conference() -> None:
    items = [Section47("A", D(2024, 5, 1), D(2024, 5, 10))]
    p = Period.financial_year(2024)
    assert icpcs_within_15_working_days(items, p, transfer_ins=None).denominator == 1
    tis = [TransferInConference("A", D(2024, 5, 10))]
    r = icpcs_within_15_working_days(items, p, transfer_ins=tis)
    assert [o.counted for o in r.outcomes] == [True, False]
    assert [i.kind for i in r.issues] == ["duplicate"]
    assert INDICATORS["icpcs_held"].function(items, p, transfer_ins=tis).numerator == 1


def test_registered_with_optional_transfer_ins() -> None:
    spec = INDICATORS[ID]
    assert spec.inputs == ("section47s",)
    assert spec.optional_inputs == ("transfer_ins",)
    assert spec.uses_calendar


def test_sanity_devon_2016_17() -> None:
    """Devon's 2016-17 scorecard (RA 10/11): 533 of 624 ICPCs within 15 working days,
    85.4%."""
    cal = default_calendar()
    start = D(2016, 10, 3)
    fast, slow = cal.add_working_days(start, 12), cal.add_working_days(start, 20)
    items = [Section47(f"F{i}", start, fast) for i in range(533)]
    items += [Section47(f"S{i}", start, slow) for i in range(624 - 533)]
    r = icpcs_within_15_working_days(items, Period.financial_year(2016))
    assert (r.numerator, r.denominator, r.rounded_value) == (533, 624, 85.4)


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
@given(any_history, periods(), st.integers(0, 40), st.integers(0, 40))
def test_raising_limit_never_lowers_numerator(h: History, period: Period, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    small = icpcs_within_15_working_days(
        h.section47s, period, transfer_ins=h.transfer_ins, limit=lo
    )
    large = icpcs_within_15_working_days(
        h.section47s, period, transfer_ins=h.transfer_ins, limit=hi
    )
    assert small.denominator == large.denominator
    assert small.numerator <= large.numerator


@settings(max_examples=40)
@given(histories(), periods(), st.integers(-300, 300), st.sampled_from(list(DayCount)))
def test_shift_by_weeks_keeps_outcomes(
    h: History, period: Period, weeks: int, convention: DayCount
) -> None:
    days = 7 * weeks
    moved = Period(period.start + dt.timedelta(days), period.end + dt.timedelta(days))
    g = h.shifted(days)
    a = icpcs_within_15_working_days(
        h.section47s,
        period,
        transfer_ins=h.transfer_ins,
        calendar=WEEKENDS_ONLY,
        convention=convention,
    )
    b = icpcs_within_15_working_days(
        g.section47s,
        moved,
        transfer_ins=g.transfer_ins,
        calendar=WEEKENDS_ONLY,
        convention=convention,
    )
    assert triples(a) == triples(b)


@settings(max_examples=40)
@given(any_history, periods())
def test_bands_match_indicator(h: History, period: Period) -> None:
    r = icpcs_within_15_working_days(h.section47s, period, transfer_ins=h.transfer_ins)
    d = icpc_duration_bands(h.section47s, period, transfer_ins=h.transfer_ins)
    assert d.total == r.denominator
    assert d.bands["0-10"] + d.bands["11-15"] == r.numerator
    assert [o.record for o in d.outcomes] == [o.record for o in r.outcomes]


@settings(max_examples=60)
@given(quiet_spans(), st.sampled_from(list(DayCount)))
def test_shift_crossing_no_bank_holiday_keeps_outcomes(
    spans: tuple[list[tuple[dt.date, dt.date]], int], convention: DayCount
) -> None:
    pairs, shift = spans
    h = History(section47s=tuple(Section47(f"C{i}", a, b) for i, (a, b) in enumerate(pairs)))
    g = h.shifted(shift)
    everything = Period(D(2012, 1, 1), D(2028, 12, 31))
    a = icpcs_within_15_working_days(h.section47s, everything, convention=convention)
    b = icpcs_within_15_working_days(g.section47s, everything, convention=convention)
    assert triples(a) == triples(b)


@pytest.mark.parametrize("keep", [True, False])
def test_a_record_given_twice_is_its_own_duplicate(keep: bool) -> None:
    """The same enquiry object twice is as two equal records (decision D14)."""
    s = Section47("A", D(2022, 5, 3), D(2022, 5, 10))
    others = [Section47("A", D(2022, 6, 1), D(2022, 6, 2)), Section47("B", D(2022, 5, 3))]
    with keeping_outcomes(keep):
        twice = icpcs_within_15_working_days([s, *others, s], FY22)
        copied = icpcs_within_15_working_days([s, *others, attrs.evolve(s)], FY22)
    assert twice == copied
    assert (twice.denominator, [i.kind for i in twice.issues]) == (2, ["duplicate"])
