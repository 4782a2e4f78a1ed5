"""The README's example runs and its commented values are true; CI runs its test command."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _expected(comment: str) -> object:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", comment):
        return dt.date.fromisoformat(comment)
    return ast.literal_eval(comment)


def test_readme_example_runs_and_its_comments_are_true() -> None:
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    lines: list[str] = []
    checked = 0
    for line in block.group(1).splitlines():
        code, sep, comment = line.partition("  #")
        code, comment = code.rstrip(), comment.strip()
        is_expression = sep and not line.startswith(" ") and "=" not in code.split("(")[0]
        if is_expression:
            lines.append(f"assert ({code}) == {_expected(comment)!r}, {code!r}")
            checked += 1
        else:
            lines.append(line)
    namespace: dict[str, object] = {"datetime": dt}
    exec("\n".join(lines), namespace)
    assert checked >= 3


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "grep -E '^python3 -m venv .venv && .*pytest' README.md" in ci
    assert re.search(r"^python3 -m venv \.venv && .*pytest$", README, re.M)


def test_readme_demo_output_matches_the_demo(capsys: object) -> None:
    from csc_indicators.cli import main

    assert main(["demo"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    shown = re.search(r"```text\n(.*?)```", README, re.S)
    assert shown is not None
    lines = set(out.splitlines())
    checked = 0
    for line in shown.group(1).splitlines():
        if line.strip() in ("", "..."):
            continue
        assert line in lines, line
        checked += 1
    assert checked >= 10
