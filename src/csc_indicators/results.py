"""Explainable results: every figure with the record-level outcomes behind it.

An :class:`IndicatorResult` carries the numerator, the denominator and the value of one
indicator over one period, the parameter values used, one :class:`Outcome` per record the
indicator considered (counted or not, met or not, the measure, and a readable reason for every
exclusion) and the :class:`DataIssue` list of problems found in the data (duplicates, overlaps,
dates out of order). Results over the same indicator, period and parameters merge, so work can be
split by child or by authority and combined.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from .errors import ResultMergeError
from .periods import Period

if TYPE_CHECKING:
    from .registry import IndicatorSpec

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


def _frozen_mapping(value: Mapping[str, object] | None) -> Mapping[str, object]:
    if not value:
        return _EMPTY
    if isinstance(value, FrozenMap):
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


_KEEP_OUTCOMES: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "csc_indicators_keep_outcomes", default=True
)


@contextlib.contextmanager
def keeping_outcomes(keep: bool) -> Iterator[None]:
    """Within the block, :class:`ResultBuilder` objects made without ``keep_outcomes`` keep
    their outcomes only when ``keep`` is true (the scorecard's summary mode uses ``False``)."""
    token = _KEEP_OUTCOMES.set(keep)
    try:
        yield
    finally:
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
        "_counted",
        "_issues",
        "_keep",
        "_kind",
        "_met",
        "_outcomes",
        "_spec",
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
        reason: str | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """Add a counted outcome (in the denominator; in the numerator when ``met``)."""
        if self._keep:
            self._outcomes.append(Outcome(child_id, record, True, met, measure, reason, details))
            return
        self._counted += 1
        if met:
            self._met += 1
        if measure:
            self._total += int(measure)

    def exclude(
        self,
        child_id: str,
        record: object,
        reason: str,
        measure: int | float | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """Add an outcome left out of the denominator, with the reason why."""
        if self._keep:
            self._outcomes.append(Outcome(child_id, record, False, False, measure, reason, details))
        elif not reason:
            raise ValueError("an outcome that is not counted must carry a reason")

    def issue(
        self, message: str, child_id: str | None = None, record: object = None, kind: str = "data"
    ) -> None:
        """Report a data problem."""
        self._issues.append(DataIssue(message, child_id, record, kind))

    @property
    def spec(self) -> IndicatorSpec:
        """The registry entry of the indicator being built."""
        return self._spec

    def build(self, period: Period, parameters: Mapping[str, object]) -> IndicatorResult:
        """The result: the indicator's id, title and published rounding from its spec,
        numerator and denominator derived from the outcomes."""
        outcomes = self._outcomes
        if self._keep:
            denominator = sum(1 for o in outcomes if o.counted)
            met = sum(1 for o in outcomes if o.counted and o.met)
            total = sum(int(o.measure or 0) for o in outcomes if o.counted)
        else:
            denominator, met, total = self._counted, self._met, self._total
        if self._kind is ValueKind.MEAN:
            numerator = total
        elif self._kind in (ValueKind.COUNT, ValueKind.RATE_PER_10K):
            numerator = denominator
        else:
            numerator = met
        spec = self._spec
        return IndicatorResult(
            spec.id,
            spec.title,
            period,
            parameters,
            numerator,
            denominator,
            self._kind,
            tuple(outcomes),
            tuple(self._issues),
            decimals=spec.decimals_for(self._kind),
        )


_MEDIAN_METHODS: tuple[MedianMethod, ...] = ("midpoint", "low", "high")


def _median(values: list[int], method: MedianMethod) -> float | None:
    if not values:
        return None
    if method == "midpoint":
        return float(statistics.median(values))
    if method == "low":
        return float(statistics.median_low(values))
    return float(statistics.median_high(values))


@attrs.frozen(slots=True)
class Distribution:
    """How the measures of an indicator's counted outcomes spread over bands, with the median.

    Built by the distribution functions (e.g.
    :func:`~csc_indicators.indicators.assessment_duration_bands`) from the same outcomes as the
    matching percentage indicator: each counted outcome carries its band label in
    ``details["band"]``, so every band count can be traced to its records. Outcomes that are not
    counted (with their reasons) are kept too but are in no band.
    """

    indicator: str
    """The id of the distribution, e.g. ``assessment_duration_bands``."""
    title: str
    """A short title."""
    period: Period
    """The reporting period."""
    parameters: Mapping[str, object] = attrs.field(converter=_frozen_mapping)
    """The parameter values used, by name (bands and median method included)."""
    bands: Mapping[str, int] = attrs.field(converter=_frozen_mapping)
    """Band label to the number of counted outcomes in it, in band order."""
    median: float | None
    """The median measure of the counted outcomes (``None`` when there are none)."""
    outcomes: tuple[Outcome, ...] = attrs.field(default=(), converter=_outcome_tuple)
    """One outcome per record considered, in a stable order."""
    issues: tuple[DataIssue, ...] = attrs.field(default=(), converter=_issue_tuple)
    """Data problems found while computing it."""

    @property
    def total(self) -> int:
        """The number of counted outcomes (the sum of the bands)."""
        return sum(self.bands.values())

    def percentages(self) -> dict[str, float | None]:
        """Each band as a percentage of :attr:`total` (``None`` when the total is 0)."""
        total = self.total
        return {k: (None if total == 0 else 100.0 * v / total) for k, v in self.bands.items()}

    def outcomes_in(self, band: str) -> tuple[Outcome, ...]:
        """The counted outcomes in one band.

        Raises:
            KeyError: no band has that label.
        """
        if band not in self.bands:
            raise KeyError(f"no band is labelled {band!r}")
        return tuple(o for o in self.outcomes if o.counted and o.details.get("band") == band)

    def summary(self) -> dict[str, object]:
        """The headline figures as a plain dict."""
        return {
            "indicator": self.indicator,
            "title": self.title,
            "period": str(self.period),
            "bands": dict(self.bands),
            "total": self.total,
            "median": self.median,
            "parameters": {k: _plain(v) for k, v in self.parameters.items()},
            "excluded": sum(1 for o in self.outcomes if not o.counted),
            "issues": len(self.issues),
        }

    def rows(self) -> list[dict[str, object]]:
        """One plain dict per outcome (see :meth:`IndicatorResult.rows`)."""
        head = {"indicator": self.indicator, "period": str(self.period)}
        return [{**head, **o.to_row()} for o in self.outcomes]

    def to_rows(self) -> list[dict[str, object]]:
        """Deprecated: the old name of :meth:`rows`."""
        return self.rows()

    @classmethod
    def from_result(
        cls,
        result: IndicatorResult,
        indicator: str,
        title: str,
        bands: Iterable[tuple[str, int | None, int | None]],
        *,
        median_method: MedianMethod = "midpoint",
        parameters: Mapping[str, object] | None = None,
    ) -> Distribution:
        """Band the measures of ``result``'s counted outcomes.

        Args:
            result: an indicator result whose counted outcomes have whole-number measures.
            indicator, title: the distribution's id and title.
            bands: ``(label, low, high)`` triples, in order, each starting just after the one
                before; ``low`` ``None`` for an open bottom band (first band only), ``high``
                ``None`` for an open top band (last band only). A measure ``m`` is in the band
                when ``low <= m <= high``.
            median_method: ``"midpoint"`` (the mean of the two middle values when the count is
                even, as :func:`statistics.median`), ``"low"`` or ``"high"`` (the lower or
                higher middle value, always a measure that occurs).
            parameters: recorded as the distribution's parameters (``result.parameters`` with
                ``bands`` and ``median_method`` added when ``None``).

        Raises:
            ValueError: bands that are empty, overlap or leave gaps, an unknown median method,
                or a counted measure that falls in no band.
        """
        if median_method not in _MEDIAN_METHODS:
            raise ValueError(
                f"median_method must be one of {', '.join(_MEDIAN_METHODS)}, got {median_method!r}"
            )
        table = tuple(bands)
        if not table:
            raise ValueError("at least one band is needed")
        for i, ((label, low, high), nxt) in enumerate(zip(table, (*table[1:], None), strict=True)):
            if low is None and i > 0:
                raise ValueError(f"only the first band may be open at the bottom ({label!r})")
            if high is not None and low is not None and high < low:
                raise ValueError(f"band {label!r} ends before it starts")
            if nxt is not None and (high is None or nxt[1] is None or nxt[1] != high + 1):
                raise ValueError(f"band {nxt[0]!r} does not start just after band {label!r}")
        counts = {label: 0 for label, _, _ in table}
        outcomes: list[Outcome] = []
        measures: list[int] = []
        for o in result.outcomes:
            if not o.counted:
                outcomes.append(o)
                continue
            m = o.measure
            if not isinstance(m, int):
                raise ValueError(f"a counted outcome has no whole-number measure: {o!r}")
            band = next(
                (
                    lb
                    for lb, low, high in table
                    if (low is None or low <= m) and (high is None or m <= high)
                ),
                None,
            )
            if band is None:
                raise ValueError(f"measure {m} falls in no band")
            counts[band] += 1
            measures.append(m)
            outcomes.append(
                Outcome(o.child_id, o.record, True, o.met, m, o.reason, {**o.details, "band": band})
            )
        if parameters is None:
            parameters = {
                **result.parameters,
                "bands": tuple(table),
                "median_method": median_method,
            }
        return cls(
            indicator,
            title,
            result.period,
            parameters,
            counts,
            _median(measures, median_method),
            tuple(outcomes),
            result.issues,
        )
