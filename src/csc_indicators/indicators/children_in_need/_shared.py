"""Plumbing shared by the children-in-need indicators: total orders on the CIN records,
duplicate detection, working-day measures that never raise on a date the calendar does not
cover and the checks on child protection plans (overlaps, dates out of order). What the
evaluations over many periods share (the span of the periods, the children with events in it)
is in :mod:`._span`.

Nothing here is an indicator; each function is used by several indicator modules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from ...calendar import DayCount, WorkingDayCalendar
from ...decisions import Sink
from ...durations import Interval, describe
from ...errors import CalendarRangeError
from ...records.cin import (
    Assessment,
    ChildProtectionPlan,
    Referral,
    Section47,
    TransferInConference,
)
from .._common import HasChildId, iso
from .._twins import describe_record, same_as_known, select_twins

__all__ = [
    "FAR_FUTURE",
    "PlanOverlap",
    "assessment_key",
    "check_interval",
    "exclude_plan_date_order",
    "exclude_plan_twin",
    "exclude_twin",
    "first_of_each",
    "interval_words",
    "open_on",
    "plan_key",
    "plan_overlaps",
    "plan_started",
    "plan_twins",
    "referral_key",
    "report_overlaps",
    "s47_key",
    "transfer_in_key",
    "working_days_or_reason",
]

T = TypeVar("T")
R = TypeVar("R", bound=HasChildId)

FAR_FUTURE = _dt.date.max
"""Stands for "no end yet" when comparing end dates."""


def _opt(day: _dt.date | None) -> tuple[bool, _dt.date]:
    # None sorts after every date.
    return (day is None, day or _dt.date.min)


def referral_key(r: Referral) -> tuple[object, ...]:
    """A total order on referrals: date, then the other fields."""
    return (r.date, _opt(r.closure_date), r.closure_reason or "", r.no_further_action)


def assessment_key(a: Assessment) -> tuple[object, ...]:
    """A total order on assessments: start date, then authorisation date (open last)."""
    return (a.start_date, _opt(a.authorisation_date))


def s47_key(s: Section47) -> tuple[object, ...]:
    """A total order on section 47 enquiries: start date, then conference date."""
    return (s.start_date, _opt(s.conference_date), s.conference_not_required)


def transfer_in_key(t: TransferInConference) -> tuple[object, ...]:
    """A total order on transfer-in conferences: their date."""
    return (t.date,)


def plan_key(p: ChildProtectionPlan) -> tuple[object, ...]:
    """A total order on plans: start date, then end date (open last), then the rest."""
    previous = -1 if p.previous_plans is None else p.previous_plans
    return (p.start_date, _opt(p.end_date), p.review_dates, previous)


plan_started: Callable[[ChildProtectionPlan], _dt.date] = attrgetter("start_date")
"""A plan's start date: its event (decision D14), and the date of the plan indicators that
go by starts. One ``attrgetter`` for them all, so that a bundle's table remembers one set of
dated runs for it (:func:`~csc_indicators._record_table.dated_runs`)."""


def check_interval(name: str, value: object, *, positive: bool = False) -> None:
    """Check that a parameter is an :data:`~csc_indicators.durations.Interval` (and, when
    ``positive``, that it moves a date forward).

    Raises:
        TypeError: ``value`` is not a ``timedelta`` or a ``relativedelta``.
        ValueError: ``positive`` and ``value`` is zero or negative.
    """
    if not isinstance(value, (relativedelta, _dt.timedelta)):
        raise TypeError(f"{name} must be a relativedelta or a timedelta, got {value!r}")
    day = _dt.date(2001, 1, 1)
    if positive and not day + value > day:
        raise ValueError(f"{name} must be a positive interval, got {value!r}")


def interval_words(interval: Interval) -> str:
    """An interval in words for a reason: ``365 days``, ``12 months`` (whole months are
    counted in months, so ``relativedelta(years=1)`` is ``12 months``), else as
    :func:`~csc_indicators.durations.describe` writes it."""
    if isinstance(interval, relativedelta) and not interval.days:
        return f"{12 * interval.years + interval.months} months"
    return describe(interval)


def first_of_each(records: Sequence[T], same: Callable[[T], object]) -> list[tuple[T, T | None]]:
    """Pair each record with the earlier record it duplicates (``None`` if it is the first).

    ``records`` must already be sorted so that records with equal ``same(record)`` values are
    adjacent (the value is a prefix of the sort key); the first of each run is the original.
    """
    out: list[tuple[T, T | None]] = []
    original: T | None = None
    for record in records:
        if original is not None and same(record) == same(original):
            out.append((record, original))
        else:
            original = record
            out.append((record, None))
    return out


def plan_twins(
    b: Sink,
    child_id: str,
    plans: Sequence[ChildProtectionPlan],
    selected: Callable[[ChildProtectionPlan], bool],
    as_of: _dt.date,
) -> list[tuple[ChildProtectionPlan, ChildProtectionPlan | None]]:
    """One child's plans (sorted by :func:`plan_key`) that ``selected`` takes, each paired with
    the plan chosen among its twins (same start date), decision D14: selection first, then the
    later end (open, or ending after ``as_of``, latest), more detail (review dates known by
    ``as_of``, the previous-plan count), then a fixed order. Conflicts are reported."""
    return select_twins(
        b,
        child_id,
        plans,
        same=attrgetter("start_date"),
        selected=selected,
        noun="child protection plan",
        end=attrgetter("end_date"),
        as_of=as_of,
    )


def exclude_twin(
    b: Sink,
    child_id: str,
    record: object,
    chosen: object,
    *,
    duplicate_issue: str,
    duplicate_reason: str,
    noun: str,
    as_of: _dt.date | None = None,
) -> None:
    """Exclude a record that is the twin of the ``chosen`` one (decision D14): an exact
    duplicate (the same contents as known on ``as_of``) is reported as ``duplicate`` (the
    conflict of different twins is already reported by
    :func:`~csc_indicators.indicators._twins.select_twins`)."""
    if same_as_known(record, chosen, as_of):
        b.issue(duplicate_issue, child_id, record, kind="duplicate")
        b.exclude(child_id, record, duplicate_reason)
        return
    b.exclude(
        child_id,
        record,
        f"a different record of the same {noun} is used (decision D14): "
        f"{describe_record(chosen, as_of)}",
    )


def exclude_plan_twin(
    b: Sink,
    child_id: str,
    plan: ChildProtectionPlan,
    chosen: ChildProtectionPlan,
    as_of: _dt.date,
) -> None:
    """Exclude a second record of the plan starting on one date (decision D14), as
    :func:`exclude_twin` does."""
    exclude_twin(
        b,
        child_id,
        plan,
        chosen,
        duplicate_issue=f"two plans start on {iso(plan.start_date)}: counted once",
        duplicate_reason=f"duplicate of the plan starting {iso(plan.start_date)}",
        noun=f"plan starting {iso(plan.start_date)}",
        as_of=as_of,
    )


def exclude_plan_date_order(b: Sink, child_id: str, plan: ChildProtectionPlan) -> None:
    """Exclude a plan ending before it starts, and report it (``date order``)."""
    assert plan.end_date is not None
    reason = f"ended {iso(plan.end_date)}, before its start {iso(plan.start_date)}"
    b.issue(reason, child_id, plan, kind="date order")
    b.exclude(child_id, plan, reason)


def working_days_or_reason(
    calendar: WorkingDayCalendar,
    start: _dt.date,
    end: _dt.date,
    convention: DayCount,
) -> tuple[int | None, str | None]:
    """The working days from ``start`` to ``end``, or ``None`` and the reason they cannot be
    counted (a date outside the years the calendar covers)."""
    try:
        return calendar.working_days(start, end, convention), None
    except CalendarRangeError as exc:
        return None, f"working days cannot be counted: {exc}"


def open_on(plan: ChildProtectionPlan, day: _dt.date) -> bool:
    """Whether the plan is open at the end of ``day``: started on or before it and not ended
    on or before it (a plan ending on ``day`` has ceased by then)."""
    return plan.start_date <= day and (plan.end_date is None or plan.end_date > day)


class PlanOverlap:
    """A plan that starts while an earlier plan of the same child is still open."""

    __slots__ = ("earlier", "later")

    def __init__(self, earlier: ChildProtectionPlan, later: ChildProtectionPlan) -> None:
        self.earlier = earlier
        self.later = later

    def message(self) -> str:
        """The data issue's message."""
        e = self.earlier
        ends = "still open" if e.end_date is None else f"ending {iso(e.end_date)}"
        return (
            f"plan starting {iso(self.later.start_date)} overlaps the earlier plan starting "
            f"{iso(e.start_date)} ({ends})"
        )


def plan_overlaps(plans: Sequence[ChildProtectionPlan]) -> list[PlanOverlap]:
    """The overlaps among one child's plans, sorted by :func:`plan_key`.

    A plan overlaps when it starts before the latest end of the earlier plans (or while one of
    them has no end). A plan starting on the day an earlier one ended is not an overlap here;
    plans with the same start date are duplicates, reported separately. Linear: the latest end
    so far is carried forward.
    """
    out: list[PlanOverlap] = []
    latest: ChildProtectionPlan | None = None
    latest_end = _dt.date.min
    for plan in plans:
        if (
            latest is not None
            and plan.start_date != latest.start_date
            and (plan.start_date < latest_end)
        ):
            out.append(PlanOverlap(latest, plan))
        end = FAR_FUTURE if plan.end_date is None else plan.end_date
        if latest is None or end > latest_end:
            latest, latest_end = plan, end
    return out


def report_overlaps(
    builder: Sink,
    child_id: str,
    overlaps: Iterable[PlanOverlap],
    involved: Callable[[ChildProtectionPlan], bool],
) -> None:
    """Report each overlap whose plans include one ``involved`` in this result."""
    for o in overlaps:
        if involved(o.earlier) or involved(o.later):
            builder.issue(o.message(), child_id, o.later, kind="overlap")
