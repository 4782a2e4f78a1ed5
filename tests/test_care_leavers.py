"""Care leavers (OC3): worked example."""

from __future__ import annotations

import pytest

from csc_indicators import INDICATORS
from csc_indicators.indicators import (
    care_leavers_17_18_in_eet,
    care_leavers_17_18_in_suitable_accommodation,
    care_leavers_19_21_in_eet,
    care_leavers_19_21_in_suitable_accommodation,
    care_leavers_in_eet,
)
from lac_examples import FY2024, OC3


def test_19_21_worked_example() -> None:
    eet = care_leavers_19_21_in_eet(OC3, FY2024)
    assert (eet.numerator, eet.denominator, eet.rounded_value) == (2, 4, 50.0)
    o = {x.child_id: x for x in eet.outcomes}
    assert set(o) == {"A", "B", "C", "D", "F"}
    assert not o["D"].counted and "died" in (o["D"].reason or "")
    assert o["F"].met and o["F"].details["birthday"] == "2025-02-28"
    assert o["C"].details["age"] == 21
    acc = care_leavers_19_21_in_suitable_accommodation(OC3, FY2024)
    assert (acc.numerator, acc.denominator) == (2, 4)
    touch = care_leavers_19_21_in_eet(OC3, FY2024, denominator="in_touch")
    assert (touch.numerator, touch.denominator, touch.rounded_value) == (2, 3, 66.7)
    with_died = care_leavers_19_21_in_eet(OC3, FY2024, exclude_died=False)
    assert with_died.denominator == 5
    assert eet.indicator in INDICATORS


def test_17_18_worked_example() -> None:
    eet = care_leavers_17_18_in_eet(OC3, FY2024)
    assert (eet.numerator, eet.denominator, eet.rounded_value) == (1, 1, 100.0)
    acc = care_leavers_17_18_in_suitable_accommodation(OC3, FY2024)
    assert (acc.numerator, acc.denominator) == (1, 1)


def test_denominator_choice_is_checked() -> None:
    with pytest.raises(ValueError, match="denominator"):
        care_leavers_in_eet(OC3, FY2024, denominator="known")
