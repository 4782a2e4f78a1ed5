"""Reading the SSDA903 looked-after children return: the CSV tables and the XML form.

The CSV tables are those the Department for Education's validation tools take, with the DfE
column names (Header, Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm,
Missing). Each table is recognised by its file name or, failing that, by its columns. The XML
form is the ``EXPSSDA903`` file (one ``CHILD`` element per child, holding a ``HEADER`` and its
``EPISODE`` elements).

Several years' returns can be read at once: the files in one directory form one return, whose
collection year is found from its dates, and the returns are stitched together (see
:func:`read_ssda903`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any
from xml.etree.ElementTree import Element

import attrs

from ..bundle import Bundle, SourceInfo
from ..codes import SSDA903_BY_YEAR, years_accepting
from ..errors import InputError
from ..periods import financial_year_number
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
from ..results import DataIssue
from ._common import BadValue, Errors, Problems, bool_of, check_errors, date_of, int_of
from ._stitch import Return as _Return
from ._stitch import stitch
from ._xml import NotAReturn, RecordStream, mixed_content

__all__ = ["TABLES", "Table", "read_ssda903"]

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
_KIND = "SSDA903 return"
# Columns read when present; older years' tables may lack them.
_OPTIONAL = {
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


@attrs.frozen(slots=True)
class _ChildFacts:
    child_id: str
    date_of_birth: _dt.date
    sex: str | None
    uasc: bool
    uasc_ceased: _dt.date | None


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


_BUILDERS: dict[str, Callable[[Getter, Where, Problems], Any]] = {
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


# -- one return: the files of one directory, or one XML file -----------------------------------


def _identify(path: str, columns: list[str]) -> Table | None:
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


def _read_csv(path: str, errors: Errors, into: _Return) -> list[DataIssue]:
    p = Problems(path, errors)
    try:
        stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise NotAReturn(f"cannot open the file: {exc.strerror}", path=path) from None
    line = 0
    try:
        with stream:
            rows = csv.reader(stream)
            header = next(rows, None)
            while header is not None and not any(c.strip() for c in header):
                header = next(rows, None)
            if header is None:
                p.report(
                    f"not an {_KIND} table: the file is empty",
                    location="line 1",
                    kind="not a table",
                )
                return p.issues
            columns = [c.strip().upper() for c in header]
            line = rows.line_num
            table = _identify(path, columns)
            if table is None:
                p.report(
                    f"not an {_KIND} table: its columns ({', '.join(columns)}) match none of "
                    f"{', '.join(t.name for t in TABLES)}",
                    location=f"line {line}",
                    kind="not a table",
                )
                return p.issues
            missing = [c for c in table.required if c not in columns]
            if missing:
                p.report(
                    f"the {table.name} table lacks the required column"
                    f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
                    + ("; the table is not loaded" if p.collect else ""),
                    location=f"line {line}",
                    field=missing[0],
                    kind="missing column",
                )
                return p.issues
            absent = [c for c in _OPTIONAL.get(table.name, ()) if c not in columns]
            if absent:
                p.note(
                    f"the {table.name} table has no column {', '.join(absent)}: read as not "
                    "recorded",
                    location=f"line {line}",
                    field=absent[0],
                    kind="missing column",
                )
            if table.field is None:
                p.note(
                    f"the {table.name} table is recognised but not read: no indicator uses it",
                    location=f"line {line}",
                    kind="not read",
                )
                return p.issues
            index = {c: i for i, c in reversed(list(enumerate(columns)))}
            build = _BUILDERS[table.name]
            dest = "_uasc" if table.name == "UASC" else table.field
            out = into.records.setdefault(dest, [])
            width = len(columns)
            values: list[str] = []

            def get(column: str) -> str | None:
                i = index.get(column)
                if i is None or i >= len(values):
                    return None
                return values[i] or None

            def where(_column: str | None) -> str:
                return f"line {line}"

            for raw in rows:
                line = rows.line_num
                values = [v.strip() for v in raw]
                if not any(values):
                    continue
                if len(values) > width and any(values[width:]):
                    p.report(
                        f"the row has {len(values)} values but the header names {width} columns",
                        location=f"line {line}",
                        kind="input",
                    )
                    continue
                record = build(get, where, p)
                if record is not None:
                    out.append((record, f"{path}:line {line}"))
    except UnicodeDecodeError as exc:
        p.report(f"not UTF-8 text ({exc.reason})", location=f"line {line + 1}", kind="encoding")
    except csv.Error as exc:
        p.report(f"malformed CSV ({exc})", location=f"line {line + 1}", kind="malformed")
    into.sources.append(path)
    return p.issues


def _xml_getter(
    node: Element, names: dict[str, str], locate: Callable[[Element], str]
) -> tuple[Getter, Where]:
    def get(column: str) -> str | None:
        text = node.findtext(names.get(column, column))
        return (text.strip() or None) if text else None

    def where(column: str | None) -> str:
        if column is None:
            return locate(node)
        child = node.find(names.get(column, column))
        return locate(child if child is not None else node)

    return get, where


_XML_GROUPS: tuple[tuple[str, str, Callable[[Getter, Where, Problems], Any]], ...] = (
    # (element, bundle field, builder), in the order the records are loaded; each group may be
    # under the CHILD or under its HEADER. Episodes follow, under the CHILD only.
    ("AREVIEW", "reviews", _review),
    ("AMISSING", "missing", _missing),
    ("AD_PLACED", "placed_for_adoption", _placed),
    ("PERMANENCE", "previous_permanence", _previous),
    ("OC2", "health_outcomes", _health),
)


def _read_xml(path: str, errors: Errors, into: _Return) -> list[DataIssue]:
    p = Problems(path, errors)
    elements = RecordStream(
        path, kind=_KIND + " (XML)", root="EXPSSDA903", capture=frozenset({("EXPSSDA903", "CHILD")})
    )
    locate = elements.locate
    for field in (
        "children",
        "episodes",
        "reviews",
        "health_outcomes",
        "care_leavers",
        "adoptions",
        "placed_for_adoption",
        "previous_permanence",
        "missing",
    ):
        into.records.setdefault(field, [])
    records = into.records
    number = 0

    def keep(field: str, record: object, at: str) -> None:
        if record is not None:
            records[field].append((record, at))

    with contextlib.closing(elements):
        try:
            for child in elements:
                number += 1
                # The place of each record, for the stitcher's and the code checks' reports:
                # its element path (line numbers are found only for problems, see locate).
                place = f"{path}:EXPSSDA903/CHILD[{number}]"
                for stray in mixed_content(child):
                    p.note(
                        "unexpected text between elements",
                        location=locate(stray),
                        field=stray.tag,
                        value=(stray.text or "").strip()[:60],
                        kind="malformed",
                    )
                header = child.find("HEADER")
                if header is None:
                    p.report(
                        "a CHILD without a HEADER: its records are not loaded"
                        if p.collect
                        else "a CHILD without a HEADER",
                        location=locate(child),
                        field="HEADER",
                    )
                    continue
                get, where = _xml_getter(header, {"CHILD": "CHILDID"}, locate)
                at = f"{place}/HEADER"
                keep("children", _child(get, where, p, uasc_table=False), at)
                if any(get(c) for c in ("DATE_INT", "DATE_MATCH", "FOSTER_CARE")):
                    keep("adoptions", _adoption(get, where, p), at)
                if any(get(c) for c in ("IN_TOUCH", "ACTIV", "ACCOM")):
                    keep("care_leavers", _care_leaver(get, where, p), at)

                def nested(
                    group: Element,
                    build: Callable[[Getter, Where, Problems], Any],
                    names: dict[str, str],
                    child_id: str | None = get("CHILD"),
                    dob: str | None = get("DOB"),
                ) -> Any:
                    g, w = _xml_getter(group, names, locate)

                    def get_with_id(column: str) -> str | None:
                        if column == "CHILD":
                            return child_id
                        value = g(column)
                        return dob if value is None and column == "DOB" else value

                    return build(get_with_id, w, p)

                for tag, field, build in _XML_GROUPS:
                    for parent, where_in in ((header, f"{place}/HEADER"), (child, place)):
                        for i, group in enumerate(parent.findall(tag), 1):
                            if tag == "PERMANENCE" and not (
                                group.findtext("PREV_PERM", "").strip()
                                or group.findtext("DATE_PERM", "").strip()
                            ):
                                continue
                            keep(field, nested(group, build, {}), f"{where_in}/{tag}[{i}]")
                for i, group in enumerate(child.findall("EPISODE"), 1):
                    keep(
                        "episodes",
                        nested(group, _episode, {"PLACE": "PL"}),
                        f"{place}/EPISODE[{i}]",
                    )
        except NotAReturn:
            raise
        except InputError as exc:
            if not p.collect:
                raise
            p.note(
                f"{exc.message}; everything after this point is not loaded",
                location=exc.location,
                kind="malformed",
            )
    into.sources.append(path)
    return p.issues


# -- finding the returns -------------------------------------------------------------------------


def _is_return_file(name: str) -> bool:
    return name.lower().endswith((".csv", ".xml"))


def _returns(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, list[str]]]:
    """Group the given files into returns: (label, files). Files in one directory are one
    return; an XML file is a return of its own; a directory holding no return files but
    subdirectories is a set of returns, one per subdirectory."""
    groups: dict[str, list[str]] = {}

    def add_dir(directory: str, depth: int) -> None:
        names = sorted(os.listdir(directory))
        files = [
            os.path.join(directory, n)
            for n in names
            if _is_return_file(n) and os.path.isfile(os.path.join(directory, n))
        ]
        if files:
            for f in files:
                add_file(f)
        elif depth == 0:
            for n in names:
                sub = os.path.join(directory, n)
                if os.path.isdir(sub):
                    add_dir(sub, 1)

    def add_file(name: str) -> None:
        key = name if name.lower().endswith(".xml") else os.path.dirname(os.path.abspath(name))
        group = groups.setdefault(key, [])
        if name not in group:
            group.append(name)

    for item in paths:
        name = os.fspath(item)
        if os.path.isdir(name):
            add_dir(name, 0)
        elif os.path.exists(name):
            add_file(name)
        else:
            raise NotAReturn("no such file or directory", path=name)
    if not groups:
        raise NotAReturn(
            f"no {_KIND} files (.csv or .xml) found", path=", ".join(os.fspath(p) for p in paths)
        )
    return list(groups.items())


# -- stitching --------------------------------------------------------------------------------


_DATED: dict[str, Callable[[Any], tuple[_dt.date | None, ...]]] = {
    "episodes": lambda r: (r.start_date, r.end_date),
    "reviews": lambda r: (r.date,),
    "missing": lambda r: (r.start_date, r.end_date),
    "placed_for_adoption": lambda r: (r.decision_date, r.ceased_date),
}


def _infer_year(ret: _Return) -> int | None:
    """The collection year of a return: the financial year of its latest episode date (or, with
    no episodes, of its latest review, missing or placed-for-adoption date)."""
    for field in ("episodes", "reviews", "missing", "placed_for_adoption"):
        dates = [
            d
            for record, _ in ret.records.get(field, ())
            for d in _DATED[field](record)
            if d is not None
        ]
        if dates:
            year = financial_year_number(max(dates))
            return year if year >= 1 else None  # dates of year 1 name no collection year
    return None


_KEYS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "episodes": lambda e: (e.child_id, e.start_date),
    "children": lambda c: (c.child_id,),
}


def _merge_children(ret: _Return) -> None:
    """Join a return's UASC rows to its Header rows: one Child per child (a child only in the
    UASC table keeps the UASC row's facts). Repeated rows are left for the stitcher to judge."""
    uasc_rows = ret.records.pop("_uasc", [])
    if not uasc_rows:
        return
    first_uasc: dict[str, Child] = {}
    repeats: list[tuple[Any, str]] = []
    out: list[tuple[Any, str]] = []
    for record, where in uasc_rows:
        if record.child_id in first_uasc:
            repeats.append((record, where))
        else:
            first_uasc[record.child_id] = record
    joined: set[str] = set()
    rows = ret.records.get("children", [])
    for record, where in rows:
        uasc = first_uasc.get(record.child_id)
        if uasc is not None:
            record = attrs.evolve(record, uasc=True, uasc_ceased=uasc.uasc_ceased)
            joined.add(record.child_id)
        out.append((record, where))
    for record, where in uasc_rows:
        if record.child_id not in joined and first_uasc.get(record.child_id) is record:
            out.append((record, where))
    ret.records["children"] = out + repeats


_YEARLY = ("health_outcomes", "care_leavers")
"""The kinds whose rows are about one collection year (OC2, OC3): each row is given its
return's collection year."""


def _stamp_year(ret: _Return) -> None:
    """Give every OC2 and OC3 row its return's collection year (when the row has none)."""
    if ret.year is None:
        return
    for field in _YEARLY:
        rows = ret.records.get(field)
        if rows:
            ret.records[field] = [
                (
                    r
                    if r.collection_year is not None
                    else attrs.evolve(r, collection_year=ret.year),
                    where,
                )
                for r, where in rows
            ]


def _year_name(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _start_year(record: Any) -> int | None:
    return financial_year_number(record.start_date)


def _row_year(record: Any) -> int | None:
    year: int | None = record.collection_year
    return year


_CODE_YEARS: dict[str, tuple[str, str, Callable[[Any], int | None], str]] = {
    # bundle field: (attribute, SSDA903 field, the record's year, what that year is)
    "episodes": ("placement", "PLACE", _start_year, "the year the episode started"),
    "care_leavers": ("activity", "ACTIV", _row_year, "the OC3 row's collection year"),
}
"""The coded values whose list changes between collection years, and the year each record's
value is judged by (every field of :data:`~csc_indicators.codes.YEAR_DEPENDENT_FIELDS`)."""


def _check_code_years(ret: _Return, issues: list[DataIssue], seen: set[tuple[str, Any]]) -> None:
    """Report each year-dependent code that its record's collection year did not use (a
    placement type before it existed, an activity code after it was replaced). The record is
    kept: the code is known, only its year is wrong."""
    for field, (attribute, item, year_of, which) in _CODE_YEARS.items():
        for record, where in ret.records.get(field, ()):
            year = year_of(record)
            lists = SSDA903_BY_YEAR.get(year) if year is not None else None
            code = getattr(record, attribute)
            if lists is None or code is None or code in lists[item] or (item, record) in seen:
                continue
            seen.add((item, record))
            accepted = " and ".join(_year_name(y) for y in years_accepting(item, code))
            issues.append(
                DataIssue(
                    f"{item} code {code} was not in use in {_year_name(year or 0)}, {which} "
                    f"(the {item} list has it in {accepted})",
                    record.child_id,
                    record,
                    "code year",
                    location=where,
                    field=item,
                    value=code,
                )
            )


def read_ssda903(
    paths: str
    | os.PathLike[str]
    | Iterable[str | os.PathLike[str]]
    | Mapping[int, str | os.PathLike[str] | Iterable[str | os.PathLike[str]]],
    *,
    errors: Errors = "raise",
) -> Bundle:
    """Read SSDA903 returns, one year or several, into a :class:`~csc_indicators.Bundle`.

    ``paths`` is a file, a directory, or a list of them. CSV files are the DfE tables (recognised
    by file name, else by columns; dates ``dd/mm/yyyy`` or ``yyyy-mm-dd``); ``.xml`` files are
    the ``EXPSSDA903`` form. The CSV files of one directory form one return; each XML file is
    one return; a directory with no such files but subdirectories holds one return per
    subdirectory. Each return's collection year is the financial year of its latest episode
    date (recorded in its :class:`~csc_indicators.SourceInfo`), unless ``paths`` is a mapping
    from collection year (2024 = 2024-25) to that year's files or directory, which says it.
    Each OC2 and OC3 record is given its return's collection year
    (``HealthOutcomeRecord.collection_year``, ``CareLeaverRecord.collection_year``), so that
    one young person's rows of several years stay apart.

    Returns are stitched: exact repeats of a record in several returns are loaded once; an
    episode (same child and start date) that differs between returns is taken from the latest
    return (a later return closes an episode an earlier one showed open); the child's header
    facts are taken from the latest return. Exact duplicates within one file, revisions and
    conflicts within one year are listed in ``Bundle.issues``.

    Raises:
        InputError: a path does not exist or nothing readable was found (in either mode); with
            ``errors="raise"`` (default), at the first problem, naming the file, line or
            element path, field and value. With ``errors="collect"`` every problem is listed
            in ``Bundle.issues`` instead and everything else is loaded.
    """
    check_errors(errors)
    groups: list[tuple[str, list[str], int | None]] = []
    if isinstance(paths, Mapping):
        for year, given in paths.items():
            if not isinstance(year, int):
                raise TypeError(f"the keys of a mapping of returns are years, not {year!r}")
            items = [given] if isinstance(given, (str, os.PathLike)) else list(given)
            files = [f for _, fs in _returns(items) for f in fs]
            groups.append((f"{year}", files, year))
    else:
        items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        groups = [(label, files, None) for label, files in _returns(items)]
    issues: list[DataIssue] = []
    returns: list[_Return] = []
    sources: list[SourceInfo] = []
    seen: set[tuple[str, Any]] = set()
    for label, files, given_year in groups:
        ret = _Return(label)
        for name in files:
            if name.lower().endswith(".xml"):
                issues.extend(_read_xml(name, errors, ret))
            else:
                issues.extend(_read_csv(name, errors, ret))
        _merge_children(ret)
        ret.year = given_year if given_year is not None else _infer_year(ret)
        _stamp_year(ret)
        _check_code_years(ret, issues, seen)
        returns.append(ret)
        sources.extend(
            SourceInfo(kind="SSDA903", path=s, collection_year=ret.year) for s in ret.sources
        )
    if not any(r.records for r in returns):
        raise NotAReturn(
            f"no {_KIND} table could be read", path=", ".join(r.location for r in returns)
        )
    stitched = stitch(returns, issues, _KEYS)
    fields: dict[str, Any] = {f: tuple(stitched[f]) for f in stitched}
    fields["sources"] = tuple(sources)
    fields["issues"] = tuple(issues)
    return Bundle(**fields)
