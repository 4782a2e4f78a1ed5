"""Reconciling their per-record list with our outcomes: match, classify, explain.

Records are matched on the indicator's natural key (the child id and the dates that identify
the record, :mod:`~csc_indicators.reconciliation.keys`), every record is put in one class
(:class:`Status`) with a reason, and systematic differences are explained: a constant offset in
the measures, and the one documented parameter whose other value removes the most differences,
proved by recomputing the indicator with it.
"""

from __future__ import annotations

import datetime as _dt
import enum
import inspect
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, cast

import attrs

from ..bundle import RECORD_FIELDS, Bundle
from ..params import format_value, parameters_of
from ..periods import Period
from ..provenance import Provenance, provenance
from ..registry import INDICATORS, IndicatorSpec
from ..results import IndicatorResult, Outcome, ValueKind, keeping_outcomes
from .keys import identity_of, normalise, spellings_for
from .theirs import ReconcileError, TheirList, TheirRow, read_theirs

__all__ = [
    "Comparison",
    "Figure",
    "Reconciliation",
    "Status",
    "Suggestion",
    "Trial",
    "compute",
    "reconcile",
]


class Status(enum.Enum):
    """The class of one record in a reconciliation."""

    AGREE = "agree"
    """In both lists, counted alike, with the same met flag and measure (where they give
    them)."""
    ONLY_OURS = "only in ours"
    """We count it; it is not in their list."""
    ONLY_THEIRS = "only in theirs"
    """In their list (and counted by them); not among our outcomes."""
    COUNTED_DIFFERS = "counted differently"
    """In both lists; one side counts it, the other leaves it out."""
    MET_DIFFERS = "met differs"
    """Counted by both; one side says met, the other not met."""
    MEASURE_DIFFERS = "measure differs"
    """Counted by both with the same met flag, but a different measure."""
    DUPLICATE_IN_THEIRS = "duplicate in theirs"
    """A second row of theirs with the key of an earlier row."""
    UNREADABLE = "unreadable in theirs"
    """A row of theirs that cannot be matched: no child id, or a date that is not a date."""
    NOT_COUNTED_BY_EITHER = "not counted by either"
    """We considered it and left it out; it is not in their list either."""

    @property
    def is_difference(self) -> bool:
        """Whether the two sides disagree about the record (or cannot be compared)."""
        return self not in (Status.AGREE, Status.NOT_COUNTED_BY_EITHER)

    def __str__(self) -> str:
        return self.value


_DIFFERENCES = tuple(s for s in Status if s.is_difference)


@attrs.frozen(slots=True)
class Comparison:
    """One record of either list, classified, with the reason."""

    status: Status
    """Its class."""
    child_id: str
    """The child."""
    key: tuple[object, ...]
    """The identifying dates (``datetime.date`` or ``None``) it was matched on, in the order of
    :attr:`Reconciliation.key_roles`."""
    ours: Outcome | None
    """Our outcome, when we have one."""
    theirs: TheirRow | None
    """Their row, when they have one."""
    reason: str
    """Why it is in this class, in words."""


@attrs.frozen(slots=True)
class Figure:
    """One side's figure: numerator, denominator and value (``None`` when not known)."""

    numerator: int | float | None
    denominator: int
    value: float | None
    rounded_value: float | int | None

    def to_dict(self) -> dict[str, object]:
        """The figure as a plain dict."""
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "rounded_value": self.rounded_value,
        }


@attrs.frozen(slots=True)
class Trial:
    """One alternative parameter value tried, with the differences it leaves."""

    name: str
    value: object
    differences: int | None
    """The number of records that still differ among the children with a difference (the
    screen, see :attr:`Reconciliation.trials`); ``None`` when the recomputation failed."""
    error: str | None = None


@attrs.frozen(slots=True)
class Suggestion:
    """The parameter value that removes the most differences, proved by recomputing."""

    name: str
    value: object
    before: int
    """Records differing with our parameters."""
    after: int
    """Records differing when recomputed with this value."""
    counts_after: Mapping[str, int]
    """Records per class after, by class name."""
    param: str
    """The ``NAME=VALUE`` text that sets it (for ``--param``)."""
    text: str
    """The explanation, in words."""


@attrs.frozen(slots=True)
class Reconciliation:
    """Their list compared with our outcomes, record by record."""

    indicator: str
    title: str
    period: Period
    parameters: Mapping[str, object] = attrs.field(repr=False)
    """Our parameters (as the result records them)."""
    key_roles: tuple[str, ...]
    """The dates records were matched on, after the child id."""
    columns: Mapping[str, str]
    """Their column name to the role it was read as."""
    ignored_columns: tuple[str, ...]
    """Their columns not used."""
    comparisons: tuple[Comparison, ...] = attrs.field(repr=False)
    """Every record of either list, classified: theirs in their order (with our matching
    outcome), then ours not in their list, in our order."""
    ours: Figure
    """Our figure."""
    theirs: Figure
    """Their figure, from their list (their counted rows; their met flags or measures)."""
    offsets: tuple[str, ...] = ()
    """Systematic measure differences, in words (``118 of 120 measures are ours + 1``)."""
    suggestion: Suggestion | None = None
    """The parameter that closes the most of the gap, when one reduces it."""
    trials: tuple[Trial, ...] = ()
    """Every alternative tried, in order, with the differences it leaves among the children
    that differ (each child is decided from its own records, so the others are left out of
    this screen; the suggestion's own counts come from recomputing everything)."""
    notes: tuple[str, ...] = ()
    """Caveats: columns they do not give, a list that looks like another period, ..."""
    provenance: Provenance | None = None
    """What our figures were computed with."""
    kind: ValueKind = ValueKind.PERCENTAGE
    """How the indicator's value is formed (as the result says)."""

    def counts(self) -> dict[Status, int]:
        """The number of records in each class (every class, zeros included)."""
        tally = Counter(c.status for c in self.comparisons)
        return {s: tally.get(s, 0) for s in Status}

    @property
    def differences(self) -> tuple[Comparison, ...]:
        """The records the two sides disagree about (or that cannot be compared)."""
        return tuple(c for c in self.comparisons if c.status.is_difference)

    def summary(self) -> dict[str, object]:
        """The headline: indicator, period, both figures, counts per class, explanations."""
        return {
            "indicator": self.indicator,
            "title": self.title,
            "period": str(self.period),
            "matched_on": ["child_id", *self.key_roles],
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
            "ours": self.ours.to_dict(),
            "theirs": self.theirs.to_dict(),
            "counts": {str(s): n for s, n in self.counts().items()},
            "differences": len(self.differences),
            "offsets": list(self.offsets),
            "suggestion": None
            if self.suggestion is None
            else {
                "parameter": self.suggestion.name,
                "value": format_value(self.suggestion.value),
                "param": self.suggestion.param,
                "differences_before": self.suggestion.before,
                "differences_after": self.suggestion.after,
                "counts_after": dict(self.suggestion.counts_after),
                "text": self.suggestion.text,
            },
            "trials": [
                {
                    "parameter": t.name,
                    "value": format_value(t.value),
                    "differences": t.differences,
                    **({"error": t.error} if t.error else {}),
                }
                for t in self.trials
            ],
            "notes": list(self.notes),
        }

    def rows(self, everything: bool = False) -> list[dict[str, object]]:
        """One plain dict per differing record (every record when ``everything``): class,
        child, the key dates, both sides' counted, met and measure, their line, the reason
        and our own reason."""
        out: list[dict[str, object]] = []
        for c in self.comparisons if everything else self.differences:
            row: dict[str, object] = {"status": str(c.status), "child_id": c.child_id}
            for role, value in zip(self.key_roles, c.key, strict=True):
                row[role] = value
            o, t = c.ours, c.theirs
            row.update(
                our_counted=None if o is None else o.counted,
                our_met=None if o is None else o.met,
                our_measure=None if o is None else o.measure,
                their_line=None if t is None else t.line,
                their_counted=None if t is None else t.counted,
                their_met=None if t is None else t.met,
                their_measure=None if t is None else t.measure,
                reason=c.reason,
                our_reason=None if o is None else o.reason,
            )
            out.append(row)
        return out


# -- computing ------------------------------------------------------------------------------


def _as_bundle(data: Bundle | Mapping[str, Iterable[object]] | None) -> Bundle | None:
    if data is None or isinstance(data, Bundle):
        return data
    unknown = sorted(set(data) - set(RECORD_FIELDS))
    if unknown:
        raise ReconcileError(
            f"unknown record kinds {', '.join(unknown)} (known: {', '.join(RECORD_FIELDS)})"
        )
    return Bundle(**cast(dict[str, Any], {k: tuple(v) for k, v in data.items()}))


def compute(
    spec: IndicatorSpec,
    bundle: Bundle,
    period: Period,
    parameters: Mapping[str, object] | None = None,
) -> IndicatorResult:
    """Compute one registered indicator on a bundle with the given keyword parameters
    (``calendar``, ``population`` and any documented parameter), keeping every outcome.

    The records are passed as the scorecard passes them (required inputs positionally,
    optional inputs and ``data_from`` dates by keyword); ``parameters`` not in the function's
    signature are ignored, so a result's own ``parameters`` can be passed back.

    Raises:
        ReconcileError: the bundle lacks one of the indicator's inputs.
    """
    missing = [n for n in spec.inputs if getattr(bundle, n) is None]
    if missing:
        raise ReconcileError(f"{spec.id} needs {', '.join(missing)}, which the data lack")
    args = [getattr(bundle, n) for n in spec.inputs]
    kwargs: dict[str, Any] = {
        n: getattr(bundle, n) for n in spec.optional_inputs if getattr(bundle, n) is not None
    }
    for keyword, kind in spec.data_from:
        first = bundle.data_from(kind)
        if first is not None:
            kwargs[keyword] = first
    accepted = inspect.signature(spec.function).parameters
    for name, value in (parameters or {}).items():
        if name in accepted and name not in spec.inputs and name not in spec.optional_inputs:
            kwargs[name] = value
    with keeping_outcomes(True):
        return spec.function(*args, period, **kwargs)


# -- matching -------------------------------------------------------------------------------

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


def _their_key(row: TheirRow, roles: Sequence[str]) -> _Key:
    return (row.child_id, *(row.dates.get(r) for r in roles))


_Pair = tuple[Status, Outcome | None, TheirRow | None, int | None, _Key]
"""status, our outcome, their row, the line of the earlier row a duplicate repeats, the key."""


def _match(
    outcomes: Sequence[Outcome],
    rows: Sequence[TheirRow],
    their_keys: Sequence[_Key],
    keyer: _Keyer,
) -> list[_Pair]:
    ours: defaultdict[_Key, list[int]] = defaultdict(list)
    our_keys = [keyer(o.child_id, o.record) for o in outcomes]
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


# -- explaining -----------------------------------------------------------------------------


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


# -- the entry point ------------------------------------------------------------------------


def _record_types(
    result: IndicatorResult, bundle: Bundle | None, spec: IndicatorSpec | None
) -> list[type]:
    seen: dict[type, None] = {}
    for o in result.outcomes:
        seen.setdefault(type(o.record), None)
    if not seen and bundle is not None and spec is not None:
        for name in (*spec.inputs, *spec.optional_inputs):
            for record in getattr(bundle, name, None) or ():
                seen.setdefault(type(record), None)
                break
    return list(seen)


def _key_roles(
    key: Sequence[str] | None, theirs: TheirList, record_types: Sequence[type]
) -> tuple[str, ...]:
    present = set(theirs.columns.values())
    if key is not None:
        spellings = spellings_for(record_types)
        by_their_name = {normalise(name): role for name, role in theirs.columns.items()}
        roles: list[str] = []
        for name in key:
            role = by_their_name.get(normalise(name)) or spellings.get(normalise(name))
            if role is None or role in ("counted", "met", "measure"):
                known = ", ".join(
                    n for n, r in theirs.columns.items() if r not in ("counted", "met", "measure")
                )
                raise ReconcileError(
                    f"--key {name}: not a key column of their list (have: {known})"
                )
            if role not in present:
                raise ReconcileError(f"--key {name}: their list has no {role} column")
            if role != "child_id" and role not in roles:
                roles.append(role)
        return tuple(roles)
    ordered: dict[str, None] = {}
    for t in record_types:
        for role in identity_of(t):
            if role in present:
                ordered.setdefault(role, None)
    return tuple(ordered)


def reconcile(
    result: IndicatorResult,
    theirs: str | os.PathLike[str] | Iterable[Mapping[str, object]] | TheirList,
    *,
    data: Bundle | Mapping[str, Iterable[object]] | None = None,
    key: Sequence[str] | None = None,
    columns: Mapping[str, str] | None = None,
    search: bool = True,
    spec: IndicatorSpec | None = None,
) -> Reconciliation:
    """Compare their per-record list with our result, record by record, and explain the
    differences.

    Args:
        result: our result, with its outcomes (computed with outcomes kept).
        theirs: their list: a CSV file, rows of dicts, or a :class:`TheirList` already read.
            It needs a child id column and, to tell a child's records apart, the record's
            identifying dates; their counted flag, met flag and measure are compared when
            given (without a counted flag, every row of theirs counts as counted).
        data: the records ``result`` was computed from (a :class:`~csc_indicators.Bundle`, or
            a mapping of record kind to records, e.g. ``{"assessments": [...]}``). With them,
            a row only in theirs is explained from our data (a record outside the period, a
            child we do not have) and alternative parameters are tried by recomputing.
        key: the columns to match on (their names or ours); default: the child id and every
            identifying date of the outcomes' record types that their list gives.
        columns: their column name to ours, for columns we do not recognise.
        search: try the indicator's alternative parameters (needs ``data``).
        spec: the indicator's registry entry (default: looked up by ``result.indicator``).

    Raises:
        ReconcileError: their list cannot be read or has no child id column, ``key`` names a
            column their list lacks, or their list gives no identifying dates while we have
            more than one outcome for a child.
    """
    bundle = _as_bundle(data)
    if spec is None:
        spec = INDICATORS.get(result.indicator)
    types = _record_types(result, bundle, spec)
    their_list = (
        theirs if isinstance(theirs, TheirList) else read_theirs(theirs, types, columns=columns)
    )
    roles = _key_roles(key, their_list, types)
    keyer = _Keyer(roles)
    outcomes = result.outcomes
    if key is None and not roles:
        _check_one_per_child(outcomes, types, their_list)
    rows = their_list.rows
    their_keys = [_their_key(row, roles) for row in rows]
    pairs = _match(outcomes, rows, their_keys, keyer)
    ours_by_child: defaultdict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        ours_by_child[outcome.child_id].append(outcome)
    explainer = _Explainer(spec, bundle, keyer, result.period)
    comparisons = []
    for pair in pairs:
        status, o, t, _, k = pair
        reason = "agree" if status is Status.AGREE else _reason(pair, explainer, ours_by_child)
        comparisons.append(Comparison(status, str(k[0]), k[1:], o, t, reason))
    before = _differences(pairs)
    trials: list[Trial] = []
    suggestion = None
    if search and before and bundle is not None and spec is not None:
        trials, suggestion = _search(result, spec, bundle, rows, their_keys, keyer, pairs)
    return Reconciliation(
        indicator=result.indicator,
        title=result.title,
        period=result.period,
        parameters=result.parameters,
        key_roles=roles,
        columns=their_list.columns,
        ignored_columns=their_list.ignored,
        comparisons=tuple(comparisons),
        ours=_our_figure(result),
        theirs=_figure(result, rows, their_list),
        offsets=_offsets(pairs),
        suggestion=suggestion,
        trials=tuple(trials),
        notes=_notes(result, their_list, pairs, roles, search, bundle, spec),
        provenance=provenance(result),
        kind=result.kind,
    )


def _check_one_per_child(
    outcomes: Sequence[Outcome], types: Sequence[type], theirs: TheirList
) -> None:
    per_child = Counter(o.child_id for o in outcomes)
    several = [c for c, n in per_child.items() if n > 1]
    if not several:
        return
    wanted = sorted({role for t in types for role in identity_of(t)})
    raise ReconcileError(
        f"{theirs.source}: no column tells a child's records apart, and we have more than one "
        f"outcome for {len(several)} children (e.g. {sorted(several)[0]}); add a column for "
        f"{' or '.join(wanted) or 'the record dates'} (or name yours with --columns "
        "THEIRS=OURS)"
    )


def _children_part(bundle: Bundle, children: set[str]) -> Bundle:
    changes: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        records = getattr(bundle, name)
        if records is not None:
            changes[name] = tuple(r for r in records if r.child_id in children)
    return attrs.evolve(bundle, **changes)


def _search(
    result: IndicatorResult,
    spec: IndicatorSpec,
    bundle: Bundle,
    rows: Sequence[TheirRow],
    their_keys: Sequence[_Key],
    keyer: _Keyer,
    pairs: Sequence[_Pair],
) -> tuple[list[Trial], Suggestion | None]:
    """Try every alternative value of every documented parameter.

    Every indicator decides each child from that child's records alone, so each alternative is
    first tried on the children with a difference only (the screen: cheap when few differ).
    The alternatives that reduce those differences are then recomputed on all the data, best
    first (stopping at one that leaves no difference), and the one that leaves the fewest
    differences overall is the suggestion: its counts come from that full recomputation, so a
    change that would break agreeing records is never suggested.
    """
    before = _differences(pairs)
    differing = {str(p[4][0]) for p in pairs if p[0].is_difference}
    subset = _children_part(bundle, differing)
    sub_outcomes = [o for o in result.outcomes if o.child_id in differing]
    sub_rows = [(r, k) for r, k in zip(rows, their_keys, strict=True) if k[0] in differing]
    s_rows, s_keys = [r for r, _ in sub_rows], [k for _, k in sub_rows]
    screen_before = _differences(_match(sub_outcomes, s_rows, s_keys, keyer))
    trials: list[Trial] = []
    for name, p in parameters_of(spec).items():
        current = result.parameters.get(name, p.default)
        for alt in p.alternatives(current):
            params = {**result.parameters, name: alt}
            try:
                rerun = compute(spec, subset, result.period, params)
            except (ValueError, TypeError) as exc:
                trials.append(Trial(name, alt, None, str(exc)))
                continue
            n = _differences(_match(rerun.outcomes, s_rows, s_keys, keyer))
            trials.append(Trial(name, alt, n))
    promising = sorted(
        (t for t in trials if t.differences is not None and t.differences < screen_before),
        key=lambda t: t.differences or 0,
    )
    best: tuple[int, Trial, list[_Pair]] | None = None
    for trial in promising:
        params = {**result.parameters, trial.name: trial.value}
        rerun = compute(spec, bundle, result.period, params)
        alt_pairs = _match(rerun.outcomes, rows, their_keys, keyer)
        after = _differences(alt_pairs)
        if after < before and (best is None or after < best[0]):
            best = (after, trial, alt_pairs)
        if after == 0:
            break
    if best is None:
        return trials, None
    _, trial, alt_pairs = best
    return trials, _suggest(trial.name, trial.value, pairs, alt_pairs)


def _suggest(
    name: str, value: object, pairs: Sequence[_Pair], alt_pairs: Sequence[_Pair]
) -> Suggestion:
    before, after = _differences(pairs), _differences(alt_pairs)
    counts = Counter(str(p[0]) for p in alt_pairs)
    param = f"{name}={format_value(value)}"
    measures_before = sum(1 for p in pairs if p[0] is Status.MEASURE_DIFFERS)
    measures_after = counts.get(str(Status.MEASURE_DIFFERS), 0)
    if after == 0:
        outcome = "every record agrees"
    elif measures_before and not measures_after:
        outcome = f"every measure agrees ({after} other difference(s) remain)"
    else:
        outcome = f"the differences fall from {before} to {after}"
    text = f"with {param} {outcome}: rerun with `--param {param}`"
    return Suggestion(name, value, before, after, dict(counts), param, text)


def _notes(
    result: IndicatorResult,
    theirs: TheirList,
    pairs: Sequence[_Pair],
    roles: Sequence[str],
    search: bool,
    bundle: Bundle | None,
    spec: IndicatorSpec | None,
) -> tuple[str, ...]:
    notes: list[str] = []
    if not roles:
        notes.append("matched on the child alone (one record per child)")
    for role, what in (
        ("counted", "every row of theirs is taken as counted"),
        ("met", "met is not compared"),
        ("measure", "measures are not compared"),
    ):
        if not theirs.has(role):
            notes.append(f"their list has no {role} column: {what}")
    readable = [p for p in pairs if p[2] is not None and p[0] is not Status.UNREADABLE]
    only_theirs = [p for p in pairs if p[0] is Status.ONLY_THEIRS]
    if readable and roles and len(only_theirs) * 2 >= len(readable):
        dates = [d for p in only_theirs if p[2] is not None for d in p[2].dates.values() if d]
        outside = [d for d in dates if d not in result.period]
        if dates and len(outside) * 2 > len(dates):
            notes.append(
                f"{len(only_theirs)} of their {len(readable)} rows are not ours, most of their "
                f"dates ({min(dates).isoformat()} to {max(dates).isoformat()}) are outside "
                f"{result.period}: is their list for another period? (set it with --year)"
            )
    children_ours = {p[1].child_id for p in pairs if p[0] is Status.ONLY_OURS and p[1]}
    children_theirs = {p[2].child_id for p in pairs if p[0] is Status.ONLY_THEIRS and p[2]}
    both = children_ours & children_theirs
    if both and roles:
        notes.append(
            f"{len(both)} children have records only in ours and only in theirs: the same "
            "record with other dates? (for an indicator that counts children, match on the "
            "child alone with --key child_id)"
        )
    if search and (bundle is None or spec is None) and any(p[0].is_difference for p in pairs):
        notes.append("no alternative parameters tried (give the records to recompute)")
    return tuple(notes)
