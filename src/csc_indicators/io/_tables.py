"""The statutory returns' tables, declared once.

Each SSDA903 table and each CIN census group is one :class:`Table`: its DfE name, the record
kind it fills, and its :class:`Column` items, each with its DfE column name (SSDA903) or element
path below the group (CIN census), its type, its code list, whether a value is required, whether
the column must be present, and the record field it fills. The declarations drive:

* the readers (:mod:`._ssda903_csv`, :mod:`._ssda903_xml`, :mod:`.cin_census`): which columns a
  table needs, how each value is parsed and checked (:func:`build`), where it goes;
* the writers (:mod:`.writers`): which columns each file has, in which order, and how each
  field is written (:func:`text_of`);
* the tables of ``docs/records.md`` and ``docs/reading-returns.md`` (:func:`markdown`, checked
  by ``tests/test_tables.py``; rewrite them with ``python scripts/update_tables_doc.py``).

So one column is changed in one place: here.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType
from typing import Any, Literal

import attrs

from ..codes import CIN, CIN_BY_YEAR, SSDA903, SSDA903_BY_YEAR
from ..records import (
    AdoptionRecord,
    Assessment,
    CareLeaverRecord,
    Child,
    ChildProtectionPlan,
    CinChild,
    Episode,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47,
    TransferInConference,
)
from ..records._fields import POSTCODE_DISTRICT
from ._common import BadValue, Problems, convert
from ._values import _DATE_CACHE, parse_bool, parse_date, parse_int

_known_date = _DATE_CACHE.get

__all__ = [
    "CIN_TABLES",
    "TABLES",
    "Column",
    "Getter",
    "Table",
    "Where",
    "build",
    "markdown",
    "outward_code",
    "text_of",
]

Type = Literal[
    "id", "text", "date", "flag", "int", "code", "codes", "dates", "district", "partial date"
]
"""How a column's text becomes a value: ``id`` and ``text`` as written; ``date`` (dd/mm/yyyy or
yyyy-mm-dd); ``flag`` (1/0, true/false); ``int``; ``code`` (one code of a list, trimmed and
upper-cased); ``codes`` (a repeated element, each a code); ``dates`` (a repeated element, each a
date); ``district`` (a postcode, of which only the outward code is kept); ``partial date`` (a
date whose unknown parts may be written ``zz``, read as not recorded)."""

Presence = Literal["required", "optional", "extra", "xml"]
"""Whether an SSDA903 CSV table must have the column: ``required`` (the table is not loaded
without it), ``optional`` (older years' tables may lack it: its values are read as not recorded
and the absence is noted), ``extra`` (not read, or read when present and not missed), ``xml``
(an item of the XML form only, not a CSV column). CIN census items are all ``optional``."""

Getter = Callable[[str], str | None]
Where = Callable[[str | None], str]
"""The place of a column's value (``None``: of the record)."""


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(slots=True)
class Column:
    """One column of a table (one item of a group)."""

    name: str
    """The DfE column name (SSDA903) or the element path below the group (CIN census)."""
    field: str | None = None
    """The record field it fills; ``None``: not read."""
    type: Type = "text"
    """How its text becomes a value (see :data:`Type`)."""
    codes: str | None = None
    """The code list its codes come from: a key of ``codes.SSDA903_BY_YEAR[year]`` or
    ``codes.CIN_BY_YEAR[year]``."""
    required: bool = False
    """Whether a value must be given (a record without one is not loaded)."""
    presence: Presence = "required"
    """Whether an SSDA903 CSV table must have the column (see :data:`Presence`)."""
    breakdown: bool = False
    """A value used only to break figures down (sex, ethnicity, referral source, ...): a bad
    one is reported and read as not recorded, so that it never changes a figure; otherwise a
    bad value stops the record."""
    xml: str | None = None
    """The element name in the SSDA903 XML form, when it is not the column name."""
    aliases: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    """Codes read as others (``GenderCurrent`` 1 as M); the writer writes the first code read
    as a value."""
    doc: str = ""
    """What the column holds, for the documentation."""
    allowed: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    """Every code the column accepts in some supported year, as read (its aliases replaced by
    the codes they are read as); empty for a column without codes."""

    def __attrs_post_init__(self) -> None:
        allowed: frozenset[str] = frozenset()
        if self.codes is not None:
            lists = CIN if self.codes in CIN else SSDA903
            allowed = lists[self.codes] | frozenset(self.aliases.values())
        object.__setattr__(self, "allowed", allowed)

    @property
    def element(self) -> str:
        """The element name (or path) in the XML form."""
        return self.xml or self.name

    def lists(self) -> Mapping[int, frozenset[str]]:
        """The column's code list per supported collection year (empty: the year does not
        have the item); empty for a column without codes."""
        if self.codes is None:
            return {}
        by_year = CIN_BY_YEAR if self.codes in CIN else SSDA903_BY_YEAR
        return {year: lists.get(self.codes, frozenset()) for year, lists in by_year.items()}

    def in_year(self, year: int | None) -> bool:
        """Whether the collection year has the item (an item without codes: every year; an
        unknown or unsupported year: as the latest supported year)."""
        lists = self.lists()
        if not lists:
            return True
        return bool(lists.get(year, lists[max(lists)]) if year is not None else lists[max(lists)])


@attrs.frozen(slots=True)
class Table:
    """One SSDA903 table or one CIN census group: its columns and the records it gives."""

    name: str
    """The DfE table name (``Episodes``) or the census group (``CINdetails``)."""
    items: tuple[Column, ...]
    """Every column, in the DfE order."""
    aliases: tuple[str, ...]
    """File names (lower case, letters and digits only) that name this SSDA903 table."""
    field: str | None
    """The :class:`~csc_indicators.Bundle` field its records go to (``None``: not read)."""
    record: type | None = None
    """The record kind it gives."""
    what: str = "record"
    """The record, as problems name it (``episode``)."""
    xml: str | None = None
    """The element holding the group in the XML form (``EPISODE``, ``CINdetails``)."""
    file: str | None = None
    """The file the SSDA903 CSV writer writes the table to."""
    fixed: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen)
    """Field values every record of the table has (the UASC table: ``uasc=True``)."""
    returns: str = "SSDA903"
    """``SSDA903`` or ``CIN census``."""
    doc: str = ""
    """What the table holds, for the documentation."""
    read: tuple[Column, ...] = attrs.field(init=False, repr=False, eq=False)
    """The columns that fill a record field."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "read", tuple(c for c in self.items if c.field is not None))

    @property
    def columns(self) -> tuple[str, ...]:
        """Every DfE column of the CSV table, in the DfE order."""
        return tuple(c.name for c in self.items if c.presence != "xml")

    @property
    def required(self) -> tuple[str, ...]:
        """The columns that must be present for the table to be read."""
        return tuple(c.name for c in self.items if c.presence == "required")

    @property
    def optional(self) -> tuple[str, ...]:
        """The columns read when present, whose absence is noted (older years)."""
        return tuple(c.name for c in self.items if c.presence == "optional" and c.field)

    def column(self, name: str) -> Column:
        """The column of that name."""
        for c in self.items:
            if c.name == name:
                return c
        raise KeyError(name)


# -- the SSDA903 tables -------------------------------------------------------------------------


def _c(name: str, field: str | None = None, type: Type = "text", **kw: Any) -> Column:
    return Column(name, field, type, **kw)


_CHILD = _c("CHILD", "child_id", "id", required=True, xml="CHILDID", doc="the child's id")
_ID = _c("CHILD", "child_id", "id", required=True, doc="the child's id")
_DOB = _c("DOB", presence="extra", doc="date of birth (the Header's is read)")

TABLES: tuple[Table, ...] = (
    Table(
        "Header",
        (
            _CHILD,
            _c("SEX", "sex", "code", codes="SEX", presence="optional", doc="1 male, 2 female"),
            _c("DOB", "date_of_birth", "date", required=True, doc="date of birth"),
            _c(
                "ETHNIC",
                "ethnicity",
                "code",
                codes="ETHNIC",
                presence="optional",
                breakdown=True,
                doc="ethnicity (DfE main codes)",
            ),
            _c("UPN", presence="extra"),
            _c("MOTHER", presence="extra"),
            _c("MC_DOB", presence="extra"),
            _c("UASC", "uasc", "flag", presence="xml", doc="UASC at some time (XML form)"),
            _c("DUC", "uasc_ceased", "date", presence="xml", doc="date UASC status ceased"),
        ),
        ("header",),
        "children",
        Child,
        "child",
        "HEADER",
        "header.csv",
        doc="the child's fixed facts",
    ),
    Table(
        "Episodes",
        (
            _ID,
            _c("DECOM", "start_date", "date", required=True, doc="date the episode commenced"),
            _c("RNE", "reason_new_episode", "code", codes="RNE", required=True),
            _c("LS", "legal_status", "code", codes="LS", required=True),
            _c("CIN", "category_of_need", "code", codes="CIN", presence="optional"),
            _c("PLACE", "placement", "code", codes="PLACE", required=True, xml="PL"),
            _c(
                "PLACE_PROVIDER",
                "placement_provider",
                "code",
                codes="PLACE_PROVIDER",
                presence="optional",
            ),
            _c("DEC", "end_date", "date", doc="date the episode ceased"),
            _c("REC", "reason_ceased", "code", codes="REC"),
            _c(
                "REASON_PLACE_CHANGE",
                "reason_place_change",
                "code",
                codes="REASON_PLACE_CHANGE",
                presence="optional",
            ),
            _c("HOME_POST", presence="extra", doc="not read"),
            _c(
                "PL_POST",
                "placement_postcode_district",
                "district",
                presence="optional",
                breakdown=True,
                doc="the outward code only (the postcode district); the full postcode is not kept",
            ),
            _c("URN", presence="extra"),
        ),
        ("episodes",),
        "episodes",
        Episode,
        "episode",
        "EPISODE",
        "episodes.csv",
        doc="episodes of care",
    ),
    Table(
        "Reviews",
        (
            _ID,
            _DOB,
            _c("REVIEW", "date", "date", required=True, doc="date of the review"),
            _c("REVIEW_CODE", "participation", "code", codes="REVIEW_CODE", presence="optional"),
        ),
        ("reviews",),
        "reviews",
        LookedAfterReview,
        "review",
        "AREVIEW",
        "reviews.csv",
        doc="statutory reviews",
    ),
    Table(
        "UASC",
        (
            _ID,
            _c("SEX", "sex", "code", codes="SEX", presence="extra"),
            _c("DOB", "date_of_birth", "date", required=True),
            _c("DUC", "uasc_ceased", "date", doc="date UASC status ceased"),
        ),
        ("uasc",),
        "children",
        Child,
        "child",
        None,
        "uasc.csv",
        fixed={"uasc": True},
        doc="unaccompanied asylum-seeking children (joined to their Header row)",
    ),
    Table(
        "OC2",
        (
            _ID,
            _c("DOB", "date_of_birth", "date", presence="extra"),
            _c("SDQ_SCORE", "sdq_score", "int", presence="optional"),
            _c("SDQ_REASON", presence="extra"),
            _c("CONVICTED", "convicted", "flag"),
            _c("HEALTH_CHECK", "health_check", "flag"),
            _c("IMMUNISATIONS", "immunisations", "flag"),
            _c("TEETH_CHECK", "teeth_check", "flag"),
            _c("HEALTH_ASSESSMENT", "health_assessment", "flag", presence="optional"),
            _c("SUBSTANCE_MISUSE", "substance_misuse", "flag"),
            _c("INTERVENTION_RECEIVED", presence="extra"),
            _c("INTERVENTION_OFFERED", presence="extra"),
        ),
        ("oc2",),
        "health_outcomes",
        HealthOutcomeRecord,
        "OC2 record",
        "OC2",
        "oc2.csv",
        doc="health outcomes of children looked after for 12 months",
    ),
    Table(
        "OC3",
        (
            _ID,
            _c("DOB", "date_of_birth", "date", required=True),
            _c("IN_TOUCH", "in_touch", "code", codes="IN_TOUCH", required=True),
            _c("ACTIV", "activity", "code", codes="ACTIV", required=True),
            _c("ACCOM", "accommodation", "code", codes="ACCOM", required=True),
        ),
        ("oc3",),
        "care_leavers",
        CareLeaverRecord,
        "OC3 record",
        "HEADER",
        "oc3.csv",
        doc="care leavers around their birthday",
    ),
    Table(
        "AD1",
        (
            _ID,
            _DOB,
            _c("DATE_INT", "decision_date", "date"),
            _c("DATE_MATCH", "match_date", "date"),
            _c("FOSTER_CARE", "foster_carer", "flag"),
            _c("NB_ADOPTR", presence="extra"),
            _c("SEX_ADOPTR", presence="extra"),
            _c("LS_ADOPTR", presence="extra"),
        ),
        ("ad1",),
        "adoptions",
        AdoptionRecord,
        "AD1 record",
        "HEADER",
        "ad1.csv",
        doc="adoptions",
    ),
    Table(
        "PlacedAdoption",
        (
            _ID,
            _DOB,
            _c("DATE_PLACED", "decision_date", "date", required=True),
            _c("DATE_PLACED_CEASED", "ceased_date", "date"),
            _c("REASON_PLACED_CEASED", "ceased_reason", "code", codes="REASON_PLACED_CEASED"),
        ),
        ("placedforadoption", "placedadoption", "sbpfa"),
        "placed_for_adoption",
        PlacedForAdoption,
        "placed-for-adoption record",
        "AD_PLACED",
        "placed_for_adoption.csv",
        doc="decisions that the child should be placed for adoption",
    ),
    Table(
        "PrevPerm",
        (
            _ID,
            _DOB,
            _c("PREV_PERM", "option", "code", codes="PREV_PERM", required=True),
            _c("LA_PERM", presence="extra"),
            _c("DATE_PERM", "date", "partial date", doc="unknown parts may be zz"),
        ),
        ("previouspermanence", "prevperm"),
        "previous_permanence",
        PreviousPermanence,
        "previous permanence record",
        "PERMANENCE",
        "previous_permanence.csv",
        doc="permanence before this period of care",
    ),
    Table(
        "Missing",
        (
            _ID,
            _DOB,
            _c("MISSING", "kind", "code", codes="MISSING", required=True),
            _c("MIS_START", "start_date", "date", required=True),
            _c("MIS_END", "end_date", "date"),
        ),
        ("missing",),
        "missing",
        MissingEpisode,
        "missing episode",
        "AMISSING",
        "missing.csv",
        doc="missing or away from placement",
    ),
    Table(
        "SWEpisodes",
        (
            _c("CHILD"),
            _c("DOB", presence="extra"),
            _c("SW_ID", presence="extra"),
            _c("SW_DECOM", presence="extra"),
            _c("SW_DEC", presence="extra"),
            _c("SW_REASON", presence="extra"),
        ),
        ("sweepisodes", "swepisodes"),
        None,
        doc="social worker episodes (recognised, not read)",
    ),
    Table(
        "DoLo",
        (
            _c("CHILD"),
            _c("DOB", presence="extra"),
            _c("DOLO_START", presence="extra"),
            _c("DOLO_END", presence="extra"),
        ),
        ("dolo",),
        None,
        doc="deprivation of liberty orders (recognised, not read)",
    ),
)
"""The SSDA903 tables the reader recognises, in the order it reads them."""


# -- the CIN census groups ----------------------------------------------------------------------

_GENDER = {"1": "M", "2": "F", "0": "U", "9": "U"}
"""``GenderCurrent`` (up to 2023-24) read as ``Sex`` (from 2024-25); either element is read
with either list, as files of the change-over year mix them."""

CIN_TABLES: tuple[Table, ...] = (
    Table(
        "Child",
        (
            _c("ChildIdentifiers/LAchildID", "child_id", "id", required=True),
            _c("ChildIdentifiers/PersonBirthDate", "date_of_birth", "date", breakdown=True),
            _c(
                "ChildIdentifiers/Sex",
                "sex",
                "code",
                codes="Sex",
                breakdown=True,
                aliases=_GENDER,
                doc="M, F, U",
            ),
            _c(
                "ChildIdentifiers/GenderCurrent",
                "sex",
                "code",
                codes="GenderCurrent",
                breakdown=True,
                aliases=_GENDER,
                doc="1, 2, 0, 9, read as M, F, U, U",
            ),
            _c(
                "ChildCharacteristics/Ethnicity",
                "ethnicity",
                "code",
                codes="Ethnicity",
                breakdown=True,
            ),
            _c(
                "ChildCharacteristics/Disabilities/Disability",
                "disabilities",
                "codes",
                codes="Disability",
                breakdown=True,
            ),
        ),
        (),
        "cin_children",
        CinChild,
        "child's characteristics",
        "Child",
        returns="CIN census",
        doc="the child's characteristics",
    ),
    Table(
        "CINdetails",
        (
            _c("CINreferralDate", "date", "date", required=True),
            _c("ReferralSource", "referral_source", "code", codes="ReferralSource", breakdown=True),
            _c("PrimaryNeedCode", "primary_need", "code", codes="PrimaryNeedCode", breakdown=True),
            _c("CINclosureDate", "closure_date", "date"),
            _c("ReasonForClosure", "closure_reason", "code", codes="ReasonForClosure"),
            _c("ReferralNFA", "no_further_action", "flag", required=True),
        ),
        (),
        "referrals",
        Referral,
        "referral",
        "CINdetails",
        returns="CIN census",
        doc="a referral and its episode of need",
    ),
    Table(
        "Assessments",
        (
            _c("AssessmentActualStartDate", "start_date", "date", required=True),
            _c("AssessmentAuthorisationDate", "authorisation_date", "date"),
        ),
        (),
        "assessments",
        Assessment,
        "assessment",
        "CINdetails/Assessments",
        returns="CIN census",
        doc="a continuous assessment",
    ),
    Table(
        "Section47",
        (
            _c("S47ActualStartDate", "start_date", "date", required=True),
            _c("DateOfInitialCPC", "conference_date", "date"),
            _c("ICPCnotRequired", "conference_not_required", "flag", required=True),
        ),
        (),
        "section47s",
        Section47,
        "section 47 enquiry",
        "CINdetails/Section47",
        returns="CIN census",
        doc="a section 47 enquiry and its initial conference",
    ),
    Table(
        "Transfer-in",
        (_c("DateOfInitialCPC", "date", "date", required=True),),
        (),
        "transfer_ins",
        TransferInConference,
        "conference",
        "CINdetails",
        returns="CIN census",
        doc="a CINdetails DateOfInitialCPC with no Section47 group",
    ),
    Table(
        "ChildProtectionPlans",
        (
            _c("CPPstartDate", "start_date", "date", required=True),
            _c("CPPendDate", "end_date", "date"),
            _c("NumberOfPreviousCPP", "previous_plans", "int"),
            _c("Reviews/CPPreviewDate", "review_dates", "dates"),
        ),
        (),
        "plans",
        ChildProtectionPlan,
        "child protection plan",
        "CINdetails/ChildProtectionPlans",
        returns="CIN census",
        doc="a child protection plan",
    ),
)
"""The CIN census groups, each giving one record kind (element paths below ``Child``)."""

CIN_BY_NAME: Mapping[str, Table] = MappingProxyType({t.name: t for t in CIN_TABLES})
BY_NAME: Mapping[str, Table] = MappingProxyType({t.name: t for t in TABLES})


def code_list(table: Table, column: Column) -> frozenset[str]:
    """Every code the column accepts in some supported year, as read (its aliases replaced by
    the codes they are read as)."""
    return column.allowed


# -- reading a value ------------------------------------------------------------------------------


def outward_code(text: str) -> str | None:
    """The outward code (postcode district) of a UK postcode, ``None`` if it is not one:
    ``WV27 9FW`` and ``WV279FW`` -> ``WV27``; an outward code alone is returned as it is."""
    compact = re.sub(r"\s+", "", text.upper())
    candidates = [compact[:-3]] if len(compact) >= 5 else []
    if len(compact) <= 4:
        candidates.append(compact)
    for outward in candidates:
        if POSTCODE_DISTRICT.match(outward) and (
            len(compact) <= 4 or re.fullmatch(r"[0-9][A-Z]{2}", compact[-3:])
        ):
            return outward
    return None


_PARTIAL_DATE = re.compile(r"^[0-9zZ]{1,2}/[0-9zZ]{1,2}/[0-9zZ]{4}$")


class Group:
    """How a builder sees one row or element: ``get`` a column's text (``None``: blank or
    absent), ``get_all`` a repeated element's texts, ``where`` a column's place."""

    __slots__ = ("get", "get_all", "where")

    def __init__(
        self,
        get: Getter,
        where: Where,
        get_all: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.get = get
        self.where = where
        self.get_all = get_all or (lambda name: [t] if (t := get(name)) is not None else [])


def _value(table: Table, column: Column, row: Group, p: Problems, child: str | None) -> Any:
    """The value of one column (raises BadValue when the record cannot be loaded)."""
    name = column.name
    kind = column.type
    if kind in ("codes", "dates"):
        texts = row.get_all(name)
        if kind == "dates":
            return tuple(
                convert(t, name, partial(row.where, name), parse_date, required=True) for t in texts
            )
        out: list[str] = []
        allowed = code_list(table, column)
        for text in texts:
            code = text.strip().upper()
            code = column.aliases.get(code, code)
            if code in allowed or not column.breakdown:
                out.append(code)
            else:
                _unknown(table, column, row, p, child, text)
        return tuple(out)
    found = row.get(name)
    if found is None:
        if column.required and kind not in ("id", "code"):
            raise BadValue(name, None, "missing: a value is required", partial(row.where, name))
        return None
    text = found
    if kind == "date":
        known = _known_date(text)
        if known is not None:
            return known
        try:
            return parse_date(text)
        except ValueError:
            if column.breakdown:
                _unknown(table, column, row, p, child, text, "not a date")
                return None
            return convert(text, name, partial(row.where, name), parse_date)
    if kind == "code":
        code = text.upper()
        if column.aliases:
            code = column.aliases.get(code, code)
        if column.breakdown and code and code not in column.allowed:
            _unknown(table, column, row, p, child, text)
            return None
        return code
    if kind == "flag":
        try:
            return parse_bool(text)
        except ValueError:
            return convert(text, name, partial(row.where, name), parse_bool)
    if kind == "int":
        try:
            return parse_int(text)
        except ValueError:
            return convert(text, name, partial(row.where, name), parse_int)
    if kind == "district":
        outward = outward_code(text)
        if outward is None:
            # The full text is never quoted: it may be a postcode.
            p.note(
                f"{name} is not a postcode; read as not recorded",
                location=row.where(name),
                field=name,
                kind="input",
                child_id=child,
            )
        return outward
    if kind == "partial date":
        if "z" in text.lower() and _PARTIAL_DATE.match(text):
            # The SSDA903 guide lets an unknown part of a date be written "zz".
            p.note(
                f"{name} is only partly known (zz); read as not recorded",
                location=row.where(name),
                field=name,
                value=text,
                kind="partial date",
                child_id=child,
            )
            return None
        return convert(text, name, partial(row.where, name), parse_date)
    return text


def _unknown(
    table: Table,
    column: Column,
    row: Group,
    p: Problems,
    child: str | None,
    text: str,
    problem: str | None = None,
) -> None:
    """Report a bad value of a breakdown column, read as not recorded (never raised)."""
    item = column.name.rsplit("/", 1)[-1]
    if problem is None:
        listed = ", ".join(sorted(code_list(table, column) | frozenset(column.aliases)))
        problem = f"unknown {item} code; expected one of {listed}"
    p.note(
        f"{problem}; read as not recorded",
        location=row.where(column.name),
        field=item,
        value=text,
        kind="unknown code" if problem.startswith("unknown") else "input",
        child_id=child,
    )


def build(table: Table, row: Group, p: Problems, *, child_id: str | None = None) -> Any | None:
    """The record of one row (or element) of ``table``; ``None`` when it cannot be loaded (the
    problem is reported). ``child_id`` is the child's id when the table has no id column (the
    CIN census groups below a ``Child``)."""
    record = table.record
    assert record is not None
    child = child_id
    values: dict[str, Any] = dict(table.fixed)
    if child_id is not None:
        values["child_id"] = child_id
    try:
        for column in table.read:
            if column.type == "id":
                child = row.get(column.name)
                values["child_id"] = child or ""
                continue
            field = column.field
            assert field is not None
            value = _value(table, column, row, p, child)
            if values.get(field) in (None, ()):
                values[field] = value
    except BadValue as exc:
        p.bad(exc, table.what, child)
        return None
    if record is Child and not table.fixed.get("uasc"):
        values["uasc"] = bool(values.get("uasc")) or values.get("uasc_ceased") is not None
    return p.build(record, lambda item: row.where(_column_of(table, item)), table.what, **values)


def _column_of(table: Table, item: str) -> str:
    """The column of a record field's statutory item (its ``metadata["item"]``)."""
    for column in table.read:
        if column.name == item or column.name.endswith("/" + item):
            return column.name
    return item


# -- writing a value ------------------------------------------------------------------------------


def text_of(
    column: Column,
    value: Any,
    *,
    dates: Callable[[_dt.date | None], str],
    flags: tuple[str, str] = ("1", "0"),
) -> list[str]:
    """The texts a field's value is written as (several for a repeated element; none when
    blank)."""
    if value is None or value == ():
        return []
    kind = column.type
    if kind in ("codes", "dates"):
        return [dates(v) if kind == "dates" else _write_code(column, v) for v in value]
    if kind in ("date", "partial date"):
        return [dates(value)]
    if kind == "flag":
        return [flags[0] if value else flags[1]]
    if kind == "int":
        return [str(value)]
    if kind == "code":
        return [_write_code(column, value)]
    return [str(value)]


def _write_code(column: Column, code: str) -> str:
    """A code as the column writes it: itself if the column's list has it, else the code its
    aliases read as it (``M`` in ``GenderCurrent``: 1)."""
    own = frozenset().union(*column.lists().values())
    if code in own or not column.aliases:
        return code
    for written, read in column.aliases.items():
        if read == code and written in own:
            return written
    return code


# -- documentation --------------------------------------------------------------------------------


def _codes_cell(column: Column) -> str:
    lists = column.lists()
    if not lists:
        return ""
    cell = f"`{column.codes}`"
    if len({codes for codes in lists.values() if codes}) > 1:
        cell += " (changes by year)"
    years = [y for y, codes in lists.items() if codes]
    if years[0] != min(lists):
        cell += f" ({years[0]}-{(years[0] + 1) % 100:02d} on)"
    elif years[-1] != max(lists):
        cell += f" (to {years[-1]}-{(years[-1] + 1) % 100:02d})"
    return cell


def signature(record: type) -> str:
    """``Referral(child_id, date, closure_date=None, ...)``: a record's constructor."""
    parts = []
    for a in attrs.fields(record):
        if a.default is attrs.NOTHING:
            parts.append(a.name)
        else:
            default = a.default.factory() if isinstance(a.default, attrs.Factory) else a.default  # type: ignore[arg-type]
            parts.append(f"{a.name}={default!r}")
    return f"{record.__name__}({', '.join(parts)})"


def markdown(returns: str) -> str:
    """The tables of ``docs/records.md`` for one return (``SSDA903`` or ``CIN census``): per
    table, the record it gives and each column read, with the record field it fills, its
    type, code list and whether it is required."""
    out: list[str] = []
    tables = TABLES if returns == "SSDA903" else CIN_TABLES
    for table in tables:
        if table.record is None:
            continue
        where = f"`{table.xml}`" if returns == "CIN census" else f"{table.name}"
        out.append(f"**{where}**: {table.doc}, `{signature(table.record)}`\n")
        out.append("| column | field | type | codes, notes | required |")
        out.append("|---|---|---|---|---|")
        for column in table.items:
            if column.field is None:
                continue
            name = f"`{column.name}`"
            if column.xml and column.presence != "xml":
                name += f" (XML `{column.xml}`)"
            if column.presence == "xml":
                name += " (XML only)"
            if column.required:
                need = "yes"
            elif column.presence == "optional" and returns == "SSDA903":
                need = "no; the column may be absent"
            else:
                need = "no"
            notes = [n for n in (_codes_cell(column), column.doc) if n]
            if column.breakdown:
                notes.append("breakdown: a bad value is read as not recorded")
            out.append(
                f"| {name} | `{column.field}` | {column.type} | {'; '.join(notes)} | {need} |"
            )
        ignored = [c.name for c in table.items if c.field is None]
        if ignored:
            out.append(f"\nNot read: {', '.join(ignored)}.")
        out.append("")
    return "\n".join(out)


def summary(returns: str) -> str:
    """The table of ``docs/reading-returns.md`` for one return: each table (or group), the
    columns read and the record kind."""
    if returns == "SSDA903":
        out = ["| Table | Columns read | Records |", "|---|---|---|"]
        for table in TABLES:
            if table.record is None:
                continue
            names = ", ".join(c.name for c in table.read if c.presence != "xml")
            out.append(f"| {table.name} | {names} | `{table.record.__name__}` |")
    else:
        out = ["| Census group | Items read | Record |", "|---|---|---|"]
        for table in CIN_TABLES:
            assert table.record is not None
            names = ", ".join(f"`{c.name}`" for c in table.read)
            out.append(f"| `{table.xml}` | {names} | `{table.record.__name__}` |")
    return "\n".join(out) + "\n"


GENERATED = {
    "docs/records.md": {"CIN census": markdown, "SSDA903": markdown},
    "docs/reading-returns.md": {"CIN census": summary, "SSDA903": summary},
}
"""The documentation pages and the generated part of each, by return."""

BEGIN = "<!-- generated from the table declarations: {} -->"
END = "<!-- end of generated tables -->"


def regenerate(text: str, page: str) -> str:
    """The page's text with each generated part rewritten from the declarations."""
    for returns, make in GENERATED[page].items():
        begin = BEGIN.format(returns)
        head, found, rest = text.partition(begin)
        if not found:
            raise ValueError(f"{page} has no {begin!r} marker")
        _, found, tail = rest.partition(END)
        if not found:
            raise ValueError(f"{page}: {begin!r} is not closed by {END!r}")
        text = f"{head}{begin}\n\n{make(returns)}\n{END}{tail}"
    return text
