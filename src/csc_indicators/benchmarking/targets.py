"""Targets and amber tolerances, read from a small CSV file.

The file has one row per indicator (or per indicator and period)::

    indicator,target,amber_tolerance
    assessments_within_45_working_days,85,5
    rereferrals_within_12_months,20,2

``indicator`` is an indicator id or a LAIT code (``372`` or ``lait_372``); ``target`` the
figure aimed at, in the indicator's own units (a percentage, days, a count);
``amber_tolerance`` (optional, blank for none) how far short of the target, in the same units
(percentage points for a percentage), a figure is amber rather than red. An optional ``period``
column (``2024-25``, ``2024/25``, ``202425`` or a label such as ``Q1 2024-25``), or optional
``from`` and ``to`` columns (dates), restrict a row to some periods.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..periods import Period
from ..results import DataIssue
from ._common import Problems, SpecLike, indicator_keys, lait_code, parse_number, read_csv

__all__ = ["Target", "Targets", "read_targets"]


def _non_negative(instance: Target, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if value < 0:
        raise ValueError(f"the amber tolerance cannot be negative, got {value}")


def _dates_in_order(
    instance: Target, attribute: attrs.Attribute[_dt.date | None], value: _dt.date | None
) -> None:
    if value is not None and instance.start is not None and value < instance.start:
        raise ValueError(f"'to' ({value.isoformat()}) is before 'from' ({instance.start})")


@attrs.frozen(slots=True)
class Target:
    """One target: the figure aimed at and the amber tolerance, for some or all periods."""

    indicator: str
    """The indicator's id."""
    target: Decimal
    """The figure aimed at, in the indicator's units."""
    amber_tolerance: Decimal = attrs.field(default=Decimal(0), validator=_non_negative)
    """How far short of the target a figure is still amber (0: no amber)."""
    period: str | None = None
    """Only for the period of this name (financial years written ``2024-25``)."""
    start: _dt.date | None = None
    """Only for periods ending on or after this date (the ``from`` column)."""
    end: _dt.date | None = attrs.field(default=None, validator=_dates_in_order)
    """Only for periods ending on or before this date (the ``to`` column)."""
    location: str | None = attrs.field(default=None, eq=False)
    """``path:line N`` of the row it was read from."""

    def applies_to(self, period: Period) -> bool:
        """Whether the target is for ``period``: its name matches the ``period`` column, or
        its last day is within ``from``-``to`` (either end open when blank); a row with
        neither applies to every period."""
        if self.period is not None:
            return _normal_period(str(period)) == self.period
        if self.start is not None and period.end < self.start:
            return False
        return not (self.end is not None and period.end > self.end)

    @property
    def specificity(self) -> int:
        """2 for a named period, 1 for a date range, 0 for every period."""
        if self.period is not None:
            return 2
        return 1 if (self.start is not None or self.end is not None) else 0


_FY = re.compile(r"(\d{4})\s*(?:[-/]\s*(\d{2}|\d{4})|(\d{2}))")


def _normal_period(text: str) -> str:
    """A period name in one form: financial years as ``2024-25``, others lower-cased."""
    stripped = " ".join(text.split())
    m = _FY.fullmatch(stripped)
    if m:
        start = int(m.group(1))
        end = m.group(2) or m.group(3)
        if int(end[-2:]) == (start + 1) % 100:
            return str(Period.financial_year(start))
    return stripped.lower()


def _parse_date(text: str) -> _dt.date:
    try:
        if "/" in text:
            return _dt.datetime.strptime(text, "%d/%m/%Y").date()
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a date: expected yyyy-mm-dd or dd/mm/yyyy") from None


@attrs.frozen(slots=True)
class Targets:
    """The targets read from a file, by indicator."""

    targets: tuple[Target, ...]
    """Every target, in file order."""
    path: str | None = None
    """The file they were read from."""
    issues: tuple[DataIssue, ...] = ()
    """The problems found while reading (``errors="collect"``)."""

    def for_period(self, indicator: str, period: Period) -> Target | None:
        """The target of ``indicator`` for ``period``: the row for that period by name if
        there is one, else the row whose dates cover it, else the row for every period."""
        matching = [t for t in self.targets if t.indicator == indicator and t.applies_to(period)]
        if not matching:
            return None
        return max(matching, key=lambda t: t.specificity)

    def __len__(self) -> int:
        return len(self.targets)


def _overlap(a: Target, b: Target) -> bool:
    low = _dt.date.min
    high = _dt.date.max
    return (a.start or low) <= (b.end or high) and (b.start or low) <= (a.end or high)


def _clash(new: Target, old: Target) -> bool:
    if new.indicator != old.indicator or new.specificity != old.specificity:
        return False
    if new.specificity == 2:
        return new.period == old.period
    return new.specificity == 0 or _overlap(new, old)


def read_targets(
    path: str | os.PathLike[str],
    *,
    registry: Mapping[str, SpecLike] | None = None,
    errors: str = "raise",
) -> Targets:
    """Read a targets file (see the module description for its columns).

    Args:
        path: the CSV file.
        registry: the indicators the ids and LAIT codes name (default:
            :data:`csc_indicators.INDICATORS`).
        errors: ``"raise"`` (default) stops at the first problem; ``"collect"`` skips each bad
            row and lists it in :attr:`Targets.issues`.

    Raises:
        InputError: naming the file, the line and the column: a missing required column
            (``indicator`` or ``target``), an unknown indicator id or LAIT code, a target or
            tolerance that is not a number (a suppression symbol included), a negative
            tolerance, a bad date or ``to`` before ``from``, both ``period`` and dates on one
            row, or two rows for the same indicator and the same (or overlapping) periods.
    """
    name = os.fspath(path)
    problems = Problems(name, errors)
    header_line, header, rows = read_csv(name, problems)
    columns = {c.lower(): c for c in header}
    for required in ("indicator", "target"):
        if required not in columns:
            problems.report(
                f"the targets file has no {required!r} column (columns: {', '.join(header)})",
                line=header_line,
                field=required,
                kind="missing column",
            )
            return Targets((), name, tuple(problems.issues))
    by_id, by_lait = indicator_keys(registry)
    out: list[Target] = []

    def cell(row: dict[str, str], column: str) -> str:
        return row.get(columns.get(column, ""), "") or ""

    for line, row in rows:
        key = cell(row, "indicator")
        indicator = by_id.get(key.lower())
        if indicator is None:
            code = lait_code(key)
            indicator = by_lait.get(code) if code is not None else None
            if indicator is None:
                what = "no indicator" if not key else f"unknown indicator {key!r}"
                if code is not None:
                    what = f"no registered indicator has the LAIT code {code}"
                problems.report(what, line=line, field=columns["indicator"], value=key or None)
                continue
        try:
            target = _number(cell(row, "target"), "target", required=True)
            tolerance = _number(cell(row, "amber_tolerance"), "amber_tolerance")
            if tolerance is not None and tolerance < 0:
                raise _Bad("amber_tolerance", cell(row, "amber_tolerance"), "cannot be negative")
            period = cell(row, "period") or None
            start = _date(cell(row, "from"), "from")
            end = _date(cell(row, "to"), "to")
            if period is not None and (start is not None or end is not None):
                raise _Bad("period", period, "give either a period or from/to dates, not both")
            if start is not None and end is not None and end < start:
                raise _Bad("to", cell(row, "to"), "is before 'from'")
        except _Bad as bad:
            problems.report(
                bad.message, line=line, field=columns.get(bad.column, bad.column), value=bad.value
            )
            continue
        assert target is not None
        new = Target(
            indicator,
            target,
            tolerance if tolerance is not None else Decimal(0),
            _normal_period(period) if period is not None else None,
            start,
            end,
            location=f"{name}:line {line}",
        )
        clash = next((old for old in out if _clash(new, old)), None)
        if clash is not None:
            problems.report(
                f"a second target for {indicator} over the same periods as {clash.location}",
                line=line,
                field=columns["indicator"],
                value=key,
                kind="duplicate",
            )
            continue
        out.append(new)
    return Targets(tuple(out), name, tuple(problems.issues))


class _Bad(Exception):
    def __init__(self, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.value = value
        self.message = message


def _number(text: str, column: str, *, required: bool = False) -> Decimal | None:
    if not text:
        if required:
            raise _Bad(column, text, "missing: a number is required")
        return None
    try:
        return parse_number(text)
    except ValueError:
        raise _Bad(column, text, "not a number") from None


def _date(text: str, column: str) -> _dt.date | None:
    if not text:
        return None
    try:
        return _parse_date(text)
    except ValueError as exc:
        raise _Bad(column, text, str(exc)) from None
