"""The series API: periods, cells, rows, breakdowns and lookup files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from csc_indicators import (
    DIMENSIONS,
    Bundle,
    IndicatorResult,
    InputError,
    Lookup,
    Period,
    PeriodKind,
    Series,
    SeriesCell,
    example_bundle,
    monthly_periods,
    scorecard,
    series,
    synthetic,
)
from csc_indicators.builder import ResultBuilder
from csc_indicators.decisions import Decisions
from csc_indicators.errors import CalendarRangeError
from csc_indicators.records.cin import Referral
from csc_indicators.registry import Family, Registry, over_periods
from csc_indicators.results import Polarity, ValueKind
from csc_indicators.series.grouping import UNASSIGNED, LookupRow, age_band

BUNDLE = example_bundle()


def test_monthly_periods_default_kinds() -> None:
    got = monthly_periods("2025-03", 2)
    assert [p.label for p in got] == [
        "February 2025",
        "YTD February 2025",
        "12 months to February 2025",
        "March 2025",
        "YTD March 2025",
        "12 months to March 2025",
    ]
    assert [p.kind for p in got[:3]] == [PeriodKind.IN_MONTH, PeriodKind.YTD, PeriodKind.ROLLING_12]
    assert got[1] == Period(dt.date(2024, 4, 1), dt.date(2025, 2, 28))
    assert got[2] == Period(dt.date(2024, 3, 1), dt.date(2025, 2, 28))


def test_monthly_periods_accepts_dates_and_pairs_across_years() -> None:
    a = monthly_periods(dt.date(2025, 1, 17), 3, kinds=(PeriodKind.IN_MONTH,))
    b = monthly_periods((2025, 1), 3, kinds=[PeriodKind.IN_MONTH])
    assert a == b
    assert [p.code for p in a] == ["2024-11", "2024-12", "2025-01"]
    quarters = monthly_periods("2025-03", 12, kinds=(PeriodKind.QUARTER, PeriodKind.YEAR))
    assert [p.label for p in quarters] == [
        "Q1 2024-25",
        "Q2 2024-25",
        "Q3 2024-25",
        "Q4 2024-25",
        "2024-25",
    ]


@pytest.mark.parametrize(
    ("to", "months", "kinds"),
    [
        ("2025-13", 1, None),
        ("March", 1, None),
        ("2025-03", 0, None),
        ("2025-03", 1, (PeriodKind.CUSTOM,)),
    ],
)
def test_monthly_periods_refuses(
    to: str, months: int, kinds: tuple[PeriodKind, ...] | None
) -> None:
    with pytest.raises(ValueError):
        if kinds is None:
            monthly_periods(to, months)
        else:
            monthly_periods(to, months, kinds)


def test_series_cells_and_rows_match_scorecards() -> None:
    periods = monthly_periods("2025-03", 2)
    ids = ("assessments_within_45_working_days", "referrals_received", "lac_at_period_end")
    s = series(BUNDLE, periods, indicators=ids[::-1])
    assert isinstance(s, Series)
    assert s.indicators == ids  # scorecard order, whatever the order asked
    assert repr(s) == "Series(3 indicators x 6 periods = 18 cells)"
    assert [(c.indicator, c.period.label) for c in s.cells[:3]] == [
        (ids[0], "February 2025"),
        (ids[0], "YTD February 2025"),
        (ids[0], "12 months to February 2025"),
    ]
    march = s.cell("assessments_within_45_working_days", periods[3])
    assert (march.numerator, march.denominator, march.value) == (7, 7, 100.0)
    ytd = s.cell("assessments_within_45_working_days", periods[4])
    assert (ytd.numerator, ytd.denominator, ytd.rounded_value) == (95, 121, 78.5)
    for period in periods:
        card = scorecard(BUNDLE, period, indicators=ids)
        for r in card.results:
            c = s.cell(r.indicator, period)
            assert (c.numerator, c.denominator, c.value) == (r.numerator, r.denominator, r.value)
        for n in card.not_computed:
            c = s.cell(n.indicator, period)
            assert c.status == "not computed"
            assert c.reason == n.reason
    rows = s.rows()
    assert rows[2]["kind"] == "rolling 12 months"
    assert rows[2]["period_start"] == "2024-03-01"
    assert rows[2]["period_end"] == "2025-02-28"
    assert rows[2]["label"] == "12 months to February 2025"
    assert rows[2]["status"] == "not computed"
    assert rows[2]["reason"] == (
        "the CIN census data cover 1 April 2024 to 31 March 2025; the period starts 1 March 2024"
    )
    assert rows[2]["group"] is None and rows[2]["numerator"] is None
    assert rows[3]["numerator"] == 7 and rows[3]["status"] == "computed"
    assert s.cell("referrals_received", periods[4]).value == 197.0


def test_cells_keep_outcomes_only_when_asked() -> None:
    period = Period.parse("2025-03")
    lean = series(BUNDLE, [period], indicators=["referrals_received"])
    full = series(BUNDLE, [period], indicators=["referrals_received"], outcomes=True)
    assert lean.cells[0].outcomes == ()
    assert full.cells[0].outcomes == scorecard(BUNDLE, period)["referrals_received"].outcomes
    assert len(full.cells[0].outcomes) == 18


def test_age_band() -> None:
    dob = dt.date(2010, 6, 15)
    assert age_band(dob, dt.date(2010, 6, 15)) == "under 1"
    assert age_band(dob, dt.date(2011, 6, 14)) == "under 1"
    assert age_band(dob, dt.date(2011, 6, 15)) == "1-4"
    assert age_band(dob, dt.date(2026, 6, 14)) == "10-15"
    assert age_band(dob, dt.date(2026, 6, 15)) == "16-17"
    assert age_band(dob, dt.date(2028, 6, 15)) == "18+"
    assert age_band(None, dt.date(2028, 6, 15)) == "not recorded"


def test_breakdown_by_age_band_adds_up() -> None:
    period = Period.parse("2024-25")
    s = series(
        BUNDLE,
        [period],
        indicators=["lac_at_period_end", "three_or_more_placements"],
        by="age_band",
    )
    assert s.by == "age_band"
    assert s.groups[:6] == ("under 1", "1-4", "5-9", "10-15", "16-17", "18+")
    total = scorecard(BUNDLE, period)
    for ident in s.indicators:
        cells = [c for c in s.cells if c.indicator == ident]
        assert sum(c.numerator or 0 for c in cells) == total[ident].numerator
        assert sum(c.denominator or 0 for c in cells) == total[ident].denominator
    assert [
        s.cell("lac_at_period_end", period, g).numerator for g in ("1-4", "5-9", "10-15", "16-17")
    ] == [
        3,
        3,
        10,
        4,
    ]


def test_dimensions_read_record_fields() -> None:
    assert set(DIMENSIONS) == {
        "age_band",
        "sex",
        "ethnicity",
        "disability",
        "primary_need",
        "referral_source",
        "placement_type",
        "legal_status",
    }
    period = Period.parse("2024-25")
    s = series(
        BUNDLE, [period], indicators=["lac_at_period_end", "referrals_received"], by="legal_status"
    )
    lac = [c for c in s.cells if c.indicator == "lac_at_period_end" and c.denominator]
    assert sum(c.denominator or 0 for c in lac) == 20
    assert all(c.group != "not recorded" for c in lac)
    referrals = s.cell("referrals_received", period, "not recorded")
    assert referrals.numerator == 197  # CIN referrals hold no legal status
    with pytest.raises(ValueError, match="no dimension 'team'"):
        series(BUNDLE, [period], by="team")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "teams.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_lookup_from_csv_dated_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "Child_ID,Team,From,To\nA1,North,2024-04-01,2024-09-30\nA1,South,01/10/2024,\nB2,East,,\n",
    )
    lookup = Lookup.from_csv(path)
    assert lookup.name == "Team"
    assert lookup.groups == ("East", "North", "South")
    assert lookup.group_of("A1", dt.date(2024, 9, 30)) == "North"
    assert lookup.group_of("A1", dt.date(2024, 10, 1)) == "South"
    assert lookup.group_of("A1", dt.date(2024, 3, 31)) == UNASSIGNED
    assert lookup.group_of("B2", dt.date(1990, 1, 1)) == "East"
    assert lookup.group_of("Z9", dt.date(2024, 5, 1)) == UNASSIGNED
    assert Lookup.from_csv(path, name="team").name == "team"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "child_id,team\nA1,North\nA1,South\n",
            "teams.csv:line 3: child_id: child A1 has overlapping rows",
        ),
        (
            "child_id,team,from,to\nA1,North,2024-04-01,2024-10-01\nA1,South,2024-10-01,\n",
            "teams.csv:line 3: child_id: child A1 has overlapping rows",
        ),
        ("child_id,team,from\nA1,North,2024-13-01\n", "teams.csv:line 2: from: not a date"),
        (
            "child_id,team,from,to\nA1,North,2024-05-01,2024-04-01\n",
            "teams.csv:line 2: to: the row",
        ),
        ("pupil,team\nA1,North\n", "teams.csv:line 1: no child column"),
        ("child_id,team\nA1,\n", "teams.csv:line 2: team: the group is empty"),
        ("child_id,a,b\nA1,x,y\n", "teams.csv:line 1: no group column"),
    ],
)
def test_lookup_errors_name_file_line_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        Lookup.from_csv(path)
    assert message in str(caught.value)
    assert caught.value.path == str(path)


def test_lookup_breakdown_unassigned_catches_the_rest() -> None:
    period = Period.parse("2024-25")
    children = sorted({r.child_id for r in BUNDLE.referrals or ()})
    lookup = Lookup({cid: f"team {i % 3}" for i, cid in enumerate(children[:30])}, name="team")
    s = series(BUNDLE, [period], indicators=["referrals_received"], by=lookup)
    assert s.groups == ("team 0", "team 1", "team 2", "unassigned")
    assert sum(c.numerator or 0 for c in s.cells) == 197
    assigned = sum(c.numerator or 0 for c in s.cells if c.group != "unassigned")
    in_lookup = sum(
        1 for r in BUNDLE.referrals or () if r.date in period and r.child_id in set(children[:30])
    )
    assert assigned == in_lookup
    assert s.cell("referrals_received", period, "unassigned").numerator == 197 - in_lookup


def test_lookup_rows_and_cells_are_typed() -> None:
    lookup = Lookup([LookupRow("A", "x", dt.date(2024, 1, 1), None)], name="worker")
    assert repr(lookup) == "Lookup('worker': 1 children, 1 groups)"
    cell = series(BUNDLE, [Period.parse("2025-03")], indicators=["lac_started"]).cells[0]
    assert isinstance(cell, SeriesCell)
    assert cell.computed


def test_usage_names_every_registered_indicator() -> None:
    from csc_indicators import INDICATORS
    from csc_indicators.series import USAGE, Usage

    assert set(USAGE) == set(INDICATORS)
    for ident, use in USAGE.items():
        assert (use.date is not None) == (use.usage is Usage.EVENTS), ident


def test_sex_groups_join_the_two_returns_codes() -> None:
    from csc_indicators import Period, example_bundle, series

    made = series(
        example_bundle(),
        [Period.financial_year(2024)],
        indicators=("referrals_received", "lac_at_period_end"),
        by="sex",
    )
    groups = {(r["indicator"], r["group"]): r["numerator"] for r in made.rows()}
    # the CIN census codes M/F and the SSDA903 codes 1/2 make the same two groups
    assert groups[("referrals_received", "female")] == 79
    assert groups[("referrals_received", "male")] == 117
    assert groups[("lac_at_period_end", "female")] == 9
    assert groups[("lac_at_period_end", "male")] == 11
    assert not any(g in ("1", "2", "M", "F") for _, g in groups)


def _late_referrals(referrals: Any, period: Period) -> IndicatorResult:
    """A test indicator whose evaluation fails for a period ending after 2024."""
    (result,) = _late_referrals_over(referrals, [period])
    return result


def _late_referrals_over(referrals: Any, periods: Sequence[Period]) -> list[IndicatorResult]:
    if any(p.end.year > 2024 for p in periods):
        raise CalendarRangeError("2025 is outside the calendar's years")
    d = Decisions(_late_referrals, periods, ValueKind.COUNT)
    for r in referrals:
        d.at(r.date).count(r.child_id, r, True)
    return d.results({})


def test_a_failure_over_many_periods_is_only_that_of_the_periods_that_fail() -> None:
    """An evaluation over periods that fails is run period by period: the cells are what each
    period's scorecard gives, computed or failed."""
    registry = Registry()
    registry.register(
        title="Late referrals",
        short_title="Late referrals",
        family=Family.CHILDREN_IN_NEED,
        unit="referral",
        polarity=Polarity.CONTEXT,
        sources=("test",),
        kind=ValueKind.COUNT,
    )(_late_referrals)
    over_periods(registry["_late_referrals"])(_late_referrals_over)
    bundle = Bundle(referrals=(Referral("A", dt.date(2024, 5, 1)),))
    early, late = Period.month(2024, 5), Period.month(2025, 1)
    got = series(bundle, [early, late], registry=registry)
    assert got.cell("_late_referrals", early).numerator == 1
    cell = got.cell("_late_referrals", late)
    assert cell.status == "not computed"
    assert cell.reason == "failed: 2025 is outside the calendar's years"
    card = scorecard(bundle, late, registry=registry)
    assert card.not_computed[0].reason == cell.reason


def _copied_referrals(referrals: Any, period: Period) -> IndicatorResult:
    """A test indicator that gives a copy of its builder's result."""
    b = ResultBuilder(_copied_referrals)
    for r in referrals:
        if r.date in period:
            b.count(r.child_id, r, True)
    return attrs.evolve(b.build(period, {}))


def test_a_lookup_breakdown_of_a_result_no_builder_built() -> None:
    """A lookup's undated children are tallied by group as decided, which needs the result
    the builder built: a result the indicator changed is computed again, keeping them."""
    registry = Registry()
    registry.register(
        title="Copied referrals",
        short_title="Copied referrals",
        family=Family.CHILDREN_IN_NEED,
        unit="referral",
        polarity=Polarity.CONTEXT,
        sources=("test",),
        kind=ValueKind.COUNT,
    )(_copied_referrals)
    day = dt.date(2024, 5, 1)
    bundle = Bundle(referrals=tuple(Referral(c, day) for c in ("A", "B", "B", "C")))
    lookup = Lookup({"A": "x", "B": "y"})
    got = series(bundle, [Period.month(2024, 5)], registry=registry, by=lookup)
    assert [(c.group, c.numerator) for c in got.cells] == [("x", 1), ("y", 2), ("unassigned", 1)]


def test_a_dated_lookup_groups_alike_with_and_without_outcomes() -> None:
    """A breakdown by a lookup whose rows change on a date puts each decision in the group
    of its event date, whether outcomes are kept or not (summary mode once placed a started
    period of care with no record, hence in the child's group at the period end)."""
    bundle = attrs.evolve(synthetic.generate(0.1, first_year=2022, years=3, seed=7), sources=())
    children = sorted({r.child_id for n in ("referrals", "episodes") for r in getattr(bundle, n)})
    rows: list[LookupRow] = []
    for i, cid in enumerate(children):
        if i % 3 == 0:  # moves team on 1 October 2024
            rows.append(LookupRow(cid, f"team {i % 4}", None, dt.date(2024, 9, 30)))
            rows.append(LookupRow(cid, f"team {(i + 1) % 4}", dt.date(2024, 10, 1), None))
        elif i % 7:
            rows.append(LookupRow(cid, f"team {i % 4}", None, None))
    lookup = Lookup(rows, name="team")
    for periods in ([Period.financial_year(2024)], monthly_periods("2025-03", 2)):
        fast = series(bundle, periods, by=lookup)
        full = series(bundle, periods, by=lookup, outcomes=True)

        def cells(s: Any) -> dict[tuple[str, str, str | None], tuple[Any, ...]]:
            return {
                (c.indicator, c.period.label, c.group): (c.numerator, c.denominator, c.status)
                for c in s.cells
            }

        assert cells(fast) == cells(full)
    started = {c.group: c.numerator for c in fast.cells if c.indicator == "lac_started"}
    assert sum(v or 0 for v in started.values()) > 0
