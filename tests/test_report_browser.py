"""The report in a real browser: headless Chromium opens the example authority's page, takes a
screenshot and reports its console. The page must render (the screenshot is not one colour and
shows the RAG badges' colours, so the CSS applied) with no console error.

Skipped, saying so, where Chromium is not installed (``apt-get install chromium``; CI installs
it when it can).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from itertools import accumulate
from pathlib import Path

import pytest

from csc_indicators import example_bundle
from csc_indicators.example import (
    EXAMPLE_AUTHORITY,
    EXAMPLE_NEIGHBOURS,
    example_benchmarking_paths,
)
from csc_indicators.report import report

pytest.importorskip("jinja2")

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str | None:
    """The browser: ``$CHROMIUM`` when set, else the first of the usual names on the path."""
    given = os.environ.get("CHROMIUM")
    if given:
        return given
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return next((p for name in CANDIDATES if (p := shutil.which(name))), None)


BROWSER = chromium()
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="Chromium is not installed (apt-get install chromium, or set CHROMIUM=path): the "
    "page is not checked in a real browser",
)


# -- PNG, with the standard library --------------------------------------------------------------


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of pixels (RGB or RGBA bytes) of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, chunks = 8, []
    width = height = depth = colour = interlace = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[bytes] = []
    prior = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1 : start + 1 + stride]
        if kind == 0:
            row = bytes(line)
        elif kind == 1:  # Sub: a running sum per channel
            out = bytearray(stride)
            for ch in range(bpp):
                out[ch::bpp] = bytes(v & 0xFF for v in accumulate(line[ch::bpp]))
            row = bytes(out)
        elif kind == 2:  # Up
            row = bytes((a + b) & 0xFF for a, b in zip(line, prior, strict=True))
        else:  # Average, Paeth: byte by byte
            out = bytearray(stride)
            for x in range(stride):
                left = out[x - bpp] if x >= bpp else 0
                up = prior[x]
                if kind == 3:
                    out[x] = (line[x] + (left + up) // 2) & 0xFF
                else:
                    corner = prior[x - bpp] if x >= bpp else 0
                    out[x] = (line[x] + _paeth(left, up, corner)) & 0xFF
            row = bytes(out)
        rows.append(row)
        prior = row
    if bpp == 4:  # keep RGB
        rgb_rows = []
        for r in rows:
            rgb = bytearray(width * 3)
            for ch in range(3):
                rgb[ch::3] = r[ch::4]
            rgb_rows.append(bytes(rgb))
        rows = rgb_rows
    return width, height, rows


def colours(rows: list[bytes]) -> Counter[bytes]:
    """How many pixels of each colour."""
    count: Counter[bytes] = Counter()
    for row in rows:
        count.update(row[i : i + 3] for i in range(0, len(row), 3))
    return count


# -- the test ------------------------------------------------------------------------------------


def screenshot(page: Path, png: Path, profile: Path) -> str:
    """Open ``page`` in headless Chromium, save a 1280x2000 screenshot; the browser's log."""
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        "--enable-logging=stderr",
        "--v=0",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert png.exists(), f"no screenshot (exit {done.returncode}): {done.stderr[-2000:]}"
    return done.stdout + done.stderr


@needs_browser
def test_the_page_renders_in_chromium_without_console_errors(tmp_path: Path) -> None:
    targets, comparators = example_benchmarking_paths()
    doc = report(
        example_bundle(),
        to="2025-03",
        targets=targets,
        comparators=comparators,
        authority=EXAMPLE_AUTHORITY,
        neighbours=EXAMPLE_NEIGHBOURS,
    )
    page = tmp_path / "report.html"
    doc.write(page)
    png = tmp_path / "report.png"
    log = screenshot(page, png, tmp_path / "profile")

    # the page runs no script, so any console message at all (Chromium logs them as
    # "INFO:CONSOLE" or "ERROR:CONSOLE", an exception as "Uncaught ...") is a fault
    console = [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert console == [], "\n".join(console)

    width, height, rows = read_png(png)
    assert (width, height) == (1280, 2000)
    seen = colours(rows)
    assert len(seen) > 50, "the screenshot is (nearly) one colour: the page did not render"
    white = seen.get(b"\xff\xff\xff", 0)
    assert white < 0.97 * width * height, "the screenshot is nearly blank"
    # the summary's RAG badges are in the first screen: their colours prove the CSS applied
    assert seen.get(bytes.fromhex("2e7d32"), 0) > 100, "no green RAG badge"
    assert seen.get(bytes.fromhex("c62828"), 0) > 100, "no red RAG badge"
