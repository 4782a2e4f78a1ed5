"""Plumbing shared by the children-in-need indicators: total orders on the CIN records,
duplicate detection, working-day measures that never raise on a date the calendar does not
cover, the checks on child protection plans (overlaps, dates out of order), and what the
evaluations over many periods share (the span of the periods, the children with events in it,
decisions pinned to some periods).

Nothing here is an indicator; each function is used by several indicator modules.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from ..._record_table import ChildOrder, remembered_runs
from ...calendar import DayCount, WorkingDayCalendar
from ...decisions import Sink
from ...durations import Interval, describe
from ...errors import CalendarRangeError
from ...periods import Period
from ...records.cin import (
    Assessment,
    ChildProtectionPlan,
    Referral,
    Section47,
    TransferInConference,
)
from .._common import HasChildId, in_child_order_dated, iso
from .._twins import describe_record, same_as_known, select_twins

__all__ = [
    "FAR_FUTURE",
    "PeriodSpan",
    "PlanOverlap",
    "assessment_key",
    "check_interval",
    "children_with_events",
    "exclude_plan_date_order",
    "exclude_plan_twin",
    "exclude_twin",
    "first_of_each",
    "interval_words",
    "open_on",
    "plan_key",
    "plan_overlaps",
    "plan_twins",
    "referral_key",
    "report_overlaps",
    "s47_key",
    "transfer_in_key",
    "twin_children",
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


class PeriodSpan:
    """The periods of an evaluation over many periods, from the first start to the last end,
    with, for a day, the positions of the periods holding it (worked out once for each
    stretch of days between two period boundaries)."""

    __slots__ = (
        "_by_end",
        "_cuts",
        "_holding",
        "_stretches",
        "ends",
        "first",
        "last",
        "periods",
        "starts",
    )

    def __init__(self, periods: Sequence[Period]) -> None:
        self.periods: tuple[Period, ...] = tuple(periods)
        """The periods, in order."""
        self.starts: tuple[_dt.date, ...] = tuple(p.start for p in self.periods)
        """Each period's first day."""
        self.ends: tuple[_dt.date, ...] = tuple(p.end for p in self.periods)
        """Each period's last day."""
        self.first: _dt.date = min(self.starts, default=_dt.date.max)
        """The first day of any period."""
        self.last: _dt.date = max(self.ends, default=_dt.date.min)
        """The last day of any period."""
        # The days on which the periods holding a day change: a period's start, the day after
        # its end. The days from one cut to the next are held by the same periods.
        one = _dt.timedelta(days=1)
        self._cuts = sorted({*self.starts, *(e + one for e in self.ends if e < _dt.date.max)})
        self._stretches: dict[int, tuple[tuple[int, ...], _dt.date, _dt.date]] = {}
        self._holding: dict[_dt.date, tuple[tuple[int, ...], _dt.date, _dt.date]] = {}
        self._by_end: dict[_dt.date, tuple[tuple[int, ...], list[_dt.date]]] = {}

    def _of(self, day: _dt.date) -> tuple[tuple[int, ...], _dt.date, _dt.date]:
        got = self._holding.get(day)
        if got is None:
            stretch = bisect.bisect_right(self._cuts, day)
            got = self._stretches.get(stretch)
            if got is None:
                held = tuple(
                    n
                    for n, (s, e) in enumerate(zip(self.starts, self.ends, strict=True))
                    if s <= day <= e
                )
                got = self._stretches[stretch] = (
                    held,
                    min((self.starts[n] for n in held), default=_dt.date.max),
                    min((self.ends[n] for n in held), default=_dt.date.max),
                )
            self._holding[day] = got
        return got

    def holding(self, day: _dt.date) -> tuple[int, ...]:
        """The positions of the periods holding ``day``, in order."""
        return self._of(day)[0]

    def earliest_start(self, day: _dt.date) -> _dt.date:
        """The earliest start of the periods holding ``day`` (``date.max`` if none does)."""
        return self._of(day)[1]

    def earliest_end(self, day: _dt.date) -> _dt.date:
        """The earliest end of the periods holding ``day`` (``date.max`` if none does)."""
        return self._of(day)[2]

    def split_at(self, day: _dt.date, known: _dt.date) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The positions of the periods holding ``day`` that end before ``known`` (a date not
        yet known at their end), and of those ending on or after it."""
        got = self._by_end.get(day)
        if got is None:
            order = tuple(sorted(self.holding(day), key=self.ends.__getitem__))
            got = self._by_end[day] = (order, [self.ends[n] for n in order])
        order, ends = got
        i = bisect.bisect_left(ends, known)
        return order[:i], order[i:]

    def by_first(self, days: Sequence[_dt.date], k: int) -> tuple[list[int], dict[int, list[int]]]:
        """For the ``k``-th of one child's dates ``days`` (in order): the positions of the
        periods holding it in which it is the child's first date, and the other periods
        holding it, by the index of the first of the dates they hold."""
        firsts: list[int] = []
        others: dict[int, list[int]] = {}
        for n in self.holding(days[k]):
            j = bisect.bisect_left(days, self.starts[n], 0, k)
            if j == k:
                firsts.append(n)
            else:
                others.setdefault(j, []).append(n)
        return firsts, others


def children_with_events(
    records: Iterable[R],
    when: Callable[[R], _dt.date | None],
    span: PeriodSpan,
    *,
    same: Callable[[R], _dt.date],
    key: Callable[[R], tuple[object, ...]],
    in_order: bool = True,
) -> list[tuple[str, list[R], bool]]:
    """The children with a record whose ``when`` date lies in the ``span``, in sorted id order,
    each with all their records in ``key`` order (as
    :func:`~csc_indicators.indicators._common.by_child` gives them) and whether two of them
    are twins (the same ``same`` date, decision D14).

    ``key`` must start with ``same``: a child with no twins then has its records sorted by
    ``same`` alone (the same order, without building a key per record). ``in_order=False``:
    a child with no twins keeps its records in the order given (for a caller that only
    tallies them)."""
    every = records if isinstance(records, (list, tuple)) else list(records)
    first, last = span.first, span.last
    ordered = in_child_order_dated(every, when, first, last)  # records in child order
    if ordered is None:
        wanted = {r.child_id for r in every if (w := when(r)) is not None and first <= w <= last}
        groups: dict[str, list[R]] = {}
        for r in every:
            child_id = r.child_id
            if child_id in wanted:
                group = groups.get(child_id)
                if group is None:
                    groups[child_id] = [r]
                else:
                    group.append(r)
        ordered = [(child_id, groups[child_id]) for child_id in sorted(groups)]
    out: list[tuple[str, list[R], bool]] = []
    for child_id, items in ordered:
        if len(items) == 1:
            out.append((child_id, items, False))
            continue
        twins = len(set(map(same, items))) < len(items)
        if twins:
            items.sort(key=key)
        elif in_order:
            items.sort(key=same)
        out.append((child_id, items, twins))
    return out


def twin_children(
    records: Sequence[R],
    in_span: Sequence[R],
    when: Callable[[R], _dt.date | None],
    span: PeriodSpan,
    *,
    same: Callable[[R], object],
    key: Callable[[R], tuple[object, ...]],
    order: ChildOrder | None,
) -> dict[str, list[R]]:
    """Of the children with a record whose ``when`` date lies in the ``span`` (``in_span``,
    in the order given), those with twins (two records with the same ``same`` date, decision D14),
    each with all their ``records`` in ``key`` order (ties in the order given), as
    :func:`children_with_events` gives them.

    ``order``: what is known of ``records`` in order of child, then of ``same``
    (:func:`~csc_indicators._record_table.child_order`, asked for once by the caller), whose
    children with twins are all that is looked at then. Otherwise, on a bundle's table in
    child order, where each child's records lie (remembered on the table:
    :func:`~csc_indicators._record_table.remembered_runs`); else one pass over the records
    looks up each one's child, and only the other records of these children are grouped."""
    if order is not None:
        if not order.twins:
            return {}
        first, last = span.first, span.last
        return {
            child_id: sorted(items, key=key)
            for child_id, items in order.twins.items()
            if any((w := when(r)) is not None and first <= w <= last for r in items)
        }
    runs = remembered_runs(records, when, span.first, span.last)
    if runs is not None:
        # A bundle's table in child order: where the records of each child with a record in
        # the span lie (found in one pass, shared with the other indicators grouping it by
        # the same date); only the children with more than one record are looked at.
        found: dict[str, list[R]] = {}
        for child_id, lo, hi in zip(*runs, strict=True):
            if hi - lo > 1:
                items = list(records[lo:hi])
                if len(set(map(same, items))) < len(items):
                    found[child_id] = sorted(items, key=key)
        return found
    one_each = {r.child_id: r for r in in_span}  # one record in the span per child
    get = one_each.get
    others = [r for r in records if (o := get(r.child_id)) is not None and o is not r]
    extra = len(in_span) - len(one_each)  # records in the span besides one_each's
    if not others and not extra:
        return {}
    groups: dict[str, list[R]] = {}
    for r in others:
        group = groups.get(r.child_id)
        if group is None:
            groups[r.child_id] = [r]
        else:
            group.append(r)
    out: dict[str, list[R]] = {}
    for child_id, group in groups.items():
        mine = same(one_each[child_id])
        if len(group) == 1:
            if same(group[0]) == mine:
                out[child_id] = group
            continue
        events = {same(r) for r in group}
        if mine in events or len(events) < len(group):
            out[child_id] = group
    if extra > len(others) or (
        extra
        and extra
        > len([r for r in others if (w := when(r)) is not None and span.first <= w <= span.last])
    ):
        # A record named by one_each given more than once (the same object): its own twin.
        seen: set[int] = set()
        for r in in_span:
            if id(r) in seen:
                out[r.child_id] = []
            seen.add(id(r))
    # Each twin child's records in the order given: the one named by one_each placed by its
    # key, unless it ties on the whole key with a different record (then in the order of the
    # records, taken again from them in one pass).
    again: set[str] = set()
    for child_id, group in out.items():
        mine = one_each[child_id]
        mine_key = key(mine)
        if not group or any(key(r) == mine_key and r != mine for r in group):
            again.add(child_id)
        else:
            group.append(mine)
    if again:
        for child_id in again:
            out[child_id] = []
        for r in records:
            if r.child_id in again:
                out[r.child_id].append(r)
    for group in out.values():
        group.sort(key=key)
    return out
