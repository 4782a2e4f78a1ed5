"""Children subject to section 47 enquiries and to initial child protection conferences, and the
section 47 enquiries that led to a conference (CIN census): the ChAT summary rows DfE publishes
as children (EES table C4, ``Section47_child`` and ``ICPC_child``) rather than as events.

Specifications: ``docs/indicators/children_subject_to_s47_enquiries.md``,
``docs/indicators/children_subject_to_icpc.md`` and
``docs/indicators/s47_enquiries_leading_to_icpc.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...periods import Period
from ...records.cin import Section47, TransferInConference
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder, ValueKind
from .._common import by_child, count_kind, iso
from .._twins import select_twins
from ._shared import exclude_twin, s47_key, transfer_in_key
from .conferences import s47_conferences_in_period

__all__ = [
    "children_subject_to_icpc",
    "children_subject_to_s47_enquiries",
    "s47_enquiries_leading_to_icpc",
]


def _s47_twins(
    b: ResultBuilder, section47s: Iterable[Section47], period: Period
) -> dict[str, list[tuple[Section47, Section47 | None]]]:
    """The enquiries starting in the period, by child (sorted), each paired with the enquiry
    chosen among its twins (same start date, decision D14; ``None`` for the chosen one)."""

    def starts(s: Section47) -> bool:
        return s.start_date in period

    out: dict[str, list[tuple[Section47, Section47 | None]]] = {}
    for child_id, items in by_child(section47s, s47_key).items():
        if not any(starts(s) for s in items):
            continue
        out[child_id] = select_twins(
            b,
            child_id,
            items,
            same=lambda s: s.start_date,
            selected=starts,
            noun="section 47 enquiry",
            as_of=period.end,
        )
    return out


def _exclude_s47_twin(
    b: ResultBuilder, child_id: str, s: Section47, chosen: Section47, period: Period
) -> None:
    exclude_twin(
        b,
        child_id,
        s,
        chosen,
        duplicate_issue=f"two section 47 enquiries start on {iso(s.start_date)}: counted once",
        duplicate_reason=f"duplicate of the enquiry starting {iso(s.start_date)}",
        noun=f"section 47 enquiry starting {iso(s.start_date)}",
        as_of=period.end,
    )


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
    b = ResultBuilder(children_subject_to_s47_enquiries, count_kind(population))
    for child_id, pairs in _s47_twins(b, section47s, period).items():  # rule 1
        first: Section47 | None = None
        for s, chosen in pairs:
            if chosen is not None:  # rule 2
                _exclude_s47_twin(b, child_id, s, chosen, period)
            elif first is None:  # rule 3
                first = s
                b.count(child_id, s, True, None, f"section 47 enquiry {iso(s.start_date)}")
            else:
                b.exclude(
                    child_id,
                    s,
                    f"child counted once, on the enquiry starting {iso(first.start_date)}",
                )
    return b.build(period, {"population": population})


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
    b = ResultBuilder(children_subject_to_icpc, count_kind(population))
    s47s = s47_conferences_in_period(section47s, period, builder=b)  # rule 1
    tis = by_child((t for t in (transfer_ins or ()) if t.date in period), transfer_in_key)
    for child_id in sorted(set(s47s) | set(tis)):
        rows: list[tuple[tuple[object, ...], Section47 | TransferInConference, Section47 | None]]
        rows = [((s.conference_date, 0, s47_key(s)), s, own) for s, own in s47s.get(child_id, [])]
        rows += [((t.date, 1, transfer_in_key(t)), t, None) for t in tis.get(child_id, [])]
        rows.sort(key=lambda r: r[0])
        counted: str | None = None
        for _, record, own in rows:
            if isinstance(record, TransferInConference):
                held, what = record.date, "transfer-in conference"
            else:
                assert record.conference_date is not None
                held, what = record.conference_date, "conference after a section 47 enquiry"
                if own is not None and own.start_date == record.start_date:  # rule 2
                    _exclude_s47_twin(b, child_id, record, own, period)
                    continue
            if counted is None:  # rule 3
                counted = iso(held)
                b.count(child_id, record, True, None, f"{what} {iso(held)}")
            else:
                b.exclude(child_id, record, f"child counted once, on the conference of {counted}")
    return b.build(period, {"population": population})


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
    b = ResultBuilder(s47_enquiries_leading_to_icpc)
    end = period.end
    for child_id, pairs in _s47_twins(b, section47s, period).items():  # rule 1
        for s, chosen in pairs:
            if chosen is not None:  # rule 2
                _exclude_s47_twin(b, child_id, s, chosen, period)
                continue
            held = s.conference_date if s.conference_date and s.conference_date <= end else None
            details: dict[str, object] = {"start_date": iso(s.start_date)}
            if held is not None and held < s.start_date:  # rule 3
                reason = f"conference {iso(held)} before the enquiry's start {iso(s.start_date)}"
                b.issue(reason, child_id, s, kind="date order")
                b.exclude(child_id, s, reason, details=details)
                continue
            if held is not None:  # rule 4
                if s.conference_not_required:
                    b.issue(
                        f"conference held {iso(held)} although recorded as not required",
                        child_id,
                        s,
                        kind="inconsistent",
                    )
                b.count(
                    child_id,
                    s,
                    True,
                    (held - s.start_date).days,
                    f"conference {iso(held)}",
                    {**details, "conference_date": iso(held)},
                )
            elif s.conference_not_required:
                b.count(child_id, s, False, None, "conference not required", details)
            elif exclude_undecided:  # rule 5
                b.exclude(
                    child_id,
                    s,
                    f"no conference by {iso(end)} and not recorded as not required: "
                    "outcome not known at the period end",
                    details=details,
                )
            else:
                b.count(child_id, s, False, None, f"no conference by {iso(end)}", details)
    return b.build(period, {"exclude_undecided": exclude_undecided})
