"""Decisions placed by one day or pinned to one period, with the methods of a result builder:
:class:`Placed`, made by :meth:`~csc_indicators.decisions.Decisions.at` and
:meth:`~csc_indicators.decisions.Decisions.for_period` (and exported from
:mod:`csc_indicators.decisions`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .builder import Reason

if TYPE_CHECKING:
    from .decisions import Decisions
    from .registry import IndicatorSpec

__all__ = ["Placed"]


class Placed:
    """Decisions placed by one day or pinned to some periods (:meth:`.Decisions.at`,
    :meth:`.Decisions.for_period`, :meth:`.Decisions.pinned`), with the methods of a
    :class:`~csc_indicators.results.ResultBuilder` (``count``, ``exclude``, ``issue``), so that
    code written for one period can make them."""

    __slots__ = ("_day", "_n", "_of", "_ordinal", "_pins", "_wrong")

    def __init__(
        self,
        of: Decisions,
        *,
        day: _dt.date | None = None,
        n: int | None = None,
        periods: Iterable[int] | None = None,
    ) -> None:
        self._of = of
        self._day = day
        if n is not None:
            periods = (n,)
        self._n = None if periods is None else tuple(dict.fromkeys(periods))  # each period once
        self._ordinal = -1 if day is None else day.toordinal()
        self._pins: tuple[int, ...] = () if self._n is None else self._n
        # Why no decision can be placed here (as Decisions.count would say), if so.
        self._wrong: str | None = None
        if day is not None and self._n is not None:
            self._wrong = "a decision is placed by day= or by periods=, not both"
        elif day is None and self._n is None:
            self._wrong = "a decision needs day= or periods="

    def place_on(self, day: _dt.date) -> None:
        """Place what comes next by ``day`` instead (decisions placed by day, one sink reused
        from record to record)."""
        if self._n is not None:
            raise ValueError("decisions pinned to periods are not placed by a day")
        self._day = day
        self._ordinal = day.toordinal()
        self._wrong = None

    @property
    def keep(self) -> bool:
        """Whether outcomes are kept."""
        return self._of.keep

    @property
    def spec(self) -> IndicatorSpec:
        """The registry entry of the indicator."""
        return self._of.spec

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
        of = self._of
        o = self._ordinal
        if o >= 0 and not of._collect and self._wrong is None:  # the hot path
            t = of._sum
            t.cdays.append(o)
            if met and t.metric:
                t.mdays.append(o)
            if measure and t.mean:
                t.tdays.append(o)
                t.tvals.append(int(measure))
            return
        if self._wrong is not None:
            raise ValueError(self._wrong)
        if o >= 0:  # a breakdown's tallied by the child's group, when it is known
            of.count(child_id, record, met, measure, reason, details, day=self._day)
            return
        of._put(self._ordinal, self._pins, child_id, record, True, met, measure, reason, details)

    def exclude(
        self,
        child_id: str,
        record: object,
        reason: Reason,
        measure: int | float | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """An outcome left out of the denominator."""
        if not reason:
            raise ValueError("an outcome that is not counted must carry a reason")
        if self._wrong is not None:
            raise ValueError(self._wrong)
        if not self._of._keep:
            return  # an exclusion changes no figure
        self._of._put(
            self._ordinal, self._pins, child_id, record, False, False, measure, reason, details
        )

    def issue(
        self, message: str, child_id: str | None = None, record: object = None, kind: str = "data"
    ) -> None:
        """A data problem, reported where the decisions are placed."""
        self._of.issue(message, child_id, record, kind, day=self._day, periods=self._n)
