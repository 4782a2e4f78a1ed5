"""Reading a comparators file (the shape is described in :mod:`.comparators`)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

import attrs

from ..periods import Period
from ._common import Problems, SpecLike, indicator_keys, lait_code, parse_figure, read_csv
from .comparators import _LEVELS, Area, ComparatorFigure, Comparators, Level

__all__ = ["read_comparators"]


_TIME = re.compile(r"(\d{4})(?:[-/]?(\d{2}))?")


def _parse_year(text: str) -> int:
    """``2024`` (year ending 31 March 2024) -> 2023; ``202324`` or ``2023-24`` -> 2023."""
    m = _TIME.fullmatch(text.strip())
    if not m:
        raise ValueError("not a time period: expected 2024, 202324 or 2023-24")
    start = int(m.group(1))
    if m.group(2) is None:
        return start - 1
    if int(m.group(2)) != (start + 1) % 100:
        raise ValueError("not a time period: the two years are not consecutive")
    return start


_META = {
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
    "indicator",
    "value",
}


def _identify_columns(
    header: list[str],
    header_line: int,
    problems: Problems,
    registry: Mapping[str, SpecLike] | None,
) -> tuple[dict[str, str], list[str]]:
    """Measure columns (column name -> indicator id) and the columns ignored."""
    by_id, by_lait = indicator_keys(registry)
    measures: dict[str, str] = {}
    ignored: list[str] = []
    for column in header:
        if column.lower() in _META:
            continue
        indicator = by_id.get(column.lower())
        if indicator is None:
            code = lait_code(column)
            if code is None:
                ignored.append(column)
                continue
            indicator = by_lait.get(code)
            if indicator is None:
                problems.report(
                    f"no registered indicator has the LAIT code {code}",
                    line=header_line,
                    field=column,
                    kind="unknown code",
                )
                continue
        twin = next((c for c, i in measures.items() if i == indicator), None)
        if twin is not None:
            problems.report(
                f"columns {twin!r} and {column!r} are both {indicator}",
                line=header_line,
                field=column,
                kind="duplicate",
            )
            continue
        measures[column] = indicator
    return measures, ignored


def _area(row: Mapping[str, str], level: Level) -> Area:
    get = row.get
    if level is Level.NATIONAL:
        return Area(level, get("country_name"), get("country_code"))
    if level is Level.REGIONAL:
        area = Area(level, get("region_name"), get("region_code"))
        if area.key == "":
            raise ValueError("a regional row needs a region_name or region_code")
        return area
    area = Area(
        level,
        get("la_name"),
        get("new_la_code"),
        get("old_la_code"),
        get("region_name"),
        get("region_code"),
    )
    if area.key == "":
        raise ValueError("a local authority row needs a la_name, new_la_code or old_la_code")
    return area


def read_comparators(
    path: str | os.PathLike[str],
    *,
    registry: Mapping[str, SpecLike] | None = None,
    errors: str = "raise",
) -> Comparators:
    """Read a comparators file (see the module description for its shape).

    Args:
        path: the CSV file.
        registry: the indicators the ids and LAIT codes name (default:
            :data:`csc_indicators.INDICATORS`; a LAIT code is matched through each spec's
            ``lait_code``).
        errors: ``"raise"`` (default) stops at the first problem; ``"collect"`` skips each bad
            cell or row and lists it in :attr:`Comparators.issues`.

    Raises:
        InputError: naming the file, the line and the column: a missing ``time_period`` or
            ``geographic_level`` column, no measure column, an unknown indicator or LAIT code,
            a bad time period or geographic level, a row naming no area, a value that is neither
            a number nor a suppression symbol, or two figures for the same indicator, year and
            area.
    """
    name = os.fspath(path)
    problems = Problems(name, errors)
    header_line, raw_header, raw_rows = read_csv(name, problems)
    # Geography columns are matched in lower case; measure columns keep their spelling.
    header = [c.lower() if c.lower() in _META else c for c in raw_header]
    rows = [
        (line, {(k.lower() if k.lower() in _META else k): v for k, v in row.items()})
        for line, row in raw_rows
    ]
    empty = Comparators((), name)
    for required in ("time_period", "geographic_level"):
        if required not in header:
            problems.report(
                f"the comparators file has no {required!r} column",
                line=header_line,
                field=required,
                kind="missing column",
            )
            return attrs.evolve(empty, issues=tuple(problems.issues))
    long_shape = "indicator" in header and "value" in header
    measures, ignored = _identify_columns(header, header_line, problems, registry)
    if long_shape:
        ignored += list(measures)
        measures = {}
    elif not measures:
        problems.report(
            "the comparators file has no measure column (an indicator id or a LAIT code) and no "
            "indicator and value columns",
            line=header_line,
            kind="missing column",
        )
        return attrs.evolve(empty, issues=tuple(problems.issues), ignored_columns=tuple(ignored))
    by_id, by_lait = indicator_keys(registry)
    figures: list[ComparatorFigure] = []
    seen: dict[tuple[str, int, Level, str], str] = {}

    def add(indicator: str, year: int, area: Area, cell: str, line: int, column: str) -> None:
        try:
            figure = parse_figure(cell)
        except ValueError as exc:
            problems.report(str(exc), line=line, field=column, value=cell)
            return
        key = (indicator, year, area.level, area.key)
        where = f"{name}:line {line}"
        if key in seen:
            problems.report(
                f"a second figure for {indicator}, {area}, {Period.financial_year(year)} "
                f"(the first is at {seen[key]})",
                line=line,
                field=column,
                value=cell,
                kind="duplicate",
            )
            return
        seen[key] = where
        figures.append(ComparatorFigure(indicator, year, area, figure, where))

    for line, row in rows:
        level = _LEVELS.get(row.get("geographic_level", "").lower())
        if level is None:
            problems.report(
                f"unknown geographic level (expected {', '.join(lv.value for lv in Level)})",
                line=line,
                field="geographic_level",
                value=row.get("geographic_level", ""),
            )
            continue
        try:
            year = _parse_year(row.get("time_period", ""))
        except ValueError as exc:
            problems.report(str(exc), line=line, field="time_period", value=row.get("time_period"))
            continue
        try:
            area = _area(row, level)
        except ValueError as exc:
            problems.report(str(exc), line=line, field=_area_field(level))
            continue
        if long_shape:
            key = row.get("indicator", "")
            indicator = by_id.get(key.lower())
            code = lait_code(key)
            if indicator is None and code is not None:
                indicator = by_lait.get(code)
            if indicator is None:
                problems.report(
                    f"no registered indicator has the LAIT code {code}"
                    if code is not None
                    else "unknown indicator",
                    line=line,
                    field="indicator",
                    value=key,
                    kind="unknown code",
                )
                continue
            cell = row.get("value", "")
            if not cell:
                problems.report(
                    "missing: a number or a suppression symbol is required",
                    line=line,
                    field="value",
                )
                continue
            add(indicator, year, area, cell, line, "value")
            continue
        for column, indicator in measures.items():
            cell = row.get(column, "")
            if cell:  # a blank cell: the file does not give this measure for this row
                add(indicator, year, area, cell, line, column)
    return Comparators(tuple(figures), name, tuple(problems.issues), tuple(ignored))


def _area_field(level: Level) -> str:
    return "region_name" if level is Level.REGIONAL else "la_name"
