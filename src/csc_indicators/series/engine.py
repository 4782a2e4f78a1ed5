"""The series: indicators over many periods, maybe broken down, computed as one.

:func:`series` gives, for every indicator and period, exactly what
``scorecard(bundle, period)`` gives for it, and for a breakdown, the same outcomes split into
groups.

:func:`assemble` (in :mod:`~csc_indicators.series.assembly`, importable from here too) turns
the results into the table's cells.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as _dt
import heapq
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..builder import GroupTallies
from ..bundle import Bundle
from ..calendar import WorkingDayCalendar
from ..care_history import build_histories, known_as_of
from ..errors import CscIndicatorsError
from ..params import check_parameters
from ..periods import Period
from ..registry import INDICATORS, IndicatorSpec, over_periods_of
from ..results import IndicatorResult, Outcome, ValueKind, keeping_outcomes
from ..scoring import (
    _order,
    missing_inputs,
    outside_coverage,
    run_indicator,
    run_indicator_over,
)
from .assembly import Breakdown, Computed, assemble
from .grouping import Dimension, Grouping, Lookup, grouping_of
from .table import Series
from .usage import PeriodUse, Usage, usage_of

__all__ = ["Computed", "assemble", "select_specs", "series"]


def select_specs(
    registry: Mapping[str, IndicatorSpec] | None, indicators: Iterable[str] | None
) -> list[IndicatorSpec]:
    """The specs in scorecard order, only ``indicators`` when given.

    Raises:
        KeyError: ``indicators`` names an indicator that is not registered.
    """
    source = INDICATORS if registry is None else registry
    specs = _order(source)
    if indicators is None:
        return specs
    wanted = tuple(indicators)
    for ident in wanted:
        if ident not in source:
            raise KeyError(f"no indicator is registered as {ident!r}")
    return [s for s in specs if s.id in wanted]


def series(
    bundle: Bundle,
    periods: Iterable[Period],
    *,
    indicators: Iterable[str] | None = None,
    by: str | Grouping | None = None,
    outcomes: bool = False,
    population: int | None = None,
    calendar: WorkingDayCalendar | None = None,
    registry: Mapping[str, IndicatorSpec] | None = None,
    parameters: Mapping[str, Mapping[str, object]] | None = None,
) -> Series:
    """Every indicator over every period, maybe broken down into groups.

    Each cell holds what ``scorecard(bundle, period)`` gives for that indicator (numerator,
    denominator, value; with ``outcomes=True`` the outcomes too), or for a breakdown, the
    figures of the outcomes of one group.

    Args:
        bundle: the records.
        periods: the periods, in the order the series lists them (see
            :func:`~csc_indicators.monthly_periods`).
        indicators: only these indicator ids (default: every indicator of the registry).
        by: a breakdown: a name of :data:`~csc_indicators.DIMENSIONS` (``age_band``,
            ``sex``...) or a grouping object such as a :class:`~csc_indicators.Lookup`.
        outcomes: keep each cell's per-record outcomes.
        population: the 0-17 population, for the rates per 10,000 (a breakdown's cells of a
            rate give the group's count).
        calendar: the working-day calendar (default: England and Wales).
        registry: the indicators to consider (default: :data:`csc_indicators.INDICATORS`).
        parameters: documented parameters by indicator id, ``{id: {name: value}}``, as for
            :func:`~csc_indicators.scorecard` (every cell uses them).

    Returns:
        A :class:`~csc_indicators.Series`: cells by indicator (scorecard order), period (in
        the order given) and group.

    Raises:
        KeyError: ``indicators`` names an indicator that is not registered.
        ValueError: ``by`` names no dimension.
        ParameterError: ``parameters`` names an indicator or a parameter that does not exist.
    """
    given = check_parameters(parameters, INDICATORS if registry is None else registry)
    grouping = grouping_of(by)
    specs = select_specs(registry, indicators)
    wanted = tuple(periods)
    # A lookup's groups are known beforehand, and the group of a child with an undated row
    # is known whatever the outcome: the figures of those children are tallied by group as
    # they are decided, with no outcome kept.
    fixed = grouping.fixed_groups() if type(grouping) is Lookup and not outcomes else {}
    tallies = GroupTallies(fixed) if fixed else None
    split = None
    if grouping is not None:
        split = Breakdown(bundle, wanted, grouping, outcomes=outcomes, tallies=tallies)
    results = _compute(
        bundle,
        wanted,
        specs,
        keep=outcomes or grouping is not None,
        # A built-in breakdown reads each outcome's child and record only: without outcomes
        # shown, bare ones (no reason formatted, no details) give its figures; a lookup's
        # groups are known beforehand, so it needs the counted ones only.
        bare=not outcomes and type(grouping) in (Dimension, Lookup),
        counted_only=not outcomes and type(grouping) is Lookup,
        tallies=tallies,
        population=population,
        calendar=calendar,
        registry=registry,
        parameters=given,
        then=None if split is None else split.add,
    )
    if split is None:
        return assemble(bundle, wanted, specs, results, None, outcomes=outcomes)
    return split.series(specs, results)


def _compute(
    bundle: Bundle,
    periods: Sequence[Period],
    specs: Sequence[IndicatorSpec],
    *,
    keep: bool,
    bare: bool = False,
    counted_only: bool = False,
    tallies: GroupTallies | None = None,
    population: int | None,
    calendar: WorkingDayCalendar | None,
    registry: Mapping[str, IndicatorSpec] | None,
    parameters: Mapping[str, Mapping[str, object]] | None = None,
    then: Callable[[IndicatorSpec, dict[int, Computed]], dict[int, Computed]] | None = None,
) -> dict[tuple[str, int], Computed]:
    """Every indicator over every period, each computed by its declaration (:data:`USAGE`).

    Periods with the same dates share one result (whose ``period`` is the first of them: the
    cells take their period, kind and label from the series' own periods). ``then`` is
    given each indicator's results by period position as soon as they are computed, and
    gives what to keep of them (a breakdown splits them into groups, then drops the
    outcomes it does not show: fewer objects alive, less work for the cycle collector)."""
    distinct: dict[tuple[_dt.date, _dt.date], Period] = {}
    for p in periods:
        distinct.setdefault((p.start, p.end), p)
    run = _Runner(
        bundle,
        keep=keep,
        bare=bare,
        counted_only=counted_only,
        tallies=tallies,
        population=population,
        calendar=calendar,
        parameters=parameters,
    )
    out: dict[tuple[str, int], Computed] = {}
    # Histories on several dates: one build of them all, rebuilt only where a date matters
    # (when an indicator reads episodes).
    several_ends = len({p.end for p in periods}) > 1 and any(
        "episodes" in (*s.inputs, *s.optional_inputs) for s in specs
    )
    with known_as_of(bundle.episodes) if several_ends else contextlib.nullcontext():
        for spec in specs:
            by_dates: dict[tuple[_dt.date, _dt.date], Computed] = {}
            missing = tuple(name for name in spec.inputs if getattr(bundle, name) is None)
            todo: list[Period] = []
            for key, p in distinct.items():
                if missing:
                    by_dates[key] = missing_inputs(missing)
                elif (beyond := outside_coverage(spec, bundle, p)) is not None:
                    by_dates[key] = beyond
                else:
                    todo.append(p)
            if todo:
                for p, got in run.indicator(spec, todo).items():
                    by_dates[(p.start, p.end)] = got
            mine = {n: by_dates[(p.start, p.end)] for n, p in enumerate(periods)}
            if then is not None:
                mine = then(spec, mine)
            for n, value in mine.items():
                out[(spec.id, n)] = value
    return out


class _Runner:
    """Runs indicators over several periods at once, as their declarations allow."""

    def __init__(
        self,
        bundle: Bundle,
        *,
        keep: bool,
        bare: bool = False,
        counted_only: bool = False,
        tallies: GroupTallies | None = None,
        population: int | None,
        calendar: WorkingDayCalendar | None,
        parameters: Mapping[str, Mapping[str, object]] | None = None,
    ) -> None:
        self.bundle = bundle
        self.parameters = parameters or {}
        self.keep = keep
        """Whether the results carry outcomes."""
        self.bare = keep and bare
        """Whether they are bare (:func:`~csc_indicators.builder.bare_outcome`): for figures
        by group only."""
        self.counted_only = self.bare and counted_only
        """Whether only the counted ones are needed (the indicators then run in summary
        mode, keeping them bare)."""
        self.tallies = tallies if self.counted_only else None
        """Where the builders tally by group the counted decisions of the children whose
        group is known beforehand (keeping no outcome of them)."""
        self.population = population
        self.calendar = calendar
        self._troubled: dict[_dt.date, set[str]] = {}

    def troubled(self, day: _dt.date) -> set[str]:
        """The children whose care history judged on ``day`` has issues (once per day)."""
        got = self._troubled.get(day)
        if got is None:
            episodes = self.bundle.episodes or ()
            hs = build_histories(episodes, as_of=day)
            got = self._troubled[day] = {cid for cid, h in hs.items() if h.issues}
        return got

    def mode(self) -> tuple[bool, bool]:
        """How the indicators keep their outcomes: the arguments of
        :func:`~csc_indicators.builder.keeping_outcomes`."""
        return (self.keep and not self.counted_only, self.bare)

    def once(
        self,
        spec: IndicatorSpec,
        period: Period,
        *,
        bundle: Bundle | None = None,
        every: bool = False,
        tallied: bool = False,
    ) -> Computed:
        """The indicator over one period, exactly as the scorecard runs it; with ``every``,
        every outcome kept (bare unless the runner's are whole); with ``tallied``, as
        :meth:`over` (the result is given as the indicator gave it)."""
        keep, bare = (True, self.bare or not self.keep) if every else self.mode()
        tallies = self.tallies if tallied and not every else None
        try:
            with keeping_outcomes(keep, bare=bare, tallies=tallies):
                result = run_indicator(
                    spec,
                    self.bundle if bundle is None else bundle,
                    period,
                    population=self.population,
                    calendar=self.calendar,
                    parameters=self.parameters.get(spec.id),
                )
        except CscIndicatorsError as exc:
            return f"failed: {exc}"
        if tallies is not None and not tallies.holds(result):
            return self.once(spec, period, bundle=bundle)
        if keep or bare or not result.outcomes:
            return result
        return attrs.evolve(result, outcomes=())

    def indicator(self, spec: IndicatorSpec, periods: Sequence[Period]) -> dict[Period, Computed]:
        if over_periods_of(spec) is not None:
            return self.over(spec, periods)
        use = usage_of(spec.id)
        if (
            use.usage is Usage.EVENTS
            and len(periods) > 1
            and not (self.keep and use.reasons_name_end)
        ):
            got = self.events(spec, use, periods)
            if got is not None:
                return got
        if (
            use.usage is Usage.AS_AT_END
            and not use.uses_start
            and not (self.keep and use.outcomes_use_start)
        ):
            return self.per_end(spec, use, periods)
        return {p: self.once(spec, p, tallied=True) for p in periods}

    def over(
        self, spec: IndicatorSpec, periods: Sequence[Period], *, tallied: bool = True
    ) -> dict[Period, Computed]:
        """Every period in one pass: the indicator's own evaluation over periods (else one
        call per period). When it fails, each period is run alone: it fails for the periods
        whose scorecard fails only (a date outside the calendar's years...).

        With ``tallied`` (and the runner's :attr:`tallies`), the counted decisions of the
        children whose group is known are tallied by group; if a result is not one a builder
        built (an indicator that changed it), the indicator runs again keeping them bare."""
        keep, bare = self.mode()
        tallies = self.tallies if tallied else None
        try:
            with keeping_outcomes(keep, bare=bare, tallies=tallies):
                got = run_indicator_over(
                    spec,
                    self.bundle,
                    periods,
                    population=self.population,
                    calendar=self.calendar,
                    parameters=self.parameters.get(spec.id),
                )
        except CscIndicatorsError as exc:
            if len(periods) == 1:
                return {periods[0]: f"failed: {exc}"}
            return {p: self.over(spec, [p], tallied=tallied)[p] for p in periods}
        if tallies is not None and not all(tallies.holds(r) for r in got):
            return self.over(spec, periods, tallied=False)
        out: dict[Period, Computed] = {}
        for p, result in zip(periods, got, strict=True):
            if not (keep or bare) and result.outcomes:  # an indicator that kept them anyway
                result = attrs.evolve(result, outcomes=())
            out[p] = result
        return out

    def per_end(
        self, spec: IndicatorSpec, use: PeriodUse, periods: Sequence[Period]
    ) -> dict[Period, Computed]:
        """One evaluation per distinct period end (the figures depend on the end only), over
        the children the declaration's cohort holds on that end."""
        ends = {p.end for p in periods}
        cohort = _Cohort(self.bundle, spec, use) if use.cohort and len(ends) > 1 else None
        done: dict[_dt.date, Computed] = {}
        out: dict[Period, Computed] = {}
        for p in periods:
            got = done.get(p.end)
            if got is None:
                only = None if cohort is None else cohort.on(p.end, self.troubled)
                got = done[p.end] = self.once(spec, p, bundle=only)
            elif isinstance(got, IndicatorResult):
                got = attrs.evolve(got, period=p)
            out[p] = got
        return out

    def events(
        self, spec: IndicatorSpec, use: PeriodUse, periods: Sequence[Period]
    ) -> dict[Period, Computed] | None:
        """One run over the span of the periods, its outcomes bucketed by their date; the
        children whose decisions may depend on the period are recomputed for it.
        ``None`` when the span run cannot be used (the engine then runs each period)."""
        assert use.date is not None
        date_of = use.date
        span = Period(min(p.start for p in periods), max(p.end for p in periods))
        # Its outcomes are only bucketed (figures, dates): bare unless they are shown.
        whole = self.once(spec, span, every=True)
        if isinstance(whole, str):
            return None
        # Children recomputed for every period: data issues, undated outcomes...
        always: set[str] = set()
        for issue in whole.issues:
            if issue.child_id is None:
                return None
            always.add(issue.child_id)
        dates: list[_dt.date | None] = [date_of(o) for o in whole.outcomes]
        ids = [o.child_id for o in whole.outcomes]
        if any(a > b for a, b in itertools.pairwise(ids)):
            return None  # outcomes not in child order: they could not be merged back
        per_child: dict[str, int] = {}
        for cid, day in zip(ids, dates, strict=True):
            if day is None or day not in span:
                always.add(cid)
            per_child[cid] = per_child.get(cid, 0) + 1
        always |= _unsettled_histories(self.bundle, spec)
        # Children with records whose dates may be unknown at a period end (decision D15).
        always.update(_children(self.bundle, use.known_by_end))
        # Children recomputed only for the periods holding one of their outcomes' dates: a
        # child counted once per period with several outcomes in the span (which one counts
        # depends on the period)...
        several = {cid for cid, n in per_child.items() if n > 1} if use.once_per_child else set()
        # ...or whose outcome in the period has a ``later`` date after the period end (and
        # known by the span's end): the decision is then not the span's.
        later: list[_dt.date | None] = (
            [use.later(o) for o in whole.outcomes] if use.later is not None else []
        )
        keyed = sorted(
            (day, i)
            for i, (cid, day) in enumerate(zip(ids, dates, strict=True))
            if day is not None and cid not in always
        )
        kept_dates = [day for day, _ in keyed]
        order = [i for _, i in keyed]
        counted = [0]
        met = [0]
        total = [0]
        for i in order:
            o = whole.outcomes[i]
            c = 1 if o.counted else 0
            counted.append(counted[-1] + c)
            met.append(met[-1] + (1 if o.counted and o.met else 0))
            total.append(total[-1] + (int(o.measure or 0) if o.counted else 0))
        sums = (counted, met, total)
        # The positions (in ``order``) of each child's outcomes, and of those that may need a
        # recomputation.
        at: dict[str, list[int]] = {}
        flagged: list[int] = []
        for j, i in enumerate(order):
            cid = ids[i]
            at.setdefault(cid, []).append(j)
            if cid in several or (later and later[i] is not None):
                flagged.append(j)
        index = _Index(self.bundle, spec)
        base: Bundle | None = None
        out: dict[Period, Computed] = {}
        with contextlib.ExitStack() as stack:
            for p in periods:
                lo = bisect.bisect_left(kept_dates, p.start)
                hi = bisect.bisect_right(kept_dates, p.end)
                extra: set[str] = set()
                for j in flagged[bisect.bisect_left(flagged, lo) : bisect.bisect_left(flagged, hi)]:
                    cid = ids[order[j]]
                    late = later[order[j]] if later else None
                    if cid in several or (late is not None and p.end < late <= span.end):
                        extra.add(cid)
                # Their outcomes in the period are recomputed, not bucketed.
                dropped = sorted(
                    j
                    for cid in extra
                    for j in at[cid][
                        bisect.bisect_left(at[cid], lo) : bisect.bisect_left(at[cid], hi)
                    ]
                )
                sub: Bundle | None = None
                if extra:
                    sub = index.only(always | extra)
                elif always:
                    if base is None:
                        base = index.only(always)
                        # Their histories: built once for every period end.
                        stack.enter_context(known_as_of(base.episodes))
                    sub = base
                out[p] = self._bucket(spec, whole, p, sub, order, (lo, hi), dropped, sums)
        return out

    def _bucket(
        self,
        spec: IndicatorSpec,
        whole: IndicatorResult,
        p: Period,
        sub: Bundle | None,
        order: list[int],
        bounds: tuple[int, int],
        dropped: list[int],
        sums: tuple[list[int], list[int], list[int]],
    ) -> Computed:
        """One period's result: the bucketed outcomes (``order[lo:hi]`` but the positions
        ``dropped``) and those of the children recomputed (``sub``)."""
        counted, met, total = sums
        lo, hi = bounds
        d = counted[hi] - counted[lo]
        m = met[hi] - met[lo]
        t = total[hi] - total[lo]
        for j in dropped:
            o = whole.outcomes[order[j]]
            if o.counted:
                d -= 1
                m -= 1 if o.met else 0
                t -= int(o.measure or 0)
        kind = whole.kind
        if kind is ValueKind.MEAN:
            numerator = t
        elif kind in (ValueKind.COUNT, ValueKind.RATE_PER_10K):
            numerator = d
        else:
            numerator = m
        got: IndicatorResult | None = None
        if sub is not None:
            again = self.once(spec, p, bundle=sub)
            if isinstance(again, str):
                return again
            got = again
            numerator += got.numerator
            d += got.denominator
        outs: tuple[Outcome, ...] = ()
        if self.keep:
            gone = set(dropped)
            listed = sorted(order[j] for j in range(lo, hi) if j not in gone)
            mine = [whole.outcomes[i] for i in listed]
            if got is not None and got.outcomes:
                mine = list(heapq.merge(mine, got.outcomes, key=lambda o: o.child_id))
            outs = tuple(mine)
        return attrs.evolve(
            whole,
            period=p,
            numerator=numerator,
            denominator=d,
            outcomes=outs,
            issues=() if got is None else got.issues,
        )


class _Index:
    """One indicator's input records by child, to build bundles of a few children."""

    def __init__(self, bundle: Bundle, spec: IndicatorSpec) -> None:
        self.bundle = bundle
        self.names = [
            n for n in (*spec.inputs, *spec.optional_inputs) if getattr(bundle, n) is not None
        ]
        self.records: dict[str, dict[str, list[Any]]] = {}
        for name in self.names:
            mine: dict[str, list[Any]] = {}
            for r in getattr(bundle, name):
                mine.setdefault(r.child_id, []).append(r)
            self.records[name] = mine

    def only(self, children: set[str]) -> Bundle:
        """The bundle with only these children's records of the indicator's inputs."""
        changes: dict[str, Any] = {}
        ordered = sorted(children)
        for name in self.names:
            mine = self.records[name]
            changes[name] = tuple(r for cid in ordered for r in mine.get(cid, ()))
        return attrs.evolve(self.bundle, **changes)


class _Cohort:
    """The children a snapshot can hold on a date (:attr:`PeriodUse.cohort`)."""

    def __init__(self, bundle: Bundle, spec: IndicatorSpec, use: PeriodUse) -> None:
        self.index = _Index(bundle, spec)
        self.episodes = bundle.episodes if "episodes" in spec.inputs else None
        self.days: list[tuple[_dt.date, _dt.date, str]] = []
        for name, days in use.cohort:
            for r in getattr(bundle, name) or ():
                first, last = days(r)
                self.days.append((first or _dt.date.min, last or _dt.date.max, r.child_id))

    def on(self, day: _dt.date, troubled: Callable[[_dt.date], set[str]]) -> Bundle:
        """The bundle of the children with a record holding ``day``, and if the indicator
        reads episodes, those ``troubled`` on ``day`` (their care history has issues: every
        child's are reported)."""
        children = {cid for first, last, cid in self.days if first <= day <= last}
        if self.episodes is not None:
            children |= troubled(day)
        return self.index.only(children)


def _unsettled_histories(bundle: Bundle, spec: IndicatorSpec) -> set[str]:
    """Children whose care history depends on the date it is judged at (decision D15):
    twins (two episodes starting on one date), or a period of care ending X1 (whether it is
    a cessation depends on whether the next one is known yet)."""
    if "episodes" not in spec.inputs or bundle.episodes is None:
        return set()
    out: set[str] = set()
    starts: dict[str, set[_dt.date]] = {}
    counts: dict[str, int] = {}
    for e in bundle.episodes:
        starts.setdefault(e.child_id, set()).add(e.start_date)
        counts[e.child_id] = counts.get(e.child_id, 0) + 1
    out.update(cid for cid, n in counts.items() if len(starts[cid]) < n)
    for cid, h in build_histories(bundle.episodes).items():
        if any(poc.reason_ceased == "X1" for poc in h.periods):
            out.add(cid)
    return out


def _children(bundle: Bundle, inputs: Sequence[str]) -> set[str]:
    """The children with records of ``inputs``."""
    return {r.child_id for name in inputs for r in getattr(bundle, name) or ()}
