"""Rewrite the tables of ``docs/records.md`` and ``docs/reading-returns.md`` from the table
declarations (``csc_indicators.io._tables``), so the pages say what the readers read.

Run from the repository root after changing a declaration: ``python scripts/update_tables_doc.py``.
``tests/test_tables.py`` fails while a page is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from csc_indicators.io._tables import GENERATED, regenerate  # noqa: E402


def main() -> int:
    for page in GENERATED:
        path = ROOT / page
        text = path.read_text(encoding="utf-8")
        new = regenerate(text, page)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
