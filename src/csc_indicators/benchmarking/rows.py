"""Benchmarking attached to scorecard rows, and the ChAT-style four-column summary.

:func:`benchmark` takes a :class:`~csc_indicators.Scorecard` and, for each indicator, adds the
target and its RAG rating, the direction of travel against the previous period and against
the authority's latest published figure, and the published comparators: England, the region,
a comparator group's median and mean, the authority's published figure, its quartile band
and its rank among all authorities. :func:`chat_summary` arranges the same rows as the
Children's services Analysis Tool summary does.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from ..periods import Period, financial_year_number
from ..results import Polarity
from ..scoring import Scorecard
from ._common import PublishedFigure, SpecLike, decimals_of
from .comparators import Area, ComparatorGroup, Comparators
from .rules import (
    Band,
    Direction,
    Position,
    Rag,
    direction,
    position,
    position_rating,
    quartile_band,
    quartiles,
    rag,
    rank,
    round_half_up,
)
from .targets import Target, Targets

__all__ = [
    "CHAT_HEADINGS",
    "BenchmarkRow",
    "ChatRow",
    "benchmark",
    "benchmark_rows",
    "chat_summary",
    "chat_table",
    "previous_period",
]


def _number(value: Decimal, decimals: int) -> float | int:
    return int(value) if decimals == 0 else float(value)


def _shown(value: float | None, decimals: int) -> float | int | None:
    """A figure rounded half up as published: a whole number when there are no decimals."""
    return None if value is None else _number(round_half_up(value, decimals), decimals)


def _rounded(value: Fraction | None, decimals: int) -> float | int | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return _number(round_half_up(exact, decimals), decimals)


@attrs.frozen(slots=True)
class BenchmarkRow:
    """One indicator of a scorecard with its target, directions of travel and comparators.

    Every field is ``None`` where the input needed was not supplied (no targets, no
    comparators, no authority, no previous scorecard) or the figure does not exist.
    """

    indicator: str
    title: str
    polarity: Polarity
    period: str
    """The scorecard's period."""
    value: float | int | None
    """The authority's latest figure, rounded as published (:attr:`decimals`)."""
    decimals: int
    """The decimal places the figure is published to."""
    target: Target | None = None
    rag: Rag | None = None
    previous: float | int | None = None
    """The figure of the previous scorecard, rounded as published."""
    direction: Direction | None = None
    """:attr:`value` against :attr:`previous`."""
    published: PublishedFigure | None = None
    """The authority's figure in the comparators file (or its suppression symbol)."""
    published_period: str | None = None
    """The year of the published figures used (the latest that ends by the period's end)."""
    direction_published: Direction | None = None
    """:attr:`value` against :attr:`published`, at the precision of the less precise."""
    england: PublishedFigure | None = None
    region: PublishedFigure | None = None
    region_name: str | None = None
    comparator: float | int | None = None
    """The median of the comparator group's published figures, rounded as published."""
    comparator_mean: float | int | None = None
    """Their mean, rounded as published."""
    comparator_name: str | None = None
    comparator_count: int | None = None
    """How many members of the group have a number."""
    quartiles: tuple[float | int, float | int, float | int] | None = None
    """The lower quartile, median and upper quartile of all authorities' figures."""
    quartile_band: Band | None = None
    """The band of :attr:`published` among all authorities."""
    rank: int | None = None
    """The rank of :attr:`published` among all authorities (1 the best)."""
    rank_of: int | None = None
    """The number of authorities with a published number."""
    position: Position | None = None
    """:attr:`published` against the middle 50% of all authorities."""
    position_rating: Direction | None = None
    """Whether :attr:`position` is better or worse than the middle 50%, by polarity."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values: enums as their text, a published figure as its number or symbol."""

        def plain(v: object) -> Any:
            if isinstance(v, PublishedFigure):
                return v.plain()
            if isinstance(v, (Rag, Direction, Band, Position, Polarity)):
                return v.value
            return v

        return {
            "target": None if self.target is None else float(self.target.target),
            "amber_tolerance": None if self.target is None else float(self.target.amber_tolerance),
            "rag": plain(self.rag),
            "previous": self.previous,
            "direction": plain(self.direction),
            "published": plain(self.published),
            "published_period": self.published_period,
            "direction_published": plain(self.direction_published),
            "england": plain(self.england),
            "region": plain(self.region),
            "region_name": self.region_name,
            "comparator": self.comparator,
            "comparator_mean": self.comparator_mean,
            "comparator_name": self.comparator_name,
            "comparator_count": self.comparator_count,
            "quartiles": None if self.quartiles is None else list(self.quartiles),
            "quartile_band": plain(self.quartile_band),
            "rank": self.rank,
            "rank_of": self.rank_of,
            "position": plain(self.position),
            "position_rating": plain(self.position_rating),
        }


def _group(neighbours: Sequence[str] | ComparatorGroup | None) -> ComparatorGroup | None:
    if neighbours is None or isinstance(neighbours, ComparatorGroup):
        return neighbours
    return ComparatorGroup(neighbours, "statistical neighbours")


def _published(
    row: dict[str, Any],
    spec: SpecLike,
    value: float | int | None,
    decimals: int,
    comparators: Comparators,
    period: Period,
    authority: Area | None,
    group: ComparatorGroup | None,
) -> None:
    indicator = spec.id
    year = comparators.latest_year(indicator, period)
    if year is None:
        return
    polarity = spec.polarity
    row["published_period"] = str(Period.financial_year(year))
    row["england"] = comparators.england(indicator, year)
    values = comparators.authority_values(indicator, year)
    cuts = quartiles(values)
    if cuts is not None:
        row["quartiles"] = tuple(_rounded(c, decimals) for c in cuts)
    if group is not None:
        members = tuple(m for m in group.members if authority is None or not authority.matches(m))
        summary = comparators.group(indicator, year, attrs.evolve(group, members=members))
        row["comparator"] = _rounded(summary.median, decimals)
        row["comparator_mean"] = _rounded(summary.mean, decimals)
        row["comparator_name"] = summary.name
        row["comparator_count"] = summary.count
    if authority is None:
        return
    region = authority.region_name or authority.region_code
    if region is not None:
        row["region"] = comparators.region(indicator, year, region)
        row["region_name"] = authority.region_name or authority.region_code
    published = comparators.figure(indicator, year, authority)
    row["published"] = published
    if published is None or published.value is None:
        return
    shown = min(decimals, published.decimals)
    row["direction_published"] = direction(value, published.value, polarity, shown)
    row["quartile_band"] = quartile_band(published.value, values, polarity)
    if polarity is not Polarity.CONTEXT:
        row["rank"] = rank(published.value, values, polarity)
        row["rank_of"] = len(values)
    row["position"] = position(published.value, values)
    row["position_rating"] = position_rating(row["position"], polarity)


def previous_period(period: Period) -> Period:
    """The period to compare ``period`` with for the direction of travel: the previous one of
    the same kind.

    A financial year gives the year before, a quarter the quarter before, a calendar month the
    month before, 12 months the 12 months before; any other period (a year to date, a range of
    dates) the same dates a year earlier.
    """
    start, end = period.start, period.end
    if start == end - relativedelta(years=1) + _dt.timedelta(days=1):
        if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31):
            return Period.financial_year(start.year - 1)
        return Period.rolling_12_months(end - relativedelta(years=1))
    if start.day == 1 and end == start + relativedelta(months=3, days=-1) and start.month % 3 == 1:
        quarter = (start.month - 4) % 12 // 3 + 1
        year = financial_year_number(start)
        return Period.quarter(year - 1, 4) if quarter == 1 else Period.quarter(year, quarter - 1)
    if start.day == 1 and end == start + relativedelta(months=1, days=-1):
        before = start - relativedelta(months=1)
        return Period.month(before.year, before.month)
    if start == Period.financial_year_of(start).start and end < Period.financial_year_of(start).end:
        return Period.year_to_date(end - relativedelta(years=1))
    return Period(start - relativedelta(years=1), end - relativedelta(years=1))


def benchmark(
    card: Scorecard,
    *,
    targets: Targets | None = None,
    comparators: Comparators | None = None,
    authority: str | None = None,
    neighbours: Sequence[str] | ComparatorGroup | None = None,
    previous: Scorecard | None = None,
) -> list[BenchmarkRow]:
    """Targets, directions of travel and comparators for every indicator of ``card``.

    Args:
        card: the scorecard (its rows, computed or not, in order).
        targets: from :func:`read_targets`: each row's target for the card's period and its RAG.
        comparators: from :func:`read_comparators`: England, region, group, quartiles and the
            authority's published figure, band and rank, from the latest year in the file that
            ends by the end of the card's period.
        authority: the authority's new code, old code or name in the comparators file.
        neighbours: the comparator group: authority codes or names (named
            ``statistical neighbours``) or a :class:`ComparatorGroup`. The authority itself is
            left out of its own group.
        previous: the scorecard of the previous period of the same kind (see
            :func:`previous_period`), for :attr:`BenchmarkRow.direction`.

    Returns:
        One :class:`BenchmarkRow` per indicator, in scorecard order.

    Raises:
        InputError: ``authority`` or a neighbour is not in the comparators file.
        ValueError: ``authority`` or ``neighbours`` without ``comparators``.
    """
    if comparators is None and (authority is not None or neighbours is not None):
        raise ValueError("authority and neighbours need a comparators file")
    group = _group(neighbours)
    area = comparators.authority(authority) if comparators and authority is not None else None
    if comparators is not None and group is not None:
        for member in group.members:
            comparators.authority(member)  # every member must be in the file
    by_id = {r.indicator: r for r in card.results}
    before = {r.indicator: r for r in previous.results} if previous is not None else {}
    out: list[BenchmarkRow] = []
    for indicator, spec in card.specs.items():
        result = by_id.get(indicator)
        decimals = decimals_of(spec, result.kind if result is not None else None)
        value = _shown(result.value, decimals) if result is not None else None
        row: dict[str, Any] = {}
        if targets is not None:
            target = targets.for_period(indicator, card.period)
            row["target"] = target
            if target is not None:
                row["rag"] = rag(value, target.target, spec.polarity, target.amber_tolerance)
        earlier = before.get(indicator)
        if earlier is not None:
            row["previous"] = _shown(earlier.value, decimals)
            row["direction"] = direction(value, row["previous"], spec.polarity, decimals)
        if comparators is not None:
            _published(row, spec, value, decimals, comparators, card.period, area, group)
        out.append(
            BenchmarkRow(
                indicator, spec.title, spec.polarity, str(card.period), value, decimals, **row
            )
        )
    return out


def benchmark_rows(card: Scorecard, **options: Any) -> list[dict[str, Any]]:
    """:meth:`Scorecard.rows` with the plain values of :func:`benchmark` added to each row
    (keys ``target``, ``rag``, ``direction``, ``direction_published``, ``england``,
    ``region``, ``comparator``, ``comparator_mean``, ``published``, ``quartile_band``,
    ``rank``, ``rank_of`` and the others of :meth:`BenchmarkRow.to_dict`). ``options`` are
    those of :func:`benchmark`."""
    extra = {r.indicator: r.to_dict() for r in benchmark(card, **options)}
    return [{**row, **extra[row["indicator"]]} for row in card.rows()]


@attrs.frozen(slots=True)
class ChatRow:
    """One line of the ChAT-style summary: the latest figure and its direction of travel;
    the latest published figures of the authority, its comparator group and England; and the
    authority against the middle 50% of all authorities."""

    indicator: str
    title: str
    latest: float | int | None
    direction: Direction | None
    published: PublishedFigure | None
    comparator: float | int | None
    england: PublishedFigure | None
    position: Position | None
    position_rating: Direction | None
    published_period: str | None
    decimals: int

    def cells(self) -> tuple[str, ...]:
        """The row as text: title, latest, direction, published, comparator, England,
        position (``-`` where there is nothing), published period."""

        def num(v: float | int | None) -> str:
            return "-" if v is None else f"{v:.{self.decimals}f}"

        def fig(v: PublishedFigure | None) -> str:
            return "-" if v is None else str(v)

        where = "-" if self.position is None else self.position.value
        if self.position_rating is not None:
            where = f"{where} ({self.position_rating.value})"
        return (
            self.title,
            num(self.latest),
            "-" if self.direction is None else self.direction.value,
            fig(self.published),
            num(self.comparator),
            fig(self.england),
            where,
            self.published_period or "-",
        )


CHAT_HEADINGS: tuple[str, ...] = (
    "Indicator",
    "Latest",
    "Direction of travel",
    "Published",
    "Comparator",
    "England",
    "Against middle 50%",
    "Published period",
)
"""The column headings of :func:`chat_table`."""


def chat_summary(rows: Sequence[BenchmarkRow]) -> list[ChatRow]:
    """The ChAT-style summary of :func:`benchmark` rows, in the same order."""
    return [
        ChatRow(
            r.indicator,
            r.title,
            r.value,
            r.direction,
            r.published,
            r.comparator,
            r.england,
            r.position,
            r.position_rating,
            r.published_period,
            r.decimals,
        )
        for r in rows
    ]


def chat_table(rows: Sequence[BenchmarkRow]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The ChAT-style summary as text cells: the headings (:data:`CHAT_HEADINGS`) and one
    tuple of cells per row (:meth:`ChatRow.cells`), for a command line or a CSV writer."""
    return CHAT_HEADINGS, [c.cells() for c in chat_summary(rows)]
