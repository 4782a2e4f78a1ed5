"""Periods for a series: the months users name, each as in-month, year-to-date and rolling-12."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

from ..periods import Period, PeriodKind

__all__ = ["DEFAULT_KINDS", "MonthSpec", "month_of", "monthly_periods"]

MonthSpec = _dt.date | tuple[int, int] | str
"""A month: a date in it, ``(year, month)``, or text ``2025-03`` (``2025-3`` too)."""

DEFAULT_KINDS: tuple[PeriodKind, ...] = (PeriodKind.IN_MONTH, PeriodKind.YTD, PeriodKind.ROLLING_12)
"""The kinds :func:`monthly_periods` gives by default."""

_MONTH_KINDS = frozenset({*DEFAULT_KINDS, PeriodKind.QUARTER, PeriodKind.YEAR})


def month_of(value: MonthSpec) -> tuple[int, int]:
    """``(year, month)`` of a date, a pair or text ``YYYY-MM``.

    Raises:
        ValueError: the text is not ``YYYY-MM`` or the month is not 1-12.
        TypeError: the value is none of these.
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.year, value.month
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        year, month = value
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", value)
        if m is None:
            raise ValueError(f"a month is written YYYY-MM (e.g. 2025-03), got {value!r}")
        year, month = int(m[1]), int(m[2])
    else:
        raise TypeError(f"a month is a date, (year, month) or 'YYYY-MM', got {value!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month!r}")
    return year, month


def _kind_period(kind: PeriodKind, month: Period) -> Period | None:
    if kind is PeriodKind.IN_MONTH:
        return month
    if kind is PeriodKind.YTD:
        return Period.year_to_date(month.end)
    if kind is PeriodKind.ROLLING_12:
        return Period.rolling_12_months(month.end)
    if kind is PeriodKind.QUARTER:
        # Only at the last month of a quarter (June, September, December, March).
        if month.start.month % 3 != 0:
            return None
        fy = Period.financial_year_of(month.end)
        return Period.quarter(fy.start.year, (month.start.month - 4) % 12 // 3 + 1)
    # YEAR: only at March, the end of the financial year.
    if month.start.month != 3:
        return None
    return Period.financial_year(month.start.year - 1)


def monthly_periods(
    to: MonthSpec, months: int, kinds: Iterable[PeriodKind] = DEFAULT_KINDS
) -> list[Period]:
    """The last ``months`` months ending with month ``to``, each as a period of every kind.

    The list is in month order and, for each month, in the order of ``kinds``: with the
    default kinds, ``monthly_periods("2025-03", 2)`` is February 2025, YTD February 2025,
    12 months to February 2025, March 2025, YTD March 2025, 12 months to March 2025.
    ``PeriodKind.QUARTER`` and ``PeriodKind.YEAR`` give the quarter (or the financial year)
    that ends with the month, at the months that end one only.

    Args:
        to: the last month: a date in it, ``(year, month)`` or text ``2025-03``.
        months: how many months (at least 1).
        kinds: which periods of each month (``IN_MONTH``, ``YTD``, ``ROLLING_12``,
            ``QUARTER``, ``YEAR``).

    Raises:
        ValueError: ``months`` is less than 1, a kind is ``CUSTOM`` or repeated, or ``to`` is
            not a month.
    """
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months!r}")
    wanted = tuple(kinds)
    if not wanted:
        raise ValueError("kinds is empty: name at least one kind of period")
    for kind in wanted:
        if kind not in _MONTH_KINDS:
            raise ValueError(f"monthly_periods cannot build {kind} periods")
    if len(set(wanted)) != len(wanted):
        raise ValueError("kinds names a kind twice")
    year, month = month_of(to)
    index = year * 12 + month - 1 - (months - 1)
    out: list[Period] = []
    for n in range(index, index + months):
        the_month = Period.month(n // 12, n % 12 + 1)
        for kind in wanted:
            period = _kind_period(kind, the_month)
            if period is not None:
                out.append(period)
    return out
