"""Building one child's care history from their episodes (decisions D14, D15 and D17).

Private: :func:`build_history` is importable from :mod:`csc_indicators.care_history`, which
describes the rules.
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Iterable

from ._history_model import ChildHistory, PeriodOfCare, episode_key
from .indicators._twins import choose_twin, describe_record, same_as_known
from .records.looked_after import Episode
from .results import DataIssue

__all__ = ["build_history"]


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


_start_of = operator.attrgetter("start_date")


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
    # Sorted by start date; only twins (two episodes starting on one date) need the rest of
    # episode_key to be ordered (a stable sort keeps the order of equal keys as given).
    ordered = sorted(episodes, key=_start_of)
    starts = [e.start_date for e in ordered]
    twins = len(set(starts)) < len(starts)
    if twins:
        ordered.sort(key=episode_key)
    usable = ordered
    for e in ordered:
        end = e.end_date
        if end is not None and end < e.start_date:
            break
    else:
        end = None
    if end is not None:  # an episode ends before it starts
        usable = []
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
            usable.append(e)
    if twins:
        usable = _one_per_start(child_id, usable, as_of, issues)
    if usable is not ordered:
        starts = [e.start_date for e in usable]

    # Episodes starting and ending on one day, then how each episode joins the previous one
    # (the periods of care begin at the positions in ``firsts``).
    joins: list[DataIssue] = []
    firsts = [0]
    prev: Episode | None = None
    for i, e in enumerate(usable):
        end = e.end_date
        if end is not None and end == e.start_date:
            issues.append(
                DataIssue(
                    f"episode starts and ends on the same day ({e.start_date})",
                    child_id,
                    e,
                    "date order",
                )
            )
        # The usual join (the next episode starts the day the previous one ended, not as a
        # fresh start, after an end that is not a cessation) reports nothing.
        if (
            prev is not None
            and not (
                e.start_date == prev.end_date
                and e.reason_new_episode != "S"
                and prev.reason_ceased in (None, "X1")
            )
            and not _joins(child_id, prev, e, joins, as_of)
        ):
            firsts.append(i)
        prev = e
    issues += joins

    # The periods of care, each with the next one's start when known by ``as_of``; a last
    # episode ending X1 with nothing following is reported (decision D17).
    episodes_held = tuple(usable)
    periods: list[PeriodOfCare] = []
    period_of: list[int] = []
    count = len(firsts) if usable else 0
    for n in range(count):
        first = firsts[n]
        if n + 1 < count:
            last = firsts[n + 1]
            nxt: _dt.date | None = usable[last].start_date
            if as_of is not None and nxt is not None and nxt > as_of:
                nxt = None
        else:
            last = len(usable)
            nxt = None
        # (A tuple's whole slice is the tuple itself: one period of care shares it.)
        periods.append(PeriodOfCare(child_id, episodes_held[first:last], first, nxt))
        period_of += [n] * (last - first)
        final = usable[last - 1]
        if nxt is None and final.end_date is not None and final.reason_ceased == "X1":
            issues.append(
                DataIssue(
                    f"episode ending {final.end_date} has reason X1 (a new episode follows) but "
                    "no episode follows"
                    + ("" if as_of is None else f" by {as_of}")
                    + ": not counted as ceasing to be looked after (decision D17)",
                    child_id,
                    final,
                    "inconsistent",
                )
            )
    return ChildHistory(
        child_id,
        episodes_held,
        tuple(periods),
        tuple(period_of),
        tuple(issues),
        tuple(starts),
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
