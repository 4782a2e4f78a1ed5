"""What every implementation shares: the period's dates, the code lists, the bank holidays, and
reading the CIN census XML into plain columns.

The dates are derived from the period as the specification pages say (a 12-month window ending
on the period's last day; 30 and 24 calendar months before it), so that a peer never hard-codes
a figure the library computes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

INDICATORS = (
    "assessments_within_45_working_days",
    "rereferrals_within_12_months",
    "icpcs_within_15_working_days",
    "three_or_more_placements",
    "long_term_placement_stability",
)
"""The five headline indicators, by their library ids."""

# SSDA903 codes (docs/indicators/three_or_more_placements.md, long_term_placement_stability.md,
# decisions D8 and D9).
NEW_PLACEMENT_RNE = ("S", "P", "B", "T", "U")
"""Reasons for a new episode that start a new placement (every one but L)."""
SAME_CARER_RNE = ("L", "T", "U")
"""Reasons for a new episode that keep the child with the same carer."""
SAME_CARER_MOVE_RNE = ("T", "U")
"""The placement changes with the same carer."""
FOSTER_CARER_ADOPTION = ("A3", "A5", "A2")
"""Placed for adoption with the existing foster carer (A2 is the legacy code)."""
NEW_CARER_ADOPTION = ("A4", "A6", "A1")
"""Placed for adoption with a new carer (A1 is the legacy code)."""
SHORT_BREAKS = ("V3", "V4")
"""Legal statuses of a series of short breaks: out of both placement cohorts."""

CSV_DATE = "%d/%m/%Y"
"""How the SSDA903 CSV tables write dates."""
XML_DATE = "%Y-%m-%d"
"""How the CIN census writes dates."""


class Rules(NamedTuple):
    """The dates and thresholds of one reporting period, as the five indicators use them."""

    period_start: dt.date
    period_end: dt.date
    window_start: dt.date
    """First day of the 12 months ending on ``period_end`` (three or more placements)."""
    care_cutoff: dt.date
    """In care since this day or earlier: ``period_end`` minus 30 calendar months."""
    carer_cutoff: dt.date
    """With the current carer since this day or earlier: ``period_end`` minus 24 months."""
    calendar_first: dt.date
    calendar_last: dt.date
    """The days the working-day calendar covers (the library: 2000 to ten years ahead)."""
    assessment_limit: int = 45
    icpc_limit: int = 15
    rereferral_days: int = 365
    placements_threshold: int = 3
    max_age: int = 16

    @classmethod
    def financial_year(cls, year: int) -> Rules:
        """The rules for the financial year starting 1 April ``year``."""
        start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        return cls(
            period_start=start,
            period_end=end,
            window_start=end - relativedelta(years=1) + dt.timedelta(days=1),
            care_cutoff=end - relativedelta(months=30),
            carer_cutoff=end - relativedelta(months=24),
            calendar_first=dt.date(2000, 1, 1),
            calendar_last=dt.date(dt.date.today().year + 10, 12, 31),
        )


class Timed(NamedTuple):
    """One run of one implementation."""

    read_s: float
    compute_s: float
    figures: dict[str, tuple[int, int]]
    """``{indicator id: (numerator, denominator)}``."""


def bank_holidays(rules: Rules) -> list[dt.date]:
    """England and Wales bank holidays over the calendar's years, from the ``holidays`` package
    (the library's source too)."""
    import holidays

    years = range(rules.calendar_first.year, rules.calendar_last.year + 1)
    return sorted(holidays.country_holidays("GB", subdiv="ENG", years=years))


class CinColumns(NamedTuple):
    """The census fields the five indicators need, one list per column, dates as text."""

    referral_child: list[str | None]
    referral_date: list[str | None]
    assessment_child: list[str | None]
    assessment_start: list[str | None]
    assessment_authorised: list[str | None]
    s47_child: list[str | None]
    s47_start: list[str | None]
    s47_conference: list[str | None]

    def tables(self) -> dict[str, dict[str, list[str | None]]]:
        """The columns as three tables of named columns."""
        return {
            "referrals": {"child": self.referral_child, "date": self.referral_date},
            "assessments": {
                "child": self.assessment_child,
                "start": self.assessment_start,
                "authorised": self.assessment_authorised,
            },
            "section47s": {
                "child": self.s47_child,
                "start": self.s47_start,
                "conference": self.s47_conference,
            },
        }


def _ends(path: Path) -> Iterator[ElementTree.Element]:
    for _event, element in ElementTree.iterparse(path, events=("end",)):
        yield element


def read_cin_columns(path: Path) -> CinColumns:
    """Stream the census with ElementTree and keep, for each child, the referral dates, the
    assessments' start and authorisation dates and the section 47 enquiries' start and
    conference dates.

    This is the step each DataFrame or SQL peer has to write by hand: pandas' ``read_xml``
    flattens one level and loses the child each group belongs to, and neither DuckDB (without
    a downloaded extension) nor polars reads XML. A transfer-in conference (a
    ``DateOfInitialCPC`` directly under ``CINdetails``) is not kept: no indicator here counts
    it.
    """
    cols = CinColumns([], [], [], [], [], [], [], [])
    child = ""
    for element in _ends(path):
        tag = element.tag
        if tag == "LAchildID":
            child = element.text or ""
        elif tag == "CINreferralDate":
            cols.referral_child.append(child)
            cols.referral_date.append(element.text)
        elif tag == "Assessments":
            cols.assessment_child.append(child)
            cols.assessment_start.append(element.findtext("AssessmentActualStartDate"))
            cols.assessment_authorised.append(element.findtext("AssessmentAuthorisationDate"))
        elif tag == "Section47":
            cols.s47_child.append(child)
            cols.s47_start.append(element.findtext("S47ActualStartDate"))
            cols.s47_conference.append(element.findtext("DateOfInitialCPC"))
        elif tag == "Child":
            element.clear()  # keep memory flat: the child is done with
    return cols
