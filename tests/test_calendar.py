"""Working-day calendar: worked examples (docs/working-days.md) and properties (decision D1)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from csc_indicators import CalendarRangeError, DayCount, WorkingDayCalendar
from csc_indicators.calendar import default_calendar
from strategies.dates import dates

CAL = default_calendar()
D = dt.date
ONE = dt.timedelta(days=1)
CONVENTIONS = list(DayCount)


def naive(cal: WorkingDayCalendar, start: dt.date, end: dt.date, convention: DayCount) -> int:
    """Day-by-day count straight from the definitions of D1."""
    if end < start:
        return -naive(cal, end, start, convention)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    if convention is DayCount.EXCLUSIVE_START:
        return sum(1 for d in days if d > start and cal.is_working_day(d))
    if convention is DayCount.EXCLUSIVE_END:
        return sum(1 for d in days if d < end and cal.is_working_day(d))
    return sum(1 for d in days if cal.is_working_day(d)) - 1


def naive_is_working(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in CAL.holidays


# -- worked examples (the table on docs/working-days.md) ------------------------------------

WORKED = [
    # start, end, EXCLUSIVE_START (default), EXCLUSIVE_END, INCLUSIVE_MINUS_ONE, note
    (D(2023, 3, 6), D(2023, 3, 6), 0, 0, 0, "same day"),
    (D(2023, 3, 6), D(2023, 3, 7), 1, 1, 1, "next day"),
    (D(2023, 3, 10), D(2023, 3, 13), 1, 1, 1, "Friday to Monday"),
    (D(2023, 3, 11), D(2023, 3, 13), 1, 0, 0, "Saturday start"),
    (D(2023, 3, 10), D(2023, 3, 11), 0, 1, 0, "Saturday end"),
    (D(2023, 3, 11), D(2023, 3, 12), 0, 0, -1, "weekend only"),
    (D(2022, 9, 19), D(2022, 9, 20), 1, 0, 0, "state funeral start"),
    (D(2022, 9, 16), D(2022, 9, 20), 1, 1, 1, "over the state funeral"),
    (D(2023, 5, 5), D(2023, 5, 9), 1, 1, 1, "over the coronation"),
    (D(2022, 6, 1), D(2022, 6, 6), 1, 1, 1, "over the platinum jubilee"),
    (D(2022, 12, 23), D(2023, 1, 3), 4, 4, 4, "over Christmas 2022"),
    (D(2023, 4, 6), D(2023, 4, 11), 1, 1, 1, "over Easter 2023"),
    (D(2022, 9, 1), D(2022, 9, 22), 14, 14, 14, "three weeks with 19 Sep"),
    (D(2023, 1, 30), D(2023, 3, 31), 44, 44, 44, "end of year"),
    (D(2023, 1, 3), D(2023, 3, 7), 45, 45, 45, "45 working days"),
    (D(2023, 1, 3), D(2023, 3, 8), 46, 46, 46, "46 working days"),
    (D(2024, 2, 28), D(2024, 3, 1), 2, 2, 2, "leap day is a working day"),
]


@pytest.mark.parametrize(("start", "end", "excl_start", "excl_end", "incl", "note"), WORKED)
def test_worked_examples(
    start: dt.date, end: dt.date, excl_start: int, excl_end: int, incl: int, note: str
) -> None:
    assert CAL.working_days(start, end) == excl_start
    assert CAL.working_days(start, end, DayCount.EXCLUSIVE_START) == excl_start
    assert CAL.working_days(start, end, DayCount.EXCLUSIVE_END) == excl_end
    assert CAL.working_days(start, end, DayCount.INCLUSIVE_MINUS_ONE) == incl


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2023, 1, 3), 45, D(2023, 3, 7)),
        (D(2022, 9, 1), 15, D(2022, 9, 23)),
        (D(2022, 12, 23), 1, D(2022, 12, 28)),
        (D(2023, 3, 11), 1, D(2023, 3, 13)),  # from a Saturday
        (D(2023, 3, 13), -1, D(2023, 3, 10)),
        (D(2023, 3, 12), -1, D(2023, 3, 10)),  # before a Sunday
        (D(2023, 3, 11), 0, D(2023, 3, 11)),
        (D(2024, 3, 28), 1, D(2024, 4, 2)),  # Good Friday and Easter Monday 2024
    ],
)
def test_add_working_days_examples(day: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.add_working_days(day, n) == expected


@pytest.mark.parametrize(
    "day",
    [
        D(2022, 6, 2),
        D(2022, 6, 3),
        D(2022, 9, 19),
        D(2023, 5, 8),
        D(2020, 5, 8),
        D(2011, 4, 29),
        D(2024, 12, 25),
        D(2024, 12, 26),
        D(2021, 12, 27),
        D(2021, 12, 28),
        D(2026, 8, 31),
    ],
)
def test_bank_holidays_are_not_working_days(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not CAL.is_working_day(day)


def test_ordinary_days() -> None:
    assert CAL.is_working_day(D(2024, 12, 24))  # Christmas Eve is a working day
    assert CAL.is_working_day(D(2024, 12, 27))
    assert not CAL.is_working_day(D(2024, 12, 28))  # Saturday


def test_datetimes_use_their_date() -> None:
    s = dt.datetime(2023, 1, 3, 23, 59)
    e = dt.datetime(2023, 3, 7, 0, 1)
    assert CAL.working_days(s, e) == 45
    assert CAL.add_working_days(s, 45) == D(2023, 3, 7)
    assert type(CAL.add_working_days(s, 0)) is dt.date


def test_extra_closures() -> None:
    cal = WorkingDayCalendar.england_and_wales(extra_closures=[D(2024, 12, 24), D(2024, 12, 27)])
    assert not cal.is_working_day(D(2024, 12, 24))
    assert cal.working_days(D(2024, 12, 23), D(2024, 12, 30)) == 1
    assert CAL.working_days(D(2024, 12, 23), D(2024, 12, 30)) == 3
    assert "closure" in cal.name
    assert cal != CAL


def test_out_of_range_is_an_error() -> None:
    with pytest.raises(CalendarRangeError, match="1999-12-31"):
        CAL.working_days(D(1999, 12, 31), D(2000, 1, 4))
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(CAL.last_date + ONE)
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(CAL.last_date, 5)
    with pytest.raises(CalendarRangeError):
        WorkingDayCalendar.england_and_wales(extra_closures=[D(1990, 1, 2)])
    assert CAL.first_date == D(2000, 1, 1)
    assert CAL.last_date == D(2035, 12, 31)


def test_the_default_range_is_fixed_in_the_release() -> None:
    """The England and Wales calendar covers 2000-2035 whatever today's date is (D18): results
    computed a year apart use the same calendar, so they merge."""
    import inspect

    from csc_indicators import calendar as module

    cal = WorkingDayCalendar.england_and_wales()
    assert (cal.first_date, cal.last_date) == (D(2000, 1, 1), D(2035, 12, 31))
    assert (module.DEFAULT_FIRST_YEAR, module.DEFAULT_LAST_YEAR) == (2000, 2035)
    assert cal == CAL
    assert not cal.is_working_day(D(2035, 12, 25)) and cal.is_working_day(D(2035, 12, 24))
    assert "today" not in inspect.getsource(module).replace("today + N years", "")


def test_bad_arguments() -> None:
    with pytest.raises(TypeError):
        CAL.working_days("2023-01-01", D(2023, 1, 2))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CAL.add_working_days(D(2023, 1, 2), 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        WorkingDayCalendar(weekend=range(7))
    with pytest.raises(ValueError):
        WorkingDayCalendar(weekend=(7,))
    with pytest.raises(ValueError):
        WorkingDayCalendar(first_year=2020, last_year=2019)


def test_immutable_and_hashable() -> None:
    with pytest.raises(AttributeError):
        CAL._name = "x"  # type: ignore[misc]
    again = WorkingDayCalendar.england_and_wales()
    assert again == CAL and hash(again) == hash(CAL)
    assert {CAL: 1}[again] == 1


def test_custom_calendar_covers_its_holiday_years() -> None:
    cal = WorkingDayCalendar([D(2023, 12, 25)], weekend=(4, 5, 6), name="four-day week")
    assert cal.first_date == D(2023, 1, 1) and cal.last_date == D(2023, 12, 31)
    assert cal.working_days(D(2023, 12, 21), D(2023, 12, 26)) == 1  # Fri-Sun off, 25th off
    with pytest.raises(CalendarRangeError):
        cal.is_working_day(D(2024, 1, 2))
    weekends_only = WorkingDayCalendar()
    assert weekends_only.working_days(D(1950, 1, 2), D(1950, 1, 9)) == 5


# -- properties -----------------------------------------------------------------------------


near = st.dates(min_value=dt.date(2000, 12, 1), max_value=dt.date(2034, 12, 31))
offsets = st.integers(min_value=-330, max_value=330)


@given(near, offsets, st.sampled_from(CONVENTIONS))
def test_agrees_with_a_naive_day_by_day_count(a: dt.date, offset: int, c: DayCount) -> None:
    b = a + dt.timedelta(days=offset)
    assert CAL.working_days(a, b, c) == naive(CAL, a, b, c)


@given(dates)
def test_is_working_day_agrees_with_the_holiday_list(d: dt.date) -> None:
    assert CAL.is_working_day(d) == naive_is_working(d)


@given(dates, dates, dates, st.sampled_from([DayCount.EXCLUSIVE_START, DayCount.EXCLUSIVE_END]))
def test_counts_add_up(a: dt.date, b: dt.date, c: dt.date, conv: DayCount) -> None:
    assert CAL.working_days(a, b, conv) + CAL.working_days(b, c, conv) == CAL.working_days(
        a, c, conv
    )


@given(near, st.integers(0, 330), st.integers(0, 330))
def test_inclusive_minus_one_adds_up_through_a_working_day(b: dt.date, x: int, y: int) -> None:
    assume(CAL.is_working_day(b))
    a, c = b - dt.timedelta(days=x), b + dt.timedelta(days=y)
    conv = DayCount.INCLUSIVE_MINUS_ONE
    assert CAL.working_days(a, b, conv) + CAL.working_days(b, c, conv) == CAL.working_days(
        a, c, conv
    )


@given(dates, dates, st.sampled_from(CONVENTIONS))
def test_antisymmetric(a: dt.date, b: dt.date, c: DayCount) -> None:
    assume(a != b)
    assert CAL.working_days(a, b, c) == -CAL.working_days(b, a, c)


@given(dates, dates, st.sampled_from(CONVENTIONS))
def test_conventions_agree_on_working_days(a: dt.date, b: dt.date, c: DayCount) -> None:
    assume(CAL.is_working_day(a) and CAL.is_working_day(b))
    assert CAL.working_days(a, b, c) == CAL.working_days(a, b)


@given(dates, dates, dates, st.sampled_from(CONVENTIONS))
def test_monotonic_in_the_end_date(a: dt.date, b: dt.date, b2: dt.date, c: DayCount) -> None:
    """A later end never counts fewer working days; under ``INCLUSIVE_MINUS_ONE`` on each
    side of the start only (a non-working start counted against itself gives -1, the day
    before it 0: see the next test)."""
    b, b2 = min(b, b2), max(b, b2)
    if c is DayCount.INCLUSIVE_MINUS_ONE:
        assume(b >= a or b2 < a)
    assert CAL.working_days(a, b, c) <= CAL.working_days(a, b2, c)


def test_inclusive_minus_one_around_a_non_working_start() -> None:
    """``NETWORKDAYS - 1`` from a Saturday: -1 to itself, 0 to the Friday before (counted
    backwards, the same count negated) and to the Monday after, 1 to the Tuesday."""
    c = DayCount.INCLUSIVE_MINUS_ONE
    saturday = dt.date(2013, 1, 5)
    assert CAL.working_days(saturday, saturday, c) == -1
    assert CAL.working_days(saturday, dt.date(2013, 1, 4), c) == 0
    assert CAL.working_days(saturday, dt.date(2013, 1, 7), c) == 0
    assert CAL.working_days(saturday, dt.date(2013, 1, 8), c) == 1


@given(dates, st.integers(min_value=0, max_value=400), dates)
def test_add_is_the_inverse_of_count(s: dt.date, n: int, e: dt.date) -> None:
    """D1: for a working day e, wd(s, e) <= n exactly when e <= add_working_days(s, n)."""
    assume(CAL.is_working_day(e))
    try:
        limit = CAL.add_working_days(s, n)
    except CalendarRangeError:
        assume(False)
        return
    assert (CAL.working_days(s, e) <= n) == (e <= limit)


@given(dates, st.integers(min_value=-400, max_value=-1), dates)
def test_add_backwards_is_the_inverse_from_a_working_day(s: dt.date, n: int, e: dt.date) -> None:
    assume(CAL.is_working_day(s) and CAL.is_working_day(e))
    try:
        limit = CAL.add_working_days(s, n)
    except CalendarRangeError:
        assume(False)
        return
    assert (CAL.working_days(s, e) <= n) == (e <= limit)


@given(dates, st.integers(min_value=-300, max_value=300))
def test_add_lands_on_a_working_day_n_away(s: dt.date, n: int) -> None:
    try:
        r = CAL.add_working_days(s, n)
    except CalendarRangeError:
        assume(False)
        return
    if n == 0:
        assert r == s
        return
    assert CAL.is_working_day(r)
    if n > 0:
        assert r > s and CAL.working_days(s, r) == n
    else:
        assert r < s and CAL.working_days(r, s, DayCount.EXCLUSIVE_END) == -n


@given(st.lists(st.tuples(near, offsets), max_size=40), st.sampled_from(CONVENTIONS))
def test_many_agrees_with_single_calls(pairs: list[tuple[dt.date, int]], c: DayCount) -> None:
    starts = [a for a, _ in pairs]
    ends = [a + dt.timedelta(days=o) for a, o in pairs]
    assert CAL.working_days_many(starts, ends, c) == [
        CAL.working_days(s, e, c) for s, e in zip(starts, ends, strict=True)
    ]


def test_many_checks_its_arguments() -> None:
    assert CAL.working_days_many([], []) == []
    with pytest.raises(ValueError, match="1 starts but 0 ends"):
        CAL.working_days_many([D(2023, 1, 3)], [])
    with pytest.raises(CalendarRangeError):
        CAL.working_days_many([D(2023, 1, 3)], [D(1999, 1, 1)])
    with pytest.raises(TypeError):
        CAL.working_days_many(["2023-01-03"], [D(2023, 1, 3)])  # type: ignore[list-item]


def test_calendar_pickles() -> None:
    import pickle

    cal = WorkingDayCalendar.england_and_wales(extra_closures=[D(2024, 12, 24)])
    again = pickle.loads(pickle.dumps(cal))
    assert again == cal and again.name == cal.name
    assert again.working_days(D(2024, 12, 23), D(2024, 12, 30)) == 2


@given(st.lists(st.tuples(near, offsets), max_size=40), st.sampled_from(CONVENTIONS))
def test_ordinals_agree_with_single_calls(pairs: list[tuple[dt.date, int]], c: DayCount) -> None:
    starts = [a for a, _ in pairs]
    ends = [a + dt.timedelta(days=o) for a, o in pairs]
    assert CAL.working_days_ordinals(
        [d.toordinal() for d in starts], [d.toordinal() for d in ends], c
    ) == [CAL.working_days(s, e, c) for s, e in zip(starts, ends, strict=True)]


def test_ordinals_check_their_range() -> None:
    with pytest.raises(CalendarRangeError, match="1999-12-31"):
        CAL.working_days_ordinals([D(2023, 1, 3).toordinal()], [D(1999, 12, 31).toordinal()])
    with pytest.raises(ValueError):
        CAL.working_days_ordinals([1], [])
    assert CAL.working_days_ordinals([], []) == []


@given(near, offsets, st.sampled_from(CONVENTIONS))
def test_the_ordinal_table_counts_as_working_days(a: dt.date, offset: int, c: DayCount) -> None:
    b = a + dt.timedelta(days=offset)
    got = CAL.ordinal_table(c)
    if got is None:
        assert c is DayCount.INCLUSIVE_MINUS_ONE
        return
    base, table = got
    s, e = a.toordinal() - base, b.toordinal() - base
    assert 0 <= s < len(table) and 0 <= e < len(table)
    assert table[e] - table[s] == CAL.working_days(a, b, c)
    assert len(table) == CAL.last_date.toordinal() - base + 1
