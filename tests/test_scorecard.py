"""The scorecard, on a test-local registry of small fake indicators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import (
    INDICATORS,
    Assessment,
    Bundle,
    CalendarRangeError,
    Episode,
    IndicatorResult,
    Period,
    Polarity,
    Referral,
    ValueKind,
    WorkingDayCalendar,
    scorecard,
)
from csc_indicators.registry import Family, Registry
from csc_indicators.results import ResultBuilder
from csc_indicators.scoring import Scorecard, run_indicator

FY = Period.financial_year(2024)
CAL = WorkingDayCalendar.england_and_wales()


def episodes_started(episodes: Any, period: Period, *, population: int | None = None) -> Any:
    kind = ValueKind.COUNT if population is None else ValueKind.RATE_PER_10K
    b = ResultBuilder(episodes_started, kind)
    for e in sorted(episodes, key=lambda e: (e.child_id, e.start_date)):
        if e.start_date in period:
            b.count(e.child_id, e, met=True)
    return b.build(period, {"population": population})


def referrals_in(referrals: Any, period: Period, *, assessments: Any = None) -> Any:
    b = ResultBuilder(referrals_in)
    for r in sorted(referrals, key=lambda r: (r.child_id, r.date)):
        if r.date in period:
            b.count(r.child_id, r, met=True)
    return b.build(period, {"assessments_given": assessments is not None})


def quick(assessments: Any, period: Period, *, calendar: Any = None) -> Any:
    b = ResultBuilder(quick)
    for a in sorted(assessments, key=lambda a: (a.child_id, a.start_date)):
        if a.authorisation_date in period:
            days = calendar.working_days(a.start_date, a.authorisation_date)
            b.count(a.child_id, a, met=days <= 10, measure=days)
    return b.build(period, {"calendar": calendar.name})


def plans_and_referrals(referrals: Any, plans: Any, period: Period) -> Any:
    raise AssertionError("never called: the test bundle has no plans")


def out_of_range(referrals: Any, period: Period) -> Any:
    raise CalendarRangeError("2099-01-01 is outside the calendar's years")


def make_registry() -> Registry:
    """Registration order: a looked-after indicator first, to show that the scorecard puts
    indicators the registry's SCORECARD_ORDER does not name in family order."""
    registry = Registry()
    specs: list[tuple[Any, Family, dict[str, Any]]] = [
        (episodes_started, Family.LOOKED_AFTER, {"kind": ValueKind.COUNT}),
        (referrals_in, Family.CHILDREN_IN_NEED, {"kind": ValueKind.COUNT}),
        (quick, Family.CHILDREN_IN_NEED, {}),
        (plans_and_referrals, Family.CHILDREN_IN_NEED, {}),
        (out_of_range, Family.LOOKED_AFTER, {}),
    ]
    for function, family, extra in specs:
        registry.register(
            title=function.__name__.replace("_", " "),
            short_title=function.__name__,
            family=family,
            unit="record",
            polarity=Polarity.HIGHER_IS_BETTER,
            sources=("test",),
            **extra,
        )(function)
    return registry


REFERRALS = (
    Referral("A", dt.date(2024, 5, 1)),
    Referral("B", dt.date(2023, 5, 1)),
    Referral("B", dt.date(2025, 1, 2)),
)
ASSESSMENTS = (
    Assessment("A", dt.date(2024, 5, 1), dt.date(2024, 5, 10)),
    Assessment("B", dt.date(2024, 5, 1), dt.date(2024, 6, 28)),
)


def test_scorecard_runs_what_the_bundle_allows() -> None:
    bundle = Bundle(referrals=REFERRALS, assessments=ASSESSMENTS)
    card = scorecard(bundle, FY, calendar=CAL, registry=make_registry())
    assert isinstance(card, Scorecard)
    assert [r.indicator for r in card.results] == ["referrals_in", "quick"]
    assert card["referrals_in"].numerator == 2
    assert card["referrals_in"].parameters["assessments_given"] is True
    assert (card["quick"].numerator, card["quick"].denominator) == (1, 2)
    assert card["quick"].parameters["calendar"] == CAL.name
    assert [(n.indicator, n.missing) for n in card.not_computed] == [
        ("plans_and_referrals", ("plans",)),
        ("episodes_started", ("episodes",)),
        ("out_of_range", ()),
    ]
    assert card.not_computed[0].reason == "needs plans, not supplied"
    assert card.not_computed[2].reason.startswith("failed: 2099-01-01 is outside")
    rows = card.rows()
    assert [r["indicator"] for r in rows] == [
        "referrals_in",
        "quick",
        "plans_and_referrals",
        "episodes_started",
        "out_of_range",
    ]
    assert rows[0]["status"] == "computed" and rows[2]["status"] == "not computed"
    assert rows[1]["value"] == 50.0 and rows[1]["polarity"] == "higher is better"


def test_optional_inputs_only_when_supplied() -> None:
    card = scorecard(
        Bundle(referrals=REFERRALS), FY, registry=make_registry(), indicators=("referrals_in",)
    )
    assert card["referrals_in"].parameters["assessments_given"] is False
    assert card.not_computed == ()
    with pytest.raises(KeyError, match="nope"):
        scorecard(Bundle(), FY, registry=make_registry(), indicators=("nope",))


def test_population_passed_to_rates() -> None:
    episodes = (Episode("A", dt.date(2024, 6, 1), "S", "C2", "U1"),)
    bundle = Bundle(episodes=episodes)
    card = scorecard(bundle, FY, population=20_000, registry=make_registry())
    assert card["episodes_started"].kind is ValueKind.RATE_PER_10K
    assert card["episodes_started"].value == 0.5
    assert scorecard(bundle, FY, registry=make_registry())["episodes_started"].value == 1.0


def test_progress_called_for_each_indicator() -> None:
    seen: list[tuple[int, int, str]] = []
    scorecard(
        Bundle(),
        FY,
        registry=make_registry(),
        progress=lambda i, n, spec: seen.append((i, n, spec.id)),
    )
    assert [s[:2] for s in seen] == [(i, 5) for i in range(5)]


def test_run_indicator_refuses_missing_inputs() -> None:
    spec = make_registry()["quick"]
    with pytest.raises(ValueError, match="needs assessments"):
        run_indicator(spec, Bundle(), FY)
    result = run_indicator(spec, Bundle(assessments=ASSESSMENTS), FY, calendar=CAL)
    assert isinstance(result, IndicatorResult)


def test_default_registry_is_the_package_registry() -> None:
    card = scorecard(Bundle(), FY)
    assert set(card.specs) == set(INDICATORS)
    assert len(card.results) + len(card.not_computed) == len(INDICATORS)


@settings(max_examples=30)
@given(st.permutations(REFERRALS), st.permutations(ASSESSMENTS))
def test_record_order_never_matters(referrals: Any, assessments: Any) -> None:
    registry = make_registry()
    a = scorecard(
        Bundle(referrals=REFERRALS, assessments=ASSESSMENTS), FY, calendar=CAL, registry=registry
    )
    b = scorecard(
        Bundle(referrals=referrals, assessments=assessments), FY, calendar=CAL, registry=registry
    )
    assert a == b


def test_a_reason_names_every_kind_missing_in_words() -> None:
    card = scorecard(Bundle(referrals=REFERRALS), FY, calendar=CAL)
    reasons = {n.indicator: n.reason for n in card.not_computed}
    assert reasons["uasc_looked_after_at_period_end"] == "needs episodes and children, not supplied"
    assert reasons["lac_started"] == "needs episodes, not supplied"
