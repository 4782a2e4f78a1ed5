"""Reading a return's XML fast: one regular expression over the bytes (in C), and a short walk
over its tokens building each record as a tree of dicts.

A statutory return is machine-written XML of a plain kind: elements without attributes, text
without entities, no comments. :class:`Scan` reads such a file in blocks; each block is split
into tokens by one ``findall`` (an element holding only text, a start tag, an end tag), and the
tokens build each record (a CIN census ``Child``) as a tree: a dict from each child element's tag
(bytes) to its text (bytes, undecoded), its own tree, or a list of these when the tag repeats.

Nothing is taken on trust. Before a block is walked, it is checked to hold nothing but such
tokens and white space (every ``<`` begins a token; no ``&``, comment, processing instruction,
control character or invalid UTF-8), within limits stricter than those of :mod:`._guard`; the
walk checks that the tags nest. A record holding text beside elements (mixed content) is taken
from the reference reader (:func:`._xml_reference.iter_elements`, run alongside). A file, or the
rest of a file, that is not plain in this sense (entities, comments, CDATA, attributes below the
root, namespace prefixes, a multi-byte encoding other than UTF-8, malformed XML, a hostile
shape) is handed over, from the first record not yet delivered, to the reference reader, whose
records are turned into the same trees: messages, locations and refusals are then the reference
reader's own. As a block is checked whole before any record of it is delivered, and blocks end
on the reference reader's chunk boundaries, a refusal for a hostile shape comes after the same
records either way.

A reader may also name a record tag and a pattern of its content (:attr:`Scan.quick`): the
records of that tag whose content the pattern matches whole (one ``finditer`` per block) are
read from the match by the reader's function, not walked; everything between them is walked,
so that every byte of a block is still checked, by the pattern or as tokens.

The reader keeps no line numbers: :meth:`Scan.node` gives the current record as the reference
reader builds it (running it alongside, up to that record), to say where a problem is.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Generator, Iterator
from operator import itemgetter
from typing import Any

from ._common import NotAReturn
from ._guard import Shape
from ._scan_levels import Handover, Level, Route, Tree, tree_of, watched
from ._xml import FAST_CHUNK_SIZE, Node, iter_elements, read_prolog

__all__ = ["USE_FAST_SCAN", "Record", "Scan", "Tree", "tree_of"]

USE_FAST_SCAN = True
"""Whether :class:`Scan` reads plain files itself; ``False`` reads every file with the reference
reader (for comparisons in tests and benchmarks)."""

Record = tuple[str, Any, bool, list[Node]]
"""One record: its tag, its tree (or what :attr:`Scan.quick` read it into), whether a watched
tag is inside it, and its elements holding text beside child elements
(:meth:`Node.stray_text`, from the reference reader only)."""

BLOCK_SIZE = 8 * FAST_CHUNK_SIZE
"""Bytes read at a time: a multiple of the reference reader's chunk size (see the module)."""

_DEPTH = 200
_TEXT = 60_000
_SPACE = 4_096
_PARTIAL = 8_192
_BUFFER = 1 << 20
"""Limits of the plain subset, below those of :mod:`._guard`: nesting, the text of an element,
white space between tags, an unfinished piece at the end of a block, and a block without an
end tag. Beyond them a file is read by the reference reader."""

_NAME = rb"[A-Za-z_][\w.-]{0,199}+"
_TOKEN = re.compile(
    rb"<(/?%s/?)>(?:(?<=[\w.-]>)([^<]{1,%d}+)</\1>)?[ \t\r\n]{0,%d}+([^<]{0,%d}+)"
    % (_NAME, _TEXT, _SPACE, _TEXT)
)
"""A token: a start tag (``A``), an end tag (``/A``), an empty element (``A/``) or an element
holding only text (``A`` and its text); then white space, and any other text after it (text
beside elements: the record holding it is taken from the reference reader)."""
_SUSPECT = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32)) + b"&"
"""Bytes that make a block not plain: control characters (which XML does not allow) and ``&``
(an entity or character reference). A comment, a processing instruction or a CDATA section
fails the check that every ``<`` begins a token."""
_SPACES = re.compile(rb"[ \t\r\n]{0,%d}" % _SPACE)
_ROOT_TAG = re.compile(
    rb"<[^\s/>]++(?:[ \t\r\n]++[^\s=/>]++[ \t\r\n]*+=[ \t\r\n]*+(?:\"[^\"]*+\"|'[^']*+'))*+"
    rb"[ \t\r\n]*+(/?)>"
)
_SINGLE_BYTE = {
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "latin-1",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
}
"""Declared single-byte encodings, read as UTF-8 after decoding them as expat does (for these,
with Python's codec; a byte the codec does not know hands the file over)."""
_ODD = itemgetter(2)
_TEXTS = itemgetter(1)
_ABSENT = object()


class Scan:
    """The records of a return (the elements whose tag path from the root is in ``capture``), in
    document order, each as a :data:`Record`; ``watch`` names tags whose presence inside a
    record is reported with it (a CIN census ``Child`` inside a ``Child``).

    Iterate once; call :meth:`close` when done (a ``contextlib.closing`` block).

    Raises (while iterating):
        InputError: as :func:`._xml_reference.iter_elements` does, with the same messages and
            locations.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        kind: str,
        root: str,
        capture: frozenset[tuple[str, ...]],
        watch: frozenset[str] = frozenset(),
    ) -> None:
        self.name = os.fspath(path)
        self.kind = kind
        self.root = root
        self.capture = capture
        self.watch = frozenset(t.encode() for t in watch)
        self.fast = True
        """Whether every record so far came from this reader (False once handed over)."""
        self.count = 0
        """The records delivered so far."""
        self.done: list[tuple[str, Tree]] = []
        """The records completed in the block being walked."""
        routes: dict[bytes, Any] = {}
        for tags in capture:
            if len(tags) < 2 or tags[0] != root:
                raise ValueError(f"a captured path must start below the root: {tags!r}")
            level = routes
            for tag in tags[1:-1]:
                level = level.setdefault(tag.encode(), {})
            level[tags[-1].encode()] = None
        self._routes = routes
        self._nested = False
        self._mixed_records: set[int] = set()
        self._skipped: list[str] = []
        self._reference_skipped: list[str] = []
        self._reference: Generator[Node, None, None] | None = None
        self._reference_count = 0
        self._node: Node | None = None
        self._stack: list[dict[Any, Any]] = []
        self._names: list[bytes] = []
        self.quick: tuple[str, bytes, Callable[[re.Match[bytes]], Any]] | None = None
        """A captured tag, a pattern and a function: a record of that tag whose content the
        pattern matches whole is not walked but read by the function from the match (its
        groups: the tag's start and end tags are not in them), into what is delivered in place
        of its tree (not a dict), unless it gives ``None``. See :meth:`_quickly`. Set before
        iterating."""
        self._records = self._generate()

    def __iter__(self) -> Iterator[Record]:
        return self._records

    def close(self) -> None:
        """Stop reading and close the file (and the reference reader, if one was started)."""
        self._records.close()
        if self._reference is not None:
            self._reference.close()

    @property
    def skipped(self) -> list[str]:
        """The tag paths of the elements found where no captured path leads (their content is
        not read), each once, in the order found: see :func:`._xml_reference.iter_elements`."""
        return list(dict.fromkeys(self._skipped if self.fast else self._reference_skipped))

    def skip(self, path: str) -> None:
        self._skipped.append(path)

    def node(self) -> Node:
        """The current record (the last one delivered) as the reference reader builds it, with
        the line and path of each element."""
        reference = self._start_reference()
        while self._reference_count < self.count:
            self._node = next(reference)
            self._reference_count += 1
        if self._node is None:
            raise ValueError("no current record")
        return self._node

    def _start_reference(self) -> Generator[Node, None, None]:
        """The reference reader over the same file, started once."""
        if self._reference is None:
            self._reference = iter_elements(
                self.name,
                kind=self.kind,
                root=self.root,
                capture=self.capture,
                chunk_size=FAST_CHUNK_SIZE,
                skipped=self._reference_skipped,
            )
        return self._reference

    # -- reading ------------------------------------------------------------------------------

    def _generate(self) -> Generator[Record, None, None]:
        watch = self.watch
        try:
            for done in self._scan():
                nested = self._nested
                mixed = self._mixed_records
                for tag, tree in done:
                    self.count += 1
                    if mixed and id(tree) in mixed:
                        mixed.discard(id(tree))
                        node = self.node()
                        tree = tree_of(node)
                        yield tag, tree, nested and watched(tree, watch), node.strays or []
                    elif type(tree) is dict:
                        yield tag, tree, nested and watched(tree, watch), []
                    else:  # read by quick
                        yield tag, tree, False, []
            return
        except Handover:
            pass
        self.fast = False
        self._stack = []
        self.done = []
        reference = self._start_reference()
        while self._reference_count < self.count:  # the records delivered already
            self._node = next(reference)
            self._reference_count += 1
        for node in reference:
            self._reference_count += 1
            self.count += 1
            self._node = node
            tree = tree_of(node)
            yield node.tag, tree, bool(watch) and watched(tree, watch), node.strays or []

    def _scan(self) -> Generator[list[tuple[str, Tree]], None, None]:
        """The records completed in each block (see :meth:`_block`)."""
        if not USE_FAST_SCAN:
            raise Handover
        try:
            stream = open(self.name, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as exc:
            raise NotAReturn(f"cannot open the file: {exc.strerror}", path=self.name) from None
        with stream:
            prolog = read_prolog(
                stream,
                self.name,
                Shape(self.name),
                kind=self.kind,
                root=self.root,
                chunk_size=FAST_CHUNK_SIZE,
            )
            head = prolog.chunks[0][:4]
            encoding = (prolog.encoding or "utf-8").lower()
            codec = _SINGLE_BYTE.get(encoding)
            if (
                sum(map(len, prolog.chunks)) > _BUFFER
                or head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x3c\x00"))
                or (encoding != "utf-8" and (codec is None or head.startswith(b"\xef\xbb\xbf")))
            ):
                raise Handover
            data = b"".join(prolog.chunks)
            start = _ROOT_TAG.match(data, prolog.root_at)
            if start is None or start.group(1):
                raise Handover
            buf = _utf8(data[start.end() :], codec)
            del data, prolog
            self._stack = [Level(), Route(self._routes, self.root)]
            self._names = [self.root.encode()]
            final = False
            while not final:
                chunk = stream.read(BLOCK_SIZE)
                final = not chunk
                buf += _utf8(chunk, codec)
                if final:
                    end = cut = len(buf)
                else:
                    end = _last_end_tag(buf)
                    cut = buf.rfind(b">") + 1
                    if len(buf) - cut > _PARTIAL or (end < 0 and len(buf) > _BUFFER):
                        raise Handover
                    if end < 0:
                        continue
                yield self._block(buf, end, cut, final)
                buf = buf[end:]

    def _block(self, buf: bytes, end: int, cut: int, final: bool) -> list[tuple[str, Tree]]:
        """Check ``buf`` up to ``cut`` (the last ``>``), walk its tokens up to ``end`` (the end
        of its last end tag); the records completed."""
        if len(buf.translate(None, _SUSPECT)) != len(buf) or (b"]" in buf and b"]]>" in buf):
            raise Handover  # "]]>" is not allowed in text
        if not buf.isascii():
            checked = buf[:cut]
            try:
                checked.decode("utf-8")
            except UnicodeDecodeError:
                raise Handover from None
            if b"\xef\xbf\xbe" in checked or b"\xef\xbf\xbf" in checked:  # U+FFFE, U+FFFF
                raise Handover
        rest = _tokens(buf, end, cut)[0] if cut > end else []
        start = self._quickly(buf, end) if self.quick is not None else 0
        self._walk_part(buf, start, end)
        if len(self._stack) + len(rest) > _DEPTH:
            raise Handover
        if final and len(self._stack) != 1:
            raise Handover  # the root element is not closed: the reference reader says why
        done, self.done = self.done, []
        return done

    def _walk_part(self, buf: bytes, start: int, end: int) -> None:
        """Walk the tokens of ``buf[start:end]`` (whole tokens)."""
        tokens, text = _tokens(buf, start, end)
        if text:
            self._mixed(tokens, text)
        else:
            self._walk(tokens)

    def _quickly(self, buf: bytes, end: int) -> int:
        """Deliver the records of :attr:`quick`'s tag in ``buf`` (up to ``end``) while the walk
        is where such records are (none open), each read by its function when its pattern
        matches, or else walked; the offset where the walk is to go on (after anything else).

        Every byte of ``buf`` is still checked: the records read are matched whole by the
        pattern, everything else is walked (its tokens checked as any other)."""
        assert self.quick is not None
        name, content, quick = self.quick
        tag = name.encode()
        at = 0
        if not self._at_records(tag):  # walked first to the end of the record open, or else
            # to the first start tag of such a record
            if type(self._stack[-1]) is dict:
                at = buf.find(b"</%s>" % tag, 0, end)
                at = at + len(tag) + 3 if at >= 0 else -1
            else:
                at = buf.find(b"<%s>" % tag, 0, end)
            if at < 0:
                return 0
            self._walk_part(buf, 0, at)
            if not self._at_records(tag):
                return at
        top = self._stack[-1]
        depth = len(self._stack)
        done = self.done
        for found in _quick_pattern(tag, content).finditer(buf, at, end):
            start = found.start()
            if start != at:  # something else before it: walked
                self._walk_part(buf, at, start)
                if len(self._stack) != depth or self._stack[-1] is not top:
                    return start
            read = quick(found)
            at = found.end()
            if read is not None:
                done.append((name, read))
            else:
                self._walk_part(buf, start, at)
        return at

    def _at_records(self, tag: bytes) -> bool:
        """Whether the walk is where the records of ``tag`` are, none open."""
        top = self._stack[-1]
        return type(top) is Route and top.below.get(tag, _ABSENT) is None

    def _mixed(self, tokens: list[tuple[bytes, bytes, bytes]], text: bytes) -> None:
        """Walk tokens some of which are followed by text beside elements (``text``: any at the
        start); the records holding it are marked, to be taken from the reference reader."""
        if text.strip(b" \t\r\n"):
            self._mark()
        start = 0
        for at, token in enumerate(tokens):
            if token[2] and token[2].strip(b" \t\r\n"):
                self._walk(tokens[start : at + 1])
                self._mark()
                start = at + 1
        self._walk(tokens[start:])

    def _mark(self) -> None:
        """Text beside elements in the current element: the record holding it is read by the
        reference reader (text outside the records is not read; after the root, junk)."""
        for level in self._stack:
            if type(level) is dict:
                self._mixed_records.add(id(level))
                return
        if len(self._stack) == 1:
            raise Handover

    def _walk(self, tokens: list[tuple[bytes, bytes, bytes]]) -> None:
        """Build the trees of the records from the tokens, checking that the tags nest."""
        stack = self._stack
        names = self._names
        watch = self.watch
        top = stack[-1]
        try:
            for tag, text, _ in tokens:
                if text:
                    if tag in top or tag in watch:
                        self._again(top, tag, text)
                    else:
                        top[tag] = text
                elif tag[0] != 47:  # a start tag, or an empty element
                    tree: dict[Any, Any] = {}
                    if tag[-1] == 47:
                        tag = tag[:-1]
                        if tag in top or tag in watch:
                            self._again(top, tag, tree)
                        else:
                            top[tag] = tree
                        continue
                    if tag in top or tag in watch:
                        tree = self._open(top, tag, tree)
                    else:
                        top[tag] = tree
                    stack.append(tree)
                    names.append(tag)
                    top = tree
                    if len(stack) > _DEPTH:
                        raise Handover
                else:
                    if names.pop() != tag[1:]:
                        raise Handover  # malformed: the reference reader says how
                    closed = stack.pop()
                    top = stack[-1]
                    if type(top) is not dict:
                        top.closed(closed, self)  # type: ignore[attr-defined]
        except IndexError:
            raise Handover from None

    def _again(self, top: dict[Any, Any], tag: bytes, entry: Any) -> None:
        """A repeated or watched tag in a record, or any element holding only text outside the
        records."""
        if type(top) is dict:
            if tag in self.watch:
                self._nested = True
            old = top.get(tag, _ABSENT)
            if old is _ABSENT:
                top[tag] = entry
            elif type(old) is list:
                old.append(entry)
            else:
                top[tag] = [old, entry]
        else:
            top.leaf(tag, self)  # type: ignore[attr-defined]

    def _open(self, top: dict[Any, Any], tag: bytes, tree: dict[Any, Any]) -> dict[Any, Any]:
        """A repeated tag in a record, or any start tag outside the records."""
        if type(top) is dict:
            self._again(top, tag, tree)
            return tree
        opened: dict[Any, Any] = top.open(tag, self)  # type: ignore[attr-defined]
        return opened


@functools.cache
def _quick_pattern(tag: bytes, content: bytes) -> re.Pattern[bytes]:
    """An element ``tag`` whose content matches ``content``, and white space after it (as much
    as after a token)."""
    return re.compile(rb"<%s>(?:%s)</%s>[ \t\r\n]{0,%d}+" % (tag, content, tag, _SPACE))


def _utf8(data: bytes, codec: str | None) -> bytes:
    """``data`` in UTF-8, from ``codec`` (``None``: UTF-8 already)."""
    if codec is None or data.isascii():
        return data
    try:
        return data.decode(codec).encode()
    except UnicodeDecodeError:
        raise Handover from None


def _last_end_tag(buf: bytes) -> int:
    """The offset just after the last complete end tag in ``buf``; -1 if none."""
    at = buf.rfind(b"</")
    while at >= 0:
        end = buf.find(b">", at)
        if end >= 0:
            return end + 1
        at = buf.rfind(b"</", 0, at)
    return -1


def _tokens(buf: bytes, start: int, end: int) -> tuple[list[tuple[bytes, bytes, bytes]], bytes]:
    """The tokens of ``buf[start:end]``, after checking that they account for all of it (every
    ``<`` begins a token), and the text before the first (empty if white space only); or,
    when some text beside elements is found, ``b" "`` if there is none before the first."""
    tokens: list[tuple[bytes, bytes, bytes]] = _TOKEN.findall(buf, start, end)
    texts = list(map(_TEXTS, tokens))
    if buf.count(b"<", start, end) != 2 * len(tokens) - texts.count(b""):
        raise Handover
    first = buf.find(b"<", start, end)
    first = end if first < 0 else first
    text = b""
    if _SPACES.fullmatch(buf, start, first) is None:
        if first - start >= _TEXT:
            raise Handover  # longer than text may be
        text = buf[start:first]
    if any(map(_ODD, tokens)):
        if max(map(len, map(_ODD, tokens))) >= _TEXT:
            raise Handover
        text = text or b" "
    return tokens, text
