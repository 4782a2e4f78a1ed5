"""The typed table of a series: one :class:`SeriesCell` per indicator, period and group."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import attrs

from ..periods import Period
from ..results import DataIssue, Outcome, ValueKind

__all__ = ["CellStatus", "Series", "SeriesCell"]

CellStatus = Literal["computed", "not computed"]
"""Whether a cell has a figure."""


@attrs.frozen(slots=True)
class SeriesCell:
    """One indicator over one period (and one group of a breakdown)."""

    indicator: str
    """The indicator's id."""
    title: str
    """The indicator's title."""
    period: Period
    """The period."""
    group: str | None
    """The group of the breakdown; ``None`` when the series is not broken down."""
    numerator: int | None
    """Outcomes met (a mean: the sum of the counted measures; a count: the outcomes
    counted); ``None`` when not computed."""
    denominator: int | None
    """Outcomes counted; ``None`` when not computed."""
    value: float | None
    """The figure (a percentage, a mean, a count or a rate), as the indicator's result gives
    it; ``None`` when undefined or not computed."""
    rounded_value: float | int | None
    """The value as published (see :attr:`IndicatorResult.rounded_value`)."""
    value_kind: ValueKind
    """How the value is formed."""
    status: CellStatus = "computed"
    """``computed`` or ``not computed``."""
    reason: str = ""
    """Why it is not computed (inputs missing, the period outside the data's coverage...)."""
    outcomes: tuple[Outcome, ...] = ()
    """The per-record outcomes behind the figure (only with ``outcomes=True``)."""
    issues: tuple[DataIssue, ...] = ()
    """The data problems found computing the indicator over the period (the whole period's:
    a breakdown's cells of one indicator and period share them)."""

    @property
    def computed(self) -> bool:
        """Whether the cell has a figure."""
        return self.status == "computed"

    def row(self) -> dict[str, Any]:
        """The cell as a plain dict (see :meth:`Series.rows`)."""
        p = self.period
        return {
            "indicator": self.indicator,
            "title": self.title,
            "kind": str(p.kind),
            "period_start": p.start.isoformat(),
            "period_end": p.end.isoformat(),
            "label": p.label,
            "group": self.group,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "rounded_value": self.rounded_value,
            "value_kind": str(self.value_kind),
            "status": self.status,
            "reason": self.reason,
            "issues": len(self.issues),
        }


@attrs.frozen(slots=True, repr=False)
class Series:
    """Indicators over several periods, maybe broken down into groups.

    ``cells`` are in a stable order: indicator (scorecard order), then period (in the order
    given), then group (the breakdown's order). ``repr`` is short:
    ``Series(2 indicators x 36 periods x 11 groups = 792 cells)``.
    """

    cells: tuple[SeriesCell, ...]
    """Every cell, in order."""
    periods: tuple[Period, ...]
    """The periods, in the order given."""
    indicators: tuple[str, ...]
    """The indicator ids, in scorecard order."""
    groups: tuple[str | None, ...] = (None,)
    """The groups, in order; ``(None,)`` when not broken down."""
    by: str | None = None
    """The name of the breakdown (``age_band``, ``team``...), ``None`` when not broken down."""
    _index: dict[tuple[object, ...], SeriesCell] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[object, ...], SeriesCell] = {}
        for c in self.cells:
            index.setdefault((c.indicator, c.period, c.period.kind, c.group), c)
            # Periods with the same dates are equal: the first cell of each is found by dates.
            index.setdefault((c.indicator, c.period, c.group), c)
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        shape = f"{len(self.indicators)} indicators x {len(self.periods)} periods"
        if self.by is not None:
            shape += f" x {len(self.groups)} groups by {self.by}"
        return f"Series({shape} = {len(self.cells)} cells)"

    def __iter__(self) -> Iterator[SeriesCell]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def cell(self, indicator: str, period: Period, group: str | None = None) -> SeriesCell:
        """The cell of one indicator, period and group (of the period's kind when the series
        holds two periods of the same dates: April's in-month and year-to-date periods).

        Raises:
            KeyError: there is no such cell.
        """
        hit = self._index.get((indicator, period, period.kind, group))
        if hit is not None:
            return hit
        try:
            return self._index[(indicator, period, group)]
        except KeyError:
            raise KeyError(
                f"the series has no cell for {indicator!r}, {period}"
                + ("" if group is None else f", group {group!r}")
            ) from None

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per cell, in order: ``indicator``, ``title``, ``kind`` (the
        period's kind: ``in month``, ``year to date``...), ``period_start`` and
        ``period_end`` (ISO dates), ``label`` (the period's label), ``group`` (``None`` when
        not broken down), ``numerator``, ``denominator``, ``value``, ``rounded_value``,
        ``value_kind``, ``status`` (``computed`` or ``not computed``), ``reason`` and
        ``issues`` (their number)."""
        return [c.row() for c in self.cells]
