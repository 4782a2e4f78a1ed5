"""The child protection plan indicators and children in need at the period end over many
periods: each period's result equals the indicator run over that period alone, on records full
of what makes a child's decision depend on the period (twins of one plan or referral, identical
or not; overlapping plans and episodes; plans ending before they start; reviews before the
start or after the period end; no-further-action referrals), and on clean records (each child
decided once for all the period ends)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from dateutil.relativedelta import relativedelta

from csc_indicators import Period, monthly_periods
from csc_indicators.bundle import Bundle
from csc_indicators.records.cin import ChildProtectionPlan, Referral
from csc_indicators.registry import INDICATORS
from csc_indicators.results import keeping_outcomes
from csc_indicators.scoring import run_indicator, run_indicator_over

_BASE = dt.date(2023, 1, 1)

_CASES: list[tuple[str, dict[str, object]]] = [
    ("children_in_need_at_period_end", {}),
    ("children_in_need_at_period_end", {"exclude_no_further_action": False}),
    ("children_on_cp_plan", {}),
    ("cp_plans_started", {}),
    ("cp_plans_ceased", {}),
    ("cp_plans_ceased_lasting_2_years", {}),
    ("cp_plans_ceased_lasting_2_years", {"min_duration": relativedelta(years=2)}),
    ("cp_plans_open_2_years_or_more", {}),
    ("cp_plans_open_2_years_or_more", {"min_duration": relativedelta(years=1)}),
    ("cp_reviews_in_timescale", {}),
    (
        "cp_reviews_in_timescale",
        {"first_within": dt.timedelta(days=20), "later_within": relativedelta(months=4)},
    ),
    ("repeat_cp_plans", {}),
    ("repeat_cp_plans_within_2_years", {}),
    ("repeat_cp_plans_within_2_years", {"window": dt.timedelta(days=300)}),
]


def _days(rnd: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rnd.randint(lo, hi))


def _reviews(rnd: random.Random, start: dt.date, end: dt.date | None) -> tuple[dt.date, ...]:
    if rnd.random() < 0.5:  # anywhere, before the start included
        return tuple(sorted({start + _days(rnd, -30, 800) for _ in range(rnd.randint(0, 5))}))
    out: list[dt.date] = []  # regular, some late, some due on a period end
    day = start + _days(rnd, 20, 100)
    while day < (end or dt.date(2026, 6, 1)) and len(out) < 8:
        out.append(_month_end(day) if rnd.random() < 0.4 else day)
        day += _days(rnd, 100, 200)
    return tuple(sorted(set(out)))


def _month_end(day: dt.date) -> dt.date:
    return day + relativedelta(day=31)


def _bundle(seed: int, *, clean: bool) -> Bundle:
    rnd = random.Random(seed)
    twin = 0.0 if clean else 0.25
    referrals: list[Referral] = []
    plans: list[ChildProtectionPlan] = []
    for c in range(25):
        child = f"C{c:03d}"
        day = _BASE + _days(rnd, -300, 600)
        for _ in range(rnd.randint(0, 3)):
            if not clean:
                day = _BASE + _days(rnd, 0, 1000)
            closed = None if rnd.random() < 0.3 else day + _days(rnd, 1 if clean else -20, 500)
            r = Referral(child, day, closed, None, rnd.random() < 0.2)
            referrals.append(r)
            if rnd.random() < twin:
                other = None if rnd.random() < 0.3 else day + _days(rnd, -5, 600)
                referrals.append(r if rnd.random() < 0.5 else Referral(child, day, other))
            day = (closed or day) + _days(rnd, 1 if clean else -100, 200)
        start = _BASE + _days(rnd, -400, 300)
        for _ in range(rnd.randint(0, 4)):
            start += _days(rnd, 0 if clean else -60, 400)
            if rnd.random() < 0.3:
                start = _month_end(start)
            end = None if rnd.random() < 0.3 else start + _days(rnd, -30, 900)
            reviews = _reviews(rnd, start, end)
            p = ChildProtectionPlan(child, start, end, reviews, rnd.choice([None, 0, 1, 2]))
            plans.append(p)
            if rnd.random() < twin:
                other = None if rnd.random() < 0.3 else start + _days(rnd, -10, 900)
                cut = reviews[: rnd.randint(0, len(reviews))]
                plans.append(
                    p if rnd.random() < 0.5 else ChildProtectionPlan(child, start, other, cut)
                )
            if clean and end is None:
                break
            start = (end or start) + _days(rnd, 0 if clean else -100, 300)
    rnd.shuffle(referrals)
    rnd.shuffle(plans)
    return Bundle(referrals=tuple(referrals), plans=tuple(plans))


def _periods() -> list[Period]:
    periods = [*monthly_periods("2025-03", 12), *monthly_periods("2024-01", 3)]
    periods += [Period.financial_year(2023), Period.financial_year(2024)]
    periods += [Period.parse("2024-02-29..2024-02-29"), Period(_BASE, dt.date(2024, 7, 31))]
    return periods


@pytest.mark.parametrize(("ident", "parameters"), _CASES)
@pytest.mark.parametrize("keep", [True, False])
def test_each_period_as_if_alone(ident: str, parameters: dict[str, object], keep: bool) -> None:
    spec = INDICATORS[ident]
    periods = _periods()
    for seed in range(8):
        bundle = _bundle(seed, clean=seed % 2 == 0)
        with keeping_outcomes(keep):
            many = run_indicator_over(spec, bundle, periods, parameters=parameters)
            alone = [run_indicator(spec, bundle, p, parameters=parameters) for p in periods]
        for p, got, want in zip(periods, many, alone, strict=True):
            assert got == want, f"{ident} differs over {p} (seed {seed})"


def test_population_gives_rates_over_periods() -> None:
    bundle = _bundle(3, clean=False)
    periods = _periods()
    for ident in ("children_in_need_at_period_end", "children_on_cp_plan", "cp_plans_started"):
        spec = INDICATORS[ident]
        with keeping_outcomes(False):
            many = run_indicator_over(spec, bundle, periods, population=5000)
            alone = [run_indicator(spec, bundle, p, population=5000) for p in periods]
        assert many == alone


def test_no_periods() -> None:
    bundle = _bundle(0, clean=True)
    for ident, _ in _CASES:
        assert run_indicator_over(INDICATORS[ident], bundle, []) == []


def test_reviews_due_on_a_period_end() -> None:
    # A: first review in time, the next due 2024-09-30 (a period end), never held; a review
    # recorded before the start (reported on every end A is judged on). B: too recent until
    # its first review is due on 2024-11-15, then overdue.
    a = ChildProtectionPlan(
        "A", dt.date(2024, 1, 31), None, (dt.date(2024, 1, 15), dt.date(2024, 3, 31))
    )
    b = ChildProtectionPlan("B", dt.date(2024, 8, 15), None)
    bundle = Bundle(plans=(a, b))
    periods = list(monthly_periods("2025-03", 12))
    spec = INDICATORS["cp_reviews_in_timescale"]
    for keep in (True, False):
        with keeping_outcomes(keep):
            many = run_indicator_over(spec, bundle, periods)
            alone = [run_indicator(spec, bundle, p) for p in periods]
        assert many == alone
    months = [r for r in many if r.period.end == r.period.start + relativedelta(day=31)]
    months = [r for r in months if r.period.start.day == 1 and r.period.days <= 31]
    figures = {r.period.end.isoformat(): (r.numerator, r.denominator) for r in months}
    assert figures["2024-09-30"] == (1, 1)
    assert figures["2024-10-31"] == (0, 1)
    assert figures["2024-11-30"] == (0, 2)
    assert all(len(r.issues) == 1 and r.issues[0].kind == "date order" for r in many)


@pytest.mark.parametrize(
    "interval",
    [
        relativedelta(months=3),
        relativedelta(months=6),
        relativedelta(years=2),
        relativedelta(years=1, months=11),
        relativedelta(months=-3),
        relativedelta(years=-2),
        relativedelta(months=3, days=1),
        relativedelta(day=31),
        dt.timedelta(days=730),
        dt.timedelta(days=-20),
    ],
)
def test_adder_adds_as_after_does(interval: relativedelta | dt.timedelta) -> None:
    from csc_indicators.durations import adder, after

    plus = adder(interval)
    day = dt.date(2019, 12, 1)
    while day < dt.date(2025, 3, 31):
        assert plus(day) == after(day, interval), day
        day += dt.timedelta(days=1)
