"""Safe, streaming XML reading on the standard library's expat parser.

The statutory returns are XML files that can be large (a national extract), so they are read in
chunks and only one record element (a CIN census ``Child``, an SSDA903 ``CHILD``) is held as a
small tree at a time. The parser refuses any document type declaration outright: the returns
never need one, and refusing it rules out external entities (XXE) and entity expansion
("billion laughs") before a single entity is declared.

Three readers share these rules, one module each (split by concern):

* :func:`iter_elements` (in :mod:`._xml_reference`) builds each record as a :class:`Node`
  tree from Python callbacks, so every element knows its line. It is the exact reference, and
  slow (a Python call per element and per run of text).
* :class:`~._xml_scan.Scan` (the CIN census reader's) splits the bytes of a plain file into
  tokens with one regular expression and builds each record as a tree of dicts; anything else
  it hands over to :func:`iter_elements`, whose records it turns into the same trees.
* :class:`RecordStream` (here; the SSDA903 XML reader's and :func:`.locate.locate`'s) first
  checks the prolog with expat (:func:`read_prolog`: a document type can only come before the
  root element, so the check stops at the first start tag), then lets the C ElementTree builder
  build the records with no Python code per element. Line numbers, which ElementTree does not
  keep, are found only when a problem is reported, by running :func:`iter_elements` alongside
  up to the record concerned. A file it cannot read exactly as :func:`iter_elements` would (XML
  namespaces, an encoding outside a short list, malformed XML) is handed over to
  :func:`iter_elements` from the first record not yet delivered, so messages and locations are
  the same either way.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from collections.abc import Generator, Iterator
from typing import Any, BinaryIO

from ..errors import InputError
from ._common import NotAReturn
from ._guard import Shape
from ._xml_reference import (
    CHUNK_SIZE,
    FAST_CHUNK_SIZE,
    Node,
    _unknown_encoding,
    _unreadable_encoding,
    iter_elements,
    unfinished,
)

__all__ = [
    "CHUNK_SIZE",
    "FAST_CHUNK_SIZE",
    "Node",
    "NotAReturn",
    "Prolog",
    "RecordStream",
    "iter_elements",
    "mixed_content",
    "read_prolog",
    "unfinished",
]

# -- the fast reader ------------------------------------------------------------------------------

_FAST_ENCODINGS = frozenset(
    {
        "utf-8",
        "utf8",
        "us-ascii",
        "ascii",
        "iso-8859-1",
        "latin-1",
        "latin1",
        "windows-1252",
        "cp1252",
    }
)
"""Declared encodings in which the bytes ``xmlns`` can only mean the text ``xmlns`` (so a
namespace declaration is seen in the raw bytes)."""

_PROLOG_LIMIT = 1 << 20
"""Bytes before the root element beyond which the fast reader is not used (the prolog is kept
in memory to be fed to the builder, so that it parses exactly the bytes that were checked)."""

_NAMESPACES = b"xmlns"

USE_FAST_READER = True
"""Whether :class:`RecordStream` may use the C ElementTree builder; ``False`` reads every file
with the reference reader (:func:`iter_elements`), for comparisons in tests and benchmarks."""


class _Stop(Exception):
    """Raised from the prolog check's start handler: the root element is reached."""


class Prolog:
    """What :func:`read_prolog` found before the root element."""

    __slots__ = ("chunks", "encoding", "fast", "root_at")

    def __init__(self, chunks: list[bytes], encoding: str | None, root_at: int, fast: bool) -> None:
        self.chunks = chunks
        """The bytes read, up to the end of the chunk holding the root element's start tag."""
        self.encoding = encoding
        """The encoding the XML declaration names (``None``: no declaration, or none named)."""
        self.root_at = root_at
        """The offset in the file (and in the joined :attr:`chunks`) of the root element's start
        tag."""
        self.fast = fast
        """Whether the file is in an ASCII-compatible encoding with no namespace declaration so
        far and a short prolog (see :func:`_check_prolog`)."""


def read_prolog(
    stream: BinaryIO, name: str, shape: Shape, *, kind: str, root: str, chunk_size: int
) -> Prolog:
    """Read up to the root element's start tag with expat, refusing a document type or entity
    declaration and a wrong root exactly as :func:`iter_elements` does; every chunk read is
    checked by ``shape`` first.

    Raises:
        NotAReturn: the file is empty, not XML, declares a document type or entities, or has
            another root element.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    encodings: list[str | None] = []
    root_at: list[int] = []

    def refuse(*_args: object) -> Any:
        raise NotAReturn(
            "refused: the file declares a document type or entities, which a statutory "
            "return never does (external entities and entity expansion are not allowed)",
            path=name,
            location=f"line {parser.CurrentLineNumber}",
        )

    def start(tag: str, _attrs: object) -> None:
        if tag != root:
            raise NotAReturn(
                f"not a {kind}: the root element is <{tag}>, expected <{root}>",
                path=name,
                location=f"line {parser.CurrentLineNumber}",
            )
        root_at.append(parser.CurrentByteIndex)
        raise _Stop

    def declaration(_version: str, encoding: str | None, _standalone: int) -> None:
        encodings.append(encoding)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.XmlDeclHandler = declaration
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(chunk_size)
        if not chunks and not chunk.strip():
            raise NotAReturn(f"not a {kind}: the file is empty", path=name)
        chunks.append(chunk)
        size += len(chunk)
        shape.feed(chunk, not chunk)
        try:
            parser.Parse(chunk, not chunk)
        except _Stop:
            break
        except LookupError as exc:
            raise _unknown_encoding(exc, kind, name, parser) from None
        except InputError:
            raise
        except ValueError as exc:
            raise _unreadable_encoding(exc, kind, name, parser) from None
        except expat.ExpatError as exc:
            raise NotAReturn(
                f"not a {kind}: the file is not XML ({expat.ErrorString(exc.code)})",
                path=name,
                location=f"line {exc.lineno}, column {exc.offset}",
            ) from None
        if not chunk:  # pragma: no cover - expat raises "no element found" first
            raise NotAReturn(f"not a {kind}: the file is not XML (no element found)", path=name)
    head = chunks[0][:4]
    encoding = encodings[0] if encodings else None
    fast = (
        size <= _PROLOG_LIMIT
        and not head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x3c\x00"))
        and (encoding is None or encoding.lower() in _FAST_ENCODINGS)
        and not any(_NAMESPACES in c for c in chunks)
    )
    return Prolog(chunks, encoding, root_at[0], fast)


def _check_prolog(
    stream: BinaryIO, name: str, shape: Shape, *, kind: str, root: str, chunk_size: int
) -> tuple[list[bytes], bool]:
    """As :func:`read_prolog`: the bytes read (to be fed to the builder) and whether the fast
    builder reads the file exactly as :func:`iter_elements` would (an ASCII-compatible
    encoding, no namespace declaration so far, a short prolog)."""
    prolog = read_prolog(stream, name, shape, kind=kind, root=root, chunk_size=chunk_size)
    return prolog.chunks, prolog.fast


def _to_element(node: Node) -> ET.Element:
    """An ElementTree copy of a :class:`Node` tree: each element's text is its whole own
    text (as :func:`mixed_content` leaves it), with no tails."""
    element = ET.Element(node.tag)
    element.text = node.text
    for child in node.children:
        element.append(_to_element(child))
    return element


def _own_text(element: ET.Element) -> str:
    """The element's own character data: its text and its children's tails."""
    return (element.text or "") + "".join(c.tail or "" for c in element)


def mixed_content(record: ET.Element) -> list[ET.Element]:
    """The elements of a record holding text beside child elements (mixed content, which the
    returns' schemas never allow), in the order their end tags come.

    Each such element's ``text`` is set to its whole own text (its text and its children's
    tails), as :class:`Node` keeps it, so that the value read from it is the same either way.
    """
    # A quick look first (almost every record passes): text that is not whitespace in a tail,
    # or in the text of an element with children. The record's own tail (outside it) may give
    # a false alarm, which only costs the exact pass below.
    for element in record.iter():
        text = element.tail
        if text and not text.isspace():
            break
        if len(element):
            text = element.text
            if text and not text.isspace():
                break
    else:
        return []
    found: list[ET.Element] = []

    def visit(element: ET.Element) -> None:
        for child in element:
            visit(child)
        if len(element):
            text = _own_text(element)
            if text.strip():
                element.text = text
                found.append(element)

    visit(record)
    return found


def _steps(record: ET.Element, target: ET.Element) -> list[tuple[str, int]] | None:
    """The way from ``record`` down to ``target``: each element's tag and its position (from
    0) among its parent's children of that tag; ``None`` if ``target`` is not in ``record``."""
    if target is record:
        return []
    for child in record:
        below = _steps(child, target)
        if below is not None:
            position = 0
            for sibling in record:
                if sibling is child:
                    break
                if sibling.tag == child.tag:
                    position += 1
            return [(child.tag, position), *below]
    return None


class RecordStream:
    """The records of a return (the elements whose tag path from the root is in ``capture``),
    each as an :class:`xml.etree.ElementTree.Element`, in document order, built by the C
    ElementTree builder with nothing kept but the records of the current chunk.

    A record is valid until the next one is requested. :meth:`locate` gives the line and path
    of an element of the current record, exactly as :attr:`Node.location` does. Iterate once;
    call :meth:`close` when done (a ``contextlib.closing`` block).

    Raises (while iterating):
        InputError: as :func:`iter_elements` does, with the same messages and locations.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        kind: str,
        root: str,
        capture: frozenset[tuple[str, ...]],
        chunk_size: int = FAST_CHUNK_SIZE,
    ) -> None:
        self.name = os.fspath(path)
        self.kind = kind
        self.root = root
        self.capture = capture
        self.chunk_size = chunk_size
        self.fast = True
        """Whether every record so far came from the fast builder (False once handed over)."""
        tree: dict[str, Any] = {}
        for tags in capture:
            if len(tags) < 2 or tags[0] != root:
                raise ValueError(f"a captured path must start below the root: {tags!r}")
            level = tree
            for tag in tags[1:-1]:
                level = level.setdefault(tag, {})
                if level is None:
                    raise ValueError(f"a captured path lies inside another: {tags!r}")
            if level.get(tags[-1]):
                raise ValueError(f"a captured path lies inside another: {tags!r}")
            level[tags[-1]] = None
        self._tree = tree
        self._count = 0
        self._current: ET.Element | None = None
        self._slow: Generator[Node, None, None] | None = None
        self._slow_count = 0
        self._slow_node: Node | None = None
        self._skipped: list[str] = []
        self._records = self._generate()

    def __iter__(self) -> Iterator[ET.Element]:
        return self._records

    def close(self) -> None:
        """Stop reading and close the file (and the reference reader, if one was started)."""
        self._records.close()
        if self._slow is not None:
            self._slow.close()

    # -- where things are ---------------------------------------------------------------------

    def _reference(self) -> Generator[Node, None, None]:
        """The reference reader (:func:`iter_elements`) over the same file, started once."""
        if self._slow is None:
            self._slow = iter_elements(
                self.name,
                kind=self.kind,
                root=self.root,
                capture=self.capture,
                chunk_size=self.chunk_size,
                skipped=self._skipped,
            )
        return self._slow

    def _node(self) -> Node:
        """The reference reader's copy of the current record (advancing it to that record)."""
        slow = self._reference()
        while self._slow_count < self._count:
            self._slow_node = next(slow)
            self._slow_count += 1
        assert self._slow_node is not None
        return self._slow_node

    def locate(self, element: ET.Element) -> str:
        """``line N, <path>`` for an element of the current record (or the record itself)."""
        record = self._current
        if record is None:
            raise ValueError("no current record")
        steps = _steps(record, element)
        if steps is None:
            raise ValueError(f"<{element.tag}> is not in the current record")
        node = self._node()
        for tag, position in steps:
            node = node.all(tag)[position]
        return node.location

    # -- reading ------------------------------------------------------------------------------

    @property
    def skipped(self) -> list[str]:
        """The tag paths of the elements found where no captured path leads (their content
        is not read), each once, in the order found: see :func:`iter_elements`."""
        return list(dict.fromkeys(self._skipped))

    def _drain(
        self, element: ET.Element, level: dict[str, Any], complete: bool, path: str = ""
    ) -> Iterator[ET.Element]:
        """Yield the finished records under ``element`` and drop what has been dealt with."""
        count = len(element)
        done = 0
        for i in range(count):
            child = element[i]
            finished = complete or i < count - 1
            below = level.get(child.tag, False)
            if below is None:
                if not finished:
                    break
                self._count += 1
                self._current = child
                yield child
            elif below is not False:
                yield from self._drain(child, below, finished, f"{path}/{child.tag}")
                if not finished:
                    break
            elif not finished:
                break
            else:
                self._skipped.append(f"{path}/{child.tag}")
            done = i + 1
        if done:
            del element[:done]

    def _generate(self) -> Generator[ET.Element, None, None]:
        try:
            stream = open(self.name, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise NotAReturn(f"cannot open the file: {exc.strerror}", path=self.name) from None
        try:
            shape = Shape(self.name)
            chunks, fast = _check_prolog(
                stream,
                self.name,
                shape,
                kind=self.kind,
                root=self.root,
                chunk_size=self.chunk_size,
            )
            if fast and USE_FAST_READER:
                builder = ET.TreeBuilder()
                # An outer element of our own, so that the document's root can be reached while
                # it is being built (the builder hands its root over only at the end).
                top = builder.start("", {})
                parser = ET.XMLParser(target=builder)
                previous = b""
                while True:
                    if chunks:
                        chunk = chunks.pop(0)
                    else:
                        chunk = stream.read(self.chunk_size)
                        shape.feed(chunk, not chunk)
                    if _NAMESPACES in chunk or _NAMESPACES in previous[-4:] + chunk[:4]:
                        break  # namespaces: ElementTree would rename the tags
                    previous = chunk
                    final = not chunk
                    try:
                        if final:
                            parser.close()
                        else:
                            parser.feed(chunk)
                    except ET.ParseError:
                        break  # the reference reader reports it, exactly
                    if len(top):
                        yield from self._drain(top[0], self._tree, final, self.root)
                    if final:
                        return
        finally:
            stream.close()
        # The rest comes from the reference reader, from the first record not yet delivered.
        self.fast = False
        slow = self._reference()
        while self._slow_count < self._count:
            self._slow_node = next(slow)
            self._slow_count += 1
        for node in slow:
            self._slow_count += 1
            self._slow_node = node
            self._count += 1
            self._current = element = _to_element(node)
            yield element
