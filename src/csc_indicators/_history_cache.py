"""Every child's care history, remembered: :func:`build_histories`, its cache and
:func:`known_as_of` (one build reused on many ``as_of`` dates, for a series).

Private: the public names are importable from :mod:`csc_indicators.care_history`.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar, cast

from ._history_build import build_history
from ._history_model import ChildHistory, PeriodOfCare
from .records.looked_after import Episode

T = TypeVar("T")

__all__ = ["HistoryRun", "build_histories", "clear_history_cache", "histories_on", "known_as_of"]

_CACHE_SIZE = 4
_cache: list[tuple[tuple[Episode, ...], _dt.date | None, dict[str, ChildHistory]]] = []


def build_histories(
    episodes: Iterable[Episode], *, as_of: _dt.date | None = None
) -> dict[str, ChildHistory]:
    """Every child's history, children in sorted id order (one pass to group, one sort per
    child).

    When ``episodes`` is a tuple (as in a :class:`~csc_indicators.Bundle`), the histories are
    remembered for that very tuple, so the looked-after indicators of one scorecard build each
    child's history once, not once per indicator. Tuples and records are immutable, so a
    remembered history is always the history of those records. Lists and other iterables are
    never remembered; :func:`clear_history_cache` forgets everything.

    ``as_of``: judge each history as known on that date (see :func:`build_history`).
    """
    if isinstance(episodes, tuple):
        for held, held_as_of, histories in _cache:
            if held is episodes and held_as_of == as_of:
                return dict(histories)
        for base in _bases:
            if base.episodes is episodes:
                result = base.as_of(as_of)
                _cache.insert(0, (episodes, as_of, result))
                del _cache[_CACHE_SIZE:]
                return dict(result)
    groups: dict[str, list[Episode]] = {}
    for e in episodes:
        groups.setdefault(e.child_id, []).append(e)
    result = {cid: _history(cid, groups[cid], as_of) for cid in sorted(groups)}
    if isinstance(episodes, tuple):
        _cache.insert(0, (episodes, as_of, result))
        del _cache[_CACHE_SIZE:]
        return dict(result)
    return result


HistoryRun = tuple[ChildHistory, int, int]
"""A child's history judged on ``days[first:stop]`` (the same on each): ``(history, first,
stop)``, as :func:`histories_on` gives it."""


def histories_on(
    episodes: Iterable[Episode], days: Sequence[_dt.date]
) -> dict[str, tuple[HistoryRun, ...]]:
    """Every child's history judged as known on each of ``days`` (sorted, distinct), children
    in sorted id order: for each child, runs ``(history, first, stop)``, in order and together
    covering every day, the history being the one judged on each of ``days[first:stop]``
    (:func:`build_histories` with ``as_of`` that day gives an equal one).

    One day: :func:`build_histories`, remembered as usual. Several: one build with everything
    known (that of :func:`known_as_of`, when in force for these very episodes, which also
    remembers the runs on those days for the next indicator), and only the children whose
    history depends on the date rebuilt, for each date it depends on.
    """
    if not days:
        return {}
    if len(days) == 1:
        return {cid: ((h, 0, 1),) for cid, h in build_histories(episodes, as_of=days[0]).items()}
    base = None
    if isinstance(episodes, tuple):
        base = next((b for b in _bases if b.episodes is episodes), None)
    if base is None:
        base = _Base(episodes if isinstance(episodes, tuple) else tuple(episodes))
    return base.on(days)


def _history(child_id: str, episodes: list[Episode], as_of: _dt.date | None) -> ChildHistory:
    """One child's history; from a :func:`known_as_of` build when it holds these very
    episodes of the child (a series' bundle of a few children)."""
    for base in _bases:
        held = base.groups.get(child_id)
        if held is not None and len(held) == len(episodes):
            if all(a is b for a, b in zip(held, episodes, strict=True)):
                return base.history(child_id, as_of)
            break
    return build_history(child_id, episodes, as_of=as_of)


_MIN = _dt.date.min


def clear_history_cache() -> None:
    """Forget the histories remembered by :func:`build_histories`."""
    _cache.clear()
    _bases.clear()


class _Base:
    """Every child's history with everything known, and which of them hold on any date.

    A child's history judged on ``as_of`` (decision D15) differs from the one with everything
    known only through twins (two episodes starting on one date: ends after ``as_of`` count as
    open), through the start of a following period of care after ``as_of`` (it is not known
    yet), through the message about an overlap (it names the earlier episode's end only when
    known by ``as_of``) and through the message about a last episode ending X1 (it names
    ``as_of``). A child with no twins and no last episode ending X1 has the same history on
    every date from the start of their last period of care and the end of every episode
    overlapped by the next one; on earlier dates, and for the others on every date, the
    history is rebuilt for the date (they are few).
    """

    def __init__(self, episodes: tuple[Episode, ...]) -> None:
        self.episodes = episodes
        groups: dict[str, list[Episode]] = {}
        for e in episodes:
            groups.setdefault(e.child_id, []).append(e)
        self.groups: dict[str, list[Episode]] = {}
        self.known: dict[str, ChildHistory] = {}
        # The histories rebuilt for a date, by child and date (or by child and the number of
        # their periods of care started by the date, see `later_starts`).
        self.dated: dict[tuple[str, object], ChildHistory] = {}
        # The children whose history before `stable_from` depends on the date only through
        # which periods of care have started by then (no overlap, no period of care but the
        # last ending X1): the starts of their periods of care after the first.
        self.later_starts: dict[str, list[_dt.date]] = {}
        # From which date a child's history is the same as with everything known (None: never).
        self.stable_from: dict[str, _dt.date | None] = {}
        self._unsettled: list[str] | None = None
        # What indicators derive from these histories alike (`remembered`), by their key.
        self.derived: dict[object, object] = {}
        # Every child's histories on some days, as runs (`on`), by the days.
        self.runs: dict[tuple[_dt.date, ...], dict[str, tuple[HistoryRun, ...]]] = {}
        for cid in sorted(groups):
            items = self.groups[cid] = groups[cid]
            h = self.known[cid] = build_history(cid, items)
            periods = h.periods
            # Twins leave an episode out of the history (so do episodes ending before they
            # start): only then are the start dates compared.
            twins = len(h.episodes) < len(items) and len({e.start_date for e in items}) < len(items)
            last = periods[-1].episodes[-1] if periods else None
            if twins or (
                last is not None and last.end_date is not None and last.reason_ceased == "X1"
            ):
                self.stable_from[cid] = None
                continue
            since = periods[-1].episodes[0].start_date if len(periods) > 1 else _dt.date.min
            if h.issues:
                # An overlap names the earlier episode's end only once it is known.
                eps = h.episodes
                for i in range(1, len(eps)):
                    end = eps[i - 1].end_date
                    if end is not None and eps[i].start_date < end and end > since:
                        since = end
            self.stable_from[cid] = since
            if (
                len(periods) > 1
                and all(poc.episodes[-1].reason_ceased != "X1" for poc in periods[:-1])
                and not any(issue.kind == "overlap" for issue in h.issues)
            ):
                self.later_starts[cid] = [poc.episodes[0].start_date for poc in periods[1:]]

    def as_of(self, as_of: _dt.date | None) -> dict[str, ChildHistory]:
        out = dict(self.known)  # in child order, as `groups`
        if as_of is None:
            return out
        for cid in self.unsettled():  # the few whose history may differ on the date
            since = self.stable_from[cid]
            if since is None or since > as_of:
                out[cid] = self.history(cid, as_of)
        return out

    def unsettled(self) -> list[str]:
        """The children whose history is not the same on every date (``stable_from`` later
        than the earliest date, or never)."""
        got = self._unsettled
        if got is None:
            got = self._unsettled = [
                cid for cid, since in self.stable_from.items() if since is None or since > _MIN
            ]
        return got

    def on(self, days: Sequence[_dt.date]) -> dict[str, tuple[HistoryRun, ...]]:
        """Every child's history on each of ``days`` (sorted, distinct), as runs
        (:func:`histories_on`), remembered for those days."""
        key = tuple(days)
        got = self.runs.get(key)
        if got is not None:
            return dict(got)
        n = len(days)
        first = days[0] if n else _dt.date.max
        out: dict[str, tuple[HistoryRun, ...]] = {}
        for cid, known in self.known.items():
            since = self.stable_from[cid]
            if since is not None and since <= first:  # the same on every day
                out[cid] = ((known, 0, n),)
                continue
            stable = n if since is None else bisect.bisect_left(days, since)
            runs: list[HistoryRun] = []
            for k in range(stable):
                h = self.history(cid, days[k])
                if runs and runs[-1][0] is h:  # the same history on consecutive days
                    runs[-1] = (h, runs[-1][1], k + 1)
                else:
                    runs.append((h, k, k + 1))
            if stable < n:
                runs.append((known, stable, n))
            out[cid] = tuple(runs)
        self.runs[key] = out
        return dict(out)

    def history(self, child_id: str, as_of: _dt.date | None) -> ChildHistory:
        """One child's history judged on ``as_of``."""
        since = self.stable_from[child_id]
        if as_of is None or (since is not None and since <= as_of):
            return self.known[child_id]
        starts = self.later_starts.get(child_id)
        if starts is None:
            got = self.dated.get((child_id, as_of))
            if got is None:
                got = build_history(child_id, self.groups[child_id], as_of=as_of)
                self.dated[(child_id, as_of)] = got
            return got
        started = bisect.bisect_right(starts, as_of)
        got = self.dated.get((child_id, started))
        if got is None:
            got = self.dated[(child_id, started)] = _before_later_starts(
                self.known[child_id], started
            )
        return got


def _before_later_starts(known: ChildHistory, started: int) -> ChildHistory:
    """The history judged on a date by which only the first ``started`` periods of care after
    the first have started, from the history with everything known, for a child with no
    twins, no overlap and no period of care but the last ending X1: the same but that the
    periods of care followed by one not yet started have no next start (what
    :func:`build_history` gives on that date)."""
    periods = known.periods
    return ChildHistory(
        known.child_id,
        known.episodes,
        (
            *periods[:started],
            *(PeriodOfCare(p.child_id, p.episodes, p.first_index) for p in periods[started:-1]),
            periods[-1],
        ),
        known.period_of,
        known.issues,
        known.starts,
    )


_bases: list[_Base] = []


def remembered(episodes: Iterable[Episode], key: object, make: Callable[[], T]) -> T:
    """``make()``, remembered under ``key`` while :func:`known_as_of` holds ``episodes`` (that
    very tuple): for what several indicators of one series derive alike from the histories
    (``key`` must say everything ``make`` depends on besides ``episodes``); outside it, made
    each time."""
    for base in _bases:
        if base.episodes is episodes:
            got = base.derived.get(key, _MISSING)
            if got is _MISSING:
                got = base.derived[key] = make()
            return cast(T, got)
    return make()


_MISSING = object()


@contextlib.contextmanager
def known_as_of(episodes: tuple[Episode, ...] | None) -> Iterator[None]:
    """Within the block, :func:`build_histories` of ``episodes`` (that very tuple) on any
    ``as_of`` date reuses one build of every history with everything known, rebuilding only
    the children whose history depends on the date (twins, a period of care starting after
    ``as_of``, an overlapped episode ending after it, a last episode ending X1). For many
    evaluations on different dates (a series, :func:`histories_on`); the histories are the
    same as without it."""
    if episodes is None or not isinstance(episodes, tuple):
        yield
        return
    base = _Base(episodes)
    _bases.insert(0, base)
    try:
        yield
    finally:
        if base in _bases:
            _bases.remove(base)
        _cache[:] = [c for c in _cache if c[0] is not episodes]
