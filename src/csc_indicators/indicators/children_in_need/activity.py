"""Children-in-need activity counts: the volumes a scorecard shows next to the percentages
(referrals, assessments, section 47 enquiries, conferences, plans started, ceased and open),
each a count or, when the 0-17 population is given, a rate per 10,000 children.

Specifications: one page per count under ``docs/indicators/``. Each count has one outcome per
record considered; a duplicate (same child, same date) is excluded with a reason and reported,
so every event is counted once.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from ...periods import Period
from ...records.cin import (
    Assessment,
    ChildProtectionPlan,
    Referral,
    Section47,
    TransferInConference,
)
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from .._common import HasChildId, by_child, count_kind, iso
from .._twins import EndOf, select_twins
from ._shared import (
    assessment_key,
    exclude_plan_twin,
    exclude_twin,
    open_on,
    plan_key,
    plan_overlaps,
    plan_twins,
    referral_key,
    report_overlaps,
    s47_key,
    transfer_in_key,
)
from .conferences import s47_conferences_in_period

__all__ = [
    "assessments_completed",
    "children_on_cp_plan",
    "cp_plans_ceased",
    "cp_plans_started",
    "icpcs_held",
    "referrals_received",
    "s47_enquiries_started",
]

R = TypeVar("R", bound=HasChildId)


def _count_events(
    indicator: Callable[..., IndicatorResult],
    records: Iterable[R],
    period: Period,
    population: int | None,
    *,
    key: Callable[[R], tuple[object, ...]],
    when: Callable[[R], _dt.date | None],
    same: Callable[[R], object],
    noun: str,
    end: EndOf | None = None,
    check: Callable[[ResultBuilder, str, R], None] | None = None,
) -> IndicatorResult:
    """Count the records whose ``when`` date is in the period, once per ``same`` value (the
    event); among twins of one event the record is chosen by decision D14."""
    b = ResultBuilder(indicator, count_kind(population))

    def selected(r: R) -> bool:
        d = when(r)
        return d is not None and d in period

    for child_id, items in by_child(records, key).items():
        if not any(selected(r) for r in items):
            continue
        pairs = select_twins(
            b, child_id, items, same=same, selected=selected, noun=noun, end=end, as_of=period.end
        )
        for record, chosen in pairs:
            d = when(record)
            if chosen is not None:
                exclude_twin(
                    b,
                    child_id,
                    record,
                    chosen,
                    duplicate_issue=f"two {noun}s on {iso(d)}: counted once",
                    duplicate_reason=f"duplicate {noun} (same child, same date {iso(d)})",
                    noun=noun,
                    as_of=period.end,
                )
                continue
            if check is not None:
                check(b, child_id, record)
            b.count(child_id, record, True, None, f"{noun} {iso(d)}")
    return b.build(period, {"population": population})


@register(
    title="Referrals received",
    short_title="Referrals received",
    family=Family.CHILDREN_IN_NEED,
    unit="referral dated in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CINreferralDate)",
        "DfE Characteristics of children in need, referrals",
        "EES table C1",
    ),
    kind=ValueKind.COUNT,
    ees="C1",
)
def referrals_received(
    referrals: Iterable[Referral], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of referrals dated in the period (a second referral of the same child on
    the same date is a duplicate, excluded with a reason); per 10,000 children when the 0-17
    ``population`` is given."""
    return _count_events(
        referrals_received,
        referrals,
        period,
        population,
        key=referral_key,
        when=lambda r: r.date,
        same=lambda r: r.date,
        noun="referral",
        end=lambda r: r.closure_date,
    )


def _date_order_assessment(b: ResultBuilder, child_id: str, a: Assessment) -> None:
    if a.authorisation_date is not None and a.authorisation_date < a.start_date:
        b.issue(
            f"authorised {iso(a.authorisation_date)}, before its start {iso(a.start_date)}",
            child_id,
            a,
            kind="date order",
        )


@register(
    title="Assessments completed",
    short_title="Assessments completed",
    family=Family.CHILDREN_IN_NEED,
    unit="assessment authorised in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (AssessmentAuthorisationDate)",
        "DfE LAIT measure 304 (denominator)",
        "EES table C2",
    ),
    kind=ValueKind.COUNT,
    ees="C2",
)
def assessments_completed(
    assessments: Iterable[Assessment], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of assessments authorised in the period (assessments of the same child with
    the same start date are records of one assessment, decision D14: one is counted, the later
    authorised, and the others are excluded and reported as ``duplicate`` or ``conflict``);
    per 10,000 children when the 0-17 ``population`` is given. An assessment authorised
    before its start is counted (it was completed) and reported as a ``date order`` issue."""
    return _count_events(
        assessments_completed,
        assessments,
        period,
        population,
        key=assessment_key,
        when=lambda a: a.authorisation_date,
        same=lambda a: a.start_date,
        noun="assessment",
        end=lambda a: a.authorisation_date,
        check=_date_order_assessment,
    )


@register(
    title="Section 47 enquiries started",
    short_title="Section 47 enquiries started",
    family=Family.CHILDREN_IN_NEED,
    unit="section 47 enquiry starting in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (S47ActualStartDate)",
        "DfE EES table C4",
    ),
    kind=ValueKind.COUNT,
    ees="C4",
)
def s47_enquiries_started(
    section47s: Iterable[Section47], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of section 47 enquiries starting in the period (enquiries of the same child
    starting on the same date are records of one enquiry, decision D14: one is counted, the
    one with more recorded detail, and the others are excluded and reported as ``duplicate``
    or ``conflict``); per 10,000 children when the 0-17
    ``population`` is given."""
    return _count_events(
        s47_enquiries_started,
        section47s,
        period,
        population,
        key=s47_key,
        when=lambda s: s.start_date,
        same=lambda s: s.start_date,
        noun="section 47 enquiry",
    )


@register(
    title="Initial child protection conferences held (including transfer-ins)",
    short_title="Initial CP conferences held",
    family=Family.CHILDREN_IN_NEED,
    unit="initial child protection conference held in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (DateOfInitialCPC)",
        "DfE LAIT measure 269 (ICPC count, transfer-ins included)",
        "EES table C4",
    ),
    kind=ValueKind.COUNT,
    ees="C4",
)
def icpcs_held(
    section47s: Iterable[Section47],
    period: Period,
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    population: int | None = None,
) -> IndicatorResult:
    """The number of initial child protection conferences held in the period: those that
    followed a section 47 enquiry plus transfer-in conferences.

    Two enquiries of one child with the same conference date are one conference, and a
    transfer-in on the date of a child's section 47 conference is the same conference: the
    extra records are excluded with a reason and reported as duplicates. Per 10,000 children
    when the 0-17 ``population`` is given.
    """
    b = ResultBuilder(icpcs_held, count_kind(population))
    s47s = s47_conferences_in_period(section47s, period, builder=b)
    tis = by_child((t for t in (transfer_ins or ()) if t.date in period), transfer_in_key)
    for child_id in sorted(set(s47s) | set(tis)):
        rows: list[
            tuple[tuple[object, ...], Section47 | TransferInConference, Section47 | None]
        ] = [((s.conference_date, 0, s47_key(s)), s, own) for s, own in s47s.get(child_id, [])]
        rows += [((t.date, 1, transfer_in_key(t)), t, None) for t in tis.get(child_id, [])]
        rows.sort(key=lambda r: r[0])
        seen: set[_dt.date] = set()
        for _, record, own in rows:
            if isinstance(record, TransferInConference):
                held, what = record.date, "transfer-in conference"
            else:
                assert record.conference_date is not None
                held, what = record.conference_date, "conference after a section 47 enquiry"
            if (
                own is not None
                and isinstance(record, Section47)
                and own.start_date == record.start_date
            ):
                exclude_twin(
                    b,
                    child_id,
                    record,
                    own,
                    duplicate_issue=f"conference of {iso(held)} recorded twice: counted once",
                    duplicate_reason=f"duplicate of the conference of {iso(held)}",
                    noun=f"section 47 enquiry starting {iso(record.start_date)}",
                    as_of=period.end,
                )
                continue
            if own is not None or held in seen:
                b.issue(
                    f"conference of {iso(held)} recorded twice: counted once",
                    child_id,
                    record,
                    kind="duplicate",
                )
                b.exclude(child_id, record, f"duplicate of the conference of {iso(held)}")
                continue
            seen.add(held)
            b.count(child_id, record, True, None, f"{what} {iso(held)}")
    return b.build(period, {"population": population})


def _plan_issues(
    b: ResultBuilder,
    plans: Sequence[ChildProtectionPlan],
    child_id: str,
    involved: Callable[[ChildProtectionPlan], bool],
) -> None:
    report_overlaps(b, child_id, plan_overlaps(plans), involved)


def _plan_events(
    indicator: Callable[..., IndicatorResult],
    plans: Iterable[ChildProtectionPlan],
    period: Period,
    population: int | None,
    when: Callable[[ChildProtectionPlan], _dt.date | None],
    noun: str,
) -> IndicatorResult:
    b = ResultBuilder(indicator, count_kind(population))

    def involved(p: ChildProtectionPlan) -> bool:
        d = when(p)
        return d is not None and d in period

    for child_id, items in by_child(plans, plan_key).items():
        _plan_issues(b, items, child_id, involved)
        for plan, chosen in plan_twins(b, child_id, items, involved, period.end):
            if chosen is not None:
                exclude_plan_twin(b, child_id, plan, chosen, period.end)
                continue
            if plan.end_date is not None and plan.end_date < plan.start_date:
                b.issue(
                    f"ended {iso(plan.end_date)}, before its start {iso(plan.start_date)}",
                    child_id,
                    plan,
                    kind="date order",
                )
            b.count(child_id, plan, True, None, f"plan {noun} {iso(when(plan))}")
    return b.build(period, {"population": population})


@register(
    title="Child protection plans started",
    short_title="CP plans started",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan starting in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CPPstartDate)",
        "DfE LAIT measures 14 and 15 (denominator)",
        "EES table D3",
    ),
    kind=ValueKind.COUNT,
    ees="D3",
)
def cp_plans_started(
    plans: Iterable[ChildProtectionPlan], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of child protection plans starting in the period (a second plan of the
    same child starting on the same date is a duplicate); per 10,000 children when the 0-17
    ``population`` is given. Overlapping plans are reported as ``overlap`` issues."""
    return _plan_events(
        cp_plans_started,
        plans,
        period,
        population,
        lambda p: p.start_date,
        "started",
    )


@register(
    title="Child protection plans ceased",
    short_title="CP plans ceased",
    family=Family.CHILDREN_IN_NEED,
    unit="child protection plan ending in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CPPendDate)",
        "DfE LAIT measure 98 (denominator)",
        "EES table D7",
    ),
    kind=ValueKind.COUNT,
    ees="D7",
)
def cp_plans_ceased(
    plans: Iterable[ChildProtectionPlan], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of child protection plans ending in the period (duplicates, as for
    :func:`cp_plans_started`, excluded); per 10,000 children when the 0-17 ``population`` is
    given. A plan ending before it starts is counted and reported as a ``date order`` issue."""
    return _plan_events(
        cp_plans_ceased,
        plans,
        period,
        population,
        lambda p: p.end_date,
        "ended",
    )


@register(
    title="Children on a child protection plan at the period end",
    short_title="Children on a CP plan at period end",
    family=Family.CHILDREN_IN_NEED,
    unit="child with a child protection plan open at the end of the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (CPPstartDate, CPPendDate)",
        "DfE EES table D5",
    ),
    kind=ValueKind.COUNT,
    ees="D5",
)
def children_on_cp_plan(
    plans: Iterable[ChildProtectionPlan], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of children with a plan open at the end of ``period.end`` (started on or
    before it, not ended on or before it); per 10,000 children when the 0-17 ``population``
    is given. A child with more than one open plan (an overlap, reported) is counted once,
    on the latest-starting plan; the other plans are excluded with a reason. Open plans with
    the same start date are records of one plan (decision D14), chosen as for
    :func:`~csc_indicators.indicators.cp_plans_open_2_years_or_more`."""
    b = ResultBuilder(children_on_cp_plan, count_kind(population))
    day = period.end
    for child_id, items in by_child(plans, plan_key).items():
        if not any(open_on(p, day) for p in items):
            continue
        _plan_issues(b, items, child_id, lambda p: open_on(p, day))
        current = plan_twins(b, child_id, items, lambda p: open_on(p, day), day)
        plan = [p for p, chosen in current if chosen is None][-1]
        for other, chosen in current:
            if chosen is not None:
                exclude_plan_twin(b, child_id, other, chosen, period.end)
            elif other.start_date != plan.start_date:
                b.exclude(
                    child_id,
                    other,
                    f"child counted once, on the plan starting {iso(plan.start_date)}",
                )
        b.count(
            child_id, plan, True, None, f"plan starting {iso(plan.start_date)} open on {iso(day)}"
        )
    return b.build(period, {"population": population})
