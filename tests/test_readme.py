"""The README's example runs and shows true values; CI runs the README's test command."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_example_runs_and_its_comments_are_true() -> None:
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    lines = block.group(1).splitlines()
    checked = 0
    for line in lines:
        code, _, comment = line.partition("#")
        code, comment = code.strip(), comment.strip()
        if not code:
            continue
        if comment and "=" not in code.split("(")[0]:
            value = eval(code, namespace)
            expected = dt.date.fromisoformat(comment) if "-" in comment else eval(comment)
            assert value == expected, line
            checked += 1
        else:
            exec(code, namespace)
    assert checked >= 3


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "grep -E '^python3 -m venv .venv && .*pytest' README.md" in ci
    assert re.search(r"^python3 -m venv \.venv && .*pytest$", README, re.M)
