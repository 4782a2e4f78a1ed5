"""Matching their rows with our outcomes on the natural key (the child id and the identifying
dates, :mod:`~csc_indicators.reconciliation.keys`), and putting each pair in one
:class:`~csc_indicators.reconciliation.model.Status`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import cast

from ..results import Outcome
from .keys import identity_of
from .model import Status
from .theirs import TheirRow

_Key = tuple[object, ...]


def _key_fields(record_type: type, roles: Sequence[str]) -> tuple[str | None, ...]:
    identity = identity_of(record_type)
    return tuple(identity.get(role) for role in roles)


class _Keyer:
    """The key of a record: its child id and its dates in the roles matched on."""

    def __init__(self, roles: Sequence[str]) -> None:
        self.roles = tuple(roles)
        self._getters: dict[type, Callable[[str, object], _Key]] = {}

    def _getter(self, record_type: type) -> Callable[[str, object], _Key]:
        fields = _key_fields(record_type, self.roles)
        if not fields:
            return lambda child, record: (child,)
        if all(f is not None for f in fields):
            get = attrgetter(*cast("tuple[str, ...]", fields))
            if len(fields) == 1:
                return lambda child, record: (child, get(record))
            return lambda child, record: (child, *get(record))

        def generic(child: str, record: object) -> _Key:
            return (child, *(None if f is None else getattr(record, f, None) for f in fields))

        return generic

    def __call__(self, child_id: str, record: object) -> _Key:
        getter = self._getters.get(type(record))
        if getter is None:
            getter = self._getters[type(record)] = self._getter(type(record))
        return getter(child_id, record)

    def keys(self, outcomes: Sequence[Outcome]) -> list[_Key]:
        """The key of every outcome's record (in one pass, without a call per outcome, when
        the records are of one type that has every role)."""
        types = {type(o.record) for o in outcomes}
        if len(types) == 1:
            fields = _key_fields(types.pop(), self.roles)
            if not fields:
                return [(o.child_id,) for o in outcomes]
            if all(f is not None for f in fields):
                get = attrgetter(*cast("tuple[str, ...]", fields))
                if len(fields) == 1:
                    return [(o.child_id, get(o.record)) for o in outcomes]
                return [(o.child_id, *get(o.record)) for o in outcomes]
        return [self(o.child_id, o.record) for o in outcomes]


def _their_key(row: TheirRow, roles: Sequence[str]) -> _Key:
    return (row.child_id, *(row.dates.get(r) for r in roles))


def _their_keys(rows: Sequence[TheirRow], roles: Sequence[str]) -> list[_Key]:
    """:func:`_their_key` of every row (the common one and two dates without a generator)."""
    if not roles:
        return [(row.child_id,) for row in rows]
    if len(roles) == 1:
        (a,) = roles
        return [(row.child_id, row.dates.get(a)) for row in rows]
    if len(roles) == 2:
        a, b = roles
        return [(row.child_id, row.dates.get(a), row.dates.get(b)) for row in rows]
    return [_their_key(row, roles) for row in rows]


_Pair = tuple[Status, Outcome | None, TheirRow | None, int | None, _Key]
"""status, our outcome, their row, the line of the earlier row a duplicate repeats, the key."""


def _match(
    outcomes: Sequence[Outcome],
    rows: Sequence[TheirRow],
    their_keys: Sequence[_Key],
    keyer: _Keyer,
) -> list[_Pair]:
    ours: defaultdict[_Key, list[int]] = defaultdict(list)
    our_keys = keyer.keys(outcomes)
    for i, k in enumerate(our_keys):
        ours[k].append(i)
    taken = [False] * len(outcomes)
    cursor: dict[_Key, int] = {}
    first_line: dict[_Key, int] = {}
    pairs: list[_Pair] = []
    append = pairs.append
    for row, k in zip(rows, their_keys, strict=True):
        if row.problem is not None:
            append((Status.UNREADABLE, None, row, None, k))
            continue
        candidates = ours.get(k)
        n = cursor.get(k, 0)
        if candidates is not None and n < len(candidates):
            cursor[k] = n + 1
            i = candidates[n]
            taken[i] = True
            o = outcomes[i]
            append((_classify(o, row), o, row, None, k))
        elif k in first_line:
            append((Status.DUPLICATE_IN_THEIRS, None, row, first_line[k], k))
        elif row.counted is False:
            append((Status.NOT_COUNTED_BY_EITHER, None, row, None, k))
        else:
            append((Status.ONLY_THEIRS, None, row, None, k))
        first_line.setdefault(k, row.line)
    for i, o in enumerate(outcomes):
        if not taken[i]:
            status = Status.ONLY_OURS if o.counted else Status.NOT_COUNTED_BY_EITHER
            append((status, o, None, None, our_keys[i]))
    return pairs


def _tally(
    outcomes: Sequence[Outcome],
    rows: Sequence[TheirRow],
    their_keys: Sequence[_Key],
    keyer: _Keyer,
) -> dict[Status, int]:
    """The records per class that :func:`_match` would give, without building the pairs: each
    class in the order it first appears in :func:`_match`'s pairs (so a tally by name keeps the
    order of one made from the pairs)."""
    ours: dict[_Key, list[int]] = {}
    our_keys = keyer.keys(outcomes)
    for i, k in enumerate(our_keys):
        found = ours.get(k)
        if found is None:
            ours[k] = [i]
        else:
            found.append(i)
    taken = [False] * len(outcomes)
    cursor: dict[_Key, int] = {}
    seen: set[_Key] = set()
    tally: dict[Status, int] = {}
    get = tally.get
    for row, k in zip(rows, their_keys, strict=True):
        if row.problem is not None:
            status = Status.UNREADABLE
        else:
            candidates = ours.get(k)
            n = cursor.get(k, 0)
            if candidates is not None and n < len(candidates):
                cursor[k] = n + 1
                i = candidates[n]
                taken[i] = True
                status = _classify(outcomes[i], row)
            elif k in seen:
                status = Status.DUPLICATE_IN_THEIRS
            elif row.counted is False:
                status = Status.NOT_COUNTED_BY_EITHER
            else:
                status = Status.ONLY_THEIRS
            seen.add(k)
        tally[status] = get(status, 0) + 1
    for i, o in enumerate(outcomes):
        if not taken[i]:
            status = Status.ONLY_OURS if o.counted else Status.NOT_COUNTED_BY_EITHER
            tally[status] = get(status, 0) + 1
    return tally


def _classify(o: Outcome, row: TheirRow) -> Status:
    their_counted = True if row.counted is None else row.counted
    if their_counted != o.counted:
        return Status.COUNTED_DIFFERS
    if not o.counted:
        return Status.AGREE
    if row.met is not None and row.met != o.met:
        return Status.MET_DIFFERS
    if _measures_differ(o.measure, row.measure):
        return Status.MEASURE_DIFFERS
    return Status.AGREE


def _measures_differ(ours: int | float | None, theirs: int | float | None) -> bool:
    return ours is not None and theirs is not None and abs(ours - theirs) > 1e-9


def _differences(pairs: Iterable[_Pair]) -> int:
    return sum(1 for p in pairs if p[0].is_difference)


def _tallied_differences(tally: Mapping[Status, int]) -> int:
    return sum(n for s, n in tally.items() if s.is_difference)
