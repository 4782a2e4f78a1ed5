"""Published comparators, direction of travel, quartile bands and ranks, and benchmark rows."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from csc_indicators import INDICATORS, IndicatorResult, InputError, Period, Polarity, ValueKind
from csc_indicators.benchmarking import (
    Band,
    ComparatorGroup,
    Direction,
    Level,
    Position,
    PublishedFigure,
    Rag,
    benchmark,
    benchmark_rows,
    chat_summary,
    chat_table,
    previous_period,
    read_comparators,
    read_targets,
)
from csc_indicators.benchmarking.rules import (
    direction,
    position,
    position_rating,
    quartile_band,
    quartiles,
    rank,
)
from csc_indicators.scoring import NotComputed, Scorecard

HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
CONTEXT = Polarity.CONTEXT
EXAMPLE = Path(__file__).parent.parent / "src" / "csc_indicators" / "data" / "example"
COMPARATORS = EXAMPLE / "benchmarking" / "comparators.csv"
TARGETS = EXAMPLE / "benchmarking" / "targets.csv"
NEIGHBOURS = ["991", "993", "995", "997", "989"]


@attrs.frozen
class LaitSpec:
    """A registry entry with a LAIT code, as the registry will soon have."""

    id: str
    title: str
    polarity: Polarity
    kind: ValueKind
    lait_code: int | None


def lait_registry() -> Mapping[str, Any]:
    codes = {"three_or_more_placements": 372, "assessments_within_45_working_days": 304}
    return {
        key: LaitSpec(key, s.title, s.polarity, s.kind, codes.get(key))
        for key, s in INDICATORS.items()
    }


# -- direction of travel -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "other", "polarity", "decimals", "expected"),
    [
        (80.0, 79.0, HIGHER, 1, Direction.BETTER),
        (80.0, 79.0, LOWER, 1, Direction.WORSE),
        (80.0, 79.0, CONTEXT, 1, Direction.HIGHER),
        (79.0, 80.0, CONTEXT, 1, Direction.LOWER),
        (78.54, 78.5, HIGHER, 1, Direction.SAME),  # both 78.5 as published
        (78.55, 78.5, HIGHER, 1, Direction.BETTER),  # 78.6 against 78.5
        (84.3, 84.0, HIGHER, 0, Direction.SAME),  # a published figure of 84
        (84.5, 84.0, LOWER, 0, Direction.WORSE),  # 85 against 84
        (462.4, 462, LOWER, 0, Direction.SAME),
        (None, 80.0, HIGHER, 1, None),
        (80.0, None, HIGHER, 1, None),
    ],
)
def test_direction(
    value: float | None, other: float | None, polarity: Polarity, decimals: int, expected: Direction
) -> None:
    assert direction(value, other, polarity, decimals) is expected


figures = st.decimals(min_value=-10000, max_value=10000, places=3, allow_nan=False)
polarities = st.sampled_from(list(Polarity))


@given(figures, polarities, st.integers(0, 3))
def test_a_comparator_equal_to_the_figure_is_the_same(
    value: Decimal, polarity: Polarity, decimals: int
) -> None:
    assert direction(value, value, polarity, decimals) is Direction.SAME
    assert direction(float(value), float(value), polarity, decimals) is Direction.SAME


@given(figures, figures, st.integers(0, 3))
def test_direction_mirrors_with_polarity(a: Decimal, b: Decimal, decimals: int) -> None:
    assert direction(a, b, HIGHER, decimals) is direction(-a, -b, LOWER, decimals)
    swapped = {Direction.BETTER: Direction.WORSE, Direction.WORSE: Direction.BETTER}
    forward = direction(a, b, HIGHER, decimals)
    assert forward is not None
    assert direction(b, a, HIGHER, decimals) is swapped.get(forward, forward)


# -- quartiles, bands, ranks, position -------------------------------------------------------------

FIVE = [10, 20, 30, 40, 50]  # quartiles 20, 30, 40


def test_quartiles_interpolate_linearly() -> None:
    assert quartiles(FIVE) == (20, 30, 40)
    assert quartiles([1, 2, 3, 4]) == (Fraction(7, 4), Fraction(5, 2), Fraction(13, 4))
    assert quartiles([1, 2, 3]) is None


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (50, HIGHER, Band.A),
        (40, HIGHER, Band.A),  # on a cut: the better band
        (39, HIGHER, Band.B),
        (30, HIGHER, Band.B),
        (29, HIGHER, Band.C),
        (20, HIGHER, Band.C),
        (19, HIGHER, Band.D),
        (10, LOWER, Band.A),
        (20, LOWER, Band.A),
        (21, LOWER, Band.B),
        (30, LOWER, Band.B),
        (31, LOWER, Band.C),
        (40, LOWER, Band.C),
        (41, LOWER, Band.D),
        (30, CONTEXT, None),
        (None, HIGHER, None),
    ],
)
def test_quartile_band_boundaries(value: int | None, polarity: Polarity, expected: Band) -> None:
    assert quartile_band(value, FIVE, polarity) is expected


def test_no_band_from_fewer_than_four_authorities() -> None:
    assert quartile_band(10, [10, 20, 30], HIGHER) is None


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [(30, HIGHER, 1), (20, HIGHER, 2), (10, HIGHER, 4), (10, LOWER, 1), (20, LOWER, 2),
     (30, LOWER, 4), (20, CONTEXT, None)],
)  # fmt: skip
def test_rank_ties_share_the_best_rank(value: int, polarity: Polarity, expected: int) -> None:
    assert rank(value, [10, 20, 20, 30], polarity) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(19, Position.BELOW), (20, Position.WITHIN), (40, Position.WITHIN), (41, Position.ABOVE)],
)
def test_position_against_the_middle_50(value: int, expected: Position) -> None:
    assert position(value, FIVE) is expected


def test_position_rating_by_polarity() -> None:
    assert position_rating(Position.ABOVE, HIGHER) is Direction.BETTER
    assert position_rating(Position.ABOVE, LOWER) is Direction.WORSE
    assert position_rating(Position.BELOW, LOWER) is Direction.BETTER
    assert position_rating(Position.WITHIN, HIGHER) is None
    assert position_rating(Position.ABOVE, CONTEXT) is None


authorities = st.lists(
    st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False), min_size=4, max_size=40
)
ORDER = {Band.A: 0, Band.B: 1, Band.C: 2, Band.D: 3}


@given(authorities, st.data())
def test_band_and_rank_mirror_with_polarity(values: list[Decimal], data: st.DataObject) -> None:
    """Flipping the polarity and negating every figure gives the same band and rank."""
    value = data.draw(st.sampled_from(values))
    mirrored = [-v for v in values]
    assert quartile_band(value, values, HIGHER) is quartile_band(-value, mirrored, LOWER)
    assert quartile_band(value, values, LOWER) is quartile_band(-value, mirrored, HIGHER)
    assert rank(value, values, HIGHER) == rank(-value, mirrored, LOWER)


@given(authorities, st.data(), polarities.filter(lambda p: p is not CONTEXT))
def test_rank_is_consistent_with_band(
    values: list[Decimal], data: st.DataObject, polarity: Polarity
) -> None:
    a, b = data.draw(st.sampled_from(values)), data.draw(st.sampled_from(values))
    ra, rb = rank(a, values, polarity), rank(b, values, polarity)
    ba, bb = quartile_band(a, values, polarity), quartile_band(b, values, polarity)
    assert ra is not None and rb is not None and ba is not None and bb is not None
    assert 1 <= ra <= len(values)
    if ra < rb:
        assert ORDER[ba] <= ORDER[bb]
    if ra == rb:
        assert ba is bb
    if ra == 1:
        assert ba is Band.A


@given(authorities)
def test_band_a_holds_the_figures_from_the_upper_quartile(values: list[Decimal]) -> None:
    """Of ``n`` different figures (higher is better), band A holds those at or above the upper
    quartile, at position ``3(n - 1)/4``: the last ``n - ceil(3(n - 1)/4)`` in order."""
    assume(len(set(values)) == len(values))
    n = len(values)
    in_a = sorted(v for v in values if quartile_band(v, values, HIGHER) is Band.A)
    assert in_a == sorted(values)[-(n - math.ceil(Fraction(3 * (n - 1), 4))) :]


# -- reading the comparators file ----------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "comparators.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_the_example_file() -> None:
    comp = read_comparators(COMPARATORS)
    assert len(comp.figures) == 14 * 10
    assert comp.ignored_columns == ()
    assert comp.years("repeat_cp_plans") == [2023]
    la = comp.authority("999")
    assert (la.name, la.code, la.old_code, la.region_name) == (
        "Example Borough",
        "E06000999",
        "999",
        "Example region",
    )
    assert comp.authority("e06000999") == la == comp.authority("example borough")
    assert comp.england("repeat_cp_plans", 2023) == PublishedFigure(23.8, decimals=1)
    assert comp.region("repeat_cp_plans", 2023, "Example region") == PublishedFigure(22.5, None, 1)
    assert comp.figure("care_leavers_19_21_eet", 2023, la) == PublishedFigure(symbol="c")
    group = comp.group("rereferrals_within_12_months", 2023, ComparatorGroup(NEIGHBOURS, "SN"))
    assert (group.median, group.mean, group.count, group.members) == (
        Fraction("19.5"),
        Fraction("18.96"),
        5,
        5,
    )
    assert len(comp.authorities) == 11


def test_long_shape_and_time_periods(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "time_period,geographic_level,region_name,la_name,new_la_code,indicator,value\n"
        "2024,National,,,,repeat_cp_plans,23.8\n"
        "2023-24,Regional,Example region,,,repeat_cp_plans,22\n"
        "202425,Local authority,Example region,Example Borough,E06000999,repeat_cp_plans,c\n"
        "202425,Local authority,Example region,Example Borough,E06000999,"
        "assessments_within_45_working_days,81.25\n",
    )
    comp = read_comparators(path)
    assert [(f.indicator, f.year, f.area.level, str(f.figure)) for f in comp.figures] == [
        ("repeat_cp_plans", 2023, Level.NATIONAL, "23.8"),
        ("repeat_cp_plans", 2023, Level.REGIONAL, "22"),
        ("repeat_cp_plans", 2024, Level.LOCAL_AUTHORITY, "c"),
        ("assessments_within_45_working_days", 2024, Level.LOCAL_AUTHORITY, "81.25"),
    ]
    assert comp.latest_year("repeat_cp_plans", Period.financial_year(2023)) == 2023
    assert comp.latest_year("repeat_cp_plans", Period.financial_year(2024)) == 2024
    assert comp.latest_year("repeat_cp_plans", Period.financial_year(2022)) is None


def test_suppressed_values_keep_their_symbol(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "time_period,geographic_level,la_name,repeat_cp_plans\n"
        + "".join(f"202324,Local authority,LA {s},{s}\n" for s in ("c", "z", "k", "x", "..", "low"))
        + "202324,Local authority,LA zero,0\n",
    )
    comp = read_comparators(path)
    shown = [(f.figure.value, f.figure.symbol) for f in comp.figures]
    assert shown == [(None, s) for s in ("c", "z", "k", "x", "..", "low")] + [(0.0, None)]
    assert comp.authority_values("repeat_cp_plans", 2023) == [0.0]


def test_lait_keyed_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "time_period,geographic_level,la_name,lait_372,304,number_of_referrals\n"
        "202324,National,,10.3,82.7,600000\n",
    )
    comp = read_comparators(path, registry=lait_registry())
    assert {f.indicator: f.figure.value for f in comp.figures} == {
        "three_or_more_placements": 10.3,
        "assessments_within_45_working_days": 82.7,
    }
    assert comp.ignored_columns == ("number_of_referrals",)


def test_lait_keyed_columns_with_the_real_registry(tmp_path: Path) -> None:
    spec = INDICATORS["three_or_more_placements"]
    code = spec.lait_code
    assert code == 372
    path = write(tmp_path, f"time_period,geographic_level,lait_{code}\n202324,National,12.5\n")
    (figure,) = read_comparators(path).figures
    assert (figure.indicator, figure.figure.value) == (spec.id, 12.5)


HEAD = "time_period,geographic_level,la_name,repeat_cp_plans\n"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (HEAD + "202324,Local authority,A,abc\n", 2, "repeat_cp_plans", "not a number or a"),
        (HEAD + "202324,Local authority,A,0\n202324,Local authority,A,1\n", 3, "repeat_cp_plans",
         "a second figure for repeat_cp_plans, A, 2023-24 (the first is at"),
        (HEAD + "202324,County,A,1\n", 2, "geographic_level", "unknown geographic level"),
        (HEAD + "2023-25,National,,1\n", 2, "time_period", "not consecutive"),
        (HEAD + "last year,National,,1\n", 2, "time_period", "not a time period"),
        (HEAD + "202324,Local authority,,1\n", 2, "la_name", "needs a la_name"),
        ("time_period,geographic_level,region_name,repeat_cp_plans\n202324,Regional,,1\n", 2,
         "region_name", "needs a region_name"),
        ("geographic_level,la_name,repeat_cp_plans\nNational,,1\n", 1, "time_period",
         "no 'time_period' column"),
        ("time_period,la_name,repeat_cp_plans\n2024,A,1\n", 1, "geographic_level",
         "no 'geographic_level' column"),
        ("time_period,geographic_level,9999999\n2024,National,1\n", 1, "9999999",
         "no registered indicator has the LAIT code 9999999"),
        ("time_period,geographic_level,repeat_cp_plans,Repeat_CP_Plans\n2024,National,1,1\n", 1,
         "Repeat_CP_Plans", "are both repeat_cp_plans"),
        ("time_period,geographic_level,indicator,value\n2024,National,nonsense,1\n", 2,
         "indicator", "unknown indicator"),
        ("time_period,geographic_level,indicator,value\n2024,National,lait_9999999,1\n", 2,
         "indicator", "LAIT code 9999999"),
        ("time_period,geographic_level,indicator,value\n2024,National,repeat_cp_plans,\n", 2,
         "value", "a number or a suppression symbol is required"),
    ],
)  # fmt: skip
def test_bad_comparators_name_file_line_and_column(
    tmp_path: Path, text: str, line: int, column: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        read_comparators(path)
    err = info.value
    assert (err.path, err.location, err.field) == (str(path), f"line {line}", column)
    assert message in str(err)
    assert str(err).startswith(f"{path}:line {line}: {column}: ")


def test_no_measure_column(tmp_path: Path) -> None:
    path = write(tmp_path, "time_period,geographic_level,la_name,other\n2024,National,,1\n")
    with pytest.raises(InputError, match=r"line 1: the comparators file has no measure column"):
        read_comparators(path)


def test_a_row_longer_than_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "202324,National,,1,2\n")
    with pytest.raises(InputError, match=r"line 2: the row has 5 values but the header names 4"):
        read_comparators(path)


def test_collect_mode_lists_every_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD + "202324,Local authority,A,1\n202324,Local authority,B,one\n"
        "202324,Local authority,A,2\n202324,Nowhere,C,3\n",
    )
    comp = read_comparators(path, errors="collect")
    assert [f.area.name for f in comp.figures] == ["A"]
    assert [(i.location, i.field, i.kind) for i in comp.issues] == [
        (f"{path}:line 3", "repeat_cp_plans", "input"),
        (f"{path}:line 4", "repeat_cp_plans", "duplicate"),
        (f"{path}:line 5", "geographic_level", "input"),
    ]


def test_a_missing_authority_names_the_file() -> None:
    comp = read_comparators(COMPARATORS)
    with pytest.raises(InputError, match=r"comparators.csv: .*no local authority 'E06000123'"):
        comp.authority("E06000123")


# -- benchmark rows -------------------------------------------------------------------------------


def result(indicator: str, numerator: int, denominator: int, year: int) -> IndicatorResult:
    spec = INDICATORS[indicator]
    return IndicatorResult(
        indicator,
        spec.title,
        Period.financial_year(year),
        {},
        numerator,
        denominator,
        spec.kind,
        decimals=spec.decimals_for(spec.kind),
    )


def card(year: int, results: list[IndicatorResult], skipped: tuple[str, ...] = ()) -> Scorecard:
    ids = [r.indicator for r in results] + list(skipped)
    return Scorecard(
        Period.financial_year(year),
        tuple(results),
        tuple(
            NotComputed(i, INDICATORS[i].title, ("episodes",), "needs episodes") for i in skipped
        ),
        {i: INDICATORS[i] for i in ids},
    )


LATEST = card(
    2024,
    [
        result("rereferrals_within_12_months", 37, 197, 2024),  # 18.8
        result("assessments_within_45_working_days", 157, 200, 2024),  # 78.5
        result("adoption_a1", 1387, 3, 2024),  # 462.33 -> 462 days
        result("referrals_received", 197, 197, 2024),
    ],
    skipped=("care_leavers_19_21_eet",),
)
PREVIOUS = card(
    2023,
    [
        result("rereferrals_within_12_months", 51, 190, 2023),  # 26.8
        result("assessments_within_45_working_days", 157, 200, 2023),  # 78.5
        result("adoption_a1", 1356, 2, 2023),  # 678
        result("referrals_received", 190, 190, 2023),
    ],
)


def test_benchmark_the_example_authority() -> None:
    rows = benchmark(
        LATEST,
        targets=read_targets(TARGETS),
        comparators=read_comparators(COMPARATORS),
        authority="999",
        neighbours=NEIGHBOURS,
        previous=PREVIOUS,
    )
    by_id = {r.indicator: r for r in rows}
    rr = by_id["rereferrals_within_12_months"]
    assert (rr.value, rr.previous, rr.direction) == (18.8, 26.8, Direction.BETTER)
    assert rr.target is not None and rr.target.target == 20
    assert rr.rag is Rag.GREEN
    assert rr.published == PublishedFigure(26.8, decimals=1)
    assert (rr.published_period, rr.direction_published) == ("2023-24", Direction.BETTER)
    assert (rr.england, rr.region) == (
        PublishedFigure(22.4, None, 1),
        PublishedFigure(21.0, None, 1),
    )
    assert (rr.comparator, rr.comparator_mean, rr.comparator_count) == (19.5, 19.0, 5)
    assert rr.quartiles == (19.7, 22.3, 24.8)
    assert (rr.quartile_band, rr.rank, rr.rank_of) == (Band.D, 9, 10)
    assert (rr.position, rr.position_rating) == (Position.ABOVE, Direction.WORSE)

    a = by_id["assessments_within_45_working_days"]
    assert (a.value, a.direction, a.rag) == (78.5, Direction.SAME, Rag.RED)  # 85 - 5 > 78.5
    assert (a.quartile_band, a.rank, a.rank_of) == (Band.C, 7, 11)

    a1 = by_id["adoption_a1"]
    assert (a1.value, a1.decimals, a1.previous, a1.direction) == (462.0, 0, 678.0, Direction.BETTER)
    assert a1.rag is Rag.GREEN  # target 480 days, lower is better
    assert (a1.quartile_band, a1.rank, a1.rank_of) == (Band.D, 10, 10)  # Fernholt suppressed

    ref = by_id["referrals_received"]  # context: no RAG, band or rank; direction higher/lower
    assert (ref.direction, ref.rag, ref.quartile_band, ref.rank) == (
        Direction.HIGHER,
        None,
        None,
        None,
    )
    assert ref.published is None  # not in the comparators file

    cl = by_id["care_leavers_19_21_eet"]  # not computed; the published figure suppressed
    assert cl.value is None and cl.rag is None and cl.direction is None
    assert cl.published == PublishedFigure(symbol="c")
    assert (cl.direction_published, cl.quartile_band, cl.rank) == (None, None, None)
    assert cl.england == PublishedFigure(55.6, None, 1)


def test_benchmark_without_inputs_fills_nothing() -> None:
    rows = benchmark(LATEST)
    assert [r.indicator for r in rows] == list(LATEST.specs)
    assert all(r.target is None and r.england is None and r.direction is None for r in rows)


def test_the_authority_is_left_out_of_its_own_group() -> None:
    comp = read_comparators(COMPARATORS)
    rows = benchmark(LATEST, comparators=comp, authority="999", neighbours=["999", "991"])
    assert rows[0].comparator_count == 1 and rows[0].comparator == 19.5


def test_benchmark_bad_authority_or_neighbour() -> None:
    comp = read_comparators(COMPARATORS)
    with pytest.raises(InputError, match="no local authority 'Atlantis'"):
        benchmark(LATEST, comparators=comp, authority="Atlantis")
    with pytest.raises(InputError, match="no local authority '123'"):
        benchmark(LATEST, comparators=comp, neighbours=["991", "123"])
    with pytest.raises(ValueError, match="need a comparators file"):
        benchmark(LATEST, authority="999")
    with pytest.raises(TypeError, match="not one string"):
        benchmark(LATEST, comparators=comp, neighbours="991")


def test_benchmark_rows_extend_the_scorecard_rows() -> None:
    rows = benchmark_rows(
        LATEST,
        targets=read_targets(TARGETS),
        comparators=read_comparators(COMPARATORS),
        authority="Example Borough",
        neighbours=NEIGHBOURS,
        previous=PREVIOUS,
    )
    first = rows[0]
    assert first["indicator"] == "rereferrals_within_12_months"
    assert first["rounded_value"] == 18.8
    expected = {
        "target": 20.0,
        "rag": "green",
        "direction": "better",
        "direction_published": "better",
        "england": 22.4,
        "region": 21.0,
        "comparator": 19.5,
        "comparator_mean": 19.0,
        "published": 26.8,
        "quartile_band": "D",
        "rank": 9,
        "rank_of": 10,
    }
    assert {k: first[k] for k in expected} == expected
    suppressed = next(r for r in rows if r["indicator"] == "care_leavers_19_21_eet")
    assert suppressed["published"] == "c"
    assert suppressed["status"] == "not computed"


def test_chat_summary_and_table() -> None:
    rows = benchmark(
        LATEST,
        comparators=read_comparators(COMPARATORS),
        authority="999",
        neighbours=NEIGHBOURS,
        previous=PREVIOUS,
    )
    chat = chat_summary(rows)
    assert chat[0].latest == 18.8 and chat[0].position is Position.ABOVE
    headings, cells = chat_table(rows)
    assert headings[:6] == ("Indicator", "Latest", "Direction of travel", "Published",
                            "Comparator", "England")  # fmt: skip
    assert cells[0][1:] == ("18.8", "better", "26.8", "19.5", "22.4", "above (worse)", "2023-24")
    a1 = cells[2]
    assert a1[1:] == ("462", "better", "678", "431", "478", "above (worse)", "2023-24")
    assert cells[3][1:] == ("197", "higher", "-", "-", "-", "-", "-")
    assert cells[4][1:4] == ("-", "-", "c")


# -- the documentation ----------------------------------------------------------------------------


def test_the_docs_page_shows_the_real_output() -> None:
    """The example on the benchmarking page runs, and prints the tables the page shows."""
    import contextlib
    import io
    import re

    page = (Path(__file__).parent.parent / "docs" / "benchmarking.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(from importlib import resources\n.*?)```", page, re.S)
    assert block is not None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(block.group(1), {})
    output = printed.getvalue().strip()
    assert output.count("\n") > 20
    assert output in page


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.financial_year(2024), Period.financial_year(2023)),
        (Period.quarter(2024, 1), Period.quarter(2023, 4)),
        (Period.quarter(2024, 4), Period.quarter(2024, 3)),
        (Period.quarter(2024, 2), Period.quarter(2024, 1)),
        (Period.month(2025, 1), Period.month(2024, 12)),
        (Period.month(2024, 3), Period.month(2024, 2)),
        (
            Period.rolling_12_months(dt.date(2024, 12, 31)),
            Period.rolling_12_months(dt.date(2023, 12, 31)),
        ),
        (Period.year_to_date(dt.date(2024, 12, 31)), Period.year_to_date(dt.date(2023, 12, 31))),
        (
            Period(dt.date(2024, 5, 3), dt.date(2024, 6, 9)),
            Period(dt.date(2023, 5, 3), dt.date(2023, 6, 9)),
        ),
    ],
)
def test_previous_period(period: Period, expected: Period) -> None:
    got = previous_period(period)
    assert (got, str(got)) == (expected, str(expected))
