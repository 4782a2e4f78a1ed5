"""The care leaver, health and missing indicators over many periods: every period's result is
exactly the indicator's result over that period alone, including the young people and
children decided period by period (two birthdays in one long period, a date of birth after a
period, twin episodes, a period of care ending X1, records of several collection years)."""

from __future__ import annotations

import datetime as dt
import random

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from csc_indicators import (
    Bundle,
    CareLeaverRecord,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    MissingEpisode,
    Period,
    monthly_periods,
)
from csc_indicators.care_history import known_as_of
from csc_indicators.indicators.looked_after._oc_records import (
    in_year_order,
    one_per_child,
    one_per_child_in_year,
)
from csc_indicators.registry import INDICATORS, over_periods_of
from csc_indicators.results import IndicatorResult, ResultBuilder, keeping_outcomes
from csc_indicators.scoring import run_indicator, run_indicator_over
from csc_indicators.synthetic import generate

D = dt.date

IDS = [
    "care_leavers_19_21_eet",
    "care_leavers_19_21_suitable_accommodation",
    "care_leavers_17_18_eet",
    "care_leavers_17_18_suitable_accommodation",
    "initial_health_assessments_within_20_working_days",
    "lac_annual_health_check",
    "lac_dental_check",
    "lac_missing_incident",
    "lac_away_without_authorisation",
]

PARAMETERS: dict[str, list[dict[str, object]]] = {
    "care_leavers_19_21_eet": [{"denominator": "in_touch"}, {"exclude_died": False}],
    "care_leavers_17_18_suitable_accommodation": [{"denominator": "in_touch"}],
    "initial_health_assessments_within_20_working_days": [
        {"days": "calendar", "limit": 28},
        {"limit": 3},
    ],
    "lac_annual_health_check": [{"within": relativedelta(months=6)}],
    "lac_dental_check": [{"within": dt.timedelta(days=400)}],
    "lac_missing_incident": [{"exclude_short_breaks": False}],
    "lac_away_without_authorisation": [{"exclude_short_breaks": False}],
}


def E(
    cid: str,
    start: dt.date,
    rne: str,
    ls: str,
    place: str,
    end: dt.date | None = None,
    rec: str | None = None,
) -> Episode:
    return Episode(cid, start, rne, ls, place, end, rec)


EPISODES = (
    # T: twin episodes with different ends (which is kept depends on the period end)
    E("T", D(2023, 5, 1), "S", "C2", "U4", D(2024, 12, 1), "E4A"),
    E("T", D(2023, 5, 1), "S", "C2", "U4", D(2025, 2, 1), "E13"),
    # X: an X1 ending followed, after a gap, by a new period of care (known later)
    E("X", D(2023, 4, 1), "S", "C2", "U4", D(2024, 7, 1), "X1"),
    E("X", D(2024, 10, 1), "S", "C2", "U4", D(2025, 1, 15), "E4A"),
    # Y: a last episode ending X1 with nothing following
    E("Y", D(2023, 5, 1), "S", "C2", "U4", D(2024, 9, 30), "X1"),
    # O: an overlap: the overlapped episode's end is not known before it, and the later
    # episode ends first (not looked after on an end by the last episode starting by then)
    E("O", D(2023, 4, 1), "S", "C2", "U4", D(2024, 12, 1), "X1"),
    E("O", D(2024, 6, 1), "P", "C2", "U6", D(2024, 9, 1), "E13"),
    # S: short breaks, then care
    E("S", D(2024, 6, 1), "S", "V3", "U1", D(2024, 6, 5), "E13"),
    E("S", D(2024, 7, 1), "S", "V3", "U1", D(2024, 7, 5), "E13"),
    E("S", D(2024, 9, 1), "S", "C2", "U4", D(2025, 3, 31), "E4B"),
    # B: looked after for years with a short break inside the last 12 months
    E("B", D(2021, 1, 1), "S", "C2", "U4", D(2024, 8, 1), "X1"),
    E("B", D(2024, 8, 1), "L", "V4", "U4", D(2024, 8, 20), "X1"),
    E("B", D(2024, 8, 20), "L", "C2", "U4"),
    # P: starts part-way through (RNE P first); N: a gap inside one chain
    E("P", D(2024, 6, 1), "P", "C2", "U4", D(2024, 12, 31), "E13"),
    E("N", D(2024, 4, 10), "S", "C2", "U4", D(2024, 5, 1), "E13"),
    E("N", D(2024, 8, 1), "P", "C2", "U4", D(2024, 9, 1), "E13"),
    # Z: open for years; Q: a one-day period of care; W: a late start
    E("Z", D(2020, 1, 1), "S", "C2", "U4"),
    E("Q", D(2024, 9, 1), "S", "C2", "U4", D(2024, 9, 1), "E13"),
    E("W", D(2025, 2, 20), "S", "C2", "U4"),
    # R: an episode ending before it starts
    E("R", D(2024, 6, 1), "S", "C2", "U4", D(2024, 5, 1), "E13"),
    E("R", D(2024, 7, 1), "S", "C2", "U4"),
)

HEALTH_ASSESSMENTS = (
    HealthAssessment("T", D(2023, 5, 20)),
    HealthAssessment("X", D(2024, 11, 15)),
    HealthAssessment("S", D(2024, 9, 10)),
    HealthAssessment("N", D(2024, 8, 5)),
    HealthAssessment("W", D(2025, 3, 30)),
    HealthAssessment("R", D(2024, 6, 20)),
    HealthAssessment("R", D(2024, 7, 10)),
)

HEALTH_OUTCOMES = (
    HealthOutcomeRecord("Z", True, False, collection_year=2024),
    HealthOutcomeRecord("Z", None, True, collection_year=2023),
    HealthOutcomeRecord("B", True, True, collection_year=2024),
    HealthOutcomeRecord("T", None, None, collection_year=2024),
    HealthOutcomeRecord("T", True, None, collection_year=2024),  # a conflict in 2024-25
    HealthOutcomeRecord("O", False, True),  # no year: taken to be of the reporting year
    HealthOutcomeRecord("Y", True, True, collection_year=2023),  # only another year
    HealthOutcomeRecord("U", True, True, collection_year=2024),  # no episodes
)

CARE_LEAVERS = (
    # Born on 29 February: birthdays fall on 28 February in other years
    CareLeaverRecord("F", D(2004, 2, 29), "YES", "F1", "B1", collection_year=2024),
    CareLeaverRecord("F", D(2004, 2, 29), "YES", "G4", "U1", collection_year=2023),
    CareLeaverRecord("G", D(2006, 3, 1), "NO", "0", "0", collection_year=2024),
    CareLeaverRecord("G", D(2006, 3, 1), "YES", "F2", "B2", collection_year=2024),  # conflict
    CareLeaverRecord("H", D(2005, 7, 15), "DIED", "0", "0"),
    CareLeaverRecord("I", D(2007, 5, 2), "REFU", "P2", "B1", collection_year=2024),
    CareLeaverRecord("I", D(2007, 5, 2), "REFU", "P2", "B1", collection_year=2024),  # twice
    CareLeaverRecord("J", D(2030, 1, 1), "YES", "F2", "B1"),  # born after the periods
    CareLeaverRecord("K", D(2024, 6, 1), "YES", "F2", "B1"),  # born inside them
    CareLeaverRecord("L", D(2003, 10, 1), "YES", "G6", "X2", collection_year=2023),
)

MISSING = (
    MissingEpisode("T", "M", D(2024, 7, 1), D(2024, 7, 2)),
    MissingEpisode("T", "M", D(2024, 7, 1), D(2024, 7, 3)),
    MissingEpisode("T", "A", D(2024, 8, 1)),
    MissingEpisode("S", "M", D(2024, 6, 2), D(2024, 5, 30)),  # ends before it starts
    MissingEpisode("S", "M", D(2025, 1, 5)),
    MissingEpisode("V", "M", D(2024, 11, 1)),  # no episode
    MissingEpisode("Z", "A", D(2023, 12, 1)),
    MissingEpisode("N", "M", D(2024, 6, 1)),  # between the two periods of care
)

HAND = Bundle(
    episodes=EPISODES,
    health_assessments=HEALTH_ASSESSMENTS,
    health_outcomes=HEALTH_OUTCOMES,
    care_leavers=CARE_LEAVERS,
    missing=MISSING,
)


def _periods() -> list[Period]:
    periods = list(monthly_periods("2025-03", 12))
    periods += list(monthly_periods("2024-03", 3))
    periods += [
        Period.financial_year(2023),
        Period.financial_year(2024),
        Period.parse("2024-02-29..2024-02-29"),
        Period.parse("2024-02-29..2025-02-28"),  # holds two 29 February birthdays
        Period.parse("2023-02-28..2024-02-29"),
        Period.parse("2022-04-01..2025-03-31"),
        Period.parse("2024-06-15..2024-11-20"),
        Period.parse("2019-01-01..2030-12-31"),  # beyond the working-day calendar
    ]
    return periods


def _check(
    bundle: Bundle,
    ident: str,
    keep: bool,
    periods: list[Period],
    parameters: dict[str, object] | None = None,
) -> None:
    spec = INDICATORS[ident]
    with keeping_outcomes(keep):
        many = run_indicator_over(spec, bundle, periods, parameters=parameters)
        alone = [run_indicator(spec, bundle, p, parameters=parameters) for p in periods]
    assert len(many) == len(periods)
    for p, got, want in zip(periods, many, alone, strict=True):
        assert got == want, f"{ident} {parameters} differs over {p}"


@pytest.mark.parametrize("ident", IDS)
def test_declared(ident: str) -> None:
    assert over_periods_of(INDICATORS[ident]) is not None


@pytest.mark.parametrize("ident", IDS)
@pytest.mark.parametrize("keep", [True, False])
def test_hand_made_edges(ident: str, keep: bool) -> None:
    periods = _periods()
    _check(HAND, ident, keep, periods)
    for parameters in PARAMETERS.get(ident, []):
        _check(HAND, ident, keep, periods, parameters)


def test_the_edges_are_exercised() -> None:
    """The hand-made records do reach the cases decided period by period."""
    periods = _periods()
    with keeping_outcomes(True):
        got = {
            ident: run_indicator_over(INDICATORS[ident], HAND, periods)
            for ident in ("care_leavers_19_21_eet", "lac_annual_health_check")
        }
    leavers = got["care_leavers_19_21_eet"]
    two = periods.index(Period.parse("2024-02-29..2025-02-28"))
    (f,) = [o for o in leavers[two].outcomes if o.child_id == "F"]
    assert f.details["age"] == 21  # two birthdays in the period: the older age
    issues = {i.message for r in leavers for i in r.issues}
    assert any("date of birth 2030-01-01 is after the period" in m for m in issues)
    assert any("date of birth 2024-06-01 is after the period (March 2024)" in m for m in issues)
    assert any(m.startswith("more than one OC3 record for 2024-25") for m in issues)
    health = got["lac_annual_health_check"]
    issues = {i.message for r in health for i in r.issues}
    assert any("no episode follows by 2024-10-31" in m for m in issues)
    assert any("two different episodes start on 2023-05-01" in m for m in issues)
    assert any("(still open)" in m for m in issues)
    reasons = {o.reason for r in health for o in r.outcomes if o.reason}
    assert any(r.startswith("short-break episode (legal status V4)") for r in reasons)
    assert any("has no end by then, but a later episode ended before it" in r for r in reasons)
    assert "no OC2 record for collection year 2024 (only for 2023)" in reasons


def _mutated(seed: int) -> Bundle:
    """A small synthetic authority with twins, X1 endings, overlaps, odd incidents and records
    of several collection years added at random."""
    b = attrs.evolve(generate(0.05, first_year=2022, years=3, seed=seed), sources=())
    rng = random.Random(seed)
    episodes = list(b.episodes or ())
    extra: list[Episode] = []
    for k, e in enumerate(episodes):
        roll = rng.random()
        if roll < 0.04 and e.end_date is not None:  # a twin ending later (or open)
            later = e.end_date + dt.timedelta(days=rng.randint(1, 200))
            extra.append(attrs.evolve(e, end_date=rng.choice([later, None])))
        elif roll < 0.08 and e.end_date is not None:  # an X1 ending
            episodes[k] = attrs.evolve(e, reason_ceased="X1")
        elif roll < 0.11 and e.end_date is not None:  # an overlapping episode
            mid = e.start_date + (e.end_date - e.start_date) / 2
            extra.append(attrs.evolve(e, start_date=mid, reason_new_episode="P"))
        elif roll < 0.13:  # a short break
            episodes[k] = attrs.evolve(e, legal_status="V3")
    missing = list(b.missing or ())
    for m in list(missing):
        if rng.random() < 0.05:
            missing.append(attrs.evolve(m, end_date=m.start_date - dt.timedelta(days=2)))
    outcomes = list(b.health_outcomes or ())
    for o in list(outcomes):
        if rng.random() < 0.2:
            outcomes.append(attrs.evolve(o, health_check=None, collection_year=2023))
    leavers = list(b.care_leavers or ())
    for c in list(leavers):
        if rng.random() < 0.2:
            leavers.append(attrs.evolve(c, activity="G5", collection_year=None))
    return attrs.evolve(
        b,
        episodes=tuple(episodes + extra),
        missing=tuple(missing),
        health_outcomes=tuple(outcomes),
        care_leavers=tuple(leavers),
    )


@pytest.mark.parametrize("seed", [3, 17])
@pytest.mark.parametrize("keep", [True, False])
def test_synthetic_with_edges(seed: int, keep: bool) -> None:
    bundle = _mutated(seed)
    periods = _periods()
    for ident in IDS:
        _check(bundle, ident, keep, periods)


@pytest.mark.parametrize("keep", [True, False])
def test_inside_a_series_build(keep: bool) -> None:
    """Within the series' one build of every history (``known_as_of``), the same results.
    (Without child O: that build may name an overlapped episode's end before it is known, in
    the overlap's issue, whatever the indicator.)"""
    periods = _periods()
    bundle = attrs.evolve(HAND, episodes=tuple(e for e in EPISODES if e.child_id != "O"))
    for ident in IDS:
        spec = INDICATORS[ident]
        with keeping_outcomes(keep):
            alone = [run_indicator(spec, bundle, p) for p in periods]
            with known_as_of(bundle.episodes):
                many: list[IndicatorResult] = run_indicator_over(spec, bundle, periods)
        assert many == alone, ident


@pytest.mark.parametrize("ident", IDS)
def test_records_read_once(ident: str) -> None:
    """Any iterable will do, even one that can be read only once."""
    spec = INDICATORS[ident]
    periods = _periods()
    want = run_indicator_over(spec, HAND, periods)
    args = [iter(getattr(HAND, name)) for name in spec.inputs]
    over = over_periods_of(spec)
    assert over is not None
    assert over(*args, periods) == want


@pytest.mark.parametrize("ident", IDS)
def test_no_periods(ident: str) -> None:
    assert run_indicator_over(INDICATORS[ident], HAND, []) == []


@pytest.mark.parametrize("seed", range(6))
def test_one_record_per_child_as_shared(seed: int) -> None:
    """The choice of each young person's OC3 record, and its conflicts, are exactly those of
    ``one_per_child_in_year`` for every collection year."""
    rng = random.Random(seed)
    rows = []
    for n in range(60):
        year = rng.choice([None, 2023, 2024, 2025])
        rows.append(
            CareLeaverRecord(
                f"C{n % 23:02d}",
                D(2005, 1 + n % 12, 1),
                rng.choice(["YES", "NO", "DIED"]),
                rng.choice(["F1", "G4", "0"]),
                rng.choice(["B1", "U1", "0"]),
                collection_year=year,
            )
        )
    rows += rows[:5]  # the same record twice
    rng.shuffle(rows)

    def key(r: CareLeaverRecord) -> tuple[object, ...]:
        return (r.date_of_birth, r.in_touch, r.activity, r.accommodation)

    ordered = in_year_order(rows, key)
    spec = INDICATORS["care_leavers_19_21_eet"]
    for year in (2023, 2024, 2025):
        mine, theirs = ResultBuilder(spec), ResultBuilder(spec)
        got = one_per_child(ordered, year, mine, "OC3")
        year_of, chosen, others = one_per_child_in_year(
            rows, Period.financial_year(year), theirs, "OC3", key
        )
        assert year_of == year
        assert got == (chosen, others)
        assert list(got[0]) == list(chosen)
        period = Period.financial_year(year)
        assert mine.build(period, {}).issues == theirs.build(period, {}).issues
