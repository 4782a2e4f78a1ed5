"""Benchmark the synthetic data generator: wall time, records per second and peak memory.

Usage (from the repository root):

    PYTHONPATH=src python benchmarks/synthetic.py [SCALE ...] [--years N] [--stream]

Each scale runs in a fresh process so its peak memory (``ru_maxrss``) is its own. The first
scale is the baseline: every later scale is reported as a ratio of its time to the baseline's
time multiplied by the ratio of the scales (1.0 = exactly linear). ``--stream`` consumes
``iter_children`` without keeping the records, to show the memory of streamed output.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time


def _one(scale: float, years: int, stream: bool) -> dict[str, float]:
    from csc_indicators import synthetic
    from csc_indicators.bundle import RECORD_FIELDS
    from csc_indicators.calendar import default_calendar

    default_calendar()  # build the calendar outside the timing
    start = time.perf_counter()
    if stream:
        records = 0
        for group in synthetic.iter_children(scale, first_year=2020, years=years):
            records += sum(len(getattr(group, name)) for name in RECORD_FIELDS)
    else:
        bundle = synthetic.generate(scale, first_year=2020, years=years)
        records = sum(len(getattr(bundle, name) or ()) for name in RECORD_FIELDS)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"scale": scale, "seconds": seconds, "records": records, "peak_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scales", nargs="*", type=float, default=[1.0, 4.0, 16.0])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--stream", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_one(args.scales[0], args.years, args.stream)))
        return
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor()}")
    mode = "iter_children (streamed)" if args.stream else "generate (whole bundle)"
    print(f"{mode}, {args.years} year(s) from 2020-21")
    print(
        f"{'scale':>7} {'seconds':>9} {'records':>11} {'records/s':>11} {'peak MB':>9} "
        f"{'vs linear':>9}"
    )
    baseline: dict[str, float] | None = None
    for scale in args.scales:
        command = [sys.executable, __file__, str(scale), "--years", str(args.years), "--child"]
        if args.stream:
            command.append("--stream")
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        row = json.loads(out)
        if baseline is None:
            baseline = row
        linear = baseline["seconds"] * row["scale"] / baseline["scale"]
        print(
            f"{row['scale']:>7g} {row['seconds']:>9.2f} {int(row['records']):>11,} "
            f"{row['records'] / row['seconds']:>11,.0f} {row['peak_mb']:>9.0f} "
            f"{row['seconds'] / linear:>9.2f}"
        )


if __name__ == "__main__":
    main()
