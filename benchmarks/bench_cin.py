"""Benchmark the children-in-need indicators on a synthetic large authority.

About 10,000 referrals a year over 5 years (2020-21 to 2024-25), with assessments, section 47
enquiries, conferences (some transfer-ins) and child protection plans with reviews. Each
indicator is timed over 2024-25 (best of ``--repeat`` runs) and reported as a ratio to a
baseline measured in the same run: the time to group the same input records by child and sort
each child's records (``by_child``), which every indicator must do at least once. A second
run on twice the data shows how the time scales (about 2.0 for a linear indicator).

Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_cin.py

The data come from the library's synthetic generator, ``csc_indicators.synthetic``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import time
from collections.abc import Callable
from typing import Any

from csc_indicators import INDICATORS, Period, synthetic
from csc_indicators.calendar import default_calendar
from csc_indicators.indicators import assessment_duration_bands, icpc_duration_bands
from csc_indicators.indicators._common import by_child
from csc_indicators.indicators.children_in_need._shared import (
    assessment_key,
    plan_key,
    referral_key,
    s47_key,
    transfer_in_key,
)

FIRST = dt.date(2020, 4, 1)
YEARS = 5
PERIOD = Period.financial_year(2024)
KEYS: dict[str, Callable[[Any], tuple[object, ...]]] = {
    "referrals": referral_key,
    "assessments": assessment_key,
    "section47s": s47_key,
    "transfer_ins": transfer_in_key,
    "plans": plan_key,
}


def generate(scale: float, seed: int = 1) -> dict[str, list[Any]]:
    """The children-in-need records of a synthetic authority (``csc_indicators.synthetic``;
    scale 1.0 is about 10,000 referrals a year) over the five years to 2024-25, as lists."""
    bundle = synthetic.generate(scale, first_year=FIRST.year, years=YEARS, seed=seed)
    return {name: list(getattr(bundle, name) or ()) for name in KEYS}


def best(fn: Callable[[], object], repeat: int) -> float:
    """The best wall-clock time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return min(times)


def measure(data: dict[str, list[Any]], repeat: int) -> dict[str, tuple[float, float]]:
    """Each CIN indicator's time and its ratio to grouping its inputs by child."""
    calendar = default_calendar()
    out: dict[str, tuple[float, float]] = {}

    def baseline(inputs: tuple[str, ...]) -> float:
        return best(lambda: [by_child(data[i], KEYS[i]) for i in inputs], repeat)

    for spec in INDICATORS.by_family("children in need"):
        args = [data[i] for i in spec.inputs]
        kwargs: dict[str, Any] = {o: data[o] for o in spec.optional_inputs}
        if spec.uses_calendar:
            kwargs["calendar"] = calendar
        t = best(lambda s=spec, a=args, k=kwargs: s.function(*a, PERIOD, **k), repeat)
        out[spec.id] = (t, t / baseline(spec.inputs + spec.optional_inputs))
    t = best(lambda: assessment_duration_bands(data["assessments"], PERIOD), repeat)
    out["assessment_duration_bands"] = (t, t / baseline(("assessments",)))
    t = best(
        lambda: icpc_duration_bands(data["section47s"], PERIOD, transfer_ins=data["transfer_ins"]),
        repeat,
    )
    out["icpc_duration_bands"] = (t, t / baseline(("section47s", "transfer_ins")))
    return out


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="1.0 = a large authority, about 10,000 referrals a year",
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    default_calendar()  # built once, outside the timings
    data = generate(args.scale)
    double = generate(2 * args.scale, seed=2)
    sizes = ", ".join(f"{k} {len(v):,}" for k, v in data.items())
    print(f"Synthetic authority, {YEARS} years: {sizes}; period {PERIOD}")
    one = measure(data, args.repeat)
    two = measure(double, args.repeat)
    print()
    print(
        "| Indicator | Time (ms) | Ratio to grouping its inputs by child | Time at 2x data / 1x |"
    )
    print("|---|---|---|---|")
    for name, (t, ratio) in one.items():
        print(f"| `{name}` | {1000 * t:.1f} | {ratio:.2f} | {two[name][0] / t:.2f} |")


if __name__ == "__main__":
    main()
