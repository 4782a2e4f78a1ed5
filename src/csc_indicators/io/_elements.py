"""The items of one XML group element (an SSDA903 ``EPISODE``, a CIN census ``CINdetails``),
read by column name for the table builders (:func:`._tables.build`).

An item is looked up once; an item repeated in the group with another value (two ``DECOM`` in
one ``EPISODE``, two ``CINreferralDate`` in one ``CINdetails``) cannot be resolved without
guessing, so it is noted in :attr:`ElementGroup.clashes` and the reader reports the record
(kind ``conflict``) instead of loading it. Repeats with the same value are harmless and read
once. Repeated elements declared as such (``Disabilities/Disability``, ``CPPreviewDate``) are
read with :meth:`ElementGroup.get_all`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from xml.etree.ElementTree import Element

from ._common import Problems
from ._tables import Group, Table

__all__ = ["ElementGroup", "names_of", "report_clash"]


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
    values are noted in :attr:`clashes` (element path, its texts)."""

    __slots__ = (
        "_direct",
        "_index",
        "_indexed",
        "clashes",
        "inherited",
        "locate",
        "names",
        "node",
        "row",
    )

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
        self.inherited = inherited or {}
        self.clashes: list[tuple[str, list[str]]] = []
        self.row = Group(self.get, self.where, self.get_all)
        self._index: dict[str, list[Element]] = {}
        self._indexed: set[str] = set()
        # The texts of the child elements by tag, in one pass: most columns are children.
        direct: dict[str, list[str]] = {}
        for e in node:
            text = e.text
            found = direct.get(e.tag)
            if found is None:
                direct[e.tag] = [text.strip() if text else ""]
            else:
                found.append(text.strip() if text else "")
        self._direct = direct

    def _elements(self, path: str) -> list[Element]:
        """The elements at ``path`` (a name or a path below the group). Each level's children
        are indexed by tag in one pass, when first needed: cheaper than a search per column."""
        head, _, _ = path.rpartition("/")
        if head not in self._indexed:
            parents = self._elements(head) if head else [self.node]
            index = self._index
            for parent in parents:
                for e in parent:
                    index.setdefault(f"{head}/{e.tag}" if head else e.tag, []).append(e)
            self._indexed.add(head)
        return self._index.get(path, [])

    def _texts(self, tag: str) -> list[str]:
        found = self._direct.get(tag)  # a path's texts are kept here too once read
        if found is None:
            found = self._direct[tag] = [(e.text or "").strip() for e in self._elements(tag)]
        return found

    def get(self, column: str) -> str | None:
        """The stripped text of the column's element (``None``: absent or blank); a column the
        group inherits (the child's id and date of birth) comes from its parent when absent."""
        inherited = self.inherited
        if inherited and column in inherited and (column == "CHILD" or self._text(column) is None):
            return inherited[column]
        return self._text(column)

    def _text(self, column: str) -> str | None:
        tag = self.names.get(column, column)
        texts = self._texts(tag) if "/" in tag else self._direct.get(tag)
        if not texts:
            return None
        if len(texts) == 1:
            return texts[0] or None
        if len(set(texts)) > 1 and all(tag != t for t, _ in self.clashes):
            self.clashes.append((tag, texts))
        return texts[0] or None

    def get_all(self, column: str) -> list[str]:
        """The texts of every element of a repeated column, in order."""
        tag = self.names.get(column, column)
        return self._texts(tag) if "/" in tag else list(self._direct.get(tag, ()))

    def where(self, column: str | None) -> str:
        """The place of the column's element (of the group when absent or ``None``)."""
        if column is None:
            return self.locate(self.node)
        child = self.node.find(self.names.get(column, column))
        return self.locate(child if child is not None else self.node)


def report_clash(group: ElementGroup, p: Problems, what: str, child_id: str | None) -> bool:
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
