"""Exceptions raised by csc_indicators.

Every exception the library raises on purpose derives from :class:`CscIndicatorsError`, so a
caller can catch them all at once, and each says what was wrong and with which value.
"""

from __future__ import annotations

__all__ = [
    "CalendarRangeError",
    "CscIndicatorsError",
    "InputError",
    "RecordError",
    "ResultMergeError",
]


class CscIndicatorsError(Exception):
    """Base class of every error raised on purpose by csc_indicators."""


class CalendarRangeError(CscIndicatorsError, ValueError):
    """A date lies outside the years a :class:`~csc_indicators.WorkingDayCalendar` covers.

    Raised instead of guessing, because a date outside the covered years could be a bank holiday
    the calendar does not know about.
    """


class RecordError(CscIndicatorsError, ValueError):
    """A record was built with a value of the wrong type or an unknown code.

    The message names the record type, the field and the offending value. Inconsistent *dates*
    (an end before its start) are not record errors: they are accepted as recorded and reported
    by the indicators.
    """

    def __init__(self, record_type: str, field: str, value: object, problem: str) -> None:
        self.record_type = record_type
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{record_type}.{field}: {problem} (got {value!r})")


class ResultMergeError(CscIndicatorsError, ValueError):
    """Two indicator results cannot be merged (different indicator, period or parameters)."""


class InputError(CscIndicatorsError, ValueError):
    """A statutory return file could not be read.

    Attributes name the file, the place in it (a line number or an element path), the field and
    the value, whichever are known, so the message points an analyst at the exact spot.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        location: str | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.message = message
        self.path = path
        self.location = location
        self.field = field
        self.value = value
        parts = [p for p in (path, location) if p]
        where = ":".join(parts)
        detail = message
        if field is not None:
            detail = f"{field}: {detail}"
        if value is not None:
            detail = f"{detail} (got {value!r})"
        super().__init__(f"{where}: {detail}" if where else detail)
