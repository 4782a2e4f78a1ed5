"""Adoption timeliness (the adoption scorecard measures A1, A10 and A2), from SSDA903 episodes
and the AD1 adoption table. Each is a mean number of calendar days over the children adopted in
the period (DfE publishes them over three years: pass a three-year :class:`Period`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable

from ...care_history import ChildHistory
from ...codes import (
    ADOPTED,
    FOSTER_CARER_ADOPTION_PLACEMENTS,
    NEW_CARER_ADOPTION_PLACEMENTS,
    PLACED_FOR_ADOPTION,
)
from ...periods import Period
from ...records.looked_after import AdoptionRecord, Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from .._common import iso
from .._twins import describe_record, recorded_detail
from ._shared import histories

__all__ = ["COURT_AUTHORITY_LEGAL_STATUSES", "adoption_a1", "adoption_a2", "adoption_a10"]

COURT_AUTHORITY_LEGAL_STATUSES = frozenset({"E1", "D1"})
"""Legal statuses that mean the authority holds court authority to place for adoption: E1
placement order, D1 freeing order."""


def _ad1_by_child(
    adoptions: Iterable[AdoptionRecord] | None, b: ResultBuilder, as_of: _dt.date
) -> dict[str, AdoptionRecord]:
    found: dict[str, AdoptionRecord] = {}
    if adoptions is None:
        return found

    def key(a: AdoptionRecord) -> tuple[object, ...]:
        return (
            a.child_id,
            a.decision_date or _dt.date.max,
            a.match_date or _dt.date.max,
            a.foster_carer is None,
            bool(a.foster_carer),
        )

    # Decision D14: the record with more recorded detail; ties keep the earliest decision
    # date (the fixed order ``key``). Different records are a conflict, reported.
    rows: dict[str, list[AdoptionRecord]] = {}
    for a in sorted(adoptions, key=key):
        rows.setdefault(a.child_id, []).append(a)
        used = found.get(a.child_id)
        if used is None or recorded_detail(a, as_of) > recorded_detail(used, as_of):
            found[a.child_id] = a
    for cid, mine in rows.items():
        used = found[cid]
        reported: list[AdoptionRecord] = []
        for a in mine:
            if a == used or a in reported:
                continue
            reported.append(a)
            b.issue(
                f"more than one AD1 record (decision D14): {describe_record(used)} is used, "
                f"not {describe_record(a)}",
                cid,
                a,
                "conflict",
            )
    return found


def _adopted(h: ChildHistory, period: Period) -> Iterable[tuple[int, Episode]]:
    for i, e in enumerate(h.episodes):
        if e.reason_ceased in ADOPTED and e.end_date is not None and e.end_date in period:
            yield i, e


def _first_adoptive(h: ChildHistory, first: int, last: int) -> int | None:
    for j in range(first, last + 1):
        if h.episodes[j].placement in PLACED_FOR_ADOPTION:
            return j
    return None


def _run(
    of: Callable[..., IndicatorResult],
    which: str,
    episodes: Iterable[Episode],
    adoptions: Iterable[AdoptionRecord] | None,
    period: Period,
) -> IndicatorResult:
    b = ResultBuilder(of)
    hs = histories(episodes, b, as_of=period.end)
    ad1 = _ad1_by_child(adoptions, b, period.end)
    for cid, h in hs.items():
        for i, e in _adopted(h, period):
            poc = h.periods[h.period_of[i]]
            entered = poc.start
            j = _first_adoptive(h, poc.first_index, i)
            if j is None:
                b.exclude(
                    cid,
                    e,
                    "not placed for adoption (no A3-A6 placement) before the "
                    f"adoption on {iso(e.end_date)}",
                    details={"entered_care": iso(entered)},
                )
                continue
            placed = h.episodes[j]
            details: dict[str, object] = {
                "entered_care": iso(entered),
                "placed_for_adoption": iso(placed.start_date),
                "adoptive_placement": placed.placement,
                "adopted": iso(e.end_date),
            }
            first = poc.episodes[0]
            if which != "A2" and first.reason_new_episode != "S":
                b.exclude(
                    cid,
                    e,
                    f"the period of care's first episode has RNE "
                    f"{first.reason_new_episode}, not S: the date the child "
                    "entered care is not in the data",
                    details=details,
                )
                continue
            if which == "A1":
                b.count(cid, e, True, (placed.start_date - entered).days, details=details)
            elif which == "A10":
                record = ad1.get(cid)
                by_code = placed.placement in FOSTER_CARER_ADOPTION_PLACEMENTS
                if record is not None and record.foster_carer is not None:
                    foster = record.foster_carer
                    if foster and placed.placement in NEW_CARER_ADOPTION_PLACEMENTS:
                        b.issue(
                            f"AD1 says adopted by the foster carer but the adoptive "
                            f"placement is {placed.placement} (a new carer); AD1 is used",
                            cid,
                            record,
                            "inconsistent",
                        )
                    elif not foster and by_code:
                        b.issue(
                            f"AD1 says not adopted by the foster carer but the adoptive "
                            f"placement is {placed.placement} (the foster carer); AD1 is "
                            "used",
                            cid,
                            record,
                            "inconsistent",
                        )
                else:
                    foster = by_code
                moved_in = placed.start_date
                if foster:
                    moved_in = h.episodes[h.carer_start(j)].start_date
                details["foster_carer_adoption"] = foster
                details["moved_in"] = iso(moved_in)
                b.count(cid, e, True, (moved_in - entered).days, details=details)
            else:
                k = next(
                    (
                        x
                        for x in range(poc.first_index, i + 1)
                        if h.episodes[x].legal_status in COURT_AUTHORITY_LEGAL_STATUSES
                    ),
                    None,
                )
                if k is None:
                    b.exclude(
                        cid,
                        e,
                        "no placement order or freeing order (legal status E1 "
                        "or D1) in the period of care",
                        details=details,
                    )
                    continue
                if k == poc.first_index and h.episodes[k].reason_new_episode != "S":
                    b.exclude(
                        cid,
                        e,
                        "the first episode in the data already has legal status "
                        f"{h.episodes[k].legal_status}: the date of court "
                        "authority is not in the data",
                        details=details,
                    )
                    continue
                authority = h.episodes[k].start_date
                details["court_authority"] = iso(authority)
                record = ad1.get(cid)
                if record is None or record.match_date is None:
                    b.exclude(cid, e, "no match date (AD1 DATE_MATCH)", details=details)
                    continue
                if record.match_date > period.end:  # decision D15: not known by then
                    b.exclude(
                        cid,
                        e,
                        f"no match date (AD1 DATE_MATCH) by {iso(period.end)}",
                        details=details,
                    )
                    continue
                details["matched"] = iso(record.match_date)
                days = (record.match_date - authority).days
                details["match_before_authority"] = days < 0
                b.count(cid, e, True, max(days, 0), details=details)
    return b.build(period, {})


@register(
    title="A1: average days between entering care and moving in with the adoptive family",
    short_title="A1: days from care to adoptive family",
    family=Family.LOOKED_AFTER,
    unit="child adopted (episode ceased E11 or E12) in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903",
        "DfE adoption scorecard A1",
    ),
    kind=ValueKind.MEAN,
)
def adoption_a1(episodes: Iterable[Episode], period: Period) -> IndicatorResult:
    """Mean calendar days from the start of the period of care that ended in adoption to the
    start of the first placement for adoption (A3-A6) in it (decision D11)."""
    return _run(
        adoption_a1,
        "A1",
        episodes,
        None,
        period,
    )


@register(
    title=(
        "A10: average days between entering care and moving in with the adoptive family, adjusted "
        "for foster carer adoptions"
    ),
    short_title="A10: A1 adjusted for foster carer adoptions",
    family=Family.LOOKED_AFTER,
    unit="child adopted (episode ceased E11 or E12) in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903 episodes and AD1",
        "DfE adoption scorecard A10",
    ),
    kind=ValueKind.MEAN,
)
def adoption_a10(
    episodes: Iterable[Episode], adoptions: Iterable[AdoptionRecord], period: Period
) -> IndicatorResult:
    """As A1, but for a child adopted by their foster carer the clock stops when the child
    moved in with that carer: the start of the carer chain (RNE L/T/U joins) ending in the
    adoptive placement (decision D11). Foster-carer adoption is AD1 ``FOSTER_CARE`` when
    recorded, otherwise an A3/A5 adoptive placement."""
    return _run(
        adoption_a10,
        "A10",
        episodes,
        adoptions,
        period,
    )


@register(
    title="A2: average days between court authority to place and the match with adopters",
    short_title="A2: days from court authority to match",
    family=Family.LOOKED_AFTER,
    unit="child adopted (episode ceased E11 or E12) in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903 episodes and AD1",
        "DfE adoption scorecard A2",
    ),
    kind=ValueKind.MEAN,
)
def adoption_a2(
    episodes: Iterable[Episode], adoptions: Iterable[AdoptionRecord], period: Period
) -> IndicatorResult:
    """Mean calendar days from court authority to place (the start of the first episode with
    legal status E1 or D1 in the period of care) to the match (AD1 ``DATE_MATCH``); a match
    before the authority counts 0 (decision D11)."""
    return _run(
        adoption_a2,
        "A2",
        episodes,
        adoptions,
        period,
    )
