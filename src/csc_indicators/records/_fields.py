"""Field builders shared by every record type: typed, validated, documented attrs fields.

Each builder returns an ``attrs.field`` whose converter checks the value's type (and code list)
and raises :class:`~csc_indicators.errors.RecordError` naming the record type, the field and the
value. ``metadata["item"]`` names the statutory item the field holds.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import RecordError

__all__ = [
    "POSTCODE_DISTRICT",
    "code",
    "codes",
    "date",
    "dates",
    "flag",
    "identifier",
    "optional_date",
    "optional_flag",
    "optional_int",
    "postcode_district",
]


def _fail(instance_type: str, name: str, value: object, problem: str) -> RecordError:
    return RecordError(instance_type, name, value, problem)


def _validator(check: Any) -> Any:
    """Wrap a check(value) -> None|str into an attrs validator raising RecordError."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        problem = check(value)
        if problem:
            raise _fail(type(instance).__name__, attribute.name, value, problem)

    return validate


def _to_date(value: object) -> object:
    # Converters run before validators; leave anything that is not a date for the validator.
    return value.date() if isinstance(value, _dt.datetime) else value


def _date_problem(value: object) -> str | None:
    return None if isinstance(value, _dt.date) else "must be a datetime.date"


def _optional_date_problem(value: object) -> str | None:
    return None if value is None or isinstance(value, _dt.date) else "must be a date or None"


def identifier(item: str) -> Any:
    """A required, non-empty string id (e.g. the child's LA id)."""

    def problem(value: object) -> str | None:
        if not isinstance(value, str):
            return "must be a string"
        if not value.strip():
            return "must not be empty"
        return None

    return attrs.field(validator=_validator(problem), metadata={"item": item})


def date(item: str) -> Any:
    """A required date (a datetime is reduced to its date)."""
    return attrs.field(
        converter=_to_date, validator=_validator(_date_problem), metadata={"item": item}
    )


def optional_date(item: str) -> Any:
    """An optional date, ``None`` when not recorded."""
    return attrs.field(
        default=None,
        converter=_to_date,
        validator=_validator(_optional_date_problem),
        metadata={"item": item},
    )


def dates(item: str) -> Any:
    """A tuple of dates (any iterable of dates is accepted), in the order recorded."""

    def convert(value: object) -> object:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            return value
        return tuple(_to_date(v) for v in value)

    def problem(value: object) -> str | None:
        if not isinstance(value, tuple):
            return "must be an iterable of dates"
        if not all(isinstance(v, _dt.date) for v in value):
            return "every element must be a datetime.date"
        return None

    return attrs.field(
        default=(), converter=convert, validator=_validator(problem), metadata={"item": item}
    )


def flag(item: str, default: bool = False) -> Any:
    """A boolean flag."""

    def problem(value: object) -> str | None:
        return None if isinstance(value, bool) else "must be True or False"

    return attrs.field(default=default, validator=_validator(problem), metadata={"item": item})


def optional_flag(item: str) -> Any:
    """An optional boolean, ``None`` when not recorded."""

    def problem(value: object) -> str | None:
        return None if value is None or isinstance(value, bool) else "must be True, False or None"

    return attrs.field(default=None, validator=_validator(problem), metadata={"item": item})


def optional_int(item: str, minimum: int | None = 0) -> Any:
    """An optional whole number (at least ``minimum`` when given)."""

    def problem(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number or None"
        if minimum is not None and value < minimum:
            return f"must be at least {minimum}"
        return None

    return attrs.field(default=None, validator=_validator(problem), metadata={"item": item})


def code(item: str, allowed: frozenset[str], *, required: bool = True) -> Any:
    """A code from a code list; unknown codes raise a RecordError naming the list.

    Surrounding white space is removed and letters are upper-cased before the check, as the
    returns are case-insensitive in practice.
    """

    def convert(value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper()
            if value == "" and not required:
                return None
        return value

    listed = ", ".join(sorted(allowed))

    def problem(value: object) -> str | None:
        if value is None:
            return "is required" if required else None
        if not isinstance(value, str):
            return "must be a code (a string)"
        if value not in allowed:
            return f"unknown {item} code; expected one of {listed}"
        return None

    kwargs: dict[str, Any] = {} if required else {"default": None}
    return attrs.field(
        converter=convert, validator=_validator(problem), metadata={"item": item}, **kwargs
    )


def codes(item: str, allowed: frozenset[str]) -> Any:
    """A tuple of codes from one code list (any iterable of codes is accepted; each is trimmed
    and upper-cased), in the order recorded; empty when none is recorded."""
    listed = ", ".join(sorted(allowed))

    def convert(value: object) -> object:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            return value
        return tuple(v.strip().upper() if isinstance(v, str) else v for v in value)

    def problem(value: object) -> str | None:
        if not isinstance(value, tuple):
            return "must be an iterable of codes"
        for v in value:
            if not isinstance(v, str):
                return "every element must be a code (a string)"
            if v not in allowed:
                return f"unknown {item} code {v!r}; expected one of {listed}"
        return None

    return attrs.field(
        default=(), converter=convert, validator=_validator(problem), metadata={"item": item}
    )


POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
"""A postcode district (the outward code of a UK postcode: ``SW1A``, ``M1``, ``WV27``)."""


def postcode_district(item: str) -> Any:
    """An optional postcode district: the outward code only (``WV27``), never a full postcode;
    ``None`` when not recorded."""

    def convert(value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper()
            return value or None
        return value

    def problem(value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not POSTCODE_DISTRICT.match(value):
            return "must be a postcode district (an outward code such as WV27) or None"
        return None

    return attrs.field(
        default=None, converter=convert, validator=_validator(problem), metadata={"item": item}
    )
