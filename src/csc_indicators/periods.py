"""Reporting periods: inclusive date ranges named the way councils name them.

A year is named by the calendar year in which it starts: financial year 2024 runs from
1 April 2024 to 31 March 2025 and is shown as ``2024-25``. (The CIN census header's ``Year``
names the year in which the collection *ends*; the readers convert, so users never need to.)

Every period has a :class:`PeriodKind` (in month, quarter, year to date, rolling 12 months,
financial year or custom) and a readable :attr:`~Period.label` (``December 2024``,
``Q3 2024-25``, ``YTD December 2024``, ``12 months to December 2024``, ``2024-25``).
:meth:`Period.parse` reads the short forms users type (``2024-12``, ``Q3:2024``,
``ytd:2024-12``, ``12m:2024-12``, ``2024-25``, ``2024-04-01..2025-03-31``,
``01/04/2024..31/03/2025``) and the labels themselves.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

__all__ = ["PERIOD_FORMS", "Period", "PeriodKind", "financial_year_number"]

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
_MONTH_NUMBER = {name.lower(): i + 1 for i, name in enumerate(_MONTHS)}


class PeriodKind(enum.Enum):
    """What sort of period a :class:`Period` is: how it was built and how it is named."""

    IN_MONTH = "in month"
    """One calendar month (``Period.month``)."""
    QUARTER = "quarter"
    """One quarter of a financial year (``Period.quarter``)."""
    YTD = "year to date"
    """From 1 April to a day of the same financial year (``Period.year_to_date``)."""
    ROLLING_12 = "rolling 12 months"
    """The 12 months to a day (``Period.rolling_12_months``)."""
    YEAR = "financial year"
    """1 April to 31 March (``Period.financial_year``)."""
    CUSTOM = "custom"
    """Any other range of dates (``Period(start, end)``)."""

    def __str__(self) -> str:
        return self.value


PERIOD_FORMS: tuple[tuple[str, str], ...] = (
    ("2024-12", "December 2024"),
    ("Q3:2024", "the third quarter of 2024-25 (October to December 2024)"),
    ("ytd:2024-12", "2024-25 year to date: 1 April to 31 December 2024"),
    ("12m:2024-12", "the 12 months to December 2024 (1 January to 31 December 2024)"),
    ("2024-25", "the financial year 1 April 2024 to 31 March 2025 (also fy:2024)"),
    ("2024-04-01..2025-03-31", "any dates, ISO"),
    ("01/04/2024..31/03/2025", "any dates, day/month/year"),
)
"""The short forms :meth:`Period.parse` reads, each with what it means."""


def _long(d: _dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _month_name(d: _dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.year}"


def _fy_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _month_end(d: _dt.date) -> bool:
    return (d + _dt.timedelta(days=1)).day == 1 if d < _dt.date.max else True


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


def _text(value: str | None) -> str:
    return value or ""


def _derived_label(start: _dt.date, end: _dt.date, kind: PeriodKind) -> str:
    if kind is PeriodKind.YEAR:
        return _fy_label(start.year)
    if kind is PeriodKind.QUARTER:
        year = financial_year_number(start)
        return f"Q{(start.month - 4) % 12 // 3 + 1} {_fy_label(year)}"
    if kind is PeriodKind.IN_MONTH:
        return _month_name(start)
    if kind is PeriodKind.YTD:
        return f"YTD {_month_name(end) if _month_end(end) else _long(end)}"
    if kind is PeriodKind.ROLLING_12:
        return f"12 months to {_month_name(end) if _month_end(end) else _long(end)}"
    return f"{start.isoformat()} to {end.isoformat()}"


@attrs.frozen(slots=True, repr=False)
class Period:
    """An inclusive range of dates, ``start <= d <= end``, with its kind and a readable name.

    ``d in period`` tests membership (a datetime's date part is used). Build the usual periods
    with the class methods, or read one with :meth:`parse`; ``str(period)`` gives its
    :attr:`label`, such as ``2024-25``, ``Q1 2024-25`` or ``December 2024``.

    Two periods are equal (and hash alike) when their dates are: the kind and the label do not
    take part. Results merge by period, so a financial year and the same dates typed as a range
    (``2024-04-01..2025-03-31``), or the year to date at 31 March, are one period.

    Raises:
        ValueError: ``end`` is before ``start``.
        TypeError: a boundary is not a date.
    """

    start: _dt.date = attrs.field(converter=_as_date)
    """The first day of the period."""
    end: _dt.date = attrs.field(converter=_as_date, validator=_check_order)
    """The last day of the period (inclusive)."""
    label: str = attrs.field(default="", eq=False, kw_only=True, converter=_text)
    """A readable name; derived from the kind and the dates when not given."""
    kind: PeriodKind = attrs.field(default=PeriodKind.CUSTOM, eq=False, kw_only=True)
    """What sort of period it is (custom for ``Period(start, end)``)."""

    def __attrs_post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", _derived_label(self.start, self.end, self.kind))

    # -- constructors -----------------------------------------------------------------------

    @classmethod
    def financial_year(cls, year: int) -> Period:
        """1 April ``year`` to 31 March ``year + 1`` (``financial_year(2024)`` is 2024-25)."""
        return cls(_dt.date(year, 4, 1), _dt.date(year + 1, 3, 31), kind=PeriodKind.YEAR)

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
        return cls(start, end, kind=PeriodKind.QUARTER)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``month`` of calendar year ``year`` (an in-month period)."""
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1-12, got {month!r}")
        start = _dt.date(year, month, 1)
        end = start + relativedelta(months=1, days=-1)
        return cls(start, end, kind=PeriodKind.IN_MONTH)

    @classmethod
    def rolling_12_months(cls, end: _dt.date) -> Period:
        """The 12 months ending on ``end``, inclusive: from the day after ``end`` minus 1 year.

        When ``end`` is the last day of a month, the period is the 12 whole months to it,
        named ``12 months to February 2025`` (1 March 2024 to 28 February 2025: the day after
        ``end``, 1 March 2025, minus 1 year); else it is named ``12 months to 5 January 2025``
        (6 January 2024 to 5 January 2025)."""
        end = _as_date(end)
        if _month_end(end) and end < _dt.date.max:
            start = end + _dt.timedelta(days=1) - relativedelta(years=1)
        else:
            start = end - relativedelta(years=1) + _dt.timedelta(days=1)
        return cls(start, end, kind=PeriodKind.ROLLING_12)

    @classmethod
    def year_to_date(cls, day: _dt.date) -> Period:
        """From 1 April of the financial year containing ``day`` to ``day``.

        Named ``YTD December 2024`` when ``day`` is the last day of a month, else
        ``YTD 5 January 2025``."""
        day = _as_date(day)
        fy = cls.financial_year_of(day)
        return cls(fy.start, day, kind=PeriodKind.YTD)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period as users write it.

        The short forms (:data:`PERIOD_FORMS`): ``2024-12`` (a month), ``Q3:2024`` (quarter 3
        of 2024-25), ``ytd:2024-12`` (1 April 2024 to 31 December 2024), ``12m:2024-12`` (the 12
        months to December 2024), ``2024-25`` or ``fy:2024`` (a financial year),
        ``2024-04-01..2025-03-31`` and ``01/04/2024..31/03/2025`` (any dates, both included).
        ``ytd:`` and ``12m:`` also take a day (``ytd:2025-01-05``). The labels are read too
        (``December 2024``, ``Q3 2024-25``, ``YTD December 2024``,
        ``12 months to 5 January 2025``), so ``Period.parse(str(p)) == p`` for every period
        the constructors build; :attr:`code` gives the short form. Case and spaces around the
        text do not matter.

        ``YYYY-MM`` is always a month: the financial years 2000-01 to 2011-12 are written
        ``fy:2000`` to ``fy:2011``.

        Raises:
            ValueError: the text is none of these forms, or names a day that does not exist;
                the message lists the forms accepted.
        """
        if not isinstance(text, str):
            raise TypeError(f"a period to parse must be text, got {text!r}")
        try:
            period = _parse(text.strip())
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"cannot read {text!r} as a period: {exc}") from None
        if period is None:
            forms = ", ".join(form for form, _ in PERIOD_FORMS)
            raise ValueError(f"cannot read {text!r} as a period: expected one of {forms}")
        return period

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

    @property
    def code(self) -> str:
        """The short form :meth:`parse` reads back to this period, of the same kind:
        ``2024-12``, ``Q3:2024``, ``ytd:2024-12``, ``12m:2024-12``, ``2024-25`` (``fy:2011``
        for the years whose short name reads as a month) or ``2024-04-01..2025-03-31``."""
        start, end, kind = self.start, self.end, self.kind
        if kind is PeriodKind.YEAR:
            label = _fy_label(start.year)
            return f"fy:{start.year}" if 1 <= (start.year + 1) % 100 <= 12 else label
        if kind is PeriodKind.QUARTER:
            return f"Q{(start.month - 4) % 12 // 3 + 1}:{financial_year_number(start)}"
        if kind is PeriodKind.IN_MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        if kind in (PeriodKind.YTD, PeriodKind.ROLLING_12):
            prefix = "ytd" if kind is PeriodKind.YTD else "12m"
            day = f"{end.year:04d}-{end.month:02d}" if _month_end(end) else end.isoformat()
            return f"{prefix}:{day}"
        return f"{start.isoformat()}..{end.isoformat()}"

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period.parse({self.code!r})"


def financial_year_number(day: _dt.date) -> int:
    """The financial year containing ``day``, named by the calendar year it starts in (2024 for
    2024-25: 1 April 2024 to 31 March 2025). A number, so that it exists for every date (a day
    in January to March of year 1 gives 0, a year no :class:`Period` can start in)."""
    day = _as_date(day)
    return day.year if day.month >= 4 else day.year - 1


# -- parsing ----------------------------------------------------------------------------------

_YM = r"(\d{4})-(\d{1,2})"
_ISO = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_UK = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_MONTH_WORD = r"([a-z]+)\s+(\d{4})"
_LONG_DAY = r"(\d{1,2})\s+([a-z]+)\s+(\d{4})"


def _day(text: str) -> _dt.date | None:
    """A single day: ISO, day/month/year or ``5 January 2025``."""
    try:
        return _day_or_none(text)
    except ValueError:
        raise ValueError(f"no such day: {text!r}") from None


def _day_or_none(text: str) -> _dt.date | None:
    if m := re.fullmatch(_ISO, text):
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(_UK, text):
        return _dt.date(int(m[3]), int(m[2]), int(m[1]))
    if (m := re.fullmatch(_LONG_DAY, text)) and m[2] in _MONTH_NUMBER:
        return _dt.date(int(m[3]), _MONTH_NUMBER[m[2]], int(m[1]))
    return None


def _month_last_day(text: str) -> _dt.date | None:
    """The last day of a month written ``2024-12`` or ``December 2024``, or a day."""
    m = re.fullmatch(_YM, text)
    if m:
        return Period.month(int(m[1]), int(m[2])).end
    m = re.fullmatch(_MONTH_WORD, text)
    if m and m[1] in _MONTH_NUMBER:
        return Period.month(int(m[2]), _MONTH_NUMBER[m[1]]).end
    return _day(text)


def _fy(text: str) -> int | None:
    """The starting year of a financial year written ``2024-25``, ``2024-2025`` or ``1999-00``."""
    m = re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})", text)
    if not m:
        return None
    year, second = int(m[1]), m[2]
    following = (year + 1) % 100 if len(second) == 2 else year + 1
    if int(second) != following:
        if len(second) == 2:
            raise ValueError(
                f"{text!r} is neither a month (01 to 12) nor a financial year ({_fy_label(year)})"
            )
        raise ValueError(f"{text!r}: a financial year's second year follows its first")
    return year


def _parse(text: str) -> Period | None:
    low = re.sub(r"\s+", " ", text.lower())
    for separator in ("..", " to "):
        if separator in low:
            first, _, last = low.partition(separator)
            start, end = _day(first.strip()), _day(last.strip())
            if start is not None and end is not None:
                return Period(start, end)
            if separator == "..":
                return None
    if m := re.fullmatch(r"q([1-4])\s*[: ]\s*(.+)", low):
        year = int(m[2]) if re.fullmatch(r"\d{4}", m[2]) else _fy(m[2])
        return None if year is None else Period.quarter(year, int(m[1]))
    for prefix, build in (
        (r"ytd\s*:?\s*", Period.year_to_date),
        (r"(?:12m\s*:\s*|12 months to\s+)", Period.rolling_12_months),
    ):
        if m := re.fullmatch(prefix + r"(.+)", low):
            day = _month_last_day(m[1].strip())
            return None if day is None else build(day)
    if m := re.fullmatch(r"fy:\s*(\d{4})", low):
        return Period.financial_year(int(m[1]))
    if m := re.fullmatch(_YM, low):
        month = int(m[2])
        if 1 <= month <= 12:
            return Period.month(int(m[1]), month)
    if (m := re.fullmatch(_MONTH_WORD, low)) and m[1] in _MONTH_NUMBER:
        return Period.month(int(m[2]), _MONTH_NUMBER[m[1]])
    year = _fy(low)
    if year is not None:
        return Period.financial_year(year)
    return None
