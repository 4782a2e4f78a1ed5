"""Explainable results: outcomes, values, merging and export."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import (
    Assessment,
    DataIssue,
    IndicatorResult,
    Outcome,
    Period,
    Polarity,
    ResultMergeError,
    ValueKind,
)
from csc_indicators.registry import Family, make_spec
from csc_indicators.results import ResultBuilder, keeping_outcomes

FY = Period.financial_year(2024)
A = Assessment("c1", dt.date(2024, 5, 1), dt.date(2024, 6, 3))


def x(assessments: object, period: Period) -> IndicatorResult:
    """A test indicator: only its identity is used."""
    raise NotImplementedError


make_spec(
    x,
    title="Test",
    short_title="Test",
    family=Family.CHILDREN_IN_NEED,
    unit="assessment",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=("test",),
)


def build(
    flags: list[tuple[bool, bool]],
    kind: ValueKind = ValueKind.PERCENTAGE,
    parameters: dict[str, object] | None = None,
) -> IndicatorResult:
    b = ResultBuilder(x, kind)
    for i, (counted, met) in enumerate(flags):
        if counted:
            b.count(f"c{i}", A, met, measure=i)
        else:
            b.exclude(f"c{i}", A, "left out for the test")
    return b.build(FY, parameters or {"limit": 45})


def test_outcome_rules() -> None:
    with pytest.raises(ValueError, match="reason"):
        Outcome("c1", A, counted=False, met=False)
    with pytest.raises(ValueError, match="cannot be met"):
        Outcome("c1", A, counted=False, met=True, reason="x")
    o = Outcome("c1", A, True, True, 23, details={"previous": dt.date(2024, 1, 1)})
    row = o.to_row()
    assert row["child_id"] == "c1" and row["measure"] == 23 and row["reason"] == ""
    assert row["start_date"] == dt.date(2024, 5, 1)
    assert row["authorisation_date"] == dt.date(2024, 6, 3)
    assert row["previous"] == dt.date(2024, 1, 1)
    assert row["record_type"] == "Assessment"


def test_percentage_value_and_rounding() -> None:
    r = build([(True, True), (True, True), (True, False), (False, False)])
    assert (r.numerator, r.denominator) == (2, 3)
    assert r.value == pytest.approx(66.6666, rel=1e-4)
    assert r.rounded_value == 66.7
    assert len(r.excluded_outcomes()) == 1 and len(r.counted_outcomes()) == 3
    assert str(r) == "Test (2024-25): 66.7% [2/3]"
    assert build([(True, True)] * 1 + [(True, False)] * 7).rounded_value == 12.5


def test_empty_denominator_gives_none() -> None:
    r = build([(False, False)])
    assert r.value is None and r.rounded_value is None
    assert "n/a" in str(r)


def test_mean_sums_measures() -> None:
    r = build([(True, True), (True, True), (True, True), (False, False)], ValueKind.MEAN)
    assert (r.numerator, r.denominator) == (0 + 1 + 2, 3)
    assert r.value == 1.0 and r.rounded_value == 1


def test_mean_rounds_half_up() -> None:
    r = IndicatorResult("x", "t", FY, {}, 5, 2, ValueKind.MEAN, decimals=0)
    assert r.rounded_value == 3


def test_count_and_rate() -> None:
    r = build([(True, True)] * 3, ValueKind.COUNT)
    assert r.value == 3.0 and r.rounded_value == 3
    rate = build([(True, True)] * 3, ValueKind.RATE_PER_10K, {"population": 20000})
    assert rate.value == 1.5
    no_pop = build([(True, True)] * 3, ValueKind.RATE_PER_10K, {})
    assert no_pop.value is None


def test_merge_adds_and_concatenates() -> None:
    a = build([(True, True), (True, False)])
    b = build([(True, True), (False, False)])
    m = a + b
    assert (m.numerator, m.denominator) == (2, 3)
    assert m.outcomes == a.outcomes + b.outcomes
    assert IndicatorResult.combine([a, b]) == m
    with pytest.raises(ValueError):
        IndicatorResult.combine([])


def test_merge_refuses_different_parameters_or_periods() -> None:
    a = build([(True, True)])
    with pytest.raises(ResultMergeError, match="parameters"):
        a.merge(build([(True, True)], parameters={"limit": 46}))
    other = ResultBuilder(x).build(Period.financial_year(2023), {"limit": 45})
    with pytest.raises(ResultMergeError, match="period"):
        a.merge(other)


def test_rows_and_summary() -> None:
    b = ResultBuilder(x)
    b.count("c1", A, True, 23)
    b.issue("two referrals on one day", "c1", kind="duplicate")
    r = b.build(FY, {"limit": 45})
    rows = r.rows()
    assert rows[0]["indicator"] == "x" and rows[0]["period"] == "2024-25"
    assert rows[0]["measure"] == 23 and rows[0]["met"] is True
    s = r.summary()
    assert s["numerator"] == 1 and s["value"] == 100.0 and s["issues"] == 1
    assert s["parameters"] == {"limit": 45}
    assert str(r.issues[0]) == "child c1: two referrals on one day"
    assert r.issues[0] == DataIssue("two referrals on one day", "c1", kind="duplicate")


flags = st.lists(st.tuples(st.booleans(), st.booleans()), max_size=30)


@given(flags, flags)
def test_merge_is_consistent_with_building_together(
    x: list[tuple[bool, bool]], y: list[tuple[bool, bool]]
) -> None:
    a, b = build(x), build(y)
    merged = a + b
    assert merged.numerator == a.numerator + b.numerator <= merged.denominator
    assert merged.denominator == sum(1 for o in merged.outcomes if o.counted)
    assert merged.numerator == sum(1 for o in merged.outcomes if o.met)


def test_results_pickle_for_worker_processes() -> None:
    import pickle

    from csc_indicators.calendar import default_calendar

    b = ResultBuilder(x)
    b.count("c1", A, True, 23, details={"previous": dt.date(2024, 1, 1)})
    b.exclude("c2", A, "outside", details={"x": 1})
    r = b.build(FY, {"calendar": default_calendar(), "limit": 45})
    again = pickle.loads(pickle.dumps(r))
    assert again == r
    assert again.outcomes[0].details == {"previous": dt.date(2024, 1, 1)}
    assert again.parameters["calendar"] == default_calendar()
    with pytest.raises(TypeError):
        r.parameters["limit"] = 46  # type: ignore[index]
    # every field travels, those left out of equality too
    issue = DataIssue("bad", "c1", A, "overlap", "f.csv:line 2", "PLACE", "K3")
    back = pickle.loads(pickle.dumps(issue))
    assert (
        back.message,
        back.child_id,
        back.record,
        back.kind,
        back.location,
        back.field,
        back.value,
    ) == ("bad", "c1", A, "overlap", "f.csv:line 2", "PLACE", "K3")
    o = pickle.loads(pickle.dumps(r.outcomes[1]))
    assert (o.child_id, o.record, o.counted, o.met, o.measure, o.reason, dict(o.details)) == (
        "c2",
        A,
        False,
        False,
        None,
        "outside",
        {"x": 1},
    )


def tally(flags: list[tuple[bool, bool]], kind: ValueKind) -> IndicatorResult:
    b = ResultBuilder(x, kind, keep_outcomes=False)
    for i, (counted, met) in enumerate(flags):
        if counted:
            b.count(f"c{i}", A, met, measure=i)
        else:
            b.exclude(f"c{i}", A, "left out for the test")
    return b.build(FY, {"limit": 45})


@given(flags, st.sampled_from(list(ValueKind)))
def test_a_builder_that_only_tallies_gives_the_same_figures(
    x: list[tuple[bool, bool]], kind: ValueKind
) -> None:
    kept, tallied = build(x, kind), tally(x, kind)
    assert (tallied.numerator, tallied.denominator, tallied.value) == (
        kept.numerator,
        kept.denominator,
        kept.value,
    )
    assert tallied.outcomes == () and len(kept.outcomes) == len(x)


def test_tallied_figures_by_kind() -> None:
    x = [(True, True), (False, False), (True, False), (True, True)]  # measures 0, 2, 3 counted
    assert (tally(x, ValueKind.PERCENTAGE).numerator, tally(x, ValueKind.PERCENTAGE).value) == (
        2,
        pytest.approx(66.6667, abs=1e-4),
    )
    assert tally(x, ValueKind.MEAN).numerator == 5
    assert tally(x, ValueKind.COUNT).numerator == tally(x, ValueKind.COUNT).denominator == 3


def test_keeping_outcomes_sets_the_default_within_a_block_only() -> None:
    with keeping_outcomes(False):
        assert build([(True, True), (False, False)]).outcomes == ()
        # asked for explicitly, outcomes are kept whatever the block says
        assert len(ResultBuilder(x, keep_outcomes=True).build(FY, {}).outcomes) == 0
        b = ResultBuilder(x, keep_outcomes=True)
        b.count("c1", A, True)
        assert len(b.build(FY, {}).outcomes) == 1
        with pytest.raises(ValueError, match="must carry a reason"):
            ResultBuilder(x).exclude("c1", A, "")
    assert len(build([(True, True), (False, False)]).outcomes) == 2


def test_a_builder_builds_the_outcomes_the_class_builds() -> None:
    """The builder makes its outcomes without re-running the class's checks: the same
    outcomes, details frozen, reasons formatted, checked alike."""
    b = ResultBuilder(x, keep_outcomes=True)
    b.count("c1", A, True, 3, lambda: "quick", {"previous": dt.date(2024, 1, 1)})
    b.count("c2", A, False)
    b.exclude("c3", A, lambda: "left out", 4, {"why": "test"})
    got = b.build(FY, {}).outcomes
    want = (
        Outcome("c1", A, True, True, 3, "quick", {"previous": dt.date(2024, 1, 1)}),
        Outcome("c2", A, True, False),
        Outcome("c3", A, False, False, 4, "left out", {"why": "test"}),
    )
    assert got == want
    assert [hash(o) for o in got] == [hash(o) for o in want]
    assert [type(o.details).__name__ for o in got] == ["FrozenMap"] * 3
    # A reason given as a function is formatted when the outcome is built: an empty one is
    # refused then.
    late = ResultBuilder(x, keep_outcomes=True)
    late.exclude("c4", A, lambda: "")
    with pytest.raises(ValueError, match="must carry a reason"):
        late.build(FY, {})


def test_bare_outcomes_in_a_block() -> None:
    """``keeping_outcomes(True, bare=True)``: every outcome, bare; ``keeping_outcomes(False,
    bare=True)``: the counted ones, bare, the builder tallying as in summary mode."""
    flags = [(True, True), (False, False), (True, False)]
    whole = build(flags)
    with keeping_outcomes(True, bare=True):
        bare = build(flags)
    with keeping_outcomes(False, bare=True):
        counted = build(flags)
        assert not ResultBuilder(x).keep
    for got in (bare, counted):
        assert (got.numerator, got.denominator) == (whole.numerator, whole.denominator)
        assert all(o.reason is None and not o.details for o in got.outcomes)
    strip = [(o.child_id, o.counted, o.met, o.measure) for o in whole.outcomes]
    assert [(o.child_id, o.counted, o.met, o.measure) for o in bare.outcomes] == strip
    assert [(o.child_id, o.counted, o.met, o.measure) for o in counted.outcomes] == [
        s for s in strip if s[1]
    ]


def test_a_counted_outcome_made_in_one_call_is_the_class_s() -> None:
    from csc_indicators.builder import counted_outcome
    from csc_indicators.results import FrozenMap

    details: dict[str, object] = {"start_date": dt.date(2024, 5, 1)}
    made = counted_outcome("A", "record", True, 3, "3 working days", details)
    assert made == Outcome("A", "record", True, True, 3, "3 working days", details)
    assert type(made.details) is FrozenMap and dict(made.details) == details
    bare = counted_outcome("B", None, False, None, None, {})
    assert bare == Outcome("B", None, True, False)
    assert bare.details is Outcome("B", None, True, False).details  # the shared empty map


def test_read_only_mappings_are_not_copied_again() -> None:
    from csc_indicators.results import FrozenMap, _frozen_mapping

    class Mine(FrozenMap):
        __slots__ = ()

    m = Mine({"a": 1})
    assert _frozen_mapping(m) is m
    plain = {"a": 1}
    held = _frozen_mapping(plain)
    assert type(held) is FrozenMap and dict(held) == plain and held is not plain
