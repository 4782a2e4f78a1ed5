"""Children subject to section 47 enquiries and to initial child protection conferences, and the
section 47 enquiries that led to a conference (CIN census): the ChAT summary rows DfE publishes
as children (EES table C4, ``Section47_child`` and ``ICPC_child``) rather than as events.

Specifications: ``docs/indicators/children_subject_to_s47_enquiries.md``,
``docs/indicators/children_subject_to_icpc.md`` and
``docs/indicators/s47_enquiries_leading_to_icpc.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import TypeVar

from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.cin import Section47, TransferInConference
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import count_kind, iso
from .._twins import select_twins
from ._shared import exclude_twin, s47_key
from ._span import PeriodSpan, children_with_events
from .conferences import ConferenceRow, conferences_over

R = TypeVar("R")

__all__ = [
    "children_subject_to_icpc",
    "children_subject_to_s47_enquiries",
    "s47_enquiries_leading_to_icpc",
]


_Pairs = list[tuple[Section47, Section47 | None]]


def _enquiries_over(
    d: Decisions, section47s: Iterable[Section47], span: PeriodSpan
) -> list[tuple[str, list[Section47], dict[int, _Pairs] | None]]:
    """The children with an enquiry starting in the ``span``, in id order, each with all
    their enquiries (sorted by :func:`s47_key`) and, for a child with twins (two enquiries
    starting on one date; ``None`` for a child with none), the enquiries starting in each
    period it has one in (by the period's position), each paired with the enquiry chosen
    among its twins (decision D14, as known at the period end; ``None`` for the chosen one),
    their conflicts reported to ``d`` first (the single-period order: every conflict before
    any outcome)."""
    out: list[tuple[str, list[Section47], dict[int, _Pairs] | None]] = []
    for child_id, items, twins in children_with_events(
        section47s, _STARTED, span, same=_STARTED, key=s47_key
    ):
        if not twins:
            out.append((child_id, items, None))
            continue
        per_period: dict[int, _Pairs] = {}
        for n, period in enumerate(span.periods):
            pairs = _s47_twins(d.for_period(n), child_id, items, period)
            if pairs:
                per_period[n] = pairs
        out.append((child_id, items, per_period))
    return out


_STARTED = attrgetter("start_date")


def _s47_twins(b: Sink, child_id: str, items: list[Section47], period: Period) -> _Pairs:
    """One child's enquiries starting in the period, each paired with the enquiry chosen among
    its twins (same start date, decision D14; ``None`` for the chosen one)."""

    def starts(s: Section47) -> bool:
        return s.start_date in period

    if not any(starts(s) for s in items):
        return []
    return select_twins(
        b,
        child_id,
        items,
        same=attrgetter("start_date"),
        selected=starts,
        noun="section 47 enquiry",
        as_of=period.end,
    )


def _exclude_s47_twin(
    b: Sink, child_id: str, s: Section47, chosen: Section47, as_of: _dt.date
) -> None:
    exclude_twin(
        b,
        child_id,
        s,
        chosen,
        duplicate_issue=f"two section 47 enquiries start on {iso(s.start_date)}: counted once",
        duplicate_reason=f"duplicate of the enquiry starting {iso(s.start_date)}",
        noun=f"section 47 enquiry starting {iso(s.start_date)}",
        as_of=as_of,
    )


def _once_per_child(
    d: Decisions,
    span: PeriodSpan,
    child_id: str,
    records: Sequence[R],
    days: Sequence[_dt.date],
    counted: Callable[[R, _dt.date], str],
    excluded: str,
) -> None:
    """Rule 3, each child counted once in a period, on their first record in it (``days``:
    the records' dates, in order): a record is counted in the periods holding its date that
    hold no earlier date of the child (``counted``: the reason) and excluded from the others
    (the reason: ``excluded`` and the date of the first record the period holds)."""
    keep = d.keep
    first, last = span.first, span.last
    for k, record in enumerate(records):
        day = days[k]
        if not first <= day <= last:
            continue
        if k == 0 or days[k - 1] < span.earliest_start(day):  # the first in every period
            d.count(child_id, record, True, None, counted(record, day) if keep else None, day=day)
            continue
        firsts, others = span.by_first(days, k)
        if firsts:
            reason = counted(record, day) if keep else None
            d.pinned(firsts).count(child_id, record, True, None, reason)
        for j, positions in others.items():
            d.pinned(positions).exclude(child_id, record, f"{excluded}{iso(days[j])}")


@register(
    title="Children subject to section 47 enquiries",
    short_title="Children subject to S47 enquiries",
    family=Family.CHILDREN_IN_NEED,
    unit="child with a section 47 enquiry starting in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (S47ActualStartDate)",
        "DfE Characteristics of children in need: children subject to a section 47 enquiry",
        "EES table C4 (Section47_child)",
    ),
    kind=ValueKind.COUNT,
    ees="C4",
)
def children_subject_to_s47_enquiries(
    section47s: Iterable[Section47], period: Period, *, population: int | None = None
) -> IndicatorResult:
    """The number of children with at least one section 47 enquiry starting in the period
    (each child counted once); per 10,000 children when the 0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. Take each section 47 enquiry whose start (the strategy discussion) is in the period.
    2. Enquiries of one child starting on the same date are records of one enquiry (decision
       D14): one is used, the others are excluded and reported (``duplicate`` or
       ``conflict``).
    3. Each child is counted once, on their first enquiry in the period; their later
       enquiries in the period are excluded with a reason.
    """
    return _children_subject_to_s47_enquiries_over(section47s, [period], population=population)[0]


@over_periods(children_subject_to_s47_enquiries)
def _children_subject_to_s47_enquiries_over(
    section47s: Iterable[Section47], periods: Sequence[Period], *, population: int | None = None
) -> list[IndicatorResult]:
    """:func:`children_subject_to_s47_enquiries` over many periods at once.

    A child whose enquiries have no twins is decided once: each enquiry is counted in the
    periods holding its start and no earlier start of the child, excluded from the others; a
    child with twins is decided period by period (decision D15)."""
    d = Decisions(children_subject_to_s47_enquiries, periods, count_kind(population))
    span = PeriodSpan(periods)
    for child_id, items, per_period in _enquiries_over(d, section47s, span):  # rule 1
        if per_period is not None:  # twins
            for n, pairs in per_period.items():
                _children_s47_child(d.for_period(n), child_id, pairs, span.ends[n])
            continue
        _once_per_child(  # rule 3
            d,
            span,
            child_id,
            items,
            [s.start_date for s in items],
            _enquiry_counted,
            "child counted once, on the enquiry starting ",
        )
    return d.results({"population": population})


def _enquiry_counted(s: Section47, day: _dt.date) -> str:
    return f"section 47 enquiry {iso(day)}"


def _children_s47_child(b: Sink, child_id: str, pairs: _Pairs, as_of: _dt.date) -> None:
    """One child's enquiries starting in one period (rules 2 and 3)."""
    first: Section47 | None = None
    for s, chosen in pairs:
        if chosen is not None:  # rule 2
            _exclude_s47_twin(b, child_id, s, chosen, as_of)
        elif first is None:  # rule 3
            first = s
            b.count(child_id, s, True, None, f"section 47 enquiry {iso(s.start_date)}")
        else:
            b.exclude(
                child_id,
                s,
                f"child counted once, on the enquiry starting {iso(first.start_date)}",
            )


@register(
    title="Children subject of an initial child protection conference",
    short_title="Children subject of an ICPC",
    family=Family.CHILDREN_IN_NEED,
    unit="child with an initial child protection conference in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (Section47/DateOfInitialCPC, CINdetails/DateOfInitialCPC)",
        "DfE Characteristics of children in need: children subject to an ICPC",
        "EES table C4 (ICPC_child)",
    ),
    kind=ValueKind.COUNT,
    ees="C4",
)
def children_subject_to_icpc(
    section47s: Iterable[Section47],
    period: Period,
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    population: int | None = None,
) -> IndicatorResult:
    """The number of children with at least one initial child protection conference in the
    period, counting transfer-in conferences as :func:`icpcs_held` does (each child counted
    once); per 10,000 children when the 0-17 ``population`` is given.

    Rules (numbered as on the specification page):

    1. Take each conference held in the period: each section 47 enquiry whose conference date
       is in the period, and each transfer-in conference dated in the period.
    2. Enquiries of one child starting on the same date are records of one enquiry (decision
       D14): the extra records are excluded and reported (``duplicate`` or ``conflict``).
    3. Each child is counted once, on their first conference in the period; their other
       conference records in the period are excluded with a reason.
    """
    return _children_subject_to_icpc_over(
        section47s, [period], transfer_ins=transfer_ins, population=population
    )[0]


@over_periods(children_subject_to_icpc)
def _children_subject_to_icpc_over(
    section47s: Iterable[Section47],
    periods: Sequence[Period],
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    population: int | None = None,
) -> list[IndicatorResult]:
    """:func:`children_subject_to_icpc` over many periods at once.

    A child whose enquiries have no twins is decided once: each conference record is counted
    in the periods holding its date and no earlier conference of the child, excluded from the
    others; a child with twins is decided period by period (decision D15)."""
    d = Decisions(children_subject_to_icpc, periods, count_kind(population))
    span = PeriodSpan(periods)
    for child_id, rows in conferences_over(d, section47s, transfer_ins, span):  # rule 1
        if isinstance(rows, dict):  # twins
            for n, period_rows in rows.items():
                _children_icpc_child(d.for_period(n), child_id, period_rows, span.ends[n])
            continue
        records = [record for record, _ in rows]
        _once_per_child(  # rule 3
            d,
            span,
            child_id,
            records,
            [_held(record) for record in records],
            _conference_counted,
            "child counted once, on the conference of ",
        )
    return d.results({"population": population})


def _held(record: Section47 | TransferInConference) -> _dt.date:
    if isinstance(record, TransferInConference):
        return record.date
    assert record.conference_date is not None
    return record.conference_date


def _what(record: Section47 | TransferInConference) -> str:
    if isinstance(record, TransferInConference):
        return "transfer-in conference"
    return "conference after a section 47 enquiry"


def _conference_counted(record: Section47 | TransferInConference, day: _dt.date) -> str:
    return f"{_what(record)} {iso(day)}"


def _children_icpc_child(
    b: Sink, child_id: str, rows: list[ConferenceRow], as_of: _dt.date
) -> None:
    """One child's conference records in one period (rules 2 and 3)."""
    counted: str | None = None
    for record, own in rows:
        if (
            isinstance(record, Section47)
            and own is not None
            and own.start_date == record.start_date
        ):  # rule 2
            _exclude_s47_twin(b, child_id, record, own, as_of)
            continue
        held = _held(record)
        if counted is None:  # rule 3
            counted = iso(held)
            b.count(child_id, record, True, None, f"{_what(record)} {iso(held)}")
        else:
            b.exclude(child_id, record, f"child counted once, on the conference of {counted}")


@register(
    title="Section 47 enquiries that led to an initial child protection conference",
    short_title="S47 enquiries leading to an ICPC",
    family=Family.CHILDREN_IN_NEED,
    unit="section 47 enquiry starting in the period",
    polarity=Polarity.CONTEXT,
    sources=(
        "CIN census (S47ActualStartDate, DateOfInitialCPC, ICPCnotRequired)",
        "DfE Characteristics of children in need: section 47 enquiries and ICPCs (EES table C4)",
    ),
)
def s47_enquiries_leading_to_icpc(
    section47s: Iterable[Section47],
    period: Period,
    *,
    exclude_undecided: bool = False,
) -> IndicatorResult:
    """The percentage of section 47 enquiries starting in the period that led to an initial
    child protection conference held by the period end.

    Rules (numbered as on the specification page):

    1. Unit: each section 47 enquiry whose start (the strategy discussion) is in the period.
    2. Enquiries of one child starting on the same date are records of one enquiry (decision
       D14): one is used (the one with more recorded detail, such as a conference date), the
       others are excluded and reported (``duplicate`` or ``conflict``).
    3. A conference dated before the enquiry's start is excluded with a reason and reported
       (``date order``).
    4. Met when the enquiry's conference is dated on or before ``period.end``: a conference
       after the period end is not known at the period end (decision D15). A conference on an
       enquiry recorded as "conference not required" is met and reported (``inconsistent``).
    5. An enquiry with no conference by the period end is not met; with
       ``exclude_undecided=True`` it is excluded instead, unless recorded as "conference not
       required" (the enquiry's outcome is then known).

    Args:
        section47s: the section 47 enquiries (any dates).
        period: the reporting period.
        exclude_undecided: leave out the enquiries whose outcome is not known at the period
            end (no conference, and not recorded as "conference not required").
    """
    return _s47_enquiries_leading_to_icpc_over(
        section47s, [period], exclude_undecided=exclude_undecided
    )[0]


@over_periods(s47_enquiries_leading_to_icpc)
def _s47_enquiries_leading_to_icpc_over(
    section47s: Iterable[Section47],
    periods: Sequence[Period],
    *,
    exclude_undecided: bool = False,
) -> list[IndicatorResult]:
    """:func:`s47_enquiries_leading_to_icpc` over many periods at once.

    A child whose enquiries have no twins is decided once per enquiry and outcome: placed by
    its start when every period holding it gives the same outcome, else pinned to the
    periods giving each outcome (a conference after a period's end is not known at it,
    decision D15); a child with twins is decided period by period."""
    d = Decisions(s47_enquiries_leading_to_icpc, periods)
    span = PeriodSpan(periods)
    first, last = span.first, span.last
    keep = d.keep
    for child_id, items, per_period in _enquiries_over(d, section47s, span):  # rule 1
        if per_period is not None:  # twins
            for n, pairs in per_period.items():
                for s, chosen in pairs:
                    if chosen is not None:  # rule 2
                        _exclude_s47_twin(d.for_period(n), child_id, s, chosen, span.ends[n])
                    else:
                        _judge_enquiry(
                            d.for_period(n), child_id, s, span.ends[n], exclude_undecided
                        )
            continue
        for s in items:
            day = s.start_date
            if not first <= day <= last:
                continue
            held = s.conference_date
            ncr = s.conference_not_required
            if (held is not None and held <= span.earliest_end(day)) or (
                held is None and (ncr or not keep)
            ):  # the same outcome in every period holding the start: placed by it
                if held is not None and held >= day and not ncr:  # rule 4
                    reason, details = _held_reason(s, held) if keep else (None, None)
                    d.count(child_id, s, True, (held - day).days, reason, details, day=day)
                elif held is None and (ncr or not exclude_undecided):  # rules 4 and 5
                    if keep:  # (kept: only when known as not required)
                        details = {"start_date": iso(day)}
                        d.count(child_id, s, False, None, _NOT_REQUIRED, details, day=day)
                    else:
                        d.count(child_id, s, False, day=day)
                else:
                    _judge_enquiry(d.at(day), child_id, s, held or last, exclude_undecided)
                continue
            if not keep:  # a conference after the end of some period holding the start
                assert held is not None
                unknown, known = span.split_at(day, held)
                end = span.ends[unknown[0]]
                _judge_enquiry(d.pinned(unknown), child_id, s, end, exclude_undecided)
                if known:
                    _judge_enquiry(d.pinned(known), child_id, s, held, exclude_undecided)
                continue
            # outcomes kept: pinned to the periods of each outcome and reason (a conference
            # known by the period end, or none known and the reason naming the end)
            groups: dict[_dt.date, list[int]] = {}
            for n in span.holding(day):
                end = span.ends[n]
                groups.setdefault(held if held is not None and held <= end else end, []).append(n)
            for end, positions in groups.items():
                _judge_enquiry(d.pinned(positions), child_id, s, end, exclude_undecided)
    return d.results({"exclude_undecided": exclude_undecided})


_NOT_REQUIRED = "conference not required"


def _held_reason(s: Section47, held: _dt.date) -> tuple[str, dict[str, object]]:
    """The reason and details of an enquiry that led to a conference (rule 4)."""
    return f"conference {iso(held)}", {
        "start_date": iso(s.start_date),
        "conference_date": iso(held),
    }


def _judge_enquiry(
    b: Sink, child_id: str, s: Section47, end: _dt.date, exclude_undecided: bool
) -> None:
    """Rules 3 to 5: one enquiry judged at the period end ``end`` (reasons and details
    formatted only when the outcomes are kept)."""
    held = s.conference_date if s.conference_date and s.conference_date <= end else None
    keep = b.keep
    details: dict[str, object] | None = {"start_date": iso(s.start_date)} if keep else None
    if held is not None and held < s.start_date:  # rule 3
        reason = f"conference {iso(held)} before the enquiry's start {iso(s.start_date)}"
        b.issue(reason, child_id, s, kind="date order")
        b.exclude(child_id, s, reason, details=details)
        return
    if held is not None:  # rule 4
        if s.conference_not_required:
            b.issue(
                f"conference held {iso(held)} although recorded as not required",
                child_id,
                s,
                kind="inconsistent",
            )
        why, more = _held_reason(s, held) if keep else (None, None)
        b.count(child_id, s, True, (held - s.start_date).days, why, more)
    elif s.conference_not_required:
        b.count(child_id, s, False, None, _NOT_REQUIRED, details)
    elif exclude_undecided:  # rule 5
        b.exclude(
            child_id,
            s,
            lambda: (
                f"no conference by {iso(end)} and not recorded as not required: "
                "outcome not known at the period end"
            ),
            details=details,
        )
    else:
        b.count(child_id, s, False, None, f"no conference by {iso(end)}" if keep else None, details)
