"""Regenerate ``docs/images/report.png``: the example authority's monthly report, as headless
Chromium shows it (the top of the page: the header, the summary and the first area).

Run from the repository root, with the ``report`` extra installed and Chromium on the path
(``apt-get install chromium``; or set ``CHROMIUM=/path/to/chrome``)::

    python scripts/make_report_screenshot.py            # writes docs/images/report.png
    python scripts/make_report_screenshot.py --html r.html   # keeps the page too

The example's files are named relative to the example's folder, so that the picture shows no
path of the machine it was made on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from csc_indicators.example import (
    EXAMPLE_AUTHORITY,
    EXAMPLE_NEIGHBOURS,
    example_benchmarking_paths,
    example_paths,
    example_ssda903_years,
)
from csc_indicators.io import read_cin_census, read_ssda903, stitch_cin
from csc_indicators.report import report

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "report.png"
SIZE = (1280, 2300)


def browser() -> str:
    found = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not found:
        sys.exit("Chromium is not installed: apt-get install chromium (or set CHROMIUM=path)")
    return found


def build_page(path: Path) -> None:
    """Write the example authority's report to ``path``."""
    cin, (ssda_dir,) = example_paths()
    base = os.path.dirname(ssda_dir)
    targets, comparators = example_benchmarking_paths()
    here = os.getcwd()
    os.chdir(base)
    try:
        rel = os.path.relpath
        years = {rel(p, base): y for p, y in example_ssda903_years().items()}
        bundle = stitch_cin([read_cin_census(rel(p, base)) for p in cin]) + read_ssda903(
            list(years), years=years
        )
        doc = report(
            bundle,
            to="2025-03",
            targets=rel(targets, base),
            comparators=rel(comparators, base),
            authority=EXAMPLE_AUTHORITY,
            neighbours=EXAMPLE_NEIGHBOURS,
            generated=dt.datetime(2025, 4, 7, 9, 0),
        )
    finally:
        os.chdir(here)
    doc.write(path)


def screenshot(page: Path, png: Path) -> None:
    """Open ``page`` in headless Chromium and save a screenshot of its top to ``png``."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={SIZE[0]},{SIZE[1]}",
            page.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    if not png.exists():
        sys.exit("Chromium wrote no screenshot")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"the PNG (default {OUT})")
    parser.add_argument("--html", type=Path, help="keep the page at this path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        page = args.html.resolve() if args.html else Path(work) / "report.html"
        build_page(page)
        screenshot(page, args.out.resolve())
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
