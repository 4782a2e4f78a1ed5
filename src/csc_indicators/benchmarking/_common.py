"""What the benchmarking readers share: located problems, CSV rows, numbers, indicator keys."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Literal, Protocol

import attrs

from ..errors import InputError
from ..registry import INDICATORS
from ..results import DataIssue, Polarity, ValueKind

__all__ = [
    "SUPPRESSION_SYMBOLS",
    "Errors",
    "Problems",
    "PublishedFigure",
    "SpecLike",
    "decimals_of",
    "indicator_keys",
    "parse_figure",
    "read_csv",
]

Errors = Literal["raise", "collect"]
"""``"raise"``: stop at the first problem with an :class:`~csc_indicators.InputError`;
``"collect"``: load everything that can be loaded and list every problem as a
:class:`~csc_indicators.DataIssue`."""

SUPPRESSION_SYMBOLS: tuple[str, ...] = ("c", "k", "low", "x", "z", "..")
"""The symbols a published table writes instead of a figure: ``c`` (confidential: suppressed
to protect individuals), ``k`` and ``low`` (rounds to zero but is not zero), ``x`` (not
available), ``z`` (not applicable) and ``..`` (not available, as the LA interactive tool writes
it). A cell holding one is read as that symbol, never as 0."""


class SpecLike(Protocol):
    """The part of an :class:`~csc_indicators.IndicatorSpec` benchmarking reads."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def polarity(self) -> Polarity: ...

    @property
    def kind(self) -> ValueKind: ...


_DEFAULT_DECIMALS = {
    ValueKind.PERCENTAGE: 1,
    ValueKind.RATE_PER_10K: 1,
    ValueKind.MEAN: 0,
    ValueKind.COUNT: 0,
}


def decimals_of(spec: SpecLike, kind: ValueKind | None = None) -> int:
    """The decimal places an indicator's figure is published to.

    The spec's ``decimals`` when it has one; otherwise by the kind of value (``kind``, a
    result's own kind, when given, else the spec's), as
    :attr:`~csc_indicators.IndicatorResult.rounded_value` rounds: percentages and rates to 1
    place, means and counts to whole numbers."""
    decimals = getattr(spec, "decimals", None)
    if isinstance(decimals, int) and not isinstance(decimals, bool) and decimals >= 0:
        return decimals
    return _DEFAULT_DECIMALS[spec.kind if kind is None else kind]


def _decimals_written(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@attrs.frozen(slots=True)
class PublishedFigure:
    """A published figure: a number, or the symbol a table shows in its place.

    Exactly one of :attr:`value` and :attr:`symbol` is set. ``str(figure)`` shows the number
    as written (``84.0`` stays ``84.0``) or the symbol.
    """

    value: float | None = None
    """The number, when there is one."""
    symbol: str | None = attrs.field(default=None)
    """The suppression symbol (one of :data:`SUPPRESSION_SYMBOLS`), when there is no number."""
    decimals: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    """The decimal places the number is written with (``84`` has 0, ``84.0`` has 1)."""

    @symbol.validator
    def _one_of(self, attribute: attrs.Attribute[str | None], symbol: str | None) -> None:
        if (self.value is None) == (symbol is None):
            raise ValueError("a figure has either a value or a suppression symbol")
        if symbol is not None and symbol not in SUPPRESSION_SYMBOLS:
            raise ValueError(f"unknown suppression symbol {symbol!r}")

    @property
    def suppressed(self) -> bool:
        """Whether the table shows a symbol instead of a number."""
        return self.symbol is not None

    def plain(self) -> float | str:
        """The number, or the symbol: for a CSV cell or JSON."""
        if self.value is not None:
            return self.value
        assert self.symbol is not None
        return self.symbol

    def __str__(self) -> str:
        if self.value is None:
            return str(self.symbol)
        return f"{self.value:.{self.decimals}f}"


def parse_number(text: str) -> Decimal:
    """A plain decimal number (``12``, ``-3.5``, ``84.0``); ``ValueError`` otherwise."""
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError("not a number")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError("not a number") from None


def parse_figure(text: str) -> PublishedFigure:
    """A published cell: a number or a suppression symbol.

    Raises:
        ValueError: neither a number nor a suppression symbol.
    """
    stripped = text.strip()
    if stripped.lower() in SUPPRESSION_SYMBOLS:
        return PublishedFigure(symbol=stripped.lower())
    try:
        number = parse_number(stripped.replace(",", ""))
    except ValueError:
        raise ValueError(
            f"not a number or a suppression symbol ({', '.join(SUPPRESSION_SYMBOLS)})"
        ) from None
    return PublishedFigure(float(number), decimals=_decimals_written(number))


def indicator_keys(
    registry: Mapping[str, SpecLike] | None,
) -> tuple[dict[str, str], dict[int, str]]:
    """Indicator ids (lower case) to ids, and LAIT codes to ids, from the registry's
    ``lait_code`` attribute where a spec has one."""
    specs: Mapping[str, SpecLike] = INDICATORS if registry is None else registry
    by_id = {key.lower(): key for key in specs}
    by_lait: dict[int, str] = {}
    for key, spec in specs.items():
        code = getattr(spec, "lait_code", None)
        if isinstance(code, int) and not isinstance(code, bool):
            by_lait[code] = key
    return by_id, by_lait


_LAIT = re.compile(r"(?:lait[_ ]?)?(\d+)", re.IGNORECASE)


def lait_code(text: str) -> int | None:
    """The LAIT code a name gives (``372`` or ``lait_372``), or ``None`` for any other name."""
    m = _LAIT.fullmatch(text.strip())
    return int(m.group(1)) if m else None


class Problems:
    """Raises (``errors="raise"``) or collects (``errors="collect"``) one file's problems."""

    def __init__(self, path: str | os.PathLike[str], errors: str) -> None:
        if errors not in ("raise", "collect"):
            raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
        self.path = os.fspath(path)
        self.collect = errors == "collect"
        self.issues: list[DataIssue] = []

    def report(
        self,
        message: str,
        *,
        line: int | None,
        field: str | None = None,
        value: object = None,
        kind: str = "input",
    ) -> None:
        """A problem: raised as an InputError naming the file, line and column, or collected."""
        location = None if line is None else f"line {line}"
        if not self.collect:
            raise InputError(message, path=self.path, location=location, field=field, value=value)
        where = f"{self.path}:{location}" if location else self.path
        self.issues.append(
            DataIssue(message, None, None, kind, location=where, field=field, value=value)
        )


def read_csv(
    path: str, problems: Problems
) -> tuple[int, list[str], list[tuple[int, dict[str, str]]]]:
    """The header's line number, its column names (stripped of spaces), and each non-blank
    row as ``(line, {column: stripped value})``.

    An unreadable file raises an InputError in either mode (there is nothing to load); a row
    with more values than the header names is reported and skipped."""
    try:
        stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot open the file: {exc.strerror}", path=path) from None
    line = 0
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        with stream:
            reader = csv.reader(stream)
            for raw in reader:
                line = reader.line_num
                values = [v.strip() for v in raw]
                if not any(values):
                    continue
                if header is None:
                    header, header_line = values, line
                    continue
                if len(values) > len(header) and any(values[len(header) :]):
                    problems.report(
                        f"the row has {len(values)} values but the header names "
                        f"{len(header)} columns",
                        line=line,
                    )
                    continue
                rows.append((line, dict(zip(header, values, strict=False))))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason})", path=path, location=f"line {line + 1}"
        ) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", path=path, location=f"line {line + 1}") from None
    if header is None:
        raise InputError("the file is empty: no header row", path=path, location="line 1")
    return header_line, header, rows
