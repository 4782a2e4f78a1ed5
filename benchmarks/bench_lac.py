"""Benchmark the looked-after indicators on synthetic data for a large authority.

About 1,500 children looked after at the end of 2024-25, with ten years of episodes
(2015-2025), reviews, missing incidents, health records, adoptions and care leavers. Each
indicator is timed (best of several runs) and printed as a ratio to a baseline measured in the
same run: grouping the episodes by child and sorting each child's episodes once. A second table
times the same indicators on twice the data, to show the cost grows linearly.

Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_lac.py [--children 6000] [--repeat 5] [--seed 1]

The data generator is small and private to this script (the library's full synthetic generator
is ``csc_indicators.synthetic``); the records are random and belong to no one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from collections.abc import Callable

from csc_indicators import (
    INDICATORS,
    AdoptionRecord,
    CareLeaverRecord,
    Child,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    Period,
)
from csc_indicators.care_history import episode_key
from csc_indicators.indicators._common import by_child

FIRST = dt.date(2015, 4, 1)
LAST = dt.date(2025, 3, 31)
SPAN = (LAST - FIRST).days
LEGAL = ("C1", "C2", "E1", "V2")
PLACES = ("U1", "U3", "U4", "U6", "R1", "K2", "P1", "H5", "S1", "T4")
LEAVING = ("E4A", "E13", "E11", "E45", "E5", "E8", "E17")


def _day(offset: int) -> dt.date:
    return FIRST + dt.timedelta(days=offset)


def generate(children: int, seed: int) -> dict[str, list[object]]:
    """Random but valid SSDA903 records for ``children`` children over ten years."""
    rnd = random.Random(seed)
    out: dict[str, list[object]] = {k: [] for k in (
        "episodes", "children", "reviews", "adoptions", "health_assessments",
        "health_outcomes", "care_leavers", "missing")}
    for n in range(children):
        cid = f"C{n:06d}"
        start = _day(rnd.randrange(SPAN))
        dob = start - dt.timedelta(days=rnd.randrange(0, 17 * 365))
        out["children"].append(Child(cid, dob, uasc=rnd.random() < 0.06))
        day = start
        for _period in range(rnd.choice((1, 1, 1, 2))):
            legal, place, rne = rnd.choice(LEGAL), rnd.choice(PLACES[:-1]), "S"
            out["health_assessments"].append(
                HealthAssessment(cid, day + dt.timedelta(days=rnd.randrange(5, 40))))
            review = day + dt.timedelta(days=rnd.randrange(10, 30))
            for k in range(rnd.randrange(1, 12)):
                end = day + dt.timedelta(days=max(1, int(rnd.expovariate(1 / 200))))
                last = k == 10 or rnd.random() < 0.12
                if end > LAST:
                    out["episodes"].append(Episode(cid, day, rne, legal, place))
                    day = LAST + dt.timedelta(days=1)
                    break
                rec = rnd.choice(LEAVING) if last else "X1"
                out["episodes"].append(Episode(cid, day, rne, legal, place, end, rec))
                while review < end:
                    out["reviews"].append(LookedAfterReview(cid, review, "PN1"))
                    review += dt.timedelta(days=rnd.randrange(90, 200))
                if rnd.random() < 0.2:
                    out["missing"].append(MissingEpisode(cid, rnd.choice("MA"), day, end))
                if last:
                    if rec == "E11":
                        out["adoptions"].append(AdoptionRecord(
                            cid, day - dt.timedelta(days=200), day - dt.timedelta(days=100),
                            rnd.random() < 0.2))
                    break
                day = end
                rne = rnd.choice("LPTBU")
                if rne in "LBU":
                    legal = rnd.choice([x for x in LEGAL if x != legal])
                if rne in "PTBU":
                    place = rnd.choice([x for x in PLACES if x != place])
            else:
                day = LAST + dt.timedelta(days=1)
            if day > LAST:
                break
            day += dt.timedelta(days=rnd.randrange(30, 900))
            if day > LAST:
                break
        out["health_outcomes"].append(HealthOutcomeRecord(
            cid, rnd.random() < 0.9, rnd.random() < 0.8))
        if rnd.random() < 0.3:
            out["care_leavers"].append(CareLeaverRecord(
                cid, LAST - dt.timedelta(days=rnd.randrange(17 * 365, 22 * 365)),
                rnd.choice(("YES", "YES", "NO")), rnd.choice(("F2", "F4", "G5", "0")),
                rnd.choice(("U1", "B1", "S2", "0"))))
    return out


def _time(fn: Callable[[], object]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(
    one: dict[str, list[object]], two: dict[str, list[object]], period: Period, repeat: int
) -> list[tuple[str, float, float, float, float]]:
    """For each indicator: best times on the data and on twice the data, each next to the
    baseline measured in the same round (so load from other processes affects both alike)."""
    rows = []
    for spec in INDICATORS.values():
        if spec.family != "looked after":
            continue
        best = [float("inf")] * 4
        for _ in range(repeat):
            for k, data in enumerate((one, two)):
                eps = data["episodes"]
                args = [data[name] for name in spec.inputs]
                base = _time(lambda e=eps: by_child(e, key=episode_key))  # type: ignore[misc]
                took = _time(lambda a=args, f=spec.function: f(*a, period))  # type: ignore[misc]
                best[2 * k] = min(best[2 * k], base)
                best[2 * k + 1] = min(best[2 * k + 1], took)
        rows.append((spec.id, best[0], best[1], best[2], best[3]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    period = Period.financial_year(2024)
    records = generate(args.children, args.seed)
    double = generate(2 * args.children, args.seed + 1)
    end = INDICATORS["lac_at_period_end"].function(records["episodes"], period)
    print(f"children: {args.children}, episodes: {len(records['episodes'])}, "
          f"looked after on {period.end}: {end.numerator}")
    rows = run(records, double, period, args.repeat)
    print(f"twice the data: {len(double['episodes'])} episodes")
    print(f"{'indicator':50} {'ms':>7} {'baseline ms':>12} {'x baseline':>11} "
          f"{'growth at 2x':>13}")
    for name, base1, took1, base2, took2 in rows:
        # growth: the indicator's time on twice the data over its time on the data, divided
        # by the same ratio for the baseline (1.0 = grows exactly like grouping and sorting).
        growth = (took2 / took1) / (base2 / base1)
        print(f"{name:50} {took1 * 1000:7.1f} {base1 * 1000:12.1f} {took1 / base1:11.1f} "
              f"{growth:13.2f}")


if __name__ == "__main__":
    main()
