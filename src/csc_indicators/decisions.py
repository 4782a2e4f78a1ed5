"""Decisions: each record decided once, the figures of any number of periods aggregated.

An indicator evaluated over many periods (:func:`~csc_indicators.registry.over_periods`)
decides each record once and says which periods hold the decision:

* ``day=``: the date that places the record in a period (an assessment's authorisation date,
  a referral's date): every period holding that day holds the decision;
* ``periods=``: the positions of the periods that hold it, for a decision that depends on
  the period (a snapshot on the period end; a record judged as known at the period end).

:meth:`Decisions.results` then gives one :class:`~csc_indicators.results.IndicatorResult` per
period, exactly as if the indicator had been run over that period alone: the same figures,
and (when outcomes are kept) the same outcomes and issues in the same order, the order the
decisions were made in. The decisions are held as columns; an
:class:`~csc_indicators.results.Outcome` is built only for a period whose outcomes are kept,
and a reason given as a function (``reason=lambda: f"..."``) is only then formatted.

In summary mode (:func:`~csc_indicators.results.keeping_outcomes` ``False``, as the scorecard
runs) the figures of a period are two look-ups in running totals over the decisions sorted by
day, whatever the number of periods (the private ``_decision_sums`` module). :class:`Placed`,
the decisions of one day or one period made with the methods of a result builder, is defined
in the private ``_placed`` module and exported here.

The module is longer than the project's usual 500 lines, for a reason: :class:`Decisions` is
one object whose hot paths (``count``, ``tally``, ``add_counted_days``) are written out rather
than shared through calls, a call per decision being what the engine exists to avoid; and
:class:`ResultBuilder`, the engine over one period, has to be defined beside it (the
``builder`` module, which this one imports, takes it back from here).
"""

from __future__ import annotations

import datetime as _dt
import heapq
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ._decision_sums import DayTally
from ._placed import Placed
from .builder import (
    _BARE_OUTCOMES,
    _GROUP_TALLIES,
    _KEEP_OUTCOMES,
    Reason,
    Tally,
    bare_outcome,
    make_result,
    outcome,
)
from .periods import Period
from .results import DataIssue, IndicatorResult, Outcome, ValueKind, _frozen_mapping

if TYPE_CHECKING:
    from .registry import IndicatorSpec

__all__ = ["Decisions", "Placed", "Reason", "ResultBuilder", "Sink"]


class Sink(Protocol):
    """Where one period's code puts its outcomes and issues: a
    :class:`~csc_indicators.results.ResultBuilder` or :class:`Placed` decisions."""

    @property
    def keep(self) -> bool: ...

    def count(
        self,
        child_id: str,
        record: object,
        met: bool,
        measure: int | float | None = None,
        reason: Reason = None,
        details: Mapping[str, object] | None = None,
    ) -> None: ...

    def exclude(
        self,
        child_id: str,
        record: object,
        reason: Reason,
        measure: int | float | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None: ...

    def issue(
        self, message: str, child_id: str | None = None, record: object = None, kind: str = "data"
    ) -> None: ...


class Decisions:
    """Each record's decision, made once, for a list of periods.

    Args:
        indicator: the registered indicator function (or its spec).
        periods: the periods the results are wanted for, in order.
        kind: how the value is formed (default: the spec's kind).
        keep_outcomes: keep the outcomes (default: unless inside ``keeping_outcomes(False)``;
            bare outcomes inside ``keeping_outcomes(True, bare=True)``).
    """

    __slots__ = (
        "_bare",
        "_collect",
        "_fixed",
        "_groups",
        "_held",
        "_issues",
        "_keep",
        "_kind",
        "_mean",
        "_metric",
        "_pinned",
        "_rowday",
        "_rows",
        "_spec",
        "_sum",
        "_tallies",
        "_unbuilt",
        "periods",
    )

    def __init__(
        self,
        indicator: IndicatorSpec | Callable[..., Any],
        periods: Sequence[Period],
        kind: ValueKind | None = None,
        *,
        keep_outcomes: bool | None = None,
    ) -> None:
        from .registry import spec_of

        self._spec = spec_of(indicator)
        self._kind = self._spec.kind if kind is None else kind
        self._mean = self._kind is ValueKind.MEAN
        # Whether the figures need the decisions met (else the numerator is the count or the
        # total measure).
        self._metric = self._kind not in (ValueKind.MEAN, ValueKind.COUNT, ValueKind.RATE_PER_10K)
        self._keep = _KEEP_OUTCOMES.get() if keep_outcomes is None else keep_outcomes
        # Bare outcomes (of every decision when kept, else of the counted ones only).
        self._bare = keep_outcomes is None and _BARE_OUTCOMES.get()
        self._collect = self._keep or self._bare
        """Whether outcomes (whole or bare) are collected, else only the figures."""
        self.periods: tuple[Period, ...] = tuple(periods)
        """The periods, in the order of the results."""
        # Summary mode: only what the figures need.
        self._sum = DayTally(self._metric, self._mean)
        # The counted decisions tallied by group (GroupTallies), for the children it names.
        self._tallies = _GROUP_TALLIES.get() if self._bare and not self._keep else None
        self._groups: dict[str, DayTally] = {}
        # The group of each child whose group is known beforehand (a breakdown's).
        self._fixed: Mapping[str, str] | None = (
            None if self._tallies is None else self._tallies.fixed
        )
        # Outcomes kept: one row per decision (child, record, counted, met, measure, reason
        # and details; or its bare outcome), its day (an ordinal; -1 when pinned to periods),
        # and per period position, the decisions pinned to it.
        self._rows: list[Any] = []
        self._rowday: list[int] = []
        # The figures of all the rows together: counted, met and the total measure of those
        # counted (what a period holding every row tallies, without a pass over them).
        self._held = [0, 0, 0]
        self._pinned: dict[int, list[int]] = {}
        # Whether a row is held to build an outcome from (else every row is an Outcome).
        self._unbuilt = False
        # Issues: (day ordinal or -1, periods or None, the issue).
        self._issues: list[tuple[int, frozenset[int] | None, DataIssue]] = []

    @property
    def keep(self) -> bool:
        """Whether outcomes are kept (else only the figures are)."""
        return self._keep

    @property
    def spec(self) -> IndicatorSpec:
        """The registry entry of the indicator."""
        return self._spec

    @property
    def known_groups(self) -> Mapping[str, str] | None:
        """In a breakdown whose groups of some children are known beforehand, each such
        child's group (their counted decisions are tallied by it: no outcome of theirs is
        collected, see :meth:`tally` with ``group``); else ``None``."""
        return self._fixed

    @property
    def figures_only(self) -> bool:
        """Whether only the figures are collected (summary mode, no outcome of any kind): a
        loop over many records may then give its counted decisions by
        :meth:`add_counted_days`."""
        return not self._collect

    def add_counted_days(
        self,
        days: Sequence[int],
        met: Sequence[int],
        measured: Sequence[tuple[int, int]] = (),
        *,
        group: str | None = None,
    ) -> None:
        """Counted decisions placed by day, in summary mode (:attr:`figures_only`), as
        :meth:`count` with ``day=`` would tally them: the days (ordinals) of the decisions,
        of those met, and ``(day, measure)`` of those with a measure (non-zero). With
        ``group``, in a breakdown, those of children of that group of :attr:`known_groups`
        (tallied by it, as :meth:`count` tallies them)."""
        if group is not None:
            if self._fixed is None:
                raise ValueError("add_counted_days(group=...) is for a breakdown's known groups")
            t = self._group(group)
        elif self._collect:
            raise ValueError("add_counted_days is for summary mode (figures_only)")
        else:
            t = self._sum
        t.cdays.extend(days)
        if t.metric:
            t.mdays.extend(met)
        if t.mean:
            for day, value in measured:
                t.tdays.append(day)
                t.tvals.append(int(value))

    def add_outcomes(
        self,
        days: Sequence[int],
        outcomes: Sequence[Outcome],
        figures: tuple[int, int, int] | None = None,
    ) -> None:
        """Decisions already built as outcomes (when :attr:`keep`; e.g. with
        :func:`~csc_indicators.builder.counted_outcomes`), each placed by its day (an
        ordinal), in order: as :meth:`count` and :meth:`exclude` with ``day=`` would put
        them, without a call per decision. ``figures``: what the caller knows of them, the
        number counted, the number met and the total of the measures of those counted
        (whole numbers), as a period holding them all tallies them (else found here)."""
        if len(days) != len(outcomes):
            raise ValueError(f"{len(days)} days but {len(outcomes)} outcomes")
        if not self._keep:
            raise ValueError("add_outcomes needs outcomes kept (keep)")
        held = self._held
        if figures is None:
            held[0] += sum(map(_COUNTED, outcomes))
            held[1] += sum(map(_MET, outcomes))
            held[2] += sum(_measures(outcomes))
        else:
            held[0] += figures[0]
            held[1] += figures[1]
            held[2] += figures[2]
        if self._bare:
            outcomes = [
                bare_outcome(o.child_id, o.record, o.counted, o.met, o.measure) for o in outcomes
            ]
        self._rows.extend(outcomes)
        self._rowday.extend(days)

    def count(
        self,
        child_id: str,
        record: object,
        met: bool,
        measure: int | float | None = None,
        reason: Reason = None,
        details: Mapping[str, object] | None = None,
        *,
        day: _dt.date | None = None,
        periods: Iterable[int] | None = None,
    ) -> None:
        """A counted decision (in the denominator; in the numerator when ``met``), held by
        the periods holding ``day``, or by the periods at the positions ``periods``."""
        if periods is None and day is not None:  # the hot path
            o = day.toordinal()
            t = self._sum
            if self._collect:
                # A breakdown's: tallied by the child's group when it is known beforehand.
                fixed = self._fixed
                group = None if fixed is None else fixed.get(child_id)
                if group is None:
                    self._put(o, (), child_id, record, True, met, measure, reason, details)
                    return
                t = self._group(group)
            t.cdays.append(o)
            if met and t.metric:
                t.mdays.append(o)
            if measure and t.mean:
                t.tdays.append(o)
                t.tvals.append(int(measure))
            return
        if periods is None:
            raise ValueError("a decision needs day= or periods=")
        if day is not None:
            raise ValueError("a decision is placed by day= or by periods=, not both")
        pins = tuple(dict.fromkeys(periods))  # each period once
        self._put(-1, pins, child_id, record, True, met, measure, reason, details)

    def exclude(
        self,
        child_id: str,
        record: object,
        reason: Reason,
        measure: int | float | None = None,
        details: Mapping[str, object] | None = None,
        *,
        day: _dt.date | None = None,
        periods: Iterable[int] | None = None,
    ) -> None:
        """A decision left out of the denominator, with the reason why."""
        if not reason:
            raise ValueError("an outcome that is not counted must carry a reason")
        if not self._keep and (day is None) != (periods is None):
            return  # placed, and an exclusion changes no figure (nor any counted outcome)
        if periods is None:
            if day is None:
                raise ValueError("a decision needs day= or periods=")
            self._put(day.toordinal(), (), child_id, record, False, False, measure, reason, details)
        elif day is not None:
            raise ValueError("a decision is placed by day= or by periods=, not both")
        else:
            pins = tuple(dict.fromkeys(periods))
            self._put(-1, pins, child_id, record, False, False, measure, reason, details)

    def _group(self, group: str) -> DayTally:
        """The tally of a breakdown's group whose children are known beforehand."""
        t = self._groups.get(group)
        if t is None:
            t = self._groups[group] = DayTally(self._metric, self._mean)
        return t

    def _put(
        self,
        day: int,
        pins: tuple[int, ...],
        child_id: str,
        record: object,
        counted: bool,
        met: bool,
        measure: int | float | None,
        reason: Reason,
        details: Mapping[str, object] | None,
    ) -> None:
        """One decision, on the day (an ordinal) or, with ``day`` -1, pinned to ``pins``."""
        if not counted and not self._keep:
            return  # an exclusion changes no figure (nor any counted outcome)
        if not self._collect:
            self._sum.add(day, pins, met, measure)
            return
        if self._fixed is not None:  # counted, and tallied by group when the group is known
            group = self._fixed.get(child_id)
            if group is not None:
                self._group(group).add(day, pins, met, measure)
                return
        i = len(self._rows)
        if counted:
            held = self._held
            held[0] += 1
            if met:
                held[1] += 1
            if measure:
                held[2] += int(measure)
        if self._bare:  # the outcome itself: nothing to format later
            self._rows.append(bare_outcome(child_id, record, counted, met, measure))
        else:  # a row to build the outcome from, when a period holding it is built
            self._rows.append((child_id, record, counted, met, measure, reason, details))
            self._unbuilt = True
        self._rowday.append(day)
        if day < 0:
            pinned = self._pinned
            for n in pins:
                got = pinned.get(n)
                if got is None:
                    pinned[n] = [i]
                else:
                    got.append(i)

    def issue(
        self,
        message: str,
        child_id: str | None = None,
        record: object = None,
        kind: str = "data",
        *,
        day: _dt.date | None = None,
        periods: Iterable[int] | None = None,
    ) -> None:
        """A data problem, reported in the periods holding ``day``, in those at the positions
        ``periods``, or (neither given) in every period."""
        if day is not None and periods is not None:
            raise ValueError("an issue is placed by day= or by periods=, not both")
        where = frozenset(periods) if periods is not None else None
        self._issues.append(
            (
                -1 if day is None else day.toordinal(),
                where,
                DataIssue(message, child_id, record, kind),
            )
        )

    def for_period(self, n: int) -> Placed:
        """Decisions of the period at position ``n`` only, made with the methods of a
        :class:`~csc_indicators.results.ResultBuilder`: for a child whose decisions depend on
        the period, decided period by period with the indicator's single-period logic."""
        return Placed(self, n=n)

    def pinned(self, positions: Iterable[int]) -> Placed:
        """Decisions held by the periods at ``positions`` (each once), made with the methods of
        a :class:`~csc_indicators.results.ResultBuilder`: for a decision that is the same in
        several periods but not in every period holding its day."""
        return Placed(self, periods=positions)

    def at(self, day: _dt.date) -> Placed:
        """Decisions held by every period holding ``day``, made with the methods of a
        :class:`~csc_indicators.results.ResultBuilder`."""
        return Placed(self, day=day)

    def results(self, parameters: Mapping[str, object]) -> list[IndicatorResult]:
        """One result per period, in order, each as if computed over that period alone."""
        shared = _frozen_mapping(parameters)  # one read-only copy for every result
        if self._collect:
            return self._kept(shared)
        sums = self._sum.sums()
        out: list[IndicatorResult] = []
        for n, period in enumerate(self.periods):
            start, end = period.start.toordinal(), period.end.toordinal()
            d, k, total = sums.figures(n, start, end)
            out.append(
                make_result(
                    self._spec,
                    self._kind,
                    period,
                    shared,
                    denominator=d,
                    met=k,
                    total=total,
                    outcomes=(),
                    issues=self._issues_in(n, period),
                )
            )
        return out

    def _kept(self, parameters: Mapping[str, object]) -> list[IndicatorResult]:
        """:meth:`results` with the outcomes, in the order the decisions were made: each
        outcome built once, shared by the periods holding it."""
        rows, days = self._rows, self._rowday
        # Each row's outcome, or the row (a tuple) to build it from when first needed.
        made: list[Any] = list(rows)
        unbuilt = self._unbuilt
        # The days held by any decision placed by day (pinned ones are -1).
        low, high = (min(days), max(days)) if days else (0, -1)
        groups = {g: tally.sums() for g, tally in self._groups.items()}
        out: list[IndicatorResult] = []
        for n, period in enumerate(self.periods):
            start, end = period.start.toordinal(), period.end.toordinal()
            pinned = self._pinned.get(n)
            outs: list[Outcome]
            if start <= low and high <= end and not pinned:
                # Every decision placed by day, and no other: the outcomes in bulk.
                if unbuilt:
                    made = [outcome(*o) if type(o) is tuple else o for o in made]
                    unbuilt = False
                outs = made
                d, k, total = self._held
                if not self._metric:
                    k = 0
                if not self._mean:
                    total = 0
            else:
                chosen = [i for i, day in enumerate(days) if start <= day <= end]
                if pinned:
                    chosen = list(heapq.merge(chosen, pinned))  # both in decision order
                d = k = total = 0
                outs = []
                for i in chosen:
                    o = made[i]
                    if type(o) is tuple:
                        o = made[i] = outcome(*o)
                    if o.counted:
                        d += 1
                        if o.met:
                            k += 1
                        if o.measure:
                            total += int(o.measure)
                    outs.append(o)
            by_group: dict[str, Tally] = {}
            for g, sums in groups.items():
                tally = sums.figures(n, start, end)
                if tally[0]:
                    by_group[g] = list(tally)
                    d += tally[0]
                    k += tally[1]
                    total += tally[2]
            result = make_result(
                self._spec,
                self._kind,
                period,
                parameters,
                denominator=d,
                met=k,
                total=total,
                outcomes=tuple(outs),
                issues=self._issues_in(n, period),
            )
            if self._tallies is not None:
                self._tallies.hold(result, by_group)
            out.append(result)
        return out

    def _issues_in(self, n: int, period: Period) -> tuple[DataIssue, ...]:
        if not self._issues:
            return ()
        start, end = period.start.toordinal(), period.end.toordinal()
        return tuple(
            issue
            for day, where, issue in self._issues
            if (where is None and (day < 0 or start <= day <= end))
            or (where is not None and n in where)
        )

    def tally(
        self,
        counted: int,
        met: int = 0,
        total: int = 0,
        *,
        child_id: str | None = None,
        group: str | None = None,
        day: _dt.date | None = None,
        periods: Iterable[int] | None = None,
    ) -> bool:
        """``counted`` counted decisions whose outcomes are not needed (``met`` of them met,
        their measures, whole numbers, adding up to ``total``), held by the periods holding
        ``day`` or by the periods at the positions ``periods``: tallied at once, the figures
        being those :meth:`count` gives them, when no outcome of theirs is collected (in
        summary mode; in a breakdown by groups known beforehand, when they are of a
        ``child_id`` whose group is known, or of children of that ``group`` of
        :attr:`known_groups`).

        Returns whether they were tallied; when not, nothing is done (make each with
        :meth:`count`). ``tally(0)`` only asks whether decisions of any child are
        (that is, whether no outcome is collected)."""
        if self._collect:
            fixed = self._fixed
            if fixed is None:
                return False
            if group is None:
                group = None if child_id is None else fixed.get(child_id)
            if group is None:
                return False
            t = self._group(group)
        else:
            t = self._sum
        if not counted:
            return True
        if periods is None:
            if day is None:
                raise ValueError("decisions need day= or periods=")
            o = day.toordinal()
            t.cdays.extend([o] * counted)
            if met and t.metric:
                t.mdays.extend([o] * met)
            if total and t.mean:
                t.tdays.append(o)
                t.tvals.append(total)
            return True
        if day is not None:
            raise ValueError("decisions are placed by day= or by periods=, not both")
        pins = tuple(dict.fromkeys(periods))  # each period once
        held = t.pinned.get(pins)
        if held is None:
            t.pinned[pins] = [counted, met, total]
        else:
            held[0] += counted
            held[1] += met
            held[2] += total
        return True


_FIRST = (0,)
_COUNTED = operator.attrgetter("counted")
_MET = operator.attrgetter("met")


def _measures(outcomes: Iterable[Outcome]) -> Iterable[int]:
    """The measures of the counted outcomes (for a mean's total)."""
    return (int(o.measure) for o in outcomes if o.counted and o.measure)


class ResultBuilder:
    """Collects outcomes and issues and builds a consistent :class:`IndicatorResult`.

    Indicator functions use it so that the numerator and denominator are always exactly the
    counts of the outcomes they report, and so that the result carries the indicator's
    identity from the registry (id, title, published rounding) and nothing else::

        b = ResultBuilder(three_or_more_placements)  # the registered function, or its spec
        ...
        return b.build(period, {"window": window})

    Args:
        indicator: the registered indicator function (or its
            :class:`~csc_indicators.registry.IndicatorSpec`) whose result this is.
        kind: how the value is formed from the numerator and denominator (default: the
            spec's kind; an activity count passes ``ValueKind.RATE_PER_10K`` when given a
            population).
        keep_outcomes: whether to keep each outcome. ``False`` only tallies the numerator and
            denominator (the same figures, without the per-record breakdown), for summary
            runs; ``None`` (default) keeps them unless the caller is inside
            ``keeping_outcomes(False)``, as :func:`~csc_indicators.scorecard` is in summary
            mode. Data issues are always kept.
    """

    __slots__ = ("_d",)

    def __init__(
        self,
        indicator: IndicatorSpec | Callable[..., Any],
        kind: ValueKind | None = None,
        *,
        keep_outcomes: bool | None = None,
    ) -> None:
        # One engine: the decisions of the one period :meth:`build` is given.
        self._d = Decisions(indicator, (), kind, keep_outcomes=keep_outcomes)

    def count(
        self,
        child_id: str,
        record: object,
        met: bool,
        measure: int | float | None = None,
        reason: Reason = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """Add a counted outcome (in the denominator; in the numerator when ``met``). A
        ``reason`` given as a function is called only when the outcome is kept."""
        self._d.count(child_id, record, met, measure, reason, details, periods=_FIRST)

    def exclude(
        self,
        child_id: str,
        record: object,
        reason: Reason,
        measure: int | float | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """Add an outcome left out of the denominator, with the reason why."""
        self._d.exclude(child_id, record, reason, measure, details, periods=_FIRST)

    def issue(
        self, message: str, child_id: str | None = None, record: object = None, kind: str = "data"
    ) -> None:
        """Report a data problem."""
        self._d.issue(message, child_id, record, kind, periods=_FIRST)

    @property
    def keep(self) -> bool:
        """Whether outcomes are kept (else only the figures are tallied)."""
        return self._d.keep

    @property
    def spec(self) -> IndicatorSpec:
        """The registry entry of the indicator being built."""
        return self._d.spec

    def build(self, period: Period, parameters: Mapping[str, object]) -> IndicatorResult:
        """The result: the indicator's id, title and published rounding from its spec,
        numerator and denominator derived from the outcomes."""
        self._d.periods = (period,)
        return self._d.results(parameters)[0]
