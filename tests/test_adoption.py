"""Adoption scorecard A1, A10 and A2: worked example and edge cases."""

from __future__ import annotations

import attrs

from csc_indicators import AdoptionRecord, Period
from csc_indicators.indicators import adoption_a1, adoption_a2, adoption_a10
from lac_examples import ADOPTION_EPISODES, ADOPTIONS, FY2024, D, E


def test_a10_without_ad1_uses_the_placement_code() -> None:
    r = adoption_a10(ADOPTION_EPISODES, [], FY2024)
    assert r.numerator == 554


def test_a10_reports_ad1_that_contradicts_the_placement() -> None:
    wrong = [attrs.evolve(ADOPTIONS[0], foster_carer=True), ADOPTIONS[1]]
    r = adoption_a10(ADOPTION_EPISODES, wrong, FY2024)
    assert [i.kind for i in r.issues] == ["inconsistent"]


def test_a2_exclusions() -> None:
    no_match = [AdoptionRecord("A", D(2022, 3, 1), None, False)]
    r = adoption_a2(ADOPTION_EPISODES, no_match, FY2024)
    o = {x.child_id: x for x in r.outcomes}
    assert not o["A"].counted and "no match date" in (o["A"].reason or "")
    assert not o["B"].counted
    no_order = [
        E("Z", D(2023, 1, 1), "S", "C2", "U4", D(2023, 6, 1), "X1"),
        E("Z", D(2023, 6, 1), "P", "C2", "A4", D(2024, 8, 1), "E12"),
    ]
    r = adoption_a2(no_order, [AdoptionRecord("Z", None, D(2023, 5, 1))], FY2024)
    assert "placement order" in (r.outcomes[0].reason or "")


def test_entry_date_not_in_the_data_is_excluded() -> None:
    truncated = [
        E("T", D(2023, 4, 1), "L", "E1", "U4", D(2023, 9, 1), "X1"),
        E("T", D(2023, 9, 1), "U", "D1", "A5", D(2024, 9, 1), "E11"),
    ]
    for f in (adoption_a1, lambda e, p: adoption_a10(e, [], p)):
        r = f(truncated, FY2024)
        assert r.denominator == 0 and "entered care is not in the data" in (
            r.outcomes[0].reason or ""
        )
    r = adoption_a2(truncated, [AdoptionRecord("T", None, D(2023, 6, 1))], FY2024)
    assert r.denominator == 0 and "court authority is not in the data" in (
        r.outcomes[0].reason or ""
    )


def test_a2_match_after_the_period_end_is_judged_as_no_match() -> None:
    """Decision D15: an adoption in 2019-20 whose match is recorded on 1 April 2020 gets the
    outcome of one without a match date (the same reason: nothing said of the later match)."""
    episodes = [
        E("C2", D(2018, 7, 6), "S", "C1", "U1", D(2018, 7, 7), "X1"),
        E("C2", D(2018, 7, 7), "L", "C2", "U1", D(2019, 8, 31), "X1"),
        E("C2", D(2019, 8, 31), "B", "E1", "A4", D(2019, 9, 1), "E11"),
    ]
    period = Period.parse("2019-20")
    seen = []
    for match in (D(2020, 4, 1), None):
        r = adoption_a2(episodes, [AdoptionRecord("C2", None, match, None)], period)
        (o,) = r.outcomes
        seen.append((o.counted, o.met, o.measure, o.reason, dict(o.details)))
    assert seen[0] == seen[1]
    assert seen[0][3] == "no match date (AD1 DATE_MATCH)"
    assert seen[0][4]["court_authority"] == "2019-08-31"
