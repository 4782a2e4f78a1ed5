"""The items of one XML group element (an SSDA903 ``EPISODE``, a CIN census ``CINdetails``),
read by column name for the table builders (:func:`._tables.build`).

An item is looked up when it is read; an item repeated in the group with another value (two
``DECOM`` in one ``EPISODE``, two ``CINreferralDate`` in one ``CINdetails``) cannot be resolved
without guessing, so it is noted in :attr:`ElementGroup.clashes` and the reader reports the
record (kind ``conflict``) instead of loading it. Repeats with the same value are harmless and read
once. Repeated elements declared as such (``Disabilities/Disability``, ``CPPreviewDate``) are
read with :meth:`ElementGroup.get_all`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Protocol
from xml.etree.ElementTree import Element

from ._common import Problems
from ._tables import Table

__all__ = ["Clashes", "ElementGroup", "names_of", "report_clash"]

_NONE: Mapping[str, str | None] = MappingProxyType({})


def names_of(table: Table) -> dict[str, str]:
    """Column name -> element path, for a table's XML form; also each path's last element name
    (the statutory item a record field names) -> its path."""
    names: dict[str, str] = {}
    for column in table.items:
        names.setdefault(column.name, column.element)
        names.setdefault(column.element.rsplit("/", 1)[-1], column.element)
    return names


class ElementGroup:
    """The items of one group element, read by column name; repeated items with different
    values are noted in :attr:`clashes` (element path, its texts).

    Nothing is read before it is asked for: an item's elements are found by the C
    ``findall`` of their tag (a path's parent elements are found once per group)."""

    __slots__ = ("_parents", "clashes", "inherited", "locate", "names", "node")

    def __init__(
        self,
        node: Element,
        names: Mapping[str, str],
        locate: Callable[[Element], str],
        inherited: Mapping[str, str | None] | None = None,
    ) -> None:
        self.node = node
        self.names = names
        self.locate = locate
        self.inherited = inherited or _NONE
        self.clashes: list[tuple[str, list[str]]] = []
        self._parents: dict[str, list[Element]] | None = None

    @property
    def row(self) -> ElementGroup:
        """The group, as a table builder reads it (:class:`._tables.Row`)."""
        return self

    def elements(self, path: str) -> list[Element]:
        """The elements at ``path`` (a name or a path below the group), in document order."""
        if "/" not in path:
            return self.node.findall(path)  # in C for a plain tag
        head, _, tag = path.rpartition("/")
        parents = self._parents
        if parents is None:
            parents = self._parents = {}
        found = parents.get(head)
        if found is None:
            found = parents[head] = self.elements(head)
        if len(found) == 1:
            return found[0].findall(tag)
        return [e for parent in found for e in parent.findall(tag)]

    def get(self, column: str) -> str | None:
        """The stripped text of the column's element (``None``: absent or blank); a column the
        group inherits (the child's id and date of birth) comes from its parent when absent."""
        inherited = self.inherited
        if inherited and column in inherited:
            if column == "CHILD" or self._text(column) is None:
                return inherited[column]
            return self._text(column)
        # As _text (inline: this runs for every value read).
        tag = self.names.get(column, column)
        found = self.node.findall(tag) if "/" not in tag else self.elements(tag)
        if len(found) == 1:
            text = found[0].text
            return (text.strip() or None) if text else None
        return self.first(tag, found)

    def _text(self, column: str) -> str | None:
        tag = self.names.get(column, column)
        found = self.elements(tag)
        if len(found) == 1:
            text = found[0].text
            return (text.strip() or None) if text else None
        return self.first(tag, found)

    def first(self, tag: str, found: list[Element]) -> str | None:
        """The first text of the elements ``found`` at ``tag`` (``None``: none, or blank); two
        different texts are noted in :attr:`clashes`."""
        if not found:
            return None
        texts = [(e.text or "").strip() for e in found]
        if len(set(texts)) > 1 and all(tag != t for t, _ in self.clashes):
            self.clashes.append((tag, texts))
        return texts[0] or None

    def get_all(self, column: str) -> list[str]:
        """The texts of every element of a repeated column, in order."""
        return [(e.text or "").strip() for e in self.elements(self.names.get(column, column))]

    def where(self, column: str | None) -> str:
        """The place of the column's element (of the group when absent or ``None``)."""
        if column is None:
            return self.locate(self.node)
        child = self.node.find(self.names.get(column, column))
        return self.locate(child if child is not None else self.node)


class Clashes(Protocol):
    """A group whose repeated items with different values are noted in ``clashes`` (an
    :class:`ElementGroup`, a :class:`~._trees.TreeGroup`)."""

    clashes: list[tuple[str, list[str]]]

    def where(self, column: str | None, /) -> str: ...


def report_clash(group: Clashes, p: Problems, what: str, child_id: str | None) -> bool:
    """Report the group's first clash (the record ``what`` is not loaded); whether there was
    one."""
    if not group.clashes:
        return False
    tag, texts = group.clashes[0]
    values = ", ".join(repr(t[:40]) for t in texts)
    p.report(
        f"the element {tag.rsplit('/', 1)[-1]} appears {len(texts)} times with different values "
        f"({values})" + (f"; the {what} is not loaded" if p.collect else ""),
        location=group.where(tag),
        field=tag.rsplit("/", 1)[-1],
        kind="conflict",
        child_id=child_id,
    )
    group.clashes.clear()
    return True
