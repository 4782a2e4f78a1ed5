"""The trees :class:`._xml_scan.Scan` builds, and the elements on the way to the records.

A record (a CIN census ``Child``) is built as a tree of dicts (:data:`Tree`). The elements
outside the records (the root, a CIN census ``Children``, an element where the return has none)
are :class:`Level` dicts, which take every token in them through their methods: a record or a
route begins, an element is skipped (its path noted, its content not read), the root ends.
:func:`tree_of` makes the same tree from the reference reader's copy of a record.

Split from :mod:`._xml_scan` by concern: this module is what the scanner builds, that one how it
reads the bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._xml import Node

if TYPE_CHECKING:
    from ._xml_scan import Scan

__all__ = ["SINK", "Handover", "Level", "Route", "Tree", "tree_of", "watched"]

Tree = dict[Any, Any]
"""A record or one of its elements: each child element's tag (bytes) -> its text (bytes from
the scanner, str from the reference reader), its tree, or a list of these (a repeated tag), in
document order; the key ``None`` holds the element's own text beside child elements (mixed
content, from the reference reader only)."""


class Handover(Exception):
    """The rest of the file is read by the reference reader."""


_NOT_FOUND = object()


class Level(dict[Any, Any]):
    """An element outside the records: every token in it goes to its methods (``in`` says yes,
    so that the walk takes its slow branch)."""

    __slots__ = ()

    def __contains__(self, key: object) -> bool:
        return True

    def open(self, tag: bytes, scan: Scan) -> dict[Any, Any]:
        raise Handover  # after the root element: junk, which the reference reader reports

    def leaf(self, tag: bytes, scan: Scan) -> None:
        raise Handover

    def closed(self, top: dict[Any, Any], scan: Scan) -> None:
        return None


class _Sink(Level):
    """An element where the return has none, and everything in it: not read."""

    __slots__ = ()

    def open(self, tag: bytes, scan: Scan) -> dict[Any, Any]:
        return self

    def leaf(self, tag: bytes, scan: Scan) -> None:
        return None


SINK = _Sink()


class Route(Level):
    """An element on the way to the records (the root; a CIN census ``Children``)."""

    __slots__ = ("below", "path", "record")

    def __init__(self, below: dict[bytes, Any], path: str) -> None:
        super().__init__()
        self.below = below
        self.path = path
        self.record: tuple[str, Tree] | None = None

    def _step(self, tag: bytes, scan: Scan) -> Any:
        below = self.below.get(tag, _NOT_FOUND)
        if below is _NOT_FOUND:
            scan.skip(f"{self.path}/{tag.decode()}")
        return below

    def open(self, tag: bytes, scan: Scan) -> dict[Any, Any]:
        below = self._step(tag, scan)
        if below is None:
            tree: Tree = {}
            self.record = (tag.decode(), tree)
            return tree
        if below is _NOT_FOUND:
            return SINK
        return Route(below, f"{self.path}/{tag.decode()}")

    def leaf(self, tag: bytes, scan: Scan) -> None:
        if self._step(tag, scan) is None:
            scan.done.append((tag.decode(), {}))

    def closed(self, top: dict[Any, Any], scan: Scan) -> None:
        if self.record is not None and top is self.record[1]:
            scan.done.append(self.record)
            self.record = None


def watched(tree: Tree, watch: frozenset[bytes]) -> bool:
    """Whether a tag of ``watch`` is anywhere in the tree."""
    for key, entry in tree.items():
        if key in watch:
            return True
        for item in entry if type(entry) is list else (entry,):
            if type(item) is dict and watched(item, watch):
                return True
    return False


def tree_of(node: Node) -> Tree:
    """The tree of an element built by the reference reader, as :class:`Scan` builds it from a
    plain file (texts as str rather than bytes; the own text of an element holding text beside
    child elements under the key ``None``)."""
    tree: Tree = {}
    if node.children and node.text.strip():
        tree[None] = node.text
    for child in node.children:
        key = child.tag.encode()
        entry: Any = tree_of(child) if child.children else child.text
        if key in tree:
            old = tree[key]
            if type(old) is list:
                old.append(entry)
            else:
                tree[key] = [old, entry]
        else:
            tree[key] = entry
    return tree
