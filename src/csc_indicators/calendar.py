"""Working days: the calendar every working-day timescale is measured with.

A working day is any day that is not a weekend day and not a holiday of the calendar. The
England and Wales calendar (:meth:`WorkingDayCalendar.england_and_wales`) takes its bank holidays
from the ``holidays`` package (country GB, subdivision ENG), which matches the GOV.UK list,
including the one-off days of 2022 and 2023 (3 June 2022, 19 September 2022, 8 May 2023).

Counting is O(1) per call: the calendar precomputes, once, the running count of working days for
every date it covers, so a count between two dates is one subtraction of two list entries.

References:
    * Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33 (20 working
      days for the first looked-after review).
    * Working Together to Safeguard Children (15 working days to the initial child protection
      conference; 45 working days for an assessment).
    * GOV.UK bank holidays for England and Wales, https://www.gov.uk/bank-holidays.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Final

from .errors import CalendarRangeError

__all__ = ["DEFAULT_FIRST_YEAR", "DEFAULT_LAST_YEAR", "DayCount", "WorkingDayCalendar"]

DEFAULT_FIRST_YEAR: Final = 2000
"""The first calendar year the England and Wales calendar covers."""
DEFAULT_LAST_YEAR: Final = 2035
"""The last calendar year the England and Wales calendar covers: fixed in each release (not
"today + N years"), so results computed a year apart use the same calendar and merge. Widening
it is a data update, noted in the changelog."""
_FIRST_COVERED_YEAR: Final = DEFAULT_FIRST_YEAR


class DayCount(enum.Enum):
    """How the working days between two dates are counted.

    All three conventions agree whenever both dates are working days; they differ only when the
    start or the end falls on a weekend or holiday. For ``end < start`` every convention returns
    the negative of the count from ``end`` to ``start``.
    """

    EXCLUSIVE_START = "exclusive_start"
    """Working days ``d`` with ``start < d <= end``: the start day is day 0 and the next
    working day is day 1 (the default; same day = 0)."""

    EXCLUSIVE_END = "exclusive_end"
    """Working days ``d`` with ``start <= d < end`` (what ``numpy.busday_count`` returns)."""

    INCLUSIVE_MINUS_ONE = "inclusive_minus_one"
    """Working days ``d`` with ``start <= d <= end``, minus one (a spreadsheet's
    ``NETWORKDAYS - 1``). A non-working day counted against itself gives -1."""

    def __str__(self) -> str:
        return self.name


_EXCLUSIVE_START: Final = DayCount.EXCLUSIVE_START
_EXCLUSIVE_END: Final = DayCount.EXCLUSIVE_END
_INCLUSIVE_MINUS_ONE: Final = DayCount.INCLUSIVE_MINUS_ONE


def _ordinal(value: object, name: str) -> int:
    if not isinstance(value, _dt.date):
        raise TypeError(f"{name} must be a datetime.date or datetime.datetime, got {value!r}")
    # datetime.datetime is a subclass of date and its toordinal() uses the date part only.
    return value.toordinal()


class WorkingDayCalendar:
    """An immutable working-day calendar: weekend days plus a set of holiday dates.

    Args:
        holidays: dates that are not working days (bank holidays, closure days). Dates falling
            on a weekend day are allowed and change nothing.
        weekend: weekday numbers that are never working days (Monday is 0, Sunday is 6).
        first_year, last_year: the calendar years covered. By default a calendar with holidays
            covers the years from the first to the last holiday given, and a calendar with no
            holidays (weekends only) covers 1900 to 2199. Any date outside the covered years
            raises :class:`~csc_indicators.errors.CalendarRangeError`.
        name: a short description, shown in results and reports.

    Raises:
        ValueError: a weekday number outside 0-6, every day of the week a weekend day, or
            ``first_year > last_year``.
    """

    __slots__ = (
        "_base",
        "_cumulative",
        "_first_year",
        "_holidays",
        "_inclusive",
        "_last_year",
        "_name",
        "_size",
        "_weekend",
        "_working_ordinals",
    )

    _base: int
    _cumulative: list[int]
    _first_year: int
    _holidays: frozenset[_dt.date]
    _inclusive: list[int]
    _last_year: int
    _name: str
    _size: int
    _weekend: frozenset[int]
    _working_ordinals: list[int]

    def __init__(
        self,
        holidays: Iterable[_dt.date] = (),
        weekend: Iterable[int] = (5, 6),
        *,
        first_year: int | None = None,
        last_year: int | None = None,
        name: str | None = None,
    ) -> None:
        days = frozenset(d.date() if isinstance(d, _dt.datetime) else d for d in holidays)
        for d in days:
            if not isinstance(d, _dt.date):
                raise TypeError(f"holidays must be dates, got {d!r}")
        weekend_days = frozenset(weekend)
        for w in weekend_days:
            if not isinstance(w, int) or not 0 <= w <= 6:
                raise ValueError(f"weekend days are numbered 0 (Monday) to 6 (Sunday), got {w!r}")
        if len(weekend_days) == 7:
            raise ValueError("a calendar needs at least one working weekday")
        if first_year is None:
            first_year = min((d.year for d in days), default=1900)
        if last_year is None:
            last_year = max((d.year for d in days), default=2199)
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        if first_year < 1 or last_year > 9998:
            raise ValueError("covered years must lie between 1 and 9998")

        base = _dt.date(first_year, 1, 1).toordinal()
        stop = _dt.date(last_year + 1, 1, 1).toordinal()
        size = stop - base
        holiday_ordinals = {d.toordinal() for d in days}
        # _cumulative[i] = number of working days strictly before the date base + i,
        # for i in 0..size; _working_ordinals lists the working days in order.
        cumulative = [0] * (size + 1)
        working: list[int] = []
        count = 0
        weekday = _dt.date.fromordinal(base).weekday()
        for i in range(size):
            cumulative[i] = count
            ordinal = base + i
            if weekday not in weekend_days and ordinal not in holiday_ordinals:
                count += 1
                working.append(ordinal)
            weekday = 0 if weekday == 6 else weekday + 1
        cumulative[size] = count

        set_ = object.__setattr__
        set_(self, "_base", base)
        set_(self, "_cumulative", cumulative)
        set_(self, "_first_year", first_year)
        set_(self, "_holidays", days)
        # _inclusive[i] = working days up to and including base + i (the default convention).
        set_(self, "_inclusive", cumulative[1:])
        set_(self, "_last_year", last_year)
        set_(self, "_name", name or "custom working-day calendar")
        set_(self, "_size", size)
        set_(self, "_weekend", weekend_days)
        set_(self, "_working_ordinals", working)

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def england_and_wales(cls, extra_closures: Iterable[_dt.date] = ()) -> WorkingDayCalendar:
        """The England and Wales calendar: Saturdays, Sundays and bank holidays.

        Bank holidays come from the ``holidays`` package (country GB, subdivision ENG) for every
        year from 2000 to 2035 (:data:`DEFAULT_FIRST_YEAR` to :data:`DEFAULT_LAST_YEAR`, fixed
        in the release: the calendar never depends on the current date). ``extra_closures`` adds
        local closure days (for example a council's Christmas closure); closures outside the
        covered years raise :class:`~csc_indicators.errors.CalendarRangeError`.
        """
        import holidays as _holidays  # local import: only this constructor needs it

        last = DEFAULT_LAST_YEAR
        years = range(_FIRST_COVERED_YEAR, last + 1)
        bank = _holidays.country_holidays("GB", subdiv="ENG", years=years)
        closures = [d.date() if isinstance(d, _dt.datetime) else d for d in extra_closures]
        for d in closures:
            if not _FIRST_COVERED_YEAR <= d.year <= last:
                raise CalendarRangeError(
                    f"closure date {d.isoformat()} is outside the covered years "
                    f"{_FIRST_COVERED_YEAR}-{last}"
                )
        name = "England and Wales bank holidays"
        if closures:
            name += f" plus {len(set(closures))} local closure day(s)"
        return cls(
            list(bank.keys()) + closures,
            first_year=_FIRST_COVERED_YEAR,
            last_year=last,
            name=name,
        )

    # -- facts ------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """A short description of the calendar."""
        return self._name

    @property
    def holidays(self) -> frozenset[_dt.date]:
        """The holiday dates the calendar was built with."""
        return self._holidays

    @property
    def weekend(self) -> frozenset[int]:
        """The weekday numbers that are never working days (Monday is 0)."""
        return self._weekend

    @property
    def first_date(self) -> _dt.date:
        """The first date the calendar covers (1 January of its first year)."""
        return _dt.date(self._first_year, 1, 1)

    @property
    def last_date(self) -> _dt.date:
        """The last date the calendar covers (31 December of its last year)."""
        return _dt.date(self._last_year, 12, 31)

    # -- queries ----------------------------------------------------------------------------

    def _index(self, value: object, name: str) -> int:
        i = _ordinal(value, name) - self._base
        if 0 <= i < self._size:
            return i
        assert isinstance(value, _dt.date)
        raise CalendarRangeError(
            f"{name} {value.isoformat()} is outside the years this calendar covers "
            f"({self._first_year}-{self._last_year}); its bank holidays are unknown"
        )

    def is_working_day(self, day: _dt.date) -> bool:
        """Whether ``day`` is a working day (a datetime's date part is used)."""
        i = self._index(day, "day")
        return self._cumulative[i + 1] != self._cumulative[i]

    def working_days(
        self,
        start: _dt.date,
        end: _dt.date,
        convention: DayCount = DayCount.EXCLUSIVE_START,
    ) -> int:
        """The number of working days from ``start`` to ``end`` under ``convention``.

        With the default :attr:`DayCount.EXCLUSIVE_START` this counts the working days after
        ``start`` up to and including ``end``, so the same day is 0 and "within N working days"
        means ``working_days(start, end) <= N``. When ``end < start`` the result is the negative
        of ``working_days(end, start, convention)``.

        Raises:
            CalendarRangeError: either date is outside the covered years.
            TypeError: either argument is not a date.
        """
        # The hot path of every working-day indicator: two look-ups and a subtraction.
        base, size = self._base, self._size
        try:
            s = start.toordinal() - base
            e = end.toordinal() - base
        except AttributeError:
            raise TypeError(
                f"start and end must be datetime.date or datetime.datetime, got "
                f"{start!r} and {end!r}"
            ) from None
        if not (0 <= s < size and 0 <= e < size):
            self._index(start, "start")
            self._index(end, "end")
        if convention is _EXCLUSIVE_START:
            w = self._inclusive
            return w[e] - w[s]
        c = self._cumulative
        if convention is _EXCLUSIVE_END:
            return c[e] - c[s]
        if convention is _INCLUSIVE_MINUS_ONE:
            if e >= s:
                return c[e + 1] - c[s] - 1
            return -(c[s + 1] - c[e] - 1)
        raise TypeError(f"convention must be a DayCount, got {convention!r}")

    def counter(
        self, convention: DayCount = DayCount.EXCLUSIVE_START
    ) -> Callable[[_dt.date, _dt.date], int]:
        """:meth:`working_days` with ``convention`` fixed, as a function of the two dates: the
        same counts and the same errors, for a loop over many records (the two look-ups and
        the subtraction, without the method's dispatch)."""
        base, size = self._base, self._size
        working_days = self.working_days
        if convention is _EXCLUSIVE_START:
            table = self._inclusive
        elif convention is _EXCLUSIVE_END:
            table = self._cumulative
        else:

            def other(start: _dt.date, end: _dt.date) -> int:
                return working_days(start, end, convention)

            return other

        def count(start: _dt.date, end: _dt.date) -> int:
            try:
                s = start.toordinal() - base
                e = end.toordinal() - base
            except AttributeError:
                return working_days(start, end, convention)  # raises the TypeError
            if 0 <= s < size and 0 <= e < size:
                return table[e] - table[s]
            return working_days(start, end, convention)  # raises the CalendarRangeError

        return count

    def ordinal_table(
        self, convention: DayCount = DayCount.EXCLUSIVE_START
    ) -> tuple[int, Sequence[int]] | None:
        """The working-day count as a table of ordinals, for a loop over many records:
        ``(base, table)`` such that, for two dates the calendar covers (``0 <= i < len(table)``
        for both ``i = date.toordinal() - base``), ``working_days(start, end, convention)`` is
        ``table[e] - table[s]``. ``None`` for a convention not counted so
        (``INCLUSIVE_MINUS_ONE``): use :meth:`working_days`."""
        if convention is _EXCLUSIVE_START:
            return self._base, self._inclusive
        if convention is _EXCLUSIVE_END:
            return self._base, self._cumulative[: self._size]
        return None

    def working_days_many(
        self,
        starts: Sequence[_dt.date],
        ends: Sequence[_dt.date],
        convention: DayCount = DayCount.EXCLUSIVE_START,
    ) -> list[int]:
        """``working_days`` for many pairs at once: ``[wd(s, e) for s, e in zip(starts, ends)]``.

        Raises:
            ValueError: the sequences differ in length.
            CalendarRangeError, TypeError: as :meth:`working_days`.
        """
        if len(starts) != len(ends):
            raise ValueError(f"{len(starts)} starts but {len(ends)} ends")
        to_ordinal = _dt.date.toordinal
        try:
            s_ord = list(map(to_ordinal, starts))
            e_ord = list(map(to_ordinal, ends))
        except TypeError:
            raise TypeError("starts and ends must hold datetime.date values") from None
        return self.working_days_ordinals(s_ord, e_ord, convention)

    def working_days_ordinals(
        self,
        starts: Sequence[int],
        ends: Sequence[int],
        convention: DayCount = DayCount.EXCLUSIVE_START,
    ) -> list[int]:
        """``working_days`` for many pairs of dates given as ordinals (``date.toordinal()``).

        For callers that already hold their dates as ordinal numbers (columns of a data
        pipeline, say): no date objects are touched, so this is as fast as a vectorised
        ``numpy.busday_count`` on prebuilt arrays.

        Raises:
            ValueError: the sequences differ in length.
            CalendarRangeError: an ordinal is outside the covered years.
        """
        if len(starts) != len(ends):
            raise ValueError(f"{len(starts)} starts but {len(ends)} ends")
        if not starts:
            return []
        base, size = self._base, self._size
        lo = min(min(starts), min(ends)) - base
        hi = max(max(starts), max(ends)) - base
        if lo < 0 or hi >= size:
            bad = next(o for o in (*starts, *ends) if not 0 <= o - base < size)
            self._index(_dt.date.fromordinal(bad), "date")
        if convention is _EXCLUSIVE_START:
            w = self._inclusive
            return [w[e - base] - w[s - base] for s, e in zip(starts, ends, strict=True)]
        if convention is _EXCLUSIVE_END:
            c = self._cumulative
            return [c[e - base] - c[s - base] for s, e in zip(starts, ends, strict=True)]
        from_ordinal = _dt.date.fromordinal
        return [
            self.working_days(from_ordinal(s), from_ordinal(e), convention)
            for s, e in zip(starts, ends, strict=True)
        ]

    def add_working_days(self, day: _dt.date, n: int) -> _dt.date:
        """The ``n``-th working day after ``day`` (``n >= 1``) or before it (``n <= -1``).

        ``n == 0`` returns ``day`` itself (as a date). For ``n >= 0`` and any working day ``e``,
        ``working_days(day, e) <= n`` exactly when ``e <= add_working_days(day, n)``; for
        ``n < 0`` the same holds when ``day`` is itself a working day.

        Raises:
            CalendarRangeError: ``day`` or the answer is outside the covered years.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {n!r}")
        i = self._index(day, "day")
        if n == 0:
            return _dt.date.fromordinal(self._base + i)
        c = self._cumulative
        # c[i + 1] working days up to and including day; c[i] strictly before it.
        k = c[i + 1] + n - 1 if n > 0 else c[i] + n
        if not 0 <= k < len(self._working_ordinals):
            direction = "after" if n > 0 else "before"
            raise CalendarRangeError(
                f"the {abs(n)}th working day {direction} {_dt.date.fromordinal(self._base + i)} "
                f"is outside the years this calendar covers ({self._first_year}-{self._last_year})"
            )
        return _dt.date.fromordinal(self._working_ordinals[k])

    # -- value semantics --------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkingDayCalendar is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("WorkingDayCalendar is immutable")

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Rebuild from the defining facts (the precomputed tables are derived).
        return (
            _rebuild,
            (
                sorted(self._holidays),
                sorted(self._weekend),
                self._first_year,
                self._last_year,
                self._name,
            ),
        )

    def _key(self) -> tuple[frozenset[_dt.date], frozenset[int], int, int]:
        return (self._holidays, self._weekend, self._first_year, self._last_year)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingDayCalendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"<WorkingDayCalendar {self._name!r}, {self._first_year}-{self._last_year}, "
            f"{len(self._holidays)} holidays, weekend={sorted(self._weekend)}>"
        )

    def __str__(self) -> str:
        return self._name


def _rebuild(
    holidays: list[_dt.date], weekend: list[int], first_year: int, last_year: int, name: str
) -> WorkingDayCalendar:
    return WorkingDayCalendar(
        holidays, weekend, first_year=first_year, last_year=last_year, name=name
    )


_DEFAULT: list[WorkingDayCalendar] = []


def default_calendar() -> WorkingDayCalendar:
    """The England and Wales calendar, built once per process and shared.

    Indicators use it when their ``calendar`` parameter is ``None``.
    """
    if not _DEFAULT:
        _DEFAULT.append(WorkingDayCalendar.england_and_wales())
    return _DEFAULT[0]
