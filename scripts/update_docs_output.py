"""Rerun the ``csc-indicators`` commands shown in the documentation and paste their output.

A page shows a command in a ```bash block immediately followed by its output in a ```text
block; the tests check that the output shown is what the command prints. After a change that
moves a figure or the layout, run from the repository root::

    python scripts/update_docs_output.py            # rewrite the pages
    python scripts/update_docs_output.py --check    # only say which blocks differ

and review the diff. Only commands on the example data (``csc-indicators demo ...`` and
``csc-indicators series --example ...``) are rerun: they need no files of the reader's. An
output that differs only in the versions of csc_indicators and holidays its provenance names is
left as it is (the tests ignore them too).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
import sys
from pathlib import Path

from csc_indicators.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
SHOWN = re.compile(
    r"(```bash\n(csc-indicators (?:demo|series --example) [^`]*?)```\n+```text\n)(.*?)(```)", re.S
)


def versionless(text: str) -> str:
    """``text`` with the versions of csc_indicators and holidays replaced."""
    return re.sub(r"\b(csc_indicators|holidays) \d[\w.+-]*", r"\1 VERSION", text)


def run(command: str) -> str:
    args = shlex.split(command.replace("\\\n", " "))[1:]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    if status != 0:
        raise SystemExit(f"{command!r} exited with {status}")
    return out.getvalue()


def update(page: Path, check: bool) -> int:
    text = page.read_text(encoding="utf-8")
    changed = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal changed
        shown = m.group(3)
        if re.search(r"^\.\.\.$", shown, re.M):
            return m.group(0)  # a partial output: kept as it is (the tests check its pieces)
        output = run(m.group(2))
        if versionless(output) == versionless(shown):
            return m.group(0)
        if output != shown:
            changed += 1
            print(f"{page.relative_to(ROOT)}: {m.group(2).splitlines()[0]}")
        return m.group(1) + output + m.group(4)

    new = SHOWN.sub(replace, text)
    if changed and not check:
        page.write_text(new, encoding="utf-8")
    return changed


def cli() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list the blocks that differ")
    args = parser.parse_args()
    changed = sum(update(page, args.check) for page in PAGES)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(cli())
