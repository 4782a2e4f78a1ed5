"""Re-referrals within 12 months: worked example, edge cases and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import INDICATORS, Period, Referral
from csc_indicators.indicators import rereferrals_within_12_months
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
FY24 = Period.financial_year(2024)
ID = "rereferrals_within_12_months"


@pytest.mark.parametrize(
    ("previous", "this", "days_met", "months_met"),
    [
        (D(2023, 3, 1), D(2024, 2, 29), True, True),  # 365 days across 29 February
        (D(2023, 2, 28), D(2024, 2, 28), True, True),  # 365 days (29 Feb comes after)
        (D(2023, 2, 28), D(2024, 2, 29), False, False),  # 366 days; 28 Feb + 12 m = 28 Feb
        (D(2024, 2, 29), D(2025, 2, 28), True, True),  # 365 days; 29 Feb + 12 m = 28 Feb
        (D(2024, 2, 29), D(2025, 3, 1), False, False),
        (D(2021, 4, 1), D(2022, 4, 1), True, True),  # 365 days, no leap day
        (D(2021, 4, 1), D(2022, 4, 2), False, False),
        (D(2024, 3, 31), D(2024, 4, 1), True, True),  # 31 March / 1 April
    ],
)
def test_window_edges(previous: dt.date, this: dt.date, days_met: bool, months_met: bool) -> None:
    refs = [Referral("X", previous), Referral("X", this)]
    period = Period(this, this)
    by_days = rereferrals_within_12_months(refs, period)
    by_months = rereferrals_within_12_months(refs, period, window=relativedelta(months=12))
    assert by_days.outcomes[0].measure == (this - previous).days
    assert by_days.outcomes[0].met is days_met
    assert by_months.outcomes[0].met is months_met


def test_leap_year_window_days() -> None:
    # 28 Feb 2023 -> 28 Feb 2024 is 365 days: met; -> 29 Feb 2024 is 366 days: not met.
    refs = [Referral("X", D(2023, 2, 28)), Referral("X", D(2024, 2, 28))]
    assert rereferrals_within_12_months(refs, Period(D(2024, 2, 28), D(2024, 2, 28))).numerator == 1
    refs = [Referral("X", D(2023, 2, 28)), Referral("X", D(2024, 2, 29))]
    r = rereferrals_within_12_months(refs, Period(D(2024, 2, 29), D(2024, 2, 29)))
    assert (r.numerator, r.denominator, r.outcomes[0].measure) == (0, 1, 366)
    assert (
        rereferrals_within_12_months(
            refs, Period(D(2024, 2, 29), D(2024, 2, 29)), window=dt.timedelta(days=366)
        ).numerator
        == 1
    )


def test_year_boundary_31_march_1_april() -> None:
    refs = [Referral("X", D(2024, 3, 31)), Referral("X", D(2024, 4, 1))]
    fy23 = rereferrals_within_12_months(refs, Period.financial_year(2023))
    fy24 = rereferrals_within_12_months(refs, FY24)
    assert (fy23.numerator, fy23.denominator) == (0, 1)  # 31 March: no earlier referral
    assert (fy24.numerator, fy24.denominator) == (1, 1)  # 1 April: one day after
    assert fy24.outcomes[0].measure == 1


def test_no_earlier_referral_and_lookback_before_period() -> None:
    r = rereferrals_within_12_months([Referral("X", D(2024, 6, 1))], FY24)
    assert (r.numerator, r.denominator, r.outcomes[0].reason) == (0, 1, "no earlier referral")
    # the previous referral may be long before the period and an NFA referral
    refs = [Referral("X", D(2023, 7, 1), no_further_action=True), Referral("X", D(2024, 6, 1))]
    r = rereferrals_within_12_months(refs, FY24)
    assert (r.numerator, r.denominator) == (1, 1)
    assert len(r.outcomes) == 1  # the 2023 referral is look-back only


def test_previous_is_latest_earlier_referral() -> None:
    refs = [
        Referral("X", D(2020, 1, 1)),
        Referral("X", D(2024, 1, 1)),
        Referral("X", D(2024, 9, 1)),
    ]
    r = rereferrals_within_12_months(refs, FY24)
    assert r.outcomes[0].details["previous_referral_date"] == D(2024, 1, 1)
    assert r.outcomes[0].measure == 244


def test_duplicates_counted_once() -> None:
    refs = [
        Referral("X", D(2024, 5, 1)),
        Referral("X", D(2024, 5, 1), no_further_action=True),
        Referral("X", D(2024, 6, 1)),
    ]
    r = rereferrals_within_12_months(refs, FY24)
    assert (r.numerator, r.denominator) == (1, 2)
    # Different contents on one date: a conflict (decision D14); the record with more detail
    # (the NFA flag set) is used, whatever the order.
    assert [o.counted for o in r.outcomes] == [False, True, True]
    assert r.outcomes[1].record == refs[1]
    assert r.outcomes[2].measure == 31  # measured from the date, counted once
    assert len(r.issues) == 1 and r.issues[0].kind == "conflict"
    again = rereferrals_within_12_months(list(reversed(refs)), FY24)
    assert again.outcomes == r.outcomes and again.issues == r.issues


def test_identical_referrals_are_a_duplicate() -> None:
    refs = [Referral("X", D(2024, 5, 1)), Referral("X", D(2024, 5, 1))]
    r = rereferrals_within_12_months(refs, FY24)
    assert [o.counted for o in r.outcomes] == [True, False]
    assert [i.kind for i in r.issues] == ["duplicate"]


def test_parameter_checks() -> None:
    with pytest.raises(ValueError):
        rereferrals_within_12_months([], FY24, window=dt.timedelta(0))
    with pytest.raises(ValueError):
        rereferrals_within_12_months([], FY24, window=relativedelta(months=0))


def test_registered() -> None:
    spec = INDICATORS[ID]
    assert spec.function is rereferrals_within_12_months
    assert spec.inputs == ("referrals",)
    assert spec.spec_page == f"indicators/{ID}.md"


def test_sanity_devon_2016_17() -> None:
    """Devon's 2016-17 scorecard (RA 2): 1,048 of 5,061 referrals were re-referrals, 20.7%."""
    refs: list[Referral] = []
    for i in range(1048):
        refs += [Referral(f"R{i}", D(2016, 1, 10)), Referral(f"R{i}", D(2016, 6, 1))]
    refs += [Referral(f"S{i}", D(2016, 9, 1)) for i in range(5061 - 1048)]
    r = rereferrals_within_12_months(refs, Period.financial_year(2016))
    assert (r.numerator, r.denominator, r.rounded_value) == (1048, 5061, 20.7)


# -- properties -------------------------------------------------------------------------------

any_history = st.one_of(histories(), broken_histories())


@settings(max_examples=40)
@given(any_history, periods(), st.integers(0, 2**16))
def test_properties(h: History, period: Period, seed: int) -> None:
    check_order_free(ID, h, period, seed)
    check_bounds(ID, h, period)
    check_child_independence(ID, h, period)
    check_order_free(ID, h, period, seed, window=relativedelta(months=12))


@settings(max_examples=40)
@given(any_history, split_periods())
def test_disjoint_periods_add(h: History, ps: tuple[Period, Period, Period]) -> None:
    check_additive(ID, h, ps)


@settings(max_examples=40)
@given(histories(), periods(), st.integers(1, 800), st.integers(1, 800))
def test_wider_window_never_lowers_numerator(h: History, period: Period, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    small = rereferrals_within_12_months(h.referrals, period, window=dt.timedelta(days=lo))
    large = rereferrals_within_12_months(h.referrals, period, window=dt.timedelta(days=hi))
    assert small.denominator == large.denominator
    assert small.numerator <= large.numerator


@settings(max_examples=40)
@given(histories(), periods())
def test_met_matches_definition(h: History, period: Period) -> None:
    r = rereferrals_within_12_months(h.referrals, period)
    for o in r.counted_outcomes():
        previous = [
            x.date for x in h.referrals if x.child_id == o.child_id and x.date < o.record.date
        ]
        gap = (o.record.date - max(previous)).days if previous else None
        assert o.measure == gap
        assert o.met is (gap is not None and gap <= 365)
