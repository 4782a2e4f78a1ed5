"""Breakdowns: the group of each outcome, by a built-in dimension or a user's lookup file.

A grouping answers one question: in which group is the outcome of this record, judged on this
date (the outcome's event date for an event indicator, the period end for a snapshot)? The
built-in dimensions (:data:`DIMENSIONS`) read the child's records; a :class:`Lookup` reads a
CSV file mapping children to teams, localities, workers... with optional validity dates.
"""

from __future__ import annotations

import abc
import bisect
import csv
import datetime as _dt
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from ..bundle import RECORD_FIELDS, Bundle
from ..errors import InputError
from ..results import Outcome

__all__ = [
    "AGE_BANDS",
    "DIMENSIONS",
    "NOT_RECORDED",
    "UNASSIGNED",
    "Dimension",
    "Grouping",
    "Lookup",
    "LookupRow",
    "age_band",
    "grouping_of",
]

NOT_RECORDED: Final = "not recorded"
"""The group of an outcome whose child has no value for a dimension."""
UNASSIGNED: Final = "unassigned"
"""The group of an outcome whose child a lookup does not assign on the date."""

GroupOf = Callable[[Outcome, _dt.date], str]
"""The group of an outcome judged on a date."""


class Grouping(abc.ABC):
    """How outcomes are split into groups. Subclass it for a grouping of your own."""

    name: str
    """The name of the breakdown (a column heading: ``age_band``, ``team``...)."""

    @abc.abstractmethod
    def bind(self, bundle: Bundle) -> GroupOf:
        """A function giving the group of an outcome of ``bundle`` on a date."""

    def known_groups(self) -> tuple[str, ...]:
        """Groups that exist whatever the data (a lookup's groups and ``unassigned``), shown
        even when empty; ``()`` by default."""
        return ()

    def order(self, groups: Iterable[str]) -> list[str]:
        """The groups in the order a table shows them (sorted; ``not recorded`` and
        ``unassigned`` last)."""
        last = (NOT_RECORDED, UNASSIGNED)
        return sorted(set(groups), key=lambda g: (g in last, last.index(g) if g in last else 0, g))


# -- the child's facts -----------------------------------------------------------------------


class _Facts:
    """Per child: the records of the bundle, with the episodes sorted by start, indexed once."""

    def __init__(self, bundle: Bundle) -> None:
        self.records: dict[str, list[object]] = {}
        self.episodes: dict[str, list[Any]] = {}
        self.dob: dict[str, _dt.date] = {}
        for name in ("children", *(n for n in RECORD_FIELDS if n != "children")):
            for record in getattr(bundle, name) or ():
                cid = record.child_id
                self.records.setdefault(cid, []).append(record)
                dob = getattr(record, "date_of_birth", None)
                if isinstance(dob, _dt.date) and cid not in self.dob:
                    self.dob[cid] = dob
        for e in bundle.episodes or ():
            self.episodes.setdefault(e.child_id, []).append(e)
        self.starts: dict[str, list[_dt.date]] = {}
        for cid, items in self.episodes.items():
            items.sort(key=lambda e: (e.start_date, e.end_date or _dt.date.max))
            self.starts[cid] = [e.start_date for e in items]

    def episode_at(self, child_id: str, day: _dt.date) -> Any:
        """The child's episode open on ``day``, else the latest started by then, else the
        first; ``None`` when the child has no episode."""
        items = self.episodes.get(child_id)
        if not items:
            return None
        i = bisect.bisect_right(self.starts[child_id], day) - 1
        if i < 0:
            return items[0]
        return items[i]


def _shown(value: object) -> str | None:
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(str(v) for v in value)
        return ", ".join(items) if items else None
    return str(value)


AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 1", 0, 0),
    ("1-4", 1, 4),
    ("5-9", 5, 9),
    ("10-15", 10, 15),
    ("16-17", 16, 17),
    ("18+", 18, None),
)
"""The age bands of the ``age_band`` dimension: name, first and last age in whole years."""


def _age(dob: _dt.date, day: _dt.date) -> int:
    age = day.year - dob.year
    if (day.month, day.day) < (dob.month, dob.day):
        age -= 1
    return age


def age_band(date_of_birth: _dt.date | None, day: _dt.date) -> str:
    """The band (:data:`AGE_BANDS`) of the age in whole years on ``day``; ``not recorded``
    without a date of birth, ``before birth`` for a day before it."""
    if date_of_birth is None:
        return NOT_RECORDED
    age = _age(date_of_birth, day)
    if age < 0:
        return "before birth"
    for name, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return name
    raise AssertionError(age)  # pragma: no cover - the last band is open


@attrs.frozen(slots=True)
class Dimension(Grouping):
    """A built-in breakdown: by age band, or by a field of the child's records."""

    name: str
    """The dimension's name (a key of :data:`DIMENSIONS`)."""
    fields: tuple[str, ...] = ()
    """The record attributes read, in order of preference (the first recorded is used)."""
    dated: bool = False
    """Whether the value is read from the child's episode on the date (placement, legal
    status) when the outcome's own record does not hold it."""
    description: str = ""
    """What it groups by, in words."""

    def bind(self, bundle: Bundle) -> GroupOf:
        facts = _Facts(bundle)
        if self.name == "age_band":

            def by_age(outcome: Outcome, day: _dt.date) -> str:
                dob = getattr(outcome.record, "date_of_birth", None)
                if not isinstance(dob, _dt.date):
                    dob = facts.dob.get(outcome.child_id)
                return age_band(dob, day)

            return by_age
        fields = self.fields

        def read(record: object) -> str | None:
            for f in fields:
                v = _shown(getattr(record, f, None))
                if v is not None:
                    return v
            return None

        memo: dict[str, str] = {}

        def by_field(outcome: Outcome, day: _dt.date) -> str:
            v = read(outcome.record)
            if v is not None:
                return v
            cid = outcome.child_id
            if self.dated:
                v = read(facts.episode_at(cid, day))
                if v is not None:
                    return v
            hit = memo.get(cid)
            if hit is None:
                hit = NOT_RECORDED
                for record in facts.records.get(cid, ()):
                    v = read(record)
                    if v is not None:
                        hit = v
                        break
                memo[cid] = hit
            return hit

        return by_field

    def order(self, groups: Iterable[str]) -> list[str]:
        if self.name != "age_band":
            return super().order(groups)
        names = [b[0] for b in AGE_BANDS]
        rank = {n: i for i, n in enumerate(["before birth", *names, NOT_RECORDED])}
        return sorted(set(groups), key=lambda g: (rank.get(g, len(rank)), g))


DIMENSIONS: Mapping[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("age_band", description="the child's age at the outcome's date"),
        Dimension("sex", ("sex",), description="the child's sex"),
        Dimension("ethnicity", ("ethnicity",), description="the child's ethnicity"),
        Dimension("disability", ("disability", "disabilities"), description="disability"),
        Dimension(
            "primary_need",
            ("primary_need", "category_of_need"),
            dated=True,
            description="primary need (CIN) or category of need (SSDA903 CIN)",
        ),
        Dimension("referral_source", ("referral_source",), description="referral source"),
        Dimension(
            "placement_type",
            ("placement_type", "placement"),
            dated=True,
            description="placement type (SSDA903 PLACE) on the outcome's date",
        ),
        Dimension(
            "legal_status",
            ("legal_status",),
            dated=True,
            description="legal status (SSDA903 LS) on the outcome's date",
        ),
    )
}
"""The built-in breakdowns, by name: ``age_band`` (bands of :data:`AGE_BANDS`, from a date
of birth in the child's records), and ``sex``, ``ethnicity``, ``disability``,
``primary_need``, ``referral_source``, ``placement_type``, ``legal_status`` read from the
outcome's record or the child's records when they hold such a field (``not recorded`` when
none does)."""


# -- lookup files ----------------------------------------------------------------------------


@attrs.frozen(slots=True)
class LookupRow:
    """One row of a lookup: a child's group from one date to another (both included)."""

    child_id: str
    group: str
    start: _dt.date | None = None
    """The first day the row holds (``None``: from the beginning)."""
    end: _dt.date | None = None
    """The last day the row holds (``None``: without end)."""
    line: int | None = None
    """The line of the file it was read from."""

    def holds(self, day: _dt.date) -> bool:
        """Whether the row is valid on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


_CHILD_COLUMNS = ("child_id", "child", "childid", "lachildid", "la_child_id", "id")
_GROUP_COLUMNS = ("group", "team", "locality", "worker", "area", "unit")
_FROM_COLUMNS = ("from", "start", "valid_from", "from_date", "start_date")
_TO_COLUMNS = ("to", "end", "valid_to", "to_date", "end_date", "until")


def _read_day(text: str) -> _dt.date:
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return _dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError as exc:
        raise ValueError(f"not a date: {exc}") from None
    raise ValueError("not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _sort_key(row: LookupRow) -> tuple[_dt.date, _dt.date]:
    return (row.start or _dt.date.min, row.end or _dt.date.max)


class Lookup(Grouping):
    """A user's breakdown: each child's group (team, locality, worker...), maybe dated.

    A child's group for an outcome is that of the row valid on the outcome's date; children
    with no row valid then are in the ``unassigned`` group (never dropped). Build one from a
    CSV file (:meth:`from_csv`), from rows, or from a mapping ``{child_id: group}``.

    Raises:
        InputError: two rows of one child overlap (or repeat), or a row ends before it starts.
    """

    def __init__(
        self,
        rows: Iterable[LookupRow] | Mapping[str, str],
        *,
        name: str = "group",
        path: str | None = None,
    ) -> None:
        if isinstance(rows, Mapping):
            rows = [LookupRow(str(k), str(v)) for k, v in rows.items()]
        self.name = name
        self.path = path
        by_child: dict[str, list[LookupRow]] = {}
        for row in rows:
            if row.start is not None and row.end is not None and row.end < row.start:
                raise InputError(
                    f"the row for child {row.child_id} ends ({row.end}) before it starts "
                    f"({row.start})",
                    path=path,
                    location=None if row.line is None else f"line {row.line}",
                    field="to",
                )
            by_child.setdefault(row.child_id, []).append(row)
        for cid, items in by_child.items():
            items.sort(key=_sort_key)
            for a, b in itertools.pairwise(items):
                a_end = a.end or _dt.date.max
                if (b.start or _dt.date.min) <= a_end:
                    where = "" if a.line is None else f" (line {a.line})"
                    raise InputError(
                        f"child {cid} has overlapping rows: {_span(a)}{where} and {_span(b)}",
                        path=path,
                        location=None if b.line is None else f"line {b.line}",
                        field="child_id",
                        value=cid,
                    )
        self._rows = by_child
        self._starts = {
            cid: [r.start or _dt.date.min for r in items] for cid, items in by_child.items()
        }
        self._groups = tuple(sorted({r.group for items in by_child.values() for r in items}))
        # Children with one row valid on every day: their group whatever the date.
        self._always = {
            cid: items[0].group
            for cid, items in by_child.items()
            if len(items) == 1 and items[0].start is None and items[0].end is None
        }

    @property
    def rows(self) -> tuple[LookupRow, ...]:
        """Every row, by child then date."""
        return tuple(r for cid in sorted(self._rows) for r in self._rows[cid])

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups the lookup names, sorted (``unassigned`` is not among them)."""
        return self._groups

    def __repr__(self) -> str:
        return f"Lookup({self.name!r}: {len(self._rows):,} children, {len(self._groups):,} groups)"

    def group_of(self, child_id: str, day: _dt.date) -> str:
        """The child's group on ``day``, or ``unassigned``."""
        fixed = self._always.get(child_id)
        if fixed is not None:
            return fixed
        items = self._rows.get(child_id)
        if items is None:
            return UNASSIGNED
        i = bisect.bisect_right(self._starts[child_id], day) - 1
        if i >= 0 and items[i].holds(day):
            return items[i].group
        return UNASSIGNED

    def bind(self, bundle: Bundle) -> GroupOf:
        return lambda outcome, day: self.group_of(outcome.child_id, day)

    def known_groups(self) -> tuple[str, ...]:
        return (*self._groups, UNASSIGNED)

    def order(self, groups: Iterable[str]) -> list[str]:
        return super().order(groups)

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> Lookup:
        """Read a lookup file: a CSV file with a header row.

        Columns (header names in any case): the child (``child_id``, or ``child``,
        ``LAchildID``), the group (the column named ``name`` when given, else ``group``,
        ``team``, ``locality``, ``worker``, ``area`` or ``unit``, else the one other column)
        and optionally ``from`` and ``to`` (dates ``YYYY-MM-DD`` or ``DD/MM/YYYY``, both
        included; empty: without limit). The lookup's name is ``name``, else the group
        column's header.

        Raises:
            InputError: the file cannot be read, a column is missing, a date is not a date, a
                child or group is empty, or two rows of one child overlap; the message names
                the file, the line and the column.
        """
        shown = str(path)
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                lines = list(csv.reader(handle))
        except OSError as exc:
            raise InputError(f"cannot open the file: {exc.strerror}", path=shown) from None
        except UnicodeDecodeError:
            raise InputError("the file is not UTF-8 text", path=shown) from None
        if not lines:
            raise InputError("the file is empty (a header row is needed)", path=shown)
        header = [h.strip() for h in lines[0]]
        low = [h.lower() for h in header]

        def find(options: Sequence[str]) -> int | None:
            for option in options:
                if option.lower() in low:
                    return low.index(option.lower())
            return None

        child_col = find(_CHILD_COLUMNS)
        if child_col is None:
            raise InputError(
                f"no child column: expected one of {', '.join(_CHILD_COLUMNS)}",
                path=shown,
                location="line 1",
            )
        from_col, to_col = find(_FROM_COLUMNS), find(_TO_COLUMNS)
        if name is not None and name.lower() in low:
            group_col: int | None = low.index(name.lower())
        else:
            group_col = find(_GROUP_COLUMNS)
        if group_col is None:
            others = [i for i in range(len(header)) if i not in (child_col, from_col, to_col)]
            if len(others) != 1:
                raise InputError(
                    "no group column: name it group (or team, locality, worker), or pass "
                    "name= the column's header",
                    path=shown,
                    location="line 1",
                )
            group_col = others[0]
        rows: list[LookupRow] = []
        for number, cells in enumerate(lines[1:], start=2):
            if not any(c.strip() for c in cells):
                continue

            def cell(index: int | None, number: int = number, cells: list[str] = cells) -> str:
                if index is None:
                    return ""
                return cells[index].strip() if index < len(cells) else ""

            def day(index: int | None, number: int = number) -> _dt.date | None:
                text = cell(index)
                if not text:
                    return None
                try:
                    return _read_day(text)
                except ValueError as exc:
                    assert index is not None
                    raise InputError(
                        str(exc),
                        path=shown,
                        location=f"line {number}",
                        field=header[index],
                        value=text,
                    ) from None

            child, group = cell(child_col), cell(group_col)
            if not child:
                raise InputError(
                    "the child is empty",
                    path=shown,
                    location=f"line {number}",
                    field=header[child_col],
                )
            if not group:
                raise InputError(
                    "the group is empty",
                    path=shown,
                    location=f"line {number}",
                    field=header[group_col],
                )
            rows.append(LookupRow(child, group, day(from_col), day(to_col), number))
        return cls(rows, name=name or header[group_col], path=shown)


def _span(row: LookupRow) -> str:
    start = "the beginning" if row.start is None else row.start.isoformat()
    end = "no end" if row.end is None else row.end.isoformat()
    return f"{row.group} from {start} to {end}"


def grouping_of(by: str | Grouping | None) -> Grouping | None:
    """The grouping ``by`` names: a :data:`DIMENSIONS` name or a grouping object.

    Raises:
        ValueError: an unknown dimension name (the message lists them).
    """
    if by is None or isinstance(by, Grouping):
        return by
    if isinstance(by, str):
        try:
            return DIMENSIONS[by]
        except KeyError:
            raise ValueError(
                f"no dimension {by!r}: expected one of {', '.join(DIMENSIONS)} or a Lookup"
            ) from None
    raise TypeError(f"by must be a dimension name or a Lookup, got {by!r}")
