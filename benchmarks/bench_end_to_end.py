"""End to end at growing scale: files -> records -> every indicator, against a parse-only baseline.

Usage::

    python benchmarks/bench_end_to_end.py                      # 1x, 4x and 16x a large authority
    python benchmarks/bench_end_to_end.py --scales 1 4 16 65   # 65x is about England
    python benchmarks/bench_end_to_end.py --json results.json --svg docs/images/scaling.svg

For each scale (1.0 = a large authority: about 10,000 referrals and 1,500 looked-after children a
year) the script

1. generates the synthetic authority (``csc_indicators.synthetic``, fixed seed) over ``--years``
   financial years and writes it as the councils' files: one CIN census XML file and one
   SSDA903 return of CSV tables (in a child process; not timed);
2. in a *fresh* child process, so that peak memory is that of the measured work only:

   * **parse only** (the baseline): the same files parsed with the standard library and nothing
     else, the XML with ``xml.parsers.expat`` and no handlers, every CSV row with
     ``csv.reader``;
   * **read**: ``read_cin_census`` + ``read_ssda903`` to a bundle of typed, validated records;
   * **compute**: ``scorecard`` over the last year with every indicator, in summary mode
     (``outcomes=False``) and with every per-record outcome kept; and in summary mode with
     ``--workers`` processes;

3. prints the times, the ratios the performance targets are set in, and the peak resident
   memory of the measuring process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import xml.parsers.expat
from pathlib import Path
from typing import Any

SEED = 20260401


def _generate(scale: float, first_year: int, years: int, directory: Path) -> dict[str, Any]:
    from csc_indicators import synthetic
    from csc_indicators.io import write_cin_census, write_ssda903

    t0 = time.perf_counter()
    bundle = synthetic.generate(scale, first_year=first_year, years=years, seed=SEED)
    t1 = time.perf_counter()
    (directory / "ssda903").mkdir(parents=True, exist_ok=True)
    write_cin_census(bundle, directory / "cin_census.xml", collection_year=first_year + years - 1)
    write_ssda903(bundle, directory / "ssda903", collection_year=first_year + years - 1)
    t2 = time.perf_counter()
    counts = {
        k: len(getattr(bundle, k) or ())
        for k in (
            "referrals",
            "assessments",
            "section47s",
            "plans",
            "children",
            "episodes",
            "reviews",
        )
    }
    size = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
    return {"generate_s": t1 - t0, "write_s": t2 - t1, "records": counts, "bytes": size}


def _parse_only(directory: Path) -> float:
    t0 = time.perf_counter()
    parser = xml.parsers.expat.ParserCreate()
    with open(directory / "cin_census.xml", "rb") as stream:
        parser.ParseFile(stream)
    for path in sorted((directory / "ssda903").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as stream:
            for _row in csv.reader(stream):
                pass
    return time.perf_counter() - t0


def _measure(directory: Path, year: int, workers: int) -> dict[str, Any]:
    from csc_indicators import Period
    from csc_indicators.care_history import clear_history_cache
    from csc_indicators.io import read_cin_census, read_ssda903
    from csc_indicators.scoring import scorecard

    out: dict[str, Any] = {"parse_only_s": min(_parse_only(directory) for _ in range(2))}
    t0 = time.perf_counter()
    bundle = read_cin_census(directory / "cin_census.xml") + read_ssda903([directory / "ssda903"])
    out["read_s"] = time.perf_counter() - t0
    period = Period.financial_year(year)

    t0 = time.perf_counter()
    card = scorecard(bundle, period, outcomes=False)
    out["compute_s"] = time.perf_counter() - t0
    out["indicators"] = len(card.results)
    out["rss_after_summary_mb"] = _peak_mb()

    clear_history_cache()
    t0 = time.perf_counter()
    full = scorecard(bundle, period)
    out["compute_with_outcomes_s"] = time.perf_counter() - t0
    out["outcomes"] = sum(len(r.outcomes) for r in full)
    del full
    out["peak_mb"] = _peak_mb()

    if workers > 1:
        clear_history_cache()
        t0 = time.perf_counter()
        parallel = scorecard(bundle, period, outcomes=False, workers=workers)
        out["compute_workers_s"] = time.perf_counter() - t0
        same = [(r.numerator, r.denominator) for r in parallel] == [
            (r.numerator, r.denominator) for r in card
        ]
        assert same, "the parallel scorecard disagrees with the serial one"
    return out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(args: list[str]) -> dict[str, Any]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, env=env, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _svg(rows: list[dict[str, Any]], path: Path) -> None:
    """A small line chart of time against scale (log-log), written by hand: no plotting
    library needed."""
    import math

    width, height, pad = 560, 340, 56
    xs = [r["scale"] for r in rows]
    series = [
        ("parse only", "parse_only_s", "#888888"),
        ("read", "read_s", "#1f77b4"),
        ("compute", "compute_s", "#2ca02c"),
        ("read + compute", "total_s", "#d62728"),
    ]
    ys = [r[key] for r in rows for _, key, _ in series]
    lx0, lx1 = math.log10(min(xs)), math.log10(max(xs))
    ly0, ly1 = math.log10(min(ys)) - 0.1, math.log10(max(ys)) + 0.1

    def px(x: float) -> float:
        return pad + (math.log10(x) - lx0) / ((lx1 - lx0) or 1) * (width - 2 * pad)

    def py(y: float) -> float:
        return height - pad - (math.log10(y) - ly0) / (ly1 - ly0) * (height - 2 * pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="black"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="black"/>',
        f'<text x="{width / 2}" y="{height - 16}" text-anchor="middle">'
        "data size (x a large authority, log scale)</text>",
        f'<text x="16" y="{height / 2}" transform="rotate(-90 16 {height / 2})" '
        'text-anchor="middle">seconds (log scale)</text>',
    ]
    for x in xs:
        parts.append(
            f'<text x="{px(x):.1f}" y="{height - pad + 16}" text-anchor="middle">{x:g}x</text>'
        )
    for decade in range(math.ceil(ly0), math.floor(ly1) + 1):
        y = py(10.0**decade)
        parts.append(
            f'<line x1="{pad}" y1="{y:.1f}" x2="{width - pad}" y2="{y:.1f}" stroke="#dddddd"/>'
        )
        parts.append(
            f'<text x="{pad - 6}" y="{y + 4:.1f}" text-anchor="end">{10.0**decade:g}</text>'
        )
    for i, (label, key, colour) in enumerate(series):
        points = " ".join(f"{px(r['scale']):.1f},{py(r[key]):.1f}" for r in rows)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for r in rows:
            parts.append(
                f'<circle cx="{px(r["scale"]):.1f}" cy="{py(r[key]):.1f}" r="3" fill="{colour}"/>'
            )
        parts.append(f'<text x="{pad + 10}" y="{pad + 14 * i}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 4.0, 16.0])
    parser.add_argument("--years", type=int, default=3, help="financial years of history")
    parser.add_argument("--first-year", type=int, default=2022)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--svg", type=Path, help="also draw time against scale to this SVG")
    parser.add_argument("--generate", nargs=2, metavar=("SCALE", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    last_year = args.first_year + args.years - 1

    if args.generate:  # child process: make the files
        scale, directory = float(args.generate[0]), Path(args.generate[1])
        print(json.dumps(_generate(scale, args.first_year, args.years, directory)))
        return
    if args.measure:  # child process: measure reading and computing
        print(json.dumps(_measure(Path(args.measure), last_year, args.workers)))
        return

    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores; {args.years} years of history, scorecard for "
        f"{last_year}-{(last_year + 1) % 100:02d}"
    )
    rows: list[dict[str, Any]] = []
    common = [
        "--years",
        str(args.years),
        "--first-year",
        str(args.first_year),
        "--workers",
        str(args.workers),
    ]
    with tempfile.TemporaryDirectory(prefix="csc-bench-") as tmp:
        for scale in args.scales:
            directory = Path(tmp) / f"x{scale:g}"
            made = _child(["--generate", str(scale), str(directory), *common])
            measured = _child(["--measure", str(directory), *common])
            row = {"scale": scale, **made, **measured}
            row["total_s"] = row["read_s"] + row["compute_s"]
            rows.append(row)
            print(
                f"  {scale:g}x: {made['records']['referrals']:,} referrals, "
                f"{made['records']['episodes']:,} episodes, {made['bytes'] / 1e6:.0f} MB "
                f"of files; read {row['read_s']:.1f} s, compute {row['compute_s']:.1f} s, "
                f"peak {row['peak_mb']:.0f} MB",
                flush=True,
            )

    base = rows[0]
    print()
    print(
        f"{'scale':>6} {'parse only':>11} {'read':>8} {'compute':>8} {'+outcomes':>10} "
        f"{'workers':>8} {'(read+compute)':>15} {'compute':>8} {'time vs':>8} "
        f"{'peak':>8}"
    )
    print(
        f"{'':>6} {'s':>11} {'s':>8} {'s':>8} {'s':>10} {'s':>8} {'/ parse only':>15} "
        f"{'/ read':>8} {'1x':>8} {'MB':>8}"
    )
    for r in rows:
        workers = r.get("compute_workers_s")
        print(
            f"{r['scale']:>5g}x {r['parse_only_s']:11.2f} {r['read_s']:8.2f} "
            f"{r['compute_s']:8.2f} {r['compute_with_outcomes_s']:10.2f} "
            f"{workers if workers is not None else float('nan'):8.2f} "
            f"{r['total_s'] / r['parse_only_s']:15.1f} {r['compute_s'] / r['read_s']:8.2f} "
            f"{r['total_s'] / base['total_s']:8.1f} {r['peak_mb']:8.0f}"
        )
    if len(rows) > 1:
        last = rows[-1]
        data = last["scale"] / base["scale"]
        print(
            f"\n{data:g}x the data took {last['total_s'] / base['total_s']:.1f}x the time "
            f"(linear would be {data:g}x)."
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    if args.svg:
        _svg(rows, args.svg)


if __name__ == "__main__":
    main()
