"""Indicator parameters from text: ``NAME=VALUE`` as a command line gives them.

Every indicator documents its parameters in its function's signature: a keyword-only argument
with a default and a type hint (``limit: int = 45``, ``convention: DayCount = ...``). This
module reads them from there, with :func:`inspect.signature` and
:func:`typing.get_type_hints`, so a new parameter needs no change here:

* :func:`parameters_of`: the documented parameters of an indicator (a :class:`Parameter` each:
  name, type, default, how to parse a value, which alternative values exist);
* :func:`parse_assignments`: ``NAME=VALUE`` and ``ID.NAME=VALUE`` texts, parsed by each
  parameter's type, per indicator; unknown names and bad values raise
  :class:`ParameterError` listing what is accepted;
* :func:`check_parameters`: parameters given in code (``{id: {name: value}}``), checked
  against the indicators' documented parameters;
* :func:`non_default`: the parameters of a run that differ from their defaults;
* :func:`format_value`: a value written back as text that :meth:`Parameter.parse` accepts.

Types understood: ``int``, ``float``, ``bool`` (true/false, yes/no, y/n, 1/0, on/off), ``str``,
an :class:`enum.Enum` (a member's name, any case, or its value), a ``Literal`` (one of its
values), ``datetime.date`` (ISO), ``datetime.timedelta`` and ``relativedelta`` (``730``,
``730 days``, ``2 years``, ``3 months``, ``2 weeks``; ``2y``, ``3m``, ``14d``), ``frozenset``
or ``tuple`` of ``str`` (comma-separated), and any of these ``| None`` (``none``).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import enum
import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs
from dateutil.relativedelta import relativedelta

from .durations import describe, parse_interval
from .errors import CscIndicatorsError

__all__ = [
    "RESERVED",
    "Parameter",
    "ParameterError",
    "check_parameters",
    "format_value",
    "non_default",
    "parameters_of",
    "parse_assignments",
]

_NOT_PARAMETERS = frozenset({"calendar", "indicator", "title"})
"""Keyword arguments that are plumbing, not documented parameters (the calendar is chosen by
the caller as a whole; ``indicator`` and ``title`` name the variants of one function)."""

RESERVED: Mapping[str, str] = {
    "population": "the population is given to the whole run (population=N, --population N)",
}
"""Documented parameters a whole run sets once (a scorecard's ``population``), not per
indicator: :func:`check_parameters` and :func:`parse_assignments` (with ``reserved=True``)
refuse them, saying how to give them."""

_NO_SEARCH = frozenset({"population"})
"""Parameters that change no per-record outcome: never tried as alternatives."""

_TRUE = frozenset({"true", "t", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off"})
_NONE = frozenset({"none", "null", ""})


class ParameterError(CscIndicatorsError, ValueError):
    """A ``NAME=VALUE`` text names no documented parameter, or its value cannot be parsed.

    The message lists what is accepted (the parameter names, or the values of the type).
    """


class _Unsupported(Exception):
    pass


def _is_optional(hint: object) -> tuple[bool, object]:
    """``(True, X)`` for ``X | None``; ``(False, hint)`` otherwise."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) < len(typing.get_args(hint)):
            inner: object = args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
            return True, inner
    return False, hint


def _union_members(hint: object) -> tuple[object, ...]:
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        return typing.get_args(hint)
    return (hint,)


def _duration(text: str, allow_relative: bool, allow_fixed: bool) -> object:
    return parse_interval(text, allow_relative=allow_relative, allow_fixed=allow_fixed)


def _parser(hint: object) -> Callable[[str], object]:
    """A function parsing text into a value of ``hint``; raises ``_Unsupported`` otherwise."""
    optional, inner = _is_optional(hint)
    if optional:
        base = _parser(inner)

        def parse_optional(text: str) -> object:
            return None if text.strip().lower() in _NONE else base(text)

        return parse_optional
    members = _union_members(inner)
    if len(members) > 1:
        kinds = set(members)
        if kinds <= {relativedelta, _dt.timedelta}:
            return lambda text: _duration(text, relativedelta in kinds, _dt.timedelta in kinds)
        raise _Unsupported(hint)
    if inner is bool:
        return _parse_bool
    if inner is int:
        return _parse_int
    if inner is float:
        return lambda text: float(text.strip())
    if inner is str:
        return lambda text: text.strip()
    if inner is _dt.date:
        return lambda text: _dt.date.fromisoformat(text.strip())
    if inner is _dt.timedelta:
        return lambda text: _duration(text, False, True)
    if inner is relativedelta:
        return lambda text: _duration(text, True, False)
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return _enum_parser(inner)
    origin = typing.get_origin(inner)
    if origin is Literal:
        return _literal_parser(typing.get_args(inner))
    if origin in (frozenset, tuple, set) and all(
        a in (str, Ellipsis) for a in typing.get_args(inner)
    ):
        container: Callable[[Iterable[str]], object] = frozenset if origin is not tuple else tuple

        def parse_strings(text: str) -> object:
            return container(p.strip() for p in text.split(",") if p.strip())

        return parse_strings
    raise _Unsupported(hint)


def _parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError("expected true or false (also yes/no, y/n, 1/0, on/off)")


def _parse_int(text: str) -> int:
    t = text.strip()
    if not re.fullmatch(r"[-+]?\d+", t):
        raise ValueError("expected a whole number")
    return int(t)


def _enum_parser(cls: type[enum.Enum]) -> Callable[[str], object]:
    def parse(text: str) -> object:
        t = text.strip()
        for member in cls:
            if member.name.lower() == t.lower() or str(member.value).lower() == t.lower():
                return member
        raise ValueError(f"expected one of {', '.join(m.name for m in cls)}")

    return parse


def _literal_parser(values: tuple[object, ...]) -> Callable[[str], object]:
    def parse(text: str) -> object:
        t = text.strip()
        for v in values:
            if str(v).lower() == t.lower():
                return v
        raise ValueError(f"expected one of {', '.join(str(v) for v in values)}")

    return parse


def _describe(hint: object) -> str:
    optional, inner = _is_optional(hint)
    suffix = " or none" if optional else ""
    members = _union_members(inner)
    if set(members) <= {relativedelta, _dt.timedelta} and len(members) > 1:
        text = "a duration (730 days, 2 years, 3 months)"
    elif inner is bool:
        text = "true or false"
    elif inner is int:
        text = "a whole number"
    elif inner is float:
        text = "a number"
    elif inner is str:
        text = "text"
    elif inner is _dt.date:
        text = "a date (YYYY-MM-DD)"
    elif inner is _dt.timedelta:
        text = "a number of days (730, 730 days, 2 weeks)"
    elif inner is relativedelta:
        text = "a duration (2 years, 3 months, 14 days)"
    elif isinstance(inner, type) and issubclass(inner, enum.Enum):
        text = "one of " + ", ".join(m.name for m in inner)
    elif typing.get_origin(inner) is Literal:
        text = "one of " + ", ".join(str(v) for v in typing.get_args(inner))
    else:
        text = "comma-separated values"
    return text + suffix


@attrs.frozen(slots=True)
class Parameter:
    """One documented parameter of an indicator function."""

    name: str
    """The keyword argument's name."""
    hint: object = attrs.field(eq=False)
    """Its type hint, resolved."""
    default: object = attrs.field(eq=False)
    """Its default value."""

    @property
    def accepted(self) -> str:
        """What a value may be, in words: ``one of EXCLUSIVE_START, ...``, ``a whole number``."""
        return _describe(self.hint)

    def parse(self, text: str) -> object:
        """The value ``text`` stands for, by the parameter's type.

        Raises:
            ParameterError: the text is not a value of the type (the message says what is).
        """
        try:
            return _parser(self.hint)(text)
        except (ValueError, TypeError) as exc:
            raise ParameterError(
                f"{self.name}={text!r}: {exc}; {self.name} takes {self.accepted}"
            ) from None

    def alternatives(self, current: object) -> tuple[object, ...]:
        """Other values worth trying instead of ``current``, to find the one a difference
        follows from: every other member of an enum or value of a ``Literal``, the other
        boolean, whole numbers 1 and 2 either side, and a duration as days or a day either
        side. Empty when the type has no natural neighbours (text, dates, lists)."""
        if self.name in _NO_SEARCH:
            return ()
        _, inner = _is_optional(self.hint)
        out: list[object] = []
        if inner is bool:
            out = [not current] if isinstance(current, bool) else [True, False]
        elif isinstance(inner, type) and issubclass(inner, enum.Enum):
            out = list(inner)
        elif typing.get_origin(inner) is Literal:
            out = list(typing.get_args(inner))
        elif inner is int and isinstance(current, int) and not isinstance(current, bool):
            out = [current + d for d in (-1, 1, -2, 2) if current + d >= 0]
        elif isinstance(current, _dt.timedelta):
            out = [current + _dt.timedelta(days=d) for d in (-1, 1)]
        elif isinstance(current, relativedelta):
            out = [current + relativedelta(days=d) for d in (-1, 1)]
            if _dt.timedelta in _union_members(inner) and not (current.days or current.months):
                days = 365 * current.years
                out = [_dt.timedelta(days=days), _dt.timedelta(days=days + 1), *out]
        return tuple(v for v in out if not _same(v, current))


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _function(target: object) -> Callable[..., Any]:
    fn = getattr(target, "function", target)
    if not callable(fn):
        raise TypeError(f"not an indicator function or spec: {target!r}")
    return fn


def parameters_of(target: object) -> dict[str, Parameter]:
    """The documented parameters of an indicator, by name, in signature order.

    ``target`` is an indicator function or its registry entry
    (:class:`~csc_indicators.IndicatorSpec`). A documented parameter is a keyword-only
    argument with a default whose type this module can parse; record collections, the
    calendar and the variant plumbing (``indicator``, ``title``) are not parameters.
    """
    fn = _function(target)
    inputs = set(getattr(target, "inputs", ())) | set(getattr(target, "optional_inputs", ()))
    hints = typing.get_type_hints(fn)
    out: dict[str, Parameter] = {}
    for name, p in inspect.signature(fn).parameters.items():
        if p.kind is not p.KEYWORD_ONLY or p.default is p.empty:
            continue
        if name in _NOT_PARAMETERS or name in inputs or name not in hints:
            continue
        try:
            _parser(hints[name])
        except _Unsupported:
            continue
        out[name] = Parameter(name, hints[name], p.default)
    return out


def _split(text: str) -> tuple[str | None, str, str]:
    name, eq, value = text.partition("=")
    if not eq or not name.strip():
        raise ParameterError(f"{text!r}: expected NAME=VALUE or INDICATOR.NAME=VALUE")
    name = name.strip()
    indicator, dot, bare = name.rpartition(".")
    return (indicator or None) if dot else None, bare if dot else name, value


def parse_assignments(
    texts: Iterable[str], indicators: Mapping[str, object], *, reserved: bool = False
) -> dict[str, dict[str, object]]:
    """Parse ``NAME=VALUE`` and ``ID.NAME=VALUE`` texts for the given indicators.

    ``NAME=VALUE`` sets the parameter of every indicator that documents one of that name
    (all of them must take the same kind of value: ``window`` is a duration for one indicator
    and ``rolling`` or ``period`` for another, so a bare ``window`` among both is refused);
    ``ID.NAME=VALUE`` sets it for that indicator only (and wins over a bare ``NAME``, whatever
    the order). A later assignment of the same target replaces an earlier one.

    Args:
        texts: the assignments, as typed.
        indicators: indicator id to its function or :class:`~csc_indicators.IndicatorSpec`.
        reserved: refuse the parameters of :data:`RESERVED` (``population``), which a
            scorecard sets for the whole run.

    Returns:
        Indicator id to ``{parameter name: parsed value}``, for the indicators given a value.

    Raises:
        ParameterError: a text is not ``NAME=VALUE``, names an indicator not among
            ``indicators``, names a parameter no (such) indicator documents, names bare a
            parameter whose type differs between indicators, or has a value the parameter's
            type rejects. The message lists what is accepted.
    """
    params = {i: parameters_of(t) for i, t in indicators.items()}
    if reserved:
        params = {i: {n: p for n, p in ps.items() if n not in RESERVED} for i, ps in params.items()}
    bare: dict[str, dict[str, object]] = {}
    scoped: dict[str, dict[str, object]] = {}
    for text in texts:
        indicator, name, value = _split(text)
        if indicator is not None:
            if indicator not in params:
                known = ", ".join(params) or "none"
                raise ParameterError(f"{text!r}: no indicator {indicator!r} here (have: {known})")
            targets = [indicator]
        else:
            targets = [i for i, ps in params.items() if name in ps]
        if reserved and name in RESERVED:
            raise ParameterError(f"{text!r}: {RESERVED[name]}")
        if not targets or name not in params[targets[0]]:
            raise ParameterError(f"{text!r}: {_unknown(name, indicator, params)}")
        kinds: dict[str, list[str]] = {}
        for target in targets:
            kinds.setdefault(params[target][name].accepted, []).append(target)
        if len(kinds) > 1:
            meanings = "; ".join(f"{', '.join(ids)} take {k}" for k, ids in kinds.items())
            raise ParameterError(
                f"{text!r}: {name} means different things here ({meanings}): write "
                f"INDICATOR.{name}=VALUE for one indicator"
            )
        for target in targets:
            parsed = params[target][name].parse(value)
            (scoped if indicator is not None else bare).setdefault(target, {})[name] = parsed
    out: dict[str, dict[str, object]] = {}
    for target in params:
        merged = {**bare.get(target, {}), **scoped.get(target, {})}
        if merged:
            out[target] = merged
    return out


def _unknown(name: str, indicator: str | None, params: Mapping[str, dict[str, Parameter]]) -> str:
    scope = [indicator] if indicator is not None else list(params)
    if len(scope) == 1:
        listed = _by_indicator(params[scope[0]])
        return f"{scope[0]} has no parameter {name!r}: {scope[0]} takes {listed}"
    names = sorted({n for ps in params.values() for n in ps})
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    if len(scope) <= 3:
        lines = [f"{i} takes {_by_indicator(params[i])}" for i in scope]
        return f"none of these indicators has a parameter {name!r}{hint}: " + " | ".join(lines)
    return (
        f"none of the {len(scope)} indicators has a parameter {name!r}{hint}; their parameters "
        f"are {', '.join(names) or 'none'} (INDICATOR.NAME=VALUE sets one indicator's)"
    )


def _by_indicator(parameters: Mapping[str, Parameter]) -> str:
    return "; ".join(f"{p.name} ({p.accepted})" for p in parameters.values()) or "no parameters"


def check_parameters(
    parameters: Mapping[str, Mapping[str, object]] | None,
    indicators: Mapping[str, object],
) -> dict[str, dict[str, object]]:
    """Check parameters given in code, ``{indicator id: {name: value}}``, against the
    documented parameters of ``indicators`` (indicator id to its function or
    :class:`~csc_indicators.IndicatorSpec`).

    The values are not converted: give them as the indicator's signature types them
    (``{"assessments_within_45_working_days": {"limit": 40}}``); text is read by
    :func:`parse_assignments`.

    Returns:
        A plain copy, without the indicators given no parameter.

    Raises:
        ParameterError: an id that is not among ``indicators``, a name the indicator does not
            document, or one of :data:`RESERVED` (set for the whole run). The message lists
            what is accepted.
    """
    out: dict[str, dict[str, object]] = {}
    if not parameters:
        return out
    if not isinstance(parameters, Mapping):
        raise ParameterError(
            "parameters must map indicator ids to {name: value}, e.g. "
            "{'assessments_within_45_working_days': {'limit': 40}}"
        )
    for ident, values in parameters.items():
        if ident not in indicators:
            close = difflib.get_close_matches(str(ident), list(indicators), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ParameterError(
                f"parameters: no indicator {ident!r} here{hint}: give registered indicator ids "
                "(`csc-indicators list` shows them)"
            )
        if not isinstance(values, Mapping):
            raise ParameterError(
                f"parameters[{ident!r}] must map parameter names to values, got {values!r}"
            )
        documented = parameters_of(indicators[ident])
        for name in values:
            if name in RESERVED:
                raise ParameterError(f"parameters[{ident!r}]: {name}: {RESERVED[name]}")
            if name not in documented:
                raise ParameterError(
                    f"parameters[{ident!r}]: {ident} has no parameter {name!r}: {ident} takes "
                    + _by_indicator({n: p for n, p in documented.items() if n not in RESERVED})
                )
        if values:
            out[ident] = dict(values)
    return out


def non_default(target: object, values: Mapping[str, object]) -> dict[str, object]:
    """The documented parameters in ``values`` (e.g. a result's ``parameters``) that differ
    from the indicator's defaults, in signature order."""
    out: dict[str, object] = {}
    for name, p in parameters_of(target).items():
        if name in values and not _same(values[name], p.default):
            out[name] = values[name]
    return out


def format_value(value: object) -> str:
    """A parameter value as text that :meth:`Parameter.parse` reads back: an enum member by
    name, a duration in words (``2 years``, ``730 days``), a collection comma-separated."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (_dt.timedelta, relativedelta)):
        return describe(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (frozenset, set, tuple, list)):
        return ",".join(sorted(str(v) for v in value))
    return str(value)
