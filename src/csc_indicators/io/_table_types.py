"""The declaration types of the statutory returns' tables (:mod:`._tables`): :class:`Column`,
:class:`Table` and what they are made of."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from ..codes import CIN, CIN_BY_YEAR, SSDA903, SSDA903_BY_YEAR

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


def _c(name: str, field: str | None = None, type: Type = "text", **kw: Any) -> Column:
    return Column(name, field, type, **kw)


def code_list(table: Table, column: Column) -> frozenset[str]:
    """Every code the column accepts in some supported year, as read (its aliases replaced by
    the codes they are read as)."""
    return column.allowed
