"""The SSDA903 tables: their DfE names and columns, and how one row (or XML group) becomes one
record. Shared by the CSV reader (:mod:`._ssda903_csv`) and the XML reader
(:mod:`._ssda903_xml`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import attrs

from ..records import (
    AdoptionRecord,
    CareLeaverRecord,
    Child,
    Episode,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
)
from ._common import BadValue, Problems, bool_of, date_of, int_of

__all__ = ["BUILDERS", "KIND", "OPTIONAL", "TABLES", "Getter", "Table", "Where", "identify"]

Getter = Callable[[str], str | None]
Where = Callable[[str | None], str]
"""The place of a column's value (``None``: of the record)."""


@attrs.frozen(slots=True)
class Table:
    """One SSDA903 table: its DfE name, its columns, and the columns the reader needs."""

    name: str
    """The DfE table name, e.g. ``Episodes``."""
    columns: tuple[str, ...]
    """Every DfE column of the table, in the DfE order."""
    required: tuple[str, ...]
    """The columns that must be present for the table to be read."""
    aliases: tuple[str, ...]
    """File names (lower case, letters and digits only) that name this table."""
    field: str | None
    """The :class:`~csc_indicators.Bundle` field its records go to (``None``: not read)."""


TABLES: tuple[Table, ...] = (
    Table(
        "Header",
        ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
        ("CHILD", "DOB"),
        ("header",),
        "children",
    ),
    Table(
        "Episodes",
        (
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ),
        ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"),
        ("episodes",),
        "episodes",
    ),
    Table(
        "Reviews",
        ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
        ("CHILD", "REVIEW"),
        ("reviews",),
        "reviews",
    ),
    Table("UASC", ("CHILD", "SEX", "DOB", "DUC"), ("CHILD", "DOB", "DUC"), ("uasc",), "children"),
    Table(
        "OC2",
        (
            "CHILD",
            "DOB",
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ),
        ("CHILD", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "SUBSTANCE_MISUSE"),
        ("oc2",),
        "health_outcomes",
    ),
    Table(
        "OC3",
        ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
        ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
        ("oc3",),
        "care_leavers",
    ),
    Table(
        "AD1",
        (
            "CHILD",
            "DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ),
        ("CHILD", "DATE_INT", "DATE_MATCH", "FOSTER_CARE"),
        ("ad1",),
        "adoptions",
    ),
    Table(
        "PlacedAdoption",
        ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        ("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        ("placedforadoption", "placedadoption", "sbpfa"),
        "placed_for_adoption",
    ),
    Table(
        "PrevPerm",
        ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
        ("CHILD", "PREV_PERM", "DATE_PERM"),
        ("previouspermanence", "prevperm"),
        "previous_permanence",
    ),
    Table(
        "Missing",
        ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
        ("CHILD", "MISSING", "MIS_START", "MIS_END"),
        ("missing",),
        "missing",
    ),
    Table(
        "SWEpisodes",
        ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
        ("CHILD",),
        ("sweepisodes", "swepisodes"),
        None,
    ),
    Table("DoLo", ("CHILD", "DOB", "DOLO_START", "DOLO_END"), ("CHILD",), ("dolo",), None),
)
"""The SSDA903 tables the reader recognises, in the order it reads them."""

_BY_NAME = {t.name: t for t in TABLES}
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
KIND = "SSDA903 return"
# Columns read when present; older years' tables may lack them.
OPTIONAL = {
    "Episodes": ("CIN", "PLACE_PROVIDER", "REASON_PLACE_CHANGE"),
    "Header": ("SEX",),
    "Reviews": ("REVIEW_CODE",),
    "OC2": ("SDQ_SCORE", "HEALTH_ASSESSMENT"),
}


# -- one record from one row or element --------------------------------------------------------


def _episode(get: Getter, where: Where, p: Problems) -> Episode | None:
    child = get("CHILD")
    try:
        start = date_of(get("DECOM"), "DECOM", partial(where, "DECOM"), required=True)
        end = date_of(get("DEC"), "DEC", partial(where, "DEC"))
    except BadValue as exc:
        p.bad(exc, "episode", child)
        return None
    return p.build(
        Episode,
        where,
        "episode",
        child_id=child or "",
        start_date=start,
        reason_new_episode=get("RNE"),
        legal_status=get("LS"),
        placement=get("PLACE"),
        end_date=end,
        reason_ceased=get("REC"),
        placement_provider=get("PLACE_PROVIDER"),
        reason_place_change=get("REASON_PLACE_CHANGE"),
        category_of_need=get("CIN"),
    )


def _review(get: Getter, where: Where, p: Problems) -> LookedAfterReview | None:
    child = get("CHILD")
    try:
        day = date_of(get("REVIEW"), "REVIEW", partial(where, "REVIEW"), required=True)
    except BadValue as exc:
        p.bad(exc, "review", child)
        return None
    return p.build(
        LookedAfterReview,
        where,
        "review",
        child_id=child or "",
        date=day,
        participation=get("REVIEW_CODE"),
    )


def _child(get: Getter, where: Where, p: Problems, *, uasc_table: bool) -> Child | None:
    child = get("CHILD")
    try:
        dob = date_of(get("DOB"), "DOB", partial(where, "DOB"), required=True)
        duc = date_of(get("DUC"), "DUC", partial(where, "DUC"))
        flag = uasc_table or bool(bool_of(get("UASC"), "UASC", partial(where, "UASC")))
    except BadValue as exc:
        p.bad(exc, "child", child)
        return None
    return p.build(
        Child,
        where,
        "child",
        child_id=child or "",
        date_of_birth=dob,
        sex=get("SEX"),
        uasc_ceased=duc,
        uasc=flag or duc is not None,
    )


def _health(get: Getter, where: Where, p: Problems) -> HealthOutcomeRecord | None:
    child = get("CHILD")
    try:
        values: dict[str, Any] = {
            name: bool_of(get(col), col, partial(where, col))
            for name, col in (
                ("health_check", "HEALTH_CHECK"),
                ("teeth_check", "TEETH_CHECK"),
                ("immunisations", "IMMUNISATIONS"),
                ("health_assessment", "HEALTH_ASSESSMENT"),
                ("substance_misuse", "SUBSTANCE_MISUSE"),
                ("convicted", "CONVICTED"),
            )
        }
        values["sdq_score"] = int_of(get("SDQ_SCORE"), "SDQ_SCORE", partial(where, "SDQ_SCORE"))
        values["date_of_birth"] = date_of(get("DOB"), "DOB", partial(where, "DOB"))
    except BadValue as exc:
        p.bad(exc, "OC2 record", child)
        return None
    return p.build(HealthOutcomeRecord, where, "OC2 record", child_id=child or "", **values)


def _care_leaver(get: Getter, where: Where, p: Problems) -> CareLeaverRecord | None:
    child = get("CHILD")
    try:
        dob = date_of(get("DOB"), "DOB", partial(where, "DOB"), required=True)
    except BadValue as exc:
        p.bad(exc, "OC3 record", child)
        return None
    return p.build(
        CareLeaverRecord,
        where,
        "OC3 record",
        child_id=child or "",
        date_of_birth=dob,
        in_touch=get("IN_TOUCH"),
        activity=get("ACTIV"),
        accommodation=get("ACCOM"),
    )


def _adoption(get: Getter, where: Where, p: Problems) -> AdoptionRecord | None:
    child = get("CHILD")
    try:
        decision = date_of(get("DATE_INT"), "DATE_INT", partial(where, "DATE_INT"))
        match = date_of(get("DATE_MATCH"), "DATE_MATCH", partial(where, "DATE_MATCH"))
        foster = bool_of(get("FOSTER_CARE"), "FOSTER_CARE", partial(where, "FOSTER_CARE"))
    except BadValue as exc:
        p.bad(exc, "AD1 record", child)
        return None
    return p.build(
        AdoptionRecord,
        where,
        "AD1 record",
        child_id=child or "",
        decision_date=decision,
        match_date=match,
        foster_carer=foster,
    )


def _placed(get: Getter, where: Where, p: Problems) -> PlacedForAdoption | None:
    child = get("CHILD")
    try:
        decision = date_of(
            get("DATE_PLACED"), "DATE_PLACED", partial(where, "DATE_PLACED"), required=True
        )
        ceased = date_of(
            get("DATE_PLACED_CEASED"), "DATE_PLACED_CEASED", partial(where, "DATE_PLACED_CEASED")
        )
    except BadValue as exc:
        p.bad(exc, "placed-for-adoption record", child)
        return None
    return p.build(
        PlacedForAdoption,
        where,
        "placed-for-adoption record",
        child_id=child or "",
        decision_date=decision,
        ceased_date=ceased,
        ceased_reason=get("REASON_PLACED_CEASED"),
    )


_PARTIAL_DATE = re.compile(r"^[0-9zZ]{1,2}/[0-9zZ]{1,2}/[0-9zZ]{4}$")


def _previous(get: Getter, where: Where, p: Problems) -> PreviousPermanence | None:
    child = get("CHILD")
    text = get("DATE_PERM")
    if text is not None and "z" in text.lower() and _PARTIAL_DATE.match(text):
        # The SSDA903 guide lets an unknown part of DATE_PERM be written "zz".
        p.note(
            "DATE_PERM is only partly known (zz); read as not recorded",
            location=where("DATE_PERM"),
            field="DATE_PERM",
            value=text,
            kind="partial date",
            child_id=child,
        )
        text = None
    try:
        day = date_of(text, "DATE_PERM", partial(where, "DATE_PERM"))
    except BadValue as exc:
        p.bad(exc, "previous permanence record", child)
        return None
    return p.build(
        PreviousPermanence,
        where,
        "previous permanence record",
        child_id=child or "",
        option=get("PREV_PERM"),
        date=day,
    )


def _missing(get: Getter, where: Where, p: Problems) -> MissingEpisode | None:
    child = get("CHILD")
    try:
        start = date_of(get("MIS_START"), "MIS_START", partial(where, "MIS_START"), required=True)
        end = date_of(get("MIS_END"), "MIS_END", partial(where, "MIS_END"))
    except BadValue as exc:
        p.bad(exc, "missing episode", child)
        return None
    return p.build(
        MissingEpisode,
        where,
        "missing episode",
        child_id=child or "",
        kind=get("MISSING"),
        start_date=start,
        end_date=end,
    )


BUILDERS: dict[str, Callable[[Getter, Where, Problems], Any]] = {
    "Episodes": _episode,
    "Reviews": _review,
    "OC2": _health,
    "OC3": _care_leaver,
    "AD1": _adoption,
    "PlacedAdoption": _placed,
    "PrevPerm": _previous,
    "Missing": _missing,
    "Header": lambda g, w, p: _child(g, w, p, uasc_table=False),
    "UASC": lambda g, w, p: _child(g, w, p, uasc_table=True),
}


def identify(path: str, columns: list[str]) -> Table | None:
    stem = re.sub(r"[^a-z0-9]", "", os.path.splitext(os.path.basename(path))[0].lower())
    for table in sorted(TABLES, key=lambda t: -max(len(a) for a in t.aliases)):
        if any(alias in stem for alias in table.aliases):
            return table
    present = set(columns)
    for column, name in _SIGNATURE.items():
        if column in present:
            if name == "Header" and "DUC" in present:
                return _BY_NAME["UASC"]
            return _BY_NAME[name]
    if "DUC" in present or (present >= {"CHILD", "SEX", "DOB"} and len(present) <= 4):
        return _BY_NAME["UASC"]
    return None
