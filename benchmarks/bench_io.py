"""Reading the returns: the readers against merely parsing the same files, in one run.

Usage::

    python benchmarks/bench_io.py [--children 100000] [--seed 0]

Writes, with the library's writers, a large CIN census XML file and a large SSDA903 directory
(random but valid records: about 1.4 referrals per child with their assessments, enquiries and
plans; about 3 episodes and 4 reviews per looked-after child) into a temporary directory, then
times:

* ``read_cin_census`` against expat parsing the same bytes with no handlers at all (the floor:
  pure C), against expat calling empty Python handlers for every element and text (the cost
  of merely visiting the document from Python), and against itself with its fast scanner turned
  off (every file read by the reference XML reader, as a file the scanner hands over is);
* ``read_ssda903`` against ``csv.reader`` iterating over every row of every table.

Ratios are reader time / baseline time, measured in the same run.

``--cin FILE`` times the CIN census part only, on an existing file (say the synthetic
authority of ``benchmarks/bench_peers.py``, ``--workdir /tmp/peers``)::

    python benchmarks/bench_io.py --cin /tmp/peers/x1/cin_census.xml --against /tmp/before

``--against DIR`` also times the readers of this checkout and of another one (``DIR/src``, say a
``git worktree`` of an older commit) on the same files, each in a fresh child process::

    git worktree add /tmp/before 52da0b4
    python benchmarks/bench_io.py --against /tmp/before
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import xml.parsers.expat as expat
from collections.abc import Callable
from pathlib import Path

from csc_indicators import (
    Assessment,
    Bundle,
    Child,
    ChildProtectionPlan,
    Episode,
    LookedAfterReview,
    Referral,
    Section47,
)
from csc_indicators.io import (
    _xml_scan,
    read_cin_census,
    read_ssda903,
    write_cin_census,
    write_ssda903,
)

CLOCK = time.perf_counter
"""The clock timing the runs (``--cpu``: the process's CPU time, steadier on a busy machine)."""


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = CLOCK()
    out = fn()
    return CLOCK() - t0, out


def make_bundle(children: int, rng: random.Random) -> Bundle:
    lo = dt.date(2020, 4, 1).toordinal()
    span = 4 * 365

    def day() -> dt.date:
        return dt.date.fromordinal(lo + rng.randrange(span))

    refs, assess, s47s, plans = [], [], [], []
    kids, eps, revs = [], [], []
    for i in range(children):
        cid = f"C{i:07d}"
        for _ in range(1 + (rng.random() < 0.4)):
            start = day()
            closed = start + dt.timedelta(days=rng.randrange(10, 300))
            refs.append(Referral(cid, start, closed, "RC1", rng.random() < 0.1))
            assess.append(Assessment(cid, start, start + dt.timedelta(days=rng.randrange(50))))
            if rng.random() < 0.2:
                s47s.append(Section47(cid, start, start + dt.timedelta(days=rng.randrange(30))))
            if rng.random() < 0.1:
                plans.append(
                    ChildProtectionPlan(
                        cid, start, closed, (start + dt.timedelta(days=90),), rng.randrange(3)
                    )
                )
        if rng.random() < 0.3:
            kids.append(
                Child(cid, dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(3000)), "1")
            )
            start = day()
            for k in range(3):
                end = start + dt.timedelta(days=rng.randrange(30, 200))
                eps.append(
                    Episode(
                        cid, start, "S" if k == 0 else "P", "C2", "U1", end, "X1", "PR1", None, "N1"
                    )
                )
                revs.append(LookedAfterReview(cid, start + dt.timedelta(days=20), "PN1"))
                start = end
            revs.append(LookedAfterReview(cid, start, "PN1"))
    return Bundle(
        referrals=tuple(refs),
        assessments=tuple(assess),
        section47s=tuple(s47s),
        transfer_ins=(),
        plans=tuple(plans),
        children=tuple(kids),
        episodes=tuple(eps),
        reviews=tuple(revs),
    )


def expat_bare(path: Path) -> None:
    parser = expat.ParserCreate()
    with path.open("rb") as stream:
        parser.ParseFile(stream)


def expat_visit(path: Path) -> int:
    count = 0

    def start(tag: str, attrs: object) -> None:
        nonlocal count
        count += 1

    def end(tag: str) -> None:
        pass

    def text(data: str) -> None:
        pass

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with path.open("rb") as stream:
        parser.ParseFile(stream)
    return count


def csv_rows(directory: Path) -> int:
    rows = 0
    for name in sorted(os.listdir(directory)):
        with (directory / name).open(encoding="utf-8-sig", newline="") as stream:
            for _ in csv.reader(stream):
                rows += 1
    return rows


def best(fn: Callable[[], object], repeat: int) -> float:
    return min(timed(fn)[0] for _ in range(repeat))


_AGAINST = """
import sys, time
from csc_indicators.io import read_cin_census, read_ssda903
cin, ssda, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
clock = time.process_time if sys.argv[4] == "cpu" else time.perf_counter
def best(fn):
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return min(times)
print(best(lambda: read_cin_census(cin)), best(lambda: read_ssda903(ssda)))
"""


def against(checkout: str, cin: Path, ssda: Path | None, repeat: int) -> tuple[float, float]:
    """The readers of a checkout (``checkout/src``) timed on the files, in a child process
    (``ssda`` ``None``: the CIN census reader only)."""
    env = {**os.environ, "PYTHONPATH": str(Path(checkout) / "src")}
    code = _AGAINST if ssda is not None else _AGAINST.replace("read_ssda903(ssda)", "0")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(cin),
            str(ssda),
            str(repeat),
            "cpu" if CLOCK is time.process_time else "wall",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def reference_only(path: Path) -> None:
    """``read_cin_census`` with its fast scanner turned off."""
    _xml_scan.USE_FAST_SCAN = False
    try:
        read_cin_census(path)
    finally:
        _xml_scan.USE_FAST_SCAN = True


def cin_only(path: Path, repeat: int, checkout: str | None) -> None:
    """The CIN census part on an existing file."""
    t_bare = best(lambda: expat_bare(path), repeat)
    t_visit = best(lambda: expat_visit(path), repeat)
    t_cin = best(lambda: read_cin_census(path), repeat)
    t_reference = best(lambda: reference_only(path), 1)
    back = read_cin_census(path)
    n_cin = sum(
        len(getattr(back, k) or ()) for k in ("referrals", "assessments", "section47s", "plans")
    )
    mb = path.stat().st_size / 1e6
    clock = "CPU" if CLOCK is time.process_time else "wall"
    print(f"Python {platform.python_version()} on {platform.machine()}, best of {repeat}, {clock}")
    print(f"\nCIN census {path}: {mb:.1f} MB, {n_cin:,} records")
    print(f"  expat, no handlers          {t_bare:8.3f} s")
    print(f"  expat, empty Python handlers{t_visit:8.3f} s")
    print(f"  read_cin_census             {t_cin:8.3f} s  ({n_cin / t_cin:,.0f} records/s)")
    print(f"  the same, reference XML only{t_reference:8.3f} s  (best of 1)")
    if checkout is not None:
        ours = against(str(Path(__file__).resolve().parents[1]), path, None, repeat)[0]
        other = against(checkout, path, None, repeat)[0]
        print(f"\nThis checkout against {checkout}, each in a fresh process")
        print(
            f"  read_cin_census             {ours:8.3f} s against {other:.3f} s "
            f"({other / ours:.2f}x faster)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--against", metavar="DIR", help="also time the readers of this checkout (DIR/src)"
    )
    parser.add_argument("--cin", type=Path, help="time the CIN census part only, on this file")
    parser.add_argument("--cpu", action="store_true", help="time CPU time rather than wall time")
    args = parser.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    if args.cin is not None:
        cin_only(args.cin, args.repeat, args.against)
        return

    bundle = make_bundle(args.children, random.Random(args.seed))
    with tempfile.TemporaryDirectory() as tmp:
        cin_path = Path(tmp) / "cin.xml"
        ssda = Path(tmp) / "903"
        write_cin_census(bundle, cin_path, collection_year=2023)
        write_ssda903(bundle, ssda)
        cin_mb = cin_path.stat().st_size / 1e6
        ssda_mb = sum(p.stat().st_size for p in ssda.iterdir()) / 1e6

        t_bare = best(lambda: expat_bare(cin_path), args.repeat)
        t_visit = best(lambda: expat_visit(cin_path), args.repeat)
        t_cin = best(lambda: read_cin_census(cin_path), args.repeat)
        t_reference = best(lambda: reference_only(cin_path), 1)
        back = read_cin_census(cin_path)
        assert len(back.referrals or ()) == len(bundle.referrals or ())

        t_csv = best(lambda: csv_rows(ssda), args.repeat)
        t_903 = best(lambda: read_ssda903(ssda), args.repeat)
        rows = csv_rows(ssda)
        la = read_ssda903(ssda)
        assert len(la.episodes or ()) == len(bundle.episodes or ())
        other = ours = None
        if args.against:
            # Both in a fresh process: this one holds the bundles, a larger heap to collect.
            ours = against(str(Path(__file__).resolve().parents[1]), cin_path, ssda, args.repeat)
            other = against(args.against, cin_path, ssda, args.repeat)

    n_cin = sum(
        len(getattr(bundle, k) or ()) for k in ("referrals", "assessments", "section47s", "plans")
    )
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{args.children:,} children, best of {args.repeat}"
    )
    print(f"\nCIN census: {cin_mb:.1f} MB, {n_cin:,} records")
    print(f"  expat, no handlers          {t_bare:8.3f} s")
    print(f"  expat, empty Python handlers{t_visit:8.3f} s")
    print(
        f"  read_cin_census             {t_cin:8.3f} s  "
        f"({n_cin / t_cin:,.0f} records/s, {cin_mb / t_cin:.1f} MB/s)"
    )
    print(f"  the same, reference XML only{t_reference:8.3f} s  (best of 1)")
    print(f"  ratio to expat, no handlers       {t_cin / t_bare:6.1f}x")
    print(f"  ratio to expat, empty handlers    {t_cin / t_visit:6.1f}x")
    print(f"\nSSDA903 CSV: {ssda_mb:.1f} MB, {rows:,} rows")
    print(f"  csv.reader over every row   {t_csv:8.3f} s")
    print(f"  read_ssda903                {t_903:8.3f} s  ({rows / t_903:,.0f} rows/s)")
    print(f"  ratio to csv.reader               {t_903 / t_csv:6.1f}x")
    if other is not None and ours is not None:
        print(f"\nThis checkout against {args.against}, each in a fresh process, same files")
        for i, name in enumerate(("read_cin_census", "read_ssda903")):
            print(
                f"  {name:28s}{ours[i]:8.3f} s against {other[i]:.3f} s ({ours[i] / other[i]:.2f}x)"
            )


if __name__ == "__main__":
    sys.exit(main())
