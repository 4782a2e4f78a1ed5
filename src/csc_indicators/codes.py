"""Code lists of the statutory returns, kept as data.

Each list is the set of codes the Department for Education accepts in one field of the SSDA903
looked-after return or the CIN census. Lists change between collection years; a list that
changed is kept per year in :data:`SSDA903_BY_YEAR`, and :data:`SSDA903` holds the union over all
supported years (what a record accepts, since a record does not know its collection year).

References:
    * DfE, "Children looked after return (SSDA903): guide", each collection year.
    * DfE, "Children in need census: guide", each collection year.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "ADOPTED",
    "CEASED_ADOPTED",
    "CEASED_RETURNED_HOME",
    "CEASED_SPECIAL_GUARDIANSHIP",
    "CIN",
    "CIN_BY_YEAR",
    "CIN_COLLECTION_YEARS",
    "EET_ACTIVITIES",
    "ETHNICITY",
    "FOSTER_CARER_ADOPTION_PLACEMENTS",
    "NEW_CARER_ADOPTION_PLACEMENTS",
    "PLACED_FOR_ADOPTION",
    "SEX_NAMES",
    "SHORT_BREAK_LEGAL_STATUSES",
    "SSDA903",
    "SSDA903_BY_YEAR",
    "SUITABLE_ACCOMMODATION",
    "SUPPORTED_COLLECTION_YEARS",
    "TEMPORARY_PLACEMENTS",
    "YEAR_DEPENDENT_FIELDS",
    "years_accepting",
]


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


ETHNICITY: Final = _codes(
    "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH "
    "REFU NOBT"
)
"""The DfE main ethnicity codes, the same in both returns (SSDA903 ``ETHNIC``, CIN census
``Ethnicity``): White British, Irish, Traveller of Irish heritage, any other White background,
Gypsy/Roma; mixed White and Black Caribbean, White and Black African, White and Asian, any
other mixed background; Indian, Pakistani, Bangladeshi, any other Asian background; Black
Caribbean, Black African, any other Black background; Chinese; any other ethnic group; REFU
refused; NOBT information not yet obtained."""

_PLACE_2024 = _codes(
    "A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1"
)

# SSDA903 fields as in the 2023-24 collection (the base every year is compared against).
_SSDA903_2024: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "RNE": _codes("S L P T B U"),
        "LS": _codes("C1 C2 D1 E1 V2 V3 V4 L1 L2 L3 J1 J2 J3"),
        "CIN": _codes("N1 N2 N3 N4 N5 N6 N7 N8"),
        "PLACE": _PLACE_2024,
        "PLACE_PROVIDER": _codes("PR0 PR1 PR2 PR3 PR4 PR5"),
        "REC": _codes(
            "X1 E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E9 E14 E15 E16 E17 E8"
        ),
        "REASON_PLACE_CHANGE": _codes(
            "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER"
        ),
        "SEX": _codes("1 2"),
        "ETHNIC": ETHNICITY,
        "REVIEW_CODE": _codes("PN0 PN1 PN2 PN3 PN4 PN5 PN6 PN7"),
        "MISSING": _codes("M A"),
        "IN_TOUCH": _codes("YES NO DIED REFU NREQ RHOM"),
        "ACTIV": _codes("F1 P1 F2 P2 F4 P4 F5 P5 G4 G5 G6 0"),
        "ACCOM": _codes(
            "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S1 S2 T1 T2 U1 U2 V1 V2 W1 W2 "
            "X1 X2 Y1 Y2 Z1 Z2 0"
        ),
        "SDQ_REASON": _codes("SDQ1 SDQ2 SDQ3 SDQ4 SDQ5"),
        "PREV_PERM": _codes("P1 P2 P3 P4 Z1"),
        "REASON_PLACED_CEASED": _codes("RD1 RD2 RD3 RD4"),
        "SEX_ADOPTR": _codes("M1 F1 MM FF MF"),
        "LS_ADOPTR": _codes("L0 L11 L12 L2 L3 L4"),
    }
)


def _with(
    base: Mapping[str, frozenset[str]], **changes: frozenset[str]
) -> Mapping[str, frozenset[str]]:
    merged = dict(base)
    merged.update(changes)
    return MappingProxyType(merged)


_ACTIV_2020 = _codes("F1 P1 F2 P2 F3 P3 G4 G5 G6 0")

SSDA903_BY_YEAR: Final[Mapping[int, Mapping[str, frozenset[str]]]] = MappingProxyType(
    {
        # Years are named by the calendar year in which the collection year starts
        # (2023 = 2023-24). Earlier years kept the legacy adoption placements A1/A2.
        # Up to 2020-21 the care-leaver activity "training or employment" was F3/P3; from
        # 2021-22 it is split into F4/P4 and F5/P5 (DfE-aligned schemas of those years).
        2019: _with(_SSDA903_2024, PLACE=_PLACE_2024 | _codes("A1 A2"), ACTIV=_ACTIV_2020),
        2020: _with(_SSDA903_2024, PLACE=_PLACE_2024 | _codes("A1 A2"), ACTIV=_ACTIV_2020),
        2021: _SSDA903_2024,
        2022: _SSDA903_2024,
        2023: _SSDA903_2024,
        # From 2024-25 "registered supported accommodation" (K3) is a placement type.
        2024: _with(_SSDA903_2024, PLACE=_PLACE_2024 | _codes("K3")),
        2025: _with(_SSDA903_2024, PLACE=_PLACE_2024 | _codes("K3")),
    }
)
"""SSDA903 code lists per supported collection year, by field name (DfE column name)."""

SUPPORTED_COLLECTION_YEARS: Final[tuple[int, ...]] = tuple(sorted(SSDA903_BY_YEAR))
"""The SSDA903 collection years whose code lists the library knows."""

SSDA903: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        field: frozenset().union(*(year[field] for year in SSDA903_BY_YEAR.values()))
        for field in _SSDA903_2024
    }
)
"""The union of every supported year's SSDA903 code list, by field name."""

YEAR_DEPENDENT_FIELDS: Final[frozenset[str]] = frozenset(
    field
    for field, union in SSDA903.items()
    if any(year[field] != union for year in SSDA903_BY_YEAR.values())
)
"""The SSDA903 fields whose code list is not the same in every supported year (``PLACE`` and
``ACTIV``): a code of one of them can be valid in one year and unknown in another."""


def years_accepting(field: str, code: str) -> tuple[int, ...]:
    """The supported collection years (2024 = 2024-25) whose SSDA903 list for ``field`` has
    ``code``, in order.

    Raises:
        KeyError: ``field`` is not an SSDA903 coded field.
    """
    if field not in SSDA903:
        raise KeyError(f"{field!r} is not an SSDA903 coded field")
    return tuple(year for year, lists in SSDA903_BY_YEAR.items() if code in lists[field])


_CIN_2024: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        # ChildIdentifiers: up to 2023-24 GenderCurrent (0 not known, 1 male, 2 female,
        # 9 not specified); from 2024-25 Sex (M male, F female, U unknown).
        "GenderCurrent": _codes("0 1 2 9"),
        "Sex": _codes("M F U"),
        "Ethnicity": ETHNICITY,
        # Disabilities/Disability: NONE, mobility, hand function, personal care, incontinence,
        # communication, learning, hearing, vision, behaviour, consciousness, autism or
        # Asperger syndrome, other DDA.
        "Disability": _codes("NONE MOB HAND PC INC COMM LD HEAR VIS BEH CON AUT DDA"),
        # ReferralSource: 1A-1D individual (family, acquaintance, self...), 2A-2B schools and
        # education, 3A-3F health, 4 housing, 5A-5D local authority services, 6 police,
        # 7 other legal agency, 8 other, 9 anonymous, 10 unknown.
        "ReferralSource": _codes("1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10"),
        # PrimaryNeedCode: N1 abuse or neglect, N2 disability or illness, N3 parental illness
        # or disability, N4 family in acute stress, N5 family dysfunction, N6 socially
        # unacceptable behaviour, N7 low income, N8 absent parenting, N9 cases other than
        # children in need, N0 not stated.
        "PrimaryNeedCode": _codes("N0 N1 N2 N3 N4 N5 N6 N7 N8 N9"),
        "ReasonForClosure": _codes("RC1 RC2 RC3 RC4 RC5 RC6 RC7 RC8 RC9"),
        "CategoryOfAbuse": _codes("NEG PHY SAB EMO MUL"),
    }
)

CIN_BY_YEAR: Final[Mapping[int, Mapping[str, frozenset[str]]]] = MappingProxyType(
    {
        # Named by the year the collection starts (2024 = 2024-25, whose header Year is 2025).
        # Up to 2023-24 the child's sex is GenderCurrent; from 2024-25 it is Sex.
        **{year: _with(_CIN_2024, Sex=frozenset()) for year in range(2013, 2024)},
        2024: _with(_CIN_2024, GenderCurrent=frozenset()),
        2025: _with(_CIN_2024, GenderCurrent=frozenset()),
    }
)
"""CIN census code lists per supported collection year, by census item name (an item a year
does not have maps to an empty list)."""

CIN_COLLECTION_YEARS: Final[tuple[int, ...]] = tuple(sorted(CIN_BY_YEAR))
"""The CIN census collection years whose code lists the library knows (2013 = 2013-14)."""

CIN: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {item: frozenset().union(*(year[item] for year in CIN_BY_YEAR.values())) for item in _CIN_2024}
)
"""The union of every supported year's CIN census code list, by census item name (what a
record accepts)."""

SEX_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {"1": "male", "2": "female", "M": "male", "F": "female", "U": "unknown"}
)
"""Labels of the sex codes the records hold: SSDA903 ``SEX`` (1, 2) and the CIN census sex
(M, F, U; the reader reads the older ``GenderCurrent`` 1, 2, 0 and 9 as M, F, U and U)."""

# -- code groups used by the rules ----------------------------------------------------------

SHORT_BREAK_LEGAL_STATUSES: Final = _codes("V3 V4")
"""Legal statuses of a series of short-term breaks (excluded from stability measures)."""

PLACED_FOR_ADOPTION: Final = _codes("A3 A4 A5 A6 A1 A2")
"""Placements for adoption (A1/A2 are the legacy codes of earlier years)."""

FOSTER_CARER_ADOPTION_PLACEMENTS: Final = _codes("A3 A5 A2")
"""Placed for adoption with the child's existing foster carer."""

NEW_CARER_ADOPTION_PLACEMENTS: Final = _codes("A4 A6 A1")
"""Placed for adoption with a new carer (not the existing foster carer)."""

TEMPORARY_PLACEMENTS: Final = _codes("T0 T1 T2 T3 T4")
"""Temporary placements (hospital, holiday, carer's holiday, up to 7 days, any)."""

ADOPTED: Final = _codes("E11 E12")
"""Reasons an episode ceased that mean the child was adopted."""

CEASED_ADOPTED: Final = ADOPTED
"""Ceased to be looked after because the child was adopted (E11, E12)."""

CEASED_SPECIAL_GUARDIANSHIP: Final = _codes("E45 E46 E47 E48")
"""Ceased because a special guardianship order was made: E45-E48 (to a former foster carer who
is or is not a relative, or to a carer who was not the foster carer, relative or not)."""

CEASED_RETURNED_HOME: Final = _codes("E4A E4B E13")
"""Ceased to live with parents, relatives or another person: E4A returned home with parental
responsibility as part of the care plan, E4B not as part of the plan, E13 to live with a person
without parental responsibility."""

EET_ACTIVITIES: Final = _codes("F1 P1 F2 P2 F3 P3 F4 P4 F5 P5")
"""Care-leaver activities (OC3 ``ACTIV``) that are education, employment or training: full
(F) or part time (P) higher education (1), other education (2), training or employment (3, up
to 2020-21; 4 and 5 from 2021-22). G4-G6 are not in education, employment or training; 0 means
no information (the authority is not in touch)."""

SUITABLE_ACCOMMODATION: Final = frozenset(
    code for code in SSDA903["ACCOM"] if len(code) == 2 and code.endswith("1")
)
"""Care-leaver accommodation codes (OC3 ``ACCOM``) judged suitable: the second character is 1
(suitable) rather than 2 (not suitable); 0 means no information."""
