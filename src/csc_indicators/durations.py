"""Durations: the one way indicators express a calendar interval (a window, a time in care, a
review interval).

An :data:`Interval` is either a :class:`dateutil.relativedelta.relativedelta` of calendar years
and months (``relativedelta(months=12)``: 29 February plus one year is 28 February) or a
:class:`datetime.timedelta` of days (``timedelta(days=365)``). Every indicator parameter that
is a length of time is an ``Interval`` (named ``window``, ``within``, ``min_duration``, ...);
limits counted in *working* days stay whole numbers (``limit``) with a
:class:`~csc_indicators.calendar.DayCount` convention.

:func:`after` and :func:`before` move a date by an interval (:func:`adder` gives a function
doing the first, fast for whole calendar months, for the hot loops of indicators);
:func:`describe` writes one in words (``12 months``, ``365 days``) and :func:`parse_interval`
reads such words back, so a parameter given on the command line (``--param window=12m``) is
the same value.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import re
from collections.abc import Callable
from typing import TypeAlias

from dateutil.relativedelta import relativedelta

__all__ = ["Interval", "adder", "after", "before", "describe", "parse_interval"]

Interval: TypeAlias = relativedelta | _dt.timedelta
"""A calendar interval: calendar years and months (``relativedelta``) or days (``timedelta``)."""


def after(day: _dt.date, interval: Interval) -> _dt.date:
    """``day`` plus ``interval`` (29 February plus one year is 28 February)."""
    return day + interval


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def adder(interval: Interval) -> Callable[[_dt.date], _dt.date]:
    """``lambda day: after(day, interval)``, faster for whole calendar years and months (the
    same day of the month so many months later, or that month's last day when it is shorter,
    as ``relativedelta`` gives it)."""
    if not isinstance(interval, relativedelta) or interval != relativedelta(
        years=interval.years, months=interval.months
    ):
        return lambda day: after(day, interval)
    months = 12 * interval.years + interval.months

    def plus(day: _dt.date) -> _dt.date:
        m = day.month - 1 + months
        y = day.year + m // 12
        m = m % 12 + 1
        d = day.day
        if d > 28:
            last = 29 if m == 2 and _calendar.isleap(y) else _MONTH_DAYS[m]
            d = min(d, last)
        return _dt.date(y, m, d)

    return plus


def before(day: _dt.date, interval: Interval) -> _dt.date:
    """``day`` minus ``interval`` (29 February minus one year is 28 February)."""
    return day - interval


def describe(interval: Interval) -> str:
    """An interval in words: ``365 days``, ``12 months``, ``2 years 6 months``."""
    if isinstance(interval, _dt.timedelta):
        return f"{interval.days} day{'' if interval.days == 1 else 's'}"
    parts = [
        f"{n} {unit if n == 1 else unit + 's'}"
        for n, unit in (
            (interval.years, "year"),
            (interval.months, "month"),
            (interval.days, "day"),
        )
        if n
    ]
    return " ".join(parts) or "0 days"


_PART = r"(-?\d+)\s*(days|day|d|weeks|week|wks|wk|w|months|month|mos|mo|m|years|year|yrs|yr|y)?"
_INTERVAL = re.compile(rf"^\s*{_PART}(?:\s*,?\s+{_PART})*\s*$", re.I)
_INTERVAL_PART = re.compile(_PART, re.I)


def parse_interval(text: str, *, allow_relative: bool = True, allow_fixed: bool = True) -> Interval:
    """Read an interval written in words: ``365`` or ``365 days`` or ``365d`` (days),
    ``2 weeks``, ``12 months`` or ``12m``, ``2 years`` or ``2y``, and sums such as
    ``2 years 6 months``.

    Days alone give a ``timedelta`` when ``allow_fixed``; anything with months or years gives a
    ``relativedelta`` (and is refused unless ``allow_relative``).

    Raises:
        ValueError: the text is not an interval, or its kind is not allowed.
    """
    if not _INTERVAL.match(text):
        raise ValueError("expected whole numbers with units, e.g. 730 days, 2 years, 3 months")
    days = months = 0
    for number, unit in _INTERVAL_PART.findall(text):
        n = int(number)
        u = (unit or "d").lower()[0]
        if u == "d":
            days += n
        elif u == "w":
            days += 7 * n
        elif u == "m":
            months += n
        else:
            months += 12 * n
    if months and not allow_relative:
        raise ValueError("expected days or weeks (months and years are not fixed lengths)")
    if not months and allow_fixed:
        return _dt.timedelta(days=days)
    years, rest = divmod(months, 12)
    return relativedelta(years=years, months=rest, days=days)
