"""Day tables: shared date objects, working-day and month arithmetic by date ordinal, and
the span of the data."""

from __future__ import annotations

import datetime as _dt
from typing import Final

from ..calendar import WorkingDayCalendar

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PAD_DAYS: Final = 4 * 366


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class _Days:
    """Day tables for one calendar, by date ordinal: shared ``date`` objects (every record
    refers to the same few thousand date objects) and working-day arithmetic.

    Built once per calendar from its public :meth:`~WorkingDayCalendar.is_working_day`; the
    tables run a few years past the calendar's last date (weekends only there) so that events
    computed beyond the data's end, which are then discarded, never fall off the table.
    """

    __slots__ = ("base", "cum", "dates", "first", "last", "work")

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        first = calendar.first_date.toordinal()
        last = calendar.last_date.toordinal()
        size = last - first + 1 + _PAD_DAYS
        dates = [_dt.date.fromordinal(first + i) for i in range(size)]
        cum = [0] * (size + 1)
        work: list[int] = []
        for i, day in enumerate(dates):
            cum[i] = len(work)
            if (first + i <= last and calendar.is_working_day(day)) or (
                first + i > last and day.weekday() < 5
            ):
                work.append(first + i)
        cum[size] = len(work)
        self.base = first
        self.first = first
        self.last = last
        self.dates = dates
        self.cum = cum
        self.work = work

    def date(self, o: int) -> _dt.date:
        """The (shared) date of ordinal ``o``."""
        i = o - self.base
        return self.dates[i] if i >= 0 else _dt.date.fromordinal(o)

    def add_wd(self, o: int, n: int) -> int:
        """The ``n``-th working day after ``o`` (``n >= 1``); ``o`` itself when ``n == 0``."""
        if n <= 0:
            return o
        return self.work[self.cum[o - self.base + 1] + n - 1]

    def next_wd(self, o: int) -> int:
        """The first working day on or after ``o``."""
        return self.work[self.cum[o - self.base]]

    def wd_between(self, a: int, b: int) -> int:
        """Working days after ``a`` up to and including ``b`` (``b >= a``)."""
        return self.cum[b - self.base + 1] - self.cum[a - self.base + 1]

    def add_months(self, o: int, months: int) -> int:
        """``o`` plus calendar months (the day clamped to the month's length)."""
        d = self.date(o)
        y, m = divmod(d.month - 1 + months, 12)
        year = d.year + y
        limit = 29 if m == 1 and _is_leap(year) else _DAYS_IN_MONTH[m]
        return _dt.date(year, m + 1, min(d.day, limit)).toordinal()


def _birthday(dob: _dt.date, years: int) -> int:
    """The ordinal of the ``years``-th birthday (29 February falls on 28 February)."""
    year = dob.year + years
    day = dob.day
    if dob.month == 2 and day == 29 and not _is_leap(year):
        day = 28
    return _dt.date(year, dob.month, day).toordinal()


_DAYS_CACHE: dict[WorkingDayCalendar, _Days] = {}


def _days_for(calendar: WorkingDayCalendar) -> _Days:
    days = _DAYS_CACHE.get(calendar)
    if days is None:
        days = _DAYS_CACHE[calendar] = _Days(calendar)
    return days


class _Window:
    """The span of the data: ordinals of its first and last day and the look-back start."""

    __slots__ = ("end", "first_year", "last_year", "start")

    def __init__(self, first_year: int, years: int) -> None:
        self.first_year = first_year
        self.last_year = first_year + years - 1
        self.start = _dt.date(first_year, 4, 1).toordinal()
        self.end = _dt.date(first_year + years, 3, 31).toordinal()
