"""The ChAT summary rows from the SSDA903 return: the shares of the children ceasing to be
looked after who were adopted or left under a special guardianship order, children leaving
care aged 16 or over who remained looked after until 18, and three or more placements in 2
years for children looked after for 2 years."""

from __future__ import annotations

import datetime as dt
import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Child, Episode, IndicatorResult, Period
from csc_indicators.indicators import (
    lac_ceased,
    lac_ceased_16_plus_remained_until_18,
    lac_ceased_adopted,
    lac_ceased_adopted_percent,
    lac_ceased_special_guardianship,
    lac_ceased_special_guardianship_percent,
    three_or_more_placements,
    three_or_more_placements_in_2_years,
)
from csc_indicators.results import keeping_outcomes
from strategies.looked_after import children_for, histories

D = dt.date
E = Episode
FY24 = Period.financial_year(2024)
periods = st.sampled_from([Period.financial_year(y) for y in (2019, 2020, 2021, 2022, 2023)])


def _counted(r: IndicatorResult) -> list[str]:
    return [o.child_id for o in r.counted_outcomes()]


def _met(r: IndicatorResult) -> list[str]:
    return [o.child_id for o in r.outcomes if o.met]


# -- adopted and special guardianship shares ----------------------------------------------------


def test_shares_use_the_lac_ceased_cohort() -> None:
    eps = [
        E("A", D(2023, 1, 1), "S", "C2", "A5", D(2024, 4, 1), "E12"),  # 1 April: this year
        E("B", D(2023, 1, 1), "S", "C2", "U4", D(2024, 3, 31), "E11"),  # 31 March: last year
        E("C", D(2024, 5, 1), "S", "C2", "U4", D(2025, 3, 31), "E47"),  # last day
        E("D", D(2024, 5, 1), "S", "V4", "U4", D(2024, 6, 1), "E11"),  # short break
        E("F", D(2024, 5, 1), "S", "C2", "U4", D(2024, 8, 1), "E4B"),
    ]
    adopted = lac_ceased_adopted_percent(eps, FY24)
    sgo = lac_ceased_special_guardianship_percent(eps, FY24)
    assert _counted(adopted) == _counted(sgo) == _counted(lac_ceased(eps, FY24)) == ["A", "C", "F"]
    assert (_met(adopted), adopted.rounded_value) == (["A"], 33)
    assert (_met(sgo), sgo.rounded_value) == (["C"], 33)
    assert adopted.numerator == lac_ceased_adopted(eps, FY24).numerator
    assert sgo.numerator == lac_ceased_special_guardianship(eps, FY24).numerator
    with_breaks = lac_ceased_adopted_percent(eps, FY24, exclude_short_breaks=False)
    assert (with_breaks.numerator, with_breaks.denominator) == (2, 4)


def test_last_occasion_decides_the_reason() -> None:
    eps = [
        E("A", D(2024, 4, 10), "S", "C2", "U4", D(2024, 6, 1), "E11"),
        E("A", D(2024, 9, 1), "S", "C2", "U4", D(2025, 1, 1), "E4A"),
    ]
    r = lac_ceased_adopted_percent(eps, FY24)
    assert (r.numerator, r.denominator) == (0, 1)


def test_x1_with_nothing_following_is_not_a_cessation() -> None:
    eps = [E("A", D(2024, 4, 10), "S", "C2", "U4", D(2024, 6, 1), "X1")]
    r = lac_ceased_special_guardianship_percent(eps, FY24)
    assert r.denominator == 0 and "D17" in (r.outcomes[0].reason or "")
    assert [i.kind for i in r.issues] == ["inconsistent"]


def test_shares_in_summary_mode_give_the_same_figures() -> None:
    eps = [
        E("A", D(2023, 1, 1), "S", "C2", "A5", D(2024, 5, 1), "E12"),
        E("B", D(2023, 1, 1), "S", "C2", "U4", D(2024, 6, 1), "E45"),
    ]
    full = lac_ceased_adopted_percent(eps, FY24)
    with keeping_outcomes(False):
        summary = lac_ceased_adopted_percent(eps, FY24)
    assert (summary.numerator, summary.denominator) == (full.numerator, full.denominator)
    assert summary.outcomes == ()


# -- left care aged 16 or over, looked after until 18 -------------------------------------------


def _leaver(cid: str, born: dt.date, ceased: dt.date, rec: str = "E8") -> tuple[Episode, Child]:
    return E(cid, ceased - timedelta(days=400), "S", "C2", "U4", ceased, rec), Child(cid, born)


def test_ceasing_on_the_18th_birthday_is_met() -> None:
    pairs = [
        _leaver("A", D(2006, 7, 1), D(2024, 7, 1), "E17"),  # the birthday itself
        _leaver("B", D(2006, 7, 1), D(2024, 6, 30)),  # the day before: 17
        _leaver("C", D(2008, 4, 1), D(2024, 4, 1)),  # 16 on the day
        _leaver("D", D(2008, 4, 2), D(2024, 4, 1)),  # 15 on the day: excluded
    ]
    r = lac_ceased_16_plus_remained_until_18([p[0] for p in pairs], [p[1] for p in pairs], FY24)
    assert _counted(r) == ["A", "B", "C"] and _met(r) == ["A"]
    assert [o.measure for o in r.outcomes] == [18, 17, 16, 15]
    assert r.outcomes[3].reason == "aged 15 on ceasing (2024-04-01), under 16"


def test_leap_day_birthday() -> None:
    # born 29 February 2008: 18 on 28 February 2026 (not a leap year)
    pairs = [
        _leaver("A", D(2008, 2, 29), D(2026, 2, 28)),
        _leaver("B", D(2008, 2, 29), D(2026, 2, 27)),
    ]
    r = lac_ceased_16_plus_remained_until_18(
        [p[0] for p in pairs], [p[1] for p in pairs], Period.financial_year(2025)
    )
    assert _met(r) == ["A"]
    assert r.outcomes[0].details["birthday_18"] == "2026-02-28"


def test_leavers_cohort_exclusions() -> None:
    eps = [
        E("A", D(2023, 1, 1), "S", "V3", "U1", D(2024, 6, 1), "E8"),  # short break
        E("B", D(2023, 1, 1), "S", "C2", "U4", D(2024, 6, 1), "E8"),  # no Child record
        E("C", D(2023, 1, 1), "S", "C2", "U4", D(2024, 6, 1), "E17"),
    ]
    kids = [Child("A", D(2006, 1, 1)), Child("C", D(2006, 6, 1)), Child("C", D(2006, 5, 1))]
    r = lac_ceased_16_plus_remained_until_18(eps, kids, FY24)
    assert _counted(r) == ["C"] and _met(r) == ["C"]
    reasons = [o.reason for o in r.excluded_outcomes()]
    assert reasons == ["short break (legal status V3)", "no date of birth (no Child record)"]
    assert [(i.kind, i.child_id) for i in r.issues] == [("duplicate", "C")]
    assert r.outcomes[2].details["date_of_birth"] == "2006-05-01"


def test_other_ages() -> None:
    pairs = [_leaver("A", D(2004, 1, 1), D(2025, 1, 1)), _leaver("B", D(2007, 1, 1), D(2025, 1, 1))]
    eps, kids = [p[0] for p in pairs], [p[1] for p in pairs]
    r = lac_ceased_16_plus_remained_until_18(eps, kids, FY24, min_age=18, until_age=21)
    assert (_counted(r), _met(r)) == (["A", "B"], ["A"])


# -- three or more placements in 2 years --------------------------------------------------------


def test_two_year_cohort_boundaries() -> None:
    eps = [
        E("A", D(2023, 3, 31), "S", "C2", "U4"),  # exactly 2 years on 31 March 2025
        E("B", D(2023, 4, 1), "S", "C2", "U4"),  # one day short
        E("C", D(2020, 1, 1), "S", "C2", "U4", D(2025, 3, 31), "E4A"),  # ceased on the day
    ]
    r = three_or_more_placements_in_2_years(eps, FY24)
    assert _counted(r) == ["A"]
    assert [o.child_id for o in r.excluded_outcomes()] == ["B", "C"]


def _moves(first_move: dt.date) -> list[Episode]:
    return [
        E("A", D(2022, 1, 1), "S", "C2", "U4", first_move, "X1"),
        E("A", first_move, "P", "C2", "U6", D(2024, 3, 1), "X1"),
        E("A", D(2024, 3, 1), "L", "E1", "U6", D(2025, 3, 31), "X1"),  # legal status only
        E("A", D(2025, 3, 31), "P", "E1", "R1"),  # a move on the period end
    ]


def test_placements_counted_over_two_years() -> None:
    eps = _moves(D(2023, 4, 2))
    o = three_or_more_placements_in_2_years(eps, FY24).outcomes[0]
    assert o.details["window_start"] == "2023-04-01"
    assert o.details["placement_starts"] == ("2022-01-01", "2023-04-02", "2025-03-31")
    assert o.met
    # the 12-month measure sees only 2 of them
    assert three_or_more_placements(eps, FY24).outcomes[0].measure == 2


def test_a_move_on_the_windows_first_day() -> None:
    # the placement left on 1 April 2023 is not open on the window's first day (as for D8)
    o = three_or_more_placements_in_2_years(_moves(D(2023, 4, 1)), FY24).outcomes[0]
    assert o.details["placement_starts"] == ("2023-04-01", "2025-03-31")
    assert not o.met


def test_leap_day_period_end() -> None:
    feb = Period(D(2024, 2, 1), D(2024, 2, 29))
    eps = [E("A", D(2022, 2, 28), "S", "C2", "U4"), E("B", D(2022, 3, 1), "S", "C2", "U4")]
    r = three_or_more_placements_in_2_years(eps, feb)
    assert _counted(r) == ["A"]  # 29 February 2024 minus 2 years is 28 February 2022
    assert r.outcomes[0].details["window_start"] == "2022-03-01"


def test_fixed_days_and_temporary_placements() -> None:
    eps = [
        E("A", D(2023, 4, 1), "S", "C2", "U4", D(2024, 1, 1), "X1"),
        E("A", D(2024, 1, 1), "P", "C2", "T4", D(2024, 1, 5), "X1"),
        E("A", D(2024, 1, 5), "P", "C2", "U4"),
    ]
    assert three_or_more_placements_in_2_years(eps, FY24).denominator == 0
    r = three_or_more_placements_in_2_years(eps, FY24, in_care=timedelta(days=700))
    assert r.outcomes[0].measure == 3 and r.outcomes[0].met
    r = three_or_more_placements_in_2_years(
        eps, FY24, in_care=timedelta(days=700), count_temporary=False
    )
    assert r.outcomes[0].measure == 2 and not r.outcomes[0].met


def test_short_breaks() -> None:
    eps = [
        E("A", D(2022, 1, 1), "S", "V3", "U1", D(2023, 6, 1), "X1"),
        E("A", D(2023, 6, 1), "B", "C2", "U4"),
    ]
    assert _counted(three_or_more_placements_in_2_years(eps, FY24)) == ["A"]
    r = three_or_more_placements_in_2_years(eps, FY24, exclude_any_short_break=True)
    assert r.denominator == 0 and "short-break episode" in (r.outcomes[0].reason or "")


# -- properties --------------------------------------------------------------------------------


def _both(r: IndicatorResult) -> None:
    assert 0 <= r.numerator <= r.denominator == len(r.counted_outcomes())
    assert all(o.reason for o in r.excluded_outcomes())


@settings(max_examples=40)
@given(eps=histories(), period=periods, data=st.data(), rnd=st.randoms(use_true_random=False))
def test_order_free_and_bounded(
    eps: list[Episode], period: Period, data: st.DataObject, rnd: random.Random
) -> None:
    kids = data.draw(children_for(eps))
    shuffled, kids_shuffled = rnd.sample(eps, len(eps)), rnd.sample(kids, len(kids))
    for f in (
        lac_ceased_adopted_percent,
        lac_ceased_special_guardianship_percent,
        three_or_more_placements_in_2_years,
    ):
        r = f(eps, period)
        _both(r)
        assert r == f(shuffled, period)
    r = lac_ceased_16_plus_remained_until_18(eps, kids, period)
    _both(r)
    assert r == lac_ceased_16_plus_remained_until_18(shuffled, kids_shuffled, period)


@settings(max_examples=40)
@given(eps=histories(), period=periods)
def test_cohorts_nest(eps: list[Episode], period: Period) -> None:
    ceased = lac_ceased(eps, period).numerator
    adopted = lac_ceased_adopted_percent(eps, period)
    sgo = lac_ceased_special_guardianship_percent(eps, period)
    assert adopted.denominator == sgo.denominator == ceased
    assert adopted.numerator + sgo.numerator <= ceased
    two_years = three_or_more_placements_in_2_years(eps, period)
    assert set(_counted(two_years)) <= set(_counted(three_or_more_placements(eps, period)))
