"""Write the golden snapshots of the example authority under ``tests/golden/``.

The snapshots pin what the library computes on the example authority shipped in the package
(``src/csc_indicators/data/example/``, the data ``csc-indicators demo`` reads) for its latest
year, 2024-25:

* ``tests/golden/scorecard.json``: every registered indicator's figures (numerator,
  denominator, value, rounded value, parameters, data issues), in scorecard order;
* ``tests/golden/outcomes/<indicator>.json``: that indicator's per-record outcomes.

``tests/test_golden.py`` recomputes them and compares. When a change to the library changes a
figure or an outcome on purpose, run this script from the repository root and review the diff:

    python scripts/make_golden.py && git diff --stat tests/golden
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from csc_indicators import Bundle, Period, scorecard  # noqa: E402
from csc_indicators.calendar import WorkingDayCalendar  # noqa: E402
from csc_indicators.durations import describe  # noqa: E402
from csc_indicators.io import read_cin_census, read_ssda903, stitch_cin  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
YEAR = 2024
"""The example authority's latest collection year (2024-25)."""


def example_bundle() -> Bundle:
    """The example authority's records, read as ``csc-indicators demo`` reads them."""
    base = os.fspath(resources.files("csc_indicators") / "data" / "example")  # type: ignore[call-overload]
    cin_dir = os.path.join(base, "cin")
    cin = sorted(os.path.join(cin_dir, n) for n in os.listdir(cin_dir) if n.endswith(".xml"))
    return stitch_cin([read_cin_census(p) for p in cin]) + read_ssda903(
        [os.path.join(base, "ssda903")]
    )


def plain(value: object) -> Any:
    """A JSON value for anything a result holds (dates as ISO text, enums by name)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (_dt.timedelta, relativedelta)):
        return describe(value)
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (frozenset, set)) else items
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): plain(v) for k, v in value.items()}  # type: ignore[attr-defined]
    return str(value)


def snapshots() -> dict[str, Any]:
    """Every snapshot file's content, by path relative to ``tests/golden/``."""
    card = scorecard(
        example_bundle(),
        Period.financial_year(YEAR),
        calendar=WorkingDayCalendar.england_and_wales(),
    )
    figures = []
    files: dict[str, Any] = {}
    for r in card.results:
        figures.append(
            {
                "indicator": r.indicator,
                "title": r.title,
                "kind": str(r.kind),
                "numerator": r.numerator,
                "denominator": r.denominator,
                "value": plain(r.value),
                "rounded_value": plain(r.rounded_value),
                "parameters": plain(dict(r.parameters)),
                "outcomes": len(r.outcomes),
                "excluded": len(r.excluded_outcomes()),
                "issues": [
                    {"kind": i.kind, "child_id": i.child_id, "message": i.message} for i in r.issues
                ],
            }
        )
        files[f"outcomes/{r.indicator}.json"] = [plain(row) for row in r.rows()]
    files["scorecard.json"] = {
        "period": str(card.period),
        "results": figures,
        "not_computed": [{"indicator": n.indicator, "reason": n.reason} for n in card.not_computed],
    }
    return files


def dump(content: Any) -> str:
    """The text of one snapshot file."""
    return json.dumps(content, indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    files = snapshots()
    outcomes = GOLDEN / "outcomes"
    outcomes.mkdir(parents=True, exist_ok=True)
    for stale in outcomes.glob("*.json"):
        if f"outcomes/{stale.name}" not in files:
            stale.unlink()
    for name, content in files.items():
        (GOLDEN / name).write_text(dump(content), encoding="utf-8")
    print(f"wrote {len(files)} snapshot files under {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
