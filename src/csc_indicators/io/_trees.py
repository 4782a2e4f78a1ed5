"""Reading the records of a return's XML from the trees of :mod:`._xml_scan`.

Each group element (a CIN census ``CINdetails``, ``Assessments``...) is read in one of two ways:

* :func:`fast_builder`, a function generated from the table's declaration, builds the record
  from the group's tree with no Python code per value beyond a dict look-up: each column's text
  is converted once per distinct text (dates and codes repeat a great deal) and checked there as
  the record's own converters and validators would check it, so the record is made with
  :func:`~csc_indicators.records._trusted.trusted_maker`. It gives up (raises one of
  :data:`SLOW`) at anything out of the ordinary: a value missing, blank, bad, unknown or
  repeated, an item holding elements.
* :class:`TreeGroup` reads the group exactly as :class:`~._elements.ElementGroup` reads an
  element, for the table's :class:`~._build.Builder`, which reports every problem with its place;
  the places are found on the reference reader's copy of the record (:meth:`._xml_scan.Scan.node`).

So a group is read the exact way whenever the fast way would not give the same record with no
problem to report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs

from ..records._trusted import trusted_setters
from ._build import _STEP_ID, _STEP_MANY, _STEP_REQUIRED, builder
from ._table_types import Table
from ._values import parse_date
from ._xml import Node

__all__ = [
    "SLOW",
    "Place",
    "Slow",
    "TreeGroup",
    "clear_caches",
    "elements",
    "entries",
    "fast_builder",
    "fast_columns",
    "fast_maker",
    "find",
    "text_of",
]


class Place(Protocol):
    """The place of the first element at ``path`` below a group element (of the group itself
    when there is none, or ``path`` is ``None``), as a problem names it."""

    def __call__(self, path: str | None = None, /) -> str: ...


_CACHE_LIMIT = 50_000
"""Distinct texts remembered per column (a hostile file cannot make the caches grow beyond)."""


class Slow(Exception):
    """The group is to be read the exact way."""


SLOW = (Slow, TypeError)
"""What a fast builder raises to give up (TypeError: a repeated item, or one holding elements,
which are lists and dicts in the tree, looked up in a cache of texts)."""


def text_of(entry: Any) -> str | None:
    """An element's own text (undecoded bytes from the scanner are decoded, with XML's line ends
    normalised as a parser would); ``None`` for an element holding elements and no text."""
    if isinstance(entry, bytes):
        raw: bytes = entry
        if b"\r" in raw:
            raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        return raw.decode()
    if isinstance(entry, dict):
        own: str | None = entry.get(None)
        return own
    if isinstance(entry, str):
        return entry
    raise TypeError(f"not an element: {entry!r}")


def entries(tree: Any, tag: bytes) -> list[Any]:
    """The elements with this tag among a tree's children, in document order."""
    if type(tree) is not dict:
        return []
    entry = tree.get(tag)
    if entry is None:
        return []
    if type(entry) is list:
        return entry
    return [entry]


def elements(tree: Any, path: str) -> list[Any]:
    """The elements at ``path`` (a tag, or tags joined by ``/``) below a tree, in document
    order (as ElementTree's ``findall`` of the path)."""
    found = [tree]
    for tag in path.split("/"):
        key = tag.encode()
        found = [e for parent in found for e in entries(parent, key)]
    return found


def find(node: Node, path: str | None) -> Node:
    """The first element at ``path`` below a reference node (as ElementTree's ``find``); the
    node itself when there is none (or no path)."""
    if path is None:
        return node
    found = [node]
    for tag in path.split("/"):
        found = [c for parent in found for c in parent.children if c.tag == tag]
    return found[0] if found else node


class TreeGroup:
    """The items of one group element's tree, read by column name exactly as
    :class:`~._elements.ElementGroup` reads the element: repeated items with different values
    are noted in :attr:`clashes`; ``where`` gives the place of a column's first element (of the
    group when there is none), from ``place(path)``."""

    __slots__ = ("clashes", "names", "place", "tree")

    def __init__(self, tree: Any, names: Mapping[str, str], place: Place) -> None:
        self.tree = tree
        self.names = names
        self.place = place
        self.clashes: list[tuple[str, list[str]]] = []

    @property
    def row(self) -> TreeGroup:
        return self

    def get(self, column: str) -> str | None:
        """The stripped text of the column's element (``None``: absent or blank)."""
        tag = self.names.get(column, column)
        found = elements(self.tree, tag)
        if len(found) == 1:
            text = text_of(found[0])
            return (text.strip() or None) if text else None
        return self.first(tag, found)

    def first(self, tag: str, found: list[Any]) -> str | None:
        """As :meth:`~._elements.ElementGroup.first`."""
        if not found:
            return None
        texts = [(text_of(e) or "").strip() for e in found]
        if len(set(texts)) > 1 and all(tag != t for t, _ in self.clashes):
            self.clashes.append((tag, texts))
        return texts[0] or None

    def get_all(self, column: str) -> list[str]:
        """The texts of every element of a repeated column, in order."""
        path = self.names.get(column, column)
        return [(text_of(e) or "").strip() for e in elements(self.tree, path)]

    def where(self, column: str | None) -> str:
        """The place of the column's element (of the group when absent or ``None``)."""
        return self.place(None if column is None else self.names.get(column, column))


# -- the fast builders ----------------------------------------------------------------------------

_CACHES: list[dict[Any, Any]] = []
_EMPTY: dict[Any, Any] = {}
"""An absent element holding items (never changed)."""


def clear_caches() -> None:
    """Forget the texts converted so far (a reader calls it when done)."""
    for cache in _CACHES:
        cache.clear()


class _Cache(dict[Any, Any]):
    """One column's converted values by text; a text not seen before is converted by
    ``convert``, which raises :class:`Slow` for a text the fast way does not read."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert
        _CACHES.append(self)

    def __missing__(self, key: Any) -> Any:
        value = self.convert(key)
        if len(self) < _CACHE_LIMIT:
            self[key] = value
        return value


def _accepts(field: attrs.Attribute[Any], value: Any) -> bool:
    """Whether the record's field holds ``value`` as it is: its converter leaves it unchanged
    and its validator accepts it."""
    try:
        if field.converter is not None:
            converted = field.converter(value)  # type: ignore[operator]
            if type(converted) is not type(value) or converted != value:
                return False
        if field.validator is not None:
            field.validator(None, field, value)
    except Exception:  # any refusal: the exact way reports it
        return False
    return True


def _same(text: str) -> str:
    return text


def _converter(
    table: Table, step: tuple[str, int, int, bool, Any, Any], field: attrs.Attribute[Any]
) -> Callable[[Any], Any]:
    """How one column's text becomes its value the fast way (see :class:`_Cache`)."""
    name, _at, mode, _shared, fast, _slow = step
    column = table.column(name)
    many = mode == _STEP_MANY
    if many and column.type == "codes":
        aliases = column.aliases
        allowed = column.allowed

        def parse(text: str) -> Any:
            code = text.upper()
            code = aliases.get(code, code)
            if code not in allowed and column.breakdown:
                raise ValueError(code)
            return code

    elif many:
        parse = parse_date
    elif fast is None:
        parse = _same
    else:
        parse = fast

    def convert(raw: Any) -> Any:
        if raw is None:  # absent
            if mode == _STEP_REQUIRED:
                raise Slow
            return None
        text = text_of(raw)
        text = text.strip() if text is not None else ""
        if not text:
            if mode == _STEP_REQUIRED or many:
                raise Slow
            return None
        try:
            value = parse(text)
        except ValueError:
            raise Slow from None
        if not _accepts(field, (value,) if many else value):
            raise Slow
        return value

    return convert


def _one(cache: _Cache) -> Callable[[Any], tuple[Any]]:
    """The value of a repeated element's one item: the 1-tuple of its converted text."""

    def one(raw: Any) -> tuple[Any]:
        return (cache[raw],)

    return one


_FAST: dict[tuple[int, bool], tuple[Table, Callable[..., Any]]] = {}


def fast_builder(table: Table) -> Callable[[Any, str], Any]:
    """The table's fast builder: ``fast(tree, child_id)`` gives the record of a group's tree,
    or raises one of :data:`SLOW`. ``child_id`` is the child's id (read before)."""
    return _fast(table, False)


def fast_maker(table: Table) -> Callable[..., Any]:
    """The table's fast builder taking each column's element as an argument:
    ``fast(child_id, *entries)``, an entry per column of :func:`fast_columns` in that order (as
    the tree would hold it: its text, a list of texts for a repeated element, ``None`` when
    absent); the same record as :func:`fast_builder` gives from a tree holding these entries, or
    one of :data:`SLOW` raised."""
    return _fast(table, True)


def fast_columns(table: Table) -> tuple[str, ...]:
    """The columns whose elements :func:`fast_maker`'s builder takes, in order."""
    return tuple(c.name for c in table.read if c.type != "id")


def _fast(table: Table, by_argument: bool) -> Callable[..., Any]:
    found = _FAST.get((id(table), by_argument))
    if found is not None and found[0] is table:
        return found[1]
    made = builder(table)
    record = made.record
    fields = attrs.fields(record)
    elements = {c.name: c.element for c in table.read}
    env: dict[str, Any] = {
        "NEW": object.__new__,
        "RECORD": record,
        "SLOW_": Slow,
        "EMPTY": _EMPTY,
    }
    # The elements holding items (ChildIdentifiers...), found once: absent, an empty dict;
    # repeated or holding text, the exact way.
    parents: dict[str, str] = {}
    arguments = {name: f"a{k}" for k, name in enumerate(fast_columns(table))}
    lines = [
        f"def fast(child_id, {', '.join(arguments.values())}):"
        if by_argument
        else "def fast(g, child_id):"
    ]
    for column in table.read if not by_argument else ():
        head = column.element.rpartition("/")[0]
        steps = head.split("/") if head else []
        for depth in range(1, len(steps) + 1):
            path = "/".join(steps[:depth])
            if path in parents:
                continue
            above = parents.get("/".join(steps[: depth - 1]), "g")
            local = parents[path] = f"p{len(parents)}"
            lines += [
                f"    {local} = {above}.get({steps[depth - 1].encode()!r}, EMPTY)",
                f"    if type({local}) is not dict: raise SLOW_",
            ]
    values = [f"D{j}" for j in range(len(made.start))]
    for j, default in enumerate(made.start):
        env[f"D{j}"] = default
    values[made.child] = "child_id"
    for k, step in enumerate(made.steps):
        name, at, mode, shared, _fast, _slow = step
        if mode == _STEP_ID:
            continue
        env[f"C{k}"] = _Cache(_converter(table, step, fields[at]))
        head, _, last = elements[name].rpartition("/")
        entry = (
            arguments[name] if by_argument else f"{parents.get(head, 'g')}.get({last.encode()!r})"
        )
        target = "v" if shared else f"f{at}"
        if mode == _STEP_MANY:
            # A value of one item is one tuple per distinct text (shared by the records: fewer
            # objects to make, to keep and for the cycle collector to walk).
            env[f"ONE{k}"] = _Cache(_one(env[f"C{k}"]))
            lines += [
                f"    e = {entry}",
                f"    {target} = () if e is None else tuple([C{k}[x] for x in e]) "
                f"if type(e) is list else ONE{k}[e]",
            ]
        else:
            lines.append(f"    {target} = C{k}[{entry}]")
        if shared:  # the first value that is not None or () is kept
            if values[at] != f"f{at}":  # filled before by a fixed value, not a column
                lines.append(f"    f{at} = {values[at]}")
            lines.append(f"    if f{at} is None or f{at} == (): f{at} = v")
        values[at] = f"f{at}"
    # The record made as trusted_maker makes it, inline.
    lines.append("    o = NEW(RECORD)")
    for j, (value, setter) in enumerate(zip(values, trusted_setters(record), strict=True)):
        env[f"S{j}"] = setter
        lines.append(f"    S{j}(o, {value})")
    lines.append("    return o")
    source = "\n".join(lines) + "\n"
    what = "fast maker" if by_argument else "fast builder"
    exec(compile(source, f"<{table.name} {what}>", "exec"), env)  # our own source
    function: Callable[..., Any] = env["fast"]
    _FAST[id(table), by_argument] = (table, function)
    return function
