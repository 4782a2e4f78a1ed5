"""Adoption timeliness (the adoption scorecard measures A1, A10 and A2), from SSDA903 episodes
and the AD1 adoption table. Each is a mean number of calendar days over the children adopted in
the period (DfE publishes them over three years: pass a three-year :class:`Period`).

Each is evaluated over many periods at once (:func:`~csc_indicators.registry.over_periods`):
an adoption is decided once, placed by its date, except where the decision depends on what is
known at the period end (decision D15: twin episodes, an AD1 conflict, a match after the
adoption), which is decided period by period. :class:`HistoriesOver` and :class:`Where`,
the plumbing for that, are shared with the other looked-after event indicators
(returns to care, children ceasing to be looked after) and live in the private ``_over`` module
(no indicator is registered there); they are re-exported here.

Specifications: ``docs/indicators/adoption_a1.md``, ``docs/indicators/adoption_a10.md`` and
``docs/indicators/adoption_a2.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence

import attrs

from ...care_history import ChildHistory, PeriodOfCare
from ...codes import (
    ADOPTED,
    FOSTER_CARER_ADOPTION_PLACEMENTS,
    NEW_CARER_ADOPTION_PLACEMENTS,
    PLACED_FOR_ADOPTION,
)
from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.looked_after import AdoptionRecord, Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import iso
from .._twins import describe_record, recorded_detail
from ._over import SUMMARY, HistoriesOver, Where

__all__ = [
    "COURT_AUTHORITY_LEGAL_STATUSES",
    "SUMMARY",
    "HistoriesOver",
    "Where",
    "adoption_a1",
    "adoption_a2",
    "adoption_a10",
]

COURT_AUTHORITY_LEGAL_STATUSES = frozenset({"E1", "D1"})
"""Legal statuses that mean the authority holds court authority to place for adoption: E1
placement order, D1 freeing order."""


def _ad1_choose(
    child_id: str, mine: list[AdoptionRecord], b: Sink, as_of: _dt.date
) -> AdoptionRecord:
    """One child's AD1 record (decision D14): the one with more recorded detail by ``as_of``
    (ties keep the first in the fixed order); each different record is reported."""
    used = mine[0]
    for a in mine[1:]:
        if recorded_detail(a, as_of) > recorded_detail(used, as_of):
            used = a
    reported: list[AdoptionRecord] = []
    for a in mine:
        if a == used or a in reported:
            continue
        reported.append(a)
        b.issue(
            f"more than one AD1 record (decision D14): {describe_record(used)} is used, "
            f"not {describe_record(a)}",
            child_id,
            a,
            "conflict",
        )
    return used


def _ad1_key(a: AdoptionRecord) -> tuple[object, ...]:
    return (
        a.child_id,
        a.decision_date or _dt.date.max,
        a.match_date or _dt.date.max,
        a.foster_carer is None,
        bool(a.foster_carer),
    )


def _ad1_by_child(
    adoptions: Iterable[AdoptionRecord] | None, over: HistoriesOver, d: Decisions
) -> tuple[dict[str, AdoptionRecord], dict[str, dict[_dt.date, AdoptionRecord]]]:
    """Each child's AD1 record; two different records of one child are a conflict (decision
    D14): the one with more recorded detail by the period end is used, and the other reported.

    Returns:
        The record of each child with one (or only identical ones), and, for a child with
        different records, the record used on each period end.
    """
    fixed: dict[str, AdoptionRecord] = {}
    dated: dict[str, dict[_dt.date, AdoptionRecord]] = {}
    if adoptions is None:
        return fixed, dated
    rows: dict[str, list[AdoptionRecord]] = {}
    for a in sorted(adoptions, key=_ad1_key):
        rows.setdefault(a.child_id, []).append(a)
    for cid, mine in rows.items():
        if all(a == mine[0] for a in mine[1:]):  # nothing to choose or report
            fixed[cid] = mine[0]
            continue
        dated[cid] = {
            end: _ad1_choose(cid, mine, d.pinned(ns), end) for end, ns in over.by_end.items()
        }
    return fixed, dated


@attrs.frozen
class _Adoption:
    """One child adopted in the period, placed for adoption first."""

    cid: str
    h: ChildHistory
    poc: PeriodOfCare
    """The period of care that ended in the adoption."""
    adopted: int
    """The index of the episode that ended with the adoption (REC E11 or E12)."""
    placed: int
    """The index of the first episode placed for adoption (A3-A6) in the period of care."""
    details: dict[str, object]

    @property
    def episode(self) -> Episode:
        return self.h.episodes[self.adopted]


_Measure = Callable[[Sink, _Adoption, AdoptionRecord | None, Where], None]
"""Counts or excludes one adoption (in the sink of its day, or pinned to periods through the
:class:`Where`), given the child's AD1 record: the rules that differ between A1, A10 and A2."""


def _first_adoptive(h: ChildHistory, first: int, last: int) -> int | None:
    for j in range(first, last + 1):
        if h.episodes[j].placement in PLACED_FOR_ADOPTION:
            return j
    return None


def _run(
    of: Callable[..., IndicatorResult],
    measure: _Measure,
    episodes: Iterable[Episode],
    adoptions: Iterable[AdoptionRecord] | None,
    periods: Sequence[Period],
) -> list[IndicatorResult]:
    """The children adopted in each period and placed for adoption first, each measured by
    ``measure``; a child is decided period by period when their history or their AD1 record
    depends on the period end (decisions D14, D15)."""
    d = Decisions(of, periods)
    over = HistoriesOver(d, episodes, periods)
    fixed, dated = _ad1_by_child(adoptions, over, d)
    for cid, h, where in over.children(by_period=dated):
        record = dated[cid][where.end] if cid in dated and where.end else fixed.get(cid)
        for i, e in enumerate(h.episodes):
            day = e.end_date
            if e.reason_ceased not in ADOPTED or day is None or not where.holds(day):
                continue  # rule 1
            s = where.sink(day)
            poc = h.periods[h.period_of[i]]
            j = _first_adoptive(h, poc.first_index, i)  # rule 2
            if j is None:
                s.exclude(
                    cid,
                    e,
                    "not placed for adoption (no A3-A6 placement) before the "
                    f"adoption on {iso(day)}",
                    details={"entered_care": iso(poc.start)},
                )
                continue
            placed = h.episodes[j]
            details: dict[str, object] = {
                "entered_care": iso(poc.start),
                "placed_for_adoption": iso(placed.start_date),
                "adoptive_placement": placed.placement,
                "adopted": iso(day),
            }
            measure(s, _Adoption(cid, h, poc, i, j, details), record, where)
    return d.results({})


def _entry_known(s: Sink, a: _Adoption) -> bool:
    """Rule 3 of A1 and A10: the period of care's first episode has RNE S, so the date the
    child entered care is in the data; otherwise the adoption is excluded with a reason."""
    first = a.poc.episodes[0]
    if first.reason_new_episode == "S":
        return True
    s.exclude(
        a.cid,
        a.episode,
        f"the period of care's first episode has RNE "
        f"{first.reason_new_episode}, not S: the date the child "
        "entered care is not in the data",
        details=a.details,
    )
    return False


def _a1(s: Sink, a: _Adoption, record: AdoptionRecord | None, where: Where) -> None:
    """A1: days from entering care to the first placement for adoption."""
    if not _entry_known(s, a):  # rule 3
        return
    placed = a.h.episodes[a.placed]
    s.count(
        a.cid, a.episode, True, (placed.start_date - a.poc.start).days, details=a.details
    )  # rule 4


def _a10(s: Sink, a: _Adoption, record: AdoptionRecord | None, where: Where) -> None:
    """A10: as A1, but for a foster-carer adoption the clock stops when the child moved in
    with that carer."""
    if not _entry_known(s, a):  # rule 3
        return
    placed = a.h.episodes[a.placed]
    foster = _foster_carer_adoption(s, a.cid, placed, record)  # rule 4
    moved_in = placed.start_date
    if foster:  # rule 5
        moved_in = a.h.episodes[a.h.carer_start(a.placed)].start_date
    details = {**a.details, "foster_carer_adoption": foster, "moved_in": iso(moved_in)}
    s.count(a.cid, a.episode, True, (moved_in - a.poc.start).days, details=details)  # rule 6


def _foster_carer_adoption(
    s: Sink, cid: str, placed: Episode, record: AdoptionRecord | None
) -> bool:
    """Rule 4 of A10: adopted by the foster carer, by AD1 FOSTER_CARE when recorded (an
    adoptive placement code saying otherwise is reported), else by an A3/A5 placement."""
    by_code = placed.placement in FOSTER_CARER_ADOPTION_PLACEMENTS
    if record is None or record.foster_carer is None:
        return by_code
    foster = record.foster_carer
    if foster and placed.placement in NEW_CARER_ADOPTION_PLACEMENTS:
        s.issue(
            f"AD1 says adopted by the foster carer but the adoptive "
            f"placement is {placed.placement} (a new carer); AD1 is used",
            cid,
            record,
            "inconsistent",
        )
    elif not foster and by_code:
        s.issue(
            f"AD1 says not adopted by the foster carer but the adoptive "
            f"placement is {placed.placement} (the foster carer); AD1 is "
            "used",
            cid,
            record,
            "inconsistent",
        )
    return foster


_NO_MATCH = "no match date (AD1 DATE_MATCH)"
"""A2's exclusion of an adoption without a match date known by the period end (rule 4,
decision D15)."""


def _a2(s: Sink, a: _Adoption, record: AdoptionRecord | None, where: Where) -> None:
    """A2: days from court authority to place to the match with adopters."""
    h, poc, e, details = a.h, a.poc, a.episode, a.details
    k = next(  # rule 3
        (
            x
            for x in range(poc.first_index, a.adopted + 1)
            if h.episodes[x].legal_status in COURT_AUTHORITY_LEGAL_STATUSES
        ),
        None,
    )
    if k is None:
        s.exclude(
            a.cid,
            e,
            "no placement order or freeing order (legal status E1 or D1) in the period of care",
            details=details,
        )
        return
    if k == poc.first_index and h.episodes[k].reason_new_episode != "S":
        s.exclude(
            a.cid,
            e,
            "the first episode in the data already has legal status "
            f"{h.episodes[k].legal_status}: the date of court "
            "authority is not in the data",
            details=details,
        )
        return
    authority = h.episodes[k].start_date
    details = {**details, "court_authority": iso(authority)}
    if record is None or record.match_date is None:  # rule 4
        s.exclude(a.cid, e, _NO_MATCH, details=details)
        return
    matched = record.match_date
    days = (matched - authority).days  # rule 5
    counted = {**details, "matched": iso(matched), "match_before_authority": days < 0}
    assert e.end_date is not None
    if matched <= e.end_date:  # known by the end of every period holding the adoption
        s.count(a.cid, e, True, max(days, 0), details=counted)
        return
    # Decision D15: a period ending before the match does not know it yet, and judges the
    # adoption as one without a match date (the same outcome, nothing said of the match).
    unknown: list[int] = []
    known: list[int] = []
    for n in where.holding(e.end_date):
        (unknown if matched > where.periods[n].end else known).append(n)
    if unknown:
        where.d.pinned(unknown).exclude(a.cid, e, _NO_MATCH, details=details)
    if known:
        where.d.pinned(known).count(a.cid, e, True, max(days, 0), details=counted)


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
    start of the first placement for adoption (A3-A6) in it (decision D11).

    Rules (numbered as on the specification page):

    1. Unit: each child adopted in the period: an episode ending with REC E11 or E12 on a
       date in the period.
    2. Placed for adoption: the first episode of the period of care with a placement for
       adoption (A3-A6, or the legacy A1/A2); none: excluded with a reason.
    3. Entered care: the start of the period of care that ended in the adoption; its first
       episode must have RNE S (otherwise the date is not in the data: excluded).
    4. Measure: calendar days from entering care to the placement for adoption.

    Args:
        episodes: SSDA903 episodes, any order.
        period: the reporting period (three years for the scorecard's average).

    References:
        - DfE, *Adoption scorecards: methodology and guidance*, measure A1.
        - DfE LAIT data dictionary: children adopted (REC E11 or E12).
    """
    return _adoption_a1_over(episodes, [period])[0]


@over_periods(adoption_a1)
def _adoption_a1_over(
    episodes: Iterable[Episode], periods: Sequence[Period]
) -> list[IndicatorResult]:
    """:func:`adoption_a1` over many periods at once."""
    return _run(adoption_a1, _a1, episodes, None, periods)


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
    moved in with that carer (decision D11).

    Rules (numbered as on the specification page):

    1. Unit: each child adopted in the period (REC E11 or E12).
    2. Placed for adoption: as for A1; none: excluded with a reason.
    3. Entered care: as for A1 (first episode RNE S, otherwise excluded).
    4. Adopted by the foster carer: AD1 ``FOSTER_CARE`` when recorded, otherwise an A3/A5
       adoptive placement; AD1 contradicting the placement code is reported
       (``inconsistent``) and AD1 is used.
    5. Moved in: for a foster-carer adoption, the start of the carer chain (RNE L/T/U joins)
       ending in the adoptive placement; otherwise the adoptive placement's start.
    6. Measure: calendar days from entering care to moving in.

    Args:
        episodes: SSDA903 episodes, any order.
        adoptions: SSDA903 AD1 records, any order.
        period: the reporting period (three years for the scorecard's average).

    References:
        - DfE, *Adoption scorecards* (from 2021-22 reporting), measure A10.
        - Adoption and Special Guardianship Leadership Board data: A10 definition.
        - DfE, CLA validation rule 335 (FOSTER_CARE and placements A3/A5).
    """
    return _adoption_a10_over(episodes, adoptions, [period])[0]


@over_periods(adoption_a10)
def _adoption_a10_over(
    episodes: Iterable[Episode], adoptions: Iterable[AdoptionRecord], periods: Sequence[Period]
) -> list[IndicatorResult]:
    """:func:`adoption_a10` over many periods at once."""
    return _run(adoption_a10, _a10, episodes, adoptions, periods)


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
    """Mean calendar days from court authority to place to the match with adopters
    (decision D11).

    Rules (numbered as on the specification page):

    1. Unit: each child adopted in the period (REC E11 or E12).
    2. Placed for adoption: as for A1; none: excluded with a reason.
    3. Court authority: the start of the first episode of the period of care with legal
       status E1 (placement order) or D1 (freeing order); none, or the first episode in the
       data already E1/D1 without RNE S: excluded with a reason.
    4. Match: the AD1 record's ``DATE_MATCH``, known by ``period.end`` (decision D15); two
       different AD1 records are a conflict (decision D14). None: excluded with a reason.
    5. Measure: calendar days from authority to match; a match before the authority
       counts 0.

    Args:
        episodes: SSDA903 episodes, any order.
        adoptions: SSDA903 AD1 records, any order.
        period: the reporting period (three years for the scorecard's average).

    References:
        - DfE, *Adoption scorecards: methodology and guidance*, measure A2 (LG Inform
          metric, DfE wording).
        - DfE, *SSDA903 children looked after return guide*: the date of the placement order
          from the change of legal status to E1 (or D1).
    """
    return _adoption_a2_over(episodes, adoptions, [period])[0]


@over_periods(adoption_a2)
def _adoption_a2_over(
    episodes: Iterable[Episode], adoptions: Iterable[AdoptionRecord], periods: Sequence[Period]
) -> list[IndicatorResult]:
    """:func:`adoption_a2` over many periods at once."""
    return _run(adoption_a2, _a2, episodes, adoptions, periods)
