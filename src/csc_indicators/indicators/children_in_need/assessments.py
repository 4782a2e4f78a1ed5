"""Assessments: completed within 45 working days, and the duration bands DfE publishes
(CIN census).

Specifications: ``docs/indicators/assessments_within_45_working_days.md`` and
``docs/indicators/cin_distributions.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter

from ..._collector import collector_paused
from ..._record_table import child_order
from ...builder import OutcomeColumns
from ...calendar import DayCount, WorkingDayCalendar
from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.cin import Assessment
from ...registry import Family, over_periods, register
from ...results import (
    Distribution,
    IndicatorResult,
    MedianMethod,
    Polarity,
    ValueKind,
    keeping_outcomes,
)
from .._common import iso, resolve_calendar
from .._twins import select_twins
from ._shared import (
    assessment_key,
    exclude_twin,
    working_days_or_reason,
)
from ._span import PeriodSpan, twin_children

__all__ = [
    "ASSESSMENT_BANDS",
    "assessment_duration_bands",
    "assessments_within_45_working_days",
]

ASSESSMENT_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("same day", None, 0),
    ("1-10", 1, 10),
    ("11-20", 11, 20),
    ("21-30", 21, 30),
    ("31-40", 31, 40),
    ("41-45", 41, 45),
    ("46-50", 46, 50),
    ("51-60", 51, 60),
    ("61+", 61, None),
)
"""The working-day bands of DfE table C2 (completed assessments by duration). The first band
is open at the bottom so that a negative count (possible only under
``DayCount.INCLUSIVE_MINUS_ONE`` when both dates are non-working days) is "same day"."""


@register(
    title="Assessments completed within 45 working days",
    short_title="Assessments within 45 working days",
    family=Family.CHILDREN_IN_NEED,
    unit="assessment authorised in the period",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "CIN census",
        "DfE LAIT measure 304",
        "EES table C2",
    ),
    lait_code=304,
    ees="C2",
)
def assessments_within_45_working_days(
    assessments: Iterable[Assessment],
    period: Period,
    *,
    calendar: WorkingDayCalendar | None = None,
    limit: int = 45,
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> IndicatorResult:
    """The percentage of assessments authorised in the period that took at most ``limit``
    working days from their actual start date.

    Rules (numbered as on the specification page):

    1. Unit: each assessment whose authorisation date is in the period. Open assessments (no
       authorisation date) and those authorised outside the period are not outcomes.
    2. Assessments of the same child with the same start date are records of one assessment
       (decision D14): among those authorised in the period, one is used, the later
       authorised (then a fixed order); the others are excluded with a reason, reported as
       ``duplicate`` (identical) or ``conflict``.
    3. An assessment authorised before its start is excluded with a reason (and reported as a
       ``date order`` issue); so is one whose dates the calendar does not cover.
    4. Measure: working days from the start date to the authorisation date under
       ``convention`` (same day = 0). Met when the measure is at most ``limit``.

    Args:
        assessments: the assessments (any dates).
        period: the reporting period.
        calendar: the working-day calendar (``None``: England and Wales).
        limit: the timescale in working days (default 45).
        convention: the day-count convention (default ``EXCLUSIVE_START``).

    References:
        - HM Government, *Working Together to Safeguard Children*: an assessment within 45
          working days.
        - DfE LAIT measure 304: assessments completed in the year within 45 working days of
          their actual start.
        - Explore Education Statistics, *Characteristics of children in need*, table C2
          (completed assessments by working days taken, "same day" below "1 to 10").
        - DfE, Children in need census guide: ``AssessmentActualStartDate``,
          ``AssessmentAuthorisationDate``; CIN census validation rules 8608 and 8696.
        - Decisions D1, D3 and D14 (``docs/decisions.md``).
    """
    with collector_paused():  # the outcomes built hold no cycle
        return _assessments_within_45_over(
            assessments, [period], calendar=calendar, limit=limit, convention=convention
        )[0]


@over_periods(assessments_within_45_working_days)
def _assessments_within_45_over(
    assessments: Iterable[Assessment],
    periods: Sequence[Period],
    *,
    calendar: WorkingDayCalendar | None = None,
    limit: int = 45,
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> list[IndicatorResult]:
    """:func:`assessments_within_45_working_days` over many periods at once.

    A child with no twins is decided once, each assessment placed by its authorisation date;
    a child with twins is decided period by period (which twin is used depends on what the
    period holds and on what is known at its end, decision D15)."""
    cal = resolve_calendar(calendar)
    d = Decisions(assessments_within_45_working_days, periods)
    span = PeriodSpan(periods)
    first, last = span.first, span.last
    every = assessments if isinstance(assessments, (list, tuple)) else list(assessments)
    # The working days as a table of ordinals (rules 3 and 4); an assessment the table does
    # not cover (before its start, or outside the calendar's years) is decided one by one.
    base, table = cal.ordinal_table(convention) or (0, ())
    size = len(table)
    tally = d.figures_only
    # A bundle's table in order of child and start (asked for once: found on its second
    # request) knows its children with twins (rule 2, decisions D14 and D15: decided period
    # by period) and needs no sorting: with outcomes kept, and no breakdown, its assessments
    # are decided in one pass over it.
    order = child_order(every, _STARTED)
    if order is not None and not tally and d.known_groups is None:
        twins = twin_children(
            every, (), _AUTHORISED, span, same=_STARTED, key=assessment_key, order=order
        )
        _decide_kept(d, every, twins, cal, base, table, limit, convention, span)
        return d.results({"calendar": cal, "limit": limit, "convention": convention})
    # One pass: the assessments authorised in the span (rule 1), and in summary mode the
    # figures of those the table covers.
    in_span: list[Assessment] = []
    counted: list[int] = []  # summary mode: their days (ordinals)
    met: list[int] = []  # and those of the ones met
    for a in every:
        end = a.authorisation_date
        if end is not None and first <= end <= last:
            in_span.append(a)
            if tally:
                e = end.toordinal()
                s = a.start_date.toordinal() - base
                if 0 <= s <= e - base < size:
                    counted.append(e)
                    if table[e - base] - table[s] <= limit:  # rule 4
                        met.append(e)
    # The children with twins (rule 2, decisions D14 and D15) are decided period by period.
    twins = twin_children(
        every, in_span, _AUTHORISED, span, same=_STARTED, key=assessment_key, order=order
    )
    if not tally:  # outcomes kept: in order, by child then start
        fixed = d.known_groups
        if fixed is not None and d.spec.kind is not ValueKind.MEAN:
            # A breakdown's: the children whose group is known tallied (no measure needed).
            in_span = _tally_known(d, in_span, twins, fixed, base, table, limit)
        if order is None:  # else in order already
            in_span.sort(key=_CHILD_START)
        _decide_kept(d, in_span, twins, cal, base, table, limit, convention, span)
        return d.results({"calendar": cal, "limit": limit, "convention": convention})
    # Summary mode: the figures in any order; the assessments decided one by one (rules 2
    # and 3) in order.
    if twins:  # tallied above, but decided period by period
        counted.clear()
        met.clear()
    others: list[Assessment] = []
    if twins or len(counted) < len(in_span):
        for a in in_span:
            end = a.authorisation_date
            assert end is not None
            e = end.toordinal()
            s = a.start_date.toordinal() - base
            if 0 <= s <= e - base < size and not (twins and a.child_id in twins):
                if twins:
                    counted.append(e)
                    if table[e - base] - table[s] <= limit:  # rule 4
                        met.append(e)
            else:
                others.append(a)
    d.add_counted_days(counted, met)
    if others:
        others.sort(key=_CHILD_START)
        _decide_others(d, others, twins, cal, limit, convention)
    return d.results({"calendar": cal, "limit": limit, "convention": convention})


def _tally_known(
    d: Decisions,
    in_span: list[Assessment],
    twins: Mapping[str, object],
    fixed: Mapping[str, str],
    base: int,
    table: Sequence[int],
    limit: int,
) -> list[Assessment]:
    """In a breakdown, the assessments authorised in the span of the children whose group is
    known (``fixed``), without twins, whose working days the table covers (rules 1, 3 and
    4): tallied by group, as :meth:`~csc_indicators.decisions.Decisions.count` tallies them
    (no outcome of theirs is collected); gives the others, in the order given."""
    size = len(table)
    by_group: dict[str, tuple[list[int], list[int]]] = {}
    rest: list[Assessment] = []
    for a in in_span:
        group = fixed.get(a.child_id)
        end = a.authorisation_date
        assert end is not None
        e = end.toordinal()
        s = a.start_date.toordinal() - base
        if group is None or not 0 <= s <= e - base < size or (twins and a.child_id in twins):
            rest.append(a)
            continue
        got = by_group.get(group)
        if got is None:
            got = by_group[group] = ([], [])
        got[0].append(e)
        if table[e - base] - table[s] <= limit:  # rule 4
            got[1].append(e)
    for group, (counted, met) in by_group.items():
        d.add_counted_days(counted, met, group=group)
    return rest


def _decide_kept(
    d: Decisions,
    records: Sequence[Assessment],
    twins: dict[str, list[Assessment]],
    cal: WorkingDayCalendar,
    base: int,
    table: Sequence[int],
    limit: int,
    convention: DayCount,
    span: PeriodSpan,
) -> None:
    """The decisions of the assessments authorised in the span (rule 1) among ``records``
    (sorted by child, then start), their outcomes kept (rules 1 to 4): built in bulk, but for
    those decided one by one."""
    first, last = span.first, span.last
    size = len(table)
    eager = d.keep
    # The outcomes of the assessments the table covers, built in bulk (decisions in order).
    kept = OutcomeColumns(
        lambda days: _reason(days, days <= limit, limit), ("start_date", "authorisation_date")
    )
    days_of, ids, recs, oks, measures = kept.columns()

    done: str | None = None  # the last child with twins decided
    for a in records:
        end = a.authorisation_date
        if end is None or not first <= end <= last:  # rule 1
            continue
        child_id = a.child_id
        start = a.start_date
        e = end.toordinal()
        s = start.toordinal() - base
        if 0 <= s <= e - base < size and not (twins and child_id in twins):
            days = table[e - base] - table[s]
            ok = days <= limit  # rule 4
            if not eager:
                d.count(child_id, a, ok, days, day=end)
                continue
            days_of.append(e)
            ids.append(child_id)
            recs.append(a)
            oks.append(ok)
            measures.append(days)
            continue
        if kept:
            kept.flush(d)
        if twins and child_id in twins:
            if child_id != done:
                done = child_id
                _decide_twins(d, child_id, twins[child_id], cal, limit, convention)
            continue
        _measure_assessment(d.at(end), child_id, a, end, cal, limit, convention)
    if kept:
        kept.flush(d)


def _decide_others(
    d: Decisions,
    others: list[Assessment],
    twins: dict[str, list[Assessment]],
    cal: WorkingDayCalendar,
    limit: int,
    convention: DayCount,
) -> None:
    """The assessments decided one by one (sorted by child, then start): each child with
    twins period by period, the others by their authorisation date (rules 1 to 4)."""
    done: str | None = None
    for a in others:
        child_id = a.child_id
        if twins and child_id in twins:
            if child_id != done:
                done = child_id
                _decide_twins(d, child_id, twins[child_id], cal, limit, convention)
            continue
        end = a.authorisation_date
        assert end is not None
        _measure_assessment(d.at(end), child_id, a, end, cal, limit, convention)


def _decide_twins(
    d: Decisions,
    child_id: str,
    items: list[Assessment],
    cal: WorkingDayCalendar,
    limit: int,
    convention: DayCount,
) -> None:
    """A child with twins, decided period by period (which twin is used depends on what the
    period holds and on what is known at its end, decision D15)."""
    for n, period in enumerate(d.periods):
        _assess_child(d.for_period(n), child_id, items, period, cal, limit, convention)


_CHILD_START = attrgetter("child_id", "start_date")
_AUTHORISED = attrgetter("authorisation_date")
_STARTED = attrgetter("start_date")


def _assess_child(
    b: Sink,
    child_id: str,
    items: list[Assessment],
    period: Period,
    cal: WorkingDayCalendar,
    limit: int,
    convention: DayCount,
) -> None:
    """One child's assessments over one period (rules 1 to 4), twins chosen as known at the
    period end."""

    def in_period(a: Assessment) -> bool:  # rule 1
        return a.authorisation_date is not None and a.authorisation_date in period

    if not any(in_period(a) for a in items):
        return
    pairs = select_twins(
        b,
        child_id,
        items,
        same=attrgetter("start_date"),
        selected=in_period,
        noun="assessment",
        end=attrgetter("authorisation_date"),
        as_of=period.end,
    )
    for a, chosen in pairs:
        end = a.authorisation_date
        assert end is not None
        if chosen is not None:  # rule 2
            exclude_twin(
                b,
                child_id,
                a,
                chosen,
                duplicate_issue=(
                    f"two assessments started {iso(a.start_date)} and authorised {iso(end)}"
                ),
                duplicate_reason="duplicate of an assessment with the same dates",
                noun=f"assessment starting {iso(a.start_date)}",
                as_of=period.end,
            )
            continue
        _measure_assessment(b, child_id, a, end, cal, limit, convention)


def _measure_assessment(
    b: Sink,
    child_id: str,
    a: Assessment,
    end: _dt.date,
    cal: WorkingDayCalendar,
    limit: int,
    convention: DayCount,
) -> None:
    """Rules 3 and 4: exclude an assessment whose working days cannot be counted; otherwise
    count it, met when at most ``limit`` working days."""
    if end < a.start_date:  # rule 3
        reason = f"authorised {iso(end)}, before its start {iso(a.start_date)}"
        b.issue(reason, child_id, a, kind="date order")
        b.exclude(child_id, a, reason)
        return
    days, problem = working_days_or_reason(cal, a.start_date, end, convention)
    if days is None:  # rule 3
        assert problem is not None
        b.issue(problem, child_id, a, kind="calendar")
        b.exclude(child_id, a, problem)
        return
    met = days <= limit  # rule 4
    b.count(child_id, a, met, days, _reason(days, met, limit), _details(a, end))


def _reason(days: int, met: bool, limit: int) -> str:
    return f"{days} working days ({'within' if met else 'more than'} {limit})"


def _details(a: Assessment, end: _dt.date) -> dict[str, object]:
    return {"start_date": a.start_date, "authorisation_date": end}


def assessment_duration_bands(
    assessments: Iterable[Assessment],
    period: Period,
    *,
    calendar: WorkingDayCalendar | None = None,
    convention: DayCount = DayCount.EXCLUSIVE_START,
    bands: Iterable[tuple[str, int | None, int | None]] = ASSESSMENT_BANDS,
    median_method: MedianMethod = "midpoint",
) -> Distribution:
    """Assessments authorised in the period by working days taken, in DfE table C2's bands,
    with the median.

    The outcomes are exactly those of :func:`assessments_within_45_working_days` (same unit,
    exclusions and measure), each counted outcome labelled with its band in
    ``details["band"]``.

    Args:
        assessments, period, calendar, convention: as for
            :func:`assessments_within_45_working_days`.
        bands: ``(label, low, high)`` working-day bands (default :data:`ASSESSMENT_BANDS`).
        median_method: ``"midpoint"`` (default: the mean of the two middle values for an even
            count), ``"low"`` or ``"high"``.

    References:
        - Explore Education Statistics, *Characteristics of children in need*, table C2:
          completed assessments by working days taken, with the median.
        - Decision D3 (``docs/decisions.md``).
    """
    cal = resolve_calendar(calendar)
    table = tuple(bands)
    with keeping_outcomes(True):  # the bands are made from the outcomes
        result = _assessments_within_45_over(
            assessments, [period], calendar=cal, limit=45, convention=convention
        )[0]
    return Distribution.from_result(
        result,
        "assessment_duration_bands",
        "Completed assessments by working days taken",
        table,
        median_method=median_method,
        parameters={
            "calendar": cal,
            "convention": convention,
            "bands": table,
            "median_method": median_method,
        },
    )
