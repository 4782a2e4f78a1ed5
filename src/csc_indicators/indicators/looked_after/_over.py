"""Plumbing for the looked-after event indicators evaluated over many periods at once
(:func:`~csc_indicators.registry.over_periods`): adoptions, returns to care, children ceasing
to be looked after and leaving care.

An event is decided once, placed by its date, except where the decision depends on what is
known at the period end (decision D15: twin episodes, a period of care ending X1), which is
decided period by period: :class:`HistoriesOver` gives each child's history and where its
decisions go (a :class:`Where`); ``Decisions.pinned`` makes decisions pinned to some periods.

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence

from ..._history_cache import remembered
from ...care_history import ChildHistory, HistoryRun, build_histories, build_history, histories_on
from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.looked_after import Episode
from ._ends import AtEnd, Places, Rows, histories_at_ends

__all__ = ["SUMMARY", "HistoriesOver", "Where", "rows_at_ends", "runs_at_ends"]


SUMMARY = "(summary: not kept)"
"""The reason given for an outcome left out when outcomes are not kept (never shown)."""


class Where:
    """Where one child's decisions go: every period holding a decision's day (the child is
    decided once, whatever the period), or the period at position ``n`` only (the child is
    decided period by period, with what is known at its end)."""

    __slots__ = ("d", "end", "first", "last", "n", "periods", "pin")

    def __init__(self, d: Decisions, periods: Sequence[Period], n: int | None = None) -> None:
        self.d = d
        """The decisions."""
        self.periods = periods
        """Every period, in the order of the results."""
        self.n = n
        """The position of the one period, ``None`` for every period."""
        self.pin: tuple[int, ...] | None = None if n is None else (n,)
        """The ``periods=`` of a decision placed here (``None``: placed by its day)."""
        one = None if n is None else periods[n]
        self.end: _dt.date | None = None if one is None else one.end
        """The end of the one period (``None`` for every period)."""
        self.first = min(p.start for p in periods) if one is None else one.start
        """The first day a decision here may be on."""
        self.last = max(p.end for p in periods) if one is None else one.end
        """The last day a decision here may be on."""

    def holds(self, day: _dt.date | None) -> bool:
        """Whether ``day`` may be in a period here (a decision on another day is not made)."""
        return day is not None and self.first <= day <= self.last

    def sink(self, day: _dt.date) -> Sink:
        """Where the decisions on ``day`` go, with the methods of a result builder."""
        return self.d.at(day) if self.n is None else self.d.for_period(self.n)

    def holding(self, day: _dt.date) -> list[int]:
        """The positions of the periods here holding ``day``."""
        if self.n is not None:
            return [self.n] if self.first <= day <= self.last else []
        return [k for k, p in enumerate(self.periods) if p.start <= day <= p.end]


def _ends_x1(h: ChildHistory) -> bool:
    """Whether a period of care of the child ends X1 (whether another follows, decision D17,
    and the report of one that does not, which names the date, depend on the date)."""
    for p in h.periods:
        last = p.episodes[-1]
        if last.reason_ceased == "X1" and last.end_date is not None:
            return True
    return False


def _reported_by_date(
    h: ChildHistory, items: list[Episode], earliest: _dt.date, latest: _dt.date
) -> bool:
    """For a child whose history has issues: whether what is reported or chosen may differ
    between period ends from ``earliest`` to ``latest`` (decision D15): twin episodes (the
    choice between them and its report, decision D14; an episode left out is treated alike),
    or an overlap whose report names an end known only from a date in the range. A child
    with neither has no issue of that kind (each is reported)."""
    if len(items) != len(h.episodes):
        return True
    eps = h.episodes
    for k in range(1, len(eps)):
        end = eps[k - 1].end_date
        if end is not None and eps[k].start_date < end and earliest < end <= latest:
            return True
    return False


def _by_date(
    hs: dict[str, ChildHistory], episodes: Iterable[Episode], ends: list[_dt.date]
) -> dict[str, dict[_dt.date, ChildHistory]]:
    """The children whose history depends on the period end (decision D15), each with their
    history judged on each end (``hs``: every history judged on the last end); a later period
    of care starting after an end changes nothing the looked-after event indicators read."""
    earliest, latest = ends[0], ends[-1]
    dated = {cid for cid, h in hs.items() if _ends_x1(h)}
    troubled = {cid for cid, h in hs.items() if h.issues and cid not in dated}
    groups: dict[str, list[Episode]] = {}
    if dated or troubled:
        for e in episodes:
            if e.child_id in dated or e.child_id in troubled:
                groups.setdefault(e.child_id, []).append(e)
    dated.update(
        cid for cid in troubled if _reported_by_date(hs[cid], groups[cid], earliest, latest)
    )
    out: dict[str, dict[_dt.date, ChildHistory]] = {}
    for cid, h in hs.items():  # in child order
        if cid in dated:
            out[cid] = {
                end: h if end == latest else build_history(cid, groups[cid], as_of=end)
                for end in ends
            }
    return out


class HistoriesOver:
    """Every child's care history for many periods, judged as known at each period's end
    (decision D15), with the histories' data issues added to the decisions as each period's
    own run adds them (every child's, in child order, before anything else).

    A child whose history is the same on every period end is decided once (:meth:`children`
    gives it with a :class:`Where` of every period); the others (twins, a period of care
    ending X1, see :func:`_reported_by_date`) are decided period by period, each with the
    history judged on that period's end.
    """

    __slots__ = ("_dated", "_wheres", "by_end", "every", "histories", "periods")

    def __init__(self, d: Decisions, episodes: Iterable[Episode], periods: Sequence[Period]):
        self.periods = tuple(periods)
        """The periods, in the order of the results."""
        self.by_end: dict[_dt.date, list[int]] = {}
        """The positions of the periods ending on each date."""
        for n, p in enumerate(self.periods):
            self.by_end.setdefault(p.end, []).append(n)
        self.histories: dict[str, ChildHistory] = {}
        """Every child's history judged on the latest period end, in child order."""
        self._dated: dict[str, dict[_dt.date, ChildHistory]] = {}
        self._wheres = [Where(d, self.periods, n) for n in range(len(self.periods))]
        if not self.periods:
            self.every: Where | None = None
            return
        self.every = Where(d, self.periods)
        ends = sorted(self.by_end)
        latest = ends[-1]
        if not isinstance(episodes, tuple | list):
            episodes = list(episodes)
        self.histories = hs = build_histories(episodes, as_of=latest)
        if len(ends) == 1:  # every history judged on the one end
            for h in hs.values():
                for i in h.issues:
                    d.issue(i.message, i.child_id, i.record, i.kind)
            return
        # Which histories depend on the period end (decision D15), and those histories on each
        # end: the same for every looked-after event indicator of a series (remembered).
        by_date = remembered(
            episodes, ("histories over", tuple(ends)), lambda: _by_date(hs, episodes, ends)
        )
        for cid, h in hs.items():
            mine = by_date.get(cid)
            if mine is None:
                for i in h.issues:
                    d.issue(i.message, i.child_id, i.record, i.kind)
                continue
            self._dated[cid] = mine
            for end, he in mine.items():
                for i in he.issues:
                    d.issue(i.message, i.child_id, i.record, i.kind, periods=self.by_end[end])

    def children(
        self, by_period: Collection[str] = ()
    ) -> Iterator[tuple[str, ChildHistory, Where]]:
        """Each child (in child order) with their history and where its decisions go: once
        for every period, or (the history depends on the period end, or the child is in
        ``by_period``) once per period, with the history judged on that period's end."""
        every = self.every
        if every is not None and not self._dated and not by_period:  # the common case, cheap
            hs = self.histories
            return zip(hs.keys(), hs.values(), itertools.repeat(every), strict=False)
        return self._children(by_period)

    def _children(self, by_period: Collection[str]) -> Iterator[tuple[str, ChildHistory, Where]]:
        every, dated, wheres = self.every, self._dated, self._wheres
        for cid, h in self.histories.items():
            mine = dated.get(cid)
            if mine is None and cid not in by_period:
                assert every is not None
                yield cid, h, every
                continue
            for n, p in enumerate(self.periods):
                yield cid, h if mine is None else mine[p.end], wheres[n]


def runs_at_ends(
    episodes: Iterable[Episode], d: Decisions
) -> tuple[list[AtEnd], dict[str, tuple[HistoryRun, ...]]]:
    """What :func:`~._ends.histories_at_ends` gives for the periods of ``d``, with every
    child's histories as runs (:func:`~csc_indicators.care_history.histories_on`, one build
    for every indicator of a series): the ends, latest last (each :class:`~._ends.AtEnd`'s
    ``histories`` left empty, for the caller to fill as it needs), and each child's runs,
    children in sorted id order. Each history's data issues are added to the periods of the
    ends it is judged on, once for the ends where a child's issues are the same, as
    :func:`~._ends.histories_at_ends` adds them."""
    by_end: dict[_dt.date, dict[_dt.date, list[int]]] = {}
    for n, p in enumerate(d.periods):
        by_end.setdefault(p.end, {}).setdefault(p.start, []).append(n)
    at_ends = [
        AtEnd(end, tuple(sorted(n for ns in starts.values() for n in ns)), starts, {}, min(starts))
        for end, starts in sorted(by_end.items())
    ]
    runs = histories_on(episodes, [at.end for at in at_ends])
    places = Places(d.periods)
    everywhere = [n for at in at_ends for n in at.positions]
    for held in runs.values():
        if len(held) == 1:  # one history for every end
            h = held[0][0]
            if h.issues:
                _add_issues(d, places, h, everywhere)
            continue
        same: list[tuple[ChildHistory, list[int]]] = []
        for h, first, stop in held:
            if not h.issues:
                continue
            where = [n for at in at_ends[first:stop] for n in at.positions]
            for known, got in same:
                if known is h or known.issues == h.issues:
                    got.extend(where)
                    break
            else:
                same.append((h, where))
        for h, where in same:
            _add_issues(d, places, h, where)
    return at_ends, runs


def _add_issues(d: Decisions, places: Places, h: ChildHistory, where: list[int]) -> None:
    day, pins = places.of(where)
    for issue in h.issues:
        d.issue(issue.message, issue.child_id, issue.record, issue.kind, day=day, periods=pins)


def rows_at_ends(episodes: Iterable[Episode], d: Decisions) -> tuple[list[AtEnd], Rows]:
    """What :func:`~._ends.histories_at_ends` gives for the periods of ``d``, from the runs of
    :func:`runs_at_ends` when they have several ends (one build for every indicator of a
    series): a child whose history is the same on every end has it once in its row (a row
    of one history, which :func:`~._ends.same_episodes` takes for every end), and only the
    children whose history depends on the end are in the ends' ``histories``."""
    if len({p.end for p in d.periods}) < 2:
        return histories_at_ends(episodes, d, d.periods)
    at_ends, runs = runs_at_ends(episodes, d)
    rows: Rows = {}
    for cid, held in runs.items():
        if len(held) == 1:
            rows[cid] = (held[0][0],)
            continue
        row = rows[cid] = tuple(h for h, lo, hi in held for _ in range(lo, hi))
        for at, h in zip(at_ends, row, strict=True):
            at.histories[cid] = h
    return at_ends, rows
