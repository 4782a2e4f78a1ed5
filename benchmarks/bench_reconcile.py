"""Benchmark reconciling a list of 100,000 assessments with ours.

Builds 100,000 assessments authorised in 2024-25 (synthetic, with random start dates and
durations), computes the 45-working-day indicator, writes "their" list as a CSV file with UK
dates and NETWORKDAYS-style working days (``INCLUSIVE_MINUS_ONE``) and a strict ``< 45`` rule,
then times:

* reading their CSV file (``read_theirs``);
* matching and classifying every record with the reasons (``reconcile(..., search=False)``);
* the whole reconciliation, reading their file and trying every alternative parameter
  (``reconcile``): the alternatives are screened on at most 2,000 of the differing children
  (a fixed sample), and the best is proved by recomputing on all the data.

Each timing is the best of ``--repeat`` runs (default 3). Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_reconcile.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import tempfile
import time

from csc_indicators import Assessment, DayCount, Period, reconcile
from csc_indicators.calendar import default_calendar
from csc_indicators.indicators import assessments_within_45_working_days
from csc_indicators.reconciliation import read_theirs

PERIOD = Period.financial_year(2024)


def assessments(n: int, seed: int = 1) -> list[Assessment]:
    """``n`` assessments authorised in 2024-25, starting on any day (weekends included)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        end = PERIOD.start + dt.timedelta(days=rng.randrange(365))
        start = end - dt.timedelta(days=rng.randrange(0, 90))
        out.append(Assessment(f"C{i:07d}", start, end))
    return out


def write_theirs(path: str, data: list[Assessment]) -> None:
    """Their list: NETWORKDAYS - 1 working days, met when under 45, UK dates."""
    theirs = assessments_within_45_working_days(
        data, PERIOD, convention=DayCount.INCLUSIVE_MINUS_ONE
    )
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Child ID", "Start", "Authorised", "Working days", "Within timescale"])
        for o in theirs.outcomes:
            a = o.record
            assert isinstance(a, Assessment) and a.authorisation_date is not None
            w.writerow(
                [
                    o.child_id,
                    a.start_date.strftime("%d/%m/%Y"),
                    a.authorisation_date.strftime("%d/%m/%Y"),
                    o.measure,
                    "Y" if o.met else "N",
                ]
            )


def timed(label: str, fn: object, repeat: int = 1) -> object:
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<48} {best:6.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    n = args.repeat
    default_calendar()  # built once, outside the timings
    data = assessments(args.rows)
    ours = assessments_within_45_working_days(data, PERIOD)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "theirs.csv")
        write_theirs(path, data)
        print(f"{args.rows:,} assessments; their list {os.path.getsize(path):,} bytes")
        theirs = timed("read their CSV", lambda: read_theirs(path, [Assessment]), n)
        timed(
            "match and classify, with reasons",
            lambda: reconcile(ours, theirs, data={"assessments": data}, search=False),
            n,
        )
        rec = timed(
            "the whole reconciliation (6 alternatives)",
            lambda: reconcile(ours, path, data={"assessments": data}),
            n,
        )
    counts = {str(s): n for s, n in rec.counts().items() if n}  # type: ignore[attr-defined]
    print(f"classes: {counts}")
    print(f"suggestion: {rec.suggestion.text if rec.suggestion else None}")  # type: ignore[attr-defined]
    for note in rec.notes:  # type: ignore[attr-defined]
        print(f"note: {note}")


if __name__ == "__main__":
    main()
