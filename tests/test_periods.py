"""Reporting periods: constructors, names, membership and tiling (decision D0)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import Period
from strategies.dates import dates

D = dt.date
ONE = dt.timedelta(days=1)
years = st.integers(min_value=2000, max_value=2034)


@pytest.mark.parametrize(
    ("period", "start", "end", "name"),
    [
        (Period.financial_year(2024), D(2024, 4, 1), D(2025, 3, 31), "2024-25"),
        (Period.financial_year(1999), D(1999, 4, 1), D(2000, 3, 31), "1999-00"),
        (Period.quarter(2024, 1), D(2024, 4, 1), D(2024, 6, 30), "Q1 2024-25"),
        (Period.quarter(2024, 3), D(2024, 10, 1), D(2024, 12, 31), "Q3 2024-25"),
        (Period.quarter(2024, 4), D(2025, 1, 1), D(2025, 3, 31), "Q4 2024-25"),
        (Period.month(2024, 12), D(2024, 12, 1), D(2024, 12, 31), "December 2024"),
        (Period.month(2024, 2), D(2024, 2, 1), D(2024, 2, 29), "February 2024"),
        (Period.month(2023, 2), D(2023, 2, 1), D(2023, 2, 28), "February 2023"),
        (
            Period.rolling_12_months(D(2025, 3, 31)),
            D(2024, 4, 1),
            D(2025, 3, 31),
            "12 months to 31 March 2025",
        ),
        (
            Period.rolling_12_months(D(2024, 2, 29)),
            D(2023, 3, 1),
            D(2024, 2, 29),
            "12 months to 29 February 2024",
        ),
        (
            Period.year_to_date(D(2025, 1, 5)),
            D(2024, 4, 1),
            D(2025, 1, 5),
            "2024-25 to 5 January 2025",
        ),
        (
            Period.year_to_date(D(2024, 4, 1)),
            D(2024, 4, 1),
            D(2024, 4, 1),
            "2024-25 to 1 April 2024",
        ),
        (Period.financial_year_of(D(2025, 3, 31)), D(2024, 4, 1), D(2025, 3, 31), "2024-25"),
        (Period.financial_year_of(D(2025, 4, 1)), D(2025, 4, 1), D(2026, 3, 31), "2025-26"),
        (
            Period(D(2024, 1, 1), D(2024, 1, 2)),
            D(2024, 1, 1),
            D(2024, 1, 2),
            "2024-01-01 to 2024-01-02",
        ),
    ],
)
def test_constructors(period: Period, start: dt.date, end: dt.date, name: str) -> None:
    assert (period.start, period.end, str(period)) == (start, end, name)


def test_membership_is_inclusive() -> None:
    fy = Period.financial_year(2024)
    assert D(2024, 4, 1) in fy and D(2025, 3, 31) in fy
    assert D(2024, 3, 31) not in fy and D(2025, 4, 1) not in fy
    assert dt.datetime(2025, 3, 31, 23, 59) in fy
    assert "2024-05-01" not in fy
    assert fy.days == 365 and Period.financial_year(2023).days == 366


def test_validation() -> None:
    with pytest.raises(ValueError, match="cannot end before it starts"):
        Period(D(2024, 1, 2), D(2024, 1, 1))
    with pytest.raises(TypeError):
        Period("2024-01-01", D(2024, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Period.quarter(2024, 5)
    with pytest.raises(ValueError):
        Period.month(2024, 13)


def test_equality_ignores_the_label_and_periods_are_immutable() -> None:
    assert Period.financial_year(2024) == Period(D(2024, 4, 1), D(2025, 3, 31))
    assert hash(Period.financial_year(2024)) == hash(Period(D(2024, 4, 1), D(2025, 3, 31)))
    with pytest.raises(AttributeError):
        Period.financial_year(2024).start = D(2020, 1, 1)  # type: ignore[misc]


def test_overlaps() -> None:
    assert Period.quarter(2024, 1).overlaps(Period.month(2024, 6))
    assert not Period.quarter(2024, 1).overlaps(Period.quarter(2024, 2))


@given(years)
def test_quarters_tile_the_year(year: int) -> None:
    fy = Period.financial_year(year)
    qs = [Period.quarter(year, q) for q in (1, 2, 3, 4)]
    assert qs[0].start == fy.start and qs[-1].end == fy.end
    for a, b in itertools.pairwise(qs):
        assert b.start == a.end + ONE
    assert sum(q.days for q in qs) == fy.days


@given(years)
def test_months_tile_the_year(year: int) -> None:
    fy = Period.financial_year(year)
    ms = [Period.month(year + (m < 4), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    assert ms[0].start == fy.start and ms[-1].end == fy.end
    for a, b in itertools.pairwise(ms):
        assert b.start == a.end + ONE


@given(years)
def test_years_tile(year: int) -> None:
    assert Period.financial_year(year + 1).start == Period.financial_year(year).end + ONE


@given(dates)
def test_every_day_is_in_exactly_one_financial_year_and_quarter(d: dt.date) -> None:
    fy = Period.financial_year_of(d)
    assert d in fy
    assert d not in Period.financial_year(fy.start.year - 1)
    assert d not in Period.financial_year(fy.start.year + 1)
    assert sum(d in Period.quarter(fy.start.year, q) for q in (1, 2, 3, 4)) == 1


@given(dates)
def test_rolling_12_months_is_a_year_long(d: dt.date) -> None:
    p = Period.rolling_12_months(d)
    assert p.end == d and 365 <= p.days <= 366
    assert Period.rolling_12_months(p.start - ONE).end == p.start - ONE


@given(dates)
def test_year_to_date_starts_on_1_april(d: dt.date) -> None:
    p = Period.year_to_date(d)
    assert p.start.month == 4 and p.start.day == 1 and p.end == d
    assert p.start == Period.financial_year_of(d).start


def test_financial_year_number() -> None:
    from csc_indicators.periods import financial_year_number

    assert financial_year_number(dt.date(2025, 3, 31)) == 2024
    assert financial_year_number(dt.date(2025, 4, 1)) == 2025
    assert financial_year_number(dt.date(2024, 2, 29)) == 2023
    # every date has one, even where no Period can start
    assert financial_year_number(dt.date(1, 3, 31)) == 0
    assert financial_year_number(dt.date(9999, 12, 31)) == 9999


@given(dates)
def test_financial_year_number_names_the_year_of_financial_year_of(d: dt.date) -> None:
    from csc_indicators.periods import financial_year_number

    assert Period.financial_year_of(d).start.year == financial_year_number(d)
