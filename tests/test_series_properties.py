"""The series engine against the scorecard: every cell is what ``scorecard(bundle, period)``
gives for it, for random bundles (twins included) and periods of every kind.

These properties validate the indicators' evaluations over periods
(:func:`csc_indicators.registry.over_periods`) as the series runs them: an evaluation that
decided a record once where its decision depends on the period would make a cell differ from
the scorecard's.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, Lookup, Period, PeriodKind, monthly_periods, scorecard, series
from csc_indicators.results import ValueKind
from csc_indicators.series import DIMENSIONS, UNASSIGNED, Series
from series_reference import reference_series
from test_conformance import bundles, shuffled

ALL_KINDS = (
    PeriodKind.IN_MONTH,
    PeriodKind.YTD,
    PeriodKind.ROLLING_12,
    PeriodKind.QUARTER,
    PeriodKind.YEAR,
)


@st.composite
def period_lists(draw: st.DrawFn) -> list[Period]:
    """Months of every kind to a random month, and a few custom periods."""
    year = draw(st.integers(2017, 2025))
    month = draw(st.integers(1, 12))
    months = draw(st.integers(1, 15))
    kinds = draw(st.lists(st.sampled_from(ALL_KINDS), min_size=1, max_size=5, unique=True))
    out = monthly_periods((year, month), months, kinds)
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.dates(dt.date(2016, 1, 1), dt.date(2025, 12, 31)))
        out.append(Period(start, start + dt.timedelta(days=draw(st.integers(0, 800)))))
    return draw(st.permutations(out))


def _issue_key(issue: Any) -> tuple[str, str, str]:
    return (issue.child_id or "", issue.kind, issue.message)


def check_against_scorecards(
    bundle: Bundle,
    periods: list[Period],
    got: Series,
    *,
    outcomes: bool = True,
    only: list[str] | None = None,
) -> None:
    seen: dict[tuple[dt.date, dt.date], Any] = {}
    for period in periods:
        key = (period.start, period.end)
        if key not in seen:
            seen[key] = scorecard(
                bundle,
                period,
                outcomes=outcomes,
                indicators=None if only is None else tuple(only),
            )
        card = seen[key]
        for result in card.results:
            cell = got.cell(result.indicator, period)
            assert cell.status == "computed", (result.indicator, period, cell.reason)
            assert (cell.numerator, cell.denominator, cell.value) == (
                result.numerator,
                result.denominator,
                result.value,
            ), (result.indicator, period)
            assert cell.outcomes == result.outcomes, (result.indicator, period)
            assert Counter(map(_issue_key, cell.issues)) == Counter(
                map(_issue_key, result.issues)
            ), (result.indicator, period)
            assert cell.period.label == period.label
        for skipped in card.not_computed:
            cell = got.cell(skipped.indicator, period)
            assert cell.status == "not computed"
            assert cell.reason == skipped.reason


@settings(max_examples=60)
@given(bundle=bundles(), periods=period_lists())
def test_every_cell_is_the_scorecards(bundle: Bundle, periods: list[Period]) -> None:
    got = series(bundle, periods, outcomes=True)
    check_against_scorecards(bundle, periods, got)


@settings(max_examples=40)
@given(bundle=bundles(), periods=period_lists())
def test_summary_figures_are_the_scorecards(bundle: Bundle, periods: list[Period]) -> None:
    got = series(bundle, periods)
    for period in set(periods):
        card = scorecard(bundle, period, outcomes=False)
        for result in card.results:
            cell = got.cell(result.indicator, period)
            assert (cell.numerator, cell.denominator, cell.value, cell.rounded_value) == (
                result.numerator,
                result.denominator,
                result.value,
                result.rounded_value,
            ), (result.indicator, period)
            assert cell.outcomes == ()
            assert Counter(map(_issue_key, cell.issues)) == Counter(
                map(_issue_key, result.issues)
            ), (result.indicator, period)


def _additive(kind: ValueKind) -> bool:
    return kind in (ValueKind.PERCENTAGE, ValueKind.COUNT, ValueKind.MEAN)


@settings(max_examples=40)
@given(
    bundle=bundles(),
    periods=period_lists(),
    dimension=st.sampled_from(sorted(DIMENSIONS)),
)
def test_groups_add_up_to_the_total(bundle: Bundle, periods: list[Period], dimension: str) -> None:
    total = series(bundle, periods)
    grouped = series(bundle, periods, by=dimension)
    assert grouped == reference_series(bundle, periods, by=dimension)
    for cell in total.cells:
        parts = [grouped.cell(cell.indicator, cell.period, g) for g in grouped.groups]
        if cell.status != "computed":
            assert all(p.status == "not computed" for p in parts)
            continue
        assert _additive(cell.value_kind)
        assert sum(p.numerator or 0 for p in parts) == cell.numerator
        assert sum(p.denominator or 0 for p in parts) == cell.denominator


@settings(max_examples=30)
@given(bundle=bundles(), periods=period_lists(), rnd=st.randoms(use_true_random=False))
def test_record_order_never_changes_a_series(
    bundle: Bundle, periods: list[Period], rnd: random.Random
) -> None:
    first = series(bundle, periods, outcomes=True, by="age_band")
    again = series(shuffled(bundle, rnd), periods, outcomes=True, by="age_band")
    assert [c.row() for c in first.cells] == [c.row() for c in again.cells]
    for a, b in zip(first.cells, again.cells, strict=True):
        assert [(o.child_id, o.record, o.counted, o.met) for o in a.outcomes] == [
            (o.child_id, o.record, o.counted, o.met) for o in b.outcomes
        ]


@st.composite
def lookups(draw: st.DrawFn, bundle: Bundle) -> Lookup:
    children = sorted(
        {r.child_id for name in ("referrals", "episodes", "plans") for r in getattr(bundle, name)}
    )
    rows: dict[str, str] = {}
    for cid in children:
        if draw(st.booleans()):
            rows[cid] = draw(st.sampled_from(["north", "south", "east"]))
    return Lookup(rows, name="team")


@settings(max_examples=30)
@given(bundle=bundles(), periods=period_lists(), data=st.data())
def test_unassigned_catches_every_child_not_in_the_lookup(
    bundle: Bundle, periods: list[Period], data: st.DataObject
) -> None:
    lookup = data.draw(lookups(bundle))
    got = series(bundle, periods, by=lookup, outcomes=True)
    assert got.groups[-1] == UNASSIGNED
    assert set(got.groups) == {*lookup.groups, UNASSIGNED}
    total = series(bundle, periods, outcomes=True)
    for cell in total.cells:
        parts = [got.cell(cell.indicator, cell.period, g) for g in got.groups]
        assert sorted(o.child_id for p in parts for o in p.outcomes) == sorted(
            o.child_id for o in cell.outcomes
        )
        unassigned = got.cell(cell.indicator, cell.period, UNASSIGNED)
        assert {o.child_id for o in cell.outcomes} - lookup_children(lookup) == {
            o.child_id for o in unassigned.outcomes
        }


def lookup_children(lookup: Lookup) -> set[str]:
    return {r.child_id for r in lookup.rows}


def test_the_engine_matches_the_reference_on_synthetic_data() -> None:
    from csc_indicators import synthetic

    bundle = synthetic.generate(0.05, first_year=2022, years=3, seed=7)
    periods = monthly_periods("2025-03", 12)
    got = series(bundle, periods, outcomes=True)
    check_against_scorecards(bundle, periods, got)
    assert got == reference_series(bundle, periods, outcomes=True)


def test_the_engine_matches_the_reference_on_the_example_authority() -> None:
    from csc_indicators import example_bundle

    bundle = example_bundle()
    periods = monthly_periods("2025-03", 12)
    got = series(bundle, periods, outcomes=True)
    check_against_scorecards(bundle, periods, got)
    lookup = Lookup({c.child_id: f"team {i % 4}" for i, c in enumerate(bundle.children or ())})
    assert series(bundle, periods, by=lookup) == reference_series(bundle, periods, by=lookup)
    assert attrs.evolve(got, cells=got.cells) == got
