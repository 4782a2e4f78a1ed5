"""The indicator registry: every indicator the library computes, described once.

:data:`INDICATORS` maps an indicator id to its :class:`IndicatorSpec`: title, unit of count,
polarity, statutory source, the specification page in ``docs/``, and what the indicator needs
as input, so that the scorecard and the command line can run every indicator a set of records
allows and name those it cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

import attrs

from .results import IndicatorResult, Polarity, ValueKind

__all__ = ["INDICATORS", "IndicatorSpec", "Registry", "register"]

F = TypeVar("F", bound=Callable[..., IndicatorResult])


@attrs.frozen(slots=True)
class IndicatorSpec:
    """The description of one registered indicator."""

    id: str
    """A stable identifier, e.g. ``assessments_within_45_working_days``."""
    title: str
    """A short title as a scorecard shows it."""
    function: Callable[..., IndicatorResult] = attrs.field(repr=False, eq=False)
    """The function that computes it."""
    family: str
    """``children in need`` or ``looked after``."""
    unit: str
    """The unit of count, e.g. ``assessment authorised in the period``."""
    polarity: Polarity
    """Whether a higher value is better."""
    kind: ValueKind
    """Percentage, mean, count or rate."""
    source: str
    """The statutory return and official definition the rule follows."""
    spec_page: str
    """The specification page, relative to ``docs/``."""
    inputs: tuple[str, ...]
    """Names of the record collections passed positionally before the period (bundle field
    names such as ``assessments`` or ``episodes``)."""
    optional_inputs: tuple[str, ...] = ()
    """Record collections passed by keyword of the same name when available."""
    uses_calendar: bool = False
    """Whether the function takes a ``calendar`` keyword."""
    uses_population: bool = False
    """Whether the function takes a ``population`` keyword (for a rate per 10,000)."""
    data_from: tuple[tuple[str, str], ...] = ()
    """``(keyword, source kind)`` pairs: the function takes ``keyword``, the first date its
    data of that kind cover. The scorecard passes 1 April of the earliest collection year of
    the bundle's sources of that kind (``SSDA903`` or ``CIN census``), when it knows one."""


class Registry(Mapping[str, IndicatorSpec]):
    """A read-only mapping of indicator id to :class:`IndicatorSpec`, in registration order."""

    def __init__(self) -> None:
        self._specs: dict[str, IndicatorSpec] = {}

    def __getitem__(self, key: str) -> IndicatorSpec:
        try:
            return self._specs[key]
        except KeyError:
            raise KeyError(f"no indicator is registered as {key!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def _add(self, spec: IndicatorSpec) -> None:
        if spec.id in self._specs:
            raise ValueError(f"indicator {spec.id!r} is registered twice")
        self._specs[spec.id] = spec

    def by_family(self, family: str) -> list[IndicatorSpec]:
        """The registered indicators of one family, in registration order."""
        return [s for s in self._specs.values() if s.family == family]


INDICATORS = Registry()
"""Every registered indicator, by id."""


def register(
    *,
    id: str,
    title: str,
    family: str,
    unit: str,
    polarity: Polarity,
    source: str,
    spec_page: str,
    inputs: tuple[str, ...],
    kind: ValueKind = ValueKind.PERCENTAGE,
    optional_inputs: tuple[str, ...] = (),
    uses_calendar: bool = False,
    uses_population: bool = False,
    data_from: tuple[tuple[str, str], ...] = (),
) -> Callable[[F], F]:
    """Decorator: register an indicator function in :data:`INDICATORS`."""

    def decorate(function: F) -> F:
        INDICATORS._add(
            IndicatorSpec(
                id=id,
                title=title,
                function=function,
                family=family,
                unit=unit,
                polarity=polarity,
                kind=kind,
                source=source,
                spec_page=spec_page,
                inputs=inputs,
                optional_inputs=optional_inputs,
                uses_calendar=uses_calendar,
                uses_population=uses_population,
                data_from=data_from,
            )
        )
        return function

    return decorate
