"""Placement stability of looked-after children: three or more placements in 12 months (old
NI 62) and long-term stability (old NI 63), from SSDA903 episodes.

Both are snapshots on ``period.end``: the unit is each child looked after on that day. Children
with an episode in the period who are not looked after on ``period.end`` are reported as excluded
outcomes; children with no episode touching the period are not outcomes at all.

Specifications: ``docs/indicators/three_or_more_placements.md`` and
``docs/indicators/long_term_placement_stability.md``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
from collections.abc import Iterable, Sequence
from typing import Literal, get_args

from dateutil.relativedelta import relativedelta

from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Sink
from ...durations import Interval, before
from ...periods import Period
from ...records.looked_after import Child, Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import iso
from ._placement_counts import (
    new_placement_days,
    placement_counts,
    placement_starts,
    short_break_in_window,
)
from ._shared import (
    add_years,
    age_on,
    exclude_not_open,
    exclude_short_break,
    open_spans,
    snapshot_decisions,
    snapshots,
    whole_months,
)

__all__ = ["PlacementWindow", "long_term_placement_stability", "three_or_more_placements"]

PlacementWindow = Literal["rolling", "period"]
"""The window placements are counted over: the 12 months ending on ``period.end``
(``"rolling"``) or from ``period.start`` (``"period"``)."""
_WINDOWS: tuple[PlacementWindow, ...] = get_args(PlacementWindow)


def _window_start(period: Period, window: PlacementWindow) -> _dt.date:
    if window == "rolling":
        return before(period.end, relativedelta(years=1)) + _dt.timedelta(days=1)
    if window == "period":
        return period.start
    raise ValueError(f"window must be one of {_WINDOWS}, got {window!r}")


@register(
    title="Children looked after with three or more placements in the last 12 months",
    short_title="Three or more placements in 12 months",
    family=Family.LOOKED_AFTER,
    unit="child looked after on the period end (excluding short breaks V3/V4)",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903",
        "DfE LAIT measure 372 (formerly measure 124, old NI 62)",
        "DfE stability measures for children looked after (EES)",
    ),
    lait_code=372,
    ees="CLA placement stability",
)
def three_or_more_placements(
    episodes: Iterable[Episode],
    period: Period,
    *,
    window: PlacementWindow = "rolling",
    count_temporary: bool = True,
    exclude_any_short_break: bool = False,
    threshold: int = 3,
) -> IndicatorResult:
    """Children looked after on ``period.end`` who had ``threshold`` (3) or more placements.

    Rules (numbered as on the specification page):

    1. Unit: each child looked after on ``period.end`` (an episode covers that day); a child
       on a short break (V3/V4) that day is excluded with a reason, and so, with
       ``exclude_any_short_break``, is a child with any short-break episode in the window.
    2. Window: the 12 months ending on ``period.end`` (``"rolling"``) or from
       ``period.start`` (``"period"``).
    3. Placements counted (decision D8): the placement open on the window's first day, plus
       each episode starting later in the window that is a new placement
       (:func:`~csc_indicators.care_history.is_new_placement`: RNE S, P, B, T or U, but not a
       T/U move into A3/A5, and never L).
    4. Met when the number of placements is at least ``threshold``.

    Args:
        episodes: SSDA903 episodes of any number of children, in any order.
        period: the reporting period; the snapshot is ``period.end``.
        window: ``"rolling"`` (default): the 12 months ending on ``period.end``; ``"period"``:
            from ``period.start`` to ``period.end``.
        count_temporary: whether temporary placements (T0-T4) count as new placements.
        exclude_any_short_break: also exclude children with any short-break (V3/V4) episode in
            the window, not only those on a short break on ``period.end``.
        threshold: the number of placements that meets the measure.

    References:
        - DfE Local Authority Interactive Tool (LAIT) data dictionary, measures 124 and 372.
        - DfE, *Stability measures for children looked after in England* (Explore education
          statistics), data guidance.
        - DfE, *SSDA903 children looked after return guide*: reasons for new episode.
    """
    return _three_or_more_placements_over(
        episodes,
        [period],
        window=window,
        count_temporary=count_temporary,
        exclude_any_short_break=exclude_any_short_break,
        threshold=threshold,
    )[0]


@over_periods(three_or_more_placements)
def _three_or_more_placements_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    window: PlacementWindow = "rolling",
    count_temporary: bool = True,
    exclude_any_short_break: bool = False,
    threshold: int = 3,
) -> list[IndicatorResult]:
    """:func:`three_or_more_placements` over many periods at once: each child decided once
    for all the periods ending on one day (those with one window), on their history judged on
    that day."""
    d, spread = snapshot_decisions(three_or_more_placements, periods, by_start=window == "period")
    keep = d.keep
    snap = snapshots(episodes, d)
    ends = snap.ends
    windows = _windows(d.periods, snap.at, window)  # rule 2
    # Rule 3: the new placements counted are those starting after the first day of a window.
    earliest = [min(start for start, _ in w) for w in windows]
    # Without outcomes, and one window per end that never starts earlier for a later end,
    # the ends where the number of placements is the same are counted together.
    moving = (
        not keep
        and not exclude_any_short_break
        and all(len(w) == 1 for w in windows)
        and all(a <= b for a, b in itertools.pairwise(earliest))
    )
    for cid, h, first, stop in snap.runs():
        spans = open_spans(h, ends, first, stop)  # rule 1
        if keep:
            exclude_not_open(d, cid, h, snap, first, stop, spans)
        if not spans:
            continue
        eps, starts = h.episodes, h.starts
        since = min(earliest[spans[0][1] : spans[-1][2]])
        new_days = new_placement_days(h, count_temporary, since)  # rule 3
        for i, lo, hi in spans:
            e = eps[i]
            if e.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 1
                if keep:
                    exclude_short_break(d, cid, e, snap, lo, hi)
                continue
            # Rule 3: the new placements up to each end of the span (e is open on it: the last
            # episode starting by then).
            upto = bisect.bisect_right(new_days, e.start_date)
            if moving and hi - lo > 1:
                for n, a, b in placement_counts(h, new_days, upto, earliest, lo, hi):
                    d.count(cid, None, n >= threshold, n, periods=snap.positions(a, b))  # rule 4
                continue
            for k in range(lo, hi):
                end = ends[k]
                for start, where in windows[k]:
                    if exclude_any_short_break and (  # rule 1
                        why := short_break_in_window(h.overlapping(start, end))
                    ):
                        if keep:
                            d.exclude(cid, e, why, periods=where)
                        continue
                    # Rule 3: the new placements after the window's first day, and the
                    # placement open that day (the episode starting last by then, if open).
                    n = upto - bisect.bisect_right(new_days, start)
                    j = bisect.bisect_right(starts, start) - 1
                    if j >= 0 and ((ended := eps[j].end_date) is None or start < ended):
                        n += 1
                    if not keep:
                        d.count(cid, None, n >= threshold, n, periods=where)  # rule 4
                        continue
                    d.count(
                        cid,
                        e,
                        n >= threshold,  # rule 4
                        n,
                        details={
                            "window_start": iso(start),
                            "placement_starts": tuple(
                                placement_starts(
                                    h, h.overlapping(start, end), start, end, count_temporary
                                )
                            ),
                        },
                        periods=where,
                    )
    return spread(
        d.results(
            {
                "window": window,
                "count_temporary": count_temporary,
                "exclude_any_short_break": exclude_any_short_break,
                "threshold": threshold,
            }
        )
    )


def _windows(
    periods: Sequence[Period], at: Sequence[Sequence[int]], window: PlacementWindow
) -> list[list[tuple[_dt.date, tuple[int, ...]]]]:
    """Rule 2: for each end, the first day of each window, with the positions of the periods
    (ending that day) counted over it."""
    out: list[list[tuple[_dt.date, tuple[int, ...]]]] = []
    for where in at:
        by_start: dict[_dt.date, list[int]] = {}
        for n in where:
            by_start.setdefault(_window_start(periods[n], window), []).append(n)
        out.append([(start, tuple(ns)) for start, ns in by_start.items()])
    return out


@register(
    title="Long-term looked-after children living with the same carer for at least 2 years",
    short_title="Long-term: same carer for 2 years",
    family=Family.LOOKED_AFTER,
    unit="child looked after on the period end, aged under 16, in care for at least 2.5 years",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903",
        "DfE LAIT measure 393 (old NI 63)",
        "DfE stability measures for children looked after (EES)",
    ),
    lait_code=393,
    ees="CLA placement stability",
)
def long_term_placement_stability(
    episodes: Iterable[Episode],
    children: Iterable[Child],
    period: Period,
    *,
    adoption_clause: bool = True,
    care_for: Interval = relativedelta(months=30),  # noqa: B008
    carer_for: Interval = relativedelta(months=24),  # noqa: B008
    max_age: int = 16,
) -> IndicatorResult:
    """Children under 16 looked after for 2.5 years who have lived with their current carer
    for at least 2 years (decision D9).

    Rules (numbered as on the specification page):

    1. Unit: each child looked after on ``period.end``; a child on a short break (V3/V4)
       that day is excluded with a reason.
    2. Age in whole years on ``period.end`` from the ``Child`` record's date of birth; no
       date of birth, or ``max_age`` or over: excluded with a reason.
    3. Continuously looked after: the current period of care started on or before
       ``period.end`` minus ``care_for``; otherwise excluded with a reason.
    4. Current carer: walk back from the episode open on ``period.end`` over episodes that
       joined with RNE L, T or U; with ``adoption_clause``, through an A4/A6 placement for
       adoption into the previous placement's carer chain.
    5. Met when the current carer began on or before ``period.end`` minus ``carer_for``.

    Args:
        episodes: SSDA903 episodes, any order.
        children: the children's header records (for the date of birth).
        period: the reporting period; the snapshot is ``period.end``.
        adoption_clause: the NI 63 clause: when the current placement is A4/A6 (placed for
            adoption with a new carer) the previous placement's carer chain counts too.
        care_for: the continuous time in care the cohort needs (30 calendar months).
        carer_for: the time with the current carer that meets the measure (24 months).
        max_age: children of this age or older on ``period.end`` are excluded.

    References:
        - DfE LAIT data dictionary, measure 393, and the NI 063 definition (DCSF).
        - DfE, *Stability measures for children looked after in England* (Explore education
          statistics): "living with the same carer for at least 2 years".
        - DfE, *SSDA903 children looked after return guide*: reasons for new episode.
    """
    return _long_term_placement_stability_over(
        episodes,
        children,
        [period],
        adoption_clause=adoption_clause,
        care_for=care_for,
        carer_for=carer_for,
        max_age=max_age,
    )[0]


@over_periods(long_term_placement_stability)
def _long_term_placement_stability_over(
    episodes: Iterable[Episode],
    children: Iterable[Child],
    periods: Sequence[Period],
    *,
    adoption_clause: bool = True,
    care_for: Interval = relativedelta(months=30),  # noqa: B008
    carer_for: Interval = relativedelta(months=24),  # noqa: B008
    max_age: int = 16,
) -> list[IndicatorResult]:
    """:func:`long_term_placement_stability` over many periods at once: each child decided
    once for all the periods ending on one day, on their history judged on that day."""
    d, spread = snapshot_decisions(long_term_placement_stability, periods)
    keep = d.keep
    snap = snapshots(episodes, d)
    dob = _dates_of_birth(children, d)
    ends = snap.ends
    care_cutoffs = [before(end, care_for) for end in ends]
    carer_cutoffs = [before(end, carer_for) for end in ends]
    in_order = all(a <= b for a, b in itertools.pairwise(care_cutoffs))
    # Without any outcome collected (and no mean), each child's ends counted in two runs:
    # before and from the first end the current carer has lasted long enough (rule 5).
    runs = (
        in_order
        and d.figures_only
        and d.spec.kind is not ValueKind.MEAN
        and all(a <= b for a, b in itertools.pairwise(carer_cutoffs))
    )
    for cid, h, first, stop in snap.runs():
        born = dob.get(cid)
        if born is None and not keep:  # rule 2: never counted
            continue
        spans = open_spans(h, ends, first, stop)  # rule 1
        if keep:
            exclude_not_open(d, cid, h, snap, first, stop, spans)
        if not spans:
            continue
        # Rule 2: the age on a day is max_age or over from this birthday on.
        too_old = None if born is None else add_years(born, max_age)
        for i, lo, hi in spans:
            e = h.episodes[i]
            if e.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 1
                if keep:
                    exclude_short_break(d, cid, e, snap, lo, hi)
                continue
            poc = h.periods[h.period_of[i]]
            poc_start = poc.episodes[0].start_date
            since: _dt.date | None = None  # the current carer's start, once needed
            if not keep and too_old is not None and in_order:
                # Rules 2 and 3: from the first end far enough into the period of care, to
                # the last before the birthday of max_age.
                lo = bisect.bisect_left(care_cutoffs, poc_start, lo, hi)
                hi = bisect.bisect_left(ends, too_old, lo, hi)
                if runs:
                    if lo < hi:
                        carer = h.carer_start(i, adoption_clause=adoption_clause)  # rule 4
                        since = h.episodes[carer].start_date
                        met = bisect.bisect_left(carer_cutoffs, since, lo, hi)  # rule 5
                        if lo < met:
                            d.tally(1, 0, periods=snap.positions(lo, met))
                        if met < hi:
                            d.tally(1, 1, periods=snap.positions(met, hi))
                    continue
            for k in range(lo, hi):
                end = ends[k]
                where = snap.at[k]
                if born is None or too_old is None:  # rule 2
                    d.exclude(cid, e, "no date of birth (no Child record)", periods=where)
                    continue
                if end >= too_old:
                    if keep:
                        age = age_on(born, end)
                        d.exclude(
                            cid,
                            e,
                            f"aged {age} on {iso(end)} ({max_age} or over)",
                            details={"date_of_birth": iso(born)},
                            periods=where,
                        )
                    continue
                care_cutoff = care_cutoffs[k]
                if poc_start > care_cutoff:  # rule 3
                    if keep:
                        d.exclude(
                            cid,
                            e,
                            f"looked after since {iso(poc_start)}, less than "
                            f"{whole_months(care_for)} (needs {iso(care_cutoff)} or earlier)",
                            periods=where,
                        )
                    continue
                if since is None:
                    carer = h.carer_start(i, adoption_clause=adoption_clause)  # rule 4
                    since = h.episodes[carer].start_date
                carer_cutoff = carer_cutoffs[k]
                d.count(
                    cid,
                    e,
                    since <= carer_cutoff,  # rule 5
                    (end - since).days,
                    details={
                        "period_of_care_start": iso(poc_start),
                        "carer_since": iso(since),
                        "carer_cutoff": iso(carer_cutoff),
                    }
                    if keep
                    else None,
                    periods=where,
                )
    return spread(
        d.results(
            {
                "adoption_clause": adoption_clause,
                "care_for": care_for,
                "carer_for": carer_for,
                "max_age": max_age,
            }
        )
    )


def _dates_of_birth(children: Iterable[Child], b: Sink) -> dict[str, _dt.date]:
    """Each child's date of birth (rule 2): the earlier of two, reported as a duplicate (the
    children with several records in id order, each record in date order)."""
    first: dict[str, Child] = {}
    several: dict[str, list[Child]] = {}
    for c in children:
        seen = first.get(c.child_id)
        if seen is None:
            first[c.child_id] = c
        else:
            several.setdefault(c.child_id, [seen]).append(c)
    dob = {cid: c.date_of_birth for cid, c in first.items()}
    for cid in sorted(several):
        records = sorted(several[cid], key=lambda c: c.date_of_birth)
        used = dob[cid] = records[0].date_of_birth
        for c in records[1:]:
            if c.date_of_birth != used:
                b.issue(
                    f"two dates of birth ({iso(used)}, {iso(c.date_of_birth)}); "
                    "the earlier is used",
                    c.child_id,
                    c,
                    "duplicate",
                )
    return dob
