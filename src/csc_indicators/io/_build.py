"""Reading a value of a declared table (see :mod:`._tables`): how each column's text becomes a
value, and the compiled :class:`Builder` making one record of a row (:func:`build`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

import attrs

from ..errors import RecordError
from ..records import Child
from ..records._fields import POSTCODE_DISTRICT
from ._common import BadValue, Problems, convert
from ._table_types import Column, Getter, Table, Where, code_list
from ._values import _DATE_CACHE, parse_bool, parse_date, parse_int

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
