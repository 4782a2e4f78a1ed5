"""Refusing hostile XML shapes before the parser sees them, in time linear in the file's size.

expat (and so ElementTree) re-scans a markup token that is still incomplete each time it is fed
more bytes, so one huge token (a tag name, an attribute value, a comment, a processing
instruction) fed in chunks costs time quadratic in its size; very deep nesting costs memory and,
in code that walks a record, recursion. A statutory return has none of these: its elements nest
a few levels deep, its names are short and its values are dates, codes and identifiers. So every
chunk is checked by :class:`Shape` before it is parsed, and a file that exceeds a limit is
refused (:class:`~csc_indicators.io._xml.NotAReturn`, with the line) in either error mode:

* :data:`MAX_DEPTH` levels of nested elements;
* :data:`MAX_NAME` characters in an element or attribute name;
* :data:`MAX_MARKUP` characters in one piece of markup (a tag with its attributes, a comment, a
  processing instruction, a CDATA section);
* :data:`MAX_TEXT` characters of text between two tags.

The check runs mostly in C (one regular expression consumes runs of ordinary tags and short
text, counted with ``bytes.count``); only unusual markup is looked at from Python.
"""

from __future__ import annotations

import codecs
import re

from ._common import NotAReturn

__all__ = ["MAX_DEPTH", "MAX_MARKUP", "MAX_NAME", "MAX_TEXT", "Shape"]

MAX_DEPTH = 256
"""Nested elements refused beyond this depth (a return nests about 7 deep)."""
MAX_NAME = 256
"""Characters in an element or attribute name."""
MAX_MARKUP = 65_536
"""Characters in one tag (with its attributes), comment, processing instruction or CDATA."""
MAX_TEXT = 65_536
"""Characters of text (character data) between two tags."""

_NAME = rb"[A-Za-z_:][-\w.:]{0,%d}+" % (MAX_NAME - 1)
_SIMPLE = re.compile(
    rb"(?:[^<>]{0,%d}+<(?:/?%s(?:\s++%s\s*+=\s*+(?:\"[^\"<>]{0,4096}+\"|'[^'<>]{0,4096}+'))*+"
    rb"\s*+/?)>)*[^<>]{0,%d}+" % (MAX_TEXT, _NAME, _NAME, MAX_TEXT)
)
"""Ordinary tags (no ``>`` inside attribute values) and short text: consumed at C speed."""
_LEAF = re.compile(rb"<[^<>/!?][^<>]*(?<!/)>[^<>]*</[^<>]*>|<[^<>]*/>")
"""An element holding only text, or an empty one: removed to bound the depth cheaply."""
_TAG = re.compile(rb"<(/?)[^>]*?(/?)>")
_MARKUP_TAG = re.compile(rb"<(/?)([^\s/>\"']*+)((?:[^\"'>]++|\"[^\"]*+\"|'[^']*+')*+)>")
_ENDS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"), (b"<!", b">"))


class Shape:
    """Checks a file's bytes, chunk by chunk, against the limits (see the module)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.depth = 0
        self.text = 0
        self.lines = 0
        self.tail = b""
        self.started = False
        self.decoder: codecs.IncrementalDecoder | None = None

    def _refuse(self, what: str, limit: int, data: bytes, at: int) -> NotAReturn:
        line = self.lines + data.count(b"\n", 0, at) + 1
        return NotAReturn(
            f"refused: {what} (the limit is {limit:,}); a statutory return never has one",
            path=self.path,
            location=f"line {line}",
        )

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Check the next chunk of the file (``final``: the file ends after it).

        Raises:
            NotAReturn: a limit is exceeded, with the line where it happens.
        """
        if not self.started:
            self.started = True
            head = chunk[:2]
            if head in (b"\xff\xfe", b"<\x00"):
                self.decoder = codecs.getincrementaldecoder("utf-16-le")("replace")
            elif head in (b"\xfe\xff", b"\x00<"):
                self.decoder = codecs.getincrementaldecoder("utf-16-be")("replace")
        if self.decoder is not None:
            chunk = self.decoder.decode(chunk, final).encode("utf-8")
        data = self.tail + chunk if self.tail else chunk
        self.tail = b""
        pos = self._scan(data, final)
        self.lines += data.count(b"\n", 0, pos)
        self.tail = data[pos:]

    def _grow_text(self, data: bytes, start: int, end: int) -> None:
        self.text += end - start
        if self.text > MAX_TEXT:
            raise self._refuse("a text value longer than the limit", MAX_TEXT, data, end)

    def _open(self, data: bytes, at: int, count: int = 1) -> None:
        self.depth += count
        if self.depth > MAX_DEPTH:
            raise self._refuse("elements nested more deeply than the limit", MAX_DEPTH, data, at)

    def _scan(self, data: bytes, final: bool) -> int:
        """Check ``data`` from the start; the offset up to which it was checked (the rest is an
        unfinished piece of markup, carried over to the next chunk)."""
        pos = 0
        size = len(data)
        while pos < size:
            simple = _SIMPLE.match(data, pos)
            end = simple.end() if simple is not None else pos
            if end > pos:
                self._simple(data, pos, end)
                pos = end
                continue
            byte = data[pos : pos + 1]
            if byte == b">":
                self._grow_text(data, pos, pos + 1)
                pos += 1
                continue
            if byte != b"<":
                found = data.find(b"<", pos)
                stop = size if found < 0 else found
                self._grow_text(data, pos, stop)
                pos = stop
                continue
            if size - pos < 9 and not final:
                return pos
            done = self._markup(data, pos, final)
            if done < 0:
                return pos
            pos = done
        return pos

    def _simple(self, data: bytes, start: int, end: int) -> None:
        first = data.find(b"<", start, end)
        if first < 0:
            self._grow_text(data, start, end)
            return
        self._grow_text(data, start, first)
        closes = data.count(b"</", start, end)
        opens = data.count(b"<", start, end) - closes - data.count(b"/>", start, end)
        if self.depth + opens > MAX_DEPTH:
            stripped = _LEAF.sub(b"", data[start:end])
            rest = stripped.count(b"<") - 2 * stripped.count(b"</")
            if self.depth + max(rest, 0) + 1 > MAX_DEPTH:
                for tag in _TAG.finditer(data, start, end):
                    if tag.group(1):
                        self.depth = max(self.depth - 1, 0)
                    elif not tag.group(2):
                        self._open(data, tag.start())
                self.text = end - data.rfind(b">", start, end) - 1
                return
        self.depth = max(self.depth + opens - closes, 0)
        self.text = end - data.rfind(b">", start, end) - 1

    def _markup(self, data: bytes, pos: int, final: bool) -> int:
        """Check the markup starting at ``pos``; the offset after it, or -1 if it is not
        complete in ``data`` (to be carried over)."""
        for opening, closing in _ENDS:
            if data.startswith(opening, pos):
                found = data.find(closing, pos + len(opening), pos + MAX_MARKUP + len(closing))
                if found < 0:
                    return self._unfinished(data, pos, final, "a comment or declaration")
                if opening == b"<![CDATA[":
                    self._grow_text(data, pos, found + 3)
                return found + len(closing)
        tag = _MARKUP_TAG.match(data, pos, min(len(data), pos + MAX_MARKUP + 1))
        if tag is None:
            if data.find(b">", pos, pos + MAX_MARKUP + 1) < 0:
                return self._unfinished(data, pos, final, "a tag")
            return pos + 1  # malformed: the parser reports it
        if len(tag.group(2)) > MAX_NAME:
            raise self._refuse("an element name longer than the limit", MAX_NAME, data, pos)
        if tag.group(1):
            self.depth = max(self.depth - 1, 0)
        elif not tag.group(3).endswith(b"/"):
            self._open(data, pos)
        self.text = 0
        return tag.end()

    def _unfinished(self, data: bytes, pos: int, final: bool, what: str) -> int:
        if len(data) - pos > MAX_MARKUP:
            raise self._refuse(f"{what} longer than the limit", MAX_MARKUP, data, pos)
        if final:
            return len(data)  # the parser reports the file as ending early
        return -1
