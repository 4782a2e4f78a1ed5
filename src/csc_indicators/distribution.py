"""Distributions: how the measures of an indicator's counted outcomes spread over bands
(DfE tables C2 and C4), with the median, every band count traceable to its records.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping

import attrs

from .periods import Period
from .results import (
    DataIssue,
    IndicatorResult,
    MedianMethod,
    Outcome,
    _frozen_mapping,
    _issue_tuple,
    _outcome_tuple,
    _plain,
)

__all__ = ["Distribution"]


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
