"""The series engine at the edges its declarations rely on, against the scorecard.

Records built to sit on the boundaries of monthly periods: several events of one child in
one period (children counted once per period), twins, conferences after the period end of
their enquiry (decision D15), events on the first and last day of a month.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, Period, monthly_periods, series
from csc_indicators.records.cin import Section47, TransferInConference
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
