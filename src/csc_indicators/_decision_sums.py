"""Summary-mode figures of :class:`~csc_indicators.decisions.Decisions`: the counted decisions
kept as only what their figures need (:class:`DayTally`), and running totals over them sorted
by day (:class:`Sums`), so that the figures of any period are two look-ups.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence

from .builder import Tally

__all__ = ["DayTally", "Sums"]


class DayTally:
    """Counted decisions, only what their figures need: the days (ordinals) of those placed
    by day, of those met (unless the kind's numerator is no count of them: :attr:`metric`),
    and of those with a measure (for a mean: :attr:`mean`) with the measure; per set of
    period positions, the tallies (counted, met, total measure) of those pinned to it."""

    __slots__ = ("cdays", "mdays", "mean", "metric", "pinned", "tdays", "tvals")

    def __init__(self, metric: bool, mean: bool) -> None:
        self.metric = metric
        self.mean = mean
        self.cdays: list[int] = []
        self.mdays: list[int] = []
        self.tdays: list[int] = []
        self.tvals: list[int] = []
        # Pinned decisions tallied by the positions they are pinned to (decisions on one
        # period end share them), spread over the positions by sums().
        self.pinned: dict[tuple[int, ...], Tally] = {}

    def add(self, day: int, pins: tuple[int, ...], met: bool, measure: int | float | None) -> None:
        """A counted decision on ``day`` (an ordinal), or with ``day`` -1, pinned to ``pins``."""
        if day >= 0:
            self.cdays.append(day)
            if met and self.metric:
                self.mdays.append(day)
            if measure and self.mean:
                self.tdays.append(day)
                self.tvals.append(int(measure))
            return
        t = self.pinned.get(pins)
        if t is None:
            t = self.pinned[pins] = [0, 0, 0]
        t[0] += 1
        if met:
            t[1] += 1
        if measure:
            t[2] += int(measure)

    def sums(self) -> Sums:
        """The running sums, to give the figures of any period."""
        by_period: dict[int, Tally] = {}
        for pins, (c, m, total) in self.pinned.items():
            for n in pins:
                t = by_period.get(n)
                if t is None:
                    by_period[n] = [c, m, total]
                else:
                    t[0] += c
                    t[1] += m
                    t[2] += total
        return Sums(_Days(self.cdays), _Days(self.mdays), _Days(self.tdays, self.tvals), by_period)


_Running = tuple[list[int], list[int]]
"""Distinct days (ordinals, sorted) and the running totals to each: ``sums[j]`` is the total
of the days before ``days[j]``."""


class _Days:
    """Days (ordinals, one per decision), or with values their total by day: the total from
    one day to another, by running totals over the distinct days (made when first needed: a
    period holding every day needs none)."""

    __slots__ = ("_running", "days", "high", "low", "values", "whole")

    def __init__(self, days: list[int], values: list[int] | None = None) -> None:
        self.days = days
        self.values = values
        self.low, self.high = (min(days), max(days)) if days else (0, -1)
        self.whole = len(days) if values is None else sum(values)
        self._running: _Running | None = None

    def between(self, start: int, end: int) -> int:
        """The total of the days from ``start`` to ``end``, both included."""
        if start <= self.low and self.high <= end:
            return self.whole
        running = self._running
        if running is None:
            if self.values is None:
                running = self._running = _running(self.days)
            else:
                running = self._running = _running_sum(self.days, self.values)
        return _between(running, start, end)


class Sums:
    """The figures of a :class:`DayTally` over any period."""

    __slots__ = ("counted", "met", "pinned", "total")

    def __init__(self, counted: _Days, met: _Days, total: _Days, pinned: dict[int, Tally]) -> None:
        self.counted = counted
        self.met = met
        self.total = total
        self.pinned = pinned

    def figures(self, n: int, start: int, end: int) -> tuple[int, int, int]:
        """Counted, met and total measure of the period at position ``n``, from ``start`` to
        ``end`` (ordinals)."""
        d = self.counted.between(start, end)
        k = self.met.between(start, end)
        total = self.total.between(start, end)
        pin = self.pinned.get(n)
        if pin is not None:
            d += pin[0]
            k += pin[1]
            total += pin[2]
        return d, k, total


def _running(days: list[int]) -> _Running:
    """The running counts of ``days`` (one per decision)."""
    per_day = Counter(days)
    keys = sorted(per_day)
    return keys, list(itertools.accumulate((per_day[k] for k in keys), initial=0))


def _running_sum(days: Sequence[int], values: Sequence[int]) -> _Running:
    """The running totals of ``values`` by their ``days``."""
    per_day: dict[int, int] = {}
    for day, value in zip(days, values, strict=True):
        per_day[day] = per_day.get(day, 0) + value
    keys = sorted(per_day)
    return keys, list(itertools.accumulate((per_day[k] for k in keys), initial=0))


def _between(running: _Running, start: int, end: int) -> int:
    """The total of the days from ``start`` to ``end``, both included."""
    keys, sums = running
    if not keys:
        return 0
    return sums[bisect.bisect_right(keys, end)] - sums[bisect.bisect_left(keys, start)]
