"""Parsing of the values the statutory returns hold, shared by every reader.

One implementation of each conversion, so that the CIN census reader and the SSDA903 reader
accept exactly the same forms. Every function raises :class:`ValueError` with a short message
saying what was expected; the readers turn it into a located
:class:`~csc_indicators.errors.InputError` or :class:`~csc_indicators.results.DataIssue`.
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["parse_bool", "parse_date", "parse_int"]

_DATE_CACHE: dict[str, _dt.date] = {}
_DATE_CACHE_LIMIT = 200_000

_BAD_DATE = "not a date: expected dd/mm/yyyy or yyyy-mm-dd"


def _parse_date_uncached(text: str) -> _dt.date:
    if "/" in text:
        parts = text.split("/")
        if (
            len(parts) != 3
            or len(parts[2]) != 4
            or not all(p.isdigit() and p.isascii() and 1 <= len(p) <= 4 for p in parts)
            or len(parts[0]) > 2
            or len(parts[1]) > 2
        ):
            raise ValueError(_BAD_DATE)
        day, month, year = (int(p) for p in parts)
    elif len(text) == 10 and text[4] == "-" and text[7] == "-":
        digits = text[:4] + text[5:7] + text[8:]
        if not (digits.isdigit() and digits.isascii()):
            raise ValueError(_BAD_DATE)
        year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    else:
        raise ValueError(_BAD_DATE)
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise ValueError("not a date: no such day") from None


def parse_date(text: str) -> _dt.date:
    """A date written ``dd/mm/yyyy`` (one-digit day or month accepted) or ``yyyy-mm-dd``.

    Raises:
        ValueError: the text is not a date in either form, or names a day that does not exist.
    """
    cached = _DATE_CACHE.get(text)
    if cached is not None:
        return cached
    value = _parse_date_uncached(text)
    if len(_DATE_CACHE) < _DATE_CACHE_LIMIT:
        _DATE_CACHE[text] = value
    return value


_TRUE = frozenset({"1", "true", "y", "yes"})
_FALSE = frozenset({"0", "false", "n", "no"})


def parse_bool(text: str) -> bool:
    """A flag: ``1``/``true``/``Y``/``yes`` or ``0``/``false``/``N``/``no`` (any case).

    Raises:
        ValueError: anything else.
    """
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("not a flag: expected 1/0 or true/false")


def parse_int(text: str) -> int:
    """A whole number written in decimal digits (an optional sign).

    Raises:
        ValueError: anything else.
    """
    body = text[1:] if text[:1] in "+-" else text
    if not (body.isdigit() and body.isascii()):
        raise ValueError("not a whole number")
    return int(text)
