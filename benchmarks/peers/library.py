"""The project itself: ``read_cin_census`` + ``read_ssda903`` + ``scorecard`` for five ids."""

from __future__ import annotations

import time
from pathlib import Path

from .rules import INDICATORS, Rules, Timed


def prepare() -> None:
    """Build the England and Wales calendar now, as the peers build theirs before the clock
    starts (the library builds it lazily on first use, once per process)."""
    from csc_indicators import calendar

    warm = getattr(calendar, "default_calendar", None)
    if warm is not None:
        warm()


def run(directory: Path, rules: Rules) -> Timed:
    import csc_indicators
    from csc_indicators.io import read_cin_census, read_ssda903

    period = csc_indicators.Period.financial_year(rules.period_start.year)
    t0 = time.perf_counter()
    bundle = read_cin_census(directory / "cin_census.xml") + read_ssda903(directory / "ssda903")
    t1 = time.perf_counter()
    card = csc_indicators.scorecard(bundle, period, indicators=INDICATORS, outcomes=False)
    t2 = time.perf_counter()
    figures = {r.indicator: (r.numerator, r.denominator) for r in card.results}
    return Timed(t1 - t0, t2 - t1, figures)
