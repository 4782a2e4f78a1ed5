"""Stitching several returns (several collection years) into one set of records.

Each year's return repeats the records still open at its start: an episode of care, a referral
or a plan open on 31 March appears again, perhaps closed, in the next year's return. The rule:

* Records are matched by a key per kind (for example an episode by child and start date; a
  kind without a key is matched only by being exactly equal).
* Exact repeats are loaded once; a repeat inside one return is reported as a duplicate.
* A record that differs between returns is taken from the latest collection year. When the
  earlier copy only lacked values the later one adds (an end date, a reason, more review
  dates) that is the normal course of events and nothing is reported; any other difference is
  reported as a revision.
* Two different records with the same key in the same year (or in returns whose year is
  unknown) cannot be told apart: for keyed kinds both are loaded and the clash is reported as a
  conflict (the indicators choose between such twins by their own content rule); for the
  child's header facts neither is loaded (which to believe would be a guess).
* Nothing depends on the order of the returns or of the rows: records are grouped by key and
  come out sorted by child and content.
"""

from __future__ import annotations

import datetime as _dt
import operator
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..results import DataIssue

__all__ = ["Return", "comparable", "sort_issues", "stitch"]


@attrs.define
class Return:
    """The records of one return (one collection year), before stitching."""

    location: str
    records: dict[str, list[tuple[Any, str]]] = attrs.field(factory=dict)
    """Bundle field -> [(record, "path:line")], in file order."""
    sources: list[str] = attrs.field(factory=list)
    year: int | None = None


def _blank(value: object) -> bool:
    return value is None or value == () or value == ""


def completes(old: Any, new: Any) -> bool:
    """Whether ``new`` only fills in values ``old`` left blank (an open record, closed)."""
    if type(old) is not type(new) or not attrs.has(type(old)):
        return False
    for a in attrs.fields(type(old)):
        before, after = getattr(old, a.name), getattr(new, a.name)
        if before == after or _blank(before):
            continue
        if (
            isinstance(before, tuple)
            and isinstance(after, tuple)
            and after[: len(before)] == before
        ):
            continue
        return False
    return True


def comparable(value: Any) -> tuple[Any, ...]:
    """A sort key giving a total order over the values records hold (``None``, flags, numbers,
    text, dates, tuples and records), so that sorting never depends on the order of the input."""
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, _dt.date):
        return (4, value.toordinal())
    if isinstance(value, tuple):
        return (5, tuple(comparable(v) for v in value))
    if attrs.has(type(value)):
        return (
            6,
            type(value).__name__,
            tuple(comparable(getattr(value, a.name)) for a in attrs.fields(type(value))),
        )
    return (7, type(value).__name__, repr(value))


def _record_key(record: Any) -> tuple[Any, ...]:
    child = getattr(record, "child_id", None)
    return (comparable(child), comparable(record))


_LINE = re.compile(r"^(.*?):(?:line (\d+))?(.*)$", re.DOTALL)


def _place_key(location: str | None) -> tuple[Any, ...]:
    if location is None:
        return ("", 0, "")
    match = _LINE.match(location)
    if match is None:  # pragma: no cover - the pattern matches every string
        return (location, 0, "")
    path, line, rest = match.groups()
    return (path, int(line) if line else 0, rest)


def sort_issues(issues: list[DataIssue]) -> list[DataIssue]:
    """Issues in a fixed order: by file, then line (numerically), then the rest of the place,
    child, kind and message (a stable sort: issues at one place keep the order found)."""
    return sorted(
        issues,
        key=lambda i: (_place_key(i.location), i.child_id or "", i.kind, i.message),
    )


def _place(entries: list[tuple[Any, str, int]]) -> str:
    return " and ".join(where for _, where, _ in entries)


_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)

_SAME_ORDER = frozenset({str, _dt.date, bool, int})
"""Types whose values, all of one type, are ordered by :func:`comparable` as by themselves."""

_NUMBERS = frozenset({bool, int, float})
"""Types whose values can equal one another's (``1 == True``) with different sort keys."""

_PLAIN = frozenset({str, _dt.date, _dt.datetime, bool, int, float})
"""Types whose values equal only values of their own type or, for numbers, of another number
type (so that a value's key can be found by the value, when one number type is present)."""


def _column_keys(values: list[Any]) -> list[Any]:
    """Sort keys for one field's values over many records, ordered (and equal) exactly as
    their :func:`comparable` keys: the values themselves when all are of one plainly ordered
    type; with ``None`` mapped below every other value when some are blank; else the
    :func:`comparable` keys, each made once per distinct value."""
    try:
        distinct = set(values)
    except TypeError:  # unhashable values
        return [comparable(v) for v in values]
    types = set(map(type, values))  # of every value: 1 and True are one in a set
    blank = type(None) in types
    types.discard(type(None))
    if len(types & _NUMBERS) > 1:  # 1 and True are one dict key but sort apart
        return [comparable(v) for v in values]
    mapping: dict[Any, Any]
    if len(types) == 1 and next(iter(types)) in _SAME_ORDER:
        (kind,) = types
        if not blank:
            return values
        distinct.discard(None)
        if kind is _dt.date:
            mapping = {v: v.toordinal() for v in distinct}
            mapping[None] = 0  # ordinals start at 1
        elif kind is str:
            if "" in distinct:
                return [comparable(v) for v in values]
            mapping = {v: v for v in distinct}
            mapping[None] = ""
        else:  # bool or int
            mapping = {v: v for v in distinct}
            mapping[None] = min(distinct) - 1 if distinct else 0
        return list(map(mapping.__getitem__, values))
    if not types:  # all None
        return [comparable(None)] * len(values)
    if not types <= _PLAIN:  # tuples, records: (1,) == (True,)
        return [comparable(v) for v in values]
    mapping = {v: comparable(v) for v in distinct}
    return list(map(mapping.__getitem__, values))


def _sort_records(records: list[Any]) -> list[Any]:
    """``sorted(records, key=_record_key)``, in fewer steps: each field's keys are made over
    all the records at once (:func:`_column_keys`), and the records are sorted by their first
    fields' keys, in field order (when the records are all of one type and begin with the
    child's id, that is the order of :func:`_record_key`), as many fields as it takes to tell
    every record apart: records that differ in their first fields are ordered by them alone.
    No two records to sort are equal (equal records are loaded once), so the order is fully
    fixed."""
    if len(records) < 2:
        return list(records)
    kind = type(records[0])
    if not attrs.has(kind) or len(set(map(type, records))) > 1:
        return sorted(records, key=_record_key)
    names = [a.name for a in attrs.fields(kind)]
    if not names or names[0] != "child_id":
        return sorted(records, key=_record_key)
    count = len(records)
    columns: list[list[Any]] = []
    keys: list[Any] = []
    for name in names:
        columns.append(_column_keys(list(map(operator.attrgetter(name), records))))
        keys = columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))
        if len(set(keys)) == count:
            break
    else:
        return sorted(records, key=_record_key)  # equal records: never kept twice
    return [records[i] for i in sorted(range(count), key=keys.__getitem__)]


def _values_of(records: list[Any]) -> list[Any]:
    """Keys telling records apart as the records themselves do (for kinds matched only by
    being equal): records of one type are equal exactly when their field values are, and a
    tuple of values is quicker to hash than a record. Sorted by :func:`comparable`, the tuples
    keep the records' order."""
    kinds = set(map(type, records))
    if len(kinds) != 1:
        return records
    (kind,) = kinds
    if not attrs.has(kind):
        return records
    fields = attrs.fields(kind)
    if len(fields) < 2 or not all(a.eq for a in fields):
        return records
    return list(map(operator.attrgetter(*(a.name for a in fields)), records))


def stitch(
    returns: list[Return],
    issues: list[DataIssue],
    keys: Mapping[str, Callable[[Any], tuple[Any, ...]]],
    *,
    exclusive: frozenset[str] = frozenset({"children"}),
) -> dict[str, list[Any]]:
    """The records of all returns, each loaded once by the rule of this module; problems are
    appended to ``issues``. The result does not depend on the order of the returns or of the
    records within them: each kind's records come out sorted by child and content.

    ``exclusive`` names the kinds of which a child has one record (its header facts): two
    different ones in one return are both reported and neither is loaded."""
    years = [r.year for r in returns]
    known = None not in years
    out: dict[str, list[Any]] = {}
    fields = sorted({f for r in returns for f in r.records})
    for field in fields:
        key_of = keys.get(field)
        records: list[Any] = []
        places: list[str] = []
        numbers: list[int] = []
        for number, ret in enumerate(returns):
            rows = ret.records.get(field, ())
            records.extend(map(_FIRST, rows))
            places.extend(map(_SECOND, rows))
            numbers.extend([number] * len(rows))
        keyed = _values_of(records) if key_of is None else list(map(key_of, records))
        # A key held once keeps its record and reports nothing; the others are settled in the
        # order of their keys (the order their reports were always found in; ties in the
        # order the keys are first met). The records kept are then sorted, and no two of them
        # share a sort key (only equal records would, and equal records share a key, so are
        # loaded once), so the order they were kept in leaves no trace.
        counts = Counter(keyed)
        if len(counts) == len(keyed):
            out[field] = _sort_records(records)
            continue
        groups: dict[Any, list[tuple[Any, str, int]]] = {}
        kept: list[Any] = []
        for record, key, where, number in zip(records, keyed, places, numbers, strict=True):
            if counts[key] == 1:
                kept.append(record)
            else:
                entries = groups.get(key)
                if entries is None:
                    groups[key] = [(record, where, number)]
                else:
                    entries.append((record, where, number))
        for key in sorted(groups, key=comparable):
            kept.extend(_settle(field, groups[key], returns, issues, known, field in exclusive))
        out[field] = _sort_records(kept)
    return out


def _settle(
    field: str,
    entries: list[tuple[Any, str, int]],
    returns: list[Return],
    issues: list[DataIssue],
    known: bool,
    exclusive: bool,
) -> list[Any]:
    """The records kept of one key's entries (record, place, return number)."""
    # Exact repeats: once per return is normal (a record still open is repeated each year);
    # twice in one return is a duplicate, reported.
    distinct: dict[Any, list[tuple[Any, str, int]]] = {}
    for entry in entries:
        distinct.setdefault(entry[0], []).append(entry)
    for copies in distinct.values():
        firsts: dict[int, str] = {}
        for record, where, number in copies:
            if number in firsts:
                issues.append(
                    DataIssue(
                        f"an exact duplicate of the record at {firsts[number]}; loaded once",
                        record.child_id,
                        record,
                        "duplicate",
                        location=where,
                    )
                )
            else:
                firsts[number] = where
    if len(distinct) == 1:
        return [next(iter(distinct))]
    # Versions differ: the latest collection year wins, if every year is known.
    if known:
        latest = max(returns[n].year or 0 for _, _, n in entries)
        winners = sorted(
            (
                r
                for r, copies in distinct.items()
                if any(returns[n].year == latest for *_, n in copies)
            ),
            key=comparable,
        )
    else:
        latest = None
        winners = sorted(distinct, key=comparable)
    if len(winners) > 1:
        for i, record in enumerate(winners[1:], 1):
            first = winners[0]
            first_where = _place(distinct[first])
            what = "neither is loaded" if exclusive else "both are loaded"
            issues.append(
                DataIssue(
                    f"conflicts with the record at {first_where} (same key, other values, same "
                    f"collection year): {what}",
                    record.child_id,
                    record,
                    "conflict",
                    location=_place(distinct[record]),
                )
            )
            if exclusive and i == 1:
                issues.append(
                    DataIssue(
                        f"conflicts with the record at {_place(distinct[record])} (same key, "
                        f"other values, same collection year): {what}",
                        first.child_id,
                        first,
                        "conflict",
                        location=first_where,
                    )
                )
    for record, copies in sorted(distinct.items(), key=lambda item: comparable(item[0])):
        if record in winners:
            continue
        year = max(returns[n].year or 0 for _, _, n in copies)
        if any(completes(record, w) for w in winners):
            continue
        issues.append(
            DataIssue(
                f"revised in the {latest} return: the {year} version at {_place(copies)} is "
                "replaced"
                + (
                    f" by the record at {_place(distinct[winners[0]])}" if len(winners) == 1 else ""
                ),
                record.child_id,
                record,
                "revised",
                location=_place(distinct[winners[0]]) if len(winners) == 1 else _place(copies),
            )
        )
    return [] if exclusive and len(winners) > 1 else winners
