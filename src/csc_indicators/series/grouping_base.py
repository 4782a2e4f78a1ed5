"""What a breakdown is: :class:`Grouping` (the group of each outcome on a date) and the groups
every breakdown may show (``not recorded``, ``unassigned``).

The breakdowns themselves are in :mod:`~csc_indicators.series.grouping` (the built-in
dimensions) and :mod:`~csc_indicators.series.lookup` (a user's lookup file); every name here is
importable from :mod:`~csc_indicators.series.grouping` too.
"""

from __future__ import annotations

import abc
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from typing import Final

from ..bundle import Bundle
from ..results import Outcome

__all__ = ["NOT_RECORDED", "UNASSIGNED", "GroupOf", "Grouping"]

NOT_RECORDED: Final = "not recorded"
"""The group of an outcome whose child has no value for a dimension."""
UNASSIGNED: Final = "unassigned"
"""The group of an outcome whose child a lookup does not assign on the date."""

GroupOf = Callable[[Outcome, _dt.date], str]
"""The group of an outcome judged on a date."""


class Grouping(abc.ABC):
    """How outcomes are split into groups. Subclass it for a grouping of your own."""

    name: str
    """The name of the breakdown (a column heading: ``age_band``, ``team``...)."""

    @abc.abstractmethod
    def bind(self, bundle: Bundle) -> GroupOf:
        """A function giving the group of an outcome of ``bundle`` on a date."""

    def fixed_groups(self) -> Mapping[str, str]:
        """The children whose group is the same whatever the date and the record, with it
        (a shortcut: the function :meth:`bind` gives must agree); empty by default."""
        return {}

    def known_groups(self) -> tuple[str, ...]:
        """Groups that exist whatever the data (a lookup's groups and ``unassigned``), shown
        even when empty; ``()`` by default."""
        return ()

    def order(self, groups: Iterable[str]) -> list[str]:
        """The groups in the order a table shows them (sorted; ``not recorded`` and
        ``unassigned`` last)."""
        last = (NOT_RECORDED, UNASSIGNED)
        return sorted(set(groups), key=lambda g: (g in last, last.index(g) if g in last else 0, g))
