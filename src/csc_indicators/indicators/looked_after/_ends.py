"""Every child's history judged as known at each distinct end of many periods (decision D15),
for the looked-after indicators evaluated over many periods at once that decide a child once
for the ends giving the same outcome (the health indicators, missing incidents):
:func:`histories_at_ends`, :func:`same_episodes`, and :class:`Places` to name the periods of a
decision.

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence

import attrs

from ...care_history import ChildHistory, build_histories
from ...decisions import Decisions
from ...periods import Period
from ...records.looked_after import Episode

__all__ = ["AtEnd", "Places", "Rows", "histories_at_ends", "same_episodes"]


class Places:
    """Names a set of the periods of a :class:`~csc_indicators.decisions.Decisions` for a
    decision: by a day, when the periods holding it are exactly that set (a cheaper decision,
    as for every period of a single-period run), else by their positions."""

    __slots__ = ("common", "count")

    def __init__(self, periods: Sequence[Period]) -> None:
        self.count = len(periods)
        latest = max((p.start for p in periods), default=None)
        self.common = (
            latest if latest is not None and latest <= min(p.end for p in periods) else None
        )
        """A day every period holds, if any."""

    def of(self, where: Sequence[int]) -> tuple[_dt.date | None, Sequence[int] | None]:
        """``(day, None)`` or ``(None, where)`` for the distinct positions ``where``."""
        if self.common is not None and len(where) == self.count:
            return self.common, None
        return None, where


@attrs.frozen(slots=True)
class AtEnd:
    """Every child's history judged as known on one period end, and the periods ending then."""

    end: _dt.date
    """The period end."""
    positions: tuple[int, ...]
    """The positions of the periods ending then."""
    starts: dict[_dt.date, list[int]]
    """Those positions by the period's start."""
    histories: dict[str, ChildHistory]
    """Every child's history judged as known on :attr:`end`."""
    earliest: _dt.date
    """The earliest start of those periods."""


Rows = dict[str, tuple[ChildHistory, ...]]
"""Each child's histories at the ends of :func:`histories_at_ends`, in the order of the ends."""


def histories_at_ends(
    episodes: Iterable[Episode], d: Decisions, periods: Sequence[Period]
) -> tuple[list[AtEnd], Rows]:
    """Every child's history judged as known at each distinct end of ``periods`` (decision
    D15), by end (latest last), and the same by child. Each history's data issues are added
    to the periods of its end, as :func:`~._shared.histories` adds them to one period's
    builder (once for the ends where a child's issues are the same). The children are the
    same at every end."""
    if not isinstance(episodes, (tuple, list)):
        episodes = list(episodes)
    ends: dict[_dt.date, dict[_dt.date, list[int]]] = {}
    for n, p in enumerate(periods):
        ends.setdefault(p.end, {}).setdefault(p.start, []).append(n)
    got = [
        AtEnd(
            end,
            tuple(sorted(n for ns in starts.values() for n in ns)),
            starts,
            build_histories(episodes, as_of=end),
            min(starts),
        )
        for end, starts in sorted(ends.items())
    ]
    if not got:
        return got, {}
    children = list(got[0].histories)
    if all(list(at.histories) == children for at in got):
        by_end = zip(*(at.histories.values() for at in got), strict=True)
        rows = dict(zip(children, by_end, strict=True))
    else:
        rows = {cid: tuple(at.histories[cid] for at in got) for cid in children}
    everywhere = [n for at in got for n in at.positions]
    places = Places(periods)
    for row in rows.values():
        first = row[0]
        if len(row) == 1 or len(set(map(id, row))) == 1:  # one history for every end
            if first.issues:
                _add_issues(d, places, first, everywhere)
            continue
        same: list[tuple[ChildHistory, list[int]]] = []
        for at, h in zip(got, row, strict=True):
            if not h.issues:
                continue
            for held, where in same:
                if held is h or held.issues == h.issues:
                    where.extend(at.positions)
                    break
            else:
                same.append((h, list(at.positions)))
        for h, where in same:
            _add_issues(d, places, h, where)
    return got, rows


def _add_issues(d: Decisions, places: Places, h: ChildHistory, where: list[int]) -> None:
    day, pins = places.of(where)
    for issue in h.issues:
        d.issue(issue.message, issue.child_id, issue.record, issue.kind, day=day, periods=pins)


def same_episodes(
    row: tuple[ChildHistory, ...], at_ends: Sequence[AtEnd]
) -> list[tuple[ChildHistory, Sequence[AtEnd]]]:
    """The ends of :func:`histories_at_ends` grouped by the child's episodes in their history
    then (``row``, by end; they differ only through twins chosen differently, decision D15),
    each with the history of its first end: within a group, the histories hold the same
    episodes and periods of care. Almost always one group, ``at_ends`` itself."""
    first = row[0]
    if len(row) == 1 or len(set(map(id, row))) == 1:  # one history for every end
        return [(first, at_ends)]
    same: list[tuple[ChildHistory, list[AtEnd]]] = []
    for at, h in zip(at_ends, row, strict=True):
        eps = h.episodes
        for held, where in same:
            if held.episodes is eps or (
                len(held.episodes) == len(eps)
                and all(a is b for a, b in zip(held.episodes, eps, strict=True))
            ):
                where.append(at)
                break
        else:
            same.append((h, [at]))
    return list(same)
