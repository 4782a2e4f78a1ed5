"""The indicator registry: every indicator the library computes, described once.

:data:`INDICATORS` maps an indicator id to its :class:`IndicatorSpec`. The ``@register(...)``
decorator on an indicator function is the single place where an indicator's identity is
declared: its title and short title, family, unit of count, polarity, sources and the codes
under which DfE publishes it, and its published rounding. The id is the function's name; the
record collections it needs, whether it takes a working-day calendar or a population, are read
from the function's signature. Results take their id and title from the spec
(:class:`~csc_indicators.results.ResultBuilder`), so nothing else can label them.

:data:`SCORECARD_ORDER` is the order a scorecard lists the indicators in.
"""

from __future__ import annotations

import csv
import enum
import inspect
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from typing import Any, Literal, TypeVar, get_args

import attrs

from .bundle import RECORD_FIELDS
from .results import IndicatorResult, Polarity, ValueKind

__all__ = [
    "INDICATORS",
    "SCORECARD_ORDER",
    "SHORT_TITLE_MAX",
    "Family",
    "IndicatorSpec",
    "PublishedCode",
    "Registry",
    "UnitShown",
    "make_spec",
    "over_periods",
    "over_periods_of",
    "published_codes",
    "published_decimals",
    "register",
    "spec_of",
    "unit_shown_for",
]

F = TypeVar("F", bound=Callable[..., IndicatorResult])

SHORT_TITLE_MAX = 45
"""The longest short title, so that a scorecard table fits in 100 columns."""

UnitShown = Literal["%", "per 10,000", "days", "count"]
"""How a value is labelled where it is shown."""

_SPEC_ATTRIBUTE = "__indicator_spec__"


class Family(enum.StrEnum):
    """The statutory return an indicator is computed from."""

    CHILDREN_IN_NEED = "children in need"
    """The children in need census."""
    LOOKED_AFTER = "looked after"
    """The SSDA903 return of children looked after."""


def published_decimals(family: Family, kind: ValueKind) -> int:
    """The decimal places DfE publishes a value of this family and kind to (halves rounded up).

    Children-in-need percentages to 1 decimal place, looked-after percentages as whole
    numbers, means (days) as whole days, counts as integers and rates per 10,000 children to
    1 decimal place.
    """
    if kind is ValueKind.PERCENTAGE:
        return 1 if family is Family.CHILDREN_IN_NEED else 0
    if kind is ValueKind.RATE_PER_10K:
        return 1
    return 0


def unit_shown_for(kind: ValueKind) -> UnitShown:
    """The label of a value of this kind: ``%``, ``per 10,000``, ``days`` or ``count``."""
    shown: dict[ValueKind, UnitShown] = {
        ValueKind.PERCENTAGE: "%",
        ValueKind.RATE_PER_10K: "per 10,000",
        ValueKind.MEAN: "days",
        ValueKind.COUNT: "count",
    }
    return shown[kind]


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _short(instance: IndicatorSpec, attribute: attrs.Attribute[str], value: str) -> None:
    if not value or len(value) > SHORT_TITLE_MAX:
        raise ValueError(
            f"{instance.id}: short_title must be 1 to {SHORT_TITLE_MAX} characters, "
            f"got {len(value)}: {value!r}"
        )


def _inputs(
    instance: IndicatorSpec, attribute: attrs.Attribute[tuple[str, ...]], value: Any
) -> None:
    unknown = [name for name in value if name not in RECORD_FIELDS]
    if unknown:
        raise ValueError(f"{instance.id}: {attribute.name} {unknown} are not Bundle fields")


def _unit_shown(instance: IndicatorSpec, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in get_args(UnitShown):
        raise ValueError(f"{instance.id}: unit_shown must be one of {get_args(UnitShown)}")


@attrs.frozen(slots=True)
class IndicatorSpec:
    """The description of one registered indicator: who it is, how it is published, and what
    it needs (derived from the function's signature)."""

    id: str
    """A stable identifier, the function's name, e.g. ``assessments_within_45_working_days``."""
    title: str
    """The full title, as a specification page or a chart shows it."""
    short_title: str = attrs.field(validator=_short)
    """A title of at most :data:`SHORT_TITLE_MAX` characters for tables."""
    function: Callable[..., IndicatorResult] = attrs.field(repr=False, eq=False)
    """The function that computes it."""
    family: Family = attrs.field(converter=Family)
    """The statutory return it is computed from."""
    unit: str
    """The unit of count, e.g. ``assessment authorised in the period``."""
    polarity: Polarity
    """Whether a higher value is better."""
    kind: ValueKind
    """Percentage, mean, count or rate."""
    sources: tuple[str, ...] = attrs.field(converter=_str_tuple)
    """The statutory return and the official definitions the rules follow."""
    lait_code: int | None
    """The DfE Local Authority Interactive Tool measure code, when DfE publishes it there."""
    ees: str | None
    """The Explore Education Statistics table (and column) DfE publishes it in, if any."""
    decimals: int = attrs.field(validator=attrs.validators.ge(0))
    """The decimal places of the published value of :attr:`kind` (halves rounded up)."""
    unit_shown: UnitShown = attrs.field(validator=_unit_shown)
    """How the value of :attr:`kind` is labelled: ``%``, ``per 10,000``, ``days``, ``count``."""
    spec_page: str
    """The specification page, relative to ``docs/``."""
    inputs: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_inputs)
    """The record collections passed positionally before the period (Bundle field names such
    as ``assessments`` or ``episodes``)."""
    optional_inputs: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, validator=_inputs
    )
    """Record collections passed by keyword of the same name when the bundle has them."""
    uses_calendar: bool = False
    """Whether the function takes a ``calendar`` keyword."""
    uses_population: bool = False
    """Whether the function takes a ``population`` keyword (for a rate per 10,000)."""
    data_from: tuple[tuple[str, str], ...] = ()
    """``(keyword, source kind)`` pairs: the function takes ``keyword``, the first date its
    data of that kind cover. The scorecard passes 1 April of the earliest collection year of
    the bundle's sources of that kind (``SSDA903`` or ``CIN census``), when it knows one."""

    @property
    def source(self) -> str:
        """The sources as one line (``; `` between them)."""
        return "; ".join(self.sources)

    def decimals_for(self, kind: ValueKind) -> int:
        """The published decimal places of a value of ``kind``: :attr:`decimals` for the
        spec's own kind, the published rule otherwise (a count given as a rate per 10,000)."""
        return self.decimals if kind is self.kind else published_decimals(self.family, kind)

    def unit_shown_for(self, kind: ValueKind) -> UnitShown:
        """The label of a value of ``kind`` (see :meth:`decimals_for`)."""
        return self.unit_shown if kind is self.kind else unit_shown_for(kind)

    def as_dict(self) -> dict[str, Any]:
        """Every public field as plain values (strings, numbers, booleans, lists, ``None``)."""
        return {
            "id": self.id,
            "title": self.title,
            "short_title": self.short_title,
            "family": self.family.value,
            "unit": self.unit,
            "polarity": self.polarity.value,
            "kind": self.kind.value,
            "sources": list(self.sources),
            "lait_code": self.lait_code,
            "ees": self.ees,
            "decimals": self.decimals,
            "unit_shown": self.unit_shown,
            "spec_page": self.spec_page,
            "inputs": list(self.inputs),
            "optional_inputs": list(self.optional_inputs),
            "uses_calendar": self.uses_calendar,
            "uses_population": self.uses_population,
            "data_from": [list(pair) for pair in self.data_from],
        }


def _signature_inputs(
    function: Callable[..., Any],
) -> tuple[tuple[str, ...], tuple[str, ...], bool, bool]:
    """``(inputs, optional_inputs, uses_calendar, uses_population)`` from a signature."""
    parameters = inspect.signature(function).parameters
    names = list(parameters)
    if "period" not in parameters:
        raise TypeError(f"{function.__name__} has no 'period' parameter")
    inputs = tuple(names[: names.index("period")])
    keywords = [p.name for p in parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    optional = tuple(name for name in keywords if name in RECORD_FIELDS)
    return inputs, optional, "calendar" in keywords, "population" in keywords


def make_spec(
    function: Callable[..., IndicatorResult],
    *,
    title: str,
    short_title: str,
    family: Family | str,
    unit: str,
    polarity: Polarity,
    sources: tuple[str, ...],
    kind: ValueKind = ValueKind.PERCENTAGE,
    lait_code: int | None = None,
    ees: str | None = None,
    decimals: int | None = None,
    unit_shown: UnitShown | None = None,
    data_from: tuple[tuple[str, str], ...] = (),
) -> IndicatorSpec:
    """The spec of ``function``: its id is the function's name, its inputs come from its
    signature, and ``decimals`` and ``unit_shown`` default to the published rule for the
    family and kind (:func:`published_decimals`, :func:`unit_shown_for`).

    The spec is bound to the function, so that ``ResultBuilder(function)`` labels its
    results with it (:func:`spec_of`)."""
    inputs, optional, uses_calendar, uses_population = _signature_inputs(function)
    fam = Family(family)
    ident = function.__name__
    spec = IndicatorSpec(
        id=ident,
        title=title,
        short_title=short_title,
        function=function,
        family=fam,
        unit=unit,
        polarity=polarity,
        kind=kind,
        sources=sources,
        lait_code=lait_code,
        ees=ees,
        decimals=published_decimals(fam, kind) if decimals is None else decimals,
        unit_shown=unit_shown_for(kind) if unit_shown is None else unit_shown,
        spec_page=f"indicators/{ident}.md",
        inputs=inputs,
        optional_inputs=optional,
        uses_calendar=uses_calendar,
        uses_population=uses_population,
        data_from=data_from,
    )
    setattr(function, _SPEC_ATTRIBUTE, spec)
    return spec


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

    def register(self, **identity: Any) -> Callable[[F], F]:
        """Decorator: register an indicator function here (the arguments of
        :func:`make_spec` but the function) and bind the spec to the function, so that
        ``ResultBuilder(function)`` labels its results."""

        def decorate(function: F) -> F:
            self._add(make_spec(function, **identity))
            return function

        return decorate

    def by_family(self, family: Family | str) -> list[IndicatorSpec]:
        """The registered indicators of one family, in registration order."""
        return [s for s in self._specs.values() if s.family == family]


INDICATORS = Registry()
"""Every registered indicator, by id."""


def register(
    *,
    title: str,
    short_title: str,
    family: Family,
    unit: str,
    polarity: Polarity,
    sources: tuple[str, ...],
    kind: ValueKind = ValueKind.PERCENTAGE,
    lait_code: int | None = None,
    ees: str | None = None,
    decimals: int | None = None,
    unit_shown: UnitShown | None = None,
    data_from: tuple[tuple[str, str], ...] = (),
) -> Callable[[F], F]:
    """Decorator: register an indicator function in :data:`INDICATORS` (see
    :func:`make_spec` for what is derived rather than declared)."""
    return INDICATORS.register(
        title=title,
        short_title=short_title,
        family=family,
        unit=unit,
        polarity=polarity,
        sources=sources,
        kind=kind,
        lait_code=lait_code,
        ees=ees,
        decimals=decimals,
        unit_shown=unit_shown,
        data_from=data_from,
    )


def spec_of(indicator: IndicatorSpec | Callable[..., Any]) -> IndicatorSpec:
    """The spec of a registered indicator function (or the spec itself).

    Raises:
        TypeError: the function was never registered.
    """
    if isinstance(indicator, IndicatorSpec):
        return indicator
    spec = getattr(indicator, _SPEC_ATTRIBUTE, None)
    if not isinstance(spec, IndicatorSpec):
        name = getattr(indicator, "__name__", repr(indicator))
        raise TypeError(f"{name} is not a registered indicator (decorate it with @register)")
    return spec


_OVER_PERIODS: dict[str, Callable[..., list[IndicatorResult]]] = {}

G = TypeVar("G", bound=Callable[..., list[IndicatorResult]])


def over_periods(indicator: IndicatorSpec | Callable[..., Any]) -> Callable[[G], G]:
    """Decorator: declare a function as ``indicator``'s evaluation over many periods at once.

    The function takes exactly the indicator's arguments, but ``periods`` (a sequence of
    :class:`~csc_indicators.Period`) in place of ``period``, and returns one result per period,
    in the order given, each exactly what the indicator gives for that period (figures,
    outcomes, issues). The indicator itself is then written as this function called with its
    one period, so that there is one implementation; :func:`csc_indicators.series` calls it
    with every period of a series (one pass over the records instead of one per period)::

        @over_periods(children_in_need_at_period_end)
        def _children_in_need_over(referrals, periods, *, ...) -> list[IndicatorResult]: ...
    """
    spec = spec_of(indicator)

    def decorate(fn: G) -> G:
        if spec.id in _OVER_PERIODS:
            raise ValueError(f"{spec.id} already has an evaluation over periods")
        _OVER_PERIODS[spec.id] = fn
        return fn

    return decorate


def over_periods_of(
    indicator: IndicatorSpec | Callable[..., Any],
) -> Callable[..., list[IndicatorResult]] | None:
    """The indicator's evaluation over many periods (:func:`over_periods`), if it has one."""
    return _OVER_PERIODS.get(spec_of(indicator).id)


SCORECARD_ORDER: tuple[str, ...] = (
    # children in need: percentages by stage of the child's journey, then the activity counts
    "rereferrals_within_12_months",
    "assessments_within_45_working_days",
    "icpcs_within_15_working_days",
    "repeat_cp_plans",
    "repeat_cp_plans_within_2_years",
    "cp_plans_ceased_lasting_2_years",
    "cp_plans_open_2_years_or_more",
    "cp_reviews_in_timescale",
    "s47_enquiries_leading_to_icpc",
    "referrals_received",
    "assessments_completed",
    "s47_enquiries_started",
    "children_subject_to_s47_enquiries",
    "icpcs_held",
    "children_subject_to_icpc",
    "cp_plans_started",
    "cp_plans_ceased",
    "children_on_cp_plan",
    "children_in_need_at_period_end",
    # looked after: placement stability, reviews, health, adoption, care leavers, returns and
    # missing incidents, then the activity counts
    "three_or_more_placements",
    "three_or_more_placements_in_2_years",
    "long_term_placement_stability",
    "lac_reviews_in_timescale",
    "initial_health_assessments_within_20_working_days",
    "lac_annual_health_check",
    "lac_dental_check",
    "adoption_a1",
    "adoption_a10",
    "adoption_a2",
    "lac_ceased_adopted_percent",
    "lac_ceased_special_guardianship_percent",
    "care_leavers_19_21_eet",
    "care_leavers_19_21_suitable_accommodation",
    "care_leavers_17_18_eet",
    "care_leavers_17_18_suitable_accommodation",
    "lac_ceased_16_plus_remained_until_18",
    "returned_to_care_within_12_months",
    "lac_missing_incident",
    "lac_away_without_authorisation",
    "lac_at_period_end",
    "lac_started",
    "lac_ceased",
    "lac_ceased_adopted",
    "lac_ceased_special_guardianship",
    "lac_ceased_returned_home",
    "uasc_looked_after_at_period_end",
)
"""Every registered indicator id, in the order a scorecard lists them (the test suite checks
that it names each registered indicator exactly once)."""


@attrs.frozen(slots=True)
class PublishedCode:
    """A code under which DfE publishes a measure, as cited by the registry."""

    scheme: Literal["LAIT", "EES"] = attrs.field(validator=attrs.validators.in_(("LAIT", "EES")))
    """``LAIT`` (Local Authority Interactive Tool measure code) or ``EES`` (Explore Education
    Statistics table)."""
    code: str
    """The measure code (``372``) or the table (``C2``)."""
    measure: str
    """What DfE publishes under it."""
    source: str
    """Where the code and its description were read."""


def published_codes() -> tuple[PublishedCode, ...]:
    """The table of published codes the registry cites
    (``csc_indicators/data/published_codes.csv``): every
    :attr:`IndicatorSpec.lait_code` and :attr:`IndicatorSpec.ees` is in it."""
    text = (resources.files("csc_indicators") / "data" / "published_codes.csv").read_text(
        encoding="utf-8"
    )
    return tuple(
        PublishedCode(row["scheme"], row["code"], row["measure"], row["source"])  # type: ignore[arg-type]
        for row in csv.DictReader(io.StringIO(text))
    )
