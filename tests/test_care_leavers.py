"""Care leavers (OC3): edge cases (the worked examples run on the spec pages)."""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import CareLeaverRecord, IndicatorResult
from csc_indicators.indicators import (
    care_leavers_17_18_suitable_accommodation,
    care_leavers_19_21_eet,
)
from lac_examples import FY2024, OC3, D


@pytest.mark.parametrize(
    "measure", [care_leavers_19_21_eet, care_leavers_17_18_suitable_accommodation]
)
def test_a_date_of_birth_after_the_period_is_reported(
    measure: Callable[..., IndicatorResult],
) -> None:
    """Even 9999-12-31, whose birthdays no calendar holds: reported, not an outcome, and the
    other young people's figures are unchanged (found by fuzzing, where it crashed)."""
    odd = [
        CareLeaverRecord("Z", D(2030, 1, 1), "YES", "F2", "B1"),
        CareLeaverRecord("Y", D(9999, 12, 31), "YES", "F2", "B1"),
    ]
    plain, with_odd = measure(OC3, FY2024), measure(OC3 + odd, FY2024)
    assert (with_odd.numerator, with_odd.denominator) == (plain.numerator, plain.denominator)
    assert [(i.child_id, i.kind) for i in with_odd.issues] == [
        ("Y", "date order"),
        ("Z", "date order"),
    ]
    assert str(with_odd.issues[1]).endswith(
        "OC3 date of birth 2030-01-01 is after the period (2024-25): the young person cannot "
        "be a care leaver in it"
    )
    assert not [o for o in with_odd.outcomes if o.child_id in ("Y", "Z")]


def test_denominator_choice_is_checked() -> None:
    with pytest.raises(ValueError, match="denominator"):
        care_leavers_19_21_eet(OC3, FY2024, denominator="known")  # type: ignore[arg-type]


# -- several collection years loaded at once ---------------------------------------------------

P_2023 = CareLeaverRecord("P", D(2005, 6, 1), "YES", "G4", "X2", collection_year=2023)
P_2024 = CareLeaverRecord("P", D(2005, 6, 1), "YES", "F2", "B1", collection_year=2024)


def test_two_rows_of_one_year_are_a_conflict_counted_once() -> None:
    again = attrs.evolve(P_2024, activity="G6")
    r = care_leavers_19_21_eet([again, P_2024, P_2023], FY2024)
    assert (r.numerator, r.denominator) == (1, 1)
    assert r.outcomes[0].record == P_2024  # F2 before G6 in code order
    (issue,) = r.issues
    assert issue.kind == "conflict" and issue.record == again  # decision D14
    assert issue.message == (
        "more than one OC3 record for 2024-25; not used: the record used "
        "is IN_TOUCH YES, ACTIV F2, ACCOM B1 (collection year 2024)"
    )
    # A row without a year is taken to be of this year; the row that names it is used.
    unknown = attrs.evolve(P_2024, activity="G6", collection_year=None)
    r = care_leavers_19_21_eet([unknown, P_2024], FY2024)
    assert r.outcomes[0].record == P_2024 and [i.record for i in r.issues] == [unknown]
    # Rows without years behave as before: one is used, the other reported.
    plain = [attrs.evolve(P_2023, collection_year=None), attrs.evolve(P_2024, collection_year=None)]
    r = care_leavers_19_21_eet(plain, FY2024)
    assert r.denominator == 1 and [i.kind for i in r.issues] == ["conflict"]
    # The same row in two files of one year is loaded once, silently.
    r = care_leavers_19_21_eet([P_2024, P_2024], FY2024)
    assert r.denominator == 1 and r.issues == ()


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.builds(
            CareLeaverRecord,
            st.sampled_from("PQR"),
            st.sampled_from([D(2005, 6, 1), D(2004, 1, 1)]),
            st.just("YES"),
            st.sampled_from(["F2", "G4"]),
            st.sampled_from(["B1", "X2"]),
            st.none() | st.sampled_from([2023, 2024, 2025]),
        ),
        max_size=8,
    ),
    seed=st.randoms(),
)
def test_never_counted_twice_and_order_never_matters(
    rows: list[CareLeaverRecord], seed: random.Random
) -> None:
    shuffled = list(rows)
    seed.shuffle(shuffled)
    for function in (care_leavers_19_21_eet, care_leavers_17_18_suitable_accommodation):
        r = function(rows, FY2024)
        ids = [o.child_id for o in r.outcomes]
        assert len(ids) == len(set(ids))
        assert all(o.record.collection_year in (None, 2024) for o in r.outcomes)
        assert r == function(shuffled, FY2024)
