"""Executed documentation: every ```python block of a specification page
(``docs/indicators/``) runs, so a page cannot drift
from the code.

The blocks of one page run in order in one namespace (a later block may use what an earlier
one defined); each block asserts the figures the page states.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```\s*$", re.M | re.S)


def blocks(path: Path) -> list[str]:
    """The ```python blocks of one page, in order."""
    return BLOCK.findall(path.read_text(encoding="utf-8"))


PAGES = sorted(p for p in (DOCS / "indicators").glob("*.md") if blocks(p))


def test_some_pages_have_examples() -> None:
    assert PAGES


@pytest.mark.parametrize("path", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_page_examples_run(path: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs.{path.stem}"}
    for n, code in enumerate(blocks(path), 1):
        compiled = compile(code, f"{path.relative_to(DOCS.parent)} (python block {n})", "exec")
        exec(compiled, namespace)
