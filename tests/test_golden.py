"""Golden snapshots: the example authority's scorecard and every indicator's outcomes are what
``tests/golden/`` pins (written by ``scripts/make_golden.py``)."""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
RERUN = (
    "the example authority's figures or outcomes changed. If the change is intended, rerun "
    "`python scripts/make_golden.py` and review the diff (`git diff tests/golden`) before "
    "committing it."
)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_golden", ROOT / "scripts" / "make_golden.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_MAKE = _script()
_FILES: dict[str, object] = _MAKE.snapshots()


def test_every_snapshot_file_is_expected() -> None:
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.json")}
    assert on_disk == set(_FILES), RERUN


@pytest.mark.parametrize("name", sorted(_FILES))
def test_snapshot_matches(name: str) -> None:
    path = GOLDEN / name
    assert path.exists(), f"{name} is missing: {RERUN}"
    expected = path.read_text(encoding="utf-8")
    actual = _MAKE.dump(_FILES[name])
    if actual != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    f"tests/golden/{name} (pinned)",
                    f"{name} (computed now)",
                    n=2,
                )
            )[:60]
        )
        pytest.fail(f"{name}: {RERUN}\n{diff}")


def test_scorecard_snapshot_names_the_example_year() -> None:
    card = json.loads((GOLDEN / "scorecard.json").read_text(encoding="utf-8"))
    assert card["period"] == "2024-25"
    ids = {r["indicator"] for r in card["results"]}
    assert {f"outcomes/{i}.json" for i in ids} == set(_FILES) - {"scorecard.json"}
