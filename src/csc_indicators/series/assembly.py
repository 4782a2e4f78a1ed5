"""From results to cells: a series' table from the results of its indicators and periods,
maybe broken down into groups (:func:`assemble`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ..builder import GroupTallies
from ..bundle import Bundle
from ..periods import Period
from ..registry import IndicatorSpec
from ..results import IndicatorResult, Outcome, ValueKind
from .grouping import Grouping, GroupOf
from .table import Series, SeriesCell
from .usage import group_date, usage_of

__all__ = ["Breakdown", "Computed", "assemble"]

Computed = IndicatorResult | str
"""What one indicator gives over one period: its result, or why it is not computed."""


def _figures(
    result: IndicatorResult, tally: tuple[int, int, int], outs: Sequence[Outcome]
) -> IndicatorResult:
    """The result restricted to some of its outcomes (a group's): their figures from their
    ``tally`` (counted, met, total measure), with the outcomes ``outs`` (kept or not)."""
    counted, met, total = tally
    kind = result.kind
    if kind is ValueKind.MEAN:
        numerator = total
    elif kind in (ValueKind.COUNT, ValueKind.RATE_PER_10K):
        numerator = counted
        kind = ValueKind.COUNT  # a group's share of a rate of the whole population: a count
    else:
        numerator = met
    return attrs.evolve(
        result,
        numerator=numerator,
        denominator=counted,
        kind=kind,
        outcomes=tuple(outs),
        decimals=0 if kind is ValueKind.COUNT else result.decimals,
    )


def _cell(
    spec: IndicatorSpec,
    period: Period,
    group: str | None,
    computed: Computed,
    *,
    outcomes: bool,
) -> SeriesCell:
    if isinstance(computed, str):
        return SeriesCell(
            spec.id,
            spec.title,
            period,
            group,
            None,
            None,
            None,
            None,
            spec.kind,
            status="not computed",
            reason=computed,
        )
    return SeriesCell(
        spec.id,
        spec.title,
        period,
        group,
        computed.numerator,
        computed.denominator,
        computed.value,
        computed.rounded_value,
        computed.kind,
        outcomes=computed.outcomes if outcomes else (),
        issues=computed.issues,
    )


def assemble(
    bundle: Bundle,
    periods: Sequence[Period],
    specs: Sequence[IndicatorSpec],
    results: Mapping[tuple[str, int], Computed],
    grouping: Grouping | None,
    *,
    outcomes: bool,
) -> Series:
    """The series of per-(indicator, period index) results, broken down by ``grouping``."""
    cells: list[SeriesCell] = []
    ids = tuple(s.id for s in specs)
    if grouping is None:
        for spec in specs:
            for n, period in enumerate(periods):
                cells.append(_cell(spec, period, None, results[(spec.id, n)], outcomes=outcomes))
        return Series(tuple(cells), tuple(periods), ids)
    split = Breakdown(bundle, periods, grouping, outcomes=outcomes)
    for spec in specs:
        split.add(spec, {n: results[(spec.id, n)] for n in range(len(periods))})
    return split.series(specs, results)


_Part = tuple[list[int], list[Outcome]]
"""One group's tally (counted, met, total measure) and, when shown, its outcomes."""


class Breakdown:
    """A series broken down by a grouping: each result split into groups as soon as it is
    computed (:meth:`add`), then the table (:meth:`series`)."""

    def __init__(
        self,
        bundle: Bundle,
        periods: Sequence[Period],
        grouping: Grouping,
        *,
        outcomes: bool,
        tallies: GroupTallies | None = None,
    ) -> None:
        self.periods = tuple(periods)
        self.tallies = tallies
        """Where the builders left the figures by group of the children whose group is
        known beforehand (then not among the outcomes)."""
        self.grouping = grouping
        self.outcomes = outcomes
        self.group_of: GroupOf = grouping.bind(bundle)
        self.fixed = grouping.fixed_groups()
        self.split: dict[tuple[str, int], dict[str, _Part]] = {}
        self.seen: set[str] = set(grouping.known_groups())

    def add(self, spec: IndicatorSpec, results: dict[int, Computed]) -> dict[int, Computed]:
        """Split one indicator's results (by period position) into groups; gives them back,
        without their outcomes when the series does not show them."""
        use = usage_of(spec.id)
        group_of, fixed, outcomes = self.group_of, self.fixed, self.outcomes
        done: dict[int, dict[str, _Part]] = {}
        kept: dict[int, Computed] = {}
        for n, computed in results.items():
            kept[n] = computed
            if isinstance(computed, str):
                continue
            parts = done.get(id(computed))
            if parts is None:  # else one result shared by periods with the same dates
                parts = done[id(computed)] = {}
                held = None if self.tallies is None else self.tallies.take(computed)
                for group, (counted, met, total) in (held or {}).items():
                    parts[group] = ([counted, met, total], [])
                end = self.periods[n].end
                for o in computed.outcomes:
                    g = fixed.get(o.child_id)
                    if g is None:
                        g = group_of(o, group_date(use, o, end))
                    part = parts.get(g)
                    if part is None:
                        part = parts[g] = ([0, 0, 0], [])
                    if outcomes:
                        part[1].append(o)
                    if o.counted:
                        tally = part[0]
                        tally[0] += 1
                        if o.met:
                            tally[1] += 1
                        if o.measure:
                            tally[2] += int(o.measure)
                self.seen.update(parts)
            self.split[(spec.id, n)] = parts
            if not outcomes and computed.outcomes:
                kept[n] = attrs.evolve(computed, outcomes=())
        if self.tallies is not None:
            self.tallies.clear()  # results the indicator made and did not give
        return kept

    def series(
        self, specs: Sequence[IndicatorSpec], results: Mapping[tuple[str, int], Computed]
    ) -> Series:
        """The table: one cell per indicator, period and group."""
        groups = tuple(self.grouping.order(self.seen))
        empty: _Part = ([0, 0, 0], [])
        cells: list[SeriesCell] = []
        for spec in specs:
            for n, period in enumerate(self.periods):
                computed = results[(spec.id, n)]
                parts = self.split.get((spec.id, n), {})
                for g in groups:
                    value = computed
                    if isinstance(computed, IndicatorResult):
                        tally, outs = parts.get(g, empty)
                        value = _figures(computed, (tally[0], tally[1], tally[2]), outs)
                    cells.append(_cell(spec, period, g, value, outcomes=self.outcomes))
        ids = tuple(s.id for s in specs)
        return Series(tuple(cells), self.periods, ids, groups, self.grouping.name)
