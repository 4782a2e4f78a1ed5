"""Work split by child: bundle parts, the scorecard over several processes, summary mode, and
the shared care-history cache."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import csc_indicators
from csc_indicators import Bundle, Episode, Period, Referral, synthetic
from csc_indicators.bundle import RECORD_FIELDS, child_part
from csc_indicators.care_history import build_histories, clear_history_cache
from csc_indicators.cli import main
from csc_indicators.scoring import scorecard
from strategies.returns import cin_bundles, looked_after_bundles

PERIOD = Period.financial_year(2024)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return synthetic.generate(0.05, first_year=2021, years=4, seed=7)


def test_parts_hold_every_record_once_and_keep_children_whole(bundle: Bundle) -> None:
    parts = bundle.partition(3)
    for name in RECORD_FIELDS:
        whole = getattr(bundle, name)
        pieces = [getattr(p, name) for p in parts]
        if whole is None:
            assert pieces == [None, None, None]
            continue
        assert sorted(map(repr, whole)) == sorted(repr(r) for piece in pieces for r in piece)
        for i, piece in enumerate(pieces):
            assert all(child_part(r.child_id, 3) == i for r in piece)
    assert parts[0].sources == bundle.sources and parts[1].sources == bundle.sources
    assert bundle.part(0, 1) is bundle
    with pytest.raises(ValueError):
        bundle.part(3, 3)


def test_child_part_is_stable() -> None:
    # CRC-32, not Python's per-process hash: these values never change.
    assert [child_part(c, 4) for c in ("C1", "C2", "SYNC0000001")] == [
        child_part(c, 4) for c in ("C1", "C2", "SYNC0000001")
    ]
    assert child_part("C1", 1) == 0
    assert {child_part(f"C{i}", 3) for i in range(50)} == {0, 1, 2}


def test_parallel_scorecard_equals_the_serial_one(bundle: Bundle) -> None:
    serial = scorecard(bundle, PERIOD)
    parallel = scorecard(bundle, PERIOD, workers=2)
    assert [r.indicator for r in parallel] == [r.indicator for r in serial]
    for a, b in zip(serial, parallel, strict=True):
        assert (a.numerator, a.denominator, a.parameters) == (
            b.numerator,
            b.denominator,
            b.parameters,
        ), a.indicator
        assert a.outcomes == b.outcomes, a.indicator
        assert sorted(map(repr, a.issues)) == sorted(map(repr, b.issues)), a.indicator
    assert [n.indicator for n in parallel.not_computed] == [
        n.indicator for n in serial.not_computed
    ]


def test_summary_mode_keeps_figures_and_drops_outcomes(bundle: Bundle) -> None:
    full = scorecard(bundle, PERIOD)
    summary = scorecard(bundle, PERIOD, outcomes=False)
    for a, b in zip(full, summary, strict=True):
        assert (a.numerator, a.denominator, a.value) == (b.numerator, b.denominator, b.value)
        assert b.outcomes == () and a.issues == b.issues
    assert any(r.outcomes for r in full)
    with pytest.raises(ValueError, match="workers"):
        scorecard(bundle, PERIOD, workers=0)


def test_cli_workers(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(csc_indicators.__file__).parent / "data" / "example"
    args = [
        "scorecard",
        "--cin",
        str(example / "cin" / "cin_census.xml"),
        "--ssda903",
        str(example / "ssda903"),
        "--year",
        "2024",
        "--format",
        "csv",
    ]
    assert main([*args, "--workers", "1"]) == 0
    one = capsys.readouterr().out
    assert main([*args, "--workers", "2"]) == 0
    two = capsys.readouterr().out
    assert one == two and one.count("\n") > 30
    assert main([*args, "--workers", "0"]) != 0
    assert "argument --workers: must be a positive whole number, got 0" in capsys.readouterr().err


def test_history_cache_serves_the_same_tuple_only() -> None:
    clear_history_cache()
    episodes = (
        Episode("C1", dt.date(2023, 1, 1), "S", "C2", "U1", dt.date(2023, 6, 1), "X1"),
        Episode("C1", dt.date(2023, 6, 1), "P", "C2", "U4"),
    )
    first = build_histories(episodes)
    again = build_histories(episodes)
    assert again == first and again is not first  # a copy of the remembered histories
    first.clear()  # a caller mutating its copy changes nothing remembered
    assert build_histories(episodes) == again
    as_list = build_histories(list(episodes))
    assert as_list == again
    other = build_histories(episodes[:1])
    assert len(other["C1"].episodes) == 1
    clear_history_cache()
    assert build_histories(episodes) == again


def test_referral_bundle_part_keeps_kinds_not_supplied() -> None:
    b = Bundle(referrals=[Referral("C1", dt.date(2024, 5, 1))])
    part = b.part(1, 2)
    assert part.episodes is None and part.referrals is not None


def test_parallel_parts_know_where_the_data_begin() -> None:
    """Every part keeps the sources, so lac_reviews_in_timescale gets the same reviews_from in
    each process and the parts' results merge."""
    from csc_indicators import LookedAfterReview, SourceInfo

    episodes = [Episode(f"C{i}", dt.date(2023, 1, 9), "S", "C2", "U4") for i in range(12)]
    reviews = [
        LookedAfterReview(f"C{i}", dt.date(2024, month, 1 + i))
        for i in range(12)
        for month in (6, 12)
    ]
    b = Bundle(
        episodes=episodes, reviews=reviews, sources=(SourceInfo("SSDA903", "903/2024", 2024),)
    )
    assert {child_part(f"C{i}", 2) for i in range(12)} == {0, 1}
    serial = scorecard(b, PERIOD, indicators=("lac_reviews_in_timescale",))
    parallel = scorecard(b, PERIOD, indicators=("lac_reviews_in_timescale",), workers=2)
    assert serial.not_computed == parallel.not_computed == ()
    (a,), (c,) = serial.results, parallel.results
    assert a.parameters["reviews_from"] == c.parameters["reviews_from"] == dt.date(2024, 4, 1)
    assert a.outcomes == c.outcomes and (a.numerator, a.denominator) == (12, 12)


@settings(max_examples=40, deadline=None)
@given(cin=cin_bundles(), la=looked_after_bundles(), year=st.sampled_from([2020, 2021, 2022]))
def test_summary_mode_gives_the_figures_of_every_indicator(
    cin: Bundle, la: Bundle, year: int
) -> None:
    """Summary mode tallies instead of keeping outcomes: every indicator's numerator,
    denominator, value and issues are those of the full run, on any records."""
    records = cin + la
    period = Period.financial_year(year)
    clear_history_cache()
    full = scorecard(records, period)
    clear_history_cache()
    summary = scorecard(records, period, outcomes=False)
    assert [r.indicator for r in full] == [r.indicator for r in summary]
    for a, b in zip(full, summary, strict=True):
        assert (a.numerator, a.denominator, a.value) == (b.numerator, b.denominator, b.value), (
            a.indicator
        )
        assert [str(i) for i in a.issues] == [str(i) for i in b.issues], a.indicator
        assert a.denominator == sum(1 for o in a.outcomes if o.counted)
