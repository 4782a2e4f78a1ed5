"""One child's initial child protection conferences: which records are conferences (twins,
decision D14; transfer-in conferences beside them) and the rules of
``icpcs_within_15_working_days`` judging them (rules 2 to 5 of
``docs/indicators/icpcs_within_15_working_days.md``), each measured in working days. Kept
apart from :mod:`.conferences`, which finds the conferences of the periods and decides the
children with one enquiry in bulk.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable
from operator import attrgetter

from ...calendar import DayCount, WorkingDayCalendar
from ...decisions import Decisions, Sink
from ...records.cin import Section47, TransferInConference
from .._common import iso
from .._twins import select_twins
from ._shared import (
    exclude_twin,
    s47_key,
    transfer_in_key,
    working_days_or_reason,
)
from ._span import PeriodSpan

__all__ = ["ConferenceRow", "conference_rows"]

ConferenceRow = tuple[Section47 | TransferInConference, Section47 | None]
"""One conference record of a child: a section 47 enquiry with the record it duplicates
(``None`` for the conference's own record), or a transfer-in conference (with ``None``)."""


def _child_s47_conferences(
    builder: Sink | None,
    child_id: str,
    every: list[Section47],
    first: _dt.date,
    last: _dt.date,
    *,
    twins: bool = True,
) -> list[tuple[Section47, Section47 | None]]:
    """One child's enquiries (sorted by :func:`s47_key`) whose conference is from ``first`` to
    ``last``, as :func:`s47_conferences_in_period` pairs them (twins chosen as known on
    ``last``). ``twins=False`` says that no two of them start on one date: none to choose."""
    if twins:
        if not any(
            s.conference_date is not None and first <= s.conference_date <= last for s in every
        ):
            return []
        chosen = select_twins(
            builder,
            child_id,
            every,
            same=_STARTED,
            selected=lambda s: s.conference_date is not None and first <= s.conference_date <= last,
            noun="section 47 enquiry",
            as_of=last,
        )
        items = [s for s, twin in chosen if twin is None]
    else:
        items = [s for s in every if (c := s.conference_date) is not None and first <= c <= last]
        if len(items) < 2:
            return [(s, None) for s in items]
        chosen = []
    by_date: defaultdict[_dt.date | None, list[Section47]] = defaultdict(list)
    for s in items:
        by_date[s.conference_date].append(s)
    pairs: list[tuple[Section47, Section47 | None]] = []
    for group in by_date.values():
        # items are sorted by start: the last one starting on or before the conference
        # is the conference's own record; failing that, the first.
        usable = [s for s in group if s.conference_date and s.start_date <= s.conference_date]
        own = usable[-1] if usable else group[0]
        pairs.extend((s, None if s is own else own) for s in group)
    pairs.extend((s, twin) for s, twin in chosen if twin is not None)
    pairs.sort(key=lambda p: (p[0].conference_date, s47_key(p[0])))
    return pairs


_STARTED = attrgetter("start_date")
_HELD = attrgetter("conference_date")


def conference_rows(
    pairs: list[tuple[Section47, Section47 | None]], transfer_ins: list[TransferInConference]
) -> list[ConferenceRow]:
    """One child's conference records: the enquiries (as :func:`s47_conferences_in_period`
    pairs them) and the transfer-ins, by date (enquiries before transfer-ins on one date)."""
    if not transfer_ins:
        return list(pairs)  # already in that order
    rows: list[tuple[tuple[object, ...], ConferenceRow]] = [
        ((s.conference_date, 0, s47_key(s)), (s, own)) for s, own in pairs
    ]
    rows += [((t.date, 1, transfer_in_key(t)), (t, None)) for t in transfer_ins]
    rows.sort(key=lambda r: r[0])
    return [row for _, row in rows]


class _Whole:
    """A child whose conferences are decided together (twins, several conferences or
    transfer-ins), sorted among the enquiries by its id."""

    __slots__ = ("child_id",)

    def __init__(self, child_id: str) -> None:
        self.child_id = child_id


_CHILD = attrgetter("child_id")


def _twin_rows(
    d: Decisions,
    child_id: str,
    every: list[Section47],
    child_tis: list[TransferInConference],
    span: PeriodSpan,
) -> dict[int, list[ConferenceRow]]:
    """A child with twins: its rows in each period it has a conference in (by the period's
    position), the twins chosen as known at the period end and their conflicts reported (as
    :func:`conferences_over` gives them)."""
    per_period: dict[int, list[ConferenceRow]] = {}
    for n, period in enumerate(span.periods):
        pairs = _child_s47_conferences(d.for_period(n), child_id, every, period.start, period.end)
        held = [t for t in child_tis if t.date in period]
        if pairs or held:
            per_period[n] = conference_rows(pairs, held)
    return per_period


def _always(b: Sink) -> Callable[[_dt.date], Sink]:
    """A ``place`` for :func:`_judge_conferences` giving one period's sink, whatever the date."""
    return lambda _day: b


def _judge_conferences(
    place: Callable[[_dt.date], Sink],
    child_id: str,
    rows: list[ConferenceRow],
    cal: WorkingDayCalendar,
    limit: int,
    convention: DayCount,
) -> None:
    """One child's conference records (rules 2 to 5), each decided in ``place(its date)``:
    the sink of the periods holding that date, or one period's sink whatever the date."""
    for record, own in rows:
        day = record.date if isinstance(record, TransferInConference) else record.conference_date
        assert day is not None
        b = place(day)
        if isinstance(record, TransferInConference):  # rule 3
            _exclude_transfer_in(b, child_id, record, _conference_dates(rows))
            continue
        _judge_conference(b, child_id, record, own, cal, limit, convention)


def _conference_dates(rows: list[ConferenceRow]) -> set[_dt.date | None]:
    """The dates of the conferences recorded on the child's section 47 enquiries."""
    return {s.conference_date for s, _ in rows if isinstance(s, Section47)}


def _exclude_transfer_in(
    b: Sink,
    child_id: str,
    item: TransferInConference,
    conference_dates: set[_dt.date | None],
) -> None:
    """Rule 3: a transfer-in has no strategy discussion to measure from; one on the date of
    the child's section 47 conference is also reported as a duplicate."""
    if item.date in conference_dates:
        b.issue(
            f"transfer-in conference on {iso(item.date)} is also recorded on a section 47 enquiry",
            child_id,
            item,
            kind="duplicate",
        )
    b.exclude(child_id, item, "transfer-in conference: no strategy discussion to measure from")


def _judge_conference(
    b: Sink,
    child_id: str,
    s: Section47,
    own: Section47 | None,
    cal: WorkingDayCalendar,
    limit: int,
    convention: DayCount,
) -> None:
    """Rules 2, 4 and 5: exclude a second record of an enquiry or of a conference; then
    measure the conference from the enquiry's start."""
    held = s.conference_date
    assert held is not None
    if own is not None and own.start_date == s.start_date:  # rule 2
        exclude_twin(
            b,
            child_id,
            s,
            own,
            duplicate_issue=f"two section 47 enquiries start on {iso(s.start_date)}",
            duplicate_reason=f"duplicate of the enquiry starting {iso(s.start_date)}",
            noun=f"section 47 enquiry starting {iso(s.start_date)}",
        )
        return
    if own is not None:  # rule 2
        b.issue(
            f"two section 47 enquiries lead to the conference of {iso(held)}",
            child_id,
            s,
            kind="duplicate",
        )
        b.exclude(
            child_id,
            s,
            f"same conference ({iso(held)}) as the enquiry starting {iso(own.start_date)}",
        )
        return
    if held < s.start_date:  # rule 4
        reason = f"conference {iso(held)} before the enquiry's start {iso(s.start_date)}"
        b.issue(reason, child_id, s, kind="date order")
        b.exclude(child_id, s, reason)
        return
    days, problem = working_days_or_reason(cal, s.start_date, held, convention)
    if days is None:
        assert problem is not None
        b.issue(problem, child_id, s, kind="calendar")
        b.exclude(child_id, s, problem)
        return
    if s.conference_not_required:
        b.issue(
            f"conference held {iso(held)} although recorded as not required",
            child_id,
            s,
            kind="inconsistent",
        )
    met = days <= limit  # rule 5
    b.count(child_id, s, met, days, _reason(days, met, limit), _details(s, held))


def _reason(days: int, met: bool, limit: int) -> str:
    return f"{days} working days ({'within' if met else 'more than'} {limit})"


def _details(s: Section47, held: _dt.date) -> dict[str, object]:
    return {"start_date": s.start_date, "conference_date": held}
