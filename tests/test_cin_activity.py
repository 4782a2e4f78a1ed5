"""Children-in-need activity counts and rates: edge cases and properties (the worked example
runs on the pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import (
    INDICATORS,
    Assessment,
    ChildProtectionPlan,
    Period,
    Referral,
    Section47,
    TransferInConference,
    ValueKind,
)
from csc_indicators.indicators import (
    assessments_completed,
    children_on_cp_plan,
    cp_plans_ceased,
    cp_plans_started,
    icpcs_held,
    referrals_received,
    s47_enquiries_started,
)
from strategies.cin import (
    History,
    broken_histories,
    check_additive,
    check_bounds,
    check_child_independence,
    check_order_free,
    histories,
    periods,
    run,
    split_periods,
)

D = dt.date
FY24 = Period.financial_year(2024)
COUNT_IDS = [
    "referrals_received",
    "assessments_completed",
    "s47_enquiries_started",
    "icpcs_held",
    "cp_plans_started",
    "cp_plans_ceased",
    "children_on_cp_plan",
]
FLOW_IDS = COUNT_IDS[:-1]


def example() -> History:
    """The records of the worked example on the activity-count pages (docs/indicators/), where
    the counts are checked."""
    return History(
        referrals=(
            Referral("A", D(2024, 4, 1)),
            Referral("A", D(2024, 4, 1)),
            Referral("B", D(2025, 3, 31)),
            Referral("C", D(2024, 3, 31)),
        ),
        assessments=(
            Assessment("A", D(2024, 4, 1), D(2024, 5, 20)),
            Assessment("B", D(2025, 3, 31)),
            Assessment("C", D(2024, 3, 1), D(2024, 4, 2)),
        ),
        section47s=(
            Section47("A", D(2024, 5, 1), D(2024, 5, 15)),
            Section47("C", D(2024, 3, 28), D(2024, 4, 10)),
        ),
        transfer_ins=(TransferInConference("D", D(2024, 9, 2)),),
        plans=(
            ChildProtectionPlan("A", D(2024, 5, 15), D(2025, 1, 31)),
            ChildProtectionPlan("C", D(2024, 4, 10)),
            ChildProtectionPlan("D", D(2024, 9, 2), D(2025, 3, 31)),
            ChildProtectionPlan("E", D(2022, 1, 5)),
        ),
    )


def test_referral_duplicate_is_excluded_and_reported() -> None:
    r = referrals_received(example().referrals, FY24)
    assert [o.counted for o in r.outcomes] == [True, False, True]
    assert [i.kind for i in r.issues] == ["duplicate"]


def test_boundaries_and_open_plans() -> None:
    h = example()
    # plan D ends on 31 March: ceased in 2024-25, not on a plan at its end
    on_plan = children_on_cp_plan(h.plans, FY24)
    assert [o.child_id for o in on_plan.outcomes] == ["C", "E"]
    ceased = cp_plans_ceased(h.plans, FY24)
    assert [o.child_id for o in ceased.outcomes] == ["A", "D"]
    # section 47 of C started 28 March 2024: previous year; its conference is in this one
    assert [o.child_id for o in s47_enquiries_started(h.section47s, FY24).outcomes] == ["A"]
    held = icpcs_held(h.section47s, FY24, transfer_ins=h.transfer_ins)
    assert [o.child_id for o in held.outcomes] == ["A", "C", "D"]
    assert icpcs_held(h.section47s, FY24, transfer_ins=None).numerator == 2


def test_children_on_plan_counted_once_with_overlap() -> None:
    plans = [ChildProtectionPlan("A", D(2024, 1, 1)), ChildProtectionPlan("A", D(2024, 6, 1))]
    r = children_on_cp_plan(plans, FY24)
    assert (r.numerator, [o.counted for o in r.outcomes]) == (1, [False, True])
    assert [i.kind for i in r.issues] == ["overlap"]
    started = cp_plans_started(plans, FY24)
    assert started.numerator == 1 and [i.kind for i in started.issues] == ["overlap"]


def test_date_order_reported_but_counted() -> None:
    a = assessments_completed([Assessment("A", D(2024, 6, 1), D(2024, 5, 1))], FY24)
    assert a.numerator == 1 and [i.kind for i in a.issues] == ["date order"]
    p = cp_plans_ceased([ChildProtectionPlan("A", D(2024, 6, 1), D(2024, 5, 1))], FY24)
    assert p.numerator == 1 and [i.kind for i in p.issues] == ["date order"]


@pytest.mark.parametrize("population", [0, -5, 1.5, True])
def test_bad_population(population: object) -> None:
    with pytest.raises(ValueError):
        referrals_received([], FY24, population=population)  # type: ignore[arg-type]


def test_registry_entries() -> None:
    for indicator in COUNT_IDS:
        spec = INDICATORS[indicator]
        assert spec.uses_population and spec.kind is ValueKind.COUNT
    assert INDICATORS["icpcs_held"].optional_inputs == ("transfer_ins",)


def test_sanity_devon_2016_17_rates() -> None:
    """Devon's 2016-17 scorecard: 5,061 referrals (RA 1) = 352.5 per 10,000 children, and
    1,452 section 47 enquiries (RA 9) = 101.1, with a 0-17 population of 143,555."""
    refs = [Referral(f"R{i}", D(2016, 6, 1)) for i in range(5061)]
    r = referrals_received(refs, Period.financial_year(2016), population=143555)
    assert (r.numerator, r.rounded_value) == (5061, 352.5)
    s47s = [Section47(f"S{i}", D(2016, 6, 1)) for i in range(1452)]
    s = s47s_rate = s47_enquiries_started(s47s, Period.financial_year(2016), population=143555)
    assert (s.numerator, s47s_rate.rounded_value) == (1452, 101.1)


# -- properties -------------------------------------------------------------------------------

any_history = st.one_of(histories(), broken_histories())


@pytest.mark.parametrize("indicator", COUNT_IDS)
@settings(max_examples=25)
@given(h=any_history, period=periods(), seed=st.integers(0, 2**16))
def test_properties(indicator: str, h: History, period: Period, seed: int) -> None:
    check_order_free(indicator, h, period, seed)
    check_bounds(indicator, h, period)
    check_child_independence(indicator, h, period)


@pytest.mark.parametrize("indicator", FLOW_IDS)
@settings(max_examples=25)
@given(h=any_history, ps=split_periods())
def test_disjoint_periods_add(
    indicator: str, h: History, ps: tuple[Period, Period, Period]
) -> None:
    check_additive(indicator, h, ps)


@settings(max_examples=30)
@given(any_history, periods())
def test_counts_agree_with_percentage_denominators(h: History, period: Period) -> None:
    assert run("referrals_received", h, period).numerator == len(
        run("rereferrals_within_12_months", h, period).counted_outcomes()
    )
    assert run("cp_plans_started", h, period).numerator == len(
        run("repeat_cp_plans", h, period).counted_outcomes()
    )
    held = run("icpcs_held", h, period)
    timely = run("icpcs_within_15_working_days", h, period)
    # every conference in the timeliness measure is in the total
    assert {id(o.record) for o in timely.counted_outcomes()} <= {
        id(o.record) for o in held.counted_outcomes()
    }


def test_every_cin_indicator_runs_from_a_bundle_as_the_scorecard_calls_it() -> None:
    from csc_indicators import Bundle, IndicatorResult
    from csc_indicators.calendar import default_calendar

    h = example()
    for transfer_ins in (h.transfer_ins, None):
        bundle = Bundle(
            referrals=h.referrals,
            assessments=h.assessments,
            section47s=h.section47s,
            transfer_ins=transfer_ins,
            plans=h.plans,
        )
        for spec in INDICATORS.by_family("children in need"):
            extra: dict[str, object] = {}
            if spec.uses_calendar:
                extra["calendar"] = default_calendar()
            if spec.uses_population:
                extra["population"] = 20000
            result = spec.function(
                *[getattr(bundle, name) for name in spec.inputs],
                FY24,
                **{name: getattr(bundle, name) for name in spec.optional_inputs},
                **extra,
            )
            assert isinstance(result, IndicatorResult)
            assert result.indicator == spec.id and result.title == spec.title
