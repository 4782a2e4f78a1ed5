"""Children-in-need activity counts of events: referrals received, assessments completed,
section 47 enquiries started and initial conferences held, each a count or, when the 0-17
population is given, a rate per 10,000 children. The child protection plan counts are in
:mod:`.plan_activity`.

Specifications: one page per count under ``docs/indicators/``. Each count has one outcome per
record considered; a duplicate (same child, same date) is excluded with a reason and reported,
so every event is counted once.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import TypeVar

from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.cin import Assessment, Referral, Section47, TransferInConference
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import HasChildId, count_kind, iso
from .._twins import EndOf, select_twins
from ._shared import (
    assessment_key,
    exclude_twin,
    referral_key,
    s47_key,
)
from ._span import PeriodSpan, children_with_events
from .conferences import conferences_over

__all__ = [
    "assessments_completed",
    "icpcs_held",
    "referrals_received",
    "s47_enquiries_started",
]

R = TypeVar("R", bound=HasChildId)


def _count_events(
    indicator: Callable[..., IndicatorResult],
    records: Iterable[R],
    periods: Sequence[Period],
    population: int | None,
    *,
    key: Callable[[R], tuple[object, ...]],
    when: Callable[[R], _dt.date | None],
    same: Callable[[R], object],
    noun: str,
    end: EndOf | None = None,
    check: Callable[[Sink, str, R], None] | None = None,
) -> list[IndicatorResult]:
    """Count, for each period, the records whose ``when`` date is in it (rule 1), once per
    ``same`` value (the event); among twins of one event the record is chosen by decision D14
    and the others are excluded (rule 2). ``check`` reports what a counted record's dates say
    (the indicator's own rule).

    A child with no twins is decided once, each record placed by its date; a child with twins
    is decided period by period (which twin counts depends on what the period holds and on
    what is known at its end, decision D15)."""
    d = Decisions(indicator, periods, count_kind(population))
    span = PeriodSpan(periods)
    first, last, keep = span.first, span.last, d.keep
    # Only tallied (no outcome collected, nothing reported per record): a child's records in
    # any order.
    tallied_only = d.figures_only and check is None
    grouped = children_with_events(
        records,
        when,
        span,
        same=same,  # type: ignore[arg-type]
        key=key,
        in_order=not tallied_only,
    )
    # Without any outcome collected, the days of the counted records, tallied at the end;
    # in a breakdown, those of each child whose group is known, by group (the child's group
    # looked up once).
    days: list[int] | None = [] if d.figures_only else None
    fixed = d.known_groups
    by_group: dict[str, list[int]] = {}
    on_day = d.at(first)  # where check() reports, placed on each record's day in turn
    for child_id, items, twins in grouped:
        if not twins:  # each record decided once, placed by its date
            tallied = days
            if fixed is not None and (group := fixed.get(child_id)) is not None:
                tallied = by_group.get(group)
                if tallied is None:
                    tallied = by_group[group] = []
            for record in items:
                day = when(record)
                if day is None or not first <= day <= last:
                    continue
                if check is not None:
                    on_day.place_on(day)
                    check(on_day, child_id, record)
                if tallied is not None:
                    tallied.append(day.toordinal())
                    continue
                reason = f"{noun} {iso(day)}" if keep else None
                d.count(child_id, record, True, None, reason, day=day)
            continue
        for n, period in enumerate(periods):
            _count_child(
                d.for_period(n),
                child_id,
                items,
                period,
                when=when,
                same=same,
                noun=noun,
                end=end,
                check=check,
            )
    if days:
        d.add_counted_days(days, days)
    for group, held in by_group.items():
        d.add_counted_days(held, held, group=group)
    return d.results({"population": population})


def _count_child(
    b: Sink,
    child_id: str,
    items: list[R],
    period: Period,
    *,
    when: Callable[[R], _dt.date | None],
    same: Callable[[R], object],
    noun: str,
    end: EndOf | None,
    check: Callable[[Sink, str, R], None] | None,
) -> None:
    """One child's records over one period (rules 1 and 2)."""

    def selected(r: R) -> bool:  # rule 1
        d = when(r)
        return d is not None and d in period

    if not any(selected(r) for r in items):
        return
    pairs = select_twins(
        b, child_id, items, same=same, selected=selected, noun=noun, end=end, as_of=period.end
    )
    for record, chosen in pairs:
        d = when(record)
        if chosen is not None:  # rule 2
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
    """The number of referrals dated in the period; per 10,000 children when the 0-17
    ``population`` is given.

    Rules (numbered as on the specification page):

    1. Unit: each referral whose date is in the period (NFA referrals included).
    2. Referrals of the same child on the same date are records of one referral (decision
       D14): one is counted, chosen by the shared content rule (the later closure, open
       latest; more recorded detail; then a fixed order); the others are excluded with a
       reason, reported as ``duplicate`` (identical) or ``conflict``.

    Args:
        referrals: the referrals (any dates).
        period: the reporting period.
        population: the 0-17 population, for a rate per 10,000 children (``None``: a count).

    Raises:
        ValueError: ``population`` is given but is not a positive whole number.

    References:
        - DfE, Children in need census guide: ``CINreferralDate``.
        - DfE, *Characteristics of children in need*: referrals, each occasion counted.
        - Explore Education Statistics, *Characteristics of children in need*, table C1.
        - Decision D14 (``docs/decisions.md``).
    """
    return _referrals_received_over(referrals, [period], population=population)[0]


@over_periods(referrals_received)
def _referrals_received_over(
    referrals: Iterable[Referral], periods: Sequence[Period], *, population: int | None = None
) -> list[IndicatorResult]:
    """:func:`referrals_received` over many periods at once."""
    return _count_events(
        referrals_received,
        referrals,
        periods,
        population,
        key=referral_key,
        when=attrgetter("date"),
        same=attrgetter("date"),
        noun="referral",
        end=attrgetter("closure_date"),
    )


def _date_order_assessment(b: Sink, child_id: str, a: Assessment) -> None:
    """Rule 3: an assessment authorised before its start is counted and reported."""
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
    """The number of assessments authorised in the period; per 10,000 children when the 0-17
    ``population`` is given.

    Rules (numbered as on the specification page):

    1. Unit: each assessment whose authorisation date is in the period.
    2. Assessments of the same child with the same start date are records of one assessment
       (decision D14): one is counted, chosen by the shared content rule (the later
       authorisation, then more recorded detail, then a fixed order); the others are
       excluded with a reason, reported as ``duplicate`` or ``conflict``.
    3. An assessment authorised before its start is counted (it was completed) and reported
       as a ``date order`` issue.

    Args:
        assessments: the assessments (any dates).
        period: the reporting period.
        population: the 0-17 population, for a rate per 10,000 children (``None``: a count).

    Raises:
        ValueError: ``population`` is given but is not a positive whole number.

    References:
        - DfE, Children in need census guide: ``AssessmentAuthorisationDate``; CIN census
          validation rule 8608.
        - DfE LAIT measure 304: assessments with an end date in the collection year.
        - Explore Education Statistics, *Characteristics of children in need*, table C2.
        - Decision D14 (``docs/decisions.md``).
    """
    return _assessments_completed_over(assessments, [period], population=population)[0]


@over_periods(assessments_completed)
def _assessments_completed_over(
    assessments: Iterable[Assessment], periods: Sequence[Period], *, population: int | None = None
) -> list[IndicatorResult]:
    """:func:`assessments_completed` over many periods at once."""
    return _count_events(
        assessments_completed,
        assessments,
        periods,
        population,
        key=assessment_key,
        when=attrgetter("authorisation_date"),
        same=attrgetter("start_date"),
        noun="assessment",
        end=attrgetter("authorisation_date"),
        check=_date_order_assessment,  # rule 3
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
    """The number of section 47 enquiries starting in the period; per 10,000 children when the
    0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. Unit: each section 47 enquiry whose start date is in the period.
    2. Enquiries of the same child starting on the same date are records of one enquiry
       (decision D14): one is counted, the one with more recorded detail (then a fixed
       order); the others are excluded with a reason, reported as ``duplicate`` or
       ``conflict``.

    Args:
        section47s: the section 47 enquiries (any dates).
        period: the reporting period.
        population: the 0-17 population, for a rate per 10,000 children (``None``: a count).

    Raises:
        ValueError: ``population`` is given but is not a positive whole number.

    References:
        - DfE, Children in need census guide: ``S47ActualStartDate``.
        - Explore Education Statistics, *Characteristics of children in need*, table C4.
        - Decision D14 (``docs/decisions.md``).
    """
    return _s47_enquiries_started_over(section47s, [period], population=population)[0]


@over_periods(s47_enquiries_started)
def _s47_enquiries_started_over(
    section47s: Iterable[Section47], periods: Sequence[Period], *, population: int | None = None
) -> list[IndicatorResult]:
    """:func:`s47_enquiries_started` over many periods at once."""
    return _count_events(
        s47_enquiries_started,
        section47s,
        periods,
        population,
        key=s47_key,
        when=attrgetter("start_date"),
        same=attrgetter("start_date"),
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
    followed a section 47 enquiry plus transfer-in conferences; per 10,000 children when the
    0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. Unit: each section 47 enquiry whose conference date is in the period, and each
       transfer-in conference dated in the period (``transfer_ins`` may be ``None``).
    2. Two records of one child with the same conference date (two enquiries, or an enquiry
       and a transfer-in) are one conference: the extra records are excluded with a reason
       and reported as duplicates (records of one enquiry as ``duplicate`` or ``conflict``,
       decision D14).

    Args:
        section47s: the section 47 enquiries (any dates).
        period: the reporting period.
        transfer_ins: transfer-in conferences (``None`` or empty when not supplied).
        population: the 0-17 population, for a rate per 10,000 children (``None``: a count).

    Raises:
        ValueError: ``population`` is given but is not a positive whole number.

    References:
        - DfE, Children in need census guide: ``DateOfInitialCPC`` (on ``Section47`` and, for
          transfer-ins, on ``CINdetails``); CIN census validation rule 2884.
        - DfE LAIT measure 269: the ICPC count, transfer-ins included.
        - Explore Education Statistics, *Characteristics of children in need*, table C4.
        - Decision D14 (``docs/decisions.md``).
    """
    return _icpcs_held_over(
        section47s,
        [period],
        transfer_ins=transfer_ins,
        population=population,
    )[0]


@over_periods(icpcs_held)
def _icpcs_held_over(
    section47s: Iterable[Section47],
    periods: Sequence[Period],
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    population: int | None = None,
) -> list[IndicatorResult]:
    """:func:`icpcs_held` over many periods at once.

    A child whose enquiries have no twins is decided once, each conference record placed by
    its date (two records of one date are in the same periods); a child with twins is decided
    period by period (which twin is used depends on what the period holds and on what is
    known at its end, decision D15)."""
    d = Decisions(icpcs_held, periods, count_kind(population))
    span = PeriodSpan(periods)
    keep = d.keep
    for child_id, rows in conferences_over(d, section47s, transfer_ins, span):  # rule 1
        if isinstance(rows, dict):  # twins
            for n, period_rows in rows.items():
                seen: set[_dt.date] = set()
                for record, own in period_rows:
                    _count_conference(d.for_period(n), child_id, record, own, seen, span.ends[n])
            continue
        seen = set()
        for record, own in rows:
            held, what = _held(record)
            if own is not None or held in seen:  # rule 2
                _count_conference(d.at(held), child_id, record, own, seen, span.last)
                continue
            seen.add(held)
            d.count(child_id, record, True, None, f"{what} {iso(held)}" if keep else None, day=held)
    return d.results({"population": population})


def _held(record: Section47 | TransferInConference) -> tuple[_dt.date, str]:
    """The conference's date and what it is."""
    if isinstance(record, TransferInConference):
        return record.date, "transfer-in conference"
    assert record.conference_date is not None
    return record.conference_date, "conference after a section 47 enquiry"


def _count_conference(
    b: Sink,
    child_id: str,
    record: Section47 | TransferInConference,
    own: Section47 | None,
    seen: set[_dt.date],
    as_of: _dt.date,
) -> None:
    """Rule 2: count a conference once per date; the other records of it are excluded."""
    held, what = _held(record)
    if own is not None and isinstance(record, Section47) and own.start_date == record.start_date:
        exclude_twin(  # rule 2
            b,
            child_id,
            record,
            own,
            duplicate_issue=f"conference of {iso(held)} recorded twice: counted once",
            duplicate_reason=f"duplicate of the conference of {iso(held)}",
            noun=f"section 47 enquiry starting {iso(record.start_date)}",
            as_of=as_of,
        )
        return
    if own is not None or held in seen:  # rule 2
        b.issue(
            f"conference of {iso(held)} recorded twice: counted once",
            child_id,
            record,
            kind="duplicate",
        )
        b.exclude(child_id, record, f"duplicate of the conference of {iso(held)}")
        return
    seen.add(held)
    b.count(child_id, record, True, None, f"{what} {iso(held)}")
