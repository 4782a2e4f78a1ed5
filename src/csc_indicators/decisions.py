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
day, whatever the number of periods.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .builder import _KEEP_OUTCOMES, Reason, make_result
from .periods import Period
from .results import DataIssue, IndicatorResult, Outcome, ValueKind

if TYPE_CHECKING:
    from .registry import IndicatorSpec

__all__ = ["Decisions", "Placed", "Reason", "Sink"]


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
        keep_outcomes: keep the outcomes (default: unless inside ``keeping_outcomes(False)``).
    """

    __slots__ = (
        "_child",
        "_counted",
        "_day",
        "_details",
        "_issues",
        "_keep",
        "_kind",
        "_measure",
        "_met",
        "_pinned",
        "_reason",
        "_record",
        "_spec",
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
        self._keep = _KEEP_OUTCOMES.get() if keep_outcomes is None else keep_outcomes
        self.periods: tuple[Period, ...] = tuple(periods)
        """The periods, in the order of the results."""
        # One entry per decision: its day (an ordinal; -1 when pinned to periods).
        self._day: list[int] = []
        self._counted: list[bool] = []
        self._met: list[bool] = []
        self._measure: list[int | float | None] = []
        self._child: list[str] = []
        self._record: list[object] = []
        self._reason: list[Reason] = []
        self._details: list[Mapping[str, object] | None] = []
        # Decisions pinned to periods: period position -> decision positions.
        self._pinned: dict[int, list[int]] = {}
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

    def _where(self, day: _dt.date | None, periods: Iterable[int] | None) -> int:
        n = len(self._day)
        if periods is not None:
            if day is not None:
                raise ValueError("a decision is placed by day= or by periods=, not both")
            for i in dict.fromkeys(periods):  # each period once
                self._pinned.setdefault(i, []).append(n)
            return -1
        if day is None:
            raise ValueError("a decision needs day= or periods=")
        return day.toordinal()

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
        self._day.append(self._where(day, periods))
        self._counted.append(True)
        self._met.append(met)
        self._measure.append(measure)
        if self._keep:
            self._child.append(child_id)
            self._record.append(record)
            self._reason.append(reason)
            self._details.append(details)

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
        self._day.append(self._where(day, periods))
        self._counted.append(False)
        self._met.append(False)
        self._measure.append(measure)
        if self._keep:
            self._child.append(child_id)
            self._record.append(record)
            self._reason.append(reason)
            self._details.append(details)

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

    def at(self, day: _dt.date) -> Placed:
        """Decisions held by every period holding ``day``, made with the methods of a
        :class:`~csc_indicators.results.ResultBuilder`."""
        return Placed(self, day=day)

    def results(self, parameters: Mapping[str, object]) -> list[IndicatorResult]:
        """One result per period, in order, each as if computed over that period alone."""
        days = self._day
        counted, met, measure = self._counted, self._met, self._measure
        dated = sorted((d, i) for i, d in enumerate(days) if d >= 0)
        keys = [d for d, _ in dated]
        order = [i for _, i in dated]
        run_counted = [0]
        run_met = [0]
        run_total = [0]
        c = m = t = 0
        for i in order:
            if counted[i]:
                c += 1
                if met[i]:
                    m += 1
                t += int(measure[i] or 0)
            run_counted.append(c)
            run_met.append(m)
            run_total.append(t)
        out: list[IndicatorResult] = []
        for n, period in enumerate(self.periods):
            lo = bisect.bisect_left(keys, period.start.toordinal())
            hi = bisect.bisect_right(keys, period.end.toordinal())
            d = run_counted[hi] - run_counted[lo]
            k = run_met[hi] - run_met[lo]
            total = run_total[hi] - run_total[lo]
            pinned = self._pinned.get(n, ())
            for i in pinned:
                if counted[i]:
                    d += 1
                    if met[i]:
                        k += 1
                    total += int(measure[i] or 0)
            outcomes: tuple[Outcome, ...] = ()
            if self._keep:
                chosen = sorted([*order[lo:hi], *pinned])
                outcomes = tuple(self._outcome(i) for i in chosen)
            out.append(
                make_result(
                    self._spec,
                    self._kind,
                    period,
                    parameters,
                    denominator=d,
                    met=k,
                    total=total,
                    outcomes=outcomes,
                    issues=self._issues_in(n, period),
                )
            )
        return out

    def _outcome(self, i: int) -> Outcome:
        reason = self._reason[i]
        if callable(reason):
            reason = reason()
        details = self._details[i]
        return Outcome(
            self._child[i],
            self._record[i],
            self._counted[i],
            self._met[i],
            self._measure[i],
            reason,
            details if details is not None else {},
        )

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


class Placed:
    """Decisions placed by one day or pinned to one period (:meth:`Decisions.at`,
    :meth:`Decisions.for_period`), with the methods of a
    :class:`~csc_indicators.results.ResultBuilder` (``count``, ``exclude``, ``issue``), so that
    code written for one period can make them."""

    __slots__ = ("_day", "_n", "_of")

    def __init__(self, of: Decisions, *, day: _dt.date | None = None, n: int | None = None) -> None:
        self._of = of
        self._day = day
        self._n = n

    @property
    def keep(self) -> bool:
        """Whether outcomes are kept."""
        return self._of.keep

    @property
    def spec(self) -> IndicatorSpec:
        """The registry entry of the indicator."""
        return self._of.spec

    def _periods(self) -> tuple[int, ...] | None:
        return None if self._n is None else (self._n,)

    def count(
        self,
        child_id: str,
        record: object,
        met: bool,
        measure: int | float | None = None,
        reason: Reason = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """A counted outcome."""
        self._of.count(
            child_id, record, met, measure, reason, details, day=self._day, periods=self._periods()
        )

    def exclude(
        self,
        child_id: str,
        record: object,
        reason: Reason,
        measure: int | float | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """An outcome left out of the denominator."""
        self._of.exclude(
            child_id, record, reason, measure, details, day=self._day, periods=self._periods()
        )

    def issue(
        self, message: str, child_id: str | None = None, record: object = None, kind: str = "data"
    ) -> None:
        """A data problem, reported where the decisions are placed."""
        self._of.issue(message, child_id, record, kind, day=self._day, periods=self._periods())
