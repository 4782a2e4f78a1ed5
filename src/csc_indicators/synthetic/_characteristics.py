"""The children's characteristics, for breakdowns: sex, ethnicity, disability and date of birth
of children in need, referral sources and primary needs, placement postcode districts.

They are drawn from a stable hash of the seed, the child's id and the record (CRC-32), not from
the generators' random streams, so that adding them left every other value of a seed unchanged
(the figures of the example authority and the golden snapshots are the same). Postcode
districts use the areas ``QA`` to ``QF``, which no UK postcode has (no area starts with Q): they
look like districts and are plainly synthetic.
"""

from __future__ import annotations

import datetime as _dt
import zlib
from typing import Final

from ._tables import _table

_ETHNICITY: Final = _table(
    {
        "WBRI": 65,
        "WOTH": 6,
        "WIRI": 0.5,
        "WIRT": 0.3,
        "WROM": 0.8,
        "MWBC": 3,
        "MWBA": 1,
        "MWAS": 1.5,
        "MOTH": 2.5,
        "AIND": 0.8,
        "APKN": 2,
        "ABAN": 0.8,
        "AOTH": 2,
        "BCRB": 1.2,
        "BAFR": 4,
        "BOTH": 2,
        "CHNE": 0.2,
        "OOTH": 4,
        "REFU": 0.4,
        "NOBT": 2,
    }
)
_SEX_CIN: Final = _table({"M": 52, "F": 47, "U": 1})
_DISABILITY: Final = _table(
    {
        "AUT": 30,
        "LD": 20,
        "BEH": 15,
        "COMM": 12,
        "MOB": 6,
        "HEAR": 3,
        "VIS": 3,
        "PC": 3,
        "HAND": 2,
        "INC": 2,
        "CON": 2,
        "DDA": 2,
    }
)
_REFERRAL_SOURCE: Final = _table(
    {
        "6": 29,
        "2A": 18,
        "2B": 2,
        "3A": 3,
        "3B": 2,
        "3C": 1,
        "3D": 2,
        "3E": 3,
        "3F": 3,
        "5A": 5,
        "5B": 3,
        "5C": 3,
        "5D": 3,
        "1A": 4,
        "1B": 2,
        "1C": 1,
        "1D": 1,
        "4": 2,
        "7": 2,
        "8": 7,
        "9": 1,
        "10": 3,
    }
)
_PRIMARY_NEED: Final = _table(
    {"N1": 57, "N2": 9, "N3": 3, "N4": 8, "N5": 14, "N6": 2, "N7": 0.5, "N8": 4, "N9": 2, "N0": 0.5}
)
_AGE: Final = _table(
    {
        "0": 10,
        "1": 5,
        "2": 5,
        "3": 5,
        "4": 5,
        "5": 6,
        "6": 6,
        "7": 6,
        "8": 5,
        "9": 5,
        "10": 5,
        "11": 5,
        "12": 6,
        "13": 6,
        "14": 6,
        "15": 5,
        "16": 5,
        "17": 4,
    }
)
_DISTRICT: Final = _table(
    {
        **{f"QA{n}": 12 for n in range(1, 6)},
        **{f"QB{n}": 5 for n in range(1, 6)},
        **{f"QC{n}": 2 for n in range(1, 10)},
        **{f"QD{n}": 1 for n in range(1, 10)},
        **{f"QE{n}": 1 for n in range(1, 10)},
        **{f"QF{n}{letter}": 0.5 for n in range(1, 4) for letter in "AB"},
    }
)


def _hash(*parts: object) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode("ascii"))


def _pick(table: tuple[str, ...], *key: object) -> str:
    return table[_hash(*key) % len(table)]


class Characteristics:
    """Characteristics drawn for one seed (see the module docstring)."""

    __slots__ = ("seed",)

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def ethnicity(self, child_id: str) -> str:
        return _pick(_ETHNICITY, self.seed, "ethnicity", child_id)

    def cin_child(
        self, child_id: str, first_referral: _dt.date
    ) -> tuple[_dt.date, str, str, tuple[str, ...]]:
        """A child in need's date of birth (before the first referral), sex, ethnicity and
        disabilities (``NONE`` for most; one or two codes for about one child in eight)."""
        age = int(_pick(_AGE, self.seed, "age", child_id))
        days = age * 365 + _hash(self.seed, "day", child_id) % 365
        dob = first_referral - _dt.timedelta(days=days)
        roll = _hash(self.seed, "disabled", child_id) % 100
        if roll < 87:
            disabilities: tuple[str, ...] = ("NONE",)
        else:
            first = _pick(_DISABILITY, self.seed, "disability", child_id)
            second = _pick(_DISABILITY, self.seed, "disability 2", child_id)
            disabilities = (first,) if roll < 96 or second == first else (first, second)
        return (
            dob,
            _pick(_SEX_CIN, self.seed, "sex", child_id),
            self.ethnicity(child_id),
            disabilities,
        )

    def referral(self, child_id: str, day: int) -> tuple[str, str]:
        """A referral's source and the child's primary need."""
        return (
            _pick(_REFERRAL_SOURCE, self.seed, "source", child_id, day),
            _pick(_PRIMARY_NEED, self.seed, "need", child_id, day),
        )

    def district(self, child_id: str, day: int) -> str | None:
        """A placement's postcode district: most in the child's home district, some further
        away, a few not recorded."""
        roll = _hash(self.seed, "placed", child_id, day) % 100
        if roll < 3:
            return None
        if roll < 60:
            return _pick(_DISTRICT, self.seed, "home", child_id)
        return _pick(_DISTRICT, self.seed, "district", child_id, day)
