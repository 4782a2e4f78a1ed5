"""Records: types and codes are checked on construction; inconsistent dates are kept."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import csc_indicators as ci
from csc_indicators import RecordError
from csc_indicators.codes import SSDA903, SSDA903_BY_YEAR

D = dt.date


def test_cin_records_build_and_normalise() -> None:
    r = ci.Referral("C1", D(2024, 5, 1), closure_reason=" rc8 ")
    assert r.closure_reason == "RC8" and r.no_further_action is False
    p = ci.ChildProtectionPlan("C1", dt.datetime(2024, 5, 1, 9), review_dates=[D(2024, 7, 1)])
    assert p.start_date == D(2024, 5, 1) and p.review_dates == (D(2024, 7, 1),)
    assert ci.Referral("C1", D(2024, 5, 1), closure_reason="").closure_reason is None


def test_inconsistent_dates_are_accepted_as_recorded() -> None:
    a = ci.Assessment("C1", D(2024, 5, 3), D(2024, 5, 1))
    assert a.authorisation_date < a.start_date
    e = ci.Episode("C1", D(2024, 5, 3), "S", "C2", "U1", end_date=D(2024, 5, 1))
    assert e.end_date is not None and e.end_date < e.start_date


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (lambda: ci.Referral("", D(2024, 1, 1)), "child_id", "must not be empty"),
        (lambda: ci.Referral(5, D(2024, 1, 1)), "child_id", "must be a string"),
        (lambda: ci.Referral("C1", "2024-01-01"), "date", "must be a datetime.date"),
        (
            lambda: ci.Referral("C1", D(2024, 1, 1), closure_reason="RC0"),
            "closure_reason",
            "unknown ReasonForClosure code",
        ),
        (
            lambda: ci.Referral("C1", D(2024, 1, 1), no_further_action="yes"),
            "no_further_action",
            "True or False",
        ),
        (
            lambda: ci.ChildProtectionPlan("C1", D(2024, 1, 1), previous_plans=-1),
            "previous_plans",
            "at least 0",
        ),
        (
            lambda: ci.ChildProtectionPlan("C1", D(2024, 1, 1), review_dates=["2024-02-01"]),
            "review_dates",
            "datetime.date",
        ),
        (
            lambda: ci.Episode("C1", D(2024, 1, 1), "S", "C2", "Q9"),
            "placement",
            "unknown PLACE code",
        ),
        (
            lambda: ci.Episode("C1", D(2024, 1, 1), "X", "C2", "U1"),
            "reason_new_episode",
            "unknown RNE code",
        ),
        (lambda: ci.Episode("C1", D(2024, 1, 1), "S", None, "U1"), "legal_status", "required"),
        (lambda: ci.Child("C1", D(2010, 1, 1), sex="3"), "sex", "unknown SEX code"),
        (
            lambda: ci.CareLeaverRecord("C1", D(2005, 1, 1), "YES", "F9", "B1"),
            "activity",
            "unknown ACTIV code",
        ),
        (lambda: ci.MissingEpisode("C1", "Z", D(2024, 1, 1)), "kind", "unknown MISSING code"),
    ],
)
def test_bad_values_name_the_field(build: object, field: str, message: str) -> None:
    with pytest.raises(RecordError, match=message) as info:
        build()  # type: ignore[operator]
    assert info.value.field == field


def test_records_are_frozen_and_slotted() -> None:
    for cls in (
        ci.Referral,
        ci.Assessment,
        ci.Section47,
        ci.TransferInConference,
        ci.ChildProtectionPlan,
        ci.Child,
        ci.Episode,
        ci.LookedAfterReview,
        ci.AdoptionRecord,
        ci.PlacedForAdoption,
        ci.PreviousPermanence,
        ci.HealthAssessment,
        ci.HealthOutcomeRecord,
        ci.CareLeaverRecord,
        ci.MissingEpisode,
    ):
        assert attrs.has(cls) and "__slots__" in cls.__dict__
        for a in attrs.fields(cls):
            assert a.metadata.get("item"), f"{cls.__name__}.{a.name} names no return item"
    r = ci.Referral("C1", D(2024, 1, 1))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.child_id = "C2"  # type: ignore[misc]


def test_code_lists_by_year() -> None:
    assert "K3" in SSDA903_BY_YEAR[2024]["PLACE"] and "K3" not in SSDA903_BY_YEAR[2023]["PLACE"]
    assert "A1" in SSDA903_BY_YEAR[2019]["PLACE"] and "A1" not in SSDA903_BY_YEAR[2021]["PLACE"]
    assert SSDA903["PLACE"] >= SSDA903_BY_YEAR[2024]["PLACE"] | SSDA903_BY_YEAR[2019]["PLACE"]


def test_bundle_supplied_and_merge() -> None:
    a = ci.Bundle(referrals=[ci.Referral("C1", D(2024, 1, 1))])
    b = ci.Bundle(episodes=[], sources=[ci.SourceInfo("SSDA903", collection_year=2024)])
    m = a + b
    assert m.supplied() == {"referrals", "episodes"}
    assert m.referrals == a.referrals and m.episodes == ()
    assert m.plans is None and len(m.sources) == 1
