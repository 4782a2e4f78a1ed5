"""Plumbing shared by the looked-after indicators: histories, ages, snapshot cohorts.

One OC2/OC3 record per child and year (``_oc_records``) and the placements counted in a window
(``_placement_counts``) have modules of their own, re-exported here.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs
from dateutil.relativedelta import relativedelta

from ...care_history import ChildHistory, HistoryRun, build_histories, histories_on
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Decisions, Sink
from ...durations import Interval, describe
from ...periods import Period
from ...records.looked_after import Episode
from ...results import IndicatorResult, ValueKind
from .._common import iso
from ._oc_records import one_per_child_in_year
from ._placement_counts import (
    new_placement_days,
    placement_counts,
    placement_starts,
    short_break_in_window,
)

__all__ = [
    "Snapshots",
    "add_years",
    "age_on",
    "exclude_not_open",
    "exclude_short_break",
    "histories",
    "in_period_or_end",
    "last_episode_touching",
    "looked_after_at_end",
    "merged_counts",
    "new_placement_days",
    "one_per_child_in_year",
    "open_spans",
    "placement_counts",
    "placement_starts",
    "short_break",
    "short_break_in_window",
    "snapshot_decisions",
    "snapshots",
    "whole_months",
]


def histories(
    episodes: Iterable[Episode], builder: Sink, *, as_of: _dt.date | None = None
) -> dict[str, ChildHistory]:
    """Every child's history, judged as known on ``as_of`` (decision D15: indicators pass
    ``period.end``); their data issues are added to ``builder`` once."""
    result = build_histories(episodes, as_of=as_of)
    for history in result.values():
        for issue in history.issues:
            builder.issue(issue.message, issue.child_id, issue.record, issue.kind)
    return result


@attrs.frozen(slots=True)
class Snapshots:
    """A snapshot indicator's periods by their end (decision D15: each judged as known on its
    end), with every child's history on each end (:func:`snapshots`)."""

    ends: tuple[_dt.date, ...]
    """The distinct period ends, sorted."""
    at: tuple[tuple[int, ...], ...]
    """For each end, the positions of the periods ending on it."""
    _on_one_end: dict[str, ChildHistory] | None
    _on_ends: dict[str, tuple[HistoryRun, ...]] | None
    _flat: list[int] = attrs.field(init=False)
    _offsets: list[int] = attrs.field(init=False)

    @_flat.default
    def _flatten(self) -> list[int]:
        return [n for where in self.at for n in where]

    @_offsets.default
    def _offsets_of(self) -> list[int]:
        out = [0]
        for where in self.at:
            out.append(out[-1] + len(where))
        return out

    def positions(self, lo: int, hi: int) -> list[int]:
        """The positions of the periods ending on one of ``ends[lo:hi]``."""
        return self._flat[self._offsets[lo] : self._offsets[hi]]

    def runs(self) -> Iterator[tuple[str, ChildHistory, int, int]]:
        """Every child's histories, children in sorted id order: ``(child_id, history,
        first, stop)``, the history judged on each of ``ends[first:stop]``, a child's in
        order (:func:`~csc_indicators.care_history.histories_on`)."""
        if self._on_one_end is not None:
            for cid, h in self._on_one_end.items():
                yield cid, h, 0, 1
        elif self._on_ends is not None:
            for cid, held in self._on_ends.items():
                for h, first, stop in held:
                    yield cid, h, first, stop

    def children(self) -> Iterator[tuple[str, tuple[HistoryRun, ...]]]:
        """Every child's histories, children in sorted id order: ``(child_id, runs)``, each
        run ``(history, first, stop)`` as in :meth:`runs`."""
        if self._on_one_end is not None:
            for cid, h in self._on_one_end.items():
                yield cid, ((h, 0, 1),)
        elif self._on_ends is not None:
            yield from self._on_ends.items()


def snapshot_decisions(
    indicator: Callable[..., IndicatorResult],
    periods: Sequence[Period],
    kind: ValueKind | None = None,
    *,
    by_start: bool = False,
) -> tuple[Decisions, Callable[[list[IndicatorResult]], list[IndicatorResult]]]:
    """The decisions of a snapshot indicator over ``periods``, and how their results become
    one per period, in order.

    With outcomes kept, every period is decided: a child not looked after on a period's end
    is an outcome of the periods an episode touches, which depends on their start. Without,
    one period per distinct end (per distinct start and end with ``by_start``, for figures
    that depend on the start) is decided: the others ending that day have the same figures
    and issues (judged on that day), and get its result with their own period."""
    d = Decisions(indicator, periods, kind)
    if d.keep:
        return d, _same
    decided: list[Period] = []
    index: dict[object, int] = {}
    of: list[int] = []
    for p in periods:
        key = (p.start, p.end) if by_start else p.end
        got = index.get(key)
        if got is None:
            got = index[key] = len(decided)
            decided.append(p)
        of.append(got)
    if len(decided) == len(periods):
        return d, _same

    def spread(results: list[IndicatorResult]) -> list[IndicatorResult]:
        out: list[IndicatorResult] = []
        for p, n in zip(periods, of, strict=True):
            r = results[n]
            out.append(r if r.period is p else attrs.evolve(r, period=p))
        return out

    return Decisions(
        indicator,
        decided,
        kind,
    ), spread  # keep nothing, or bare outcomes for a breakdown


def _same(results: list[IndicatorResult]) -> list[IndicatorResult]:
    return results


def snapshots(episodes: Iterable[Episode], d: Decisions) -> Snapshots:
    """For a snapshot indicator over the periods of ``d``: the periods by their end, and every
    child's history judged as known on each end; the histories' data issues are added to ``d``
    once, each in the periods ending on the day its history is judged on (in each period, as
    :func:`histories` adds them for one)."""
    by_end: dict[_dt.date, list[int]] = {}
    for n, p in enumerate(d.periods):
        by_end.setdefault(p.end, []).append(n)
    ends = tuple(sorted(by_end))
    at = tuple(tuple(by_end[e]) for e in ends)
    if len(ends) == 1:  # one build, remembered for the other indicators judged on that end
        one = build_histories(episodes, as_of=ends[0])
        for h in one.values():
            if h.issues:
                for issue in h.issues:
                    d.issue(issue.message, issue.child_id, issue.record, issue.kind, periods=at[0])
        return Snapshots(ends, at, one, None)
    many = histories_on(episodes, ends)
    for held in many.values():
        for h, first, stop in held:
            if h.issues:
                where = [n for k in range(first, stop) for n in at[k]]
                for issue in h.issues:
                    d.issue(issue.message, issue.child_id, issue.record, issue.kind, periods=where)
    return Snapshots(ends, at, None, many)


def open_spans(
    history: ChildHistory, ends: Sequence[_dt.date], first: int, stop: int
) -> list[tuple[int, int, int]]:
    """Where the child is looked after among ``ends[first:stop]`` (sorted): ``(i, lo, hi)``
    for each episode ``i`` open (covering the day) on each of ``ends[lo:hi]``, in order.

    The episode open on a day is the one starting last by then, while it lasts: episode
    ``i`` is open from its start until its end or the next episode's start."""
    eps = history.episodes
    if not eps:
        return []
    last = len(eps) - 1
    final = eps[last].end_date
    if final is not None and final <= ends[first]:
        return []  # every end is on or after the last episode's end
    starts = history.starts
    if stop - first == 1:  # one end: the episode starting last by then, if still open
        day = ends[first]
        i = bisect.bisect_right(starts, day) - 1
        if i < 0 or ((ended := eps[i].end_date) is not None and ended <= day):
            return []
        return [(i, first, stop)]
    out: list[tuple[int, int, int]] = []
    k = bisect.bisect_left(ends, eps[0].start_date, first, stop)
    while k < stop:
        day = ends[k]
        i = bisect.bisect_right(starts, day) - 1  # the episode starting last by then
        until = eps[i].end_date
        if until is not None and until <= day:  # ended: on to the next episode's start
            if i == last:
                break
            k = bisect.bisect_left(ends, eps[i + 1].start_date, k + 1, stop)
            continue
        if i < last and (until is None or eps[i + 1].start_date < until):
            until = eps[i + 1].start_date
        hi = stop if until is None else bisect.bisect_left(ends, until, k + 1, stop)
        out.append((i, k, hi))
        k = hi
    return out


def exclude_not_open(
    d: Decisions,
    child_id: str,
    history: ChildHistory,
    snap: Snapshots,
    first: int,
    stop: int,
    spans: Sequence[tuple[int, int, int]],
) -> None:
    """The child excluded, with the reason, from each period ending on one of
    ``snap.ends[first:stop]`` outside ``spans`` (not looked after that day) that an episode
    touches (:func:`in_period_or_end`); for a period's outcomes."""
    eps = history.episodes
    if not eps:
        return
    periods = d.periods
    k = bisect.bisect_left(snap.ends, eps[0].start_date, first, stop)
    for _, lo, hi in (*spans, (-1, stop, stop)):
        for m in range(k, lo):
            for n in snap.at[m]:
                e, why = in_period_or_end(history, periods[n])
                if e is not None:
                    d.exclude(child_id, e, why, periods=(n,))
        k = max(k, hi)


def merged_counts(
    d: Decisions, child_id: str, tally: dict[tuple[bool, int | None], list[int]]
) -> None:
    """One child's counted decisions, without outcomes (summary): each ``(met, measure)`` in
    ``tally`` counted once in each period at the positions it lists."""
    for (met, measure), where in tally.items():
        d.count(child_id, None, met, measure, periods=where)


def exclude_short_break(
    d: Decisions, child_id: str, e: Episode, snap: Snapshots, lo: int, hi: int
) -> None:
    """The child, on a short break in episode ``e`` open on each of ``snap.ends[lo:hi]``,
    excluded from the periods ending on those days, with the reason (:func:`short_break`)."""
    for k in range(lo, hi):
        d.exclude(child_id, e, short_break(e, snap.ends[k]), periods=snap.at[k])


def short_break(e: Episode, day: _dt.date) -> str | None:
    """Why a child whose episode ``e`` is open on ``day`` is out of a snapshot cohort as on a
    short break (legal status V3/V4), or ``None``."""
    if e.legal_status in SHORT_BREAK_LEGAL_STATUSES:
        return f"on a short break (legal status {e.legal_status}) on {iso(day)}"
    return None


def age_on(date_of_birth: _dt.date, day: _dt.date) -> int:
    """Age in whole years on ``day`` (a 29 February birthday falls on 28 February)."""
    age = day.year - date_of_birth.year
    if add_years(date_of_birth, age) > day:
        age -= 1
    return age


def add_years(day: _dt.date, years: int) -> _dt.date:
    """``day`` plus ``years`` calendar years (29 February becomes 28 February); the same as
    ``relativedelta`` but fast enough to call once per record."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that is not a leap year
        return day.replace(year=day.year + years, day=28)


def whole_months(interval: Interval) -> str:
    """An interval in words for a reason, counting calendar years as months (``30 months``,
    ``12 months``; a ``timedelta`` or an interval with days as :func:`~csc_indicators.durations.
    describe` gives it: ``365 days``)."""
    if isinstance(interval, relativedelta) and not interval.days:
        months = 12 * interval.years + interval.months
        return f"{months} month{'' if months == 1 else 's'}"
    return describe(interval)


def last_episode_touching(history: ChildHistory, period: Period) -> Episode | None:
    """The last episode covering at least one day of ``period``, or ``None``."""
    found = history.overlapping(period.start, period.end)
    return found[-1] if found else None


def in_period_or_end(history: ChildHistory, period: Period) -> tuple[Episode | None, str]:
    """For a snapshot on ``period.end``: the episode open that day, or the reason the child is
    not looked after then (with the last episode touching the period as the record)."""
    e = history.episode_on(period.end)
    if e is not None:
        return e, ""
    last = last_episode_touching(history, period)
    if last is None:
        return None, ""
    if last.end_date is None or last.end_date > period.end:
        # Judged as known on period.end (decision D15): an end after it is not named. Such an
        # episode covers period.end unless a later one (an overlap) ended before it.
        return last, (
            f"not looked after on {iso(period.end)}: the episode from {iso(last.start_date)} "
            "has no end by then, but a later episode ended before it"
        )
    return last, (
        f"not looked after on {iso(period.end)}: the last episode in the period ended "
        f"{iso(last.end_date)}"
    )


def looked_after_at_end(
    history: ChildHistory, period: Period, *, exclude_short_breaks: bool = True
) -> tuple[Episode | None, str]:
    """For the snapshot cohorts ("looked after on ``period.end``, excluding short breaks"):
    the episode open that day, or the reason the child is out of the cohort (not looked after
    then, or on a short break, legal status V3/V4); ``(None, "")`` for a child with no episode
    touching the period."""
    e, why = in_period_or_end(history, period)
    if e is None or why:
        return e, why
    if exclude_short_breaks and (why_not := short_break(e, period.end)):
        return e, why_not
    return e, ""
