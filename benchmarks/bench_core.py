"""The core's targets (issue #12), each against a baseline measured in the same run.

Usage::

    python benchmarks/bench_core.py --baseline-src /path/to/old/checkout/src
    python benchmarks/bench_core.py --scales 1 8 --baseline-src OLD/src   # growth, 8x the data
    python benchmarks/bench_core.py --loops                                # against bare loops

**Files to figures** (default). For each scale the synthetic authority
(``csc_indicators.synthetic``, fixed seed, three financial years) is written as councils' files
(one CIN census XML file, one SSDA903 return of CSV tables), then each version of the library
(this checkout, and the one at ``--baseline-src`` if given) is measured in a fresh process per
round, rounds alternating, with Python's cycle collector left on as in any library call:

* **read**: ``read_cin_census`` + ``read_ssda903``;
* **summary**: ``scorecard`` over the last year, every indicator, ``outcomes=False``;
* **outcomes**: the same keeping every outcome;
* **peak**: the process's peak resident memory.

The script prints each figure (best of ``--rounds``), the ratio of this checkout to the
baseline, and the growth of each figure from the first scale to the last.

**Against bare loops** (``--loops``). One indicator against the loop a user would write over
the same records with the same calendar and nothing else (no twins, no reasons, no outcomes):
assessments within 45 working days and ICPCs within 15 working days. The indicator is timed in
summary mode and keeping its outcomes; the loop's figures must equal the indicator's. Each is
timed in CPU time, best of ``--rounds`` calls (at least 40), each after a collection and an
untimed call. The records are given three ways: as the bundle holds them (a table, which
remembers what the indicator derives from it alike on every call, such as the children with
two records of one event), as a new table on each call (its first call: nothing remembered;
making the table is not timed) and as a list (making the list is not timed).

**The floor on a list.** With the loop, the least that decision D14 adds when the records
come as a list, timed the same way: the children with a record in the year, gathered in the
loop, then one pass looking up every record's child (the other records of these children,
among which twins are found); no grouping, no choosing, no result. An implementation in pure
Python given a list does at least this much.

No assertion is made on the times; the ratios are printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
FIRST_YEAR = 2022
YEARS = 3
LAST_YEAR = FIRST_YEAR + YEARS - 1


def _measure(directory: Path) -> dict[str, Any]:
    from csc_indicators import Period
    from csc_indicators.care_history import clear_history_cache
    from csc_indicators.io import read_cin_census, read_ssda903
    from csc_indicators.scoring import scorecard

    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    bundle = read_cin_census(directory / "cin_census.xml") + read_ssda903([directory / "ssda903"])
    out["read_s"] = time.perf_counter() - t0
    period = Period.financial_year(LAST_YEAR)
    t0 = time.perf_counter()
    card = scorecard(bundle, period, outcomes=False)
    out["summary_s"] = time.perf_counter() - t0
    out["figures"] = {r.indicator: [r.numerator, r.denominator] for r in card.results}
    out["summary_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clear_history_cache()
    t0 = time.perf_counter()
    full = scorecard(bundle, period)
    out["outcomes_s"] = time.perf_counter() - t0
    out["outcomes"] = sum(len(r.outcomes) for r in full)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _child(src: Path, args: list[str]) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src)
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, env=env, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _generate(scale: float, directory: Path) -> None:
    subprocess.run(
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
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
    )


def files_to_figures(
    scales: list[float], rounds: int, baseline: Path | None
) -> list[dict[str, Any]]:
    versions = [("this", SRC)] + ([("baseline", baseline)] if baseline else [])
    rows: dict[tuple[float, str], dict[str, Any]] = {}
    keys = ("read_s", "summary_s", "outcomes_s", "peak_mb", "summary_peak_mb")
    with tempfile.TemporaryDirectory(prefix="csc-core-") as tmp:
        for scale in scales:
            directory = Path(tmp) / f"x{scale:g}"
            _generate(scale, directory)
            best: dict[str, dict[str, Any]] = {}
            for r in range(rounds):
                order = versions if r % 2 == 0 else versions[::-1]
                for name, src in order:
                    got = _child(src, ["--measure", str(directory)])
                    print(
                        f"  {scale:g}x round {r + 1} {name:8s} read {got['read_s']:.2f} s, "
                        f"summary {got['summary_s']:.2f} s, outcomes {got['outcomes_s']:.2f} s, "
                        f"peak {got['summary_peak_mb']:.0f} MB (summary), "
                        f"{got['peak_mb']:.0f} MB (outcomes)",
                        flush=True,
                    )
                    if name in best:
                        if best[name]["figures"] != got["figures"]:
                            raise SystemExit("figures differ between rounds")
                        for k in keys:
                            best[name][k] = min(best[name][k], got[k])
                    else:
                        best[name] = got
            if baseline and best["this"]["figures"] != best["baseline"]["figures"]:
                differ = sorted(
                    k
                    for k, v in best["this"]["figures"].items()
                    if best["baseline"]["figures"].get(k) != v
                )
                print(f"  note: figures differ from the baseline for {', '.join(differ)}")
            for name, got in best.items():
                rows[(scale, name)] = got
    print()
    print(
        f"{'scale':>6} {'version':9} {'read':>7} {'summary':>8} {'outcomes':>9} "
        f"{'read+summary':>13} {'peak MB':>8} | {'read':>6} {'summary':>8} {'total':>6} "
        f"{'peak':>6} (this / baseline)"
    )
    for (scale, name), got in rows.items():
        total = got["read_s"] + got["summary_s"]
        line = (
            f"{scale:>5g}x {name:9} {got['read_s']:>7.2f} {got['summary_s']:>8.2f} "
            f"{got['outcomes_s']:>9.2f} {total:>13.2f} {got['summary_peak_mb']:>8.0f}"
        )
        if name == "this" and (scale, "baseline") in rows:
            b = rows[(scale, "baseline")]
            read = got["read_s"] / b["read_s"]
            summary = got["summary_s"] / b["summary_s"]
            both = total / (b["read_s"] + b["summary_s"])
            peak = got["summary_peak_mb"] / b["summary_peak_mb"]
            line += f" | {read:>6.2f} {summary:>8.2f} {both:>6.2f} {peak:>6.2f}"
        print(line)
    if len(scales) > 1:
        lo, hi = scales[0], scales[-1]
        print()
        print(f"growth from {lo:g}x to {hi:g}x ({hi / lo:g}x the data), collector on:")
        for _, name in [k for k in rows if k[0] == lo]:
            a, b = rows[(lo, name)], rows[(hi, name)]
            ta = a["read_s"] + a["summary_s"]
            tb = b["read_s"] + b["summary_s"]
            print(
                f"  {name:9} read {b['read_s'] / a['read_s']:.2f}x, summary "
                f"{b['summary_s'] / a['summary_s']:.2f}x, read + summary {tb / ta:.2f}x, "
                f"outcomes {b['outcomes_s'] / a['outcomes_s']:.2f}x"
            )
    return [
        {"scale": scale, "version": name, **{k: v for k, v in got.items() if k != "figures"}}
        for (scale, name), got in rows.items()
    ]


def _best(fn: Any, repeat: int, untimed: Any = None) -> tuple[float, Any]:
    """The best CPU time of ``repeat`` calls (each a few milliseconds: wall time on a shared
    machine would swing by more than the ratios measured), and the last value. ``untimed``:
    the time of calling it (the records' form, made before the clock starts) is taken off."""
    best, value = float("inf"), None
    fn()  # warm: the first call builds the calendar's tables
    for _ in range(repeat):
        gc.collect()
        value = None
        fn()  # untimed: the collection just made leaves the processor's caches cold
        t0 = time.process_time()
        value = fn()
        spent = time.process_time() - t0
        if untimed is not None:
            t1 = time.process_time()
            untimed()
            spent -= time.process_time() - t1
        best = min(best, spent)
    return best, value


def loops(scale: float, repeat: int) -> None:
    import attrs

    from csc_indicators import Period, synthetic
    from csc_indicators.calendar import default_calendar
    from csc_indicators.indicators import (
        assessments_within_45_working_days,
        icpcs_within_15_working_days,
    )
    from csc_indicators.results import keeping_outcomes

    bundle = attrs.evolve(
        synthetic.generate(scale, first_year=FIRST_YEAR, years=YEARS, seed=20260401), sources=()
    )
    period = Period.financial_year(LAST_YEAR)
    cal = default_calendar()
    start, end = period.start, period.end
    assessments = bundle.assessments
    section47s = bundle.section47s

    def assessments_loop() -> tuple[int, int]:
        met = counted = 0
        wd = cal.working_days
        for a in assessments:
            done = a.authorisation_date
            if done is None or not start <= done <= end or done < a.start_date:
                continue
            counted += 1
            if wd(a.start_date, done) <= 45:
                met += 1
        return met, counted

    def icpcs_loop() -> tuple[int, int]:
        met = counted = 0
        wd = cal.working_days
        for s in section47s:
            held = s.conference_date
            if held is None or not start <= held <= end or held < s.start_date:
                continue
            counted += 1
            if wd(s.start_date, held) <= 15:
                met += 1
        return met, counted

    # The least that decision D14 adds to the loop when the records come as a list: the
    # children with a record in the year (gathered in the loop), then one pass looking up
    # every record's child (the other records of these children, among which twins are
    # found). Grouping them, choosing, reporting and the result are left out: a floor.
    def assessments_floor() -> tuple[int, int]:
        met = counted = 0
        wd = cal.working_days
        wanted: set[str] = set()
        add = wanted.add
        for a in assessments:
            done = a.authorisation_date
            if done is None or not start <= done <= end or done < a.start_date:
                continue
            add(a.child_id)
            counted += 1
            if wd(a.start_date, done) <= 45:
                met += 1
        theirs = [a for a in assessments if a.child_id in wanted]
        assert len(theirs) >= counted  # the year's among them
        return met, counted

    def icpcs_floor() -> tuple[int, int]:
        met = counted = 0
        wd = cal.working_days
        wanted: set[str] = set()
        add = wanted.add
        for s in section47s:
            held = s.conference_date
            if held is None or not start <= held <= end or held < s.start_date:
                continue
            add(s.child_id)
            counted += 1
            if wd(s.start_date, held) <= 15:
                met += 1
        theirs = [s for s in section47s if s.child_id in wanted]
        assert len(theirs) >= counted  # the year's among them
        return met, counted

    cases = [
        (
            "assessments within 45 working days",
            assessments_within_45_working_days,
            assessments,
            assessments_loop,
            assessments_floor,
        ),
        (
            "ICPCs within 15 working days",
            icpcs_within_15_working_days,
            section47s,
            icpcs_loop,
            icpcs_floor,
        ),
    ]
    print(f"scale {scale:g}: {len(assessments):,} assessments, {len(section47s):,} enquiries")
    heads = ("loop", "summary", "outcomes", "summary", "outcomes")
    print(f"{'indicator, records as':46} " + " ".join(f"{h:>9}" for h in heads))
    print(f"{'':46} " + " ".join(f"{h:>9}" for h in ("ms", "ms", "ms", "/ loop", "/ loop")))
    floors: list[str] = []
    for label, fn, records, loop, floor in cases:
        t_loop, figures = _best(loop, repeat)
        t_floor, floor_figures = _best(floor, repeat)
        if floor_figures != figures:
            raise SystemExit(f"{label}: loop {figures}, floor {floor_figures}")
        floors.append(
            f"  {label}: {t_floor * 1e3:.2f} ms, {t_floor / t_loop:.2f}x the loop's "
            f"{t_loop * 1e3:.2f} ms"
        )
        # The records as the bundle holds them (a table: what the indicator derives from it
        # alike on every call is remembered, after the warming call); as a table on its
        # first call (a fresh table each call, made before the clock starts); as a list.
        forms: list[tuple[str, Any]] = [
            ("the bundle's table", lambda records=records: records),
            ("a table, its first call", _fresh_tables(records)),
            ("a list", lambda records=records: list(records)),
        ]
        for n, (form, given) in enumerate(forms):

            def summary(fn: Any = fn, given: Any = given) -> Any:
                records = given()
                with keeping_outcomes(False):
                    return fn(records, period, calendar=cal)

            def full(fn: Any = fn, given: Any = given) -> Any:
                records = given()
                with keeping_outcomes(True):
                    return fn(records, period, calendar=cal)

            t_sum, r_sum = _best(summary, repeat, untimed=given)
            t_full, r_full = _best(full, repeat, untimed=given)
            for r in (r_sum, r_full):
                if (r.numerator, r.denominator) != figures:
                    raise SystemExit(
                        f"{label}: loop {figures}, indicator {r.numerator, r.denominator}"
                    )
            cells = (f"{t_loop * 1e3:.2f}" if n == 0 else "", f"{t_sum * 1e3:.2f}")
            cells += (f"{t_full * 1e3:.2f}", f"{t_sum / t_loop:.2f}", f"{t_full / t_loop:.2f}")
            name = f"{label}, {form}" if n == 0 else f"{'':>{len(label)}}  {form}"
            print(f"{name:46} " + " ".join(f"{c:>9}" for c in cells))
    print("The floor on a list (the loop, plus gathering the year's children and looking up")
    print("every record's child, as decision D14 needs at the least; no result made):")
    print("\n".join(floors))


def _fresh_tables(records: Any) -> Any:
    """A function giving a new table of ``records`` on each call (nothing remembered)."""
    from csc_indicators._record_table import RecordTable

    def given() -> Any:
        return RecordTable(records)

    return given


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline-src", type=Path, help="the src directory of another checkout")
    parser.add_argument("--loops", action="store_true", help="one indicator against a bare loop")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(Path(args.measure))))
        return
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    if args.loops:
        for scale in args.scales:
            loops(scale, max(args.rounds, 40))
        return
    rows = files_to_figures(args.scales, args.rounds, args.baseline_src)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
