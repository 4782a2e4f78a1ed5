"""WorkingDayCalendar.counter: the working days of a fixed convention as a plain function,
always what ``working_days`` gives (counts and errors)."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import DayCount, WorkingDayCalendar
from csc_indicators.calendar import default_calendar
from csc_indicators.errors import CalendarRangeError

NARROW = WorkingDayCalendar(first_year=2019, last_year=2024, name="2019-2024 only")
DAYS = st.dates(dt.date(2017, 1, 1), dt.date(2026, 12, 31))


def _outcome(fn: object, start: object, end: object) -> object:
    try:
        return fn(start, end)  # type: ignore[operator]
    except (CalendarRangeError, TypeError) as exc:
        return (type(exc), str(exc))


@given(start=DAYS, end=DAYS, convention=st.sampled_from(list(DayCount)))
def test_counter_is_working_days(start: dt.date, end: dt.date, convention: DayCount) -> None:
    for cal in (default_calendar(), NARROW):
        count = cal.counter(convention)
        want = _outcome(functools.partial(cal.working_days, convention=convention), start, end)
        assert _outcome(count, start, end) == want


@pytest.mark.parametrize("convention", list(DayCount))
def test_counter_takes_datetimes_and_refuses_other_values(convention: DayCount) -> None:
    cal = default_calendar()
    count = cal.counter(convention)
    a, b = dt.datetime(2024, 3, 28, 17), dt.datetime(2024, 4, 2, 9)
    assert count(a, b) == cal.working_days(a, b, convention)
    with pytest.raises(TypeError):
        count("2024-03-28", b)  # type: ignore[arg-type]
