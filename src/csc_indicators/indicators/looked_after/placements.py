"""Placement stability of looked-after children: three or more placements in 12 months (old
NI 62) and long-term stability (old NI 63), from SSDA903 episodes.

Both are snapshots on ``period.end``: the unit is each child looked after on that day. Children
with an episode in the period who are not looked after on ``period.end`` are reported as excluded
outcomes; children with no episode touching the period are not outcomes at all.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from ...care_history import is_new_placement
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...periods import Period
from ...records.looked_after import Child, Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso
from ._shared import age_on, histories, looked_after_at_end, years_before

__all__ = ["long_term_placement_stability", "three_or_more_placements"]

_WINDOWS = ("rolling", "period")


def _window_start(period: Period, window: str) -> _dt.date:
    if window == "rolling":
        return years_before(period.end, years=1) + _dt.timedelta(days=1)
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
    window: str = "rolling",
    count_temporary: bool = True,
    exclude_any_short_break: bool = False,
    threshold: int = 3,
) -> IndicatorResult:
    """Children looked after on ``period.end`` who had ``threshold`` (3) or more placements.

    Placements counted (decision D8): the placement open on the window's first day, plus each
    episode starting later in the window that is a new placement
    (:func:`~csc_indicators.care_history.is_new_placement`: RNE S, P, B, T or U, but not a T/U
    move into A3/A5, and never L).

    Args:
        episodes: SSDA903 episodes of any number of children, in any order.
        period: the reporting period; the snapshot is ``period.end``.
        window: ``"rolling"`` (default): the 12 months ending on ``period.end``; ``"period"``:
            from ``period.start`` to ``period.end``.
        count_temporary: whether temporary placements (T0-T4) count as new placements.
        exclude_any_short_break: also exclude children with any short-break (V3/V4) episode in
            the window, not only those on a short break on ``period.end``.
        threshold: the number of placements that meets the measure.
    """
    start = _window_start(period, window)
    b = ResultBuilder(three_or_more_placements)
    for cid, h in histories(episodes, b, as_of=period.end).items():
        e, why = looked_after_at_end(h, period)
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        in_window = h.overlapping(start, period.end)
        if exclude_any_short_break:
            sb = next((x for x in in_window if x.legal_status in SHORT_BREAK_LEGAL_STATUSES), None)
            if sb is not None:
                b.exclude(
                    cid,
                    e,
                    f"short-break episode (legal status {sb.legal_status}) from "
                    f"{iso(sb.start_date)} in the window",
                )
                continue
        starts: list[str] = []
        opening = h.episode_on(start)
        if opening is not None:
            starts.append(iso(opening.start_date))
        for x in in_window:
            if start < x.start_date <= period.end and is_new_placement(
                x, count_temporary=count_temporary
            ):
                starts.append(iso(x.start_date))
        n = len(starts)
        b.count(
            cid,
            e,
            n >= threshold,
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
    care_months: int = 30,
    carer_months: int = 24,
    max_age: int = 16,
) -> IndicatorResult:
    """Children under 16 looked after for 2.5 years who have lived with their current carer
    for at least 2 years (decision D9).

    Args:
        episodes: SSDA903 episodes, any order.
        children: the children's header records (for the date of birth).
        period: the reporting period; the snapshot is ``period.end``.
        adoption_clause: the NI 63 clause: when the current placement is A4/A6 (placed for
            adoption with a new carer) the previous placement's carer chain counts too.
        care_months: the continuous time in care the cohort needs (30 calendar months).
        carer_months: the time with the current carer that meets the measure (24 months).
        max_age: children of this age or older on ``period.end`` are excluded.
    """
    b = ResultBuilder(long_term_placement_stability)
    hs = histories(episodes, b, as_of=period.end)
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
    care_cutoff = years_before(period.end, months=care_months)
    carer_cutoff = years_before(period.end, months=carer_months)
    for cid, h in hs.items():
        e, why = looked_after_at_end(h, period)
        if e is None:
            continue
        if why:
            b.exclude(cid, e, why)
            continue
        if cid not in dob:
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
        if poc.start > care_cutoff:
            b.exclude(
                cid,
                e,
                f"looked after since {iso(poc.start)}, less than {care_months} "
                f"months (needs {iso(care_cutoff)} or earlier)",
            )
            continue
        k = h.carer_start(i, adoption_clause=adoption_clause)
        since = h.episodes[k].start_date
        b.count(
            cid,
            e,
            since <= carer_cutoff,
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
            "care_months": care_months,
            "carer_months": carer_months,
            "max_age": max_age,
        },
    )
