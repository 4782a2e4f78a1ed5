"""The series engine at the edges its declarations rely on, against the scorecard.

Records built to sit on the boundaries of monthly periods: several events of one child in
one period (children counted once per period), twins, conferences after the period end of
their enquiry (decision D15), events on the first and last day of a month.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, Period, monthly_periods, series
from csc_indicators.records.cin import Section47, TransferInConference
from csc_indicators.records.looked_after import (
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    MissingEpisode,
)
from test_series_properties import check_against_scorecards

CHILDREN = ("A", "B", "C", "D")
FIRST = dt.date(2024, 2, 20)


@st.composite
def edge_days(draw: st.DrawFn) -> dt.date:
    """A day near a month boundary of 2024-25 (or anywhere in it)."""
    month = draw(st.integers(0, 14))
    base = dt.date(2024 + (1 + month) // 12, (1 + month) % 12 + 1, 1)
    return base + dt.timedelta(days=draw(st.sampled_from([-2, -1, 0, 1, 2, 13])))


@st.composite
def enquiries(draw: st.DrawFn) -> list[Section47]:
    out: list[Section47] = []
    for _ in range(draw(st.integers(0, 9))):
        start = draw(edge_days())
        gap = draw(st.one_of(st.none(), st.integers(-3, 70)))
        conference = None if gap is None else start + dt.timedelta(days=gap)
        s = Section47(draw(st.sampled_from(CHILDREN)), start, conference, draw(st.booleans()))
        out.append(s)
        if draw(st.integers(0, 4)) == 0:  # a twin: same child, same start
            other = None if draw(st.booleans()) else start + dt.timedelta(days=3)
            out.append(Section47(s.child_id, start, other, s.conference_not_required))
    return out


@st.composite
def cin_bundles(draw: st.DrawFn) -> Bundle:
    s47s = draw(enquiries())
    tis = [
        TransferInConference(draw(st.sampled_from(CHILDREN)), draw(edge_days()))
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Bundle(section47s=tuple(s47s), transfer_ins=tuple(tis))


CHAT = [
    "children_subject_to_s47_enquiries",
    "children_subject_to_icpc",
    "s47_enquiries_leading_to_icpc",
    "icpcs_held",
    "icpcs_within_15_working_days",
    "s47_enquiries_started",
]


@settings(max_examples=80)
@given(bundle=cin_bundles(), outcomes=st.booleans())
def test_section47_rows_at_month_ends(bundle: Bundle, outcomes: bool) -> None:
    periods = [*monthly_periods("2025-03", 12), Period(FIRST, dt.date(2025, 3, 31))]
    got = series(bundle, periods, indicators=CHAT, outcomes=outcomes)
    check_against_scorecards(bundle, periods, got, outcomes=outcomes, only=CHAT)


@st.composite
def lac_edge_bundles(draw: st.DrawFn) -> Bundle:
    """Episodes crossing month ends (twins, X1, gaps), OC2 records of children looked after
    or not on the ends (two different records of one year: a conflict reported whatever the
    cohort), missing incidents while not looked after or ending before they start, initial
    health assessments."""
    episodes: list[Episode] = []
    for cid in CHILDREN:
        day = draw(edge_days()) - dt.timedelta(days=draw(st.sampled_from([0, 200, 400])))
        for _ in range(draw(st.integers(0, 3))):
            length = draw(st.one_of(st.none(), st.integers(0, 120)))
            end = None if length is None else day + dt.timedelta(days=length)
            rne = draw(st.sampled_from(["S", "P", "L"]))
            rec = None if end is None else draw(st.sampled_from(["X1", "E11", "E41"]))
            ls = draw(st.sampled_from(["C2", "V2", "V3"]))
            e = Episode(cid, day, rne, ls, draw(st.sampled_from(["U1", "R1"])), end, rec)
            episodes.append(e)
            if draw(st.integers(0, 5)) == 0:  # a twin
                episodes.append(attrs.evolve(e, end_date=None, reason_ceased=None))
            if end is None:
                break
            day = end + dt.timedelta(days=draw(st.sampled_from([0, 0, 1, 30])))
    oc2: list[HealthOutcomeRecord] = []
    for cid in CHILDREN:
        for _ in range(draw(st.integers(0, 2))):
            year = draw(st.sampled_from([None, 2023, 2024]))
            oc2.append(
                HealthOutcomeRecord(
                    cid, draw(st.booleans()), draw(st.booleans()), collection_year=year
                )
            )
    missing: list[MissingEpisode] = []
    for _ in range(draw(st.integers(0, 5))):  # some while not looked after, some ending early
        start = draw(edge_days())
        end = start + dt.timedelta(days=draw(st.sampled_from([-3, 0, 2])))
        kind = draw(st.sampled_from(["M", "A"]))
        missing.append(MissingEpisode(draw(st.sampled_from(CHILDREN)), kind, start, end))
    assessed = [
        HealthAssessment(draw(st.sampled_from(CHILDREN)), draw(edge_days()))
        for _ in range(draw(st.integers(0, 4)))
    ]
    return Bundle(
        episodes=tuple(episodes),
        health_outcomes=tuple(oc2),
        missing=tuple(missing),
        health_assessments=tuple(assessed),
    )


SNAPSHOTS = [
    "lac_at_period_end",
    "uasc_looked_after_at_period_end",
    "lac_annual_health_check",
    "lac_dental_check",
    "three_or_more_placements",
    "three_or_more_placements_in_2_years",
    "long_term_placement_stability",
    "lac_started",
    "lac_ceased",
    "lac_missing_incident",
    "lac_away_without_authorisation",
    "initial_health_assessments_within_20_working_days",
]


@settings(max_examples=80)
@given(bundle=lac_edge_bundles(), outcomes=st.booleans())
def test_looked_after_snapshots_at_month_ends(bundle: Bundle, outcomes: bool) -> None:
    periods = [*monthly_periods("2025-03", 12), Period(FIRST, dt.date(2025, 3, 31))]
    got = series(bundle, periods, indicators=SNAPSHOTS, outcomes=outcomes)
    check_against_scorecards(bundle, periods, got, outcomes=outcomes, only=SNAPSHOTS)
