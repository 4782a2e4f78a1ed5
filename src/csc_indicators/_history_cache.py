"""Every child's care history, remembered: :func:`build_histories`, its cache and
:func:`known_as_of` (one build reused on many ``as_of`` dates, for a series).

Private: the public names are importable from :mod:`csc_indicators.care_history`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Iterable, Iterator

from ._history_build import build_history
from ._history_model import ChildHistory
from .records.looked_after import Episode

__all__ = ["build_histories", "clear_history_cache", "known_as_of"]

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


def clear_history_cache() -> None:
    """Forget the histories remembered by :func:`build_histories`."""
    _cache.clear()
    _bases.clear()


class _Base:
    """Every child's history with everything known, and which of them hold on any date.

    A child's history judged on ``as_of`` (decision D15) differs from the one with everything
    known only through twins (two episodes starting on one date: ends after ``as_of`` count as
    open), through the start of a following period of care after ``as_of`` (it is not known
    yet), and through the message about a last episode ending X1 (it names ``as_of``). A
    child with none of these has the same history on every date from the start of their last
    period of care; the others are rebuilt for the date (they are few).
    """

    def __init__(self, episodes: tuple[Episode, ...]) -> None:
        self.episodes = episodes
        groups: dict[str, list[Episode]] = {}
        for e in episodes:
            groups.setdefault(e.child_id, []).append(e)
        self.groups = {cid: groups[cid] for cid in sorted(groups)}
        self.known = {cid: build_history(cid, items) for cid, items in self.groups.items()}
        # The histories rebuilt for a date, by child and date.
        self.dated: dict[tuple[str, _dt.date], ChildHistory] = {}
        # From which date a child's history is the same as with everything known (None: never).
        self.stable_from: dict[str, _dt.date | None] = {}
        for cid, items in self.groups.items():
            h = self.known[cid]
            twins = len({e.start_date for e in items}) < len(items)
            x1_last = bool(h.periods) and h.periods[-1].reason_ceased == "X1"
            if twins or x1_last:
                self.stable_from[cid] = None
            else:
                self.stable_from[cid] = h.periods[-1].start if len(h.periods) > 1 else _dt.date.min

    def as_of(self, as_of: _dt.date | None) -> dict[str, ChildHistory]:
        if as_of is None:
            return dict(self.known)
        return {cid: self.history(cid, as_of) for cid in self.groups}

    def history(self, child_id: str, as_of: _dt.date | None) -> ChildHistory:
        """One child's history judged on ``as_of``."""
        since = self.stable_from[child_id]
        if as_of is None or (since is not None and since <= as_of):
            return self.known[child_id]
        key = (child_id, as_of)
        got = self.dated.get(key)
        if got is None:
            got = self.dated[key] = build_history(child_id, self.groups[child_id], as_of=as_of)
        return got


_bases: list[_Base] = []


@contextlib.contextmanager
def known_as_of(episodes: tuple[Episode, ...] | None) -> Iterator[None]:
    """Within the block, :func:`build_histories` of ``episodes`` (that very tuple) on any
    ``as_of`` date reuses one build of every history with everything known, rebuilding only
    the children whose history depends on the date (twins, a period of care starting after
    ``as_of``, a last episode ending X1). For many evaluations on different dates (a series);
    the histories are the same as without it."""
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
