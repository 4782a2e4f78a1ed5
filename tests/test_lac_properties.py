"""Properties every looked-after indicator must have, run through the registry."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import INDICATORS, Episode, IndicatorResult, Period, ValueKind
from csc_indicators.indicators import (
    adoption_a1,
    long_term_placement_stability,
    returned_to_care_within_12_months,
    three_or_more_placements,
)
from strategies.looked_after import (
    child_ids,
    child_records,
    histories,
    lac_bundles,
    split_with_legal_change,
)

LAC = [spec for spec in INDICATORS.values() if spec.family == "looked after"]
IDS = [spec.id for spec in LAC]
periods = st.sampled_from([Period.financial_year(y) for y in (2019, 2020, 2021, 2022)])


def run(spec_id: str, bundle: dict[str, list[object]], period: Period) -> IndicatorResult:
    spec = INDICATORS[spec_id]
    return spec.function(*[bundle[name] for name in spec.inputs], period)


# Each example runs every looked-after indicator, so one generated bundle serves them all.


@settings(max_examples=60)
@given(bundle=lac_bundles(), period=periods, rnd=st.randoms(use_true_random=False))
def test_record_order_never_matters(
    bundle: dict[str, list[object]], period: Period, rnd: random.Random
) -> None:
    shuffled = {k: rnd.sample(v, len(v)) for k, v in bundle.items()}
    for spec_id in IDS:
        result = run(spec_id, bundle, period)
        assert result == run(spec_id, shuffled, period), spec_id
        ids = [o.child_id for o in result.outcomes]
        assert ids == sorted(ids), spec_id


@settings(max_examples=60)
@given(bundle=lac_bundles(), period=periods)
def test_numerator_and_denominator_are_consistent(
    bundle: dict[str, list[object]], period: Period
) -> None:
    for spec_id in IDS:
        _check_consistent(run(spec_id, bundle, period))


def _check_consistent(r: IndicatorResult) -> None:
    counted = [o for o in r.outcomes if o.counted]
    assert r.denominator == len(counted)
    if r.kind is ValueKind.PERCENTAGE:
        assert 0 <= r.numerator <= r.denominator
    elif r.kind is ValueKind.MEAN:
        assert r.numerator == sum(int(o.measure or 0) for o in counted)
        assert all((o.measure or 0) >= 0 for o in counted)
    else:
        assert r.numerator == r.denominator
    assert all(o.reason for o in r.outcomes if not o.counted)


@settings(max_examples=50)
@given(bundle=lac_bundles(max_children=3), period=periods, data=st.data())
def test_adding_a_child_changes_no_other_childs_outcome(
    bundle: dict[str, list[object]], period: Period, data: st.DataObject
) -> None:
    taken = {e.child_id for v in bundle.values() for e in v}
    new_id = data.draw(child_ids.filter(lambda c: c not in taken))
    extra = data.draw(child_records(new_id))
    bigger = {k: v + extra[k] for k, v in bundle.items()}
    for spec_id in IDS:
        before = run(spec_id, bundle, period)
        after = run(spec_id, bigger, period)
        assert before.outcomes == tuple(o for o in after.outcomes if o.child_id != new_id), spec_id


FLOWS: dict[str, Callable[[list[Episode], Period], IndicatorResult]] = {
    "returned_to_care_within_12_months": returned_to_care_within_12_months,
    "adoption_a1": adoption_a1,
}


@pytest.mark.parametrize("name", sorted(FLOWS))
@settings(max_examples=60)
@given(eps=histories(), year=st.integers(2018, 2023))
def test_disjoint_periods_add_up_for_flow_measures(
    name: str, eps: list[Episode], year: int
) -> None:
    f = FLOWS[name]
    a, b = Period.financial_year(year), Period.financial_year(year + 1)
    both = Period(a.start, b.end)
    ra, rb, rboth = f(eps, a), f(eps, b), f(eps, both)
    assert ra.numerator + rb.numerator == rboth.numerator
    assert ra.denominator + rb.denominator == rboth.denominator


def _summary(r: IndicatorResult) -> list[tuple[object, ...]]:
    return [(o.child_id, o.counted, o.met, o.measure) for o in r.outcomes]


@settings(max_examples=150)
@given(
    eps=histories(min_children=1, max_children=3),
    period=periods,
    rnd=st.randoms(use_true_random=False),
    window=st.sampled_from(["rolling", "period"]),
)
def test_an_rne_l_split_never_changes_a_placement_count(
    eps: list[Episode], period: Period, rnd: random.Random, window: str
) -> None:
    split = split_with_legal_change(sorted(eps, key=lambda e: (e.child_id, e.start_date)), rnd)
    if split is None:
        return
    assert _summary(three_or_more_placements(eps, period, window=window)) == _summary(
        three_or_more_placements(split, period, window=window)
    )


@settings(max_examples=150)
@given(
    eps=histories(min_children=1, max_children=3),
    period=periods,
    rnd=st.randoms(use_true_random=False),
    clause=st.booleans(),
    data=st.data(),
)
def test_an_rne_l_split_never_changes_a_stability_outcome(
    eps: list[Episode], period: Period, rnd: random.Random, clause: bool, data: st.DataObject
) -> None:
    from strategies.looked_after import children_for

    kids = data.draw(children_for(eps))
    split = split_with_legal_change(sorted(eps, key=lambda e: (e.child_id, e.start_date)), rnd)
    if split is None:
        return
    a = long_term_placement_stability(eps, kids, period, adoption_clause=clause)
    b = long_term_placement_stability(split, kids, period, adoption_clause=clause)
    assert _summary(a) == _summary(b)


@st.composite
def broken_bundles(draw: st.DrawFn) -> dict[str, list[object]]:
    """Every kind of record, with some children's episodes deliberately broken."""
    from strategies.looked_after import broken_history

    bundle = draw(lac_bundles(max_children=3))
    taken = {e.child_id for v in bundle.values() for e in v}
    for _ in range(draw(st.integers(1, 3))):
        cid = draw(child_ids.filter(lambda c: c not in taken))
        taken.add(cid)
        _, eps = draw(broken_history(cid))
        bundle["episodes"].extend(eps)
    return bundle


@settings(max_examples=60)
@given(bundle=broken_bundles(), period=periods, rnd=st.randoms(use_true_random=False))
def test_broken_data_is_reported_never_a_crash(
    bundle: dict[str, list[object]], period: Period, rnd: random.Random
) -> None:
    shuffled = {k: rnd.sample(v, len(v)) for k, v in bundle.items()}
    for spec_id in IDS:
        result = run(spec_id, bundle, period)
        _check_consistent(result)
        assert result == run(spec_id, shuffled, period), spec_id
        if "episodes" in INDICATORS[spec_id].inputs:
            assert result.issues, spec_id
