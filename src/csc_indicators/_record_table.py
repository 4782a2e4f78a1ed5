"""A bundle's records of one kind as a :class:`RecordTable`: a tuple that remembers what the
indicators derive from it alike, so that repeated use (a series, a report, an indicator and
its distribution) derives it once.

A :class:`~csc_indicators.Bundle` holds each kind of record as a ``RecordTable`` (its
converter makes one). It is a ``tuple`` in every way a caller can see (equal to the tuple of
the same records, the same ``repr``, pickled as a plain tuple's contents) and, like every
tuple of frozen records, it never changes, so a fact derived from it holds for as long as it
lives. The facts live on the table itself and go with it: nothing is kept in a module-level
cache, and a list or a plain tuple passed to an indicator is simply worked out each time.

What is remembered is small and keyed by what it depends on: whether the table is in order
of child, then of a start date, and the children with two records of one event (decision
D14), which every call would otherwise find by looking every record's child up
(:func:`child_order`); the records with a date recorded (:func:`with_date`). Finding such a
fact costs about what one call spends doing without it, so it is found the second time it is
asked for, not the first: a table used once (one indicator in a scorecard) costs what a list
costs (issue #12). One fact is found the first time: where the records of each child with a
record dated in a span lie (:func:`dated_runs`), since finding it is the very pass its caller
makes anyway; the indicators of a scorecard that group one table by one date then make that
pass once between them.

Private: :class:`RecordTable` is not exported; the public type stays ``tuple``.
"""

from __future__ import annotations

import datetime as _dt
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, islice
from operator import attrgetter, eq, le
from typing import Any, TypeVar

import attrs

__all__ = [
    "ChildOrder",
    "DatedRuns",
    "RecordTable",
    "as_table",
    "child_order",
    "dated_runs",
    "remembered_runs",
    "with_date",
]

T = TypeVar("T")


class RecordTable(tuple[Any, ...]):
    """An immutable table of records (a ``tuple``) with the facts derived from it remembered
    in its ``__dict__``. Made by :func:`as_table`."""

    def __reduce__(self) -> tuple[type[RecordTable], tuple[tuple[Any, ...]]]:
        # Pickled as the records alone: what was derived is derived again where needed.
        return (RecordTable, (tuple(self),))


def as_table(records: Iterable[Any]) -> RecordTable:
    """``records`` as a :class:`RecordTable` (the same one when it already is one, with what
    it remembers)."""
    if type(records) is RecordTable:
        return records
    return RecordTable(records)


_MISSING = object()


@attrs.frozen(slots=True)
class ChildOrder:
    """What is known of a table in order of child, then of one of its fields (the order the
    readers and the synthetic generator give): :func:`child_order`."""

    twins: Mapping[str, tuple[Any, ...]]
    """The children with two records of one value of that field (of one event, decision
    D14; the same record twice included), children in id order, each with all their records
    in the table's order."""


def child_order(records: Sequence[Any], same: Callable[[Any], Any]) -> ChildOrder | None:
    """For a :class:`RecordTable` in ascending order of child id, then of ``same`` (a start
    date, say): what is known of it (:class:`ChildOrder`), found once, the second time it is
    asked for, and remembered. ``None`` for anything else (a list, a table in another order,
    a table asked for the first time): the caller works out what it needs itself.

    Found by comparing each record with the next, field by field, in C loops (no tuple or
    hash per record): its cost is about that of one pass looking every record's child up,
    which is what a call without it spends on finding twins each time."""
    return _on_reuse(records, ("child order", same), lambda rs: _child_order(rs, same))


def _child_order(records: Sequence[Any], same: Callable[[Any], Any]) -> ChildOrder | None:
    ids = list(map(_CHILD, records))
    if not all(map(le, ids, islice(ids, 1, None))):
        return None
    # Each record and the next when they are of one child: their values of `same`.
    of_one = list(map(eq, ids, islice(ids, 1, None)))
    events = list(map(same, records))
    before = list(compress(events, of_one))
    after = list(compress(islice(events, 1, None), of_one))
    try:
        if not all(map(le, before, after)):
            return None
    except TypeError:  # values that do not compare (None beside a date): order unknown
        return None
    tied = list(map(eq, before, after))
    twins: dict[str, tuple[Any, ...]] = {}
    if any(tied):
        for child_id in sorted(set(compress(compress(ids, of_one), tied))):
            lo, hi = bisect_left(ids, child_id), bisect_right(ids, child_id)
            twins[child_id] = tuple(records[lo:hi])
    return ChildOrder(twins)


_CHILD = attrgetter("child_id")


def with_date(records: Sequence[Any], when: Callable[[Any], Any]) -> Sequence[Any]:
    """The records whose ``when`` date is recorded (not ``None``), in their order: found once,
    the second time they are asked for, and remembered on a :class:`RecordTable` (the
    enquiries with a conference, say, fewer than half of them); otherwise the records are
    given back as they are, for the caller's own test of the date to pass over."""
    got = _on_reuse(records, ("with date", when), lambda rs: [r for r in rs if when(r) is not None])
    return records if got is None else got


DatedRuns = tuple[list[str], "array[int]", "array[int]"]
"""The children with a record dated in a span, in id order, and where each child's records
start and stop in the table: :func:`dated_runs`."""

_SPANS_KEPT = 4


def dated_runs(
    records: Sequence[Any],
    when: Callable[[Any], _dt.date | None],
    first: _dt.date,
    last: _dt.date,
) -> DatedRuns | None:
    """For records in ascending child id order (each child's records together, as the
    readers and the synthetic generator give them): the children with a record whose
    ``when`` date lies from ``first`` to ``last``, in id order, and the positions where each
    child's records start and stop; ``None`` for records in another order.

    One pass, one comparison per record, then a few numbers per child kept. On a
    :class:`RecordTable` they are remembered from the first request (finding them is the
    pass its caller makes anyway, and they take 24 bytes a child): the indicators of a
    scorecard that group a table's children by one date (referrals received and
    re-referrals; the enquiries' and the conferences' counts) make that pass once between
    them. Only for a ``when`` that is an ``attrgetter``, told apart by the field it reads
    (each module makes its own): any other function could be new on each call, and what it
    found would pile up on the table. The last few spans of each field are kept."""
    if not _keeps_runs(records, when):
        return _dated_runs(records, when, first, last)
    held: dict[Any, Any] = records.__dict__
    key = ("dated runs", repr(when))
    spans = held.get(key)
    if spans is None:
        spans = held[key] = {}
    span = (first, last)
    got = spans.get(span, _MISSING)
    if got is _MISSING:
        got = _dated_runs(records, when, first, last)
        if len(spans) >= _SPANS_KEPT:
            del spans[next(iter(spans))]  # the oldest span asked for
        spans[span] = got
    return got  # type: ignore[no-any-return]


def remembered_runs(
    records: Sequence[Any],
    when: Callable[[Any], _dt.date | None],
    first: _dt.date,
    last: _dt.date,
) -> DatedRuns | None:
    """:func:`dated_runs`, only where they are remembered (a :class:`RecordTable` and an
    ``attrgetter``); ``None`` elsewhere, and for a table out of child order. For a caller
    with a cheaper way of its own on a list."""
    return dated_runs(records, when, first, last) if _keeps_runs(records, when) else None


def _keeps_runs(records: Sequence[Any], when: Callable[[Any], object]) -> bool:
    """Whether :func:`dated_runs` are remembered for ``records`` by ``when``."""
    return type(records) is RecordTable and type(when) is attrgetter


def _dated_runs(
    records: Sequence[Any],
    when: Callable[[Any], _dt.date | None],
    first: _dt.date,
    last: _dt.date,
) -> DatedRuns | None:
    ids: list[str] = []
    starts: array[int] = array("q")
    stops: array[int] = array("q")
    if not records:
        return ids, starts, stops
    previous = records[0].child_id
    start = 0
    hit = False
    for i, record in enumerate(records):
        child_id = record.child_id
        if child_id != previous:
            if previous > child_id:
                return None
            if hit:
                ids.append(previous)
                starts.append(start)
                stops.append(i)
                hit = False
            previous = child_id
            start = i
        if not hit and (day := when(record)) is not None and first <= day <= last:
            hit = True
    if hit:
        ids.append(previous)
        starts.append(start)
        stops.append(len(records))
    return ids, starts, stops


_ASKED = object()


def _on_reuse(records: Sequence[Any], key: object, make: Callable[[Any], T]) -> T | None:
    """``make(records)``, remembered under ``key`` on a :class:`RecordTable` from the second
    time it is asked for; ``None`` the first time, and for anything else. Finding a fact
    costs about what a call that does without it spends, so a fact asked for once (one
    indicator over one table, as in a scorecard) is not worth finding; from the second
    request on (the same indicator again, a distribution beside it, a report) it is."""
    if type(records) is not RecordTable:
        return None
    held: dict[Any, Any] = records.__dict__
    got = held.get(key, _MISSING)
    if got is _MISSING:
        held[key] = _ASKED
        return None
    if got is _ASKED:
        got = held[key] = make(records)
    return got  # type: ignore[no-any-return]
