"""Reading the values of another team's list: dates, yes/no flags and measures, as spreadsheets
and case-management systems write them.

Each reader returns ``None`` for an empty cell and raises :class:`ValueError`, with a short
description of what was expected, for anything it cannot read: nothing is guessed.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["read_date", "read_flag", "read_measure"]

_EXCEL_EPOCH = _dt.date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.0+)?$")
_NAMED = ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y")

_TRUE = frozenset(
    {"y", "yes", "1", "true", "t", "met", "within", "in time", "on time", "counted", "included"}
)
_FALSE = frozenset(
    {
        "n",
        "no",
        "0",
        "false",
        "f",
        "not met",
        "notmet",
        "unmet",
        "outside",
        "late",
        "not counted",
        "excluded",
    }
)
_EMPTY = frozenset({"", "na", "n/a", "null", "none", "-"})


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # d/m/yy: 00-69 are 2000-2069, 70-99 are 1970-1999 (as spreadsheets do)
        year += 2000 if year < 70 else 1900
    return year


def read_date(value: object) -> _dt.date | None:
    """A date from a cell: a ``date`` or ``datetime``, ISO ``2024-05-01`` (a time is ignored),
    UK ``01/05/2024`` or ``1/5/24`` (also with ``-`` or ``.``), ``2024/05/01``, ``20240501``,
    ``1 May 2024`` or ``01-May-24``, or an Excel serial number (``45413``).

    Raises:
        ValueError: none of these, or no such day (``31/02/2024``).
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, (int, float)):
        return _serial(float(value))
    text = str(value).strip()
    if text.lower() in _EMPTY:
        return None
    try:
        if m := _ISO.match(text) or _YMD_SLASH.match(text) or _COMPACT.match(text):
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _DMY.match(text):
            return _dt.date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        if _SERIAL.match(text):
            return _serial(float(text))
    except ValueError as exc:
        raise ValueError(f"no such day ({exc})") from None
    for fmt in _NAMED:
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date (expected YYYY-MM-DD, DD/MM/YYYY, D/M/YY or an Excel serial)")


def _serial(number: float) -> _dt.date:
    if number != int(number) or not 1 <= number <= 2958465:
        raise ValueError("not a date (an Excel serial is a whole number of days)")
    return _EXCEL_EPOCH + _dt.timedelta(days=int(number))


def read_flag(value: object) -> bool | None:
    """A yes/no flag from a cell: ``Y``/``N``, yes/no, 1/0, true/false, met/not met (any case).

    Raises:
        ValueError: anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = " ".join(str(value).split()).lower()
    if text in _EMPTY:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("not a yes/no value (expected Y/N, yes/no, 1/0, true/false, met/not met)")


def read_measure(value: object) -> int | float | None:
    """A measure from a cell: a whole number (``45``, ``45.0``) or a decimal (``12.5``).

    Raises:
        ValueError: not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        number: float = value
    else:
        text = str(value).strip().replace(",", "")
        if text.lower() in _EMPTY:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError("not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a number")
    return int(number) if float(number).is_integer() else number
