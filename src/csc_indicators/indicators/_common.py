"""Plumbing shared by every indicator: calendars, grouping by child, stable ordering."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from .._record_table import dated_runs
from ..calendar import WorkingDayCalendar, default_calendar
from ..results import ValueKind

__all__ = [
    "HasChildId",
    "by_child",
    "in_child_order",
    "in_child_order_dated",
    "iso",
    "one_each_in_order",
    "resolve_calendar",
]


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
    every = records if isinstance(records, (list, tuple)) else list(records)
    ordered = in_child_order(every)
    if ordered is None:
        groups: defaultdict[str, list[R]] = defaultdict(list)
        for record in every:
            groups[record.child_id].append(record)
        ordered = {child_id: groups[child_id] for child_id in sorted(groups)}
    if key is not None:
        for items in ordered.values():
            if len(items) > 1:  # a lone record needs no key
                items.sort(key=key)
    return ordered


def in_child_order(records: Sequence[R]) -> dict[str, list[R]] | None:
    """The records grouped by child id, children in sorted id order, each child's records in
    the given order, when the records come in ascending child id order (each child's records
    together, as the readers and the synthetic generator give them); ``None`` otherwise.

    The same grouping as a dictionary of lists filled record by record, then sorted by child
    id, without looking every record up in a table keyed by child id: on a large bundle,
    where that table no longer fits in the processor's caches, that look-up costs more per
    record the more children there are (issue #12)."""
    groups: dict[str, list[R]] = {}
    it = iter(records)
    for start in it:
        previous = start.child_id
        items = groups[previous] = [start]
        break
    else:
        return groups
    for record in it:
        child_id = record.child_id
        if child_id == previous:
            items.append(record)
        elif previous < child_id:
            previous = child_id
            items = groups[child_id] = [record]
        else:
            return None
    return groups


def in_child_order_dated(
    records: Sequence[R],
    when: Callable[[R], _dt.date | None],
    first: _dt.date,
    last: _dt.date,
) -> list[tuple[str, list[R]]] | None:
    """The children with a record whose ``when`` date lies from ``first`` to ``last``, in
    sorted id order, each with all their records in the given order (a new list each), when
    the records come in ascending child id order (as :func:`in_child_order`); ``None``
    otherwise.

    One pass, one comparison per record and a slice per child kept: no table keyed by child
    id (see :func:`in_child_order`). Where each child's records lie is remembered on a
    bundle's table (:func:`~csc_indicators._record_table.dated_runs`), so that the
    indicators grouping it by the same date make the pass once."""
    runs = dated_runs(records, when, first, last)
    if runs is None:
        return None
    ids, starts, stops = runs
    slices = map(records.__getitem__, map(slice, starts, stops))
    return list(zip(ids, map(list, slices), strict=True))


def one_each_in_order(records: Iterable[R]) -> dict[str, R] | None:
    """Each record by its child id, when the records come in strictly ascending child id
    order (one record per child, as the readers and the synthetic generator give the
    children's header facts); ``None`` otherwise.

    For a choice among a child's records that would sort every record by child id and
    content: with one record per child there is nothing to choose, and the records are
    already in child id order (sorting them again costs more per record the more there are,
    issue #12)."""
    out: dict[str, R] = {}
    previous: str | None = None
    for record in records:
        child_id = record.child_id
        if previous is not None and not previous < child_id:
            return None
        out[child_id] = record
        previous = child_id
    return out


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
