"""A looked-after child's history of care, derived once from their SSDA903 episodes.

The SSDA903 return records *episodes*: a new episode starts whenever the legal status, the
placement or the carer changes, and the reason for the new episode (RNE) says which. Three
derived notions are needed by several indicators:

* a **period of care**: a chain of a child's episodes joined without a gap (each episode's end
  date is the next one's start date, and the next one is not a fresh start, RNE ``S``);
* a **placement**: consecutive episodes of one period of care that differ only in legal status
  (the later ones have RNE ``L``) collapsed into one;
* the **carer chain** of decision D9: from one episode, walk back over the episodes that joined
  without a change of carer (RNE ``L``, ``T`` or ``U``); the first episode reached is when the
  child started living with the current carer.

:func:`build_histories` groups episodes by child, sorts each child's episodes once into a total
order, keeps one of several episodes starting on the same date (decision D14: an exact duplicate
is reported as ``duplicate``; different episodes are a ``conflict``, and the one with the later
end, then more recorded detail, is kept, whatever the order of the records), leaves out
impossible episodes (reporting each as a :class:`~csc_indicators.results.DataIssue`), and
chains the rest into periods of care.

Judged as known on a date (decision D15): given ``as_of`` (an indicator passes
``period.end``), an end date after ``as_of`` counts as open when choosing between twins, and a
period of care is followed by another only when the next one starts by ``as_of``.

Cessation (decision D17): REC ``X1`` ("a new episode follows") never ends a period of care by
itself; a gap or a non-X1 reason does. A period of care whose last episode ends X1 with no
episode following it is reported and is not :attr:`PeriodOfCare.ceased`. Every
query afterwards (``episode_on``, ``period_on``, ``carer_start``) is logarithmic or linear in
that child's episodes, so indicators built on it are linear in the number of episodes.

"Looked after on a date" uses half-open episodes: an episode covers ``start <= day < end`` (or
every day from ``start`` when open). Consecutive episodes join on the same date, so the child is
covered on the joining day by the later episode; a final episode ending on 31 March means the
child ceased to be looked after on 31 March and is *not* looked after on that day (DfE counts
such a child among those who ceased in the year).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as _dt
from collections.abc import Iterable, Iterator

import attrs

from .codes import (
    FOSTER_CARER_ADOPTION_PLACEMENTS,
    NEW_CARER_ADOPTION_PLACEMENTS,
    SHORT_BREAK_LEGAL_STATUSES,
    TEMPORARY_PLACEMENTS,
)
from .indicators._twins import choose_twin, describe_record, same_as_known
from .records.looked_after import Episode
from .results import DataIssue

__all__ = [
    "NEW_PLACEMENT_REASONS",
    "SAME_CARER_REASONS",
    "ChildHistory",
    "PeriodOfCare",
    "Placement",
    "build_histories",
    "build_history",
    "clear_history_cache",
    "episode_key",
    "is_new_placement",
    "known_as_of",
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


def _iso(day: _dt.date | None) -> str:
    return "open" if day is None else day.isoformat()


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


def _episode_end(e: Episode) -> _dt.date | None:
    return e.end_date


def _one_per_start(
    child_id: str, ordered: list[Episode], as_of: _dt.date | None, issues: list[DataIssue]
) -> list[Episode]:
    """One episode per start date (decision D14), in start order; twins are reported."""
    groups: list[list[Episode]] = []
    for e in ordered:
        if groups and groups[-1][0].start_date == e.start_date:
            groups[-1].append(e)
        else:
            groups.append([e])
    out: list[Episode] = []
    for group in groups:
        if len(group) == 1:  # no twin: nothing to choose or report
            out.append(group[0])
            continue
        kept = choose_twin(group, end=_episode_end, as_of=as_of)
        out.append(kept)
        seen: list[Episode] = []
        kept_seen = False
        for e in group:
            if e is kept and not kept_seen:
                kept_seen = True
                continue
            if same_as_known(e, kept, as_of):
                issues.append(
                    DataIssue(
                        f"duplicate episode starting {e.start_date}; counted once",
                        child_id,
                        e,
                        "duplicate",
                    )
                )
                continue
            if any(same_as_known(e, x, as_of) for x in seen):
                continue
            seen.append(e)
            issues.append(
                DataIssue(
                    f"two different episodes start on {e.start_date} (decision D14): "
                    f"{describe_record(kept, as_of)} is kept, not {describe_record(e, as_of)}",
                    child_id,
                    e,
                    "conflict",
                )
            )
    return out


def build_history(
    child_id: str, episodes: Iterable[Episode], *, as_of: _dt.date | None = None
) -> ChildHistory:
    """One child's history from their episodes (in any order); problems become issues.

    Args:
        child_id: the child.
        episodes: the child's episodes, in any order.
        as_of: judge the history as known on this date (decision D15): ends after it count as
            open when choosing between twins, and only a period of care starting by then
            follows another. ``None``: everything in the data is known.
    """
    issues: list[DataIssue] = []
    ordered = sorted(episodes, key=episode_key)
    valid: list[Episode] = []
    for e in ordered:
        if e.end_date is not None and e.end_date < e.start_date:
            issues.append(
                DataIssue(
                    f"episode starting {e.start_date} ends before it starts ({e.end_date}); "
                    "left out of the history",
                    child_id,
                    e,
                    "date order",
                )
            )
            continue
        valid.append(e)
    usable = _one_per_start(child_id, valid, as_of, issues)
    for e in usable:
        if e.end_date is not None and e.end_date == e.start_date:
            issues.append(
                DataIssue(
                    f"episode starts and ends on the same day ({e.start_date})",
                    child_id,
                    e,
                    "date order",
                )
            )

    periods: list[PeriodOfCare] = []
    period_of: list[int] = []
    first = 0
    for i, e in enumerate(usable):
        if i > 0:
            prev = usable[i - 1]
            joined = _joins(child_id, prev, e, issues, as_of)
            if not joined:
                periods.append(PeriodOfCare(child_id, tuple(usable[first:i]), first))
                first = i
        period_of.append(len(periods))
    if usable:
        periods.append(PeriodOfCare(child_id, tuple(usable[first:]), first))
    for n, poc in enumerate(periods[:-1]):
        nxt = periods[n + 1].start
        if as_of is None or nxt <= as_of:
            periods[n] = attrs.evolve(poc, next_start=nxt)
    for poc in periods:
        if poc.end is not None and poc.reason_ceased == "X1" and poc.next_start is None:
            last = poc.episodes[-1]
            issues.append(
                DataIssue(
                    f"episode ending {poc.end} has reason X1 (a new episode follows) but no "
                    "episode follows"
                    + ("" if as_of is None else f" by {as_of}")
                    + ": not counted as ceasing to be looked after (decision D17)",
                    child_id,
                    last,
                    "inconsistent",
                )
            )
    return ChildHistory(
        child_id,
        tuple(usable),
        tuple(periods),
        tuple(period_of),
        tuple(issues),
        tuple(e.start_date for e in usable),
    )


def _joins(
    child_id: str,
    prev: Episode,
    nxt: Episode,
    issues: list[DataIssue],
    as_of: _dt.date | None = None,
) -> bool:
    """Whether ``nxt`` continues ``prev``'s period of care; report inconsistencies (an end
    after ``as_of`` is not known then, decision D15, so it is described as open)."""
    if prev.end_date is None or nxt.start_date < prev.end_date:
        known_end = (
            None
            if as_of is not None and prev.end_date and prev.end_date > as_of
            else (prev.end_date)
        )
        ends = "still open" if known_end is None else f"ending {known_end}"
        issues.append(
            DataIssue(
                f"episode starting {nxt.start_date} overlaps the episode starting "
                f"{prev.start_date} ({ends}); the later episode is taken to "
                "continue the same period of care from its start",
                child_id,
                nxt,
                "overlap",
            )
        )
        return True
    if nxt.start_date == prev.end_date:
        if nxt.reason_new_episode == "S":
            if prev.reason_ceased == "X1":
                issues.append(
                    DataIssue(
                        f"episode ending {prev.end_date} has reason X1 (a new episode follows) but "
                        "the next episode has RNE S (started to be looked after); a new period of "
                        "care is taken to start",
                        child_id,
                        nxt,
                        "inconsistent",
                    )
                )
            return False
        if prev.reason_ceased not in (None, "X1"):
            issues.append(
                DataIssue(
                    f"episode ending {prev.end_date} has reason {prev.reason_ceased} (left care) "
                    f"but the next episode continues with RNE {nxt.reason_new_episode}; taken as "
                    "one period of care",
                    child_id,
                    nxt,
                    "inconsistent",
                )
            )
        return True
    # A gap between the two episodes.
    if nxt.reason_new_episode != "S" or prev.reason_ceased == "X1":
        issues.append(
            DataIssue(
                f"gap from {prev.end_date} to {nxt.start_date} inside what is recorded as one "
                f"chain (reason ceased {prev.reason_ceased or '-'}, next RNE "
                f"{nxt.reason_new_episode}); a new period of care is taken to start",
                child_id,
                nxt,
                "gap",
            )
        )
    return False


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
