"""Recognising an SSDA903 table: by its file name, else by its columns. The tables themselves
(columns, types, code lists, record fields) are declared in :mod:`._tables`."""

from __future__ import annotations

import os
import re

from ._tables import BY_NAME, TABLES, Table

__all__ = ["KIND", "TABLES", "Table", "identify"]

KIND = "SSDA903 return"

# Columns that name a table on their own when the file name does not.
_SIGNATURE = {
    "ETHNIC": "Header",
    "DECOM": "Episodes",
    "REVIEW": "Reviews",
    "DUC": "UASC",
    "SDQ_SCORE": "OC2",
    "HEALTH_CHECK": "OC2",
    "IN_TOUCH": "OC3",
    "DATE_INT": "AD1",
    "DATE_PLACED": "PlacedAdoption",
    "PREV_PERM": "PrevPerm",
    "MIS_START": "Missing",
    "SW_ID": "SWEpisodes",
    "DOLO_START": "DoLo",
}


def identify(path: str, columns: list[str]) -> Table | None:
    """The table a CSV file holds, from its file name or else its columns; ``None``: none."""
    stem = re.sub(r"[^a-z0-9]", "", os.path.splitext(os.path.basename(path))[0].lower())
    for table in sorted(TABLES, key=lambda t: -max(len(a) for a in t.aliases)):
        if any(alias in stem for alias in table.aliases):
            return table
    present = set(columns)
    for column, name in _SIGNATURE.items():
        if column in present:
            if name == "Header" and "DUC" in present:
                return BY_NAME["UASC"]
            return BY_NAME[name]
    if "DUC" in present or (present >= {"CHILD", "SEX", "DOB"} and len(present) <= 4):
        return BY_NAME["UASC"]
    return None
