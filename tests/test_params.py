"""Parameters from text: NAME=VALUE parsed by the type the indicator's signature gives."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import INDICATORS, DayCount
from csc_indicators.params import (
    ParameterError,
    format_value,
    non_default,
    parameters_of,
    parse_assignments,
)

ASSESS = INDICATORS["assessments_within_45_working_days"]
ICPC = INDICATORS["icpcs_within_15_working_days"]
REPEAT = INDICATORS["repeat_cp_plans_within_2_years"]


def sample(
    records: object,
    period: object,
    *,
    calendar: object = None,
    mode: Literal["strict", "loose"] = "strict",
    window: dt.timedelta = dt.timedelta(days=30),
    since: dt.date | None = None,
    codes: frozenset[str] | None = None,
    flag: bool = False,
    indicator: str = "x",
) -> None:
    """An indicator-shaped function with one parameter of each kind."""


def test_parameters_come_from_the_signature_without_records_or_plumbing() -> None:
    assert list(parameters_of(ASSESS)) == ["limit", "convention"]
    assert list(parameters_of(ICPC)) == ["limit", "convention"]  # not transfer_ins, calendar
    assert list(parameters_of(sample)) == ["mode", "window", "since", "codes", "flag"]
    assert parameters_of(ASSESS)["limit"].default == 45


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("convention=INCLUSIVE_MINUS_ONE", {"convention": DayCount.INCLUSIVE_MINUS_ONE}),
        ("convention=inclusive_minus_one", {"convention": DayCount.INCLUSIVE_MINUS_ONE}),
        ("convention=exclusive_end", {"convention": DayCount.EXCLUSIVE_END}),
        ("limit=40", {"limit": 40}),
        ("limit= 40 ", {"limit": 40}),
    ],
)
def test_assessment_parameters_parse(text: str, expected: dict[str, object]) -> None:
    assert parse_assignments([text], {ASSESS.id: ASSESS}) == {ASSESS.id: expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mode=LOOSE", "loose"),
        ("window=14", dt.timedelta(days=14)),
        ("window=2 weeks", dt.timedelta(days=14)),
        ("since=2024-04-01", dt.date(2024, 4, 1)),
        ("since=none", None),
        ("codes=RC1, RC2", frozenset({"RC1", "RC2"})),
        ("flag=yes", True),
        ("flag=0", False),
    ],
)
def test_each_kind_of_type_parses(text: str, expected: object) -> None:
    name = text.split("=")[0]
    assert parse_assignments([text], {"s": sample}) == {"s": {name: expected}}


def test_durations_of_a_relativedelta_or_timedelta_window() -> None:
    def parse(v: str) -> object:
        return parse_assignments([f"window={v}"], {REPEAT.id: REPEAT})[REPEAT.id]["window"]

    assert parse("2 years") == relativedelta(years=2)
    assert parse("18 months") == relativedelta(years=1, months=6)
    assert parse("730") == dt.timedelta(days=730)
    assert parse("730 days") == dt.timedelta(days=730)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("limit=forty", "limit='forty': expected a whole number; limit takes a whole number"),
        (
            "convention=NETWORKDAYS",
            "expected one of EXCLUSIVE_START, EXCLUSIVE_END, INCLUSIVE_MINUS_ONE",
        ),
        ("limt=40", "has no parameter 'limt'"),
        ("limit", "expected NAME=VALUE or INDICATOR.NAME=VALUE"),
        ("other_indicator.limit=3", "no indicator 'other_indicator' here"),
    ],
)
def test_bad_assignments_say_what_is_accepted(text: str, message: str) -> None:
    with pytest.raises(ParameterError) as info:
        parse_assignments([text], {ASSESS.id: ASSESS})
    assert message in str(info.value)


def test_an_unknown_name_lists_every_accepted_parameter() -> None:
    with pytest.raises(ParameterError) as info:
        parse_assignments(["limt=40"], {ASSESS.id: ASSESS})
    assert (
        "assessments_within_45_working_days takes limit (a whole number); convention (one of "
        "EXCLUSIVE_START, EXCLUSIVE_END, INCLUSIVE_MINUS_ONE)"
    ) in str(info.value)


def test_bare_names_apply_to_every_indicator_and_scoped_ones_win() -> None:
    specs = {ASSESS.id: ASSESS, ICPC.id: ICPC, REPEAT.id: REPEAT}
    got = parse_assignments([f"{ICPC.id}.limit=10", "limit=40", "convention=EXCLUSIVE_END"], specs)
    assert got == {
        ASSESS.id: {"limit": 40, "convention": DayCount.EXCLUSIVE_END},
        ICPC.id: {"limit": 10, "convention": DayCount.EXCLUSIVE_END},
    }


def test_a_scoped_name_the_indicator_lacks_is_an_error() -> None:
    with pytest.raises(ParameterError, match="repeat_cp_plans_within_2_years has no parameter"):
        parse_assignments([f"{REPEAT.id}.limit=3"], {ASSESS.id: ASSESS, REPEAT.id: REPEAT})


def test_alternatives_follow_the_type() -> None:
    ps = parameters_of(ASSESS)
    assert ps["convention"].alternatives(DayCount.EXCLUSIVE_START) == (
        DayCount.EXCLUSIVE_END,
        DayCount.INCLUSIVE_MINUS_ONE,
    )
    assert ps["limit"].alternatives(45) == (44, 46, 43, 47)
    s = parameters_of(sample)
    assert s["mode"].alternatives("strict") == ("loose",)
    assert s["flag"].alternatives(False) == (True,)
    assert s["window"].alternatives(dt.timedelta(days=30)) == (
        dt.timedelta(days=29),
        dt.timedelta(days=31),
    )
    assert s["since"].alternatives(None) == ()
    window = parameters_of(REPEAT)["window"]
    assert window.alternatives(relativedelta(years=2)) == (
        dt.timedelta(days=730),
        dt.timedelta(days=731),
        relativedelta(years=2, days=-1),
        relativedelta(years=2, days=1),
    )


def test_non_default_names_what_changed() -> None:
    values = {"limit": 45, "convention": DayCount.EXCLUSIVE_END, "calendar": object()}
    assert non_default(ASSESS, values) == {"convention": DayCount.EXCLUSIVE_END}
    assert non_default(ASSESS, {"limit": 45}) == {}


@given(
    st.sampled_from(list(DayCount)),
    st.integers(0, 400),
    st.integers(-3, 3),
    st.integers(0, 30),
)
def test_format_value_reads_back(convention: DayCount, days: int, years: int, months: int) -> None:
    ps = parameters_of(ASSESS)
    assert ps["convention"].parse(format_value(convention)) is convention
    assert ps["limit"].parse(format_value(days)) == days
    window = parameters_of(REPEAT)["window"]
    assert window.parse(format_value(dt.timedelta(days=days))) == dt.timedelta(days=days)
    rd = relativedelta(years=years, months=months, days=days)
    if rd.years or rd.months:
        assert window.parse(format_value(rd)) == rd
