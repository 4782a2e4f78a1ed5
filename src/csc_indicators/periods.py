"""Reporting periods: inclusive date ranges named the way councils name them.

A year is named by the calendar year in which it starts: financial year 2024 runs from
1 April 2024 to 31 March 2025 and is shown as ``2024-25``. (The CIN census header's ``Year``
names the year in which the collection *ends*; the readers convert, so users never need to.)
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

__all__ = ["Period", "financial_year_number"]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _long(d: _dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _fy_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _as_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    raise TypeError(f"a period boundary must be a date, got {value!r}")


def _check_order(instance: Period, attribute: attrs.Attribute[_dt.date], value: _dt.date) -> None:
    if instance.start > value:
        raise ValueError(
            f"a period cannot end before it starts ({instance.start.isoformat()} > "
            f"{value.isoformat()})"
        )


@attrs.frozen(slots=True)
class Period:
    """An inclusive range of dates, ``start <= d <= end``.

    ``d in period`` tests membership (a datetime's date part is used). Build the usual periods
    with the class methods; ``str(period)`` gives a readable name such as ``2024-25``,
    ``Q1 2024-25`` or ``December 2024``.

    Raises:
        ValueError: ``end`` is before ``start``.
        TypeError: a boundary is not a date.
    """

    start: _dt.date = attrs.field(converter=_as_date)
    """The first day of the period."""
    end: _dt.date = attrs.field(converter=_as_date, validator=_check_order)
    """The last day of the period (inclusive)."""
    label: str | None = attrs.field(default=None, eq=False, kw_only=True)
    """A readable name; derived from the dates when not given."""

    # -- constructors -----------------------------------------------------------------------

    @classmethod
    def financial_year(cls, year: int) -> Period:
        """1 April ``year`` to 31 March ``year + 1`` (``financial_year(2024)`` is 2024-25)."""
        return cls(_dt.date(year, 4, 1), _dt.date(year + 1, 3, 31), label=_fy_label(year))

    @classmethod
    def financial_year_of(cls, day: _dt.date) -> Period:
        """The financial year that contains ``day``."""
        return cls.financial_year(financial_year_number(day))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter 1-4 of financial year ``year``: Q1 is April-June, Q4 is January-March."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1, 2, 3 or 4, got {quarter!r}")
        first_month = 4 + 3 * (quarter - 1)
        start = _dt.date(year, 1, 1) + relativedelta(months=first_month - 1)
        end = start + relativedelta(months=3, days=-1)
        return cls(start, end, label=f"Q{quarter} {_fy_label(year)}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``month`` of calendar year ``year``."""
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1-12, got {month!r}")
        start = _dt.date(year, month, 1)
        end = start + relativedelta(months=1, days=-1)
        return cls(start, end, label=f"{_MONTHS[month - 1]} {year}")

    @classmethod
    def rolling_12_months(cls, end: _dt.date) -> Period:
        """The 12 months ending on ``end``, inclusive: from the day after ``end`` minus 1 year."""
        end = _as_date(end)
        start = end - relativedelta(years=1) + _dt.timedelta(days=1)
        return cls(start, end, label=f"12 months to {_long(end)}")

    @classmethod
    def year_to_date(cls, day: _dt.date) -> Period:
        """From 1 April of the financial year containing ``day`` to ``day``."""
        day = _as_date(day)
        fy = cls.financial_year_of(day)
        return cls(fy.start, day, label=f"{fy} to {_long(day)}")

    # -- queries ----------------------------------------------------------------------------

    def __contains__(self, day: object) -> bool:
        if type(day) is _dt.date:  # the hot path: indicators test millions of dates
            return self.start <= day <= self.end
        if isinstance(day, _dt.datetime):
            day = day.date()
        if not isinstance(day, _dt.date):
            return False
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """The number of calendar days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        if self.label:
            return self.label
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def financial_year_number(day: _dt.date) -> int:
    """The financial year containing ``day``, named by the calendar year it starts in (2024 for
    2024-25: 1 April 2024 to 31 March 2025). A number, so that it exists for every date (a day
    in January to March of year 1 gives 0, a year no :class:`Period` can start in)."""
    day = _as_date(day)
    return day.year if day.month >= 4 else day.year - 1
