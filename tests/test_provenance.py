"""Provenance: the library version, the calendar and the parameters that differ from defaults."""

from __future__ import annotations

import datetime as dt
from importlib import metadata

from dateutil.relativedelta import relativedelta

import csc_indicators
from csc_indicators import Assessment, DayCount, Period, Referral, WorkingDayCalendar
from csc_indicators.calendar import default_calendar
from csc_indicators.indicators import (
    assessments_within_45_working_days,
    rereferrals_within_12_months,
)
from csc_indicators.provenance import ParameterChange, provenance

FY24 = Period.financial_year(2024)
ASSESSMENTS = [Assessment("C1", dt.date(2024, 6, 3), dt.date(2024, 6, 10))]


def test_defaults_only_and_the_england_and_wales_calendar() -> None:
    p = provenance(assessments_within_45_working_days(ASSESSMENTS, FY24))
    cal = default_calendar()
    assert p.version == csc_indicators.__version__
    assert p.parameters == ()
    assert p.calendar is not None
    assert p.calendar.name == "England and Wales bank holidays"
    assert p.calendar.source == (
        f"holidays {metadata.version('holidays')} (country GB, subdivision ENG)"
    )
    assert p.calendar.first_date == dt.date(2000, 1, 1)
    assert p.calendar.last_date == cal.last_date
    assert p.calendar.holidays == len(cal.holidays)
    assert p.lines()[2] == "parameters: all defaults"


def test_parameters_that_differ_are_named_with_their_defaults() -> None:
    results = [
        assessments_within_45_working_days(
            ASSESSMENTS, FY24, limit=40, convention=DayCount.INCLUSIVE_MINUS_ONE
        ),
        rereferrals_within_12_months(
            [Referral("C1", dt.date(2024, 5, 1))], FY24, window=relativedelta(months=12)
        ),
    ]
    p = provenance(results)
    assert p.parameters == (
        ParameterChange("assessments_within_45_working_days", "limit", "40", "45"),
        ParameterChange(
            "assessments_within_45_working_days",
            "convention",
            "INCLUSIVE_MINUS_ONE",
            "EXCLUSIVE_START",
        ),
        ParameterChange("rereferrals_within_12_months", "window", "1 year", "365 days"),
    )
    assert p.to_dict()["parameters"] == [
        {
            "indicator": "assessments_within_45_working_days",
            "name": "limit",
            "value": "40",
            "default": "45",
        },
        {
            "indicator": "assessments_within_45_working_days",
            "name": "convention",
            "value": "INCLUSIVE_MINUS_ONE",
            "default": "EXCLUSIVE_START",
        },
        {
            "indicator": "rereferrals_within_12_months",
            "name": "window",
            "value": "1 year",
            "default": "365 days",
        },
    ]
    assert "# parameter: assessments_within_45_working_days.limit=40 (default 45)\n" in (
        p.comment_lines()
    )


def test_no_calendar_when_no_figure_counts_working_days() -> None:
    p = provenance(rereferrals_within_12_months([Referral("C1", dt.date(2024, 5, 1))], FY24))
    assert p.calendar is None
    assert p.to_dict()["calendar"] is None
    assert p.lines()[1] == "calendar: none used"


def test_a_caller_calendar_is_described_as_given() -> None:
    cal = WorkingDayCalendar([dt.date(2024, 12, 25)], name="council closures")
    p = provenance(calendar=cal)
    assert p.calendar is not None
    assert p.calendar.describe() == (
        "council closures; holiday dates given by the caller; covers 2024-01-01 to 2024-12-31"
    )
    assert p.to_dict()["calendar"] == {
        "name": "council closures",
        "source": "holiday dates given by the caller",
        "first_date": "2024-01-01",
        "last_date": "2024-12-31",
        "holidays": 1,
    }


def test_footer_markdown_and_population() -> None:
    result = assessments_within_45_working_days(ASSESSMENTS, FY24, limit=40)
    p = provenance(result, population=52_000)
    footer = p.footer(60).splitlines()
    assert footer[0] == "Computed with:"
    assert all(len(line) <= 60 for line in footer)
    assert footer[-3:-1] == [
        "  parameter: assessments_within_45_working_days.limit=40",
        "    (default 45)",
    ]
    assert footer[-1] == "  population: 52,000"
    assert p.to_dict()["population"] == 52_000
    assert "- parameter: `assessments_within_45_working_days.limit=40` (default 45)\n" in (
        p.markdown()
    )
    assert p.markdown().startswith("### Computed with\n\n- csc_indicators ")
    assert p.assignments == ("assessments_within_45_working_days.limit=40",)
