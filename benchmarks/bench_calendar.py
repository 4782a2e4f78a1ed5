"""Working-day counting: the calendar against a naive loop and numpy, in one run.

Usage (numpy comes with the ``bench`` extra)::

    python -m pip install -e ".[bench]"
    python benchmarks/bench_calendar.py [--pairs 1000000] [--seed 0]

Draws random (start, end) date pairs in 2015-2030 and times:

* ``calendar.working_days`` called once per pair (default and EXCLUSIVE_END conventions);
* ``calendar.working_days_many`` on the lists of dates, and ``working_days_ordinals`` on prebuilt
  lists of ordinals (the counterpart of numpy's prebuilt ``datetime64`` arrays);
* a naive day-by-day loop (on a sample; its per-pair time is scaled up);
* ``numpy.busday_count`` called once per pair (on a sample, scaled up);
* ``numpy.busday_count`` vectorised on prebuilt ``datetime64`` arrays, and the same including the
  conversion from ``date`` objects.

Every method's answers are checked against the calendar's (``EXCLUSIVE_END`` is what numpy
counts). Ratios are against the calendar per call, measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from collections.abc import Callable

from csc_indicators import DayCount, WorkingDayCalendar

try:
    import numpy as np
except ImportError:  # pragma: no cover
    sys.exit("numpy is needed for the baselines: python -m pip install -e '.[bench]'")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="pairs for the slow methods")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    lo = dt.date(2015, 1, 1).toordinal()
    hi = dt.date(2030, 12, 31).toordinal()
    starts = [dt.date.fromordinal(rng.randint(lo, hi)) for _ in range(args.pairs)]
    # durations like the real measures: mostly under 90 days, some long
    ends = [s + dt.timedelta(days=int(rng.expovariate(1 / 40))) for s in starts]
    ends = [min(e, dt.date(2030, 12, 31)) for e in ends]
    n, k = args.pairs, min(args.sample, args.pairs)

    t_build, cal = timed(WorkingDayCalendar.england_and_wales)
    assert isinstance(cal, WorkingDayCalendar)
    wd = cal.working_days
    excl_end = DayCount.EXCLUSIVE_END

    t_cal, ours = timed(lambda: [wd(s, e) for s, e in zip(starts, ends, strict=True)])
    t_cal_end, ours_end = timed(
        lambda: [wd(s, e, excl_end) for s, e in zip(starts, ends, strict=True)]
    )

    t_many, ours_many = timed(lambda: cal.working_days_many(starts, ends))
    assert ours_many == ours, "working_days_many disagrees"
    s_ord = [d.toordinal() for d in starts]
    e_ord = [d.toordinal() for d in ends]
    t_ords, ours_ords = timed(lambda: cal.working_days_ordinals(s_ord, e_ord))
    assert ours_ords == ours, "working_days_ordinals disagrees"

    holiday_set = frozenset(cal.holidays)

    def naive(s: dt.date, e: dt.date) -> int:
        count, d = 0, s
        one = dt.timedelta(days=1)
        while d < e:
            d += one
            if d.weekday() < 5 and d not in holiday_set:
                count += 1
        return count

    sample = list(zip(starts[:k], ends[:k], strict=True))
    t_naive, naive_out = timed(lambda: [naive(s, e) for s, e in sample])
    assert naive_out == ours[:k], "naive loop disagrees"

    hol = np.array(sorted(cal.holidays), dtype="datetime64[D]")
    cal_np = np.busdaycalendar(holidays=hol)
    t_np_call, np_call = timed(
        lambda: [int(np.busday_count(s, e, busdaycal=cal_np)) for s, e in sample]
    )
    assert np_call == ours_end[:k], "numpy per call disagrees"

    t_conv, arrays = timed(
        lambda: (np.array(starts, dtype="datetime64[D]"), np.array(ends, dtype="datetime64[D]"))
    )
    s_arr, e_arr = arrays  # type: ignore[misc]
    t_np_vec, np_vec = timed(lambda: np.busday_count(s_arr, e_arr, busdaycal=cal_np))
    assert np_vec.tolist() == ours_end, "numpy vectorised disagrees"  # type: ignore[attr-defined]

    per = lambda t, m: t / m * 1e9  # noqa: E731  ns per pair
    rows = [
        ("calendar.working_days, default convention", per(t_cal, n)),
        ("calendar.working_days, EXCLUSIVE_END", per(t_cal_end, n)),
        ("calendar.working_days_many (batch of dates)", per(t_many, n)),
        ("calendar.working_days_ordinals (prebuilt ordinals)", per(t_ords, n)),
        (f"naive day-by-day loop (sample of {k:,})", per(t_naive, k)),
        (f"numpy.busday_count per pair (sample of {k:,})", per(t_np_call, k)),
        ("numpy.busday_count vectorised, prebuilt arrays", per(t_np_vec, n)),
        ("numpy.busday_count vectorised + date conversion", per(t_np_vec + t_conv, n)),
    ]
    base = rows[0][1]
    numpy_vec = rows[6][1]
    print(f"Python {platform.python_version()} on {platform.machine()}, numpy {np.__version__}")
    print(f"{n:,} pairs (2015-2030), all answers agree; calendar built in {t_build * 1e3:.0f} ms")
    print(f"{'method':<52} {'ns/pair':>9} {'vs calendar':>12} {'vs numpy vec':>13}")
    for name, ns in rows:
        print(f"{name:<52} {ns:9.0f} {ns / base:11.2f}x {ns / numpy_vec:12.2f}x")


if __name__ == "__main__":
    main()
