"""The library against what an analyst would write instead: pandas, DuckDB and polars.

Usage::

    python benchmarks/bench_peers.py                          # scales 1 and 2, best of 3
    python benchmarks/bench_peers.py --scales 0.25 --rounds 1 # a quick look
    python benchmarks/bench_peers.py --workdir /tmp/peers --json peers.json

Needs ``pip install -e ".[bench]"`` (pandas, numpy, DuckDB, pyarrow, polars: benchmark only,
never a dependency of the package). For each scale (1.0 = a large authority) the script

1. writes the synthetic authority as ``benchmarks/bench_end_to_end.py`` does (one CIN census
   XML file, one SSDA903 return of CSV tables, three financial years; not timed), unless the
   work directory already holds it;
2. runs every implementation of ``benchmarks/peers/`` ``--rounds`` times, each run in a fresh
   process, the rounds interleaved (round *r* starts with the *r*-th implementation, so none
   always runs first or last on a busy machine). A run times its imports and its set-up (the
   working-day calendar, a database connection) apart from the measured work: **read** (files
   to the tool's typed tables) and **compute** (the five figures for the last year);
3. keeps the best of the rounds for each implementation (each time separately; the total is
   the best round's read + compute), prints the times, the peak resident memory of the run,
   the ratios against the library, and checks that every implementation's numerators and
   denominators equal the library's.

The five indicators: assessments within 45 working days, re-referrals within 12 months, ICPCs
within 15 working days, three or more placements (12 months to 31 March) and long-term
placement stability. A disagreement is printed as ``MISMATCH`` with the indicator and makes
the script exit with status 1.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIRST_YEAR = 2022
YEARS = 3
REPORT_YEAR = FIRST_YEAR + YEARS - 1  # the scorecard year: 2024-25


# -- one run, in its own process -------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _one_run(name: str, directory: Path, year: int) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    t0 = time.perf_counter()
    from peers import MODULES, THIRD_PARTY
    from peers.rules import Rules

    for package in THIRD_PARTY[name]:
        importlib.import_module(package)
    module = importlib.import_module(MODULES[name])
    t1 = time.perf_counter()
    module.prepare()
    t2 = time.perf_counter()
    base = _rss_mb()
    timed = module.run(directory, Rules.financial_year(year))
    return {
        "impl": name,
        "import_s": t1 - t0,
        "setup_s": t2 - t1,
        "read_s": timed.read_s,
        "compute_s": timed.compute_s,
        "total_s": timed.read_s + timed.compute_s,
        "base_mb": base,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "figures": {k: list(v) for k, v in timed.figures.items()},
    }


def _spawn(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"child {' '.join(args)} failed with status {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _environment(threads: int | None) -> dict[str, str]:
    env = dict(os.environ)
    src = str(HERE.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    if threads:
        env["POLARS_MAX_THREADS"] = str(threads)
        env["PEERS_DUCKDB_THREADS"] = str(threads)
    return env


# -- the data ----------------------------------------------------------------------------------


def _data(scale: float, workdir: Path, env: dict[str, str]) -> tuple[Path, dict[str, Any]]:
    """The synthetic authority at ``scale``, written by ``bench_end_to_end.py``'s own writer
    (in a child process) unless ``workdir`` already has it."""
    directory = workdir / f"x{scale:g}"
    facts = directory / "facts.json"
    if not facts.exists():
        if directory.exists():
            shutil.rmtree(directory)
        done = subprocess.run(
            [
                sys.executable,
                str(HERE / "bench_end_to_end.py"),
                "--generate",
                str(scale),
                str(directory),
                "--first-year",
                str(FIRST_YEAR),
                "--years",
                str(YEARS),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        facts.write_text(done.stdout.strip().splitlines()[-1] + "\n", encoding="utf-8")
    made: dict[str, Any] = json.loads(facts.read_text(encoding="utf-8"))
    # the return holds the episodes open in its year only, fewer than were generated
    with open(directory / "ssda903" / "episodes.csv", encoding="utf-8") as table:
        made["episode_rows"] = sum(1 for _ in table) - 1
    return directory, made


# -- the comparison ----------------------------------------------------------------------------

_TIMES = ("import_s", "setup_s", "read_s", "compute_s", "total_s")


def _best(rows: list[dict[str, Any]]) -> dict[str, Any]:
    best: dict[str, Any] = {k: min(r[k] for r in rows) for k in _TIMES}
    best["peak_mb"] = min(r["peak_mb"] for r in rows)
    best["work_mb"] = min(r["peak_mb"] - r["base_mb"] for r in rows)
    best["figures"] = rows[0]["figures"]
    best["rounds_agree"] = all(r["figures"] == rows[0]["figures"] for r in rows)
    return best


def _mismatches(best: dict[str, dict[str, Any]], reference: str) -> list[str]:
    found = []
    ref = best[reference]["figures"]
    for name, b in best.items():
        if not b["rounds_agree"]:
            found.append(f"{name}: the rounds disagree with one another")
        for indicator in sorted(set(ref) | set(b["figures"])):
            mine, theirs = b["figures"].get(indicator), ref.get(indicator)
            if mine != theirs:
                found.append(
                    f"{indicator}: {name} has {_fraction(mine)}, {reference} {_fraction(theirs)}"
                )
    return found


def _fraction(pair: list[int] | None) -> str:
    return "nothing" if pair is None else f"{pair[0]:,}/{pair[1]:,}"


def _print_scale(row: dict[str, Any], reference: str) -> None:
    best = row["best"]
    ref = best[reference]
    print(
        f"\n{row['scale']:g}x: {row['records']['referrals']:,} referrals, "
        f"{row['records']['assessments']:,} assessments, {row['episode_rows']:,} episodes "
        f"in the year's return, {row['bytes'] / 1e6:.0f} MB of files; best of {row['rounds']} "
        "rounds; "
        f"load average {row['load_before'][0]:.2f} before, {row['load_after'][0]:.2f} after"
    )
    print(
        f"{'':9}{'import':>8}{'set-up':>8}{'read':>8}{'compute':>9}{'total':>8}{'peak':>7}"
        f"{'work':>7} | {'read':>6}{'compute':>8}{'total':>7}{'peak':>6}"
    )
    print(
        f"{'':9}{'s':>8}{'s':>8}{'s':>8}{'s':>9}{'s':>8}{'MB':>7}{'MB':>7} | {'/ ' + reference:^27}"
    )
    for name, b in best.items():
        print(
            f"{name:9}{b['import_s']:8.2f}{b['setup_s']:8.2f}{b['read_s']:8.2f}"
            f"{b['compute_s']:9.3f}{b['total_s']:8.2f}{b['peak_mb']:7.0f}{b['work_mb']:7.0f} | "
            f"{b['read_s'] / ref['read_s']:6.2f}{b['compute_s'] / ref['compute_s']:8.3f}"
            f"{b['total_s'] / ref['total_s']:7.2f}{b['peak_mb'] / ref['peak_mb']:6.2f}"
        )
    print("figures (numerator/denominator):")
    for indicator, pair in ref["figures"].items():
        same = all(b["figures"].get(indicator) == pair for b in best.values())
        print(f"  {indicator:36} {_fraction(pair):>15}  {'all agree' if same else 'MISMATCH'}")
    for line in row["mismatches"]:
        print(f"!! MISMATCH {line}")


def _check_awkward(impls: list[str], directory: Path, env: dict[str, str]) -> bool:
    """Run every implementation once on the awkward authority; True when they disagree."""
    _spawn(["--write-awkward", str(directory)], env)
    best = {name: _best([_spawn(["--child", name, str(directory)], env)]) for name in impls}
    print(f"\nawkward records ({directory}): figures (numerator/denominator)")
    for indicator in best[impls[0]]["figures"]:
        cells = "  ".join(f"{n} {_fraction(b['figures'].get(indicator))}" for n, b in best.items())
        print(f"  {indicator:36} {cells}")
    found = _mismatches(best, impls[0])
    for line in found:
        print(f"!! MISMATCH {line}")
    if not found:
        print("every implementation agrees with the library")
    return bool(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--impls",
        nargs="+",
        default=["library", "pandas", "duckdb", "polars"],
        help="implementations to run (the first is the reference of the ratios)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep (and reuse) the generated files here, as DIR/xSCALE"
    )
    parser.add_argument("--threads", type=int, help="cap DuckDB's and polars' threads")
    parser.add_argument("--json", type=Path, help="also write every run and the best to JSON")
    parser.add_argument(
        "--awkward",
        action="store_true",
        help="only check the figures on a small authority of awkward records "
        "(benchmarks/peers/awkward.py) instead of timing the synthetic one",
    )
    parser.add_argument("--child", nargs=2, metavar=("IMPL", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--write-awkward", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:  # one measured run, in its own process
        print(json.dumps(_one_run(args.child[0], Path(args.child[1]), REPORT_YEAR)))
        return
    if args.write_awkward:  # child process: write the awkward authority
        sys.path.insert(0, str(HERE))
        from peers import awkward

        awkward.write(Path(args.write_awkward))
        print("{}")
        return

    sys.path.insert(0, str(HERE))
    from peers import IMPLEMENTATIONS

    unknown = [i for i in args.impls if i not in IMPLEMENTATIONS]
    if unknown:
        parser.error(f"unknown implementations {unknown}; choose from {list(IMPLEMENTATIONS)}")
    reference = args.impls[0]
    env = _environment(args.threads)
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        f"scorecard for {REPORT_YEAR}-{(REPORT_YEAR + 1) % 100:02d} from {YEARS} years of files; "
        f"ratios against {reference}"
    )
    temporary = None
    if args.workdir is None:
        temporary = tempfile.TemporaryDirectory(prefix="csc-peers-")
        workdir = Path(temporary.name)
    else:
        workdir = args.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "threads": args.threads,
        "scales": [],
    }
    failed = False
    try:
        if args.awkward:
            failed = _check_awkward(args.impls, workdir / "awkward", env)
            args.scales = []
        for scale in args.scales:
            directory, made = _data(scale, workdir, env)
            load_before = os.getloadavg()
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name in args.impls}
            for r in range(args.rounds):
                k = r % len(args.impls)
                for name in args.impls[k:] + args.impls[:k]:
                    runs[name].append(_spawn(["--child", name, str(directory)], env))
                    last = runs[name][-1]
                    print(
                        f"  {scale:g}x round {r + 1} {name:8} read {last['read_s']:.2f} s, "
                        f"compute {last['compute_s']:.3f} s, peak {last['peak_mb']:.0f} MB",
                        flush=True,
                    )
            best = {name: _best(rows) for name, rows in runs.items()}
            row = {
                "scale": scale,
                "records": made["records"],
                "bytes": made["bytes"],
                "episode_rows": made["episode_rows"],
                "rounds": args.rounds,
                "load_before": load_before,
                "load_after": os.getloadavg(),
                "best": best,
                "ratios": {
                    name: {
                        k: b[k] / best[reference][k]
                        for k in ("read_s", "compute_s", "total_s", "peak_mb")
                    }
                    for name, b in best.items()
                },
                "mismatches": _mismatches(best, reference),
                "runs": runs,
            }
            failed = failed or bool(row["mismatches"])
            report["scales"].append(row)
            _print_scale(row, reference)
    finally:
        if temporary is not None:
            temporary.cleanup()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if failed:
        raise SystemExit("!! the implementations disagree: see the MISMATCH lines above")


if __name__ == "__main__":
    main()
