"""What the loaded data cover (D18), the bundle's and the scorecard's reprs, and the example
authority's public loader."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from csc_indicators import (
    INDICATORS,
    Bundle,
    Period,
    Referral,
    SourceInfo,
    example_bundle,
    scorecard,
)
from csc_indicators.scoring import outside_coverage

D = dt.date


@pytest.fixture(scope="module")
def example() -> Bundle:
    return example_bundle()


def test_coverage_per_source_kind(example: Bundle) -> None:
    assert example.coverage("CIN census") == Period(D(2024, 4, 1), D(2025, 3, 31))
    assert example.coverage("SSDA903") == Period(D(2022, 4, 1), D(2025, 3, 31))
    assert example.coverage("synthetic") is None
    assert Bundle().coverage("SSDA903") is None


def test_coverage_from_the_reference_date_and_across_a_missing_year() -> None:
    bundle = Bundle(
        sources=(
            SourceInfo("CIN census", "a.xml", reference_date=D(2022, 3, 31)),
            SourceInfo("CIN census", "b.xml", collection_year=2024),
            SourceInfo("CIN census", "c.xml"),  # no header: says nothing
        )
    )
    assert bundle.coverage("CIN census") == Period(D(2021, 4, 1), D(2025, 3, 31))
    assert [s.year for s in bundle.sources] == [2021, 2024, None]


def test_coverage_summary(example: Bundle) -> None:
    cin, ssda903 = example.coverage_summary()
    assert cin == {
        "kind": "CIN census",
        "sources": 1,
        "years": [2024],
        "start": "2024-04-01",
        "end": "2025-03-31",
        "coverage": "1 April 2024 to 31 March 2025",
        "records": {
            "referrals": 836,
            "assessments": 546,
            "section47s": 265,
            "transfer_ins": 3,
            "plans": 94,
            "cin_children": 625,
        },
    }
    assert (ssda903["kind"], ssda903["sources"], ssda903["years"]) == (
        "SSDA903",
        30,
        [2022, 2023, 2024],
    )
    assert ssda903["coverage"] == "1 April 2022 to 31 March 2025"
    assert ssda903["records"]["episodes"] == 163 and "referrals" not in ssda903["records"]
    by_hand = Bundle(referrals=[Referral("A", D(2024, 5, 1))])
    assert by_hand.coverage_summary() == [
        {
            "kind": "CIN census",
            "sources": 0,
            "years": [],
            "start": None,
            "end": None,
            "coverage": "unknown",
            "records": {"referrals": 1},
        }
    ]


def test_a_period_beyond_the_data_is_not_computed(example: Bundle) -> None:
    """Before D18, 2030-31 on data ending March 2025 gave 19 children 'on a plan for 2 years
    or more' (the plans open at the end of the data, still open six years on)."""
    card = scorecard(example, Period.financial_year(2030), outcomes=False)
    assert card.results == ()
    reasons = {n.indicator: n.reason for n in card.not_computed}
    assert reasons["cp_plans_open_2_years_or_more"] == (
        "the CIN census data cover 1 April 2024 to 31 March 2025; the period ends 31 March 2031"
    )
    assert reasons["lac_at_period_end"] == (
        "the SSDA903 data cover 1 April 2022 to 31 March 2025; the period ends 31 March 2031"
    )
    # the same records with no sources: nothing known about coverage, computed as before
    blind = scorecard(
        attrs.evolve(example, sources=()), Period.financial_year(2030), outcomes=False
    )
    assert blind["cp_plans_open_2_years_or_more"].numerator == 19


def test_a_period_before_the_data_is_not_computed(example: Bundle) -> None:
    card = scorecard(example, Period.financial_year(2023), outcomes=False)
    reasons = {n.indicator: n.reason for n in card.not_computed}
    assert reasons["children_on_cp_plan"] == (
        "the CIN census data cover 1 April 2024 to 31 March 2025; the period starts 1 April 2023"
    )
    # looked-after indicators need only the SSDA903 returns, which cover 2023-24
    assert "lac_at_period_end" not in reasons
    assert card["lac_at_period_end"].numerator > 0
    wide = Period(D(2020, 4, 1), D(2031, 3, 31))
    spec = card.specs["children_on_cp_plan"]
    assert outside_coverage(spec, example, wide) == (
        "the CIN census data cover 1 April 2024 to 31 March 2025; the period runs from "
        "1 April 2020 to 31 March 2031"
    )
    assert outside_coverage(spec, example, Period.parse("Q4:2024")) is None


def test_inside_the_coverage_nothing_changes(example: Bundle) -> None:
    card = scorecard(example, Period.financial_year(2024), outcomes=False)
    assert [n.reason for n in card.not_computed] == [
        "needs health_assessments, not supplied (health_assessments: in no statutory return; "
        "build the records in Python and add them to the bundle)"
    ]
    assert card["cp_plans_started"].numerator == 17


def test_reprs(example: Bundle) -> None:
    assert repr(example) == (
        "Bundle(referrals=836, assessments=546, section47s=265, transfer_ins=3, plans=94, "
        "cin_children=625, children=68, episodes=163, reviews=162, adoptions=3, "
        "placed_for_adoption=4, previous_permanence=0, health_outcomes=16, care_leavers=18, "
        "missing=86, sources=31, issues=0)"
    )
    big = Bundle(referrals=[Referral(str(i), D(2024, 5, 1)) for i in range(1234)])
    assert repr(big) == "Bundle(referrals=1,234, sources=0, issues=0)"
    assert repr(Bundle()) == "Bundle(sources=0, issues=0)"
    card = scorecard(example, Period.financial_year(2024), outcomes=False)
    # every registered indicator but the one needing health assessments the example lacks
    computed = len(INDICATORS) - 1
    assert repr(card) == f"Scorecard(2024-25: {computed} computed, 1 not computed)"
    assert repr(Period.financial_year(2024)) == "Period.parse('2024-25')"
