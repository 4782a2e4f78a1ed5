"""Categorical draws: the code lists of the CIN census and SSDA903 with their weights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final


def _table(weights: dict[str, float], size: int = 1000) -> tuple[str, ...]:
    """A lookup table of ``size`` entries holding each code in proportion to its weight, so a
    draw is one index: ``table[int(random() * size)]``."""
    total = sum(weights.values())
    out: list[str] = []
    acc = 0.0
    for code, weight in weights.items():
        acc += weight
        while len(out) < round(acc / total * size):
            out.append(code)
    return tuple(out)


def _draw(rng_random: Callable[[], float], table: tuple[str, ...]) -> str:
    return table[int(rng_random() * len(table))]


# CIN census closure reasons: RC7 services ceased (child no longer in need), RC8 closed after
# assessment with no further action, RC9 closed after assessment and referred to early help,
# RC3 child arrangements order, RC4 special guardianship order, RC5 transferred to another
# authority, RC6 transferred to adult services.
_CLOSE_AFTER_ASSESSMENT: Final = _table({"RC8": 60, "RC9": 40})
_CLOSE_AFTER_SERVICES: Final = _table({"RC7": 88, "RC5": 6, "RC3": 3, "RC4": 2, "RC6": 1})

# SSDA903 placements by age band (U1-U6 foster care, K2 children's home, H5 semi-independent
# living, P1 placed with parents, P2 independent living, S1 residential school, R1 residential
# care home, K1 secure children's home, Z1 other).
_PLACE_UNDER_5: Final = _table({"U6": 60, "U3": 22, "P1": 8, "U5": 6, "U2": 3, "Z1": 1})
_PLACE_5_TO_9: Final = _table({"U6": 63, "U3": 20, "P1": 7, "K2": 6, "S1": 2, "Z1": 2})
_PLACE_10_TO_15: Final = _table(
    {"U6": 50, "U3": 11, "K2": 25, "P1": 5, "S1": 3, "R1": 2, "K1": 1, "Z1": 3}
)
_PLACE_16_17: Final = _table(
    {"U6": 30, "U3": 7, "K2": 18, "H5": 35, "P2": 4, "P1": 3, "R1": 1, "Z1": 2}
)
_PROVIDER: Final[dict[str, tuple[str, ...]]] = {
    "U1": _table({"PR1": 85, "PR4": 10, "PR5": 5}),
    "U2": _table({"PR1": 70, "PR4": 20, "PR5": 10}),
    "U3": _table({"PR1": 85, "PR4": 10, "PR5": 5}),
    "U4": _table({"PR1": 55, "PR4": 40, "PR5": 5}),
    "U5": _table({"PR1": 60, "PR4": 30, "PR5": 10}),
    "U6": _table({"PR1": 55, "PR4": 40, "PR5": 5}),
    "K1": _table({"PR1": 40, "PR2": 40, "PR4": 20}),
    "K2": _table({"PR4": 80, "PR1": 15, "PR5": 5}),
    "K3": _table({"PR4": 80, "PR1": 10, "PR5": 10}),
    "H5": _table({"PR4": 75, "PR1": 15, "PR5": 10}),
    "P1": _table({"PR0": 100}),
    "P2": _table({"PR1": 60, "PR4": 40}),
    "S1": _table({"PR4": 70, "PR5": 20, "PR3": 10}),
    "R1": _table({"PR4": 60, "PR3": 40}),
    "Z1": _table({"PR4": 50, "PR1": 50}),
    "A3": _table({"PR1": 80, "PR5": 20}),
    "A4": _table({"PR1": 80, "PR5": 20}),
    "A5": _table({"PR1": 80, "PR5": 20}),
    "A6": _table({"PR1": 70, "PR5": 30}),
}
_MOVE_REASON: Final = _table(
    {
        "CARPL": 40,
        "CREQB": 12,
        "CREQO": 10,
        "LAREQ": 10,
        "CHILD": 8,
        "STAND": 4,
        "CLOSE": 4,
        "ALLEG": 2,
        "APPRR": 2,
        "OTHER": 8,
    }
)
_CATEGORY_OF_NEED: Final = _table(
    {"N1": 66, "N2": 3, "N3": 3, "N4": 8, "N5": 13, "N6": 1, "N7": 1, "N8": 5}
)
_EXIT_SHORT: Final = _table(
    {"E4A": 58, "E13": 10, "E4B": 8, "E8": 10, "E41": 4, "E3": 4, "E47": 3, "E45": 3}
)
_EXIT_MEDIUM: Final = _table(
    {
        "E4A": 38,
        "E41": 10,
        "E45": 13,
        "E47": 10,
        "E46": 3,
        "E48": 2,
        "E13": 8,
        "E8": 7,
        "E3": 3,
        "E4B": 6,
    }
)
_EXIT_LONG: Final = _table(
    {"E45": 24, "E46": 10, "E47": 14, "E48": 3, "E41": 10, "E4A": 27, "E13": 6, "E8": 6}
)
_EXIT_AT_18: Final = _table({"E17": 24, "E5": 42, "E6": 10, "E8": 20, "E7": 4})
_AT_18_REASONS: Final = frozenset(_EXIT_AT_18)
_EXIT_16_17: Final = _table({"E5": 40, "E6": 10, "E4A": 25, "E13": 10, "E8": 15})
_EXIT_REMAND: Final = _table({"E14": 72, "E9": 28})
_RETURNABLE_EXITS: Final = frozenset({"E4A", "E4B", "E13", "E8", "E14"})
_REVIEW_CODE: Final = _table(
    {"PN1": 62, "PN2": 8, "PN3": 6, "PN4": 8, "PN5": 4, "PN6": 6, "PN7": 6}
)
_IN_TOUCH: Final = _table({"YES": 93, "NO": 3.5, "REFU": 2, "NREQ": 1.2, "DIED": 0.3})
_ACTIVITY: Final = _table(
    {
        "F1": 5,
        "P1": 1,
        "F2": 22,
        "P2": 3,
        "F4": 10,
        "P4": 15,
        "F5": 2,
        "P5": 2,
        "G4": 14,
        "G5": 14,
        "G6": 12,
    }
)
_ACTIVITY_BEFORE_2021: Final = {"F4": "F3", "F5": "F3", "P4": "P3", "P5": "P3"}
_ACCOMMODATION: Final = _table(
    {
        "U": 32,
        "Z": 9,
        "B": 12,
        "D": 15,
        "E": 6,
        "K": 4,
        "T": 3,
        "C": 2,
        "X": 3,
        "S": 1,
        "V": 1.5,
        "W": 1,
        "Y": 10,
        "G": 0.5,
    }
)
_UNSUITABLE_ACCOMMODATION: Final = frozenset({"S", "V", "W", "X"})
_CARE_LEAVER_EXITS: Final = frozenset(
    {"E5", "E6", "E7", "E8", "E17", "E4A", "E4B", "E13", "E9", "E14", "E3", "E41"}
)

# Period-of-care kinds chosen at entry by age band (under 1, 1-4, 5-9, 10-15, 16-17).
_SHORT, _MEDIUM, _LONG, _ADOPTION, _REMAND, _UASC = (
    "short",
    "medium",
    "long",
    "adopt",
    "remand",
    "uasc",
)
_KIND_BY_AGE: Final = (
    _table({_ADOPTION: 38, _SHORT: 16, _MEDIUM: 27, _LONG: 19}),
    _table({_ADOPTION: 26, _SHORT: 22, _MEDIUM: 28, _LONG: 24}),
    _table({_SHORT: 27, _MEDIUM: 31, _LONG: 42}),
    _table({_SHORT: 33, _MEDIUM: 22, _LONG: 35, _REMAND: 6, _UASC: 4}),
    _table({_SHORT: 27, _MEDIUM: 14, _LONG: 27, _REMAND: 7, _UASC: 25}),
)
# Age at entry: under 1, 1-4, 5-9, 10-15, 16-17 (roughly England's starters).
_ENTRY_BAND: Final = _table({"0": 19, "1": 14, "2": 14, "3": 33, "4": 20})
_BAND_SPAN: Final = (
    (0, 365),
    (365, 5 * 365),
    (5 * 365, 10 * 365),
    (10 * 365, 16 * 365),
    (16 * 365, 18 * 365 - 20),
)


def _age_band(age_days: int) -> int:
    if age_days < 365:
        return 0
    if age_days < 5 * 365:
        return 1
    if age_days < 10 * 365:
        return 2
    if age_days < 16 * 365:
        return 3
    return 4


_PLACE_BY_BAND: Final = (
    _PLACE_UNDER_5,
    _PLACE_UNDER_5,
    _PLACE_5_TO_9,
    _PLACE_10_TO_15,
    _PLACE_16_17,
)
