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
from typing import Any, Literal, Protocol

import attrs

from ..codes import CIN, CIN_BY_YEAR, SSDA903, SSDA903_BY_YEAR
from ..errors import RecordError
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


class Row(Protocol):
    """What a builder reads one row or element through (a :class:`Group`, or an
    :class:`~._elements.ElementGroup`)."""

    def get(self, name: str, /) -> str | None: ...

    def get_all(self, name: str, /) -> list[str]: ...

    def where(self, name: str | None, /) -> str: ...


Fast = Callable[[str], Any]
"""A value from its text, raising ValueError when the text needs the column's slow path."""
Slow = Callable[[Any, Row, Problems, "str | None"], Any]
"""A value from its text (or a repeated element's texts), reporting or raising a bad one."""


def _readers(table: Table, column: Column) -> tuple[Fast | None, Slow | None]:
    """How one column's text becomes a value: a quick conversion for good text (``None``: the
    text itself) and what is done when it raises ValueError (report the value, read it as not
    recorded, or raise BadValue); for a repeated element, ``(None, read every text)``."""
    name = column.name
    kind = column.type
    breakdown = column.breakdown

    def bad(parse: Callable[[str], Any]) -> Slow:
        def slow(text: str, row: Row, p: Problems, child: str | None) -> Any:
            return convert(text, name, partial(row.where, name), parse)

        return slow

    if kind == "dates":

        def read_dates(texts: list[str], row: Row, p: Problems, child: str | None) -> Any:
            return tuple(
                convert(t, name, partial(row.where, name), parse_date, required=True) for t in texts
            )

        return None, read_dates
    if kind == "codes":
        allowed = code_list(table, column)
        aliases = column.aliases

        def read_codes(texts: list[str], row: Row, p: Problems, child: str | None) -> Any:
            out: list[str] = []
            for text in texts:
                code = text.strip().upper()
                code = aliases.get(code, code)
                if code in allowed or not breakdown:
                    out.append(code)
                else:
                    _unknown(table, column, row, p, child, text)
            return tuple(out)

        return None, read_codes
    if kind == "date":
        if not breakdown:
            return parse_date, bad(parse_date)

        def not_a_date(text: str, row: Row, p: Problems, child: str | None) -> Any:
            _unknown(table, column, row, p, child, text, "not a date")
            return None

        return parse_date, not_a_date
    if kind == "code":
        aliases = column.aliases
        allowed = column.allowed
        if not breakdown:
            if not aliases:
                return str.upper, None
            return (lambda text: aliases.get(code := text.upper(), code)), None

        def known_code(text: str) -> str:
            code = text.upper()
            if aliases:
                code = aliases.get(code, code)
            if code and code not in allowed:
                raise ValueError(code)
            return code

        def unknown_code(text: str, row: Row, p: Problems, child: str | None) -> Any:
            _unknown(table, column, row, p, child, text)
            return None

        return known_code, unknown_code
    if kind == "flag":
        return parse_bool, bad(parse_bool)
    if kind == "int":
        return parse_int, bad(parse_int)
    if kind == "district":

        def district(text: str) -> str:
            outward = outward_code(text)
            if outward is None:
                raise ValueError(text)
            return outward

        def not_a_postcode(text: str, row: Row, p: Problems, child: str | None) -> Any:
            # The full text is never quoted: it may be a postcode.
            p.note(
                f"{name} is not a postcode; read as not recorded",
                location=row.where(name),
                field=name,
                kind="input",
                child_id=child,
            )
            return None

        return district, not_a_postcode
    if kind == "partial date":

        def known_date(text: str) -> Any:
            if "z" in text.lower() and _PARTIAL_DATE.match(text):
                raise ValueError(text)
            return parse_date(text)

        def partly_known(text: str, row: Row, p: Problems, child: str | None) -> Any:
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

        return known_date, partly_known
    return None, None


def _unknown(
    table: Table,
    column: Column,
    row: Row,
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


_PROLOGUE = {
    "row": ("get = row.get",),
    "xml": ("node = row.node", "names = row.names", "inherited = row.inherited"),
    "csv": ("values = row.values", "index = row.index"),
}
"""The lines a generated builder runs once per row, by kind of row (see :func:`_fetch`)."""


def _fetch(fetch: str, name: str, element: str, heads: dict[str, str]) -> list[str]:
    """The lines of a generated builder finding the text ``t`` of the column ``name`` (whose
    XML element path is ``element``; ``None``: absent or blank), by kind of row: ``row``, any
    :class:`Row`, through its ``get``; ``xml``, an :class:`~._elements.ElementGroup`, as its
    ``get`` does, inline (the elements of an element path's parent, found once per row, are
    kept in a local variable named in ``heads``); ``csv``, a :class:`~._ssda903_csv.Line`."""
    column = repr(name)
    if fetch == "row":
        return [f"t = get({column})"]
    if fetch == "csv":
        return [f"i = index.get({column})", "t = None if i is None else values[i] or None"]
    head, _, last = element.rpartition("/")
    if head and "/" not in head:
        local = heads.setdefault(head, f"h{len(heads)}")
        find = [
            f"if tag == {element!r}:",
            f"    if {local} is None:",
            f"        {local} = node.findall({head!r})",
            f"    found = {local}[0].findall({last!r}) if len({local}) == 1 else row.elements(tag)",
            "else:",
            '    found = node.findall(tag) if "/" not in tag else row.elements(tag)',
        ]
    else:
        find = ['found = node.findall(tag) if "/" not in tag else row.elements(tag)']
    return [
        f"if inherited and {column} in inherited:",
        f"    t = row.get({column})",
        "else:",
        f"    tag = names.get({column}, {column})",
        *(f"    {line}" for line in find),
        "    if len(found) == 1:",
        "        t = found[0].text",
        "        t = (t.strip() or None) if t else None",
        "    else:",
        "        t = row.first(tag, found)",
    ]


_STEP_ID, _STEP_ONE, _STEP_REQUIRED, _STEP_MANY = range(4)
"""How a step reads its column: the child's id, one value, one required value, every value of
a repeated element."""


class Builder:
    """One table's declaration compiled into what reading a row takes: per column read, in the
    declared order, its name, the place of its field among the record's constructor arguments,
    how it is read and its converters, bound once; the record is built from its arguments by
    position. The behaviour is :func:`build`'s (see there); only the work per row is less."""

    __slots__ = (
        "child",
        "csv",
        "has_id",
        "keys",
        "read",
        "record",
        "sources",
        "start",
        "steps",
        "table",
        "uasc",
        "what",
        "xml",
    )

    def __init__(self, table: Table) -> None:
        record = table.record
        assert record is not None
        self.table = table
        self.record = record
        self.what = table.what
        fields = attrs.fields(record)
        slot = {a.name: i for i, a in enumerate(fields)}
        # The record's other fields take their default (a constant: a factory's value is made
        # per record, which the builder does not do).
        start: list[Any] = [
            a.default if a.default is not attrs.NOTHING and not _factory(a) else None
            for a in fields
        ]
        keys: dict[str, None] = {}
        for name, value in table.fixed.items():
            start[slot[name]] = value
            keys[name] = None
        keys["child_id"] = None  # given, or read from the id column
        filled = set(table.fixed)
        steps: list[tuple[str, int, int, bool, Fast | None, Slow | None]] = []
        for column in table.read:
            field = column.field
            assert field is not None
            if column.type == "id":
                mode = _STEP_ID
            elif column.type in ("codes", "dates"):
                mode = _STEP_MANY
            elif column.required and column.type != "code":
                mode = _STEP_REQUIRED
            else:
                mode = _STEP_ONE
            # A field filled before (by another column, a fixed value or the child's id
            # given): the first value that is not None or () is kept.
            shared = field in filled
            fast, slow = _readers(table, column)
            steps.append((column.name, slot[field], mode, shared, fast, slow))
            filled.add(field)
            keys.setdefault(field, None)
        for a in fields:
            if a.name not in filled | {"child_id", "uasc"} and (
                a.default is attrs.NOTHING or _factory(a)
            ):
                raise ValueError(f"{table.name}: {record.__name__}.{a.name} is not filled")
        self.uasc: tuple[int, int] | None = None
        if record is Child and not table.fixed.get("uasc"):
            self.uasc = (slot["uasc"], slot["uasc_ceased"])
        self.steps = tuple(steps)
        self.child = slot["child_id"]
        self.has_id = any(step[2] == _STEP_ID for step in steps)
        self.start = tuple(start)
        self.keys = tuple(keys)
        self.sources: dict[str, str] = {}
        """The generated source of each reading function, by kind of row."""
        self.read = self._compile("row")
        """Reads any :class:`Row` (``build`` calls it)."""
        self.xml = self._compile("xml")
        """Reads an :class:`~._elements.ElementGroup`."""
        self.csv = self._compile("csv")
        """Reads a :class:`~._ssda903_csv.Line` of an SSDA903 CSV table."""

    def __call__(self, row: Row, p: Problems, child_id: str | None = None) -> Any | None:
        return self.read(row, p, child_id)

    def _compile(self, fetch: str) -> Callable[..., Any]:
        """The function reading one row, generated from the steps: one block of straight-line
        code per column, its name and field inlined, its converters bound as globals;
        ``fetch`` is how a column's text is found (see :func:`_fetch`)."""
        env: dict[str, Any] = {
            "BadValue": BadValue,
            "RecordError": RecordError,
            "partial": partial,
            "record": self.record,
            "START": self.start,
            "WHAT": self.what,
            "DATE_GET": _DATE_CACHE.get,
            "report": self._report,
        }
        n = len(self.start)
        args = ", ".join(f"f{j}" for j in range(n))
        lines = [
            "def read(row, p, child_id=None):",
            f"    {args}{',' if n == 1 else ''} = START",
            "    child = child_id",
            "    if child_id is not None:",
            f"        f{self.child} = child_id",
            *(f"    {line}" for line in _PROLOGUE[fetch]),
        ]
        heads: dict[str, str] = {}
        elements = {c.name: c.element for c in self.table.read}
        body = ["    try:"]
        for k, (name, at, mode, shared, fast, slow) in enumerate(self.steps):
            env[f"FAST{k}"] = fast
            env[f"SLOW{k}"] = slow
            column = repr(name)
            out: list[str] = []
            if mode == _STEP_MANY:
                out.append(f"v = SLOW{k}(row.get_all({column}), row, p, child)")
            else:
                out.extend(_fetch(fetch, name, elements[name], heads))
                if mode == _STEP_ID:
                    out += ["child = t", f'f{at} = t or ""']
                    body.extend(f"        {line}" for line in out)
                    continue
                out.append("if t is None:")
                if mode == _STEP_REQUIRED:
                    out.append(
                        f"    raise BadValue({column}, None, 'missing: a value is required', "
                        f"partial(row.where, {column}))"
                    )
                else:
                    out.append("    v = None")
                if fast is None:
                    out.append("else: v = t")
                elif fast is str.upper:
                    out.append("else: v = t.upper()")
                elif slow is None:
                    out.append(f"else: v = FAST{k}(t)")
                else:
                    out.append("else:")
                    parse = [
                        "try:",
                        f"    v = FAST{k}(t)",
                        "except ValueError:",
                        f"    v = SLOW{k}(t, row, p, child)",
                    ]
                    if fast is parse_date:
                        # A date already read is looked up first (as parse_date does, in C).
                        parse = ["v = DATE_GET(t)", "if v is None:", *(f"    {b}" for b in parse)]
                    out.extend(f"    {b}" for b in parse)
            if shared:
                out.append(f"if f{at} is None or f{at} == (): f{at} = v")
            else:
                out.append(f"f{at} = v")
            body.extend(f"        {line}" for line in out)
        lines += [f"    {local} = None" for local in heads.values()]
        lines += body
        lines += [
            "    except BadValue as exc:",
            "        p.bad(exc, WHAT, child)",
            "        return None",
        ]
        if self.uasc is not None:
            u, ceased = self.uasc
            lines.append(f"    f{u} = bool(f{u}) or f{ceased} is not None")
        build = [
            "try:",
            f"    return record({args})",
            "except RecordError:",
            "    pass  # built again below, to report the problem with its place",
        ]
        if self.has_id:
            lines += [f"    {line}" for line in build]
            lines.append(f"    return report(row, p, [{args}], True)")
        else:
            # Without the child's id, the record is built as build() always did (by name).
            lines += ["    if child_id is not None:", *(f"        {line}" for line in build)]
            lines.append(f"    return report(row, p, [{args}], child_id is not None)")
        source = "\n".join(lines) + "\n"
        code = compile(source, f"<{self.table.name} builder ({fetch})>", "exec")
        exec(code, env)  # our own source, generated from the declarations
        self.sources[fetch] = source
        function: Callable[..., Any] = env["read"]
        return function

    def _report(self, row: Row, p: Problems, values: list[Any], given: bool) -> Any | None:
        """Build the record with keyword arguments, as :func:`build` always did, reporting a
        RecordError with the place of the offending value."""
        table = self.table
        names = [a.name for a in attrs.fields(self.record)]
        by_name = dict(zip(names, values, strict=True))
        kwargs = {k: by_name[k] for k in self.keys if k != "child_id" or given}
        if self.uasc is not None:
            kwargs["uasc"] = by_name["uasc"]
        return p.build(
            self.record, lambda item: row.where(_column_of(table, item)), self.what, **kwargs
        )


def _factory(a: attrs.Attribute[Any]) -> bool:
    return isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]


_BUILDERS: dict[int, tuple[Table, Builder]] = {}


def builder(table: Table) -> Builder:
    """The table's compiled :class:`Builder` (made once per table)."""
    found = _BUILDERS.get(id(table))
    if found is None or found[0] is not table:
        found = _BUILDERS[id(table)] = (table, Builder(table))
    return found[1]


def build(table: Table, row: Row, p: Problems, *, child_id: str | None = None) -> Any | None:
    """The record of one row (or element) of ``table``; ``None`` when it cannot be loaded (the
    problem is reported). ``child_id`` is the child's id when the table has no id column (the
    CIN census groups below a ``Child``).

    Each column read is read in the declared order, each value converted as its type says; a
    field filled by two columns keeps the first value that is not ``None`` or ``()``. A bad
    value stops the record (:class:`BadValue`, reported), except in a breakdown column, where
    it is reported and read as not recorded. Readers reading many rows of one table call its
    :func:`builder` directly."""
    return builder(table)(row, p, child_id)


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
