"""Published comparators: England, region and every authority's figure, from a DfE-style CSV.

The file is in the shape Explore Education Statistics publishes local authority tables: one row
per period and area, with ``time_period`` (``2024`` for the year ending 31 March 2024, or
``202324``), ``geographic_level`` (``National``, ``Regional`` or ``Local authority``), the
area's ``region_name`` / ``region_code`` or ``la_name`` / ``new_la_code`` / ``old_la_code``,
and either

* one column per measure, named by indicator id (``assessments_within_45_working_days``) or
  LAIT code (``372`` or ``lait_372``), or
* an ``indicator`` column (an id or a LAIT code) and a ``value`` column: one figure per row.

A cell holds a number or a suppression symbol (:data:`SUPPRESSION_SYMBOLS`), kept as written.
Other columns (``time_identifier``, ``country_code``, measures this library does not compute)
are ignored and listed in :attr:`Comparators.ignored_columns`. :func:`read_comparators` (in
:mod:`.comparators_file`) reads it.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable
from fractions import Fraction

import attrs

from ..errors import InputError
from ..periods import Period
from ..results import DataIssue
from ._common import (
    SUPPRESSION_SYMBOLS,
    PublishedFigure,
)

__all__ = [
    "SUPPRESSION_SYMBOLS",
    "Area",
    "ComparatorFigure",
    "ComparatorGroup",
    "Comparators",
    "GroupFigure",
    "Level",
]


class Level(enum.Enum):
    """The ``geographic_level`` of a row."""

    NATIONAL = "National"
    REGIONAL = "Regional"
    LOCAL_AUTHORITY = "Local authority"

    def __str__(self) -> str:
        return self.value


_LEVELS = {level.value.lower(): level for level in Level}


def _blank_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


@attrs.frozen(slots=True)
class Area:
    """England, a region or a local authority, as a row of the file names it."""

    level: Level
    name: str | None = attrs.field(default=None, converter=_blank_none)
    """``la_name`` or ``region_name`` (``country_name`` for England)."""
    code: str | None = attrs.field(default=None, converter=_blank_none)
    """``new_la_code`` or ``region_code`` (``country_code`` for England)."""
    old_code: str | None = attrs.field(default=None, converter=_blank_none)
    """``old_la_code``, the three-digit authority number."""
    region_name: str | None = attrs.field(default=None, converter=_blank_none)
    """For an authority: its region's name."""
    region_code: str | None = attrs.field(default=None, converter=_blank_none)
    """For an authority: its region's code."""

    @property
    def key(self) -> str:
        """What identifies the area in the file: its code, else its old code, else its name."""
        if self.level is Level.NATIONAL:
            return "england"
        return (self.code or self.old_code or self.name or "").casefold()

    def matches(self, text: str) -> bool:
        """Whether ``text`` is the area's code, old code or name (case ignored)."""
        wanted = text.strip().casefold()
        return any(wanted == v.casefold() for v in (self.code, self.old_code, self.name) if v)

    def __str__(self) -> str:
        if self.level is Level.NATIONAL:
            return self.name or "England"
        label = self.name or self.code or self.old_code or "?"
        codes = [c for c in (self.old_code, self.code) if c and c != label]
        return f"{label} ({', '.join(codes)})" if codes else label


@attrs.frozen(slots=True)
class ComparatorFigure:
    """One published figure: an indicator, a year, an area and the number (or symbol)."""

    indicator: str
    """The indicator's id."""
    year: int = attrs.field(validator=attrs.validators.instance_of(int))
    """The financial year, named by the calendar year it starts in (2023 for 2023-24)."""
    area: Area
    figure: PublishedFigure
    location: str | None = attrs.field(default=None, eq=False)
    """``path:line N`` of the row (and the column) it was read from."""

    @property
    def period(self) -> Period:
        """The financial year as a :class:`~csc_indicators.Period`."""
        return Period.financial_year(self.year)


def _names(members: Iterable[str]) -> tuple[str, ...]:
    if isinstance(members, str):
        raise TypeError("a comparator group's members are a list of codes, not one string")
    return tuple(members)


@attrs.frozen(slots=True)
class ComparatorGroup:
    """A named group of authorities to compare with, such as statistical neighbours."""

    members: tuple[str, ...] = attrs.field(converter=_names)
    """Each authority's new code, old code or name, as the comparators file writes it."""
    name: str = "comparator group"


@attrs.frozen(slots=True)
class GroupFigure:
    """The median and mean of a group's published figures for one indicator and year."""

    name: str
    """The group's name."""
    median: Fraction | None
    """The median of the members' numbers (``None`` when none has one)."""
    mean: Fraction | None
    """Their mean."""
    count: int
    """How many members have a number (suppressed or absent figures are left out)."""
    members: int
    """How many members the group has."""
    left_out: tuple[str, ...] = ()
    """The members with no number, each as ``name: symbol`` or ``name: not published``."""


@attrs.frozen(slots=True)
class Comparators:
    """The published figures read from a comparators file.

    Look up England's, a region's and every authority's figures by indicator and year, an
    authority by code or name (:meth:`authority`), and a group's median and mean
    (:meth:`group`).
    """

    figures: tuple[ComparatorFigure, ...]
    """Every figure, in file order."""
    path: str | None = None
    """The file."""
    issues: tuple[DataIssue, ...] = ()
    """The problems found while reading (``errors="collect"``)."""
    ignored_columns: tuple[str, ...] = ()
    """Columns that are neither geography nor a measure of the registry: not read."""
    _index: dict[tuple[str, int, Level, str], ComparatorFigure] = attrs.field(
        init=False, repr=False, eq=False
    )

    _areas: tuple[Area, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index = {(f.indicator, f.year, f.area.level, f.area.key): f for f in self.figures}
        object.__setattr__(self, "_index", index)
        seen: dict[tuple[Level, str], Area] = {}
        for f in self.figures:
            seen.setdefault((f.area.level, f.area.key), f.area)
        object.__setattr__(self, "_areas", tuple(seen.values()))

    # -- areas --------------------------------------------------------------------------------

    @property
    def authorities(self) -> tuple[Area, ...]:
        """Every local authority in the file, once, in file order."""
        return tuple(a for a in self._areas if a.level is Level.LOCAL_AUTHORITY)

    @property
    def regions(self) -> tuple[Area, ...]:
        """Every region in the file, once, in file order."""
        return tuple(a for a in self._areas if a.level is Level.REGIONAL)

    def authority(self, text: str) -> Area:
        """The local authority whose new code, old code or name is ``text``.

        Raises:
            InputError: naming the file, when no authority in it matches.
        """
        for area in self.authorities:
            if area.matches(text):
                return area
        known = ", ".join(str(a) for a in self.authorities[:12])
        more = ", ..." if len(self.authorities) > 12 else ""
        raise InputError(
            f"no local authority {text!r} in the comparators file (it has {known}{more})",
            path=self.path,
            field="la_name / new_la_code / old_la_code",
        )

    # -- figures ------------------------------------------------------------------------------

    def years(self, indicator: str) -> list[int]:
        """The years with a figure for ``indicator``, earliest first."""
        return sorted({f.year for f in self.figures if f.indicator == indicator})

    def latest_year(self, indicator: str, period: Period | None = None) -> int | None:
        """The latest year with a figure for ``indicator`` that ends by the end of ``period``
        (any year when ``period`` is ``None``)."""
        years = [
            y
            for y in self.years(indicator)
            if period is None or Period.financial_year(y).end <= period.end
        ]
        return years[-1] if years else None

    def figure(self, indicator: str, year: int, area: Area) -> PublishedFigure | None:
        """The area's figure, or ``None`` when the file has none."""
        found = self._index.get((indicator, year, area.level, area.key))
        return found.figure if found else None

    def england(self, indicator: str, year: int) -> PublishedFigure | None:
        """England's figure."""
        return self.figure(indicator, year, Area(Level.NATIONAL))

    def region(self, indicator: str, year: int, region: str) -> PublishedFigure | None:
        """The figure of the region whose name or code is ``region``."""
        area = next((a for a in self.regions if a.matches(region)), None)
        return None if area is None else self.figure(indicator, year, area)

    def authority_figures(self, indicator: str, year: int) -> list[ComparatorFigure]:
        """Every authority's figure (numbers and symbols), in file order."""
        return [
            f
            for f in self.figures
            if f.indicator == indicator and f.year == year and f.area.level is Level.LOCAL_AUTHORITY
        ]

    def authority_values(self, indicator: str, year: int) -> list[float]:
        """Every authority's number (suppressed figures left out): what quartiles, bands and
        ranks are computed from."""
        return [
            f.figure.value
            for f in self.authority_figures(indicator, year)
            if f.figure.value is not None
        ]

    def group(self, indicator: str, year: int, group: ComparatorGroup) -> GroupFigure:
        """The median and mean of the group members' numbers.

        Raises:
            InputError: a member is not in the file.
        """
        areas = [self.authority(m) for m in group.members]
        values: list[Fraction] = []
        left_out: list[str] = []
        for area in areas:
            fig = self.figure(indicator, year, area)
            if fig is None or fig.value is None:
                left_out.append(f"{area}: {fig.symbol if fig else 'not published'}")
            else:
                values.append(Fraction(repr(fig.value)))
        median = statistics.median(values) if values else None
        mean = sum(values, Fraction(0)) / len(values) if values else None
        return GroupFigure(group.name, median, mean, len(values), len(areas), tuple(left_out))
