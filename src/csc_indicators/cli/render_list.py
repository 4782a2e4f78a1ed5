"""The registered indicators as shown: :func:`spec_dict` is the one place that reads a registry
entry's presentation fields (so the rest does not care which fields the registry has), and
:func:`render_list` lays the list out as a table, CSV, JSON or Markdown.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

from ..registry import IndicatorSpec
from ..results import ValueKind
from .formats import WIDTH, csv_text, plain

__all__ = ["render_list", "spec_dict"]


def spec_dict(spec: IndicatorSpec) -> dict[str, Any]:
    """One registry entry as plain values for display (:meth:`IndicatorSpec.as_dict`), with
    ``source`` (the sources joined) and the ``kind`` shown when no population is given."""
    out = {k: plain(v) for k, v in spec.as_dict().items()}
    out["kind"] = str(_kind_of(spec, None))
    out["source"] = spec.source
    return out


def _kind_of(spec: IndicatorSpec, population: int | None) -> ValueKind:
    """The kind of value an indicator gives: those taking a population give a rate with one
    and a count without."""
    if spec.uses_population:
        return ValueKind.RATE_PER_10K if population else ValueKind.COUNT
    return spec.kind


def render_list(specs: Iterable[IndicatorSpec], fmt: str) -> str:
    """The registered indicators: id, title, family, kind, unit, polarity, source, inputs and
    the published codes and rounding (every field of :meth:`IndicatorSpec.as_dict` in CSV and
    JSON)."""
    rows = [spec_dict(s) for s in specs]
    if fmt in ("json", "csv"):  # ``sources`` is the list; ``source`` its text, for reading
        plain_rows = [{k: v for k, v in r.items() if k != "source"} for r in rows]
        return json.dumps(plain_rows, indent=2) + "\n" if fmt == "json" else csv_text(plain_rows)
    if not rows:
        return "(no indicators are registered)\n"
    out = io.StringIO()
    if fmt == "markdown":
        heads = ["Indicator", "Title", "Family", "Unit", "Polarity", "Shown as", "Published"]
        out.write("| " + " | ".join([*heads, "Source"]) + " |\n")
        out.write("|" + "---|" * (len(heads) + 1) + "\n")
        for r in rows:
            cells = [f"`{r['id']}`", r["title"], r["family"], r["unit"], r["polarity"]]
            cells += [_shown_as(r), _published(r) or "-", r["source"]]
            out.write("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n")
        return out.getvalue()
    for r in rows:
        out.write(f"{r['id']}\n")
        for label, key in (("", "title"), ("unit: ", "unit"), ("source: ", "source")):
            out.write(textwrap.fill(label + str(r[key]), WIDTH, initial_indent="  ",
                                    subsequent_indent="    ") + "\n")  # fmt: skip
        needs = ", ".join(r["inputs"])
        out.write(f"  {r['family']}; {r['kind']}; {r['polarity']}; needs {needs}\n")
        published = _published(r)
        out.write(f"  shown as {_shown_as(r)}" + (f"; {published}" if published else "") + "\n")
    return out.getvalue()


def _shown_as(row: Mapping[str, Any]) -> str:
    """How the figure is published: its unit and rounding (``% to 1 decimal place``)."""
    places = row["decimals"]
    rounding = "whole numbers" if places == 0 else f"{places} decimal place" + "s" * (places > 1)
    return f"{row['unit_shown']}, {rounding}"


def _published(row: Mapping[str, Any]) -> str:
    """The published codes: ``LAIT 304, EES C2`` (empty when there is none)."""
    codes = [f"LAIT {row['lait_code']}" if row["lait_code"] else "", row["ees"] or ""]
    return ", ".join(c if c.startswith("LAIT") else f"EES {c}" for c in codes if c)
