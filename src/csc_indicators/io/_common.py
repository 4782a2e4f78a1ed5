"""What every reader shares: the two error modes and turning bad values into located problems."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import attrs

from ..errors import InputError, RecordError
from ..results import DataIssue
from ._values import parse_bool, parse_date, parse_int

__all__ = ["QUOTE_LIMIT", "BadValue", "Errors", "NotAReturn", "Problems", "check_errors", "shown"]

QUOTE_LIMIT = 40
"""Characters of an offending value a message quotes; a longer value is cut, with its length."""


def shown(value: object) -> object:
    """``value`` as a message quotes it: a string longer than :data:`QUOTE_LIMIT` characters is
    cut to its first ``QUOTE_LIMIT`` characters followed by ``... (N characters)``, so that a
    hostile file cannot make a message as large as itself."""
    if isinstance(value, str) and len(value) > QUOTE_LIMIT:
        return f"{value[:QUOTE_LIMIT]}... ({len(value):,} characters)"
    return value


Errors = Literal["raise", "collect"]
"""``"raise"``: stop at the first problem with an InputError; ``"collect"``: load everything
that can be loaded and list every problem in ``Bundle.issues``."""

T = TypeVar("T")


def check_errors(errors: str) -> None:
    """Reject an unknown ``errors`` mode."""
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")


class NotAReturn(InputError):
    """The file as a whole is not a readable return (missing, empty, not XML, another root,
    or refused for safety): nothing in it can be loaded, in either error mode."""


Location = str | Callable[[], str]
"""A place in a file, or a function giving it (computed only when a problem is reported)."""


class BadValue(Exception):
    """A value that cannot be read; the reader catches it and reports it with its place."""

    def __init__(self, field: str, value: object, message: str, location: Location) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.message = message
        self.location = location if isinstance(location, str) else location()


def _item_name(cls: type, attribute: str) -> str:
    if attrs.has(cls):
        for a in attrs.fields(cls):
            if a.name == attribute:
                return str(a.metadata.get("item", attribute))
    return attribute


class Problems:
    """Collects (``errors="collect"``) or raises (``errors="raise"``) the problems of one file."""

    def __init__(self, path: str | os.PathLike[str], errors: Errors) -> None:
        check_errors(errors)
        self.path = os.fspath(path)
        self.collect = errors == "collect"
        self.issues: list[DataIssue] = []

    def report(
        self,
        message: str,
        *,
        location: str | None = None,
        field: str | None = None,
        value: object = None,
        kind: str = "input",
        child_id: str | None = None,
    ) -> None:
        """A problem that stops a value or record being loaded: raised or collected."""
        if not self.collect:
            raise InputError(
                message, path=self.path, location=location, field=field, value=shown(value)
            )
        self.note(
            message, location=location, field=field, value=value, kind=kind, child_id=child_id
        )

    def note(
        self,
        message: str,
        *,
        location: str | None = None,
        field: str | None = None,
        value: object = None,
        kind: str = "input",
        child_id: str | None = None,
    ) -> None:
        """A fact worth knowing that does not stop loading (always collected, never raised)."""
        where = f"{self.path}:{location}" if location else self.path
        self.issues.append(
            DataIssue(
                message, child_id, None, kind, location=where, field=field, value=shown(value)
            )
        )

    def bad(self, exc: BadValue, what: str, child_id: str | None = None) -> None:
        """Report a :class:`BadValue`: the record ``what`` it belonged to is not loaded."""
        kind = "unknown code" if "code" in exc.message else "input"
        message = f"{exc.message}; {what} not loaded" if self.collect else exc.message
        self.report(
            message,
            location=exc.location,
            field=exc.field,
            value=exc.value,
            kind=kind,
            child_id=child_id,
        )

    def build(
        self,
        cls: Callable[..., T],
        location: Callable[[str], str],
        what: str,
        **values: Any,
    ) -> T | None:
        """Build a record; a RecordError (unknown code, missing id) is reported, ``None`` back.

        ``location`` gives the place of a field (by its statutory item name), so the report
        points at the offending value."""
        try:
            return cls(**values)
        except RecordError as exc:
            field = _item_name(cls if isinstance(cls, type) else type(None), exc.field)
            problem = exc.problem
            kind = "unknown code" if problem.startswith("unknown") else "input"
            child = values.get("child_id")
            self.report(
                f"{problem}; {what} not loaded" if self.collect else problem,
                location=location(field),
                field=field,
                value=exc.value,
                kind=kind,
                child_id=child if isinstance(child, str) else None,
            )
            return None


def convert(
    text: str | None,
    field: str,
    location: Location,
    parse: Callable[[str], T],
    *,
    required: bool = False,
) -> T | None:
    """Parse one optional value (``None``/blank -> ``None``); raise :class:`BadValue` if bad."""
    if text is None or not text.strip():
        if required:
            raise BadValue(field, None, "missing: a value is required", location)
        return None
    stripped = text.strip()
    try:
        return parse(stripped)
    except ValueError as exc:
        raise BadValue(field, stripped, str(exc), location) from None


def date_of(text: str | None, field: str, location: Location, *, required: bool = False) -> Any:
    """An optional (or required) date."""
    return convert(text, field, location, parse_date, required=required)


def bool_of(text: str | None, field: str, location: Location, *, required: bool = False) -> Any:
    """An optional (or required) flag."""
    return convert(text, field, location, parse_bool, required=required)


def int_of(text: str | None, field: str, location: Location) -> int | None:
    """An optional whole number."""
    return convert(text, field, location, parse_int)


def report_skipped(p: Problems, skipped: list[str], where: str) -> None:
    """Note each element found where the return has none (its content is not read)."""
    for path in skipped:
        tag = path.rsplit("/", 1)[-1]
        p.note(
            f"an element {tag} where {where} has none: its content is not read",
            location=path,
            field=tag,
            kind="not read",
        )
