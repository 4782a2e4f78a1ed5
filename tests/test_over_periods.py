"""Contract: an indicator's evaluation over many periods gives, for every period, exactly what
the indicator gives for that period alone (figures, outcomes and issues)."""

from __future__ import annotations

import attrs
import pytest

from csc_indicators import Period, example_bundle, monthly_periods
from csc_indicators.registry import INDICATORS, over_periods_of
from csc_indicators.results import keeping_outcomes
from csc_indicators.scoring import run_indicator, run_indicator_over
from csc_indicators.synthetic import generate

_MANY = sorted(ident for ident, spec in INDICATORS.items() if over_periods_of(spec) is not None)


def _periods() -> list[Period]:
    periods = list(monthly_periods("2025-03", 12))
    periods += [Period.financial_year(2023), Period.financial_year(2024)]
    periods.append(Period.parse("2024-02-29..2024-02-29"))
    return periods


@pytest.fixture(scope="module")
def bundles() -> list[object]:
    synthetic = attrs.evolve(generate(0.05, first_year=2022, years=3, seed=11), sources=())
    return [attrs.evolve(example_bundle(), sources=()), synthetic]


@pytest.mark.parametrize("ident", _MANY)
@pytest.mark.parametrize("keep", [True, False])
def test_each_period_as_if_alone(ident: str, keep: bool, bundles: list[object]) -> None:
    spec = INDICATORS[ident]
    periods = _periods()
    for bundle in bundles:
        if any(getattr(bundle, name) is None for name in spec.inputs):
            continue
        with keeping_outcomes(keep):
            many = run_indicator_over(spec, bundle, periods)  # type: ignore[arg-type]
            alone = [run_indicator(spec, bundle, p) for p in periods]  # type: ignore[arg-type]
        assert len(many) == len(periods)
        for p, got, want in zip(periods, many, alone, strict=True):
            assert got == want, f"{ident} differs over {p}"


def test_run_indicator_over_without_a_declaration() -> None:
    spec = INDICATORS["referrals_received"]
    bundle = example_bundle()
    periods = [Period.financial_year(2023), Period.financial_year(2024)]
    got = run_indicator_over(spec, bundle, periods)
    assert got == [run_indicator(spec, bundle, p) for p in periods]


def test_every_indicator_has_an_evaluation_over_periods() -> None:
    """The series runs each indicator through its evaluation over periods: one without it is
    run once per period (exact, but a 36-period series then costs 36 of its runs)."""
    missing = sorted(ident for ident, spec in INDICATORS.items() if over_periods_of(spec) is None)
    assert not missing, f"no evaluation over periods: {', '.join(missing)}"
