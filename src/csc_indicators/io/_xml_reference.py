"""The reference XML reader: safe, streaming, on the standard library's expat parser.

:func:`iter_elements` builds each record element (a CIN census ``Child``, an SSDA903 ``CHILD``)
as a :class:`Node` tree from Python callbacks, so that every element knows its line. It refuses
any document type declaration outright: the returns never need one, and refusing it rules out
external entities (XXE) and entity expansion ("billion laughs") before a single entity is
declared. It is the exact reference, and slow (a Python call per element and per run of text):
the readers use the fast readers of :mod:`._xml_scan` and :mod:`._xml`, which hand over to this
one when they cannot read a file exactly as this one would, and run it alongside to find line
numbers.

Split from :mod:`._xml` by concern: this module is how a file is read exactly (with lines), that
one how it is read fast.
"""

from __future__ import annotations

import os
import xml.parsers.expat as expat
from collections.abc import Generator
from typing import Any

from ..errors import InputError
from ._common import NotAReturn
from ._guard import Shape

__all__ = [
    "CHUNK_SIZE",
    "FAST_CHUNK_SIZE",
    "Node",
    "iter_elements",
    "unfinished",
]

CHUNK_SIZE = 1 << 16
"""Bytes fed to the parser at a time."""

FAST_CHUNK_SIZE = 1 << 13
"""Bytes fed to the C builder at a time: small enough that the records of one chunk stay in the
processor's cache (8 KiB measured fastest, against 64 KiB; see docs/performance.md)."""


def unfinished(error: InputError) -> str | None:
    """For an error breaking the XML: the record element it left unfinished (``Child begun at
    line 17``), whose content is lost with it; ``None`` if none was open."""
    found: str | None = getattr(error, "unfinished", None)
    return found


class Node:
    """One element of a captured record: its tag, text, child elements and place in the file."""

    __slots__ = (
        "_counts",
        "_index",
        "_parts",
        "_text",
        "children",
        "keep",
        "line",
        "parent",
        "strays",
        "tag",
    )

    def __init__(self, tag: str, parent: Node | None, index: int, line: int) -> None:
        self.tag = tag
        self.parent = parent
        self._index = index
        self.line = line
        self.children: list[Node] = []
        self.keep = False
        self._text = ""
        self._parts: list[str] | None = None
        self._counts: dict[str, int] | None = None
        self.strays: list[Node] | None = None

    @property
    def text(self) -> str:
        """The element's own character data (not its children's), unstripped."""
        return self._text

    @property
    def index(self) -> int:
        """The element's position among its parent's children of the same tag (from 1)."""
        if self._index:
            return self._index
        index = 1
        if self.parent is not None:
            for sibling in self.parent.children:
                if sibling is self:
                    break
                if sibling.tag == self.tag:
                    index += 1
        self._index = index
        return index

    def first(self, tag: str) -> Node | None:
        """The first child element with this tag, or ``None``."""
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def all(self, tag: str) -> list[Node]:
        """Every child element with this tag, in document order."""
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str) -> str | None:
        """The stripped text of the first child with this tag; ``None`` if absent or blank."""
        child = self.first(tag)
        if child is None:
            return None
        text = child.text.strip()
        return text or None

    @property
    def path(self) -> str:
        """The element path from the root, e.g. ``Message/Children/Child[3]/CINdetails[1]``."""
        names: list[str] = []
        node: Node | None = self
        while node is not None:
            shown = node.keep and (node.children or node.index > 1)
            names.append(f"{node.tag}[{node.index}]" if shown else node.tag)
            node = node.parent
        return "/".join(reversed(names))

    @property
    def location(self) -> str:
        """``line N, <path>``: where the element starts."""
        return f"line {self.line}, {self.path}"

    def release(self) -> None:
        """Break the links between this element and its descendants so that memory is freed
        at once rather than by the cycle collector (the reader calls it once the consumer has
        moved on to the next record)."""
        stack = [self]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            node.children = []
            node.parent = None

    def stray_text(self) -> list[Node]:
        """For a captured record element: the elements in it holding text beside child
        elements (mixed content, which the returns' schemas never allow)."""
        return self.strays or []


def _unknown_encoding(
    exc: LookupError, kind: str, name: str, parser: expat.XMLParserType
) -> NotAReturn:
    """The error for an XML declaration naming an encoding Python does not know (expat raises
    a bare ``LookupError``)."""
    return NotAReturn(
        f"not a {kind}: the file declares an unknown character encoding ({exc})",
        path=name,
        location=f"line {parser.CurrentLineNumber}",
    )


def _unreadable_encoding(
    exc: ValueError, kind: str, name: str, parser: expat.XMLParserType
) -> NotAReturn:
    """The error for an XML declaration naming an encoding expat cannot read (a multi-byte
    one such as Shift-JIS: pyexpat raises a bare ``ValueError``)."""
    return NotAReturn(
        f"not a {kind}: the file declares a character encoding the reader cannot read ({exc}); "
        "save it as UTF-8",
        path=name,
        location=f"line {parser.CurrentLineNumber}",
    )


def iter_elements(
    path: str | os.PathLike[str],
    *,
    kind: str,
    root: str,
    capture: frozenset[tuple[str, ...]],
    chunk_size: int = CHUNK_SIZE,
    skipped: list[str] | None = None,
) -> Generator[Node, None, None]:
    """Yield each element whose tag path (from the root) is in ``capture``, fully built, in
    document order; nothing else is kept. A yielded element is valid until the next one is
    requested (its tree is then released).

    ``skipped`` receives the tag path (``Message/Message``) of each element found where no
    captured path leads, beside the elements on the way to one (its content is not read): a
    reader reports them, so that records inside a misplaced element are not lost silently.

    Raises:
        InputError: the file cannot be opened, is empty, is not XML, has another root element
            than ``root``, declares a document type or entities, is malformed or ends early.
            Elements yielded before the problem remain valid.
    """
    name = os.fspath(path)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    names: list[str] = []
    deepest = max((len(c) for c in capture), default=0)
    routes = {c[:i] for c in capture for i in range(1, len(c))}
    shape = Shape(name)
    done: list[Node] = []
    seen_root = False

    def refuse(*_args: object) -> Any:
        raise NotAReturn(
            "refused: the file declares a document type or entities, which a statutory "
            "return never does (external entities and entity expansion are not allowed)",
            path=name,
            location=f"line {parser.CurrentLineNumber}",
        )

    def start(tag: str, _attrs: object) -> None:
        nonlocal seen_root
        line = parser.CurrentLineNumber
        if not stack:
            if tag != root:
                raise NotAReturn(
                    f"not a {kind}: the root element is <{tag}>, expected <{root}>",
                    path=name,
                    location=f"line {line}",
                )
            seen_root = True
            node = Node(tag, None, 1, line)
        else:
            parent = stack[-1]
            if parent.keep:
                # Inside a record: the position among siblings is found only when needed.
                node = Node(tag, parent, 0, line)
                node.keep = True
                parent.children.append(node)
            elif len(names) >= deepest:
                node = Node(tag, parent, 1, line)  # below any captured path: never kept
            else:
                counts = parent._counts
                if counts is None:
                    counts = parent._counts = {}
                index = counts.get(tag, 0) + 1
                counts[tag] = index
                node = Node(tag, parent, index, line)
                here = (*names, tag)
                if here in capture:
                    node.keep = True
                elif skipped is not None and here not in routes and tuple(names) in routes:
                    skipped.append("/".join(here))
        names.append(tag)
        stack.append(node)

    def end(_tag: str) -> None:
        node = stack.pop()
        names.pop()
        node._counts = None
        if node._parts is not None:
            node._text = "".join(node._parts)  # joined once: linear in the text's length
            node._parts = None
        if not node.keep:
            return
        if node.children and node._text and node._text.strip():
            top = node
            while top.parent is not None and top.parent.keep:
                top = top.parent
            if top.strays is None:
                top.strays = []
            top.strays.append(node)
        if node.parent is None or not node.parent.keep:
            done.append(node)

    def characters(data: str) -> None:
        node = stack[-1]
        if node.keep:
            if node._parts is not None:
                node._parts.append(data)
            elif node._text:
                node._parts = [node._text, data]
            else:
                node._text = data

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters

    try:
        stream = open(name, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise NotAReturn(f"cannot open the file: {exc.strerror}", path=name) from None
    try:
        first = True
        while True:
            chunk = stream.read(chunk_size)
            if first and not chunk.strip():
                raise NotAReturn(f"not a {kind}: the file is empty", path=name)
            first = False
            final = not chunk
            shape.feed(chunk, final)
            failure: InputError | None = None
            try:
                parser.Parse(chunk, final)
            except LookupError as exc:
                raise _unknown_encoding(exc, kind, name, parser) from None
            except InputError:
                raise
            except ValueError as exc:  # e.g. a multi-byte encoding expat cannot read
                raise _unreadable_encoding(exc, kind, name, parser) from None
            except expat.ExpatError as exc:
                problem = expat.ErrorString(exc.code)
                where = f"line {exc.lineno}, column {exc.offset}"
                if not seen_root:
                    message = f"not a {kind}: the file is not XML ({problem})"
                elif final:
                    message = f"the file ends early, truncated? ({problem})"
                else:
                    message = f"malformed XML ({problem})"
                error = NotAReturn if not seen_root else InputError
                failure = error(message, path=name, location=where)
                # The outermost record left open: everything in it is lost with the break.
                failure.unfinished = next(  # type: ignore[attr-defined]
                    (f"{n.tag} begun at line {n.line}" for n in stack if n.keep), None
                )
            # The records completed before a break are delivered before it is reported.
            for node in done:
                yield node
                node.release()
            done.clear()
            if failure is not None:
                raise failure
            if final:
                break
    finally:
        stream.close()
