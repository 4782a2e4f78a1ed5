"""Looked-after children who went missing, or were away without authorisation, in the period
(SSDA903 Missing table).

Specifications: ``docs/indicators/lac_missing_incident.md`` and
``docs/indicators/lac_away_without_authorisation.md``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..._history_cache import remembered
from ...care_history import ChildHistory
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Decisions
from ...periods import Period
from ...records.looked_after import Episode, MissingEpisode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso
from ._ends import AtEnd, Places, Rows, same_episodes
from ._over import rows_at_ends

__all__ = ["lac_away_without_authorisation", "lac_missing_incident"]


def _key(m: MissingEpisode) -> tuple[object, ...]:
    return (m.start_date, m.kind, m.end_date is None, m.end_date or m.start_date)


def _with_incident(
    of: Callable[..., IndicatorResult],
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    periods: Sequence[Period],
    *,
    kinds: tuple[str, ...] = ("M",),
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """Children looked after at any time in each period who had an incident of one of
    ``kinds`` (``M`` missing, ``A`` away without authorisation) starting in it.

    Each child is considered once: their histories judged at each period end (decision D15)
    are grouped by the episodes they hold (the same for almost every child), and the periods
    that give the child the same outcome hold one decision.

    Args:
        exclude_short_breaks: leave out children whose every episode in the period is a short
            break (V3/V4), as DfE's missing statistics do.
    """
    d = Decisions(of, periods)
    parameters = {"kinds": kinds, "exclude_short_breaks": exclude_short_breaks}
    at_ends, rows = rows_at_ends(episodes, d)
    missing = missing if isinstance(missing, (tuple, list)) else list(missing)
    odd = [m for m in missing if m.end_date is not None and m.end_date < m.start_date]
    for m in sorted(odd, key=lambda m: (m.child_id, *_key(m))):  # rule 5
        assert m.end_date is not None
        d.issue(
            f"missing incident starting {iso(m.start_date)} ends before it starts "
            f"({iso(m.end_date)})",
            m.child_id,
            m,
            "date order",
        )
    if not d.keep:
        when: dict[str, list[_dt.date]] = {}
        for m in missing:
            if m.kind in kinds:  # rule 3
                when.setdefault(m.child_id, []).append(m.start_date)
        for days in when.values():
            days.sort()
        _summary(d, episodes, rows, at_ends, when, exclude_short_breaks)
        return d.results(parameters)
    incidents: dict[str, list[MissingEpisode]] = {}
    for m in sorted(
        (m for m in missing if m.kind in kinds),  # rule 3
        key=lambda m: (m.child_id, *_key(m)),
    ):
        incidents.setdefault(m.child_id, []).append(m)
    everywhere = list(range(len(periods)))
    places = Places(periods)
    for cid in sorted(set(rows) | set(incidents)):
        mine = incidents.get(cid, [])
        row = rows.get(cid)
        if row is None:
            _decide_child(d, places, cid, None, mine, everywhere, exclude_short_breaks)
            continue
        for h, ats in same_episodes(row, at_ends):
            where = everywhere if ats is at_ends else _positions(ats)
            _decide_child(d, places, cid, h, mine, where, exclude_short_breaks)
    return d.results(parameters)


def _summary(
    d: Decisions,
    episodes: Iterable[Episode],
    rows: Rows,
    at_ends: Sequence[AtEnd],
    when: Mapping[str, list[_dt.date]],
    exclude_short_breaks: bool,
) -> None:
    """Summary mode: only the counted outcomes change the figures, so only they are made (an
    exclusion is not). A child is counted in each period one of their episodes covers a day
    of (rule 1) that is not a short break (rule 2, with ``exclude_short_breaks``): the
    periods touching the union of those episodes (:func:`_touched`, the same for both kinds
    of incident of a series); ``when``: each child's incident start dates, sorted. The
    children without an incident are tallied together by the periods they are counted in,
    when no outcome of theirs is collected."""
    periods = d.periods
    places = Places(periods)
    starts = [p.start for p in periods]
    ends = [p.end for p in periods]
    touched_by_child = remembered(
        episodes,
        ("missing: periods touched", periods, exclude_short_breaks),
        lambda: _touched(periods, rows, at_ends, exclude_short_breaks),
    )
    bulk = d.tally(0)  # whether decisions may be tallied (no outcome collected)
    without: dict[tuple[int, ...], int] = {}  # children without an incident, by periods
    for cid, touched in touched_by_child:
        days = when.get(cid)
        if not days:
            if bulk:
                without[touched] = without.get(touched, 0) + 1
                continue
            day, pins = places.of(touched)
            d.count(cid, None, False, 0, day=day, periods=pins)
            continue
        same: dict[tuple[int, int], list[int]] = {}
        for n in touched:  # rules 3 and 4
            lo = bisect.bisect_left(days, starts[n])
            same.setdefault((lo, bisect.bisect_right(days, ends[n], lo)), []).append(n)
        for (lo, hi), held_by in same.items():
            day, pins = places.of(held_by)
            d.count(cid, None, hi > lo, hi - lo, day=day, periods=pins)
    for touched, times in without.items():
        day, pins = places.of(touched)
        d.tally(times, day=day, periods=pins)


def _touched(
    periods: Sequence[Period], rows: Rows, at_ends: Sequence[AtEnd], exclude_short_breaks: bool
) -> list[tuple[str, tuple[int, ...]]]:
    """Each child counted in some period (rules 1 and 2), in child order, with the positions
    of the periods touching the union of their episodes that are not short breaks (with
    ``exclude_short_breaks``)."""
    out: list[tuple[str, tuple[int, ...]]] = []
    starts = [p.start for p in periods]
    ends = [p.end for p in periods]
    everywhere = [n for at in at_ends for n in at.positions]
    # The positions by start and by end, for a span reaching past every start or end.
    by_start = sorted(everywhere, key=lambda n: starts[n])
    by_end = sorted(everywhere, key=lambda n: ends[n])
    sorted_starts = [starts[n] for n in by_start]
    sorted_ends = [ends[n] for n in by_end]
    first_end, last_start = sorted_ends[0], sorted_starts[-1]
    for cid, row in rows.items():
        for h, ats in same_episodes(row, at_ends):
            spans: list[tuple[_dt.date, _dt.date | None]] = []  # the union, by start
            for x in h.episodes:
                if exclude_short_breaks and x.legal_status in SHORT_BREAK_LEGAL_STATUSES:
                    continue
                a, b = x.start_date, x.end_date
                if spans and ((held := spans[-1][1]) is None or a <= held):
                    spans[-1] = (spans[-1][0], None if held is None or b is None else max(held, b))
                else:
                    spans.append((a, b))
            if not spans:
                continue
            if len(ats) == len(at_ends) and len(spans) == 1:
                a, b = spans[0]
                if b is None or b > last_start:  # every period starting before b: by end
                    touched = by_end[bisect.bisect_left(sorted_ends, a) :]
                elif a <= first_end:  # every period ending from a: by start
                    touched = by_start[: bisect.bisect_left(sorted_starts, b)]
                else:
                    touched = [n for n in everywhere if a <= ends[n] and b > starts[n]]
            else:
                positions = everywhere if len(ats) == len(at_ends) else _positions(ats)
                touched = [
                    n
                    for n in positions
                    if any(a <= ends[n] and (b is None or b > starts[n]) for a, b in spans)
                ]
            if touched:
                out.append((cid, tuple(touched)))
    return out


def _positions(ats: Iterable[AtEnd]) -> list[int]:
    return [n for at in ats for n in at.positions]


def _decide_child(
    d: Decisions,
    places: Places,
    cid: str,
    h: ChildHistory | None,
    mine: list[MissingEpisode],
    positions: Iterable[int],
    exclude_short_breaks: bool,
) -> None:
    """One child's outcome in each period at ``positions`` (rules 1 to 4), given their history
    judged at those periods' ends (``None``: no episodes); the periods with the same outcome
    hold one decision."""
    periods = d.periods
    when = [m.start_date for m in mine] if mine else None
    # By the outcome: the last episode covering a day of the period (or None), and the
    # incidents in it (from lo to hi; hi -1 when only short breaks cover it).
    same: dict[tuple[int, int, int], tuple[Episode | None, list[int]]] = {}
    lo = hi = 0
    for n in positions:
        p = periods[n]
        if when is not None:
            lo = bisect.bisect_left(when, p.start)
            hi = bisect.bisect_right(when, p.end, lo)
        touching = h.overlapping(p.start, p.end) if h is not None else []  # rule 1
        if not touching:
            if lo < hi:
                same.setdefault((0, lo, hi), (None, []))[1].append(n)
            continue
        latest = touching[-1]
        if exclude_short_breaks and all(  # rule 2
            e.legal_status in SHORT_BREAK_LEGAL_STATUSES for e in touching
        ):
            same.setdefault((id(latest), 0, -1), (latest, []))[1].append(n)
            continue
        same.setdefault((id(latest), lo, hi), (latest, []))[1].append(n)
    for (_, lo, hi), (last, held) in same.items():
        day, pins = places.of(held)
        if last is None:  # rule 1
            d.exclude(
                cid,
                mine[lo],
                "incident in the period but no episode of care in it",
                hi - lo,
                day=day,
                periods=pins,
            )
        elif hi < 0:  # rule 2
            d.exclude(
                cid,
                last,
                "looked after only under short breaks (V3/V4) in the period",
                day=day,
                periods=pins,
            )
        else:
            d.count(
                cid,
                mine[lo] if hi > lo else last,
                hi > lo,  # rule 4
                hi - lo,
                details={"first_incident": iso(mine[lo].start_date) if hi > lo else "-"},
                day=day,
                periods=pins,
            )


@register(
    title="Looked-after children with a missing incident in the period",
    short_title="LAC with a missing incident",
    family=Family.LOOKED_AFTER,
    unit="child looked after at any time in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903 Missing (MISSING M)",
        "DfE children looked after in England, missing",
    ),
)
def lac_missing_incident(
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    period: Period,
    *,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Looked-after children with a missing incident (``M``) starting in the period.

    Rules (numbered as on the specification page):

    1. Unit: each child with an episode covering at least one day of the period; a child
       with an incident in the period but no such episode is excluded with a reason.
    2. With ``exclude_short_breaks`` (default), a child looked after only under short breaks
       (V3/V4) in the period is excluded with a reason.
    3. Incidents: Missing records of kind ``M`` (missing) starting in the period.
    4. Met when the child has at least one; the measure is their number.
    5. An incident that ends before it starts is reported (``date order``) and still
       counted by its start date.

    Args:
        episodes: SSDA903 episodes, any order.
        missing: SSDA903 Missing records, any order.
        period: the reporting period.
        exclude_short_breaks: leave out children looked after only under short breaks.

    References:
        - DfE, *Children looked after in England including adoptions*, missing tables.
        - DfE, *SSDA903 children looked after return guide*: the Missing table (MISSING,
          MIS_START, MIS_END).
    """
    return _lac_missing_incident_over(
        episodes, missing, [period], exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_missing_incident)
def _lac_missing_incident_over(
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    periods: Sequence[Period],
    *,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_missing_incident` over many periods at once."""
    return _with_incident(
        lac_missing_incident,
        episodes,
        missing,
        periods,
        kinds=("M",),
        exclude_short_breaks=exclude_short_breaks,
    )


@register(
    title="Looked-after children away from placement without authorisation in the period",
    short_title="LAC away without authorisation",
    family=Family.LOOKED_AFTER,
    unit="child looked after at any time in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903 Missing (MISSING A)",
        "DfE children looked after in England, missing",
    ),
)
def lac_away_without_authorisation(
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    period: Period,
    *,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Looked-after children with an away-without-authorisation incident (``A``) starting in
    the period.

    Rules (numbered as on the specification page):

    1. Unit: each child with an episode covering at least one day of the period; a child
       with an incident in the period but no such episode is excluded with a reason.
    2. With ``exclude_short_breaks`` (default), a child looked after only under short breaks
       (V3/V4) in the period is excluded with a reason.
    3. Incidents: Missing records of kind ``A`` (away without authorisation) starting in the period.
    4. Met when the child has at least one; the measure is their number.
    5. An incident that ends before it starts is reported (``date order``) and still
       counted by its start date.

    Args:
        episodes: SSDA903 episodes, any order.
        missing: SSDA903 Missing records, any order.
        period: the reporting period.
        exclude_short_breaks: leave out children looked after only under short breaks.

    References:
        - DfE, *Children looked after in England including adoptions*, missing tables.
        - DfE, *SSDA903 children looked after return guide*: the Missing table (MISSING,
          MIS_START, MIS_END).
    """
    return _lac_away_without_authorisation_over(
        episodes, missing, [period], exclude_short_breaks=exclude_short_breaks
    )[0]


@over_periods(lac_away_without_authorisation)
def _lac_away_without_authorisation_over(
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    periods: Sequence[Period],
    *,
    exclude_short_breaks: bool = True,
) -> list[IndicatorResult]:
    """:func:`lac_away_without_authorisation` over many periods at once."""
    return _with_incident(
        lac_away_without_authorisation,
        episodes,
        missing,
        periods,
        kinds=("A",),
        exclude_short_breaks=exclude_short_breaks,
    )
