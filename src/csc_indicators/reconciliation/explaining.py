"""Explaining the differences: each record's reason in words, what our data hold for a row
only in theirs, systematic measure offsets, and their figure from their list.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import cast

import attrs

from ..bundle import RECORD_FIELDS, Bundle
from ..periods import Period
from ..registry import IndicatorSpec
from ..results import IndicatorResult, Outcome, ValueKind
from .matching import _Key, _Keyer, _Pair
from .model import Figure, Status
from .theirs import TheirList, TheirRow


def _words(field: str) -> str:
    return field.replace("_", " ")


def _flag(value: bool | None, yes: str, no: str) -> str:
    return "?" if value is None else (yes if value else no)


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "-" if value is None else str(value)


def _offset(d: float) -> str:
    d = int(d) if float(d).is_integer() else d
    return f"ours + {d}" if d > 0 else f"ours - {-d}"


class _Explainer:
    """Reasons for the records only in theirs: what our data hold under their key. The index
    of our records is built on the first row that needs it."""

    def __init__(
        self, spec: IndicatorSpec | None, bundle: Bundle | None, keyer: _Keyer, period: Period
    ) -> None:
        self.keyer = keyer
        self.period = period
        self.spec = spec
        self.bundle = bundle
        self._records: dict[_Key, list[object]] | None = None
        self.by_child: dict[str, list[object]] = defaultdict(list)
        self.children: set[str] | None = None

    @property
    def records(self) -> dict[_Key, list[object]] | None:
        bundle, spec, keyer = self.bundle, self.spec, self.keyer
        if bundle is None or self._records is not None:
            return self._records
        self._records = defaultdict(list)
        names = (*spec.inputs, *spec.optional_inputs) if spec is not None else RECORD_FIELDS
        for name in names:
            for record in getattr(bundle, name, None) or ():
                child = record.child_id
                self._records[keyer(child, record)].append(record)
                self.by_child[child].append(record)
        self.children = {
            r.child_id for name in RECORD_FIELDS for r in (getattr(bundle, name) or ())
        }
        return self._records

    def only_theirs(self, row: TheirRow, k: _Key, ours_of_child: Sequence[Outcome]) -> str:
        records = self.records
        if records is not None:
            found = records.get(k)
            if found:
                return self._outside(found[0])
        if ours_of_child:
            shown = "; ".join(self._key_text(o.child_id, o.record) for o in ours_of_child[:3])
            more = f" and {len(ours_of_child) - 3} more" if len(ours_of_child) > 3 else ""
            return f"no such record in our data; our outcomes for this child: {shown}{more}"
        if self.records is not None:
            others = self.by_child.get(row.child_id)
            if others:
                shown = "; ".join(self._key_text(row.child_id, r) for r in others[:3])
                return f"no such record in our data; our records of this child: {shown}"
            if self.children is not None and row.child_id not in self.children:
                return "child not in our data"
            return "no such record in our data (the child has no records of this kind)"
        return "not among our outcomes (give the records to say why)"

    def _key_text(self, child_id: str, record: object) -> str:
        key = self.keyer(child_id, record)[1:]
        parts = [
            f"{_words(r)} {v.isoformat() if isinstance(v, _dt.date) else '-'}"
            for r, v in zip(self.keyer.roles, key, strict=True)
        ]
        return ", ".join(parts) or type(record).__name__

    def _outside(self, record: object) -> str:
        p = self.period
        notes: list[str] = []
        if attrs.has(type(record)):
            for a in attrs.fields(cast("type[attrs.AttrsInstance]", type(record))):
                value = getattr(record, a.name)
                if isinstance(value, _dt.date):
                    if value < p.start:
                        notes.append(f"{_words(a.name)} {value.isoformat()} is before the period")
                    elif value > p.end:
                        notes.append(f"{_words(a.name)} {value.isoformat()} is after the period")
                elif value is None and a.default is None and "date" in a.name:
                    notes.append(f"no {_words(a.name)}")
        where = f"{p} ({p.start.isoformat()} to {p.end.isoformat()})"
        if notes:
            return f"in our data but not an outcome for {where}: " + "; ".join(notes)
        return f"in our data but not an outcome for {where}: the indicator does not consider it"


def _reason(pair: _Pair, explainer: _Explainer, ours_by_child: Mapping[str, list[Outcome]]) -> str:
    status, o, t, earlier, k = pair
    if status is Status.UNREADABLE:
        assert t is not None
        return f"cannot be matched: {t.problem}"
    if status is Status.DUPLICATE_IN_THEIRS:
        return f"same child and dates as their line {earlier}"
    if status is Status.ONLY_THEIRS:
        assert t is not None
        return explainer.only_theirs(t, k, ours_by_child.get(t.child_id, ()))
    if status is Status.ONLY_OURS:
        assert o is not None
        return f"we count it ({o.reason or 'counted'}); not in their list"
    if status is Status.NOT_COUNTED_BY_EITHER:
        if o is None:
            return "they list it as not counted; it is not among our outcomes"
        return f"we leave it out ({o.reason}); not in their list"
    assert o is not None
    assert t is not None
    if status is Status.COUNTED_DIFFERS:
        if o.counted:
            return f"we count it ({o.reason or 'counted'}); they do not"
        return f"we leave it out: {o.reason}; they count it"
    ours = f"{_flag(o.met, 'met', 'not met')}, measure {_show(o.measure)}"
    theirs = f"{_flag(t.met, 'met', 'not met')}, measure {_show(t.measure)}"
    if status is Status.MET_DIFFERS:
        return f"ours {ours}; theirs {theirs}"
    if status is Status.MEASURE_DIFFERS:
        assert o.measure is not None and t.measure is not None
        return f"measure: ours {_show(o.measure)}, theirs {_show(t.measure)} (theirs = " + (
            _offset(t.measure - o.measure) + ")"
        )
    return "agree"


def _offsets(pairs: Sequence[_Pair]) -> tuple[str, ...]:
    diffs: Counter[float] = Counter()
    compared = 0
    for status, o, t, _, _ in pairs:
        if o is None or t is None or not o.counted or status is Status.COUNTED_DIFFERS:
            continue
        if o.measure is None or t.measure is None:
            continue
        compared += 1
        d = t.measure - o.measure
        if abs(d) > 1e-9:
            diffs[d] += 1
    if not diffs:
        return ()
    total = sum(diffs.values())
    out = [
        f"{n} of {compared} measures are {_offset(d)}"
        for d, n in sorted(diffs.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    ]
    if len(diffs) > 3:
        out.append(f"{total - sum(n for _, n in diffs.most_common(3))} more differ otherwise")
    if len(diffs) == 1:
        (d,) = diffs
        out.append(f"every differing measure is {_offset(d)}: a constant offset")
    return tuple(out)


def _figure(result: IndicatorResult, rows: Sequence[TheirRow], theirs: TheirList) -> Figure:
    counted = [r for r in rows if r.counted is not False]
    numerator: int | float | None
    if result.kind is ValueKind.PERCENTAGE:
        numerator = sum(1 for r in counted if r.met) if theirs.has("met") else None
    elif result.kind is ValueKind.MEAN:
        numerator = (
            sum(r.measure or 0 for r in counted)
            if theirs.has("measure") and all(isinstance(r.measure, int) for r in counted)
            else None
        )
    else:
        numerator = len(counted)
    if numerator is None:
        return Figure(None, len(counted), None, None)
    as_result = attrs.evolve(
        result, numerator=int(numerator), denominator=len(counted), outcomes=(), issues=()
    )
    return Figure(numerator, len(counted), as_result.value, as_result.rounded_value)


def _our_figure(result: IndicatorResult) -> Figure:
    return Figure(result.numerator, result.denominator, result.value, result.rounded_value)
