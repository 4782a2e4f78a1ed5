"""The ChAT summary rows from the CIN census: children subject to section 47 enquiries and to
initial child protection conferences, section 47 enquiries that led to a conference, and
children in need at the period end."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Period, Referral, Section47, TransferInConference, ValueKind
from csc_indicators.indicators import (
    children_in_need_at_period_end,
    children_subject_to_icpc,
    children_subject_to_s47_enquiries,
    icpcs_held,
    s47_enquiries_leading_to_icpc,
    s47_enquiries_started,
)
from strategies.cin import (
    History,
    broken_histories,
    check_bounds,
    check_child_independence,
    check_order_free,
    histories,
    periods,
    run,
)

D = dt.date
FY24 = Period.financial_year(2024)
IDS = [
    "children_subject_to_s47_enquiries",
    "children_subject_to_icpc",
    "s47_enquiries_leading_to_icpc",
    "children_in_need_at_period_end",
]


def _outcomes(r: object) -> list[tuple[str, bool, bool]]:
    return [(o.child_id, o.counted, o.met) for o in r.outcomes]  # type: ignore[attr-defined]


# -- children subject to section 47 enquiries --------------------------------------------------


def test_s47_children_on_the_year_boundaries() -> None:
    s47s = [
        Section47("A", D(2024, 3, 31)),  # 31 March: the previous year
        Section47("B", D(2024, 4, 1)),  # 1 April: this year
        Section47("C", D(2025, 3, 31)),  # last day
        Section47("D", D(2025, 4, 1)),  # next year
    ]
    r = children_subject_to_s47_enquiries(s47s, FY24)
    assert [o.child_id for o in r.counted_outcomes()] == ["B", "C"]
    assert r.kind is ValueKind.COUNT and r.rounded_value == 2


def test_a_child_with_several_enquiries_is_counted_once() -> None:
    s47s = [
        Section47("A", D(2024, 5, 1), D(2024, 5, 10)),
        Section47("A", D(2024, 5, 1)),  # a twin with less detail: a conflict
        Section47("A", D(2024, 8, 1)),
    ]
    r = children_subject_to_s47_enquiries(s47s, FY24)
    assert r.numerator == 1
    assert [i.kind for i in r.issues] == ["conflict"]
    assert [o.reason for o in r.excluded_outcomes()][-1] == (
        "child counted once, on the enquiry starting 2024-05-01"
    )
    assert s47_enquiries_started(s47s, FY24).numerator == 2


def test_s47_children_rate_per_10000() -> None:
    s47s = [Section47(f"S{i}", D(2024, 6, 1)) for i in range(1452)]
    r = children_subject_to_s47_enquiries(s47s, FY24, population=143555)
    assert r.kind is ValueKind.RATE_PER_10K and r.rounded_value == 101.1


def test_leap_day_enquiry_is_in_its_year() -> None:
    s47s = [Section47("A", D(2024, 2, 29))]
    assert children_subject_to_s47_enquiries(s47s, Period.financial_year(2023)).numerator == 1
    assert children_subject_to_s47_enquiries(s47s, FY24).numerator == 0


# -- children subject of an ICPC ---------------------------------------------------------------


def test_icpc_children_count_each_child_once_and_transfer_ins() -> None:
    s47s = [
        Section47("A", D(2024, 3, 25), D(2024, 4, 1)),  # enquiry last year, conference 1 April
        Section47("A", D(2024, 10, 1), D(2024, 10, 14)),
        Section47("B", D(2025, 3, 20), D(2025, 4, 1)),  # conference next year
        Section47("C", D(2025, 3, 31), D(2025, 3, 31)),  # same day
    ]
    tis = [TransferInConference("D", D(2024, 4, 1)), TransferInConference("C", D(2025, 3, 31))]
    r = children_subject_to_icpc(s47s, FY24, transfer_ins=tis)
    assert [o.child_id for o in r.counted_outcomes()] == ["A", "C", "D"]
    assert icpcs_held(s47s, FY24, transfer_ins=tis).numerator == 4
    assert children_subject_to_icpc(s47s, FY24, transfer_ins=None).numerator == 2


def test_icpc_children_duplicate_enquiry_is_reported() -> None:
    s = Section47("A", D(2024, 5, 1), D(2024, 5, 15))
    r = children_subject_to_icpc([s, s], FY24)
    assert (r.numerator, [i.kind for i in r.issues]) == (1, ["duplicate"])


# -- section 47 enquiries leading to an ICPC ---------------------------------------------------


@pytest.mark.parametrize(
    ("conference", "not_required", "met", "counted"),
    [
        (D(2025, 3, 31), False, True, True),  # on the period end: known
        (D(2025, 4, 1), False, False, True),  # the day after: not known (D15)
        (None, True, False, True),
        (None, False, False, True),
        (D(2025, 3, 20), True, True, True),  # held although "not required": met, reported
    ],
)
def test_conference_by_the_period_end(
    conference: dt.date | None, not_required: bool, met: bool, counted: bool
) -> None:
    s = Section47("A", D(2025, 3, 15), conference, not_required)
    r = s47_enquiries_leading_to_icpc([s], FY24)
    assert _outcomes(r) == [("A", counted, met)]


def test_same_day_conference_is_met_with_zero_days() -> None:
    r = s47_enquiries_leading_to_icpc([Section47("A", D(2024, 4, 1), D(2024, 4, 1))], FY24)
    assert (r.outcomes[0].met, r.outcomes[0].measure, r.rounded_value) == (True, 0, 100.0)


def test_undecided_enquiries_can_be_left_out() -> None:
    s47s = [
        Section47("A", D(2025, 3, 25)),
        Section47("B", D(2025, 3, 25), None, True),
        Section47("C", D(2025, 3, 1), D(2025, 3, 14)),
    ]
    assert s47_enquiries_leading_to_icpc(s47s, FY24).rounded_value == 33.3
    r = s47_enquiries_leading_to_icpc(s47s, FY24, exclude_undecided=True)
    assert (r.numerator, r.denominator, r.rounded_value) == (1, 2, 50.0)
    assert "outcome not known at the period end" in (r.outcomes[0].reason or "")


def test_later_conference_is_not_in_the_details() -> None:
    r = s47_enquiries_leading_to_icpc([Section47("A", D(2025, 3, 25), D(2025, 4, 8))], FY24)
    assert "2025-04-08" not in repr(dict(r.outcomes[0].details)) + (r.outcomes[0].reason or "")


def test_conference_before_the_enquiry_is_excluded() -> None:
    r = s47_enquiries_leading_to_icpc([Section47("A", D(2024, 6, 10), D(2024, 6, 1))], FY24)
    assert r.denominator == 0 and [i.kind for i in r.issues] == ["date order"]
    assert r.rounded_value is None


def test_conversion_numerator_never_exceeds_the_enquiries_started() -> None:
    s47s = [Section47("A", D(2024, 5, 1), D(2024, 5, 20)), Section47("A", D(2024, 5, 3))]
    r = s47_enquiries_leading_to_icpc(s47s, FY24)
    assert r.denominator == s47_enquiries_started(s47s, FY24).numerator == 2


# -- children in need at the period end ---------------------------------------------------------


@pytest.mark.parametrize(
    ("referral", "closure", "counted"),
    [
        (D(2025, 3, 31), None, True),  # referred on the period end
        (D(2025, 4, 1), None, False),  # the day after
        (D(2024, 1, 1), D(2025, 3, 31), False),  # closed on the period end
        (D(2024, 1, 1), D(2025, 4, 1), True),  # closed the day after: open then (D15)
        (D(2024, 1, 1), D(2024, 4, 1), False),
    ],
)
def test_open_at_the_end_of_the_period_end(
    referral: dt.date, closure: dt.date | None, counted: bool
) -> None:
    r = children_in_need_at_period_end([Referral("A", referral, closure)], FY24)
    assert r.numerator == int(counted)


def test_leap_day_period_end() -> None:
    feb = Period(D(2024, 2, 1), D(2024, 2, 29))
    refs = [Referral("A", D(2024, 2, 29)), Referral("B", D(2023, 1, 1), D(2024, 2, 29))]
    r = children_in_need_at_period_end(refs, feb)
    assert [o.child_id for o in r.counted_outcomes()] == ["A"]


def test_no_further_action_is_excluded_by_default() -> None:
    refs = [Referral("A", D(2025, 3, 1), None, None, True)]
    r = children_in_need_at_period_end(refs, FY24)
    assert r.numerator == 0 and "no further action" in (r.outcomes[0].reason or "")
    assert children_in_need_at_period_end(refs, FY24, exclude_no_further_action=False).numerator


def test_nfa_referral_does_not_hide_another_open_episode() -> None:
    refs = [Referral("A", D(2024, 5, 1)), Referral("A", D(2025, 3, 1), None, None, True)]
    r = children_in_need_at_period_end(refs, FY24)
    assert r.numerator == 1 and r.counted_outcomes()[0].record == refs[0]
    assert [i.kind for i in r.issues] == []


def test_same_date_referrals_are_one_episode() -> None:
    a = Referral("A", D(2024, 5, 1))
    b = Referral("A", D(2024, 5, 1), D(2025, 6, 1), "RC1")
    r = children_in_need_at_period_end([a, b], FY24)
    assert r.numerator == 1
    assert [i.kind for i in r.issues] == ["conflict"]


# -- properties --------------------------------------------------------------------------------

any_history = st.one_of(histories(), broken_histories())


@pytest.mark.parametrize("indicator", IDS)
@settings(max_examples=30)
@given(h=any_history, period=periods(), seed=st.integers(0, 2**16))
def test_properties(indicator: str, h: History, period: Period, seed: int) -> None:
    check_order_free(indicator, h, period, seed)
    check_bounds(indicator, h, period)
    check_child_independence(indicator, h, period)


@settings(max_examples=30)
@given(h=any_history, period=periods())
def test_children_never_exceed_the_events(h: History, period: Period) -> None:
    assert run("children_subject_to_s47_enquiries", h, period).numerator <= (
        run("s47_enquiries_started", h, period).numerator
    )
    assert run("children_subject_to_icpc", h, period).numerator <= (
        run("icpcs_held", h, period).numerator
    )
    conversion = run("s47_enquiries_leading_to_icpc", h, period)
    assert conversion.denominator <= run("s47_enquiries_started", h, period).numerator
