"""Small trend charts as inline SVG, written here rather than by a charting library.

Decision: a report chart is a dozen points, three lines, a target line and two or three
published markers. Writing that SVG is a hundred lines, while a charting library would be a
dependency of its own (and most of them draw in the browser with a script, which a page read
offline, archived or printed cannot rely on). Inline SVG needs no script and no network, stays
sharp when printed or zoomed, and carries its own text alternative (``<title>``, ``<desc>``).

Every text put in the SVG is escaped; the charts take numbers and labels only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

import attrs

__all__ = ["COLOURS", "Line", "Marker", "bar_chart", "line_chart", "nice_ticks"]

COLOURS = {
    "in-month": "#7fa7cf",
    "ytd": "#1f4e79",
    "rolling-12": "#c55a11",
    "target": "#2e7d32",
    "england": "#222222",
    "region": "#6b6b6b",
    "neighbours": "#7b3294",
    "bar": "#9dbbd9",
    "grid": "#d9d9d9",
    "axis": "#595959",
}
"""The colours of the charts (and of the legends the page draws under them)."""

_DASH = {"rolling-12": "6 3", "target": "4 3"}
_WIDTH = {"in-month": 1.5, "ytd": 2.5, "rolling-12": 2.0}

W, H = 600, 190
LEFT, RIGHT, TOP, BOTTOM = 52, 128, 12, 34


@attrs.frozen(slots=True)
class Line:
    """One series of the chart: a value (or ``None``) per month."""

    key: str
    """``in-month``, ``ytd`` or ``rolling-12`` (its colour and dash)."""
    label: str
    values: tuple[float | int | None, ...]


@attrs.frozen(slots=True)
class Marker:
    """A published figure shown at the right of the chart (England, region, neighbours)."""

    key: str
    """``england``, ``region`` or ``neighbours``."""
    label: str
    value: float


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (about ``count`` intervals)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    n = round((end - start) / step)
    return [start + i * step for i in range(n + 1)]


def _number(value: float) -> str:
    """An SVG coordinate: two decimals at most."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


class _Frame:
    """The plot area and its scales."""

    def __init__(self, n: int, ticks: list[float], height: int = H) -> None:
        self.n = max(n, 1)
        self.low, self.high = ticks[0], ticks[-1]
        self.ticks = ticks
        self.width = W - LEFT - RIGHT
        self.total = height
        self.height = height - TOP - BOTTOM

    def x(self, i: int) -> float:
        return LEFT + (i + 0.5) * self.width / self.n

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return TOP + self.height * (1 - (value - self.low) / span)

    @property
    def band(self) -> float:
        return self.width / self.n


def _open(ident: str, title: str, desc: str, css: str = "trend", height: int = H) -> list[str]:
    t, d = f"{ident}-title", f"{ident}-desc"
    return [
        # no xmlns: inline SVG in HTML needs none, and the page holds no address at all
        f'<svg class="{css}" viewBox="0 0 {W} {height}" role="img" aria-labelledby="{t} {d}">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(desc)}</desc>',
    ]


def _axes(frame: _Frame, labels: Sequence[str], tick_text: Callable[[float], str]) -> list[str]:
    out: list[str] = []
    for tick in frame.ticks:
        y = _number(frame.y(tick))
        out.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y}" y2="{y}" stroke="{COLOURS["grid"]}" '
            'stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y}" dy="0.32em" text-anchor="end" font-size="11" '
            f'fill="{COLOURS["axis"]}">{escape(tick_text(tick))}</text>'
        )
    every = max(1, math.ceil(len(labels) / 12))
    for i, label in enumerate(labels):
        if i % every and i != len(labels) - 1:
            continue
        month, _, year = label.partition(" ")
        x = _number(frame.x(i))
        out.append(
            f'<text x="{x}" y="{frame.total - BOTTOM + 15}" text-anchor="middle" font-size="11" '
            f'fill="{COLOURS["axis"]}">{escape(month)}</text>'
        )
        if year and (i == 0 or month == "Jan"):
            out.append(
                f'<text x="{x}" y="{frame.total - BOTTOM + 28}" text-anchor="middle" '
                f'font-size="10" fill="{COLOURS["axis"]}">{escape(year)}</text>'
            )
    base = _number(frame.y(frame.low))
    out.append(
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{base}" y2="{base}" '
        f'stroke="{COLOURS["axis"]}" stroke-width="1"/>'
    )
    return out


def _right_labels(frame: _Frame, items: list[tuple[str, float, str]]) -> list[str]:
    """Labels at the right of the plot, moved apart so that none overlaps another."""
    placed: list[tuple[float, str, str]] = sorted(
        (frame.y(value), text, colour) for text, value, colour in items
    )
    gap = 12.0
    for i in range(1, len(placed)):
        y, text, colour = placed[i]
        if y < placed[i - 1][0] + gap:
            placed[i] = (placed[i - 1][0] + gap, text, colour)
    overflow = (placed[-1][0] - (frame.total - BOTTOM)) if placed else 0
    if overflow > 0:
        placed = [(y - overflow, t, c) for y, t, c in placed]
    x = W - RIGHT + 16
    return [
        f'<text x="{x}" y="{_number(y)}" dy="0.32em" font-size="11" fill="{colour}">'
        f"{escape(text)}</text>"
        for y, text, colour in placed
    ]


def _marker_shape(key: str, x: float, y: float) -> str:
    colour = COLOURS.get(key, COLOURS["england"])

    def at(dx: float, dy: float) -> str:
        return f"{_number(x + dx)},{_number(y + dy)}"

    if key == "england":
        points = " ".join((at(0, -5), at(5, 0), at(0, 5), at(-5, 0)))
        return f'<polygon points="{points}" fill="{colour}"/>'
    if key == "region":
        points = " ".join((at(0, -5), at(5, 4), at(-5, 4)))
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<rect x="{_number(x - 4)}" y="{_number(y - 4)}" width="8" height="8" fill="{colour}"/>'


def _scale(values: list[float], *, zero: bool, percentage: bool) -> list[float]:
    if not values:
        return nice_ticks(0, 100 if percentage else 1)
    low, high = min(values), max(values)
    if zero:
        low = min(0.0, low)
    else:
        pad = (high - low) * 0.1 or abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    if percentage:
        low, high = max(0.0, low), min(100.0, high)
        if high <= low:
            low, high = max(0.0, low - 1), min(100.0, high + 1)
    return nice_ticks(low, high)


def line_chart(
    ident: str,
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    lines: Sequence[Line],
    target: float | None = None,
    markers: Sequence[Marker] = (),
    text: Callable[[float], str] = lambda v: f"{v:g}",
    label: Callable[[float], str] | None = None,
    percentage: bool = False,
    zero: bool = False,
    height: int = H,
) -> str:
    """A line chart of monthly values, with a target line and published markers.

    Args:
        ident: a prefix for the ids of the title and description (unique on the page).
        title: the chart's title (its accessible name).
        desc: its description (the figures in words).
        labels: one label per month, ``"Apr 2024"``.
        lines: the series (``None`` values leave a gap).
        target: the target, drawn across the chart.
        markers: published figures, drawn at the right.
        text: how a tick value is written.
        label: how a target or marker value is written (default: as a tick).
        percentage: keep the scale within 0-100.
        zero: start the scale at 0.
        height: the chart's height (its width is always 600 units).
    """
    shown = text if label is None else label
    values = [float(v) for line in lines for v in line.values if v is not None]
    values += [m.value for m in markers]
    if target is not None:
        values.append(target)
    frame = _Frame(len(labels), _scale(values, zero=zero, percentage=percentage), height)
    out = _open(ident, title, desc, height=height)
    out += _axes(frame, labels, text)
    right: list[tuple[str, float, str]] = []
    if target is not None:
        y = _number(frame.y(target))
        out.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT + 6}" y1="{y}" y2="{y}" '
            f'stroke="{COLOURS["target"]}" stroke-width="1.5" '
            f'stroke-dasharray="{_DASH["target"]}"/>'
        )
        right.append((f"Target {shown(target)}", target, COLOURS["target"]))
    for line in lines:
        colour = COLOURS.get(line.key, COLOURS["ytd"])
        dash = _DASH.get(line.key)
        width = _WIDTH.get(line.key, 2.0)
        path: list[str] = []
        pen = "M"
        for i, v in enumerate(line.values):
            if v is None:
                pen = "M"
                continue
            path.append(f"{pen}{_number(frame.x(i))} {_number(frame.y(float(v)))}")
            pen = "L"
        if path:
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}" stroke-linejoin="round"{extra}/>'
            )
        for i, v in enumerate(line.values):
            if v is not None:
                out.append(
                    f'<circle cx="{_number(frame.x(i))}" cy="{_number(frame.y(float(v)))}" '
                    f'r="{2.5 if line.key != "in-month" else 2}" fill="{colour}"/>'
                )
    for marker in markers:
        out.append(_marker_shape(marker.key, W - RIGHT + 8, frame.y(marker.value)))
        right.append(
            (f"{marker.label} {shown(marker.value)}", marker.value, COLOURS.get(marker.key, "#222"))
        )
    out += _right_labels(frame, right)
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(
    ident: str,
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float | int | None],
    text: Callable[[float], str] = lambda v: f"{v:g}",
    height: int = H,
) -> str:
    """A bar chart of monthly counts (a month without a figure has no bar)."""
    present = [float(v) for v in values if v is not None]
    frame = _Frame(len(labels), _scale(present, zero=True, percentage=False), height)
    out = _open(ident, title, desc, "trend bars", height)
    out += _axes(frame, labels, text)
    width = frame.band * 0.6
    for i, v in enumerate(values):
        if v is None:
            continue
        top, base = frame.y(float(v)), frame.y(max(frame.low, 0.0))
        out.append(
            f'<rect x="{_number(frame.x(i) - width / 2)}" y="{_number(min(top, base))}" '
            f'width="{_number(width)}" height="{_number(abs(base - top))}" '
            f'fill="{COLOURS["bar"]}"/>'
        )
        out.append(
            f'<text x="{_number(frame.x(i))}" y="{_number(min(top, base) - 3)}" '
            f'text-anchor="middle" font-size="10" fill="{COLOURS["axis"]}">'
            f"{escape(text(float(v)))}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
