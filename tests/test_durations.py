"""Durations: one interval type for every window and length of time."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators.durations import after, before, describe, parse_interval


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("365", dt.timedelta(days=365)),
        ("365 days", dt.timedelta(days=365)),
        ("2 weeks", dt.timedelta(days=14)),
        ("12m", relativedelta(years=1)),
        ("30 months", relativedelta(years=2, months=6)),
        ("2y", relativedelta(years=2)),
        ("2 years 6 months", relativedelta(years=2, months=6)),
    ],
)
def test_parse_interval(text: str, value: object) -> None:
    assert parse_interval(text) == value


def test_parse_interval_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="whole numbers with units"):
        parse_interval("a year")
    with pytest.raises(ValueError, match="not fixed lengths"):
        parse_interval("12 months", allow_relative=False)


@pytest.mark.parametrize(
    ("day", "interval", "later"),
    [
        (dt.date(2024, 2, 29), relativedelta(years=1), dt.date(2025, 2, 28)),
        (dt.date(2024, 3, 31), relativedelta(months=1), dt.date(2024, 4, 30)),
        (dt.date(2024, 3, 31), dt.timedelta(days=365), dt.date(2025, 3, 31)),
        (dt.date(2023, 3, 31), dt.timedelta(days=365), dt.date(2024, 3, 30)),
    ],
)
def test_after_and_before(day: dt.date, interval: object, later: dt.date) -> None:
    assert after(day, interval) == later  # type: ignore[arg-type]
    assert before(later, interval) <= day  # type: ignore[arg-type]


@given(
    st.one_of(
        st.integers(0, 5000).map(lambda d: dt.timedelta(days=d)),
        st.tuples(st.integers(0, 9), st.integers(0, 11), st.integers(0, 40)).map(
            lambda t: relativedelta(years=t[0], months=t[1], days=t[2])
        ),
    )
)
def test_describe_reads_back(interval: dt.timedelta | relativedelta) -> None:
    text = describe(interval)
    back = parse_interval(text)
    probe = dt.date(2024, 1, 31)
    assert after(probe, back) == after(probe, interval)
