"""The five headline indicators against straightforward record-at-a-time references
(``reference_headline.py``), on random records and periods: the engine may decide records in
any way it likes, but its figures must be the plain reading of the rules."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import reference_headline as ref
from csc_indicators import Episode, Period
from csc_indicators.calendar import default_calendar
from csc_indicators.indicators import (
    assessments_within_45_working_days,
    icpcs_within_15_working_days,
    long_term_placement_stability,
    rereferrals_within_12_months,
    three_or_more_placements,
)
from strategies import cin as cin_strategies
from strategies.looked_after import children_for
from strategies.looked_after import histories as lac_histories

CAL = default_calendar()
HISTORIES = st.one_of(cin_strategies.histories(), cin_strategies.broken_histories())
PERIODS = cin_strategies.periods()


@settings(max_examples=600, deadline=None)
@given(HISTORIES, PERIODS)
def test_assessments_within_45_working_days(
    history: cin_strategies.History, period: Period
) -> None:
    got = assessments_within_45_working_days(history.assessments, period)
    want = ref.assessments_within_45(history.assessments, period, CAL)
    assume(want is not None)
    assert (got.numerator, got.denominator) == want


@settings(max_examples=300, deadline=None)
@given(HISTORIES, PERIODS)
def test_rereferrals_within_12_months(history: cin_strategies.History, period: Period) -> None:
    got = rereferrals_within_12_months(history.referrals, period)
    want = ref.rereferrals_within_12_months(history.referrals, period)
    assume(want is not None)
    assert (got.numerator, got.denominator) == want


@settings(max_examples=300, deadline=None)
@given(HISTORIES, PERIODS)
def test_icpcs_within_15_working_days(history: cin_strategies.History, period: Period) -> None:
    got = icpcs_within_15_working_days(history.section47s, period)
    want = ref.icpcs_within_15(history.section47s, period, CAL)
    assume(want is not None)
    assert (got.numerator, got.denominator) == want


@settings(max_examples=300, deadline=None)
@given(lac_histories(max_children=5), PERIODS)
def test_three_or_more_placements(episodes: list[Episode], period: Period) -> None:
    got = three_or_more_placements(episodes, period)
    assert (got.numerator, got.denominator) == ref.three_or_more_placements(episodes, period)


@st.composite
def _with_children(draw: st.DrawFn) -> tuple[list[Episode], list[object]]:
    episodes = draw(lac_histories(max_children=5))
    return episodes, draw(children_for(episodes))


@settings(max_examples=300, deadline=None)
@given(_with_children(), PERIODS)
def test_long_term_placement_stability(
    records: tuple[list[Episode], list[object]], period: Period
) -> None:
    episodes, children = records
    got = long_term_placement_stability(episodes, children, period)  # type: ignore[arg-type]
    want = ref.long_term_placement_stability(episodes, children, period)  # type: ignore[arg-type]
    assert (got.numerator, got.denominator) == want
