"""The outcome of a period of care for ``initial_health_assessments_within_20_working_days``
in ``health``, over many periods at once: :class:`Assess` (the rules numbered in comments are
the indicator's, as on the specification page
``docs/indicators/initial_health_assessments_within_20_working_days.md``).

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ...care_history import ChildHistory, PeriodOfCare
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Decisions
from ...records.looked_after import Episode
from .._common import iso
from ._ends import AtEnd

__all__ = ["Assess"]


class Assess:
    """The outcome of a period of care starting in a period (rules 1 to 5)."""

    __slots__ = ("at_ends", "count", "d", "limit", "unit")

    def __init__(
        self,
        d: Decisions,
        at_ends: Sequence[AtEnd],
        limit: int,
        unit: str,
        count: Callable[[_dt.date, _dt.date], tuple[int | None, str | None]],
    ) -> None:
        self.d = d
        self.at_ends = at_ends
        self.limit = limit
        self.unit = unit
        self.count = count

    def start(
        self,
        cid: str,
        k: int,
        poc: PeriodOfCare,
        dates: list[_dt.date],
        ats: Sequence[AtEnd],
        ends: list[_dt.date],
        one: ChildHistory | None = None,
    ) -> None:
        """The ``k``-th period of care of the child, ``poc``, in every period of the ends
        ``ats`` (those whose histories hold the same periods of care; ``ends``, their ends)
        holding its start; ``dates``: the child's assessment dates, sorted; ``one``: the
        child's history when it is the same on each of ``ats`` (else ``ats`` hold it)."""
        d = self.d
        start = poc.start
        first = poc.episodes[0]
        if not d.keep and (
            first.reason_new_episode != "S" or first.legal_status in SHORT_BREAK_LEGAL_STATUSES
        ):
            return  # excluded by rule 1: in summary mode, not made (the figures are the same)
        # The ends with a period holding the start.
        held = [at for at in ats[bisect.bisect_left(ends, start) :] if at.earliest <= start]
        if not held:
            return
        # Every period holding the start holds the outcome when the child's history is the
        # same at every end and the outcome the same at the ends: then it is placed by the
        # start, else pinned to the periods giving it.
        everywhere = ats is self.at_ends
        if first.reason_new_episode != "S":  # rule 1
            place = self._place(start, held, everywhere)
            self.d.exclude(
                cid,
                first,
                f"the first episode of this period of care has RNE "
                f"{first.reason_new_episode}, not S (started to be "
                "looked after): the data begin part-way through it",
                day=place.day,
                periods=place.periods,
            )
            return
        if first.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 1
            place = self._place(start, held, everywhere)
            self.d.exclude(
                cid,
                first,
                f"short break (legal status {first.legal_status})",
                day=place.day,
                periods=place.periods,
            )
            return
        i = bisect.bisect_left(dates, start)  # rule 4: the first assessment from the start
        after = dates[i] if i < len(dates) else None
        if (
            one is not None
            and not d.keep
            and self._summary(one, k, cid, first, poc, after, held, everywhere)
        ):
            return
        limit = self.limit
        # The ends giving the same outcome, by what decides it.
        same: dict[tuple[object, ...], list[AtEnd]] = {}
        h: ChildHistory | None = None
        stop: _dt.date | None = None
        counted: tuple[_dt.date, int | None, str | None] | None = None
        for at in held:
            end = at.end
            now = one if one is not None else at.histories[cid]
            if now is not h:  # the period of care as known on the end
                h = now
                known = now.periods[k]
                stop = known.end if known.ceased else None
            until = stop if stop is not None and stop < end else end  # rule 2
            if counted is None or counted[0] != until:
                counted = (until, *self.count(start, until))
            lasted = counted[1]
            if lasted is None:  # rule 5
                key: tuple[object, ...] = ("calendar", counted[2])
            elif lasted < limit:  # rule 3
                key = ("short", lasted, until)
            elif after is None or after > end:  # rule 4: none by the end
                key = ("none", end)
            else:
                key = ("assessed", after)
            group = same.get(key)
            if group is None:
                same[key] = [at]
            else:
                group.append(at)
        alike = everywhere and len(same) == 1
        for key, group in same.items():
            self._decide(self._place(start, group, alike), cid, first, poc, key)

    def _summary(
        self,
        h: ChildHistory,
        k: int,
        cid: str,
        first: Episode,
        poc: PeriodOfCare,
        after: _dt.date | None,
        held: list[AtEnd],
        everywhere: bool,
    ) -> bool:
        """Summary mode, the child's history ``h`` the same on each of ``held``: the outcomes
        of :meth:`start` with the figures it gives, its days counted on a few ends only. The
        period of care as known on the ends is the same, so the time looked after (rule 2) does
        not decrease from one end to the next: it is short (rule 3) up to some end, then the
        outcome is no assessment by the end, then assessed (rule 4); the ends giving no
        assessment are counted as one decision (its reason, naming the end, is not made). Gives
        ``False`` (nothing decided) when a day cannot be counted (rule 5): :meth:`start` then
        decides each end."""
        known = h.periods[k]
        stop = known.end if known.ceased else None
        start = poc.start
        limit = self.limit

        def lasted(at: AtEnd) -> int | None:
            end = at.end
            return self.count(start, stop if stop is not None and stop < end else end)[0]

        most = lasted(held[-1])  # rule 2: counted to the period's end, or that of care
        if most is None:  # rule 5: a day the calendar does not cover
            return False
        if most < limit:  # rule 3 on every end (an exclusion: not made in summary mode)
            return True
        # The first end by which the period of care has lasted the limit (the days between
        # the start and the last end are covered by the calendar).
        lo, hi = 0, len(held) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            got = lasted(held[mid])
            if got is not None and got >= limit:
                hi = mid
            else:
                lo = mid + 1
        # Rule 4: no assessment by the ends before it, assessed on the ends from it.
        split = len(held) if after is None else bisect.bisect_left(held, after, lo, key=_end)
        # Placed by the start when one outcome holds on every end (see :meth:`_place`).
        one = everywhere and lo == 0 and split in (0, len(held))
        if split > lo:
            none = held[lo:split]
            self._decide(self._place(start, none, one), cid, first, poc, ("none", none[-1].end))
        if split < len(held):
            assert after is not None
            self._decide(
                self._place(start, held[split:], one), cid, first, poc, ("assessed", after)
            )
        return True

    def _place(self, start: _dt.date, held: list[AtEnd], everywhere: bool) -> _Place:
        """Where an outcome goes: placed by the start, when the periods of the ends ``held``
        holding it are every period holding it (``everywhere``), else pinned to those."""
        if everywhere:
            return _Place(start, None)
        return _Place(
            None, sorted(n for at in held for s, ns in at.starts.items() if s <= start for n in ns)
        )

    def _decide(
        self,
        place: _Place,
        cid: str,
        first: Episode,
        poc: PeriodOfCare,
        key: tuple[object, ...],
    ) -> None:
        d = self.d
        keep = d.keep
        day, where = place.day, place.periods
        what = key[0]
        if what == "calendar":  # rule 5
            problem = str(key[1])
            d.issue(problem, cid, first, "calendar", day=day, periods=where)
            d.exclude(cid, first, problem, day=day, periods=where)
            return
        if what == "short":  # rule 3
            if not keep:
                return  # in summary mode an exclusion is not made (the figures are the same)
            lasted, until = key[1], key[2]
            assert isinstance(until, _dt.date)
            d.exclude(
                cid,
                first,
                lambda: (
                    f"looked after for {lasted} {self.unit} (from "
                    f"{iso(poc.start)} to {iso(until)}), fewer than {self.limit}"
                ),
                day=day,
                periods=where,
            )
            return
        if what == "none":  # rule 4
            end = key[1]
            assert isinstance(end, _dt.date)
            d.count(
                cid,
                first,
                False,
                reason=lambda: f"no initial health assessment from {iso(poc.start)} to {iso(end)}",
                details={"started": iso(poc.start)} if keep else None,
                day=day,
                periods=where,
            )
            return
        assessed = key[1]
        assert isinstance(assessed, _dt.date)
        measure, trouble = self.count(poc.start, assessed)
        if measure is None:  # rule 5
            assert trouble is not None
            d.issue(trouble, cid, first, "calendar", day=day, periods=where)
            d.exclude(
                cid,
                first,
                trouble,
                details={"assessed": iso(assessed)} if keep else None,
                day=day,
                periods=where,
            )
            return
        d.count(
            cid,
            first,
            measure <= self.limit,  # rule 4
            measure,
            details={"started": iso(poc.start), "assessed": iso(assessed)} if keep else None,
            day=day,
            periods=where,
        )


def _end(at: AtEnd) -> _dt.date:
    return at.end


class _Place(NamedTuple):
    """Where an outcome goes: placed by a day, or pinned to the periods at positions."""

    day: _dt.date | None
    periods: list[int] | None
