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
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING

from .periods import Period
from .records._trusted import trusted_maker
from .results import (
    DataIssue,
    FrozenMap,
    IndicatorResult,
    Outcome,
    RecordFields,
    ValueKind,
    _frozen_mapping,
    record_fields,
)

if TYPE_CHECKING:
    from .decisions import Decisions
    from .registry import IndicatorSpec

__all__ = [
    "GroupTallies",
    "OutcomeColumns",
    "Reason",
    "ResultBuilder",
    "bare_outcome",
    "counted_outcome",
    "counted_outcomes",
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


_Setter = Callable[[object, object], None]


def _slot_setters() -> tuple[
    _Setter, _Setter, _Setter, _Setter, _Setter, _Setter, _Setter, _Setter
]:
    """The setters of an :class:`Outcome`'s slots (child id, record, counted, met, measure,
    reason, details) and of a :class:`FrozenMap`'s mapping: for builders that fill new
    objects from values they know valid, without running a converter or validator."""
    a = Outcome.__dict__
    return (
        a["child_id"].__set__,
        a["record"].__set__,
        a["counted"].__set__,
        a["met"].__set__,
        a["measure"].__set__,
        a["reason"].__set__,
        a["details"].__set__,
        FrozenMap.__dict__["_data"].__set__,
    )


def _counted_maker() -> Callable[
    [str, object, bool, int | float | None, str | None, dict[str, object]], Outcome
]:
    new = object.__new__
    child, record, counted, met, measure, reason, details, held = _slot_setters()

    def counted_outcome(
        child_id: str,
        rec: object,
        is_met: bool,
        value: int | float | None,
        why: str | None,
        more: dict[str, object],
    ) -> Outcome:
        o = new(Outcome)
        child(o, child_id)
        record(o, rec)
        counted(o, True)
        met(o, is_met)
        measure(o, value)
        reason(o, why)
        if more:
            m = new(FrozenMap)
            held(m, more)
            details(o, m)
        else:
            details(o, _EMPTY)
        return o

    return counted_outcome


counted_outcome = _counted_maker()
"""``Outcome(child_id, record, True, met, measure, reason, details)``, a counted outcome, from
values the caller knows valid and a ``details`` dict it has just made and never changes (held
as the outcome's read-only mapping, not copied): no converter or validator is run, in one call.
For an indicator's loop over many records (:meth:`.Decisions.add_outcomes`)."""


_BLOCK = 1024
"""Outcomes built at a time by :func:`counted_outcomes`."""


def _counted_columns_maker() -> Callable[
    [
        Sequence[str],
        Sequence[object],
        Sequence[bool],
        Sequence[int | float | None],
        Sequence[str | None],
        Sequence[dict[str, object]] | type[RecordFields],
    ],
    list[Outcome],
]:
    new = object.__new__
    child, record, counted, met, measure, reason, details, held = _slot_setters()
    of_record = RecordFields.__dict__["_record"].__set__
    drain = deque[None](maxlen=0).extend  # runs an iterator to its end, keeping nothing

    def counted_outcomes(
        child_ids: Sequence[str],
        records: Sequence[object],
        is_met: Sequence[bool],
        values: Sequence[int | float | None],
        whys: Sequence[str | None],
        more: Sequence[dict[str, object]] | type[RecordFields],
    ) -> list[Outcome]:
        n = len(child_ids)
        kind: type[FrozenMap]
        dicts: Sequence[dict[str, object]] | None
        if isinstance(more, type):  # the details are the records' own fields
            kind, dicts = more, None
        else:
            kind, dicts = FrozenMap, more
        if not len(records) == len(is_met) == len(values) == len(whys) == n or (
            dicts is not None and len(dicts) != n
        ):
            raise ValueError("counted_outcomes: columns of different lengths")
        made: list[Outcome] = []
        # One field of every outcome at a time: the loops run in C, a call per field and
        # outcome but no Python frame. By blocks of outcomes, so that the records and child
        # ids a block touches stay in the processor's caches from one field to the next
        # (on 25,000 outcomes, about 40% less than all at once).
        for lo in range(0, n, _BLOCK):
            hi = min(lo + _BLOCK, n)
            k = hi - lo
            part = list(map(new, repeat(Outcome, k)))
            rows = records[lo:hi]
            drain(map(child, part, child_ids[lo:hi]))
            drain(map(record, part, rows))
            drain(map(counted, part, repeat(True, k)))
            drain(map(met, part, is_met[lo:hi]))
            drain(map(measure, part, values[lo:hi]))
            drain(map(reason, part, whys[lo:hi]))
            maps = list(map(new, repeat(kind, k)))
            if dicts is None:
                drain(map(of_record, maps, rows))
            else:
                drain(map(held, maps, dicts[lo:hi]))
            drain(map(details, part, maps))
            made += part
        return made

    return counted_outcomes


counted_outcomes = _counted_columns_maker()
"""Many counted outcomes from columns, as :func:`counted_outcome` makes each: the ``i``-th
outcome from the ``i``-th item of every column (``details`` dicts made for them, non-empty,
held as they are; or a :class:`~csc_indicators.results.RecordFields` class, each outcome's
details then read from its record). A bulk build for an indicator's loop that collects its
decisions as columns (:meth:`.Decisions.add_outcomes`): a field of every outcome at a time,
in C."""


_Columns = tuple[list[int], list[str], list[object], list[bool], list[int]]


class OutcomeColumns:
    """Counted decisions whose outcomes are kept, gathered as columns and built in bulk
    (:func:`counted_outcomes`) when :meth:`flush` hands them to a
    :class:`~csc_indicators.decisions.Decisions`: for an indicator's loop, which appends to
    the lists of :meth:`columns` (bound once, before the loop) and flushes whenever a decision
    made another way comes between (decisions stay in order). ``reason`` gives the reason
    text of a measure (made once per distinct measure); ``details`` names the fields of each
    record that are its outcome's details (read from the record when asked for:
    :class:`~csc_indicators.results.RecordFields`)."""

    __slots__ = ("_columns", "_details", "_reason", "_reasons")

    def __init__(self, reason: Callable[[int], str], details: tuple[str, ...]) -> None:
        self._columns: _Columns = ([], [], [], [], [])
        self._reason = reason
        self._reasons: dict[int, str] = {}
        self._details = record_fields(details)

    def columns(self) -> _Columns:
        """The lists to append to, one item each per decision: its day (an ordinal), child
        id, record, whether met and measure (a whole number)."""
        return self._columns

    def __bool__(self) -> bool:
        return bool(self._columns[0])

    def flush(self, d: Decisions) -> None:
        """Build the outcomes gathered, hand them to ``d`` with their figures, and empty the
        lists (the same lists, still bound by the loop)."""
        days, ids, records, met, measures = self._columns
        reasons = self._reasons
        for measure in set(measures).difference(reasons):
            reasons[measure] = self._reason(measure)
        whys = list(map(reasons.__getitem__, measures))
        made = counted_outcomes(ids, records, met, measures, whys, self._details)
        d.add_outcomes(days, made, (len(made), met.count(True), sum(measures)))
        for column in self._columns:
            column.clear()


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


# The builder of one period's result is the decisions engine over that one period: defined with
# it (it needs the names above, so it is imported last).
from .decisions import ResultBuilder  # noqa: E402
