"""Targets and RAG ratings: the rule at its boundaries, its polarity symmetry, and the file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import InputError, Period, Polarity
from csc_indicators.benchmarking import Rag, Target, read_targets
from csc_indicators.benchmarking.rules import rag

HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER

# -- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "polarity", "expected"),
    [
        # higher is better: green at or above the target, amber down to target - tolerance
        (85, 85, 5, HIGHER, Rag.GREEN),
        (85.1, 85, 5, HIGHER, Rag.GREEN),
        (84.9, 85, 5, HIGHER, Rag.AMBER),
        (80, 85, 5, HIGHER, Rag.AMBER),
        (79.9, 85, 5, HIGHER, Rag.RED),
        (84.9, 85, 0, HIGHER, Rag.RED),
        # lower is better, mirrored
        (20, 20, 2, LOWER, Rag.GREEN),
        (19.9, 20, 2, LOWER, Rag.GREEN),
        (20.1, 20, 2, LOWER, Rag.AMBER),
        (22, 20, 2, LOWER, Rag.AMBER),
        (22.1, 20, 2, LOWER, Rag.RED),
        (20.1, 20, 0, LOWER, Rag.RED),
        # exact decimal arithmetic: 80.1 - 0.3 is 79.8, not 79.80000000000001
        (79.8, 80.1, 0.3, HIGHER, Rag.AMBER),
        (80.4, 80.1, 0.3, LOWER, Rag.AMBER),
        # no value, no target, or a context measure: no rating
        (None, 85, 5, HIGHER, None),
        (85, None, 5, HIGHER, None),
        (85, 85, 5, Polarity.CONTEXT, None),
    ],
)
def test_rag_boundaries(
    value: float | None, target: float | None, tolerance: float, polarity: Polarity, expected: Rag
) -> None:
    assert rag(value, target, polarity, tolerance) is expected


def test_rag_rejects_a_negative_tolerance() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        rag(80, 85, HIGHER, -1)


decimals = st.decimals(min_value=-1000, max_value=1000, places=1, allow_nan=False)
tolerances = st.decimals(min_value=0, max_value=50, places=1, allow_nan=False)


@given(decimals, decimals, tolerances)
def test_rag_mirrors_with_polarity(value: Decimal, target: Decimal, tolerance: Decimal) -> None:
    """Flipping the polarity and negating value and target gives the same rating."""
    assert rag(value, target, HIGHER, tolerance) is rag(-value, -target, LOWER, tolerance)


@given(decimals, decimals, tolerances)
def test_rag_is_the_stated_rule(value: Decimal, target: Decimal, tolerance: Decimal) -> None:
    got = rag(value, target, HIGHER, tolerance)
    if value >= target:
        assert got is Rag.GREEN
    elif target - value <= tolerance:
        assert got is Rag.AMBER
    else:
        assert got is Rag.RED


@given(decimals, decimals, tolerances, tolerances)
def test_a_wider_tolerance_never_rates_worse(
    value: Decimal, target: Decimal, narrow: Decimal, extra: Decimal
) -> None:
    order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    a = rag(value, target, LOWER, narrow)
    b = rag(value, target, LOWER, narrow + extra)
    assert a is not None and b is not None
    assert order[b] >= order[a]


# -- the file ----------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "targets.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_targets(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "indicator,target,amber_tolerance\n"
        "assessments_within_45_working_days,85,5\n"
        "rereferrals_within_12_months,20,\n",
    )
    targets = read_targets(path)
    fy = Period.financial_year(2024)
    a = targets.for_period("assessments_within_45_working_days", fy)
    assert a is not None
    assert (a.target, a.amber_tolerance) == (Decimal(85), Decimal(5))
    assert a.location == f"{path}:line 2"
    r = targets.for_period("rereferrals_within_12_months", fy)
    assert r is not None and r.amber_tolerance == 0
    assert targets.for_period("repeat_cp_plans", fy) is None
    assert len(targets) == 2


def test_per_period_targets_most_specific_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "indicator,target,amber_tolerance,period,from,to\n"
        "assessments_within_45_working_days,80,5,,,\n"
        "assessments_within_45_working_days,82,5,,2024-04-01,2025-03-31\n"
        "assessments_within_45_working_days,90,2,2025/26,,\n"
        "assessments_within_45_working_days,83,4,Q1 2024-25,,\n",
    )
    targets = read_targets(path)

    def target_for(period: Period) -> Decimal:
        t = targets.for_period("assessments_within_45_working_days", period)
        assert t is not None
        return t.target

    assert target_for(Period.financial_year(2023)) == 80  # the row for every period
    assert target_for(Period.financial_year(2024)) == 82  # the date range covers it
    assert target_for(Period.quarter(2024, 2)) == 82
    assert target_for(Period.quarter(2024, 1)) == 83  # named: beats the date range
    assert target_for(Period.financial_year(2025)) == 90  # 2025/26 is 2025-26


def test_target_applies_to() -> None:
    t = Target("x", Decimal(1), start=dt.date(2024, 4, 1), end=None)
    assert t.applies_to(Period.financial_year(2030))
    assert not t.applies_to(Period.financial_year(2023))
    with pytest.raises(ValueError, match="before"):
        Target("x", Decimal(1), start=dt.date(2024, 4, 1), end=dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("indicator,target\nno_such_indicator,85\n", 2, "indicator", "unknown indicator"),
        ("indicator,target\n9999999,85\n", 2, "indicator", "LAIT code 9999999"),
        ("indicator,target\nrepeat_cp_plans,twenty\n", 2, "target", "not a number"),
        ("indicator,target\nrepeat_cp_plans,c\n", 2, "target", "not a number"),
        ("indicator,target\nrepeat_cp_plans,\n", 2, "target", "a number is required"),
        (
            "indicator,target,amber_tolerance\nrepeat_cp_plans,20,-1\n",
            2,
            "amber_tolerance",
            "cannot be negative",
        ),
        ("indicator,amber_tolerance\nrepeat_cp_plans,2\n", 1, "target", "no 'target' column"),
        ("target\n20\n", 1, "indicator", "no 'indicator' column"),
        (
            "indicator,target\nrepeat_cp_plans,20\n\nrepeat_cp_plans,21\n",
            4,
            "indicator",
            "a second target for repeat_cp_plans over the same periods as",
        ),
        (
            "indicator,target,from,to\nrepeat_cp_plans,20,2024-04-01,2025-03-31\n"
            "repeat_cp_plans,19,2025-01-01,\n",
            3,
            "indicator",
            "a second target",
        ),
        ("indicator,target,from\nrepeat_cp_plans,20,31/02/2024\n", 2, "from", "not a date"),
        (
            "indicator,target,from,to\nrepeat_cp_plans,20,2025-04-01,2024-04-01\n",
            2,
            "to",
            "is before 'from'",
        ),
        (
            "indicator,target,period,from\nrepeat_cp_plans,20,2024-25,2024-04-01\n",
            2,
            "period",
            "either a period or from/to",
        ),
    ],
)
def test_bad_targets_name_file_line_and_column(
    tmp_path: Path, text: str, line: int, column: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        read_targets(path)
    err = info.value
    assert (err.path, err.location, err.field) == (str(path), f"line {line}", column)
    assert message in str(err)
    assert str(err).startswith(f"{path}:line {line}: {column}: ")


def test_collect_mode_keeps_the_good_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "indicator,target,amber_tolerance\n"
        "repeat_cp_plans,20,2\n"
        "nonsense,1,1\n"
        "three_or_more_placements,x,1\n"
        "three_or_more_placements,9,1\n",
    )
    targets = read_targets(path, errors="collect")
    assert [t.indicator for t in targets.targets] == ["repeat_cp_plans", "three_or_more_placements"]
    assert [(i.location, i.field) for i in targets.issues] == [
        (f"{path}:line 3", "indicator"),
        (f"{path}:line 4", "target"),
    ]


def test_a_targets_file_keyed_by_lait_code(tmp_path: Path) -> None:
    """LAIT codes are matched through each spec's ``lait_code`` (a test registry here)."""
    from test_comparators import lait_registry

    path = write(tmp_path, "indicator,target\nlait_372,9\n304,85\n")
    targets = read_targets(path, registry=lait_registry())
    assert [(t.indicator, t.target) for t in targets.targets] == [
        ("three_or_more_placements", 9),
        ("assessments_within_45_working_days", 85),
    ]


def test_bad_errors_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="errors must be"):
        read_targets(write(tmp_path, "indicator,target\n"), errors="ignore")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot open"):
        read_targets(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="empty"):
        read_targets(write(tmp_path, "\n\n"))
