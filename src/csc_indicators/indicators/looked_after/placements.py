"""Placement stability of looked-after children: three or more placements in 12 months (old
NI 62) and long-term stability (old NI 63), from SSDA903 episodes.

Both are snapshots on ``period.end``: the unit is each child looked after on that day. Children
with an episode in the period who are not looked after on ``period.end`` are reported as excluded
outcomes; children with no episode touching the period are not outcomes at all.

Specifications: ``docs/indicators/three_or_more_placements.md`` and
``docs/indicators/long_term_placement_stability.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Literal, get_args

from dateutil.relativedelta import relativedelta

from ...durations import Interval, before
from ...periods import Period
from ...records.looked_after import Child, Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso
from ._shared import (
    age_on,
    histories,
    looked_after_at_end,
    placement_starts,
    short_break_in_window,
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
    start = _window_start(period, window)  # rule 2
    b = ResultBuilder(three_or_more_placements)
    for cid, h in histories(episodes, b, as_of=period.end).items():
        e, why = looked_after_at_end(h, period)  # rule 1
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        in_window = h.overlapping(start, period.end)
        if exclude_any_short_break and (short_break := short_break_in_window(in_window)):  # rule 1
            b.exclude(cid, e, short_break)
            continue
        starts = placement_starts(h, in_window, start, period.end, count_temporary)  # rule 3
        n = len(starts)
        b.count(
            cid,
            e,
            n >= threshold,  # rule 4
            n,
            details={"window_start": iso(start), "placement_starts": tuple(starts)},
        )
    return b.build(
        period,
        {
            "window": window,
            "count_temporary": count_temporary,
            "exclude_any_short_break": exclude_any_short_break,
            "threshold": threshold,
        },
    )


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
    b = ResultBuilder(long_term_placement_stability)
    hs = histories(episodes, b, as_of=period.end)
    dob = _dates_of_birth(children, b)
    care_cutoff = before(period.end, care_for)
    carer_cutoff = before(period.end, carer_for)
    for cid, h in hs.items():
        e, why = looked_after_at_end(h, period)  # rule 1
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        if cid not in dob:  # rule 2
            b.exclude(cid, e, "no date of birth (no Child record)")
            continue
        age = age_on(dob[cid], period.end)
        if age >= max_age:
            b.exclude(
                cid,
                e,
                f"aged {age} on {iso(period.end)} ({max_age} or over)",
                details={"date_of_birth": iso(dob[cid])},
            )
            continue
        poc = h.period_on(period.end)
        i = h.index_on(period.end)
        assert poc is not None and i is not None
        if poc.start > care_cutoff:  # rule 3
            b.exclude(
                cid,
                e,
                f"looked after since {iso(poc.start)}, less than {whole_months(care_for)} "
                f"(needs {iso(care_cutoff)} or earlier)",
            )
            continue
        since = h.episodes[h.carer_start(i, adoption_clause=adoption_clause)].start_date  # rule 4
        b.count(
            cid,
            e,
            since <= carer_cutoff,  # rule 5
            (period.end - since).days,
            details={
                "period_of_care_start": iso(poc.start),
                "carer_since": iso(since),
                "carer_cutoff": iso(carer_cutoff),
            },
        )
    return b.build(
        period,
        {
            "adoption_clause": adoption_clause,
            "care_for": care_for,
            "carer_for": carer_for,
            "max_age": max_age,
        },
    )


def _dates_of_birth(children: Iterable[Child], b: ResultBuilder) -> dict[str, _dt.date]:
    """Each child's date of birth (rule 2): the earlier of two, reported as a duplicate."""
    dob: dict[str, _dt.date] = {}
    for c in sorted(children, key=lambda c: (c.child_id, c.date_of_birth)):
        if c.child_id in dob:
            if dob[c.child_id] != c.date_of_birth:
                b.issue(
                    f"two dates of birth ({iso(dob[c.child_id])}, {iso(c.date_of_birth)}); "
                    "the earlier is used",
                    c.child_id,
                    c,
                    "duplicate",
                )
            continue
        dob[c.child_id] = c.date_of_birth
    return dob
