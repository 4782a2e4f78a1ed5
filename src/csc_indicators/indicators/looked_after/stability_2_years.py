"""Children looked after for 2 years or more at the period end with three or more placements in
the previous 2 years: the placement stability measure DfE now publishes beside the old NI 62
("CLA 2 years on 31 March", "with 3 or more placements during the previous 2 years"), counted
with the rules of :func:`three_or_more_placements` (decision D8) over a 2-year window.

Specification: ``docs/indicators/three_or_more_placements_in_2_years.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from ...durations import Interval, before, describe
from ...periods import Period
from ...records.looked_after import Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso
from ._shared import histories, looked_after_at_end, placement_starts, short_break_in_window

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
    cutoff = before(period.end, in_care)
    start = cutoff + _dt.timedelta(days=1)  # rule 3
    b = ResultBuilder(three_or_more_placements_in_2_years)
    for cid, h in histories(episodes, b, as_of=period.end).items():
        e, why = looked_after_at_end(h, period)  # rule 1
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        poc = h.period_on(period.end)
        assert poc is not None
        if poc.start > cutoff:  # rule 2
            b.exclude(
                cid,
                e,
                f"looked after since {iso(poc.start)}, less than {describe(in_care)} "
                f"(needs {iso(cutoff)} or earlier)",
                details={"period_of_care_start": iso(poc.start)},
            )
            continue
        in_window = h.overlapping(start, period.end)
        if exclude_any_short_break and (short_break := short_break_in_window(in_window)):
            b.exclude(cid, e, short_break)
            continue
        starts = placement_starts(h, in_window, start, period.end, count_temporary)  # rule 4
        n = len(starts)
        b.count(
            cid,
            e,
            n >= threshold,
            n,
            details={
                "period_of_care_start": iso(poc.start),
                "window_start": iso(start),
                "placement_starts": tuple(starts),
            },
        )
    return b.build(
        period,
        {
            "in_care": in_care,
            "count_temporary": count_temporary,
            "exclude_any_short_break": exclude_any_short_break,
            "threshold": threshold,
        },
    )
