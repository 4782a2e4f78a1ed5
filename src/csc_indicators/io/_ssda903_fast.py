"""The SSDA903 readers' fast path: a clean row made into its record with no per-value checks.

Most rows of a return are clean: every value converts, every code is on its list, and the
record's own converters and validators would accept the values unchanged. The values of one
column repeat (dates, codes, flags), so each column keeps a cache of the texts it has seen to be
clean, with the value each gives; a row whose texts are all in the caches (the child's id is
checked on its own: any non-blank text is one) is built at once with
:func:`~csc_indicators.records._trusted.trusted_maker`, skipping the converters and validators
it has already passed.

A text not yet cached is judged once: converted as the table builder converts it
(:mod:`._build`), then run through the record field's converter, which must leave it as it is,
and validator, which must accept it. Anything else (a blank required value, a text that does not
convert, a breakdown value that would be reported, a code the field refuses) is not judged here:
the row is handed to the table's builder, which reads, reports and loads it exactly as it always
has. The fast path therefore loads only what the builder would load, as it would, and never
reports anything itself.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ..records import Child
from ..records._trusted import trusted_maker
from ._table_types import Column, Table
from ._tables import outward_code
from ._values import parse_bool, parse_date, parse_int

__all__ = ["MISS", "GroupMaker", "RowMaker", "group_maker", "row_maker"]

USE_FAST_PATH = True
"""Whether the readers take the fast path (the tests compare it with the builder alone)."""

MISS: Any = object()
"""A text the fast path does not judge (the row goes to the builder)."""

CACHE_LIMIT = 16_384
"""Texts cached per column at most (a hostile file of all-different values cannot grow the
caches beyond this: its texts are judged each time instead)."""

TEXT_LIMIT = 64
"""Characters of the longest text cached (dates, codes and flags are a few)."""

RowMaker = Callable[[Sequence[str | None]], Any]
"""Texts (a CSV row's stripped values, ``""`` when blank; or an XML group's texts in step order,
``None`` when absent or blank) -> the record, or ``None``: the row needs the builder."""

_PARTIAL_DATE = re.compile(r"^[0-9zZ]{1,2}/[0-9zZ]{1,2}/[0-9zZ]{4}$")


def _converter(column: Column) -> Callable[[str], Any] | None:
    """How the table builder converts a clean text of the column (``None``: not handled here).
    The conversion raises ValueError, or returns :data:`MISS`, for any text the builder would
    not simply convert (a bad value, one it would report)."""
    kind = column.type
    aliases = column.aliases
    if kind in ("id", "text"):
        return str
    if kind == "date":
        return parse_date
    if kind == "flag":
        return parse_bool
    if kind == "int":
        return parse_int
    if kind == "code":
        allowed = column.allowed
        breakdown = column.breakdown

        def code(text: str) -> Any:
            value = text.upper()
            if aliases:
                value = aliases.get(value, value)
            if breakdown and value and value not in allowed:
                return MISS  # reported by the builder, read as not recorded
            return value

        return code
    if kind == "district":

        def district(text: str) -> Any:
            outward = outward_code(text)
            return MISS if outward is None else outward

        return district
    if kind == "partial date":

        def known_date(text: str) -> Any:
            if "z" in text.lower() and _PARTIAL_DATE.match(text):
                return MISS  # partly known: noted by the builder
            return parse_date(text)

        return known_date
    return None  # repeated elements ("codes", "dates"): always the builder


class _Step:
    """One column read: where its value goes and how a text of it is judged."""

    __slots__ = ("cache", "column", "convert", "field", "judge", "kind", "slot", "validate")

    def __init__(
        self, column: Column, slot: int, attribute: attrs.Attribute[Any], validate: bool
    ) -> None:
        self.column = column
        self.kind = column.type
        self.slot = slot
        self.field = attribute
        self.validate = validate
        convert = _converter(column)
        assert convert is not None
        self.convert = convert
        self.cache: dict[str | None, Any] = {}

    def value(self, text: str | None) -> Any:
        """The field value of a text (cached when clean), or :data:`MISS`."""
        column = self.column
        if not text:
            if self.kind == "id" or (column.required and column.type != "code"):
                return MISS  # missing: reported by the builder
            value: Any = None
        else:
            try:
                value = self.convert(text)
            except ValueError:
                return MISS
            if value is MISS:
                return MISS
        if self.validate:
            attribute = self.field
            converted = value
            if attribute.converter is not None:
                try:
                    converted = attribute.converter(value)  # type: ignore[operator]
                except Exception:
                    return MISS
                if type(converted) is not type(value) or converted != value:
                    return MISS
            if attribute.validator is not None:
                try:
                    attribute.validator(None, attribute, converted)
                except Exception:
                    return MISS
            value = converted
        if (
            self.kind != "id"
            and len(self.cache) < CACHE_LIMIT
            and (text is None or len(text) <= TEXT_LIMIT)
        ):
            self.cache[text] = value
        return value


def _valid(attribute: attrs.Attribute[Any], value: Any) -> bool:
    """Whether the record field takes the value as it is."""
    try:
        if attribute.converter is not None:
            converted = attribute.converter(value)  # type: ignore[operator]
            if type(converted) is not type(value) or converted != value:
                return False
        if attribute.validator is not None:
            attribute.validator(None, attribute, value)
    except Exception:
        return False
    return True


class _Plan:
    """A table's columns read, in the declared order, as the fast path reads them."""

    __slots__ = ("constants", "make", "steps", "uasc")

    def __init__(self, table: Table) -> None:
        record = table.record
        if record is None:
            raise _Unsupported(table.name)  # recognised, not read
        fields = attrs.fields(record)
        slot = {a.name: i for i, a in enumerate(fields)}
        self.uasc: tuple[int, int] | None = None
        if record is Child and not table.fixed.get("uasc"):
            self.uasc = (slot["uasc"], slot["uasc_ceased"])
        filled: set[str] = set()
        steps: list[_Step] = []
        for column in table.read:
            field = column.field
            assert field is not None
            if field in filled or field in table.fixed or _converter(column) is None:
                raise _Unsupported(table.name)  # shared fields, repeated elements
            filled.add(field)
            at = slot[field]
            # The UASC flag is combined with the date ceased below: the result is checked.
            validate = self.uasc is None or at != self.uasc[0]
            steps.append(_Step(column, at, fields[at], validate))
        if not any(s.kind == "id" for s in steps):
            raise _Unsupported(table.name)  # the child's id comes from the caller
        constants: dict[int, Any] = {}
        for i, a in enumerate(fields):
            if a.name in filled:
                continue
            if a.name in table.fixed:
                value = table.fixed[a.name]
            elif a.default is attrs.NOTHING or isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                raise _Unsupported(table.name)
            else:
                value = a.default
            if not _valid(a, value):
                raise _Unsupported(table.name)
            constants[i] = value
        self.constants = constants
        self.steps = tuple(steps)
        self.make = trusted_maker(record)


class _Unsupported(Exception):
    """A table the fast path does not read (the builder reads every row)."""


_PLANS: dict[int, tuple[Table, _Plan | None]] = {}


def _plan(table: Table) -> _Plan | None:
    found = _PLANS.get(id(table))
    if found is None or found[0] is not table:
        try:
            plan: _Plan | None = _Plan(table)
        except _Unsupported:
            plan = None
        found = _PLANS[id(table)] = (table, plan)
    return found[1]


_MAKERS: dict[tuple[int, tuple[int | None, ...]], tuple[Table, RowMaker | None]] = {}


def row_maker(table: Table, places: Sequence[int | None]) -> RowMaker | None:
    """The fast path for ``table``'s rows whose text of the *k*-th column read
    (:attr:`Table.read`) is at ``places[k]`` of the texts given (``None``: the column is absent,
    read as blank); ``None`` when the table is always read by its builder."""
    if not USE_FAST_PATH:
        return None
    key = (id(table), tuple(places))
    found = _MAKERS.get(key)
    if found is None or found[0] is not table:
        plan = _plan(table)
        maker = None if plan is None else _compile(table, plan, tuple(places))
        found = _MAKERS[key] = (table, maker)
    return found[1]


def _compile(table: Table, plan: _Plan, places: tuple[int | None, ...]) -> RowMaker | None:
    """Generate the function making a clean row's record (straight-line code per column)."""
    env: dict[str, Any] = {"MISS": MISS, "MAKE": plan.make}
    values: dict[int, str] = {}
    body: list[str] = []
    for k, (step, place) in enumerate(zip(plan.steps, places, strict=True)):
        local = f"f{step.slot}"
        values[step.slot] = local
        if place is None:
            value = step.value(None)  # absent: as blank, the same for every row
            if value is MISS:
                return None  # never clean: the builder reads every row
            env[f"K{k}"] = value
            body.append(f"{local} = K{k}")
            continue
        if step.kind == "id":
            body += [f"{local} = texts[{place}]", f"if not {local}: return None"]
            continue
        env[f"C{k}"] = step.cache.get
        env[f"J{k}"] = step.value
        body += [
            f"t = texts[{place}]",
            f"{local} = C{k}(t, MISS)",
            f"if {local} is MISS:",
            f"    {local} = J{k}(t)",
            f"    if {local} is MISS: return None",
        ]
    for slot, value in plan.constants.items():
        env[f"D{slot}"] = value
        values[slot] = f"D{slot}"
    if plan.uasc is not None:
        u, ceased = plan.uasc
        body.append(f"f{u} = bool({values[u]}) or {values[ceased]} is not None")
        values[u] = f"f{u}"
    args = ", ".join(values[i] for i in range(len(values)))
    lines = ["def make(texts):", *(f"    {b}" for b in body), f"    return MAKE({args})"]
    exec(compile("\n".join(lines) + "\n", f"<{table.name} fast row>", "exec"), env)
    maker: RowMaker = env["make"]
    return maker


# -- the XML form ---------------------------------------------------------------------------------

GroupMaker = Callable[[Any, Mapping[str, "str | None"]], Any]
"""``(element, inherited)`` -> the record of a group element, or ``None``: the group needs the
builder."""

_TAG = operator.attrgetter("tag")


def _xml_text(node: Any, tag: str) -> Any:
    """The stripped text of the group's one element ``tag`` (``None``: absent or blank), as
    :class:`~._elements.ElementGroup` reads it; :data:`MISS` when there are several (a possible
    clash, judged by the builder)."""
    found = node.findall(tag)
    if not found:
        return None
    if len(found) > 1:
        return MISS
    text = found[0].text
    return (text.strip() or None) if text else None


_GROUP_MAKERS: dict[tuple[int, tuple[str, ...], frozenset[str]], tuple[Table, GroupMaker | None]]
_GROUP_MAKERS = {}


def group_maker(
    table: Table, names: Mapping[str, str], inherited: frozenset[str] = frozenset()
) -> GroupMaker | None:
    """The fast path for ``table``'s group elements in the XML form, read with the element
    names ``names`` (column -> element) and inheriting the columns ``inherited`` from the
    parent group: each column's text is found as :class:`~._elements.ElementGroup` finds it
    (an inherited column, the child's id and date of birth, from the parent when the group
    lacks it; the child's id always from the parent) and the row made as :func:`row_maker`
    makes it. ``None`` when the table is always read by its builder."""
    if not USE_FAST_PATH:
        return None
    tags = tuple(names.get(c.name, c.name) for c in table.read)
    key = (id(table), tags, inherited)
    found = _GROUP_MAKERS.get(key)
    if found is None or found[0] is not table:
        found = _GROUP_MAKERS[key] = (table, _compile_group(table, tags, inherited))
    return found[1]


def _compile_group(
    table: Table, tags: tuple[str, ...], inherited: frozenset[str]
) -> GroupMaker | None:
    columns = [c.name for c in table.read]
    fast = row_maker(table, range(len(columns)))
    if fast is None or any("/" in tag for tag in tags):
        return None

    def repeated(node: Any, parent: Mapping[str, str | None]) -> Any:
        # Some element is repeated: each column's elements are found one tag at a time.
        texts: list[str | None] = []
        for column, tag in zip(columns, tags, strict=True):
            if column == "CHILD" and column in inherited:
                texts.append(parent[column])
                continue
            text = _xml_text(node, tag)
            if text is MISS:
                return None
            if text is None and column in inherited:
                text = parent[column]
            texts.append(text)
        return fast(texts)

    env: dict[str, Any] = {
        "TAG": _TAG,
        "FAST": fast,
        "REPEATED": repeated,
        "TAGS": tuple(
            t
            for c, t in zip(columns, tags, strict=True)
            if not (c == "CHILD" and c in inherited)  # taken from the parent
        ),
    }
    # Each element by its tag (the last of a repeated one); when some element is repeated,
    # those read here are checked: the first of a tag (find) is the last only when it is alone.
    check = " or ".join(f"find({t!r}) is not get({t!r})" for t in env["TAGS"]) or "False"
    body = [
        "kids = dict(zip(map(TAG, node), node))",
        "get = kids.get",
        "if len(kids) != len(node):",
        "    find = node.find",
        f"    if {check}: return REPEATED(node, parent)",
    ]
    for k, (column, tag) in enumerate(zip(columns, tags, strict=True)):
        if column == "CHILD" and column in inherited:
            body.append(f"t{k} = parent[{column!r}]")
            continue
        body += [
            f"e = get({tag!r})",
            "if e is None:",
            f"    t{k} = None",
            "else:",
            "    t = e.text",
            f"    t{k} = (t.strip() or None) if t else None",
        ]
        if column in inherited:
            body.append(f"if t{k} is None: t{k} = parent[{column!r}]")
    texts = ", ".join(f"t{k}" for k in range(len(columns)))
    lines = [
        "def make(node, parent):",
        *(f"    {b}" for b in body),
        f"    return FAST(({texts}{',' if len(columns) == 1 else ''}))",
    ]
    exec(compile("\n".join(lines) + "\n", f"<{table.name} fast group>", "exec"), env)
    maker: GroupMaker = env["make"]
    return maker
