"""Safe, streaming XML reading on the standard library's expat parser.

The statutory returns are XML files that can be large (a national extract), so they are read in
chunks and only one record element (a CIN census ``Child``, an SSDA903 ``CHILD``) is held as a
small tree at a time. The parser refuses any document type declaration outright: the returns
never need one, and refusing it rules out external entities (XXE) and entity expansion
("billion laughs") before a single entity is declared.
"""

from __future__ import annotations

import os
import xml.parsers.expat as expat
from collections.abc import Generator
from typing import Any

from ..errors import InputError

__all__ = ["CHUNK_SIZE", "Node", "NotAReturn", "iter_elements"]

CHUNK_SIZE = 1 << 16
"""Bytes fed to the parser at a time."""


class NotAReturn(InputError):
    """The file as a whole is not a readable return (missing, empty, not XML, another root,
    or refused for safety): nothing in it can be loaded, in either error mode."""


class Node:
    """One element of a captured record: its tag, text, child elements and place in the file."""

    __slots__ = ("_counts", "_index", "_text", "children", "keep", "line", "parent", "strays",
                 "tag")

    def __init__(self, tag: str, parent: Node | None, index: int, line: int) -> None:
        self.tag = tag
        self.parent = parent
        self._index = index
        self.line = line
        self.children: list[Node] = []
        self.keep = False
        self._text = ""
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


def iter_elements(
    path: str | os.PathLike[str],
    *,
    kind: str,
    root: str,
    capture: frozenset[tuple[str, ...]],
    chunk_size: int = CHUNK_SIZE,
) -> Generator[Node, None, None]:
    """Yield each element whose tag path (from the root) is in ``capture``, fully built, in
    document order; nothing else is kept. A yielded element is valid until the next one is
    requested (its tree is then released).

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
            else:
                counts = parent._counts
                if counts is None:
                    counts = parent._counts = {}
                index = counts.get(tag, 0) + 1
                counts[tag] = index
                node = Node(tag, parent, index, line)
                if (*names, tag) in capture:
                    node.keep = True
        names.append(tag)
        stack.append(node)

    def end(_tag: str) -> None:
        node = stack.pop()
        names.pop()
        node._counts = None
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
            node._text += data

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
            try:
                parser.Parse(chunk, final)
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
                raise error(message, path=name, location=where) from None
            except LookupError as exc:  # an encoding declaration Python does not know
                raise NotAReturn(f"not a {kind}: the file is not XML ({exc})",
                                 path=name) from None
            for node in done:
                yield node
                node.release()
            done.clear()
            if final:
                break
    finally:
        stream.close()
