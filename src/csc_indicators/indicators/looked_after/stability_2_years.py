"""Children looked after for 2 years or more at the period end with three or more placements in
the previous 2 years: the placement stability measure DfE now publishes beside the old NI 62
("CLA 2 years on 31 March", "with 3 or more placements during the previous 2 years"), counted
with the rules of :func:`three_or_more_placements` (decision D8) over a 2-year window.

Specification: ``docs/indicators/three_or_more_placements_in_2_years.md``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
from collections.abc import Iterable, Sequence

from dateutil.relativedelta import relativedelta

from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...durations import Interval, before, describe
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso
from ._placement_counts import (
    new_placement_days,
    placement_counts,
    placement_starts,
    short_break_in_window,
)
from ._shared import (
    exclude_not_open,
    exclude_short_break,
    open_spans,
    snapshot_decisions,
    snapshots,
)

__all__ = ["three_or_more_placements_in_2_years"]


@register(
    title="Children looked after for 2 years or more with three or more placements in the "
    "last 2 years",
    short_title="In care 2 years: 3+ placements in 2 years",
    family=Family.LOOKED_AFTER,
    unit="child looked after on the period end, continuously for at least 2 years (excluding "
    "short breaks V3/V4)",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903",
        "DfE stability measures for children looked after (EES): CLA 2 years on 31 March with "
        "3 or more placements during the previous 2 years",
    ),
    ees="CLA placement stability",
)
def three_or_more_placements_in_2_years(
    episodes: Iterable[Episode],
    period: Period,
    *,
    in_care: Interval = relativedelta(years=2),  # noqa: B008 - immutable in practice
    count_temporary: bool = True,
    exclude_any_short_break: bool = False,
    threshold: int = 3,
) -> IndicatorResult:
    """Children looked after on ``period.end`` continuously for ``in_care`` (2 years) or more
    who had ``threshold`` (3) or more placements in that time.

    Rules (numbered as on the specification page):

    1. Looked after on ``period.end``, except a child on a short break (V3/V4) that day, as for
       :func:`three_or_more_placements`.
    2. The current period of care began on or before ``period.end`` minus ``in_care``
       (continuously looked after for at least 2 years); otherwise excluded with a reason.
    3. The window is the ``in_care`` ending on ``period.end``: from the day after
       ``period.end`` minus ``in_care``.
    4. Placements counted (decision D8): the placement open on the window's first day, plus
       each episode starting later in the window that is a new placement
       (:func:`~csc_indicators.care_history.is_new_placement`). Met with ``threshold`` or more.

    Args:
        episodes: SSDA903 episodes of any number of children, in any order.
        period: the reporting period; the snapshot is ``period.end``.
        in_care: the continuous time in care of the cohort, and the window the placements are
            counted over (``relativedelta(years=2)``; calendar years).
        count_temporary: whether temporary placements (T0-T4) count as new placements.
        exclude_any_short_break: also exclude children with any short-break (V3/V4) episode in
            the window, not only those on a short break on ``period.end``.
        threshold: the number of placements that meets the measure.
    """
    return _three_or_more_placements_in_2_years_over(
        episodes,
        [period],
        in_care=in_care,
        count_temporary=count_temporary,
        exclude_any_short_break=exclude_any_short_break,
        threshold=threshold,
    )[0]


@over_periods(three_or_more_placements_in_2_years)
def _three_or_more_placements_in_2_years_over(
    episodes: Iterable[Episode],
    periods: Sequence[Period],
    *,
    in_care: Interval = relativedelta(years=2),  # noqa: B008 - immutable in practice
    count_temporary: bool = True,
    exclude_any_short_break: bool = False,
    threshold: int = 3,
) -> list[IndicatorResult]:
    """:func:`three_or_more_placements_in_2_years` over many periods at once: each child
    decided once for all the periods ending on one day, on their history judged on that
    day."""
    d, spread = snapshot_decisions(three_or_more_placements_in_2_years, periods)
    keep = d.keep
    snap = snapshots(episodes, d)
    ends = snap.ends
    cutoffs = [before(end, in_care) for end in ends]
    window_starts = [cutoff + _dt.timedelta(days=1) for cutoff in cutoffs]  # rule 3
    # Without outcomes, and cut-offs never earlier for a later end, the ends where the number
    # of placements is the same are counted together.
    moving = (
        not keep
        and not exclude_any_short_break
        and all(a <= b for a, b in itertools.pairwise(cutoffs))
    )
    for cid, h, first, stop in snap.runs():
        spans = open_spans(h, ends, first, stop)  # rule 1
        if keep:
            exclude_not_open(d, cid, h, snap, first, stop, spans)
        if not spans:
            continue
        # Rule 4: the new placements counted are those starting after a window's first day.
        since = min(window_starts[spans[0][1] : spans[-1][2]])
        new_days = new_placement_days(h, count_temporary, since)
        for i, lo, hi in spans:
            e = h.episodes[i]
            if e.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 1
                if keep:
                    exclude_short_break(d, cid, e, snap, lo, hi)
                continue
            poc = h.periods[h.period_of[i]]
            # Rule 4: the new placements up to each end of the span (e is open on it: the
            # last episode starting by then).
            upto = bisect.bisect_right(new_days, e.start_date)
            if moving and hi - lo > 1:
                lo = bisect.bisect_left(cutoffs, poc.start, lo, hi)  # rule 2: from there on
                for n, a, b in placement_counts(h, new_days, upto, window_starts, lo, hi):
                    d.count(cid, None, n >= threshold, n, periods=snap.positions(a, b))
                continue
            for k in range(lo, hi):
                end, cutoff, where = ends[k], cutoffs[k], snap.at[k]
                if poc.start > cutoff:  # rule 2
                    if keep:
                        d.exclude(
                            cid,
                            e,
                            f"looked after since {iso(poc.start)}, less than "
                            f"{describe(in_care)} (needs {iso(cutoff)} or earlier)",
                            details={"period_of_care_start": iso(poc.start)},
                            periods=where,
                        )
                    continue
                start = window_starts[k]  # rule 3
                if exclude_any_short_break and (
                    why := short_break_in_window(h.overlapping(start, end))
                ):
                    if keep:
                        d.exclude(cid, e, why, periods=where)
                    continue
                # Rule 4: the new placements after the window's first day, and the placement
                # open that day (the episode starting last by then, if open).
                n = upto - bisect.bisect_right(new_days, start)
                j = bisect.bisect_right(h.starts, start) - 1
                if j >= 0 and ((ended := h.episodes[j].end_date) is None or start < ended):
                    n += 1
                if not keep:
                    d.count(cid, None, n >= threshold, n, periods=where)
                    continue
                d.count(
                    cid,
                    e,
                    n >= threshold,
                    n,
                    details={
                        "period_of_care_start": iso(poc.start),
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
                "in_care": in_care,
                "count_temporary": count_temporary,
                "exclude_any_short_break": exclude_any_short_break,
                "threshold": threshold,
            },
        )
    )
