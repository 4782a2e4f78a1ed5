"""The looked-after event indicators over many periods (ceased, their shares, returns to care,
leaving care at 16+, adoption A1/A2/A10): every period's result is exactly the indicator's
result over that period alone, including the children decided period by period (twin
episodes, a period of care ending X1, an overlap whose end is not yet known, two different AD1
records, a match after the adoption, a child ceasing twice)."""

from __future__ import annotations

import datetime as dt
import random

import attrs
import pytest

from csc_indicators import (
    AdoptionRecord,
    Bundle,
    Child,
    Episode,
    Period,
    monthly_periods,
)
from csc_indicators.care_history import known_as_of
from csc_indicators.registry import INDICATORS, over_periods_of
from csc_indicators.results import IndicatorResult, keeping_outcomes
from csc_indicators.scoring import run_indicator, run_indicator_over
from csc_indicators.synthetic import generate

D = dt.date

IDS = [
    "lac_ceased",
    "lac_ceased_adopted",
    "lac_ceased_returned_home",
    "lac_ceased_special_guardianship",
    "lac_ceased_adopted_percent",
    "lac_ceased_special_guardianship_percent",
    "returned_to_care_within_12_months",
    "lac_ceased_16_plus_remained_until_18",
    "adoption_a1",
    "adoption_a2",
    "adoption_a10",
]


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
    # R: ceases three times in the year (rule 4: the last occasion depends on the period)
    E("R", D(2024, 4, 1), "S", "V2", "U4", D(2024, 6, 15), "E4A"),
    E("R", D(2024, 8, 1), "S", "V2", "U4", D(2024, 11, 20), "E13"),
    E("R", D(2025, 1, 10), "S", "C2", "U4", D(2025, 2, 10), "E45"),
    # Q: ceases twice on one day (a one-day period of care)
    E("Q", D(2024, 5, 1), "S", "V2", "U4", D(2024, 9, 1), "E4A"),
    E("Q", D(2024, 9, 1), "S", "V2", "U4", D(2024, 9, 1), "E13"),
    # X: an X1 ending followed, after a gap, by a new period of care (known later)
    E("X", D(2024, 4, 1), "S", "C2", "U4", D(2024, 7, 1), "X1"),
    E("X", D(2024, 10, 1), "S", "C2", "U4", D(2025, 1, 15), "E4A"),
    # Y: a last episode ending X1 with nothing following
    E("Y", D(2024, 5, 1), "S", "C2", "U4", D(2024, 9, 30), "X1"),
    # T: twin episodes with different ends (which is kept depends on the period end)
    E("T", D(2024, 5, 1), "S", "C2", "U4", D(2024, 12, 1), "E4A"),
    E("T", D(2024, 5, 1), "S", "C2", "U4", D(2025, 2, 1), "E13"),
    E("T", D(2023, 1, 1), "S", "C2", "U4", D(2023, 6, 1), "E45"),
    # O: an overlap: the overlapped episode's end is not known before it
    E("O", D(2024, 4, 1), "S", "C2", "U4", D(2024, 10, 1), "X1"),
    E("O", D(2024, 6, 1), "P", "C2", "U6", D(2024, 11, 15), "E13"),
    # S: short breaks, then a return to care
    E("S", D(2024, 6, 1), "S", "V3", "U1", D(2024, 6, 5), "E13"),
    E("S", D(2024, 7, 1), "S", "V3", "U1", D(2024, 7, 5), "E13"),
    E("S", D(2024, 9, 1), "S", "C2", "U4", D(2025, 3, 31), "E4B"),
    # P: starts part-way through (RNE P first)
    E("P", D(2024, 6, 1), "P", "C2", "U4", D(2024, 12, 31), "E13"),
    # A: adopted, matched after the adoption (A2 knows the match only from then)
    E("A", D(2023, 1, 1), "S", "C2", "U4", D(2023, 6, 1), "X1"),
    E("A", D(2023, 6, 1), "L", "E1", "U4", D(2024, 1, 1), "X1"),
    E("A", D(2024, 1, 1), "P", "E1", "A6", D(2024, 9, 1), "E11"),
    # B: adopted, two different AD1 records (the one used depends on the period end)
    E("B", D(2022, 6, 1), "S", "C2", "U4", D(2023, 1, 1), "X1"),
    E("B", D(2023, 1, 1), "L", "E1", "U4", D(2024, 2, 1), "X1"),
    E("B", D(2024, 2, 1), "T", "E1", "A5", D(2024, 12, 1), "E12"),
    # C: adopted by the foster carer (A5) but AD1 says not
    E("C", D(2022, 9, 1), "S", "E1", "U4", D(2024, 3, 1), "X1"),
    E("C", D(2024, 3, 1), "U", "E1", "A5", D(2024, 11, 1), "E11"),
    # N: adopted without a placement for adoption; and an open child
    E("N", D(2023, 3, 1), "S", "C2", "U4", D(2024, 10, 10), "E11"),
    E("Z", D(2020, 1, 1), "S", "C2", "U4"),
    # L: ceased aged 17 and 18 (leaving care)
    E("L", D(2020, 1, 1), "S", "C2", "U4", D(2024, 12, 20), "E8"),
    E("M", D(2021, 1, 1), "S", "C2", "U4", D(2024, 7, 20), "E8"),
)

ADOPTIONS = (
    AdoptionRecord("A", D(2023, 5, 1), D(2024, 10, 15), False),
    AdoptionRecord("B", D(2023, 1, 1), D(2025, 1, 20), None),
    AdoptionRecord("B", D(2023, 2, 1), None, False),
    AdoptionRecord("C", D(2023, 1, 1), D(2024, 2, 1), False),
    AdoptionRecord("C", D(2023, 1, 1), D(2024, 2, 1), False),  # identical: loaded once
)

CHILDREN = (
    Child("L", D(2006, 5, 1)),
    Child("M", D(2007, 1, 1)),
    Child("M", D(2006, 12, 1)),  # two dates of birth
    Child("R", D(2008, 4, 1)),
    Child("S", D(2008, 10, 1)),
    Child("T", D(2007, 3, 1)),
)


def _periods() -> list[Period]:
    periods = list(monthly_periods("2025-03", 12))
    periods += [
        Period.financial_year(2023),
        Period.financial_year(2024),
        Period.parse("2024-09-01..2024-09-01"),
        Period.parse("2024-10-01..2024-11-30"),
        Period.parse("2022-04-01..2025-03-31"),
        Period.parse("2024-06-15..2024-11-20"),
    ]
    return periods


def _check(bundle: Bundle, ident: str, keep: bool, periods: list[Period]) -> None:
    spec = INDICATORS[ident]
    with keeping_outcomes(keep):
        many = run_indicator_over(spec, bundle, periods)
        alone = [run_indicator(spec, bundle, p) for p in periods]
    assert len(many) == len(periods)
    for p, got, want in zip(periods, many, alone, strict=True):
        assert got == want, f"{ident} differs over {p}"


HAND = Bundle(episodes=EPISODES, adoptions=ADOPTIONS, children=CHILDREN)


@pytest.mark.parametrize("ident", IDS)
def test_declared(ident: str) -> None:
    assert over_periods_of(INDICATORS[ident]) is not None


@pytest.mark.parametrize("ident", IDS)
@pytest.mark.parametrize("keep", [True, False])
def test_hand_made_edges(ident: str, keep: bool) -> None:
    _check(HAND, ident, keep, _periods())


def test_the_edges_are_exercised() -> None:
    """The hand-made records do reach the cases decided period by period."""
    periods = _periods()
    with keeping_outcomes(True):
        ceased = run_indicator_over(INDICATORS["lac_ceased"], HAND, periods)
        a2 = run_indicator_over(INDICATORS["adoption_a2"], HAND, periods)
    reasons = {o.reason for r in ceased for o in r.outcomes if o.reason}
    assert any("only the last occasion" in r for r in reasons)
    assert any("X1" in r for r in reasons)
    assert any("short break" in r for r in reasons)
    issues = {i.message for r in ceased for i in r.issues}
    assert any("still open" in m for m in issues) and any(
        "(ending 2024-10-01)" in m for m in issues
    )
    assert any("no episode follows by 2024-09-30" in m for m in issues)
    excluded = {o.reason for r in a2 for o in r.outcomes if o.reason}
    assert "no match date (AD1 DATE_MATCH)" in excluded  # a match after the end (D15)
    conflicts = {i.message for r in a2 for i in r.issues if "AD1" in i.message}
    assert len(conflicts) == 2  # the record used for B changes with the period end


def _mutated(seed: int) -> Bundle:
    """A small synthetic authority with twins, X1 endings and overlaps added at random."""
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
    adoptions = list(b.adoptions or ())
    for a in list(adoptions):
        if rng.random() < 0.3:
            adoptions.append(attrs.evolve(a, match_date=None, foster_carer=not a.foster_carer))
    return attrs.evolve(b, episodes=tuple(episodes + extra), adoptions=tuple(adoptions))


@pytest.mark.parametrize("seed", [3, 17])
@pytest.mark.parametrize("keep", [True, False])
def test_synthetic_with_edges(seed: int, keep: bool) -> None:
    bundle = _mutated(seed)
    periods = _periods()
    for ident in IDS:
        _check(bundle, ident, keep, periods)


def test_inside_a_series_build() -> None:
    """Within the series' one build of every history (``known_as_of``), the same results."""
    periods = _periods()
    for ident in IDS:
        spec = INDICATORS[ident]
        alone = [run_indicator(spec, HAND, p) for p in periods]
        with known_as_of(HAND.episodes):
            many: list[IndicatorResult] = run_indicator_over(spec, HAND, periods)
        assert many == alone, ident


def test_no_periods() -> None:
    assert run_indicator_over(INDICATORS["lac_ceased"], HAND, []) == []


def test_registry_order_kept() -> None:
    """The modules sharing the plumbing import it from ``adoption`` (imported first), so the
    registry keeps its order (``csc-indicators list``)."""
    ids = list(INDICATORS)
    wanted = [
        "adoption_a1",
        "adoption_a10",
        "adoption_a2",
        "care_leavers_19_21_eet",
        "returned_to_care_within_12_months",
        "lac_missing_incident",
        "lac_at_period_end",
        "lac_started",
        "lac_ceased",
        "lac_ceased_adopted",
        "lac_ceased_special_guardianship",
        "lac_ceased_returned_home",
        "uasc_looked_after_at_period_end",
        "lac_ceased_adopted_percent",
        "lac_ceased_special_guardianship_percent",
        "lac_ceased_16_plus_remained_until_18",
    ]
    assert [i for i in ids if i in wanted] == wanted
