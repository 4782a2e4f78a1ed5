"""Explainable results: every figure with the record-level outcomes behind it.

An :class:`IndicatorResult` carries the numerator, the denominator and the value of one
indicator over one period, the parameter values used, one :class:`Outcome` per record the
indicator considered (counted or not, met or not, the measure, and a readable reason for every
exclusion) and the :class:`DataIssue` list of problems found in the data (duplicates, overlaps,
dates out of order). Results over the same indicator, period and parameters merge, so work can be
split by child or by authority and combined.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from .errors import ResultMergeError
from .periods import Period

if TYPE_CHECKING:
    pass

__all__ = [
    "DataIssue",
    "Distribution",
    "FrozenMap",
    "IndicatorResult",
    "MedianMethod",
    "Outcome",
    "Polarity",
    "ResultBuilder",
    "ValueKind",
    "keeping_outcomes",
    "round_half_up",
]

MedianMethod = Literal["midpoint", "low", "high"]
"""How :class:`Distribution` takes the median of an even number of measures."""


class FrozenMap(Mapping[str, object]):
    """A read-only mapping that pickles (results travel between worker processes)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, object] | None = None) -> None:
        self._data: dict[str, object] = dict(data) if data else {}

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, object]]]:
        return (FrozenMap, (self._data,))


_EMPTY: Mapping[str, object] = FrozenMap()


class RecordFields(FrozenMap):
    """A :class:`FrozenMap` of some fields of one record, read from the record itself when
    asked for (no dict is made per record): the details of outcomes built in bulk whose
    details are the record's own values (dates, say). Equal to, shown as and pickled as the
    ``FrozenMap`` of the same values. Made by :func:`record_fields`, a subclass per tuple of
    field names."""

    __slots__ = ("_record",)
    _names: tuple[str, ...] = ()

    def __init__(self, record: object) -> None:
        self._record = record

    def _dict(self) -> dict[str, object]:
        record = self._record
        return {name: getattr(record, name) for name in self._names}

    def __getitem__(self, key: str) -> object:
        if key in self._names:
            return getattr(self._record, key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"FrozenMap({self._dict()!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, object]]]:
        return (FrozenMap, (self._dict(),))


_RECORD_FIELDS: dict[tuple[str, ...], type[RecordFields]] = {}


def record_fields(names: tuple[str, ...]) -> type[RecordFields]:
    """The :class:`RecordFields` class of the fields ``names`` (in that order), made once."""
    got = _RECORD_FIELDS.get(names)
    if got is None:
        if not names:
            raise ValueError("record_fields: no field names")
        got = _RECORD_FIELDS[names] = type(
            "RecordFields", (RecordFields,), {"__slots__": (), "_names": names}
        )
    return got


def _frozen_mapping(value: Mapping[str, object] | None) -> Mapping[str, object]:
    if not value:
        return _EMPTY
    kind = type(value)
    if kind is FrozenMap:
        return value
    if kind is not dict and isinstance(value, FrozenMap):  # (an ABC check: slow for a dict)
        return value
    return FrozenMap(value)


class ValueKind(enum.Enum):
    """How an indicator's value is formed from its numerator and denominator."""

    PERCENTAGE = "percentage"
    """``100 * numerator / denominator``; ``None`` when the denominator is 0."""
    MEAN = "mean"
    """``numerator / denominator`` (the numerator is a sum of measures, e.g. days)."""
    COUNT = "count"
    """The numerator itself (an activity count)."""
    RATE_PER_10K = "rate per 10,000"
    """``10000 * numerator / population``, the population being a parameter."""

    def __str__(self) -> str:
        return self.value


class Polarity(enum.Enum):
    """Whether a higher value is better, worse, or neither (context only)."""

    HIGHER_IS_BETTER = "higher is better"
    LOWER_IS_BETTER = "lower is better"
    CONTEXT = "context"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True)
class DataIssue:
    """A problem found in the data: reported, never silently repaired.

    Indicators report duplicates, overlaps and dates out of order here; readers in lenient mode
    report every value they could not load, with its place in the file.
    """

    message: str
    """What is wrong, in words an analyst can act on."""
    child_id: str | None = None
    """The child concerned, when known."""
    record: object = attrs.field(default=None, eq=False, hash=False)
    """The record concerned, when there is one."""
    kind: str = "data"
    """A short category: ``duplicate``, ``overlap``, ``date order``, ``unknown code``, ..."""
    location: str | None = None
    """Where in a source file (``path:line`` or an element path), for readers."""
    field: str | None = None
    """The field concerned, when known."""
    value: object = attrs.field(default=None, eq=False, hash=False)
    """The offending value, when known."""

    def __reduce__(self) -> tuple[type[DataIssue], tuple[object, ...]]:
        # As Outcome: a call with the field values pickles far faster than the slot state.
        return (
            DataIssue,
            (
                self.message,
                self.child_id,
                self.record,
                self.kind,
                self.location,
                self.field,
                self.value,
            ),
        )

    def __str__(self) -> str:
        parts = [p for p in (self.location, self.child_id and f"child {self.child_id}") if p]
        prefix = f"{', '.join(parts)}: " if parts else ""
        return f"{prefix}{self.message}"


def _check_reason(
    instance: Outcome, attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if not instance.counted:
        if not value:
            raise ValueError("an outcome that is not counted must carry a reason")
        if instance.met:
            raise ValueError("an outcome that is not counted cannot be met")


@attrs.frozen(slots=True)
class Outcome:
    """What an indicator decided about one record.

    ``counted`` says whether the record is in the denominator; ``met`` whether it is in the
    numerator (always ``False`` when not counted). ``measure`` is the quantity compared with the
    target (working days, calendar days, a number of placements), when there is one. ``reason``
    is required when the record is not counted and may explain a counted outcome too.
    ``details`` holds further values an analyst needs to check the decision (e.g. the date of
    the previous referral).
    """

    child_id: str
    record: object = attrs.field(hash=False)
    counted: bool
    met: bool
    measure: int | float | None = None
    reason: str | None = attrs.field(default=None, validator=_check_reason)
    details: Mapping[str, object] = attrs.field(
        default=_EMPTY, converter=_frozen_mapping, hash=False
    )

    def __reduce__(self) -> tuple[type[Outcome], tuple[object, ...]]:
        # Pickled as a call with the field values: several times faster than attrs' generic
        # slot state, and outcomes travel back from worker processes by the hundred thousand.
        return (
            Outcome,
            (
                self.child_id,
                self.record,
                self.counted,
                self.met,
                self.measure,
                self.reason,
                self.details,
            ),
        )

    def to_row(self) -> dict[str, object]:
        """A flat dict: the outcome's fields, the record's fields, then the details."""
        row: dict[str, object] = {
            "child_id": self.child_id,
            "counted": self.counted,
            "met": self.met,
            "measure": self.measure,
            "reason": self.reason or "",
            "record_type": type(self.record).__name__,
        }
        record = self.record
        if attrs.has(type(record)):
            for a in attrs.fields(cast("type[attrs.AttrsInstance]", type(record))):
                if a.name != "child_id":
                    row.setdefault(a.name, getattr(record, a.name))
        row.update(self.details)
        return row


def _outcome_tuple(value: Iterable[Outcome]) -> tuple[Outcome, ...]:
    return tuple(value)


def _issue_tuple(value: Iterable[DataIssue]) -> tuple[DataIssue, ...]:
    return tuple(value)


def _percentage(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else 100.0 * numerator / denominator


def _round_half_up(value: float, places: int) -> float:
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def round_half_up(value: float, decimals: int) -> float | int:
    """``value`` to ``decimals`` places, halves rounded up (away from zero), as DfE
    publishes: an ``int`` when ``decimals`` is 0 (``66.5`` gives ``67``), a ``float``
    otherwise (``78.45`` to 1 place gives ``78.5``). The decimal text of the float is rounded,
    so ``2.675`` gives ``2.68``, not the ``2.67`` of :func:`round`."""
    if decimals == 0:
        return int(_round_half_up(value, 0))
    return _round_half_up(value, decimals)


@attrs.frozen(slots=True)
class IndicatorResult:
    """One indicator's figure over one period, with the outcome of every record behind it."""

    indicator: str
    """The indicator's id in :data:`csc_indicators.INDICATORS`."""
    title: str
    """The indicator's title."""
    period: Period
    """The reporting period."""
    parameters: Mapping[str, object] = attrs.field(converter=_frozen_mapping)
    """The parameter values used, by name (defaults included)."""
    numerator: int
    """Outcomes met (or, for a mean, the sum of the counted measures)."""
    denominator: int
    """Outcomes counted."""
    kind: ValueKind = ValueKind.PERCENTAGE
    """How :attr:`value` is formed."""
    outcomes: tuple[Outcome, ...] = attrs.field(default=(), converter=_outcome_tuple)
    """One outcome per record considered, in a stable order (by child, then date)."""
    issues: tuple[DataIssue, ...] = attrs.field(default=(), converter=_issue_tuple)
    """Data problems found while computing the figure."""
    decimals: int = attrs.field(kw_only=True, validator=attrs.validators.ge(0))
    """The decimal places the value is published to (from the indicator's spec, for
    :attr:`kind`): :attr:`rounded_value` rounds to them."""

    @property
    def value(self) -> float | None:
        """The figure: a percentage, a mean, a count or a rate, by :attr:`kind`.

        ``None`` when it is undefined (denominator 0, or a rate with no population).
        """
        if self.kind is ValueKind.PERCENTAGE:
            return _percentage(self.numerator, self.denominator)
        if self.kind is ValueKind.MEAN:
            return None if self.denominator == 0 else self.numerator / self.denominator
        if self.kind is ValueKind.COUNT:
            return float(self.numerator)
        population = self.parameters.get("population")
        if not isinstance(population, int) or population <= 0:
            return None
        return 10000.0 * self.numerator / population

    @property
    def rounded_value(self) -> float | int | None:
        """The value as published: to :attr:`decimals` places, halves rounded up; an ``int``
        when :attr:`decimals` is 0 (looked-after percentages, means in days, counts), a
        ``float`` otherwise (children-in-need percentages, rates per 10,000)."""
        v = self.value
        if v is None:
            return None
        if self.kind is ValueKind.COUNT:
            return self.numerator
        return round_half_up(v, self.decimals)

    def counted_outcomes(self) -> tuple[Outcome, ...]:
        """The outcomes in the denominator."""
        return tuple(o for o in self.outcomes if o.counted)

    def excluded_outcomes(self) -> tuple[Outcome, ...]:
        """The outcomes left out of the denominator, each with its reason."""
        return tuple(o for o in self.outcomes if not o.counted)

    def outcomes_for(self, child_id: str) -> tuple[Outcome, ...]:
        """The outcomes of one child."""
        return tuple(o for o in self.outcomes if o.child_id == child_id)

    def merge(self, other: IndicatorResult) -> IndicatorResult:
        """Combine two results over disjoint sets of children or authorities.

        Numerators and denominators add, outcomes and issues concatenate.

        Raises:
            ResultMergeError: the indicator, period, kind or parameters differ.
        """
        for name in ("indicator", "period", "kind", "decimals", "parameters"):
            if getattr(self, name) != getattr(other, name):
                raise ResultMergeError(
                    f"cannot merge results with different {name}: "
                    f"{getattr(self, name)!r} and {getattr(other, name)!r}"
                )
        return attrs.evolve(
            self,
            numerator=self.numerator + other.numerator,
            denominator=self.denominator + other.denominator,
            outcomes=self.outcomes + other.outcomes,
            issues=self.issues + other.issues,
        )

    def __add__(self, other: IndicatorResult) -> IndicatorResult:
        if not isinstance(other, IndicatorResult):
            return NotImplemented
        return self.merge(other)

    @classmethod
    def combine(cls, results: Iterable[IndicatorResult]) -> IndicatorResult:
        """Merge any number of results (at least one) with :meth:`merge`."""
        it = iter(results)
        try:
            total = next(it)
        except StopIteration:
            raise ValueError("combine needs at least one result") from None
        for r in it:
            total = total.merge(r)
        return total

    def summary(self) -> dict[str, object]:
        """The headline figures as a plain dict."""
        return {
            "indicator": self.indicator,
            "title": self.title,
            "period": str(self.period),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "rounded_value": self.rounded_value,
            "kind": str(self.kind),
            "parameters": {k: _plain(v) for k, v in self.parameters.items()},
            "excluded": sum(1 for o in self.outcomes if not o.counted),
            "issues": len(self.issues),
        }

    def rows(self) -> list[dict[str, object]]:
        """One plain dict per outcome, for a CSV file or a DataFrame.

        Each row starts with ``indicator`` and ``period``, then the outcome's fields, the
        record's fields and the outcome's details.
        """
        head = {"indicator": self.indicator, "period": str(self.period)}
        return [{**head, **o.to_row()} for o in self.outcomes]

    def to_rows(self) -> list[dict[str, object]]:
        """Deprecated: the old name of :meth:`rows`."""
        return self.rows()

    def __str__(self) -> str:
        v = self.rounded_value
        shown = "n/a" if v is None else (f"{v}%" if self.kind is ValueKind.PERCENTAGE else str(v))
        return f"{self.title} ({self.period}): {shown} [{self.numerator}/{self.denominator}]"


def _plain(value: object) -> Any:
    """A JSON-friendly form of a parameter value."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


# The builder and the distributions live in their own modules; they are importable from here
# too, as the indicator modules (and earlier versions) import them.
from .builder import ResultBuilder, keeping_outcomes  # noqa: E402
from .distribution import Distribution  # noqa: E402
