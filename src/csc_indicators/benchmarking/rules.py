"""The judgements benchmarking makes, as pure functions of numbers and a polarity.

* :func:`rag`: red, amber or green against a target with an amber tolerance.
* :func:`direction`: better, worse or the same as another figure, at the published rounding.
* :func:`quartiles`, :func:`quartile_band`, :func:`rank`: where a figure stands among all
  authorities (band A is the best quarter, rank 1 the best figure).
* :func:`position`: below, within or above the middle 50% of authorities.

Every comparison is exact: numbers are compared as the decimals they are written as (no
floating-point error turns ``80.1 - 0.3`` into ``79.80000000000001``). ``Polarity.CONTEXT``
measures have no RAG, band or rank, and their direction is only ``higher``, ``lower`` or
``same``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..results import Polarity

__all__ = [
    "Band",
    "Direction",
    "Position",
    "Rag",
    "direction",
    "position",
    "position_rating",
    "quartile_band",
    "quartiles",
    "rag",
    "rank",
    "round_half_up",
]

Number = int | float | Decimal | Fraction


class Rag(enum.Enum):
    """Red, amber or green against a target."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    def __str__(self) -> str:
        return self.value


class Direction(enum.Enum):
    """How a figure compares with another (an earlier one, or a published one).

    ``BETTER``, ``WORSE`` and ``SAME`` for measures with a polarity; ``HIGHER``, ``LOWER`` and
    ``SAME`` for context measures, where a change is neither good nor bad.
    """

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    HIGHER = "higher"
    LOWER = "lower"

    def __str__(self) -> str:
        return self.value


class Band(enum.Enum):
    """The quarter of all authorities a figure is in: ``A`` the best, ``D`` the worst."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    def __str__(self) -> str:
        return self.value


class Position(enum.Enum):
    """Where a figure stands against the middle 50% of all authorities (by value, whatever
    the polarity): below the lower quartile, within the quartiles, or above the upper one."""

    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"

    def __str__(self) -> str:
        return self.value


def _exact(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def round_half_up(value: Number, places: int) -> Decimal:
    """``value`` to ``places`` decimal places, halves away from zero (as published figures
    are rounded: 12.25 to 12.3, -12.25 to -12.3)."""
    return _exact(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rag(
    value: Number | None,
    target: Number | None,
    polarity: Polarity,
    tolerance: Number = 0,
) -> Rag | None:
    """Red, amber or green: ``value`` against ``target``, by polarity.

    * Higher is better: green when ``value >= target``; amber when
      ``target - tolerance <= value < target``; red when ``value < target - tolerance``.
    * Lower is better, mirrored: green when ``value <= target``; amber when
      ``target < value <= target + tolerance``; red when ``value > target + tolerance``.
    * A tolerance of 0 means no amber: a figure short of the target is red.

    ``None`` when there is no value or no target, or for a context measure.

    Raises:
        ValueError: a negative tolerance.
    """
    tol = _exact(tolerance)
    if tol < 0:
        raise ValueError(f"the amber tolerance cannot be negative, got {tolerance!r}")
    if value is None or target is None or polarity is Polarity.CONTEXT:
        return None
    v, t = _exact(value), _exact(target)
    if polarity is Polarity.LOWER_IS_BETTER:
        v, t = -v, -t
    if v >= t:
        return Rag.GREEN
    if v >= t - tol:
        return Rag.AMBER
    return Rag.RED


def direction(
    value: Number | None,
    other: Number | None,
    polarity: Polarity,
    decimals: int,
) -> Direction | None:
    """How ``value`` compares with ``other`` (an earlier or a published figure), both rounded
    half up to ``decimals`` places first, so that a difference the published figure cannot
    show is ``SAME``.

    ``BETTER`` or ``WORSE`` by polarity; for a context measure ``HIGHER`` or ``LOWER``.
    ``None`` when either figure is missing.
    """
    if value is None or other is None:
        return None
    v, o = round_half_up(value, decimals), round_half_up(other, decimals)
    if v == o:
        return Direction.SAME
    if polarity is Polarity.CONTEXT:
        return Direction.HIGHER if v > o else Direction.LOWER
    higher_is_better = polarity is Polarity.HIGHER_IS_BETTER
    return Direction.BETTER if (v > o) == higher_is_better else Direction.WORSE


def quartiles(values: Iterable[Number]) -> tuple[Fraction, Fraction, Fraction] | None:
    """The lower quartile, median and upper quartile of ``values``.

    Linear interpolation between the sorted values, the method of R's default ``quantile``
    (type 7) and of ``statistics.quantiles(method="inclusive")``: the quartile ``p`` of ``n``
    sorted values is at position ``(n - 1) * p`` counting from 0. Computed exactly (as
    fractions). ``None`` for fewer than 4 values.
    """
    data = sorted(_fraction(v) for v in values)
    n = len(data)
    if n < 4:
        return None

    def at(p: Fraction) -> Fraction:
        position = (n - 1) * p
        j = int(position)
        delta = position - j
        if delta == 0:
            return data[j]
        return data[j] + (data[j + 1] - data[j]) * delta

    return at(Fraction(1, 4)), at(Fraction(1, 2)), at(Fraction(3, 4))


def _fraction(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(_exact(value))


def _goodness(values: Iterable[Number], polarity: Polarity) -> list[Fraction]:
    sign = -1 if polarity is Polarity.LOWER_IS_BETTER else 1
    return [sign * _fraction(v) for v in values]


def quartile_band(
    value: Number | None, values: Sequence[Number], polarity: Polarity
) -> Band | None:
    """The quarter of ``values`` (every authority's figure) that ``value`` is in, by polarity.

    The figures are put in order from best to worst (highest first when higher is better,
    lowest first when lower is better) and cut at their quartiles (:func:`quartiles`):
    band ``A`` holds the best quarter, ``D`` the worst. A figure exactly on a cut is put in
    the better band.

    ``None`` for a context measure, a missing value or fewer than 4 figures.
    """
    if value is None or polarity is Polarity.CONTEXT:
        return None
    cuts = quartiles(_goodness(values, polarity))
    if cuts is None:
        return None
    (g,) = _goodness([value], polarity)
    q1, q2, q3 = cuts
    if g >= q3:
        return Band.A
    if g >= q2:
        return Band.B
    if g >= q1:
        return Band.C
    return Band.D


def rank(value: Number | None, values: Sequence[Number], polarity: Polarity) -> int | None:
    """The rank of ``value`` among ``values`` (every authority's figure): 1 is the best by
    polarity, and equal figures share the best rank among them (1, 2, 2, 4).

    That is one more than the number of figures strictly better than ``value``. ``None`` for
    a context measure or a missing value.
    """
    if value is None or polarity is Polarity.CONTEXT:
        return None
    (g,) = _goodness([value], polarity)
    return 1 + sum(1 for other in _goodness(values, polarity) if other > g)


def position(value: Number | None, values: Sequence[Number]) -> Position | None:
    """``value`` against the middle 50% of ``values``: ``BELOW`` when under the lower quartile,
    ``ABOVE`` when over the upper quartile, ``WITHIN`` otherwise (the quartiles themselves are
    within). ``None`` for a missing value or fewer than 4 figures."""
    if value is None:
        return None
    cuts = quartiles(values)
    if cuts is None:
        return None
    v = _fraction(value)
    if v < cuts[0]:
        return Position.BELOW
    if v > cuts[2]:
        return Position.ABOVE
    return Position.WITHIN


def position_rating(where: Position | None, polarity: Polarity) -> Direction | None:
    """Whether a :class:`Position` outside the middle 50% is ``BETTER`` or ``WORSE`` than most
    authorities, by polarity; ``None`` within the middle 50% or for a context measure."""
    if where is None or where is Position.WITHIN or polarity is Polarity.CONTEXT:
        return None
    high = where is Position.ABOVE
    return Direction.BETTER if high == (polarity is Polarity.HIGHER_IS_BETTER) else Direction.WORSE
