"""The placements counted in a window (decision D8), for the placement stability indicators
(``placements``, ``stability_2_years``): the placement open on the window's first day and
each new placement after it, and how the count moves as the window moves on.

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Iterable, Iterator, Sequence

from ...care_history import ChildHistory, is_new_placement
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...records.looked_after import Episode
from .._common import iso

__all__ = [
    "new_placement_days",
    "placement_counts",
    "placement_starts",
    "short_break_in_window",
]


def short_break_in_window(in_window: Iterable[Episode]) -> str | None:
    """Why a child with a short-break (V3/V4) episode in a placement window is excluded, or
    ``None`` when there is none (``exclude_any_short_break``, decision D8)."""
    sb = next((x for x in in_window if x.legal_status in SHORT_BREAK_LEGAL_STATUSES), None)
    if sb is None:
        return None
    return (
        f"short-break episode (legal status {sb.legal_status}) from {iso(sb.start_date)} "
        "in the window"
    )


def placement_starts(
    history: ChildHistory,
    in_window: Iterable[Episode],
    start: _dt.date,
    end: _dt.date,
    count_temporary: bool,
) -> list[str]:
    """The start date of each placement counted in the window ``start`` to ``end`` (decision
    D8): the placement open on ``start``, then each episode starting later in the window that
    is a new placement (:func:`~csc_indicators.care_history.is_new_placement`)."""
    starts: list[str] = []
    opening = history.episode_on(start)
    if opening is not None:
        starts.append(iso(opening.start_date))
    for x in in_window:
        if start < x.start_date <= end and is_new_placement(x, count_temporary=count_temporary):
            starts.append(iso(x.start_date))
    return starts


def new_placement_days(
    history: ChildHistory, count_temporary: bool, after: _dt.date | None = None
) -> list[_dt.date]:
    """The start of each episode of ``history`` (starting after ``after``, if given) that is
    a new placement (:func:`~csc_indicators.care_history.is_new_placement`), in order."""
    eps = history.episodes
    lo = 0 if after is None else bisect.bisect_right(history.starts, after)
    return [
        eps[i].start_date
        for i in range(lo, len(eps))
        if is_new_placement(eps[i], count_temporary=count_temporary)
    ]


def placement_counts(
    history: ChildHistory,
    new_days: Sequence[_dt.date],
    upto: int,
    window_starts: Sequence[_dt.date],
    lo: int,
    hi: int,
) -> Iterator[tuple[int, int, int]]:
    """For an episode open on each end ``k`` from ``lo`` to ``hi`` with ``upto`` of the child's
    :func:`new_placement_days` by then, and the window from ``window_starts[k]`` (never
    earlier for a later ``k``, nor before the first of ``new_days``' own window): ``(n, a,
    b)``, ``n`` placements counted (:func:`placement_starts`) for each ``k`` from ``a`` to
    ``b``, as the windows' first days move on."""
    eps, starts = history.episodes, history.starts
    last = len(eps) - 1
    k = lo
    while k < hi:
        start = window_starts[k]
        after = bisect.bisect_right(new_days, start)
        n = upto - after
        j = bisect.bisect_right(starts, start) - 1
        ended = eps[j].end_date if j >= 0 else start
        if ended is None or start < ended:
            n += 1  # the placement open on the first day
        if k + 1 == hi:
            yield n, k, hi
            return
        # The count changes when the first day reaches a new placement counted, the start of
        # the next episode, or the end of the one open then.
        moves: list[_dt.date] = []
        if after < len(new_days):
            moves.append(new_days[after])
        if ended is not None and start < ended:
            moves.append(ended)
        if j < last:
            moves.append(eps[j + 1].start_date)
        b = bisect.bisect_left(window_starts, min(moves), k + 1, hi) if moves else hi
        yield n, k, b
        k = b
