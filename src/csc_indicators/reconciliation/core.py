"""Reconciling their per-record list with our outcomes: the entry point and the parameter search.

:func:`reconcile` reads their list, matches it with our outcomes
(:mod:`~csc_indicators.reconciliation.matching`), explains every difference
(:mod:`~csc_indicators.reconciliation.explaining`) and tries the indicator's documented
alternative parameters, proving the best one by recomputing with :func:`compute`. The result
model (:class:`Status`, :class:`Reconciliation`, ...) lives in
:mod:`~csc_indicators.reconciliation.model` and is re-exported here.
"""

from __future__ import annotations

import heapq
import inspect
import os
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import attrs

from .._collector import collector_paused
from ..bundle import RECORD_FIELDS, Bundle
from ..params import format_value, parameters_of
from ..periods import Period
from ..provenance import provenance
from ..registry import INDICATORS, IndicatorSpec
from ..results import IndicatorResult, Outcome, keeping_outcomes
from .explaining import _Explainer, _figure, _offsets, _our_figure, _reason
from .keys import identity_of, normalise, spellings_for
from .matching import (
    _differences,
    _Key,
    _Keyer,
    _match,
    _Pair,
    _tallied_differences,
    _tally,
    _their_keys,
)
from .model import Comparison, Figure, Reconciliation, Status, Suggestion, Trial
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
    # Everything built here (keys, pairs, comparisons, the recomputed outcomes) holds no
    # reference cycles: the cycle collector would only walk it again and again (about half
    # the time of a large list). It is paused for the call and restored as it was.
    with collector_paused():
        return _reconcile(result, theirs, data, key, columns, search, spec)


def _reconcile(
    result: IndicatorResult,
    theirs: str | os.PathLike[str] | Iterable[Mapping[str, object]] | TheirList,
    data: Bundle | Mapping[str, Iterable[object]] | None,
    key: Sequence[str] | None,
    columns: Mapping[str, str] | None,
    search: bool,
    spec: IndicatorSpec | None,
) -> Reconciliation:
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
    their_keys = _their_keys(rows, roles)
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
    screen = None
    if search and before and bundle is not None and spec is not None:
        trials, suggestion, screen = _search(result, spec, bundle, rows, their_keys, keyer, pairs)
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
        notes=_notes(result, their_list, pairs, roles, search, bundle, spec, screen),
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


SCREEN_CHILDREN = 2_000
"""The most children the alternatives are screened on: when more differ, a fixed sample of
them (:func:`_screened`)."""


def _screened(children: set[str], limit: int | None = None) -> set[str]:
    """The children to screen the alternatives on: all of them, or the ``limit`` (default
    :data:`SCREEN_CHILDREN`) whose ids have the smallest CRC-32 of their UTF-8 bytes (ties by
    id): the same children on every run and machine, spread over the list whatever its order,
    with no random state."""
    limit = SCREEN_CHILDREN if limit is None else limit
    if len(children) <= limit:
        return children
    return set(heapq.nsmallest(limit, children, key=lambda c: (zlib.crc32(c.encode()), c)))


def _search(
    result: IndicatorResult,
    spec: IndicatorSpec,
    bundle: Bundle,
    rows: Sequence[TheirRow],
    their_keys: Sequence[_Key],
    keyer: _Keyer,
    pairs: Sequence[_Pair],
) -> tuple[list[Trial], Suggestion | None, tuple[int, int]]:
    """Try every alternative value of every documented parameter.

    Every indicator decides each child from that child's records alone, so each alternative is
    first tried on the children with a difference only (the screen), or, when more than
    :data:`SCREEN_CHILDREN` differ, on a fixed sample of them (:func:`_screened`): the screen
    costs the same whatever the size of the list. The alternatives that reduce the differences
    of the screened children are then recomputed on all the data, best first (stopping at one
    that leaves no difference, or when the next leaves on the screen alone as many as the best
    so far leaves overall), and the one that leaves the fewest differences overall is the
    suggestion: its counts come from that full recomputation, so a change that would break
    agreeing records is never suggested.

    Returns the trials, the suggestion, and (children screened, children differing).
    """
    before = _differences(pairs)
    differing = {str(p[4][0]) for p in pairs if p[0].is_difference}
    screened = _screened(differing)
    subset = _children_part(bundle, screened)
    sub_rows = [(r, k) for r, k in zip(rows, their_keys, strict=True) if k[0] in screened]
    s_rows, s_keys = [r for r, _ in sub_rows], [k for _, k in sub_rows]
    # matching is per key, and the key starts with the child: the screened children's own
    # pairs are what matching them alone gives
    screen_before = sum(1 for p in pairs if p[0].is_difference and p[4][0] in screened)
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
            n = _tallied_differences(_tally(rerun.outcomes, s_rows, s_keys, keyer))
            trials.append(Trial(name, alt, n))
    promising = sorted(
        (t for t in trials if t.differences is not None and t.differences < screen_before),
        key=lambda t: t.differences or 0,
    )
    best: tuple[int, Trial, dict[Status, int]] | None = None
    for trial in promising:
        # The screened children's differences are part of the whole, so an alternative leaves
        # at least as many as it left on the screen: once that reaches the fewest found, it
        # (and every later one, in this order) cannot do better.
        if (trial.differences or 0) >= (before if best is None else best[0]):
            break
        params = {**result.parameters, trial.name: trial.value}
        rerun = compute(spec, bundle, result.period, params)
        tally = _tally(rerun.outcomes, rows, their_keys, keyer)
        del rerun  # its outcomes are no longer needed: free them before the next
        after = _tallied_differences(tally)
        if after < before and (best is None or after < best[0]):
            best = (after, trial, tally)
        if after == 0:
            break
    screen = (len(screened), len(differing))
    if best is None:
        return trials, None, screen
    _, trial, tally = best
    return trials, _suggest(trial.name, trial.value, pairs, tally), screen


def _suggest(
    name: str, value: object, pairs: Sequence[_Pair], tally: Mapping[Status, int]
) -> Suggestion:
    before, after = _differences(pairs), _tallied_differences(tally)
    counts = {str(s): n for s, n in tally.items()}
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
    screen: tuple[int, int] | None = None,
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
    if screen is not None and screen[0] < screen[1] and spec is not None and parameters_of(spec):
        notes.append(
            f"the alternatives were screened on {screen[0]} of the {screen[1]} children that "
            "differ (a fixed sample, by a hash of the child id); the suggestion's counts are "
            "from recomputing all the data"
        )
    return tuple(notes)
