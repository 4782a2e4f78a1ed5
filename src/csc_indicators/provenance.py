"""Provenance: what a set of figures was computed with, so that anyone can reproduce them.

:func:`provenance` gives, for a run, the library version, the working-day calendar (where its
holidays come from and the dates it covers) and every indicator parameter that differs from its
default. Every output can carry it:

* JSON: a ``provenance`` object (:meth:`Provenance.to_dict`);
* CSV: leading comment lines starting with ``#`` (:meth:`Provenance.comment_lines`), which
  ``pandas.read_csv(..., comment="#")`` skips (and Python's :mod:`csv` after
  :func:`skip_comments`);
* a table: a footer (:meth:`Provenance.footer`, fitting a width);
* Markdown: a section (:meth:`Provenance.markdown`).

A parameter is written as ``INDICATOR.NAME=VALUE``, the form ``--param`` takes, so a run can be
repeated from its output.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from importlib import metadata

import attrs

from .calendar import WorkingDayCalendar
from .params import RESERVED, format_value, non_default, parameters_of
from .registry import INDICATORS, IndicatorSpec
from .results import IndicatorResult

__all__ = ["CalendarInfo", "ParameterChange", "Provenance", "provenance", "skip_comments"]


@attrs.frozen(slots=True)
class CalendarInfo:
    """The working-day calendar of a run."""

    name: str
    """The calendar's name, e.g. ``England and Wales bank holidays``."""
    source: str
    """Where its holidays come from, e.g. ``holidays 0.60 (country GB, subdivision ENG)``."""
    first_date: _dt.date
    """The first date it covers."""
    last_date: _dt.date
    """The last date it covers."""
    holidays: int
    """The number of holiday dates it holds."""

    @classmethod
    def of(cls, calendar: WorkingDayCalendar) -> CalendarInfo:
        """Describe ``calendar``."""
        name = calendar.name
        if name.startswith("England and Wales bank holidays"):
            source = f"holidays {_version('holidays')} (country GB, subdivision ENG)"
            extra = name.removeprefix("England and Wales bank holidays").strip()
            if extra:
                source += f", {extra}"
        else:
            source = "holiday dates given by the caller"
        return cls(name, source, calendar.first_date, calendar.last_date, len(calendar.holidays))

    def describe(self) -> str:
        """One line: name, source and the dates covered."""
        return (
            f"{self.name}; {self.source}; covers {self.first_date.isoformat()} to "
            f"{self.last_date.isoformat()}"
        )


@attrs.frozen(slots=True)
class ParameterChange:
    """A parameter of one indicator set to something other than its default."""

    indicator: str
    """The indicator's id."""
    name: str
    """The parameter's name."""
    value: str
    """The value used, as ``--param`` would take it."""
    default: str
    """The default value, likewise."""

    @property
    def assignment(self) -> str:
        """``indicator.name=value``: what ``--param`` takes to set it again."""
        return f"{self.indicator}.{self.name}={self.value}"

    def describe(self) -> str:
        """``indicator.name=value (default D)``."""
        return f"{self.assignment} (default {self.default})"


@attrs.frozen(slots=True)
class Provenance:
    """What a run's figures were computed with."""

    version: str
    """The version of csc_indicators."""
    calendar: CalendarInfo | None
    """The working-day calendar, or ``None`` when no figure of the run counts working days."""
    parameters: tuple[ParameterChange, ...] = ()
    """Every parameter that differs from its default, by indicator (empty: all defaults)."""
    population: int | None = None
    """The 0-17 population the rates per 10,000 were computed with (set for the whole run, so
    not repeated per indicator among :attr:`parameters`)."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: ``library``, ``version``, ``calendar``, ``parameters`` (each with
        ``indicator``, ``name``, ``value``, ``default``) and ``population``."""
        cal = self.calendar
        return {
            "library": "csc_indicators",
            "version": self.version,
            "calendar": None
            if cal is None
            else {
                "name": cal.name,
                "source": cal.source,
                "first_date": cal.first_date.isoformat(),
                "last_date": cal.last_date.isoformat(),
                "holidays": cal.holidays,
            },
            "parameters": [
                {"indicator": p.indicator, "name": p.name, "value": p.value, "default": p.default}
                for p in self.parameters
            ],
            "population": self.population,
        }

    def lines(self) -> list[str]:
        """The provenance as short lines of text (a table's footer)."""
        out = [f"csc_indicators {self.version}"]
        if self.calendar is None:
            out.append("calendar: none used")
        else:
            out.append(f"calendar: {self.calendar.describe()}")
        if self.parameters:
            out.extend(f"parameter: {p.describe()}" for p in self.parameters)
        else:
            out.append("parameters: all defaults")
        if self.population is not None:
            out.append(f"population: {self.population:,}")
        return out

    def comment_lines(self) -> str:
        """The lines as CSV comment lines (``# ...``), each ending in a newline."""
        return "".join(f"# {line}\n" for line in self.lines())

    def footer(self, width: int = 100) -> str:
        """The lines as a table's footer, headed ``Computed with:``, each wrapped to fit
        ``width`` columns; ends in a newline."""
        out = ["Computed with:"]
        for line in self.lines():
            out.extend(
                textwrap.wrap(
                    line,
                    width,
                    initial_indent="  ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                )
            )
        return "\n".join(out) + "\n"

    def markdown(self) -> str:
        """The lines as a Markdown section (``### Computed with`` and a list); ends in a
        newline."""
        items = "".join(f"- {_markdown_line(line)}\n" for line in self.lines())
        return f"### Computed with\n\n{items}"

    @property
    def assignments(self) -> tuple[str, ...]:
        """Every parameter changed, as ``--param`` takes it (``indicator.name=value``)."""
        return tuple(p.assignment for p in self.parameters)


def _markdown_line(line: str) -> str:
    head, sep, rest = line.partition(": ")
    if head == "parameter" and sep:
        assignment, _, default = rest.partition(" (")
        return f"parameter: `{assignment}` ({default}" if default else f"parameter: `{rest}`"
    return line.replace("|", "\\|")


def skip_comments(lines: Iterable[str]) -> Iterator[str]:
    """The lines that are not comments: CSV written with provenance, for :mod:`csv`
    (``csv.DictReader(skip_comments(open(path)))``)."""
    return (line for line in lines if not line.startswith("#"))


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed with us
        return "unknown version"


def provenance(
    results: IndicatorResult | Iterable[IndicatorResult] = (),
    *,
    calendar: WorkingDayCalendar | None = None,
    registry: Mapping[str, IndicatorSpec] | None = None,
    population: int | None = None,
    parameters: Mapping[str, Mapping[str, object]] | None = None,
) -> Provenance:
    """The provenance of a run: the library version, the calendar and the parameters that
    differ from their defaults.

    Args:
        results: the run's results (one, or any number, e.g. a scorecard's ``results``). Their
            ``parameters`` are compared with each indicator's documented defaults
            (:func:`csc_indicators.params.parameters_of`); results of indicators the registry
            does not hold are skipped.
        calendar: the calendar of the run. Default: the calendar the results used (their
            ``calendar`` parameter), or ``None`` when none of them counts working days.
        registry: where to find each indicator's function (default: the library's registry).
        population: the population of the run (default: the one the results used, if any).
            It is named once, not as a parameter of each indicator.
        parameters: parameters given by indicator id (``{id: {name: value}}``), for a run
            whose results are not at hand (a series): those that differ from the defaults are
            named too, once each.
    """
    found = [results] if isinstance(results, IndicatorResult) else list(results)
    specs = INDICATORS if registry is None else registry
    changes: list[ParameterChange] = []
    used: WorkingDayCalendar | None = calendar
    people = population
    for result in found:
        cal = result.parameters.get("calendar")
        if used is None and isinstance(cal, WorkingDayCalendar):
            used = cal
        given = result.parameters.get("population")
        if people is None and isinstance(given, int) and not isinstance(given, bool):
            people = given
        spec = specs.get(result.indicator)
        if spec is None:
            continue
        defaults = parameters_of(spec)
        for name, value in non_default(spec, result.parameters).items():
            if name in RESERVED:
                continue
            changes.append(
                ParameterChange(
                    result.indicator,
                    name,
                    format_value(value),
                    format_value(defaults[name].default),
                )
            )
    for indicator, values in (parameters or {}).items():
        spec = specs.get(indicator)
        if spec is None:
            continue
        defaults = parameters_of(spec)
        for name, value in non_default(spec, values).items():
            change = ParameterChange(
                indicator, name, format_value(value), format_value(defaults[name].default)
            )
            if name not in RESERVED and change not in changes:
                changes.append(change)
    from . import __version__  # the package imports this module's users: import late

    return Provenance(
        version=__version__,
        calendar=None if used is None else CalendarInfo.of(used),
        parameters=tuple(changes),
        population=people,
    )
