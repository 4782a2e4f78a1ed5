"""Records of the looked-after worked examples, for the edge-case tests.

The worked examples themselves run on the specification pages (``docs/indicators/``, executed
by ``tests/test_docs_examples.py``); these are some of the same records, which the edge-case
tests vary.
"""

from __future__ import annotations

import datetime as dt

from csc_indicators import (
    AdoptionRecord,
    CareLeaverRecord,
    Episode,
    HealthAssessment,
    LookedAfterReview,
    Period,
)

D = dt.date
FY2024 = Period.financial_year(2024)


def E(
    cid: str,
    start: dt.date,
    rne: str,
    ls: str,
    place: str,
    end: dt.date | None = None,
    rec: str | None = None,
) -> Episode:
    """An episode (a short constructor for tables)."""
    return Episode(cid, start, rne, ls, place, end, rec)


PLACEMENTS_EXAMPLE = [
    # A: placement open on 1 April, a move, a legal-status change, a move on 31 March
    E("A", D(2023, 6, 1), "S", "C2", "U4", D(2024, 9, 1), "X1"),
    E("A", D(2024, 9, 1), "P", "C2", "U6", D(2024, 12, 1), "X1"),
    E("A", D(2024, 12, 1), "L", "E1", "U6", D(2025, 3, 31), "X1"),
    E("A", D(2025, 3, 31), "P", "E1", "R1"),
    # B: placed for adoption with the foster carer (T into A5): not a new placement
    E("B", D(2023, 1, 10), "S", "C2", "U4", D(2024, 10, 1), "X1"),
    E("B", D(2024, 10, 1), "T", "E1", "A5"),
    # C: on a series of short breaks on 31 March
    E("C", D(2024, 2, 1), "S", "V3", "U1"),
    # D: ceased on 31 March itself
    E("D", D(2024, 1, 5), "S", "V2", "U4", D(2025, 3, 31), "E13"),
    # E: period of care ends and restarts in the year, then a move
    E("E", D(2024, 1, 1), "S", "V2", "U4", D(2024, 6, 1), "E4A"),
    E("E", D(2024, 9, 1), "S", "C1", "U4", D(2025, 1, 10), "X1"),
    E("E", D(2025, 1, 10), "P", "C1", "K2"),
]

STABILITY_EPISODES = [
    # F: same carer since 2020 (an L and a T change on the way)
    E("F", D(2020, 1, 1), "S", "V2", "U4", D(2021, 6, 1), "X1"),
    E("F", D(2021, 6, 1), "L", "C2", "U4", D(2022, 2, 1), "X1"),
    E("F", D(2022, 2, 1), "T", "C2", "U5", None),
    # G: 16th birthday on 31 March
    E("G", D(2019, 5, 1), "S", "C2", "U4"),
    # H: moved to a new carer on 1 June 2023
    E("H", D(2021, 1, 1), "S", "C2", "U4", D(2023, 6, 1), "X1"),
    E("H", D(2023, 6, 1), "P", "C2", "U6"),
    # I: placed for adoption with new carers (A6) in January 2024
    E("I", D(2020, 5, 1), "S", "C2", "U4", D(2022, 1, 1), "X1"),
    E("I", D(2022, 1, 1), "P", "C2", "U6", D(2024, 1, 15), "X1"),
    E("I", D(2024, 1, 15), "B", "E1", "A6"),
    # J: in care for less than 2.5 years
    E("J", D(2023, 1, 1), "S", "C2", "U4"),
    # K: placed for adoption with the foster carer (U into A5)
    E("K", D(2020, 6, 1), "S", "C2", "U4", D(2023, 9, 1), "X1"),
    E("K", D(2023, 9, 1), "U", "E1", "A5"),
    # L: started on 29 February 2020
    E("L", D(2020, 2, 29), "S", "C2", "U1"),
]
REVIEWS_EPISODES = [
    E("A", D(2024, 9, 2), "S", "C1", "U4"),
    E("B", D(2024, 6, 3), "S", "V2", "U4"),
    E("C", D(2024, 1, 8), "S", "C2", "U4"),
    E("D", D(2024, 1, 8), "S", "C2", "U4"),
    E("E", D(2025, 3, 20), "S", "V2", "U4"),
    E("F", D(2024, 11, 1), "S", "V3", "U1"),
]
REVIEWS = [
    LookedAfterReview("A", D(2024, 9, 27)),
    LookedAfterReview("A", D(2024, 12, 20)),
    LookedAfterReview("B", D(2024, 7, 5)),
    LookedAfterReview("B", D(2024, 10, 1)),
    LookedAfterReview("C", D(2024, 2, 1)),
    LookedAfterReview("C", D(2024, 4, 30)),
    LookedAfterReview("C", D(2024, 10, 25)),
    LookedAfterReview("D", D(2024, 2, 1)),
    LookedAfterReview("D", D(2024, 4, 30)),
]

ADOPTION_EPISODES = [
    # A: placed with new adopters (A6); court authority (E1) on 1 June 2022
    E("A", D(2022, 1, 10), "S", "C1", "U4", D(2022, 6, 1), "X1"),
    E("A", D(2022, 6, 1), "L", "E1", "U4", D(2023, 1, 15), "X1"),
    E("A", D(2023, 1, 15), "P", "E1", "A6", D(2024, 6, 30), "E12"),
    # B: adopted by the foster carer it moved in with on 1 September 2021
    E("B", D(2021, 3, 1), "S", "C2", "U4", D(2021, 9, 1), "X1"),
    E("B", D(2021, 9, 1), "P", "C2", "U6", D(2022, 2, 1), "X1"),
    E("B", D(2022, 2, 1), "L", "E1", "U6", D(2023, 5, 1), "X1"),
    E("B", D(2023, 5, 1), "T", "E1", "A5", D(2024, 11, 20), "E11"),
    # C: adopted without being placed for adoption first
    E("C", D(2023, 1, 1), "S", "C2", "U4", D(2024, 5, 1), "E11"),
]
ADOPTIONS = [
    AdoptionRecord("A", D(2022, 3, 1), D(2022, 12, 1), False),
    AdoptionRecord("B", D(2021, 12, 1), D(2022, 1, 20), True),
]

IHA_EPISODES = [
    E("A", D(2024, 4, 2), "S", "V2", "U4"),
    E("B", D(2024, 12, 16), "S", "C1", "U4"),
    E("C", D(2024, 5, 1), "S", "V2", "U4", D(2024, 5, 10), "E4A"),
    E("E", D(2025, 3, 20), "S", "V2", "U4"),
    E("F", D(2024, 7, 1), "S", "C1", "U6"),
]
IHA_ASSESSMENTS = [
    HealthAssessment("A", D(2024, 4, 26)),
    HealthAssessment("B", D(2025, 1, 17)),
]

OC3 = [
    CareLeaverRecord("A", D(2005, 6, 1), "YES", "F2", "U1"),
    CareLeaverRecord("B", D(2003, 4, 1), "NO", "0", "0"),
    CareLeaverRecord("C", D(2004, 3, 31), "YES", "G6", "X2"),
    CareLeaverRecord("D", D(2006, 1, 1), "DIED", "0", "0"),
    CareLeaverRecord("E", D(2007, 5, 5), "YES", "F4", "B1"),
    CareLeaverRecord("F", D(2004, 2, 29), "YES", "P5", "D1"),
]

ACTIVITY_EPISODES = [
    E("A", D(2022, 1, 1), "S", "C2", "U4"),
    E("B", D(2023, 1, 1), "S", "V2", "U4", D(2025, 3, 31), "E13"),
    E("C", D(2024, 5, 1), "S", "C2", "U4", D(2025, 1, 10), "E11"),
    E("D", D(2023, 6, 1), "S", "V3", "U1"),
    E("E", D(2024, 6, 1), "S", "V2", "U4", D(2024, 7, 1), "E4A"),
    E("E", D(2024, 10, 1), "S", "V2", "R1"),
    E("F", D(2022, 3, 1), "S", "C2", "U1", D(2024, 12, 1), "E45"),
]
