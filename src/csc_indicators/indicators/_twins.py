"""Decision D14: two different records of one event ("twins").

Two records of the same child and kind that start on the same date (plans, section 47
enquiries, assessments, referrals, episodes; OC2/OC3 rows of one year; AD1 rows) are records
of one event. When their contents are identical they are a *duplicate*: one is used, the other
is reported (kind ``duplicate``). When their contents differ they are a *conflict*: reported
(kind ``conflict``) naming both records, and one is chosen by the same content rule everywhere:

1. the later end (an open record, or one whose end is after the date the figure is judged at,
   counts as latest: decision D15);
2. then the one with more recorded detail (dates, reviews, counts, flags), counting only the
   dates known by the judging date;
3. then the record from the later return, when the records say which return they came from;
4. then a fixed total order on the contents known by the judging date, and last on the whole
   contents, so the choice never depends on the order of the records.

An indicator first selects the records its own rule takes (e.g. plans open on ``period.end``)
and only then chooses among the selected twins (:func:`select_twins`): a record that qualifies
is never dropped as the twin of one that does not.

Every function here is pure and used by several indicators and by
:mod:`csc_indicators.care_history`; reuse them rather than writing another tie-break.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

import attrs

from ..decisions import Sink

__all__ = [
    "choose_twin",
    "describe_record",
    "known_key",
    "recorded_detail",
    "same_as_known",
    "select_twins",
    "total_key",
    "twin_rank",
]

R = TypeVar("R")

EndOf = Callable[[Any], "_dt.date | None"]
ReturnOf = Callable[[Any], "int | None"]


def _fields(record: object) -> list[tuple[str, object]]:
    return [(name, value) for name, value, _ in _fields_with_defaults(record)]


def _fields_with_defaults(record: object) -> list[tuple[str, object, object]]:
    if not attrs.has(type(record)):
        return [("value", record, attrs.NOTHING)]
    cls = cast("type[attrs.AttrsInstance]", type(record))
    return [
        (a.name, getattr(record, a.name), a.default)
        for a in attrs.fields(cls)
        if a.name != "child_id"
    ]


def _known(value: object, as_of: _dt.date | None) -> object:
    """``value`` as known on ``as_of``: a date after it is unknown (``None``); a tuple keeps
    only its known items."""
    if as_of is None:
        return value
    if isinstance(value, _dt.date):
        return None if value > as_of else value
    if isinstance(value, tuple):
        return tuple(v for v in value if not (isinstance(v, _dt.date) and v > as_of))
    return value


def _sortable(value: object) -> tuple[object, ...]:
    # None sorts first; values of one field share a type, so they compare among themselves.
    return (0,) if value is None else (1, value)


def total_key(record: object) -> tuple[object, ...]:
    """A total order on records of one type: every field but the child id, ``None`` first."""
    return tuple(_sortable(v) for _, v in _fields(record))


def known_key(record: object, as_of: _dt.date | None) -> tuple[object, ...]:
    """As :func:`total_key`, on the contents known by ``as_of`` (later dates unknown)."""
    return tuple(_sortable(_known(v, as_of)) for _, v in _fields(record))


def recorded_detail(record: object, as_of: _dt.date | None = None) -> int:
    """How much a record holds: one per field recorded (holding a value other than the
    field's "not recorded" default: ``None``, an unset flag), one per item of a tuple (review
    dates), counting only dates known by ``as_of``."""
    n = 0
    for _, value, default in _fields_with_defaults(record):
        v = _known(value, as_of)
        if v is None:
            continue
        if isinstance(v, tuple):
            n += len(v)
        elif default is attrs.NOTHING or v != default:
            n += 1
    return n


def twin_rank(
    record: object,
    *,
    end: EndOf | None = None,
    returned: ReturnOf | None = None,
    as_of: _dt.date | None = None,
) -> tuple[object, ...]:
    """The D14 preference as a sort key (the largest is chosen): later end (open, or ending
    after ``as_of``, latest), more recorded detail, later return, then the contents."""
    e = None if end is None else end(record)
    if e is not None and as_of is not None and e > as_of:
        e = None
    r = None if returned is None else returned(record)
    return (
        end is None or e is None,
        e or _dt.date.min,
        recorded_detail(record, as_of),
        r is not None,
        r or 0,
        known_key(record, as_of),
        total_key(record),
    )


def choose_twin(
    records: Iterable[R],
    *,
    end: EndOf | None = None,
    returned: ReturnOf | None = None,
    as_of: _dt.date | None = None,
) -> R:
    """The record decision D14 prefers among twins (independent of their order).

    Args:
        records: the twins (at least one).
        end: the record's end date (``None`` while open); omit for records with no end.
        returned: the collection year of the return the record came from, when known.
        as_of: the date the figure is judged at (decision D15): later dates are unknown.
    """
    found = list(records)
    if len(found) == 1:  # nothing to rank
        return found[0]
    return max(found, key=lambda r: twin_rank(r, end=end, returned=returned, as_of=as_of))


def same_as_known(a: object, b: object, as_of: _dt.date | None = None) -> bool:
    """Whether two records hold the same contents as known on ``as_of`` (an exact duplicate
    then, not a conflict: decision D15 applied to D14)."""
    return a == b or (type(a) is type(b) and known_key(a, as_of) == known_key(b, as_of))


def describe_record(record: object, as_of: _dt.date | None = None) -> str:
    """A record's recorded contents in words (those known on ``as_of``), for messages naming
    a twin."""
    parts: list[str] = []
    for name, raw in _fields(record):
        value = _known(raw, as_of)
        if value is None or value == ():
            continue
        if isinstance(value, tuple):
            shown = ", ".join(v.isoformat() if isinstance(v, _dt.date) else str(v) for v in value)
            parts.append(f"{name} [{shown}]")
        elif isinstance(value, _dt.date):
            parts.append(f"{name} {value.isoformat()}")
        else:
            parts.append(f"{name} {value}")
    return f"{type(record).__name__}({'; '.join(parts)})"


def select_twins(
    b: Sink | None,
    child_id: str,
    records: Sequence[R],
    *,
    same: Callable[[R], object],
    selected: Callable[[R], bool] = lambda _: True,
    noun: str,
    end: EndOf | None = None,
    returned: ReturnOf | None = None,
    as_of: _dt.date | None = None,
) -> list[tuple[R, R | None]]:
    """Selection first, de-duplication second (decision D14).

    Groups one child's ``records`` by ``same`` (the event: usually the start date). Only the
    ``selected`` records are returned, in the order given, each paired with the selected twin
    chosen for its event (``None`` for the chosen record itself). A conflict (twins with
    different contents, at least one selected) is reported to ``b`` once per other record, as
    a ``conflict`` issue naming both records; exact duplicates are left for the caller to
    report (as ``duplicate``).
    """
    events = [same(r) for r in records]
    if len(set(events)) == len(events):  # no twins: each selected record is its event's own
        return [(r, None) for r in records if selected(r)]
    groups: dict[object, list[R]] = {}
    for r, event in zip(records, events, strict=True):
        groups.setdefault(event, []).append(r)
    chosen: dict[object, R] = {}
    for event, group in groups.items():
        if len(group) == 1:  # a lone record: no twin to choose from, no conflict to report
            if selected(group[0]):
                chosen[event] = group[0]
            continue
        picked = [r for r in group if selected(r)]
        if not picked:
            continue
        best = choose_twin(picked, end=end, returned=returned, as_of=as_of)
        chosen[event] = best
        if b is None:
            continue
        reported: list[R] = []
        for r in sorted(group, key=total_key):
            if same_as_known(r, best, as_of) or any(same_as_known(r, x, as_of) for x in reported):
                continue
            reported.append(r)
            why = "is used" if selected(r) else "is used (the other does not qualify here)"
            b.issue(
                f"two different {noun} records of one event ({event_label(event)}): "
                f"{describe_record(best, as_of)} {why}, not {describe_record(r, as_of)} "
                "(decision D14)",
                child_id,
                r,
                kind="conflict",
            )
    out: list[tuple[R, R | None]] = []
    used: set[object] = set()
    for r in records:
        if not selected(r):
            continue
        event = same(r)
        best = chosen[event]
        if event not in used and r == best:
            used.add(event)
            out.append((r, None))
        else:
            out.append((r, best))
    return out


def event_label(event: object) -> str:
    """An event key in words (a start date, or a tuple of dates)."""
    if isinstance(event, _dt.date):
        return f"starting {event.isoformat()}"
    if isinstance(event, tuple):
        return ", ".join(event_label(e) for e in event)
    return str(event)
