"""Plumbing shared by every indicator: calendars, grouping by child, stable ordering."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from ..calendar import WorkingDayCalendar, default_calendar
from ..results import ValueKind

__all__ = ["HasChildId", "by_child", "iso", "resolve_calendar"]


class HasChildId(Protocol):
    """Any record that belongs to one child."""

    @property
    def child_id(self) -> str: ...


R = TypeVar("R", bound=HasChildId)


def resolve_calendar(calendar: WorkingDayCalendar | None) -> WorkingDayCalendar:
    """The calendar to use: the one given, or England and Wales when ``None``."""
    return default_calendar() if calendar is None else calendar


def by_child(
    records: Iterable[R], key: Callable[[R], tuple[object, ...]] | None = None
) -> dict[str, list[R]]:
    """Group records by child id, children in sorted id order, each child's records sorted by
    ``key`` (a total order, so the result never depends on the input order)."""
    groups: defaultdict[str, list[R]] = defaultdict(list)
    for record in records:
        groups[record.child_id].append(record)
    ordered: dict[str, list[R]] = {}
    for child_id in sorted(groups):
        items = groups[child_id]
        if key is not None and len(items) > 1:  # a lone record needs no key
            items.sort(key=key)
        ordered[child_id] = items
    return ordered


def iso(day: _dt.date | None) -> str:
    """A date as ``YYYY-MM-DD`` for reasons and details (``-`` when missing)."""
    return "-" if day is None else day.isoformat()


def count_kind(population: int | None) -> ValueKind:
    """The value kind of an activity count: a rate per 10,000 children when the 0-17
    population is given, a plain count otherwise.

    Raises:
        ValueError: the population is given but is not a positive whole number.
    """
    if population is None:
        return ValueKind.COUNT
    if isinstance(population, bool) or not isinstance(population, int) or population <= 0:
        raise ValueError(f"population must be a positive whole number, got {population!r}")
    return ValueKind.RATE_PER_10K
