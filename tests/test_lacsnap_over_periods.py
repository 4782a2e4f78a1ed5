"""The looked-after snapshot indicators over many periods (lacsnap): on messy data (twins,
overlaps, gaps, X1 endings, short breaks, repeated reviews) and with their parameters, each
period's result is what the indicator gives for that period alone, in keep and summary modes,
with or without one history build shared between the dates (``known_as_of``); and the
histories judged on several dates at once are those judged on each."""

from __future__ import annotations

import datetime as dt
import random

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from csc_indicators import Bundle, Child, Episode, Period, monthly_periods
from csc_indicators.care_history import (
    build_histories,
    clear_history_cache,
    histories_on,
    known_as_of,
)
from csc_indicators.durations import adder
from csc_indicators.records.looked_after import LookedAfterReview
from csc_indicators.registry import INDICATORS
from csc_indicators.results import IndicatorResult, keeping_outcomes
from csc_indicators.scoring import run_indicator, run_indicator_over
from csc_indicators.synthetic import generate

D = dt.date


def _messy_bundle(seed: int, children: int = 40) -> Bundle:
    """Random SSDA903 records of every quality: twins (identical or not), overlaps, gaps,
    episodes ending before or on their start, X1 endings with nothing following, short
    breaks, children without a header or with two, repeated reviews."""
    rng = random.Random(seed)
    episodes: list[Episode] = []
    headers: list[Child] = []
    reviews: list[LookedAfterReview] = []
    for c in range(children):
        cid = f"C{c:03d}"
        day = D(2021, 1, 1) + dt.timedelta(rng.randint(0, 1300))
        for k in range(rng.randint(1, 7)):
            start = day
            end = (
                None
                if rng.random() < 0.2
                else start + dt.timedelta(rng.choice([-3, 0, 1, 5, 30, 31, 200, 400, 800]))
            )
            rne = "S" if k == 0 or rng.random() < 0.2 else rng.choice("PLTUB")
            ceased = None
            if end is not None:
                ceased = rng.choice([None, "X1", "E13", "E4A"]) if rng.random() < 0.5 else "X1"
            legal = rng.choice(["C2", "V3", "E1", "V4", "C1"])
            place = rng.choice(["U4", "A5", "A4", "K2", "T0", "A6", "A3"])
            episodes.append(Episode(cid, start, rne, legal, place, end, ceased))
            if rng.random() < 0.07:
                episodes.append(episodes[-1])
            if rng.random() < 0.05:
                other = None if rng.random() < 0.5 else start + dt.timedelta(rng.randint(0, 300))
                episodes.append(attrs.evolve(episodes[-1], end_date=other, reason_ceased=None))
            if end is not None and rng.random() < 0.85:
                day = end if rng.random() < 0.75 else end + dt.timedelta(rng.randint(-20, 60))
            else:
                day = start + dt.timedelta(rng.randint(0, 100))
        if rng.random() < 0.9:
            born = D(2004, 1, 1) + dt.timedelta(rng.randint(0, 6000))
            ceased_uasc = (
                None if rng.random() < 0.6 else D(2021, 1, 1) + dt.timedelta(rng.randint(0, 1500))
            )
            headers.append(Child(cid, born, uasc=rng.random() < 0.3, uasc_ceased=ceased_uasc))
            if rng.random() < 0.05:
                headers.append(Child(cid, D(2004, 1, 1) + dt.timedelta(rng.randint(0, 6000))))
        held = D(2021, 1, 1) + dt.timedelta(rng.randint(0, 100))
        while held < D(2025, 6, 1):
            reviews.append(LookedAfterReview(cid, held))
            if rng.random() < 0.05:
                reviews.append(LookedAfterReview(cid, held))
            held += dt.timedelta(rng.randint(10, 220))
    rng.shuffle(episodes)
    return Bundle(episodes=tuple(episodes), children=tuple(headers), reviews=tuple(reviews))


def _periods() -> list[Period]:
    periods = list(monthly_periods("2024-03", 4))
    periods += [Period.financial_year(y) for y in (2022, 2024)]
    periods += [Period.quarter(2023, 4), Period.financial_year(2023)]
    periods += [Period.parse("2024-02-29..2024-02-29"), Period.parse("2022-07-15..2023-01-03")]
    return periods


PARAMETERS: dict[str, list[dict[str, object]]] = {
    "three_or_more_placements": [
        {},
        {"window": "period"},
        {"exclude_any_short_break": True, "count_temporary": False, "threshold": 2},
    ],
    "long_term_placement_stability": [
        {},
        {
            "adoption_clause": False,
            "care_for": relativedelta(months=12),
            "carer_for": relativedelta(months=6),
            "max_age": 12,
        },
    ],
    "three_or_more_placements_in_2_years": [
        {},
        {"in_care": relativedelta(months=9), "exclude_any_short_break": True, "threshold": 2},
    ],
    "lac_at_period_end": [{}, {"exclude_short_breaks": False}],
    "lac_started": [{}, {"exclude_short_breaks": False}],
    "uasc_looked_after_at_period_end": [{}],
    "lac_reviews_in_timescale": [
        {},
        {"scope": "period"},
        {"reviews_from": D(2022, 4, 1)},
        {
            "reviews_from": D(2023, 4, 1),
            "scope": "period",
            "second_within": relativedelta(months=2),
            "later_within": dt.timedelta(days=150),
            "first_limit": 15,
        },
    ],
}

CASES = [(ident, n) for ident, options in PARAMETERS.items() for n in range(len(options))]


@pytest.fixture(scope="module")
def bundles() -> list[Bundle]:
    clean = attrs.evolve(generate(0.03, first_year=2021, years=4, seed=3), sources=())
    return [_messy_bundle(seed, children=30) for seed in range(2)] + [clean]


def _figures(r: IndicatorResult) -> tuple[object, ...]:
    return (r.numerator, r.denominator, r.value, r.issues)


@pytest.mark.parametrize(("ident", "option"), CASES)
def test_each_period_as_if_alone(ident: str, option: int, bundles: list[Bundle]) -> None:
    spec = INDICATORS[ident]
    parameters = PARAMETERS[ident][option]
    periods = _periods()
    for bundle in bundles:
        figures: dict[bool, list[tuple[object, ...]]] = {}
        for keep in (True, False):
            clear_history_cache()
            with keeping_outcomes(keep):
                alone = [run_indicator(spec, bundle, p, parameters=parameters) for p in periods]
                many = run_indicator_over(spec, bundle, periods, parameters=parameters)
                clear_history_cache()
                with known_as_of(bundle.episodes):
                    shared = run_indicator_over(spec, bundle, periods, parameters=parameters)
            for p, want, got, got_shared in zip(periods, alone, many, shared, strict=True):
                assert got == want, f"{ident} {parameters} differs over {p} (keep={keep})"
                assert got_shared == want, f"{ident} {parameters} over {p}, known_as_of"
            figures[keep] = [_figures(r) for r in alone]
        assert figures[True] == figures[False], f"{ident}: summary figures differ"


def test_placements_listed_are_those_counted(bundles: list[Bundle]) -> None:
    for ident in ("three_or_more_placements", "three_or_more_placements_in_2_years"):
        for bundle in bundles:
            for r in run_indicator_over(INDICATORS[ident], bundle, _periods()):
                for o in r.outcomes:
                    if o.counted:
                        assert o.measure == len(o.details["placement_starts"]), ident


def test_histories_on_several_days_are_those_judged_on_each(bundles: list[Bundle]) -> None:
    days = sorted({D(2021, 1, 1) + dt.timedelta(days=37 * n) for n in range(45)})
    for bundle in bundles:
        clear_history_cache()
        want = {day: build_histories(list(bundle.episodes), as_of=day) for day in days}
        got = histories_on(bundle.episodes, days)
        assert list(got) == sorted(got)
        for cid, runs in got.items():
            assert [k for _, first, stop in runs for k in range(first, stop)] == list(
                range(len(days))
            )
            for history, first, stop in runs:
                for k in range(first, stop):
                    assert history == want[days[k]][cid], (cid, days[k])
        with known_as_of(bundle.episodes):
            for day in days:
                assert build_histories(bundle.episodes, as_of=day) == want[day]


def test_an_overlap_names_the_end_only_once_known() -> None:
    # The earlier episode's end (1 June) is after 30 April: judged on 30 April it is unknown,
    # with one build shared between dates as without.
    episodes = (
        Episode("A", D(2024, 1, 1), "S", "C2", "U4", D(2024, 6, 1), "X1"),
        Episode("A", D(2024, 3, 1), "P", "C2", "U4"),
    )
    clear_history_cache()
    alone = build_histories(list(episodes), as_of=D(2024, 4, 30))["A"].issues
    assert "(still open)" in alone[0].message
    with known_as_of(episodes):
        assert build_histories(episodes, as_of=D(2024, 4, 30))["A"].issues == alone
    clear_history_cache()


@pytest.mark.parametrize(
    "interval",
    [
        relativedelta(months=3),
        relativedelta(months=6),
        relativedelta(years=1, months=-1),
        relativedelta(months=-7),
        relativedelta(months=6, days=1),
        relativedelta(months=1, day=31),
        dt.timedelta(days=90),
    ],
)
def test_review_due_dates_are_relativedelta_dates(interval: relativedelta) -> None:
    plus = adder(interval)
    day = D(2023, 1, 1)
    while day < D(2025, 1, 1):
        assert plus(day) == day + interval
        day += dt.timedelta(days=1)
