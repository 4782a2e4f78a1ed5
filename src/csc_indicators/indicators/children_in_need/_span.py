"""What the children-in-need indicators evaluated over many periods share: the span of the
periods (:class:`PeriodSpan`: which periods hold a day), the children with events in it
(:func:`children_with_events`) and those of them with twins (:func:`twin_children`, decision
D14), found from a bundle's table in child order without a look-up per record when it can.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from ..._record_table import ChildOrder, remembered_runs
from ...periods import Period
from .._common import HasChildId, in_child_order_dated

__all__ = ["PeriodSpan", "children_with_events", "twin_children"]

R = TypeVar("R", bound=HasChildId)


class PeriodSpan:
    """The periods of an evaluation over many periods, from the first start to the last end,
    with, for a day, the positions of the periods holding it (worked out once for each
    stretch of days between two period boundaries)."""

    __slots__ = (
        "_by_end",
        "_cuts",
        "_holding",
        "_stretches",
        "ends",
        "first",
        "last",
        "periods",
        "starts",
    )

    def __init__(self, periods: Sequence[Period]) -> None:
        self.periods: tuple[Period, ...] = tuple(periods)
        """The periods, in order."""
        self.starts: tuple[_dt.date, ...] = tuple(p.start for p in self.periods)
        """Each period's first day."""
        self.ends: tuple[_dt.date, ...] = tuple(p.end for p in self.periods)
        """Each period's last day."""
        self.first: _dt.date = min(self.starts, default=_dt.date.max)
        """The first day of any period."""
        self.last: _dt.date = max(self.ends, default=_dt.date.min)
        """The last day of any period."""
        # The days on which the periods holding a day change: a period's start, the day after
        # its end. The days from one cut to the next are held by the same periods.
        one = _dt.timedelta(days=1)
        self._cuts = sorted({*self.starts, *(e + one for e in self.ends if e < _dt.date.max)})
        self._stretches: dict[int, tuple[tuple[int, ...], _dt.date, _dt.date]] = {}
        self._holding: dict[_dt.date, tuple[tuple[int, ...], _dt.date, _dt.date]] = {}
        self._by_end: dict[_dt.date, tuple[tuple[int, ...], list[_dt.date]]] = {}

    def _of(self, day: _dt.date) -> tuple[tuple[int, ...], _dt.date, _dt.date]:
        got = self._holding.get(day)
        if got is None:
            stretch = bisect.bisect_right(self._cuts, day)
            got = self._stretches.get(stretch)
            if got is None:
                held = tuple(
                    n
                    for n, (s, e) in enumerate(zip(self.starts, self.ends, strict=True))
                    if s <= day <= e
                )
                got = self._stretches[stretch] = (
                    held,
                    min((self.starts[n] for n in held), default=_dt.date.max),
                    min((self.ends[n] for n in held), default=_dt.date.max),
                )
            self._holding[day] = got
        return got

    def holding(self, day: _dt.date) -> tuple[int, ...]:
        """The positions of the periods holding ``day``, in order."""
        return self._of(day)[0]

    def earliest_start(self, day: _dt.date) -> _dt.date:
        """The earliest start of the periods holding ``day`` (``date.max`` if none does)."""
        return self._of(day)[1]

    def earliest_end(self, day: _dt.date) -> _dt.date:
        """The earliest end of the periods holding ``day`` (``date.max`` if none does)."""
        return self._of(day)[2]

    def split_at(self, day: _dt.date, known: _dt.date) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The positions of the periods holding ``day`` that end before ``known`` (a date not
        yet known at their end), and of those ending on or after it."""
        got = self._by_end.get(day)
        if got is None:
            order = tuple(sorted(self.holding(day), key=self.ends.__getitem__))
            got = self._by_end[day] = (order, [self.ends[n] for n in order])
        order, ends = got
        i = bisect.bisect_left(ends, known)
        return order[:i], order[i:]

    def by_first(self, days: Sequence[_dt.date], k: int) -> tuple[list[int], dict[int, list[int]]]:
        """For the ``k``-th of one child's dates ``days`` (in order): the positions of the
        periods holding it in which it is the child's first date, and the other periods
        holding it, by the index of the first of the dates they hold."""
        firsts: list[int] = []
        others: dict[int, list[int]] = {}
        for n in self.holding(days[k]):
            j = bisect.bisect_left(days, self.starts[n], 0, k)
            if j == k:
                firsts.append(n)
            else:
                others.setdefault(j, []).append(n)
        return firsts, others


def children_with_events(
    records: Iterable[R],
    when: Callable[[R], _dt.date | None],
    span: PeriodSpan,
    *,
    same: Callable[[R], _dt.date],
    key: Callable[[R], tuple[object, ...]],
    in_order: bool = True,
) -> list[tuple[str, list[R], bool]]:
    """The children with a record whose ``when`` date lies in the ``span``, in sorted id order,
    each with all their records in ``key`` order (as
    :func:`~csc_indicators.indicators._common.by_child` gives them) and whether two of them
    are twins (the same ``same`` date, decision D14).

    ``key`` must start with ``same``: a child with no twins then has its records sorted by
    ``same`` alone (the same order, without building a key per record). ``in_order=False``:
    a child with no twins keeps its records in the order given (for a caller that only
    tallies them)."""
    every = records if isinstance(records, (list, tuple)) else list(records)
    first, last = span.first, span.last
    ordered = in_child_order_dated(every, when, first, last)  # records in child order
    if ordered is None:
        wanted = {r.child_id for r in every if (w := when(r)) is not None and first <= w <= last}
        groups: dict[str, list[R]] = {}
        for r in every:
            child_id = r.child_id
            if child_id in wanted:
                group = groups.get(child_id)
                if group is None:
                    groups[child_id] = [r]
                else:
                    group.append(r)
        ordered = [(child_id, groups[child_id]) for child_id in sorted(groups)]
    out: list[tuple[str, list[R], bool]] = []
    for child_id, items in ordered:
        if len(items) == 1:
            out.append((child_id, items, False))
            continue
        twins = len(set(map(same, items))) < len(items)
        if twins:
            items.sort(key=key)
        elif in_order:
            items.sort(key=same)
        out.append((child_id, items, twins))
    return out


def twin_children(
    records: Sequence[R],
    in_span: Sequence[R],
    when: Callable[[R], _dt.date | None],
    span: PeriodSpan,
    *,
    same: Callable[[R], object],
    key: Callable[[R], tuple[object, ...]],
    order: ChildOrder | None,
) -> dict[str, list[R]]:
    """Of the children with a record whose ``when`` date lies in the ``span`` (``in_span``,
    in the order given), those with twins (two records with the same ``same`` date, decision D14),
    each with all their ``records`` in ``key`` order (ties in the order given), as
    :func:`children_with_events` gives them.

    ``order``: what is known of ``records`` in order of child, then of ``same``
    (:func:`~csc_indicators._record_table.child_order`, asked for once by the caller), whose
    children with twins are all that is looked at then. Otherwise, on a bundle's table in
    child order, where each child's records lie (remembered on the table:
    :func:`~csc_indicators._record_table.remembered_runs`); else one pass over the records
    looks up each one's child, and only the other records of these children are grouped."""
    if order is not None:
        if not order.twins:
            return {}
        first, last = span.first, span.last
        return {
            child_id: sorted(items, key=key)
            for child_id, items in order.twins.items()
            if any((w := when(r)) is not None and first <= w <= last for r in items)
        }
    runs = remembered_runs(records, when, span.first, span.last)
    if runs is not None:
        # A bundle's table in child order: where the records of each child with a record in
        # the span lie (found in one pass, shared with the other indicators grouping it by
        # the same date); only the children with more than one record are looked at.
        found: dict[str, list[R]] = {}
        for child_id, lo, hi in zip(*runs, strict=True):
            if hi - lo > 1:
                items = list(records[lo:hi])
                if len(set(map(same, items))) < len(items):
                    found[child_id] = sorted(items, key=key)
        return found
    one_each = {r.child_id: r for r in in_span}  # one record in the span per child
    get = one_each.get
    others = [r for r in records if (o := get(r.child_id)) is not None and o is not r]
    extra = len(in_span) - len(one_each)  # records in the span besides one_each's
    if not others and not extra:
        return {}
    groups: dict[str, list[R]] = {}
    for r in others:
        group = groups.get(r.child_id)
        if group is None:
            groups[r.child_id] = [r]
        else:
            group.append(r)
    out: dict[str, list[R]] = {}
    for child_id, group in groups.items():
        mine = same(one_each[child_id])
        if len(group) == 1:
            if same(group[0]) == mine:
                out[child_id] = group
            continue
        events = {same(r) for r in group}
        if mine in events or len(events) < len(group):
            out[child_id] = group
    if extra > len(others) or (
        extra
        and extra
        > len([r for r in others if (w := when(r)) is not None and span.first <= w <= span.last])
    ):
        # A record named by one_each given more than once (the same object): its own twin.
        seen: set[int] = set()
        for r in in_span:
            if id(r) in seen:
                out[r.child_id] = []
            seen.add(id(r))
    # Each twin child's records in the order given: the one named by one_each placed by its
    # key, unless it ties on the whole key with a different record (then in the order of the
    # records, taken again from them in one pass).
    again: set[str] = set()
    for child_id, group in out.items():
        mine = one_each[child_id]
        mine_key = key(mine)
        if not group or any(key(r) == mine_key and r != mine for r in group):
            again.add(child_id)
        else:
            group.append(mine)
    if again:
        for child_id in again:
            out[child_id] = []
        for r in records:
            if r.child_id in again:
                out[r.child_id].append(r)
    for group in out.values():
        group.sort(key=key)
    return out
