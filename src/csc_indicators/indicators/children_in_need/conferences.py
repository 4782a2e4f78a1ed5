"""Initial child protection conferences: held within 15 working days of the strategy
discussion that started the section 47 enquiry, and the duration bands DfE publishes
(CIN census).

Specifications: ``docs/indicators/icpcs_within_15_working_days.md`` and
``docs/indicators/cin_distributions.md``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress, islice
from operator import eq, not_

from ..._collector import collector_paused
from ..._record_table import child_order, with_date
from ...builder import OutcomeColumns
from ...calendar import DayCount, WorkingDayCalendar
from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.cin import Section47, TransferInConference
from ...registry import Family, over_periods, register
from ...results import (
    Distribution,
    IndicatorResult,
    MedianMethod,
    Polarity,
    keeping_outcomes,
)
from .._common import by_child, resolve_calendar
from ._icpc_rules import (
    _CHILD,
    _HELD,
    _STARTED,
    ConferenceRow,
    _always,
    _child_s47_conferences,
    _judge_conference,
    _judge_conferences,
    _reason,
    _twin_rows,
    _Whole,
    conference_rows,
)
from ._shared import s47_key, transfer_in_key
from ._span import PeriodSpan, children_with_events, twin_children

__all__ = [
    "ICPC_BANDS",
    "ConferenceRow",
    "conference_rows",
    "conferences_over",
    "icpc_duration_bands",
    "icpcs_within_15_working_days",
    "s47_conferences_in_period",
]

ICPC_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("0-10", None, 10),
    ("11-15", 11, 15),
    ("16-20", 16, 20),
    ("21+", 21, None),
)
"""The working-day bands of DfE table C4 (duration between the start of the section 47
enquiry and the ICPC). The first band is open at the bottom (see
:data:`~csc_indicators.indicators.assessments.ASSESSMENT_BANDS`)."""


def s47_conferences_in_period(
    section47s: Iterable[Section47], period: Period, *, builder: Sink | None = None
) -> dict[str, list[tuple[Section47, Section47 | None]]]:
    """The section 47 enquiries whose conference is in the period, by child (sorted), each
    paired with the record it duplicates (``None`` for the conference's own record).

    Enquiries of one child with the same start date are records of one enquiry (decision
    D14): among those whose conference is in the period, one is used, the one with more
    recorded detail, then the later conference (then a fixed order); the others are paired
    with it (same start date). Conflicting records are reported to ``builder``, when given.

    Two enquiries of one child with the same conference date are one conference: it is
    measured from the latest strategy discussion on or before it (Working Together: the last
    strategy discussion when more than one was held), and the other records are its
    duplicates.
    """
    out: dict[str, list[tuple[Section47, Section47 | None]]] = {}
    for child_id, every in by_child(section47s, s47_key).items():
        pairs = _child_s47_conferences(builder, child_id, every, period.start, period.end)
        if pairs:
            out[child_id] = pairs
    return out


def conferences_over(
    d: Decisions,
    section47s: Iterable[Section47],
    transfer_ins: Iterable[TransferInConference] | None,
    span: PeriodSpan,
) -> list[tuple[str, list[ConferenceRow] | dict[int, list[ConferenceRow]]]]:
    """The conference records of each child with a conference in the ``span`` (children in id
    order), for an evaluation over many periods: for a child whose enquiries have no twins,
    the rows of the whole span, each held by the periods holding its date; for a child with
    twins, the rows of each period it has a conference in (by the period's position), the
    twins chosen as known at the period end and their conflicts reported to ``d`` first (as
    :func:`s47_conferences_in_period` reports them before any outcome)."""
    first, last = span.first, span.last
    s47s = {
        child_id: (items, twins)
        for child_id, items, twins in children_with_events(
            section47s, _HELD, span, same=_STARTED, key=s47_key
        )
    }
    tis: dict[str, list[TransferInConference]] = {}
    for t in transfer_ins or ():
        if first <= t.date <= last:
            tis.setdefault(t.child_id, []).append(t)
    out: list[tuple[str, list[ConferenceRow] | dict[int, list[ConferenceRow]]]] = []
    for child_id in sorted(s47s.keys() | tis.keys()) if tis else s47s:
        every, twins = s47s.get(child_id, ([], False))
        child_tis = tis.get(child_id, [])
        if len(child_tis) > 1:
            child_tis.sort(key=transfer_in_key)
        if not twins:
            pairs = _child_s47_conferences(None, child_id, every, first, last, twins=False)
            out.append((child_id, conference_rows(pairs, child_tis)))
            continue
        per_period: dict[int, list[ConferenceRow]] = {}
        for n, period in enumerate(span.periods):
            pairs = _child_s47_conferences(
                d.for_period(n), child_id, every, period.start, period.end
            )
            held = [t for t in child_tis if t.date in period]
            if pairs or held:
                per_period[n] = conference_rows(pairs, held)
        out.append((child_id, per_period))
    return out


@register(
    title="Initial child protection conferences within 15 working days of the strategy discussion",
    short_title="ICPCs within 15 working days of S47 start",
    family=Family.CHILDREN_IN_NEED,
    unit="initial child protection conference held in the period",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "CIN census",
        "DfE LAIT measure 218; ICPC counts: LAIT measures 268 and 269",
        "EES table C4",
    ),
    lait_code=218,
    ees="C4",
)
def icpcs_within_15_working_days(
    section47s: Iterable[Section47],
    period: Period,
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    calendar: WorkingDayCalendar | None = None,
    limit: int = 15,
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> IndicatorResult:
    """The percentage of initial child protection conferences held in the period within
    ``limit`` working days of the strategy discussion that started the section 47 enquiry.

    Rules (numbered as on the specification page):

    1. Unit: each conference held in the period: each section 47 enquiry whose conference
       date is in the period, and each transfer-in conference dated in the period.
    2. Enquiries of one child with the same start date are records of one enquiry (decision
       D14): among those whose conference is in the period, one is used (more recorded
       detail, then the later conference, then a fixed order); the others are excluded with a
       reason and reported as ``duplicate`` (identical) or ``conflict``. Two enquiries of one
       child with the same conference date are one conference, measured from the latest
       strategy discussion on or before it; the other record is excluded as a duplicate and
       reported.
    3. Transfer-in conferences are excluded with a reason: they have no strategy discussion
       to measure from (they count in the ICPC total, :func:`icpcs_held`).
    4. A conference dated before the enquiry's start is excluded with a reason and reported;
       so is one whose dates the calendar does not cover. A conference recorded on an
       enquiry flagged "conference not required" is counted and reported.
    5. Measure: working days from the enquiry's start to the conference under
       ``convention`` (same day = 0). Met when the measure is at most ``limit``.

    Args:
        section47s: the section 47 enquiries (any dates).
        period: the reporting period.
        transfer_ins: transfer-in conferences (``None`` or empty when not supplied).
        calendar: the working-day calendar (``None``: England and Wales).
        limit: the timescale in working days (default 15).
        convention: the day-count convention (default ``EXCLUSIVE_START``).

    References:
        - HM Government, *Working Together to Safeguard Children*: the initial conference
          within 15 working days of the strategy discussion (quoted in LAIT measure 218).
        - DfE LAIT measures 218, 268 and 269: conferences held in the year, transfer-ins in
          the count.
        - Explore Education Statistics, *Characteristics of children in need*, table C4
          (section 47 start to ICPC in working-day bands).
        - LG Inform metric 3217, DfE help text: conferences dated before the enquiry are left
          out of the durations.
        - DfE, Children in need census guide: ``S47ActualStartDate``, ``DateOfInitialCPC``,
          ``ICPCnotRequired``; CIN census validation rules 2884 and 2885.
        - Decisions D1, D4 and D14 (``docs/decisions.md``).
    """
    with collector_paused():  # the outcomes built hold no cycle
        return _icpcs_within_15_over(
            section47s,
            [period],
            transfer_ins=transfer_ins,
            calendar=calendar,
            limit=limit,
            convention=convention,
        )[0]


@over_periods(icpcs_within_15_working_days)
def _icpcs_within_15_over(
    section47s: Iterable[Section47],
    periods: Sequence[Period],
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    calendar: WorkingDayCalendar | None = None,
    limit: int = 15,
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> list[IndicatorResult]:
    """:func:`icpcs_within_15_working_days` over many periods at once.

    A child whose enquiries have no twins is decided once, each conference record placed by
    its date; a child with twins is decided period by period (which twin is used depends on
    what the period holds and on what is known at its end, decision D15)."""
    cal = resolve_calendar(calendar)
    d = Decisions(icpcs_within_15_working_days, periods)
    span = PeriodSpan(periods)
    first, last = span.first, span.last
    every = section47s if isinstance(section47s, (list, tuple)) else list(section47s)
    base, table = cal.ordinal_table(convention) or (0, ())
    size = len(table)
    tally = d.figures_only
    # One pass: the enquiries whose conference is in the span (rule 1) and, in summary mode,
    # the working days of those the table covers (tallied below unless their child is decided
    # whole): aligned with them, the conference's ordinal (-1: decided one by one) and whether
    # it was met.
    in_span: list[Section47] = []
    ends: list[int] = []
    oks: list[bool] = []
    others: list[Section47] = []  # those decided one by one
    for s in with_date(every, _HELD):  # a bundle's table: only those with a conference
        held = s.conference_date
        if held is not None and first <= held <= last:
            in_span.append(s)
            if tally:
                e = held.toordinal()
                i = s.start_date.toordinal() - base
                if not s.conference_not_required and 0 <= i <= e - base < size:
                    ends.append(e)
                    oks.append(table[e - base] - table[i] <= limit)  # rule 5
                else:
                    ends.append(-1)
                    oks.append(False)
                    others.append(s)
    ids = list(map(_CHILD, in_span))
    # A bundle's table in order of child and start (asked for once: found on its second
    # request) knows its children with twins and needs no sorting.
    order = child_order(every, _STARTED)
    several = _several(ids, order is not None)
    twins = twin_children(every, in_span, _HELD, span, same=_STARTED, key=s47_key, order=order)
    tis: dict[str, list[TransferInConference]] = {}
    for t in transfer_ins or ():
        if first <= t.date <= last:
            tis.setdefault(t.child_id, []).append(t)
    for held_tis in tis.values():
        if len(held_tis) > 1:
            held_tis.sort(key=transfer_in_key)
    # The children with twins: their rows in each period, their conflicts reported first (as
    # conferences_over reports them).
    twin_rows = {
        child_id: _twin_rows(d, child_id, twins[child_id], tis.get(child_id, []), span)
        for child_id in sorted(twins)
    }
    # The children decided child by child: twins, several conferences, transfer-ins; the
    # others have one enquiry to decide.
    whole = several | twins.keys() | tis.keys() if several or twins or tis else set()
    # Where the enquiries of the children decided whole are (few): index ranges into in_span
    # when it is in child order, a mask otherwise.
    in_order = order is not None
    ranges = _ranges_of(ids, whole) if whole and in_order else []
    inside: list[bool] = []
    if whole:
        if in_order:
            inside = [False] * len(ids)
            for lo, hi, _ in ranges:
                inside[lo:hi] = [True] * (hi - lo)
        else:
            inside = list(map(whole.__contains__, ids))
    units: list[Section47 | _Whole]  # what is decided one at a time, by child
    if tally:
        if whole:  # the others' figures
            outside = list(map(not_, inside))
            ends = list(compress(ends, outside))
            oks = list(compress(oks, outside))
            others = [s for s in others if s.child_id not in whole]
        d.add_counted_days(list(filter(_COUNTED_DAY, ends)), list(compress(ends, oks)))
        units = [_Whole(c) for c in whole]
        units += others
        if len(units) > 1:
            units.sort(key=_CHILD)
    elif in_order:  # kept: in child order already, each child decided whole in its place
        units = []
        done = 0
        for lo, hi, child_id in ranges:
            units += in_span[done:lo]
            units.append(_Whole(child_id))
            done = hi
        units += in_span[done:]
    else:
        units = [_Whole(c) for c in whole]
        units += list(compress(in_span, map(not_, inside))) if whole else in_span
        units.sort(key=_CHILD)
    groups: dict[str, list[Section47]] = {}  # the enquiries of the children decided whole
    if ranges:
        groups = {child_id: in_span[lo:hi] for lo, hi, child_id in ranges if hi > lo}
    else:
        for s in compress(in_span, inside):
            groups.setdefault(s.child_id, []).append(s)
    _decide_units(d, units, twin_rows, groups, tis, cal, base, table, limit, convention, span)
    return d.results({"calendar": cal, "limit": limit, "convention": convention})


_COUNTED_DAY = (-1).__lt__  # the ordinal of a conference tallied (not -1)


def _several(ids: Sequence[str], in_order: bool) -> set[str]:
    """The children named more than once in ``ids`` (``in_order``: in ascending order, each
    child's names together)."""
    if len(set(ids)) == len(ids):
        return set()
    if in_order:  # a child named twice is named twice in a row
        return set(compress(ids, map(eq, ids, islice(ids, 1, None))))
    return {child_id for child_id, times in Counter(ids).items() if times > 1}


def _ranges_of(ids: list[str], whole: set[str]) -> list[tuple[int, int, str]]:
    """Where each child of ``whole`` is named in ``ids`` (sorted): ``(lo, hi, child_id)``,
    ``ids[lo:hi]`` being that child's (empty, at the place it would be, for a child not
    named), in order."""
    return sorted((bisect_left(ids, c), bisect_right(ids, c), c) for c in whole)


def _decide_units(
    d: Decisions,
    units: list[Section47 | _Whole],
    twin_rows: dict[str, dict[int, list[ConferenceRow]]],
    groups: dict[str, list[Section47]],
    tis: dict[str, list[TransferInConference]],
    cal: WorkingDayCalendar,
    base: int,
    table: Sequence[int],
    limit: int,
    convention: DayCount,
    span: PeriodSpan,
) -> None:
    """The decisions made one at a time, in child order (rules 2 to 5): each child decided
    whole, and each other enquiry; with outcomes kept, those the table covers built in bulk
    from columns whenever another decision comes between (decisions stay in order)."""
    first, last = span.first, span.last
    size = len(table)
    eager = d.keep
    kept = OutcomeColumns(
        lambda days: _reason(days, days <= limit, limit), ("start_date", "conference_date")
    )
    days_of, ids, recs, oks, measures = kept.columns()

    for unit in units:
        if isinstance(unit, _Whole):
            if kept:
                kept.flush(d)
            child_id = unit.child_id
            got = twin_rows.get(child_id)
            if got is not None:  # twins
                for n, period_rows in got.items():
                    _judge_conferences(
                        _always(d.for_period(n)), child_id, period_rows, cal, limit, convention
                    )
                continue
            mine = groups.get(child_id, [])
            if len(mine) > 1:
                mine.sort(key=_STARTED)
            pairs = _child_s47_conferences(None, child_id, mine, first, last, twins=False)
            rows = conference_rows(pairs, tis.get(child_id, []))
            _judge_conferences(d.at, child_id, rows, cal, limit, convention)  # no twins
            continue
        s = unit  # one enquiry
        child_id = s.child_id
        held = s.conference_date
        assert held is not None
        start = s.start_date
        e = held.toordinal()
        i = start.toordinal() - base
        if not s.conference_not_required and 0 <= i <= e - base < size:
            days = table[e - base] - table[i]
            ok = days <= limit  # rule 5
            if not eager:
                d.count(child_id, s, ok, days, day=held)
                continue
            days_of.append(e)
            ids.append(child_id)
            recs.append(s)
            oks.append(ok)
            measures.append(days)
            continue
        if kept:
            kept.flush(d)
        _judge_conference(d.at(held), child_id, s, None, cal, limit, convention)
    if kept:
        kept.flush(d)


def icpc_duration_bands(
    section47s: Iterable[Section47],
    period: Period,
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    calendar: WorkingDayCalendar | None = None,
    convention: DayCount = DayCount.EXCLUSIVE_START,
    bands: Iterable[tuple[str, int | None, int | None]] = ICPC_BANDS,
    median_method: MedianMethod = "midpoint",
) -> Distribution:
    """Conferences held in the period by working days from the strategy discussion, in DfE
    table C4's bands, with the median.

    The outcomes are exactly those of :func:`icpcs_within_15_working_days` (transfer-ins
    excluded with their reason), each counted outcome labelled with its band in
    ``details["band"]``.

    Args:
        section47s, period, transfer_ins, calendar, convention: as for
            :func:`icpcs_within_15_working_days`.
        bands: ``(label, low, high)`` working-day bands (default :data:`ICPC_BANDS`).
        median_method: ``"midpoint"`` (default), ``"low"`` or ``"high"``.

    References:
        - Explore Education Statistics, *Characteristics of children in need*, table C4:
          section 47 start to ICPC in 0-10, 11-15, 16-20 and 21+ working days.
        - Decision D4 (``docs/decisions.md``).
    """
    cal = resolve_calendar(calendar)
    table = tuple(bands)
    with keeping_outcomes(True):  # the bands are made from the outcomes
        result = _icpcs_within_15_over(
            section47s,
            [period],
            transfer_ins=transfer_ins,
            calendar=cal,
            limit=15,
            convention=convention,
        )[0]
    return Distribution.from_result(
        result,
        "icpc_duration_bands",
        "Initial child protection conferences by working days from the strategy discussion",
        table,
        median_method=median_method,
        parameters={
            "calendar": cal,
            "convention": convention,
            "bands": table,
            "median_method": median_method,
        },
    )
