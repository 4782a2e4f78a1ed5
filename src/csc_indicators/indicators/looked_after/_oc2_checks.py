"""The annual health and dental checks of children looked after for 12 months (SSDA903 OC2),
over many periods at once: :func:`oc2`, behind ``lac_annual_health_check`` and
``lac_dental_check`` in ``health`` (the rules numbered in comments are theirs, as on the
specification pages ``docs/indicators/lac_annual_health_check.md`` and
``docs/indicators/lac_dental_check.md``).

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..._history_cache import remembered
from ...builder import Reason
from ...care_history import ChildHistory, HistoryRun
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Decisions
from ...durations import Interval, before
from ...periods import Period
from ...records.looked_after import Episode, HealthOutcomeRecord
from ...results import IndicatorResult
from .._common import iso
from ._ends import AtEnd, Places, histories_at_ends
from ._oc_records import by_collection_year, in_year_order, one_per_child
from ._over import runs_at_ends
from ._shared import open_spans, whole_months

__all__ = ["oc2"]


def _oc2_cohort(
    h: ChildHistory, e: Episode, end: _dt.date, within: Interval, cutoff: _dt.date
) -> Reason:
    """Rules 1 and 2 of the OC2 indicators for a child looked after on ``end`` in episode
    ``e``: why the child is not in the cohort, or ``None``."""
    poc = h.period_on(end)
    assert poc is not None
    if poc.start > cutoff:
        return lambda: (
            f"looked after since {iso(poc.start)}, not continuously for {whole_months(within)} "
            f"(needs {iso(cutoff)} or earlier)"
        )
    sb = next(
        (x for x in h.overlapping(cutoff, end) if x.legal_status in SHORT_BREAK_LEGAL_STATUSES),
        None,
    )
    if sb is not None:
        return lambda: (
            f"short-break episode (legal status {sb.legal_status}) from "
            f"{iso(sb.start_date)} in the {whole_months(within)}"
        )
    return None


def _not_looked_after(last: Episode, end: _dt.date) -> Reason:
    """Rule 1: why a child whose last episode touching the period is ``last`` is not looked
    after on ``end`` (as :func:`~._shared.in_period_or_end` says it)."""
    if last.end_date is None or last.end_date > end:
        # Judged as known on the end (decision D15): an end after it is not named.
        return lambda: (
            f"not looked after on {iso(end)}: the episode from {iso(last.start_date)} "
            "has no end by then, but a later episode ended before it"
        )
    return lambda: (
        f"not looked after on {iso(end)}: the last episode in the period ended {iso(last.end_date)}"
    )


def oc2(
    of: Callable[..., IndicatorResult],
    field: str,
    item: str,
    episodes: Iterable[Episode],
    outcomes: Iterable[HealthOutcomeRecord],
    periods: Sequence[Period],
    within: Interval,
) -> list[IndicatorResult]:
    """The OC2 indicators over many periods, by collection year (rule 3)."""
    if not isinstance(episodes, (tuple, list)):
        episodes = list(episodes)
    ordered = in_year_order(outcomes, lambda o: (repr(_oc2_values(o)),))
    # With several period ends, each child's span of care says which ends can concern them.
    several = len({p.end for p in periods}) > 1
    spans: dict[str, tuple[_dt.date, _dt.date | None]] | None = None
    out: list[IndicatorResult | None] = [None] * len(periods)
    for year, positions in by_collection_year(periods).items():
        d = Decisions(of, [periods[n] for n in positions])
        if not d.keep and len({p.end for p in d.periods}) > 1:
            # Summary mode over several ends: each child's ends in the cohort at once.
            _oc2_summary(d, episodes, ordered, year, field, item, within)
            for n, result in zip(positions, d.results({"within": within}), strict=True):
                out[n] = result
            continue
        if several and spans is None:
            spans = _spans(episodes)
        at_ends, _ = histories_at_ends(episodes, d, d.periods)
        records, others = one_per_child(ordered, year, d, "OC2")  # rule 3
        known = at_ends[0].histories
        ends = [at.end for at in at_ends]
        cutoffs = [before(end, within) + _dt.timedelta(days=1) for end in ends]
        earliest = [at.earliest for at in at_ends]
        pairs = list(zip(at_ends, cutoffs, strict=True))
        places = Places(d.periods)
        for cid in sorted(set(known) | set(records)):  # records of other years are not outcomes
            r = records.get(cid)
            first, last = (None, None) if spans is None else spans.get(cid, (None, None))
            same: dict[tuple[object, ...], list[int]] = {}
            if d.keep:
                for at, cutoff, start in zip(at_ends, cutoffs, earliest, strict=True):
                    if (
                        spans is not None
                        and r is None
                        and (first is None or (last is not None and last <= start))
                    ):
                        continue  # no episode touches the periods, no record: not an outcome
                    _oc2_child(d, places, cid, at, cutoff, r, within, same)
            elif spans is None:
                # In summary mode only the children in the cohort matter (an exclusion does
                # not change the figures): those looked after on the end.
                if cid in known:
                    _in_cohort(cid, pairs, r, same)
            elif first is not None:
                lo = bisect.bisect_left(ends, first)
                hi = len(ends) if last is None else bisect.bisect_left(ends, last)
                if lo < hi:
                    _in_cohort(cid, pairs[lo:hi], r, same)
            for key, where in same.items():  # rule 4: in the cohort on these ends
                _oc2_counted(d, places, cid, key, where, r, others.get(cid), year, field, item)
        for n, result in zip(positions, d.results({"within": within}), strict=True):
            out[n] = result
    return [r for r in out if r is not None]


def _oc2_summary(
    d: Decisions,
    episodes: Sequence[Episode],
    ordered: Sequence[HealthOutcomeRecord],
    year: int,
    field: str,
    item: str,
    within: Interval,
) -> None:
    """:func:`oc2` in summary mode over periods of several ends, for one collection year:
    the history issues as :func:`~._ends.histories_at_ends` adds them
    (:func:`~._over.runs_at_ends`), the OC2 records (rule 3), and each child in the cohort on
    some ends (rules 1 and 2, remembered for the other OC2 indicator of a series) counted
    once for the ends with the same outcome (rule 4); without outcomes collected, those
    decisions are only tallied, by their periods and whether met."""
    at_ends, runs = runs_at_ends(episodes, d)
    ends = tuple(at.end for at in at_ends)
    at = [at.positions for at in at_ends]  # the positions of the periods ending on each
    places = Places(d.periods)
    records, others = one_per_child(ordered, year, d, "OC2")  # rule 3
    cutoffs = tuple(before(end, within) + _dt.timedelta(days=1) for end in ends)
    cohort = remembered(
        episodes, ("OC2 cohort", ends, cutoffs), lambda: _cohort(runs, ends, cutoffs)
    )
    if d.tally(0):  # no outcome collected: the decisions tallied by their ends, met or not
        tallied: dict[tuple[tuple[int, ...], bool], int] = {}
        for cid, (by_episode, every) in cohort.items():
            r = records.get(cid)
            met = r is not None and bool(getattr(r, field))  # rule 4: met when the item is 1
            for js in [js for _, js in by_episode] if r is None else [every]:
                key = (tuple(js), met)
                tallied[key] = tallied.get(key, 0) + 1
        for (ends_in, met), times in tallied.items():
            day, pins = places.of([n for j in ends_in for n in at[j]])
            d.tally(times, times if met else 0, day=day, periods=pins)
        return
    for cid, (by_episode, every) in cohort.items():  # in child order
        r = records.get(cid)
        if r is None:
            for e, js in by_episode:
                where = [n for j in js for n in at[j]]
                _oc2_counted(d, places, cid, (e,), where, r, others.get(cid), year, field, item)
        else:
            where = [n for j in every for n in at[j]]
            _oc2_counted(d, places, cid, (), where, r, others.get(cid), year, field, item)


_Cohort = dict[str, tuple[list[tuple[Episode, list[int]]], list[int]]]
"""The children in the OC2 cohort on some ends, in child order: the indices of those ends
by the episode on them (in order of the ends), and all of them."""


def _cohort(
    runs: Mapping[str, Sequence[HistoryRun]],
    ends: Sequence[_dt.date],
    cutoffs: Sequence[_dt.date],
) -> _Cohort:
    """The ends (by index) on which each child is in the OC2 cohort (rules 1 and 2, as
    :func:`_in_cohort` decides them end by end), by the episode open on them: the child is
    looked after on the end, in a period of care started by its cutoff, with no short break
    from the cutoff to the end."""
    out: _Cohort = {}
    # The cutoffs follow the ends (a fixed time before each): those of a span reached from
    # the first one on or after the start of the period of care.
    ordered = all(a <= b for a, b in itertools.pairwise(cutoffs))
    for cid, held in runs.items():
        by_episode: dict[Episode, list[int]] = {}
        every: list[int] = []
        for h, first, stop in held:
            spans = open_spans(h, ends, first, stop)  # rule 1: looked after on the ends
            if not spans:
                continue
            breaks = any(x.legal_status in SHORT_BREAK_LEGAL_STATUSES for x in h.episodes)
            for i, lo, hi in spans:
                start = h.periods[h.period_of[i]].start
                # Rule 1: looked after since the cutoff.
                if ordered:
                    js: Sequence[int] = range(bisect.bisect_left(cutoffs, start, lo, hi), hi)
                else:
                    js = [j for j in range(lo, hi) if cutoffs[j] >= start]
                if breaks:  # rule 2
                    js = [
                        j
                        for j in js
                        if not any(
                            x.legal_status in SHORT_BREAK_LEGAL_STATUSES
                            for x in h.overlapping(cutoffs[j], ends[j])
                        )
                    ]
                if not js:
                    continue
                e = h.episodes[i]
                got = by_episode.get(e)
                if got is None:
                    by_episode[e] = list(js)
                else:
                    got.extend(js)
                every.extend(js)
        if every:
            out[cid] = (list(by_episode.items()), every)
    return out


def _spans(episodes: Iterable[Episode]) -> dict[str, tuple[_dt.date, _dt.date | None]]:
    """Each child's first episode start and latest episode end in the records (``None``: an
    episode is open): no history of theirs covers a day outside."""
    spans: dict[str, tuple[_dt.date, _dt.date | None]] = {}
    for e in episodes:
        held = spans.get(e.child_id)
        if held is None:
            spans[e.child_id] = (e.start_date, e.end_date)
            continue
        first, last = held
        if e.start_date < first or (last is not None and (e.end_date is None or e.end_date > last)):
            spans[e.child_id] = (
                min(first, e.start_date),
                None if last is None or e.end_date is None else max(last, e.end_date),
            )
    return spans


def _oc2_child(
    d: Decisions,
    places: Places,
    cid: str,
    at: AtEnd,
    cutoff: _dt.date,
    r: HealthOutcomeRecord | None,
    within: Interval,
    counted: dict[tuple[object, ...], list[int]],
) -> None:
    """One child's outcome in the periods ending ``at.end`` (rules 1 and 2); a child in the
    cohort is added to ``counted`` by the episode on the end (decided by rule 4 once for the
    ends giving the same outcome)."""
    end = at.end
    keep = d.keep  # in summary mode an exclusion does not change the figures: not made
    h = at.histories.get(cid)
    if h is None or h.episodes[0].start_date > end:  # none known by the end
        if r is not None and keep:
            day, pins = places.of(at.positions)
            d.exclude(cid, r, "no episodes: not in the OC2 cohort", day=day, periods=pins)
        return
    e = h.episode_on(end)
    if e is None:  # rule 1: not looked after on the end
        if keep:
            _not_on_end(d, places, cid, h, at, r)
        return
    why = _oc2_cohort(h, e, end, within, cutoff)  # rules 1 and 2
    if why is not None:
        if keep:
            day, pins = places.of(at.positions)
            d.exclude(cid, r if r is not None else e, why, day=day, periods=pins)
        return
    counted.setdefault((e,) if r is None else (), []).extend(at.positions)


def _in_cohort(
    cid: str,
    todo: list[tuple[AtEnd, _dt.date]],
    r: HealthOutcomeRecord | None,
    counted: dict[tuple[object, ...], list[int]],
) -> None:
    """Summary mode: the ends (with their cutoffs) on which the child is in the cohort (rules
    1 and 2, as :func:`_oc2_child` decides them), added to ``counted`` as it does."""
    h: ChildHistory | None = None
    starts: list[_dt.date] = []
    breaks = False
    for at, cutoff in todo:
        now = at.histories[cid]
        if now is not h:
            h = now
            starts = [x.start_date for x in h.episodes]
            breaks = any(x.legal_status in SHORT_BREAK_LEGAL_STATUSES for x in h.episodes)
        end = at.end
        k = bisect.bisect_right(starts, end) - 1
        if k < 0:
            continue
        e = h.episodes[k]
        if e.end_date is not None and e.end_date <= end:
            continue  # not looked after on the end
        if h.periods[h.period_of[k]].start > cutoff:
            continue  # not looked after for long enough
        if breaks and any(
            x.legal_status in SHORT_BREAK_LEGAL_STATUSES for x in h.overlapping(cutoff, end)
        ):
            continue
        counted.setdefault((e,) if r is None else (), []).extend(at.positions)


def _not_on_end(
    d: Decisions,
    places: Places,
    cid: str,
    h: ChildHistory,
    at: AtEnd,
    r: HealthOutcomeRecord | None,
) -> None:
    """Rule 1: a child not looked after on ``at.end``, in each period ending then."""
    end = at.end
    for start, where in at.starts.items():
        found = h.overlapping(start, end)
        day, pins = places.of(where)
        if not found:
            if r is not None:
                d.exclude(
                    cid, r, "no episode in the period: not in the OC2 cohort", day=day, periods=pins
                )
            continue
        last = found[-1]
        d.exclude(
            cid,
            r if r is not None else last,
            _not_looked_after(last, end),
            day=day,
            periods=pins,
        )


def _oc2_counted(
    d: Decisions,
    places: Places,
    cid: str,
    key: tuple[object, ...],
    where: list[int],
    r: HealthOutcomeRecord | None,
    elsewhere: list[int] | None,
    year: int,
    field: str,
    item: str,
) -> None:
    """Rule 4: a child in the cohort, in the periods at ``where``; ``key`` holds the episode
    on the end when the child has no record."""
    day, pins = places.of(where)
    if r is None:
        (e,) = key
        d.count(
            cid,
            e,
            False,
            reason=lambda: (
                "no OC2 record"
                + (
                    f" for collection year {year} (only for {', '.join(map(str, elsewhere))})"
                    if elsewhere
                    else ""
                )
            ),
            day=day,
            periods=pins,
        )
        return
    value = getattr(r, field)
    if value is None:
        d.count(cid, r, False, reason=lambda: f"{item} not recorded", day=day, periods=pins)
        return
    d.count(cid, r, bool(value), day=day, periods=pins)


def _oc2_values(record: HealthOutcomeRecord) -> tuple[object, ...]:
    """The OC2 record's values as a tuple (a total-order tiebreak for duplicates)."""
    return (
        record.health_check,
        record.teeth_check,
        record.immunisations,
        record.health_assessment,
        record.sdq_score,
        record.substance_misuse,
        record.convicted,
        record.date_of_birth,
    )
