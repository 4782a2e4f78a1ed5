"""The decisions page (docs/decisions.md): every decision cited in the code and the docs is
defined there, each definition has its parts, and every parameter it names exists.

Citations are found by their wording ("decision D8", "decisions D14 and D15", "(D3)", links to
``decisions.md#d8``), so that codes and table names that look alike (legal status D1, DfE table
D5) are not mistaken for decisions. New citations anywhere in ``src`` or ``docs`` are checked
as they appear: the tests fail only for a citation of a decision the page does not define.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGE = DOCS / "decisions.md"
PARTS = ("Question", "Choice", "Reason", "Alternatives", "Parameters", "Sources")
# Calls on the page that build a parameter's value rather than name a parameter.
VALUES = frozenset({"relativedelta", "timedelta", "date"})

# "decision D8", "Decision D8", "decisions D14 and D15", "decisions D14-D18", "decision D1 applies".
_WORDED = re.compile(
    r"\b[Dd]ecisions?\s+(D\d+(?:\s*(?:,|and|or|to|-|–)\s*D\d+)*)",
)
# A decision alone in brackets: "(D3)", "(D3, D5)", "(D3 and D5)"; also "(default, D10: ...".
_BRACKETED = re.compile(r"\((?:default,\s*)?(D\d+(?:\s*(?:,|and|or)\s*D\d+)*)[):]")
# A link to the page: "decisions.md#d8".
_LINKED = re.compile(r"decisions\.md#(d\d+)\b")
# A definition on the page: an HTML anchor, then the heading "## D8 Title".
_DEFINITION = re.compile(r'^<a id="d(\d+)"></a>\s*\n\s*\n## D(\d+) (.+)$', re.MULTILINE)


def sources() -> Iterator[Path]:
    yield from sorted((ROOT / "src").rglob("*.py"))
    yield from sorted(DOCS.rglob("*.md"))
    yield ROOT / "README.md"


def citations(text: str) -> Iterator[tuple[int, str]]:
    """(line number, decision number) of every citation of a decision in ``text``."""
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in (_WORDED, _BRACKETED):
            for match in pattern.finditer(line):
                for cited in re.findall(r"D(\d+)", match.group(1)):
                    yield number, cited
        for match in _LINKED.finditer(line):
            yield number, match.group(1)[1:]


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def sections() -> dict[str, str]:
    """Each decision's text on the page, by number ("8" for D8)."""
    text = page()
    found = list(_DEFINITION.finditer(text))
    out: dict[str, str] = {}
    for i, match in enumerate(found):
        anchor, heading = match.group(1), match.group(2)
        assert anchor == heading, f"anchor d{anchor} above the heading of D{heading}"
        assert heading not in out, f"D{heading} is defined twice"
        stop = found[i + 1].start() if i + 1 < len(found) else len(text)
        out[heading] = text[match.start() : stop]
    return out


def test_the_page_defines_d0_to_d18_in_order_with_stable_anchors() -> None:
    defined = list(sections())
    assert defined == [str(n) for n in range(len(defined))]
    assert len(defined) >= 19
    # The summary table links every decision by its anchor.
    for number in defined:
        assert f"[D{number}](#d{number})" in page()


def test_every_cited_decision_is_defined() -> None:
    defined = set(sections())
    missing = [
        f"{path.relative_to(ROOT)}:{line}: D{cited}"
        for path in sources()
        for line, cited in citations(path.read_text(encoding="utf-8"))
        if cited not in defined
    ]
    assert not missing, "cited but not defined on docs/decisions.md:\n" + "\n".join(missing)


def test_the_citation_patterns_find_citations_and_ignore_codes() -> None:
    text = "\n".join(
        [
            "Placements counted (decision D8): ...",
            "see decisions D14 and D15, and decisions D16-D18",
            "scope: (default, D10: every review)",
            "the default (D3) applies; [D9](../decisions.md#d9)",
            "legal status E1 or D1; EES table D5; accommodation F (D1x)",
        ]
    )
    assert sorted(c for _, c in citations(text)) == sorted(
        ["8", "14", "15", "16", "18", "10", "3", "9"]
    )
    assert [c for _, c in citations("Decision D19 says")] == ["19"]


@pytest.mark.parametrize("number", [str(n) for n in range(19)])
def test_every_decision_has_its_parts(number: str) -> None:
    section = sections()[number]
    for part in PARTS:
        match = re.search(rf"^\*\*{part}\.\*\*\s*(.*)$", section, re.MULTILINE)
        assert match, f"D{number} has no **{part}.**"
        assert match.group(1).strip() or part == "Choice", f"D{number}: empty **{part}.**"
    sources_text = section.split("**Sources.**", 1)[1]
    assert len(sources_text.split()) >= 5, f"D{number}: the sources are too short"


def _resolve(name: str) -> Callable[..., Any]:
    """An indicator function, a public object of the package, or ``Class.method``."""
    head, _, rest = name.partition(".")
    for module in ("csc_indicators.indicators", "csc_indicators"):
        obj = getattr(importlib.import_module(module), head, None)
        if obj is not None:
            break
    else:
        raise AssertionError(f"{name} is not in csc_indicators or csc_indicators.indicators")
    for attribute in rest.split(".") if rest else ():
        obj = getattr(obj, attribute)
    assert callable(obj), name
    return obj  # type: ignore[no-any-return]


def claimed_parameters() -> Iterator[tuple[str, str, str]]:
    """(decision, callable, keyword) for every code span on the page shaped like a call with
    keyword arguments, e.g. ``three_or_more_placements(window="period")``."""
    for number, section in sections().items():
        for span in re.findall(r"`([^`\n]+)`", section):
            if not re.fullmatch(r"[A-Za-z_][\w.]*\(.*\)", span):
                continue
            try:
                call = ast.parse(span, mode="eval").body
            except SyntaxError:
                continue
            if not isinstance(call, ast.Call):
                continue
            function = ast.unparse(call.func)
            if function.rpartition(".")[2] in VALUES:
                continue
            for keyword in call.keywords:
                if keyword.arg is not None:
                    yield number, function, keyword.arg


def test_the_page_names_parameters() -> None:
    claims = list(claimed_parameters())
    assert len(claims) >= 30
    # Every decision with parameters names them as calls.
    with_parameters = {number for number, _, _ in claims}
    for number, section in sections().items():
        if not section.split("**Parameters.**", 1)[1].lstrip().startswith("None"):
            assert number in with_parameters, f"D{number} claims parameters but names none"


@pytest.mark.parametrize(
    ("number", "function", "keyword"),
    sorted(set(claimed_parameters())),
    ids=lambda value: str(value),
)
def test_every_parameter_named_on_the_page_exists(number: str, function: str, keyword: str) -> None:
    signature = inspect.signature(_resolve(function))
    assert keyword in signature.parameters, (
        f"D{number}: {function} has no parameter {keyword!r} "
        f"(it has {', '.join(signature.parameters)})"
    )


def test_the_page_is_in_the_nav_and_linked_from_the_index_pages() -> None:
    assert "decisions.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "(decisions.md)" in (DOCS / "index.md").read_text(encoding="utf-8")
    assert "(../decisions.md)" in (DOCS / "indicators" / "index.md").read_text(encoding="utf-8")


def test_links_to_a_decision_point_at_its_anchor() -> None:
    defined = set(sections())
    for path in DOCS.rglob("*.md"):
        for anchor in re.findall(r"decisions\.md#([\w-]+)", path.read_text(encoding="utf-8")):
            assert re.fullmatch(r"d\d+", anchor), f"{path}: use the stable anchor, not #{anchor}"
            assert anchor[1:] in defined, f"{path}: #{anchor} is not defined"
