"""How close can pure Python come to the parse-only baseline? The floors, measured in one run.

Usage::

    python benchmarks/bench_floor.py              # a large authority (scale 1), 3 years
    python benchmarks/bench_floor.py --scale 4

The end-to-end target compares reading plus computing with the time to merely parse the files
(expat with no handlers over the CIN census XML, ``csv.reader`` over the SSDA903 tables). This
script measures, on the same files and in the same process, what *any* pure-Python reader must
pay at the least, so that the library's own figures can be judged against what is possible:

1. **baseline**: expat with no handlers + ``csv.reader`` discarding every row;
2. **C tree, streamed**: the standard library's C ``XMLParser`` and ``TreeBuilder`` building the
   elements of the CIN census (no Python code per element), dropping each ``Child`` once built,
   as a streaming reader must;
3. **expat, empty Python callbacks**: expat calling a Python function that does nothing for
   every start tag, end tag and piece of text: the floor of any reader written with callbacks;
4. **bare tuples**: (2) plus taking every field the indicators need out of each ``Child`` into
   plain tuples, dates parsed with ``date.fromisoformat``, and every CSV row into a tuple: no
   check of any value, no record class, no error reporting. No reader that checks what it
   reads can be faster than this in pure Python;
5. **library: read**: ``read_cin_census`` + ``read_ssda903`` (typed, validated records, every
   problem located);
6. **library: compute**: ``scorecard`` over the last year, summary mode (``outcomes=False``).

Each figure is the best of ``--repeat`` runs; ratios are against the baseline of the same run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import os
import platform
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import xml.parsers.expat
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = 20260401
CHUNK = 1 << 16


def _files(directory: Path) -> tuple[Path, list[Path]]:
    return directory / "cin_census.xml", sorted((directory / "ssda903").glob("*.csv"))


def baseline(directory: Path) -> None:
    xml_path, tables = _files(directory)
    parser = xml.parsers.expat.ParserCreate()
    with open(xml_path, "rb") as stream:
        parser.ParseFile(stream)
    for path in tables:
        with open(path, newline="", encoding="utf-8") as stream:
            for _row in csv.reader(stream):
                pass


def _children(xml_path: Path) -> Any:
    """Yield each finished ``Child`` element, built by the C parser, then drop it."""
    builder = ET.TreeBuilder()
    top = builder.start("", {})
    parser = ET.XMLParser(target=builder)
    with open(xml_path, "rb") as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                parser.close()
            else:
                parser.feed(chunk)
            if len(top):
                for holder in top[0]:
                    if holder.tag != "Children":
                        continue
                    finished = len(holder) if not chunk else len(holder) - 1
                    for i in range(finished):
                        yield holder[i]
                    del holder[:finished]
            if not chunk:
                return


def c_tree(directory: Path) -> None:
    xml_path, _ = _files(directory)
    for _child in _children(xml_path):
        pass


def expat_callbacks(directory: Path) -> None:
    xml_path, _ = _files(directory)
    parser = xml.parsers.expat.ParserCreate()

    def start(name: str, attributes: dict[str, str]) -> None:
        pass

    def end(name: str) -> None:
        pass

    def text(data: str) -> None:
        pass

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with open(xml_path, "rb") as stream:
        parser.ParseFile(stream)


def bare_tuples(directory: Path) -> list[tuple[Any, ...]]:
    xml_path, tables = _files(directory)
    day = dt.date.fromisoformat
    out: list[tuple[Any, ...]] = []
    add = out.append
    for child in _children(xml_path):
        child_id = child.findtext("ChildIdentifiers/LAchildID")
        for details in child.iterfind("CINdetails"):
            closed = details.findtext("CINclosureDate")
            add(
                (
                    child_id,
                    day(details.findtext("CINreferralDate") or ""),
                    day(closed) if closed else None,
                    details.findtext("ReasonForClosure"),
                    details.findtext("ReferralNFA") in ("1", "true"),
                )
            )
            for group in details.iterfind("Assessments"):
                done = group.findtext("AssessmentAuthorisationDate")
                add(
                    (
                        child_id,
                        day(group.findtext("AssessmentActualStartDate") or ""),
                        day(done) if done else None,
                    )
                )
            for group in details.iterfind("Section47"):
                held = group.findtext("DateOfInitialCPC")
                add(
                    (
                        child_id,
                        day(group.findtext("S47ActualStartDate") or ""),
                        day(held) if held else None,
                        group.findtext("ICPCnotRequired"),
                    )
                )
            for group in details.iterfind("ChildProtectionPlans"):
                ended = group.findtext("CPPendDate")
                add(
                    (
                        child_id,
                        day(group.findtext("CPPstartDate") or ""),
                        day(ended) if ended else None,
                        tuple(day(r.text or "") for r in group.iter("CPPreviewDate")),
                    )
                )
    for path in tables:
        with open(path, newline="", encoding="utf-8") as stream:
            for row in csv.reader(stream):
                add(tuple(row))
    return out


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--first-year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from csc_indicators import Period, synthetic
    from csc_indicators.care_history import clear_history_cache
    from csc_indicators.io import read_cin_census, read_ssda903, write_cin_census, write_ssda903
    from csc_indicators.scoring import scorecard

    last = args.first_year + args.years - 1
    with tempfile.TemporaryDirectory(prefix="csc-floor-") as tmp:
        directory = Path(tmp)
        made = synthetic.generate(
            args.scale, first_year=args.first_year, years=args.years, seed=SEED
        )
        (directory / "ssda903").mkdir()
        write_cin_census(made, directory / "cin_census.xml", collection_year=last)
        write_ssda903(made, directory / "ssda903", collection_year=last)
        del made
        size = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
        print(
            f"Python {platform.python_version()} on {platform.machine()}, "
            f"{os.cpu_count()} cores; scale {args.scale:g}, {size / 1e6:.0f} MB of files; "
            f"best of {args.repeat}"
        )

        def read() -> Any:
            return read_cin_census(directory / "cin_census.xml") + read_ssda903(
                [directory / "ssda903"]
            )

        rows: list[tuple[str, Callable[[], object]]] = [
            ("baseline: expat, no handlers + csv.reader", lambda: baseline(directory)),
            ("C tree, streamed (no Python per element)", lambda: c_tree(directory)),
            ("expat, empty Python callbacks", lambda: expat_callbacks(directory)),
            ("bare tuples, no checks (C tree + CSV)", lambda: bare_tuples(directory)),
            ("library: read (typed, checked records)", read),
        ]
        # The floors first, with nothing else held in memory (a large heap slows every
        # collection of the garbage collector), then the library's reading.
        times = {name: _best(fn, args.repeat) for name, fn in rows}
        bundle = read()
        period = Period.financial_year(last)

        def compute() -> object:
            clear_history_cache()
            return scorecard(bundle, period, outcomes=False)

        rows.append(("library: compute (scorecard, summary)", compute))
        times[rows[-1][0]] = _best(compute, args.repeat)
    base = times[rows[0][0]]
    print(f"\n{'':44} {'seconds':>8} {'/ baseline':>11}")
    for name, _ in rows:
        print(f"{name:44} {times[name]:8.3f} {times[name] / base:11.2f}")
    total = times[rows[4][0]] + times[rows[5][0]]
    print(f"{'library: read + compute':44} {total:8.3f} {total / base:11.2f}")
    print(
        f"\nThe target (read + compute within 2x the baseline) leaves {2 * base:.3f} s; "
        f"bare tuples alone take {times[rows[3][0]]:.3f} s."
    )


if __name__ == "__main__":
    sys.exit(main())
