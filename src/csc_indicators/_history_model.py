"""The care history's types and queries: periods of care, placements, a child's history.

Private: the public names are importable from :mod:`csc_indicators.care_history`, which
describes the notions (periods of care, placements, the carer chain of decision D9).
"""

from __future__ import annotations

import bisect
import datetime as _dt

import attrs

from .codes import (
    FOSTER_CARER_ADOPTION_PLACEMENTS,
    NEW_CARER_ADOPTION_PLACEMENTS,
    SHORT_BREAK_LEGAL_STATUSES,
    TEMPORARY_PLACEMENTS,
)
from .records.looked_after import Episode
from .results import DataIssue

__all__ = [
    "NEW_PLACEMENT_REASONS",
    "SAME_CARER_REASONS",
    "ChildHistory",
    "PeriodOfCare",
    "Placement",
    "episode_key",
    "is_new_placement",
    "placements",
]

SAME_CARER_REASONS = frozenset({"L", "T", "U"})
"""RNE codes of an episode that continues with the same carer: L legal status only, T placement
with the same carer, U legal status and placement with the same carer."""

NEW_PLACEMENT_REASONS = frozenset({"S", "P", "B", "T", "U"})
"""RNE codes of an episode that starts a new placement (decision D8): every reason but L."""


def episode_key(episode: Episode) -> tuple[object, ...]:
    """A total order on episodes: start date, then end date (open last), then every code."""
    return (
        episode.start_date,
        episode.end_date or _dt.date.max,
        episode.reason_new_episode,
        episode.legal_status,
        episode.placement,
        episode.reason_ceased or "",
        episode.placement_provider or "",
        episode.reason_place_change or "",
        episode.category_of_need or "",
    )


def _covers(start: _dt.date, end: _dt.date | None, day: _dt.date) -> bool:
    return start <= day and (end is None or day < end)


@attrs.frozen(slots=True)
class PeriodOfCare:
    """A chain of one child's episodes joined without a gap."""

    child_id: str
    """The child's identifier."""
    episodes: tuple[Episode, ...]
    """The episodes, in date order."""
    first_index: int
    """The position of the first episode in :attr:`ChildHistory.episodes`."""
    next_start: _dt.date | None = None
    """The start of the child's next period of care (known by the history's ``as_of`` date),
    ``None`` when none follows."""

    @property
    def start(self) -> _dt.date:
        """The date the period of care started (the first episode's ``DECOM``)."""
        return self.episodes[0].start_date

    @property
    def end(self) -> _dt.date | None:
        """The date it ended (the last episode's ``DEC``), ``None`` while open."""
        return self.episodes[-1].end_date

    @property
    def reason_ceased(self) -> str | None:
        """Why it ended (the last episode's ``REC``), ``None`` while open."""
        return self.episodes[-1].reason_ceased if self.end is not None else None

    @property
    def ceased(self) -> bool:
        """Whether the child ceased to be looked after at :attr:`end` (decision D17): the
        period has an end, and its reason is not X1 or another period of care follows (after
        a gap). A last episode ending X1 with nothing following is not a cessation."""
        if self.end is None:
            return False
        return self.reason_ceased != "X1" or self.next_start is not None

    @property
    def last_index(self) -> int:
        """The position of the last episode in :attr:`ChildHistory.episodes`."""
        return self.first_index + len(self.episodes) - 1

    def covers(self, day: _dt.date) -> bool:
        """Whether the child was looked after in this period of care on ``day``."""
        return _covers(self.start, self.end, day)


@attrs.frozen(slots=True)
class Placement:
    """Consecutive episodes that differ only in legal status (RNE ``L``), as one placement."""

    child_id: str
    """The child's identifier."""
    episodes: tuple[Episode, ...]
    """The episodes, in date order; every one after the first has RNE ``L``."""

    @property
    def start(self) -> _dt.date:
        """The date the placement started."""
        return self.episodes[0].start_date

    @property
    def end(self) -> _dt.date | None:
        """The date the placement ended, ``None`` while open."""
        return self.episodes[-1].end_date

    @property
    def placement(self) -> str:
        """The placement type (``PLACE``) of the first episode."""
        return self.episodes[0].placement

    @property
    def reason_new_episode(self) -> str:
        """The RNE that started the placement."""
        return self.episodes[0].reason_new_episode


@attrs.frozen(slots=True)
class ChildHistory:
    """One child's usable episodes, chained into periods of care, with the problems found."""

    child_id: str
    """The child's identifier."""
    episodes: tuple[Episode, ...]
    """The usable episodes in :func:`episode_key` order (duplicates and episodes ending before
    they start are left out and reported in :attr:`issues`)."""
    periods: tuple[PeriodOfCare, ...]
    """The periods of care, in date order."""
    period_of: tuple[int, ...]
    """For each episode, the position of its period of care in :attr:`periods`."""
    issues: tuple[DataIssue, ...]
    """Data problems found in this child's episodes."""
    _starts: tuple[_dt.date, ...] = attrs.field(repr=False)

    def index_on(self, day: _dt.date) -> int | None:
        """The position of the episode covering ``day`` (``start <= day < end``), or ``None``."""
        i = bisect.bisect_right(self._starts, day) - 1
        if i < 0:
            return None
        e = self.episodes[i]
        return i if _covers(e.start_date, e.end_date, day) else None

    def episode_on(self, day: _dt.date) -> Episode | None:
        """The episode covering ``day``, or ``None`` when not looked after that day."""
        i = self.index_on(day)
        return None if i is None else self.episodes[i]

    def period_on(self, day: _dt.date) -> PeriodOfCare | None:
        """The period of care covering ``day``, or ``None``."""
        i = self.index_on(day)
        return None if i is None else self.periods[self.period_of[i]]

    def looked_after_on(self, day: _dt.date) -> bool:
        """Whether the child was looked after on ``day`` (an episode covers it)."""
        return self.index_on(day) is not None

    def short_break_on(self, day: _dt.date) -> bool:
        """Whether the episode covering ``day`` is a short break (legal status V3 or V4)."""
        e = self.episode_on(day)
        return e is not None and e.legal_status in SHORT_BREAK_LEGAL_STATUSES

    def carer_start(self, index: int, *, adoption_clause: bool = False) -> int:
        """The position of the first episode of the carer chain ending at episode ``index``.

        Walk back while the episode joined its predecessor in the same period of care without
        a change of carer (RNE ``L``, ``T`` or ``U``). With ``adoption_clause`` (the old NI 63
        rule), when the walk stops at an episode that placed the child for adoption with a new
        carer (placement A4 or A6, or the legacy A1), the previous placement's chain is included
        too (once).
        """
        period = self.period_of[index]
        i = index
        used_clause = False
        while i > 0 and self.period_of[i - 1] == period:
            e = self.episodes[i]
            if e.reason_new_episode in SAME_CARER_REASONS:
                i -= 1
            elif (
                adoption_clause and not used_clause and e.placement in NEW_CARER_ADOPTION_PLACEMENTS
            ):
                used_clause = True
                i -= 1
            else:
                break
        return i

    @property
    def starts(self) -> tuple[_dt.date, ...]:
        """The start date of each episode, in order."""
        return self._starts

    def overlapping(self, start: _dt.date, end: _dt.date) -> list[Episode]:
        """The episodes that cover at least one day of ``[start, end]``."""
        hi = bisect.bisect_right(self._starts, end)
        return [e for e in self.episodes[:hi] if e.end_date is None or e.end_date > start]


def is_new_placement(episode: Episode, *, count_temporary: bool = True) -> bool:
    """Whether an episode starts a new placement (decision D8).

    RNE ``S``, ``P``, ``B``, ``T`` and ``U`` start a new placement and ``L`` never does, except
    that a ``T`` or ``U`` move into A3 or A5 (placed for adoption with the existing foster
    carer) is not a new placement. With ``count_temporary=False`` a temporary placement (T0-T4)
    is not a new placement either.
    """
    rne = episode.reason_new_episode
    if rne not in NEW_PLACEMENT_REASONS:
        return False
    if rne in ("T", "U") and episode.placement in FOSTER_CARER_ADOPTION_PLACEMENTS:
        return False
    return count_temporary or episode.placement not in TEMPORARY_PLACEMENTS


def placements(period: PeriodOfCare) -> tuple[Placement, ...]:
    """The placements of a period of care: its episodes with RNE ``L`` changes collapsed."""
    groups: list[list[Episode]] = []
    for e in period.episodes:
        if groups and e.reason_new_episode == "L":
            groups[-1].append(e)
        else:
            groups.append([e])
    return tuple(Placement(period.child_id, tuple(g)) for g in groups)
