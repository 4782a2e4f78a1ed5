"""Children in need at the end of the period (CIN census): the snapshot DfE publishes as
"children in need at 31 March" (EES table B1), a count or a rate per 10,000 children.

Specification: ``docs/indicators/children_in_need_at_period_end.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from ...periods import Period
from ...records.cin import Referral
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from .._common import by_child, count_kind, iso
from .._twins import select_twins
from ._shared import exclude_twin, referral_key

__all__ = ["children_in_need_at_period_end", "referral_open_on"]


def referral_open_on(referral: Referral, day: _dt.date) -> bool:
    """Whether the episode of need a referral opened is open at the end of ``day``: referred on
    or before it and not closed on or before it (a case closed on ``day`` has ended by then)."""
    closed = referral.closure_date
    return referral.date <= day and (closed is None or closed > day)


@register(
    title="Children in need at the end of the period",
    short_title="Children in need at period end",
    family=Family.CHILDREN_IN_NEED,
    unit="child with an episode of need open at the end of the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CINreferralDate, CINclosureDate, ReferralNFA)",
        "DfE Characteristics of children in need: children in need at 31 March",
        "EES table B1",
    ),
    kind=ValueKind.COUNT,
    ees="B1",
)
def children_in_need_at_period_end(
    referrals: Iterable[Referral],
    period: Period,
    *,
    population: int | None = None,
    exclude_no_further_action: bool = True,
) -> IndicatorResult:
    """The number of children with an episode of need open at the end of ``period.end``; per
    10,000 children when the 0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. An episode of need is open at the end of ``period.end`` when its referral is dated on or
       before that day and it has no closure date, or closes after that day (a closure after
       the period end is not known then, decision D15).
    2. Referrals of one child on the same date are records of one episode (decision D14): one
       is used, the others are excluded and reported (``duplicate`` or ``conflict``).
    3. A referral that led to no further action (``ReferralNFA``) is excluded with a reason:
       the child was not found to be in need (``exclude_no_further_action``).
    4. Each child is counted once, on their latest open episode; another open episode of the
       same child is excluded with a reason and reported (``overlap``: episodes of need should
       not overlap).

    Args:
        referrals: the referrals (episodes of need), any dates.
        period: the reporting period; the snapshot is ``period.end``.
        population: the 0-17 population, for a rate per 10,000 children.
        exclude_no_further_action: leave out referrals recorded as no further action.
    """
    b = ResultBuilder(children_in_need_at_period_end, count_kind(population))
    day = period.end

    def open_then(r: Referral) -> bool:  # rule 1
        return referral_open_on(r, day)

    for child_id, items in by_child(referrals, referral_key).items():
        if not any(open_then(r) for r in items):
            continue
        pairs = select_twins(
            b,
            child_id,
            items,
            same=lambda r: r.date,
            selected=open_then,
            noun="referral",
            end=lambda r: r.closure_date,
            as_of=day,
        )
        in_need: list[Referral] = []
        for r, chosen in pairs:
            if chosen is not None:  # rule 2
                exclude_twin(
                    b,
                    child_id,
                    r,
                    chosen,
                    duplicate_issue=f"two referrals on {iso(r.date)}: counted once",
                    duplicate_reason=f"duplicate referral (same child, same date {iso(r.date)})",
                    noun=f"referral of {iso(r.date)}",
                    as_of=day,
                )
            elif exclude_no_further_action and r.no_further_action:  # rule 3
                b.exclude(child_id, r, "referral led to no further action (ReferralNFA)")
            else:
                in_need.append(r)
        if not in_need:
            continue
        latest = in_need[-1]  # rule 4
        for r in in_need[:-1]:
            b.issue(
                f"episode of need from {iso(r.date)} is still open when the episode from "
                f"{iso(latest.date)} starts (both open on {iso(day)})",
                child_id,
                r,
                kind="overlap",
            )
            b.exclude(child_id, r, f"child counted once, on the referral of {iso(latest.date)}")
        b.count(
            child_id,
            latest,
            True,
            (day - latest.date).days,
            f"episode of need from {iso(latest.date)} open on {iso(day)}",
        )
    return b.build(
        period,
        {"population": population, "exclude_no_further_action": exclude_no_further_action},
    )
