"""The result builder: how an indicator function collects its outcomes and issues and builds
a consistent :class:`~csc_indicators.results.IndicatorResult` (numerator and denominator always
the counts of the outcomes reported; identity from the registry).

:func:`keeping_outcomes` switches builders to tallying only (the scorecard's summary mode), or
(``bare=True``) to keeping bare outcomes: each record's child, record and figures, without
reason or details (what a breakdown's figures need).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .periods import Period
from .records._trusted import trusted_maker
from .results import DataIssue, IndicatorResult, Outcome, ValueKind, _frozen_mapping

if TYPE_CHECKING:
    from .registry import IndicatorSpec

__all__ = [
    "GroupTallies",
    "Reason",
    "ResultBuilder",
    "bare_outcome",
    "keeping_outcomes",
    "make_result",
    "outcome",
]

Reason = str | Callable[[], str] | None
"""A reason text, or a function giving it (called only when the outcome is kept)."""


_KEEP_OUTCOMES: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "csc_indicators_keep_outcomes", default=True
)
_BARE_OUTCOMES: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "csc_indicators_bare_outcomes", default=False
)

_GROUP_TALLIES: contextvars.ContextVar[GroupTallies | None] = contextvars.ContextVar(
    "csc_indicators_group_tallies", default=None
)

_EMPTY = _frozen_mapping(None)
_outcome: Callable[..., Outcome] = trusted_maker(Outcome)
"""``Outcome(...)`` without its converter and validator: the builders check and convert."""


def outcome(
    child_id: str,
    record: object,
    counted: bool,
    met: bool,
    measure: int | float | None,
    reason: Reason,
    details: Mapping[str, object] | None,
) -> Outcome:
    """The outcome ``Outcome(...)`` builds, its reason formatted when given as a function;
    checked as the class checks it, built faster.

    Raises:
        ValueError: an outcome not counted without a reason, or not counted but met.
    """
    if callable(reason):
        reason = reason()
    if not counted:
        if not reason:
            raise ValueError("an outcome that is not counted must carry a reason")
        if met:
            raise ValueError("an outcome that is not counted cannot be met")
    return _outcome(child_id, record, counted, met, measure, reason, _frozen_mapping(details))


def bare_outcome(
    child_id: str, record: object, counted: bool, met: bool, measure: int | float | None
) -> Outcome:
    """A bare outcome: the child, the record and the figures, without reason or details.

    Only for figures by group (a breakdown without outcomes): never shown, and an outcome not
    counted has no reason here, which ``Outcome(...)`` would refuse."""
    return _outcome(child_id, record, counted, met, measure, None, _EMPTY)


Tally = list[int]
"""A group's figures: counted, met, total measure."""


class GroupTallies:
    """The counted decisions of some children tallied by group as they are made, for a
    breakdown whose group of each of these children is known beforehand (a lookup's undated
    rows): no outcome is kept for them.

    Within ``keeping_outcomes(False, bare=True, tallies=...)``, the builders tally the counted
    decisions of the children :attr:`fixed` names by their group, keep bare outcomes of the
    counted decisions of the others, and hold each result's tallies here (:meth:`take`).

    Args:
        fixed: the group of each child whose group holds whatever the date and the record.
    """

    __slots__ = ("_held", "fixed")

    def __init__(self, fixed: Mapping[str, str]) -> None:
        self.fixed = fixed
        self._held: dict[int, tuple[IndicatorResult, dict[str, Tally]]] = {}

    def hold(self, result: IndicatorResult, tallies: dict[str, Tally]) -> None:
        """The tallies of ``result``, as its builder built it."""
        self._held[id(result)] = (result, tallies)

    def holds(self, result: IndicatorResult) -> bool:
        """Whether a builder built ``result`` within the block (a result made otherwise, or
        changed since, has outcomes of the children of :attr:`fixed` neither kept nor
        tallied here)."""
        got = self._held.get(id(result))
        return got is not None and got[0] is result

    def take(self, result: IndicatorResult) -> dict[str, Tally] | None:
        """The tallies of ``result`` (``None`` unless :meth:`holds`), forgotten here."""
        if not self.holds(result):
            return None
        return self._held.pop(id(result))[1]

    def clear(self) -> None:
        """Forget every result held."""
        self._held.clear()


@contextlib.contextmanager
def keeping_outcomes(
    keep: bool, *, bare: bool = False, tallies: GroupTallies | None = None
) -> Iterator[None]:
    """Within the block, :class:`ResultBuilder` objects made without ``keep_outcomes`` keep
    their outcomes only when ``keep`` is true (the scorecard's summary mode uses ``False``).

    ``bare`` keeps bare outcomes (:func:`bare_outcome`: no reason formatted, no details),
    for figures by group, which need each outcome's child and record only: with ``keep``
    every outcome, else (indicator code then runs in summary mode) the counted ones only,
    and with ``tallies`` (:class:`GroupTallies`) not even those of the children whose group
    is known beforehand: their figures are tallied by group instead.
    """
    token = _KEEP_OUTCOMES.set(keep)
    bare_token = _BARE_OUTCOMES.set(bare)
    tallies_token = _GROUP_TALLIES.set(tallies if bare and not keep else None)
    try:
        yield
    finally:
        _GROUP_TALLIES.reset(tallies_token)
        _BARE_OUTCOMES.reset(bare_token)
        _KEEP_OUTCOMES.reset(token)


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

    __slots__ = (
        "_bare",
        "_counted",
        "_groups",
        "_issues",
        "_keep",
        "_kind",
        "_met",
        "_outcomes",
        "_spec",
        "_tallies",
        "_total",
    )

    def __init__(
        self,
        indicator: IndicatorSpec | Callable[..., Any],
        kind: ValueKind | None = None,
        *,
        keep_outcomes: bool | None = None,
    ) -> None:
        from .registry import spec_of

        self._spec = spec_of(indicator)
        self._kind = self._spec.kind if kind is None else kind
        self._keep = _KEEP_OUTCOMES.get() if keep_outcomes is None else keep_outcomes
        # Bare outcomes (of every decision when kept, else of the counted ones only).
        self._bare = keep_outcomes is None and _BARE_OUTCOMES.get()
        # Counted decisions tallied by group (GroupTallies), for the children it names.
        self._tallies = _GROUP_TALLIES.get() if self._bare and not self._keep else None
        self._groups: dict[str, Tally] = {}
        self._outcomes: list[Outcome] = []
        self._issues: list[DataIssue] = []
        self._counted = 0
        self._met = 0
        self._total = 0

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
        if self._keep:
            if self._bare:
                self._outcomes.append(_outcome(child_id, record, True, met, measure, None, _EMPTY))
                return
            if callable(reason):
                reason = reason()
            self._outcomes.append(
                _outcome(child_id, record, True, met, measure, reason, _frozen_mapping(details))
            )
            return
        if self._bare:
            tallies = self._tallies
            group = None if tallies is None else tallies.fixed.get(child_id)
            if group is None:
                self._outcomes.append(_outcome(child_id, record, True, met, measure, None, _EMPTY))
            else:
                tally = self._groups.get(group)
                if tally is None:
                    tally = self._groups[group] = [0, 0, 0]
                tally[0] += 1
                if met:
                    tally[1] += 1
                if measure:
                    tally[2] += int(measure)
        self._counted += 1
        if met:
            self._met += 1
        if measure:
            self._total += int(measure)

    def exclude(
        self,
        child_id: str,
        record: object,
        reason: Reason,
        measure: int | float | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """Add an outcome left out of the denominator, with the reason why."""
        if self._keep and not self._bare:
            self._outcomes.append(outcome(child_id, record, False, False, measure, reason, details))
            return
        if not reason:
            raise ValueError("an outcome that is not counted must carry a reason")
        if self._keep:  # bare
            self._outcomes.append(_outcome(child_id, record, False, False, measure, None, _EMPTY))

    def issue(
        self, message: str, child_id: str | None = None, record: object = None, kind: str = "data"
    ) -> None:
        """Report a data problem."""
        self._issues.append(DataIssue(message, child_id, record, kind))

    @property
    def keep(self) -> bool:
        """Whether outcomes are kept (else only the figures are tallied)."""
        return self._keep

    @property
    def spec(self) -> IndicatorSpec:
        """The registry entry of the indicator being built."""
        return self._spec

    def build(self, period: Period, parameters: Mapping[str, object]) -> IndicatorResult:
        """The result: the indicator's id, title and published rounding from its spec,
        numerator and denominator derived from the outcomes."""
        outcomes = self._outcomes
        if self._keep:
            denominator = met = total = 0
            for o in outcomes:
                if o.counted:
                    denominator += 1
                    if o.met:
                        met += 1
                    if o.measure:
                        total += int(o.measure)
        else:
            denominator, met, total = self._counted, self._met, self._total
        result = make_result(
            self._spec,
            self._kind,
            period,
            parameters,
            denominator=denominator,
            met=met,
            total=total,
            outcomes=tuple(outcomes),
            issues=tuple(self._issues),
        )
        if self._tallies is not None:
            self._tallies.hold(result, self._groups)
        return result


def make_result(
    spec: IndicatorSpec,
    kind: ValueKind,
    period: Period,
    parameters: Mapping[str, object],
    *,
    denominator: int,
    met: int,
    total: int,
    outcomes: tuple[Outcome, ...],
    issues: tuple[DataIssue, ...],
) -> IndicatorResult:
    """The result of ``spec`` over ``period`` from its tallies: the numerator is ``total`` for
    a mean, ``denominator`` for a count or a rate, ``met`` otherwise."""
    if kind is ValueKind.MEAN:
        numerator = total
    elif kind in (ValueKind.COUNT, ValueKind.RATE_PER_10K):
        numerator = denominator
    else:
        numerator = met
    return IndicatorResult(
        spec.id,
        spec.title,
        period,
        parameters,
        numerator,
        denominator,
        kind,
        outcomes,
        issues,
        decimals=spec.decimals_for(kind),
    )
