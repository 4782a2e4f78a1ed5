"""Children in need at the end of the period (CIN census): the snapshot DfE publishes as
"children in need at 31 March" (EES table B1), a count or a rate per 10,000 children.

Specification: ``docs/indicators/children_in_need_at_period_end.md``.

Also the plumbing of the snapshots over many periods (:class:`EndSnapshots`),
shared with the child protection plan snapshots.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter

import attrs

from ...decisions import Decisions, Placed, Sink
from ...periods import Period
from ...records.cin import Referral
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity, ValueKind
from .._common import count_kind, iso
from .._twins import select_twins
from ._shared import exclude_twin, referral_key

__all__ = [
    "EndSnapshots",
    "children_in_need_at_period_end",
    "referral_open_on",
]


class EndSnapshots:
    """The decisions of a snapshot indicator (a state at the period end) over many periods:
    made once per distinct period end, held by every period ending on it.

    The ends are :attr:`days` (sorted); a decision is made for one end (:meth:`at`) or for a
    run of ends ``days[lo:hi]`` (:meth:`over`), and :meth:`results` gives one result per
    period, each exactly the result of the period alone (a snapshot depends on the period's
    end only). A counted decision that holds over a run of ends and whose outcome is not
    collected is only tallied (:meth:`tally`): the same figures, without a decision per end
    and period.
    """

    __slots__ = (
        "_d",
        "_fixed",
        "_group_runs",
        "_kind",
        "_of",
        "_periods",
        "_runs",
        "days",
        "keep",
        "tallying",
    )

    def __init__(
        self,
        indicator: Callable[..., IndicatorResult],
        periods: Sequence[Period],
        kind: ValueKind | None = None,
    ) -> None:
        firsts: dict[_dt.date, Period] = {}
        for p in periods:
            firsts.setdefault(p.end, p)
        self.days: list[_dt.date] = sorted(firsts)
        """The distinct period ends, earliest first."""
        index = {day: j for j, day in enumerate(self.days)}
        self._periods = tuple(periods)
        self._of = [index[p.end] for p in periods]
        self._d = Decisions(indicator, [firsts[day] for day in self.days], kind)
        self._kind = self._d.spec.kind if kind is None else kind
        self.keep: bool = self._d.keep
        """Whether outcomes are kept."""
        # A decision's measure (for a mean) depends on the end: a run of ends is no tally.
        self.tallying = self._kind is not ValueKind.MEAN and self._d.tally(0)
        """Whether every counted decision may be tallied (:meth:`tally`): no outcome is
        collected (neither kept, nor bare for a breakdown) and the value is no mean."""
        # The tallied decisions by their run of ends and whether met, given to the decisions
        # at once by results().
        self._runs: dict[tuple[int, int, bool], int] = {}
        # In a breakdown, the group of each child whose group is known (no mean), and the
        # decisions of those children tallied by group and run of ends, given at once too.
        self._fixed = None if self._kind is ValueKind.MEAN else self._d.known_groups
        self._group_runs: dict[tuple[str, int, int, bool], int] = {}

    def open_range(self, start: _dt.date, end: _dt.date | None) -> tuple[int, int]:
        """``(lo, hi)``: the ends ``days[lo:hi]`` on which something from ``start`` that ends
        on ``end`` (``None``: not ended) is open: ``start <= day < end``, as
        :func:`referral_open_on` and :func:`~._shared.open_on` say."""
        days = self.days
        lo = bisect.bisect_left(days, start)
        hi = len(days) if end is None else bisect.bisect_left(days, end)
        return (lo, hi) if lo < hi else (lo, lo)

    def at(self, j: int) -> Placed:
        """A sink for the periods ending on ``days[j]``."""
        return self._d.pinned((j,))

    def over(self, lo: int, hi: int) -> Placed:
        """A sink for the periods ending on ``days[lo:hi]`` (the same decision on each)."""
        return self._d.pinned(range(lo, hi))

    def tallies(self, child_id: str) -> bool:
        """Whether the counted decisions of ``child_id`` are only tallied (:meth:`tally`
        with the child's id): when :attr:`tallying`, or in a breakdown whose group of the
        child is known beforehand (the value being no mean); the decisions left out are
        then not made (their outcomes are not collected)."""
        return self.tallying or (self._fixed is not None and child_id in self._fixed)

    def tally(
        self, lo: int, hi: int, met: bool, child_id: str | None = None, *, times: int = 1
    ) -> bool:
        """A counted decision on each of ``days[lo:hi]`` (``times`` such decisions, of no
        ``child_id``), only figures: always when :attr:`tallying`; else, given the decision's
        ``child_id``, when its outcome is not collected all the same (a breakdown's child
        whose group is known beforehand, see
        :meth:`~csc_indicators.decisions.Decisions.tally`). Gives whether it was tallied
        (else the caller makes it on each end).

        Raises:
            ValueError: no ``child_id`` is given and not :attr:`tallying`.
        """
        if self.tallying:
            key = (lo, hi, met)
            self._runs[key] = self._runs.get(key, 0) + times
            return True
        if child_id is None:
            raise ValueError("decisions are tallied only when no outcome is collected")
        fixed = self._fixed
        group = None if fixed is None else fixed.get(child_id)
        if group is None:
            return False
        run = (group, lo, hi, met)
        self._group_runs[run] = self._group_runs.get(run, 0) + 1
        return True

    def results(self, parameters: Mapping[str, object]) -> list[IndicatorResult]:
        """One result per period, in order, each as if computed over that period alone."""
        d = self._d
        for (lo, hi, met), n in self._runs.items():
            d.tally(n, n if met else 0, periods=range(lo, hi))
        self._runs.clear()
        for (group, lo, hi, met), n in self._group_runs.items():
            d.tally(n, n if met else 0, group=group, periods=range(lo, hi))
        self._group_runs.clear()
        got = d.results(parameters)
        return [
            r if r.period is p else attrs.evolve(r, period=p)
            for p, r in zip(self._periods, (got[j] for j in self._of), strict=True)
        ]


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
    return _children_in_need_over(
        referrals,
        [period],
        population=population,
        exclude_no_further_action=exclude_no_further_action,
    )[0]


_NFA = "referral led to no further action (ReferralNFA)"


@over_periods(children_in_need_at_period_end)
def _children_in_need_over(
    referrals: Iterable[Referral],
    periods: Sequence[Period],
    *,
    population: int | None = None,
    exclude_no_further_action: bool = True,
) -> list[IndicatorResult]:
    """:func:`children_in_need_at_period_end` over many periods at once.

    Each child is decided once for all the distinct period ends. A child without twins whose
    referrals are never open together (at most one on each end) has each referral decided
    once for the ends it is open on; another child is decided end by end."""
    s = EndSnapshots(children_in_need_at_period_end, periods, count_kind(population))
    if not s.days:
        return []

    def decide(child_id: str, r: Referral, lo: int, hi: int) -> None:
        """A referral open on ``s.days[lo:hi]`` and no other (rules 3 and 4)."""
        if exclude_no_further_action and r.no_further_action:  # rule 3
            if s.keep:
                s.over(lo, hi).exclude(child_id, r, _NFA)
        elif not s.tally(lo, hi, True, child_id):
            for j in range(lo, hi):
                _count_child(s.at(j), child_id, r, s.days[j])

    records = referrals if isinstance(referrals, (list, tuple)) else list(referrals)
    groups = _open_somewhen(records, s.days)
    # Without outcomes kept, a child whose referrals are never open together only tallies
    # them (when its outcomes are not collected); the others are decided in child order.
    children = sorted(groups) if s.keep else _tally_simple(s, groups, exclude_no_further_action)
    for child_id in children:
        items = groups[child_id]
        if len(items) > 1:
            items.sort(key=referral_key)
        if len(items) == 1:
            lo, hi = s.open_range(items[0].date, items[0].closure_date)  # rule 1
            if lo < hi:
                decide(child_id, items[0], lo, hi)
            continue
        ranges = [s.open_range(r.date, r.closure_date) for r in items]
        if _apart(ranges) and len({r.date for r in items}) == len(items):
            for r, (lo, hi) in zip(items, ranges, strict=True):
                if lo < hi:
                    decide(child_id, r, lo, hi)
            continue
        for j in sorted({j for lo, hi in ranges for j in range(lo, hi)}):
            _child_on(s.at(j), child_id, items, s.days[j], exclude_no_further_action)
    return s.results(
        {"population": population, "exclude_no_further_action": exclude_no_further_action}
    )


def _open_somewhen(
    records: Sequence[Referral], days: Sequence[_dt.date]
) -> dict[str, list[Referral]]:
    """The children with a referral open on some day from the first of ``days`` to the last
    (rule 1), each with all their referrals (twins of an open one among them), in no
    particular order."""
    first, last = days[0], days[-1]
    wanted: set[str] = set()
    for r in records:
        if r.date <= last:
            closed = r.closure_date
            if closed is None or closed > first:
                wanted.add(r.child_id)
    groups: dict[str, list[Referral]] = {}
    for r in records:
        if r.child_id in wanted:
            groups.setdefault(r.child_id, []).append(r)
    return groups


def _tally_simple(
    s: EndSnapshots, groups: dict[str, list[Referral]], exclude_nfa: bool
) -> list[str]:
    """Without outcomes kept: the referrals of each child whose referrals are on different
    dates and never open together (at most one on each end) tallied on the ends they are
    open on (rules 1 and 3; rule 4 holds), when they may be (:meth:`EndSnapshots.tally`), in
    no particular order (only the figures are made, and no issue); gives the other children,
    in child order."""
    days = s.days
    count = len(days)
    summary = s.tallying
    runs: dict[tuple[int, int], int] = {}  # in summary mode, tallied at the end
    others: list[str] = []
    bisect_left = bisect.bisect_left
    if summary:  # the children with one referral, at once
        singles = [items[0] for items in groups.values() if len(items) == 1]
        if exclude_nfa:  # rule 3: an exclusion (not made without outcomes kept)
            singles = [r for r in singles if not r.no_further_action]
        los = map(bisect_left, itertools.repeat(days), map(_date, singles))
        ends = [_dt.date.max if (c := r.closure_date) is None else c for r in singles]
        his = map(bisect_left, itertools.repeat(days), ends)
        for (lo, hi), times in Counter(zip(los, his, strict=True)).items():
            if lo < hi:  # rule 1: open on days[lo:hi]
                runs[(lo, hi)] = times
    for child_id, items in groups.items():
        mine: list[tuple[int, int]] = []
        if len(items) == 1:
            if summary:
                continue  # tallied above
            r = items[0]
            if exclude_nfa and r.no_further_action:
                continue  # rule 3: an exclusion (not made without outcomes kept)
            lo = bisect_left(days, r.date)
            closed = r.closure_date
            hi = count if closed is None else bisect_left(days, closed)
            if lo >= hi:
                continue
            mine.append((lo, hi))
        elif len({r.date for r in items}) < len(items):
            others.append(child_id)  # twins (rule 2)
            continue
        else:
            items.sort(key=_date)  # the order of referral_key, the dates being different
            reach = 0
            apart = True
            for r in items:
                lo = bisect_left(days, r.date)
                closed = r.closure_date
                hi = count if closed is None else bisect_left(days, closed)
                if lo < hi:
                    if lo < reach:  # open together with an earlier one (rule 4)
                        apart = False
                        break
                    reach = hi
                    if not (exclude_nfa and r.no_further_action):  # rule 3
                        mine.append((lo, hi))
            if not apart:
                others.append(child_id)
                continue
        if summary:
            for key in mine:
                runs[key] = runs.get(key, 0) + 1
        elif mine and not s.tally(*mine[0], True, child_id):
            others.append(child_id)  # its outcomes are collected: decided in child order
        else:
            for lo, hi in mine[1:]:
                s.tally(lo, hi, True, child_id)
    for (lo, hi), times in runs.items():
        s.tally(lo, hi, True, times=times)
    others.sort()
    return others


def _date(r: Referral) -> _dt.date:
    return r.date


def _apart(ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether no two of the ranges (sorted by start) share an end."""
    reach = 0
    for lo, hi in ranges:
        if lo < hi:
            if lo < reach:
                return False
            reach = hi
    return True


def _child_on(
    b: Sink, child_id: str, items: Sequence[Referral], day: _dt.date, exclude_nfa: bool
) -> None:
    """One child's referrals (sorted by :func:`~._shared.referral_key`) judged on ``day``."""

    def open_then(r: Referral) -> bool:  # rule 1
        return referral_open_on(r, day)

    if not any(open_then(r) for r in items):
        return
    pairs = select_twins(
        b,
        child_id,
        items,
        same=attrgetter("date"),
        selected=open_then,
        noun="referral",
        end=attrgetter("closure_date"),
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
        elif exclude_nfa and r.no_further_action:  # rule 3
            b.exclude(child_id, r, _NFA)
        else:
            in_need.append(r)
    if not in_need:
        return
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
    _count_child(b, child_id, latest, day)


def _count_child(b: Sink, child_id: str, r: Referral, day: _dt.date) -> None:
    """Rule 4: the child counted on the referral ``r``, open on ``day``."""
    b.count(
        child_id,
        r,
        True,
        (day - r.date).days,
        f"episode of need from {iso(r.date)} open on {iso(day)}",
    )
