"""Series and breakdowns against one scorecard, on synthetic data.

Usage::

    python benchmarks/bench_series.py                  # scales 1 and 4
    python benchmarks/bench_series.py --scales 0.25    # quicker, while developing

For each scale (1.0 = a large authority, ``csc_indicators.synthetic``, fixed seed, three
financial years 2022-23 to 2024-25) the script times, in summary mode (``outcomes=False``)
unless said otherwise:

* **one annual scorecard**: ``scorecard(bundle, 2024-25)`` of every indicator;
* **series**: ``series(bundle, monthly_periods("2025-03", 12))``: 12 months x in-month, year to
  date and rolling 12 months (36 periods) of every indicator;
* **breakdown**: ``series(bundle, [2024-25], by=lookup)`` with a lookup of 10 teams, against the
  ungrouped scorecard with outcomes kept (a breakdown needs every outcome) and in summary mode.

The bundle's sources are dropped so that no period is outside the data's coverage (the
synthetic CIN census names one collection year): every cell of the series is computed.
History caches are cleared before each timed run. Each figure is the best of ``--repeat``
runs. No assertion is made on the times: the ratios are printed.

``--cpu`` times the process's CPU time instead of the wall clock (steadier on a shared
machine). ``--gc off`` pauses Python's cycle collector during each timed call, as the command
line does; library calls keep it on (the default here).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

import attrs

SEED = 20260401


CLOCK: Callable[[], float] = time.perf_counter
COLLECT = True


def _best(fn: Callable[[], object], repeat: int) -> float:
    from csc_indicators.care_history import clear_history_cache

    best = float("inf")
    for _ in range(repeat):
        clear_history_cache()
        gc.collect()
        if not COLLECT:
            gc.disable()
        try:
            t0 = CLOCK()
            fn()
            best = min(best, CLOCK() - t0)
        finally:
            gc.enable()
    return best


def run(scale: float, repeat: int, loop: bool) -> dict[str, float]:
    from csc_indicators import Lookup, Period, monthly_periods, scorecard, series, synthetic

    bundle = synthetic.generate(scale, first_year=2022, years=3, seed=SEED)
    bundle = attrs.evolve(bundle, sources=())
    year = Period.financial_year(2024)
    periods = monthly_periods("2025-03", 12)
    children = sorted({r.child_id for n in ("referrals", "episodes") for r in getattr(bundle, n)})
    lookup = Lookup({cid: f"team {i % 10}" for i, cid in enumerate(children)}, name="team")

    card = _best(lambda: scorecard(bundle, year, outcomes=False), repeat)
    card_outcomes = _best(lambda: scorecard(bundle, year), repeat)
    many = _best(lambda: series(bundle, periods), repeat)
    grouped = _best(lambda: series(bundle, [year], by=lookup), repeat)
    cards = (
        _best(lambda: [scorecard(bundle, p, outcomes=False) for p in periods], 1)
        if loop
        else float("nan")
    )
    return {
        "scale": scale,
        "records": sum(bundle.record_counts().values()),
        "scorecard": card,
        "scorecard_outcomes": card_outcomes,
        "series": many,
        "series_loop": cards,
        "breakdown": grouped,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--loop", action="store_true", help="also time 36 scorecards, one per period (slow)"
    )
    parser.add_argument("--cpu", action="store_true", help="time CPU, not the wall clock")
    parser.add_argument(
        "--gc", choices=("on", "off"), default="on", help="the cycle collector while timing"
    )
    args = parser.parse_args()
    global CLOCK, COLLECT
    CLOCK = time.process_time if args.cpu else time.perf_counter
    COLLECT = args.gc == "on"
    print(f"clock: {'CPU' if args.cpu else 'wall'}; cycle collector {args.gc}")
    print(
        f"{'scale':>6} {'records':>9} {'scorecard':>10} {'series 36':>10} {'ratio':>6} "
        f"{'36 cards':>9} {'10 groups':>10} {'vs card+outcomes':>17} {'vs card':>8}"
    )
    for scale in args.scales:
        r = run(scale, args.repeat, args.loop)
        print(
            f"{r['scale']:>6g} {r['records']:>9,} {r['scorecard']:>9.2f}s {r['series']:>9.2f}s "
            f"{r['series'] / r['scorecard']:>5.2f}x {r['series_loop']:>8.2f}s "
            f"{r['breakdown']:>9.2f}s {r['breakdown'] / r['scorecard_outcomes']:>16.2f}x "
            f"{r['breakdown'] / r['scorecard']:>7.2f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
