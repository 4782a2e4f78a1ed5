"""``csc-indicators series``: real figures on the example authority (each cell as the
scorecard gives it), coverage in every format, breakdowns, benchmarking, the table's width, the
option mistakes, and the documentation's real output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from csc_indicators import Period, example_bundle, scorecard
from csc_indicators.cli import main
from csc_indicators.example import example_teams_path
from csc_indicators.provenance import skip_comments

DOCS = Path(__file__).resolve().parents[1] / "docs"
E = "csc-indicators: error: "
TWO = ["--indicator", "assessments_within_45_working_days", "--indicator", "lac_at_period_end"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def rows_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    status, out, err = run(["series", "--example", *args, "--format", "json"], capsys)
    assert (status, err) == (0, "")
    rows: list[dict[str, Any]] = json.loads(out)["rows"]
    return rows


@pytest.fixture(scope="module")
def bundle() -> Any:
    return example_bundle()


def test_each_cell_is_the_scorecards_figure(
    bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = rows_of(["--to", "2025-03", "--months", "3", *TWO], capsys)
    assert len(rows) == 2 * 3 * 3
    keys = {"indicator", "kind", "period_start", "period_end", "label", "group", "numerator"}
    assert keys | {"denominator", "value", "status", "reason"} <= set(rows[0])
    for row in rows:
        period = Period.parse(row["label"])
        assert period.start.isoformat() == row["period_start"]
        card = scorecard(bundle, period, indicators=(row["indicator"],), outcomes=False)
        if row["status"] == "computed":
            (result,) = card.results
            assert (row["numerator"], row["denominator"]) == (result.numerator, result.denominator)
            assert row["value"] == pytest.approx(result.value)
            assert row["group"] is None
        else:
            (missing,) = card.not_computed
            assert row["reason"] == missing.reason
    # the documented figures
    ytd = next(r for r in rows if r["label"] == "YTD February 2025" and r["numerator"])
    assert (ytd["numerator"], ytd["denominator"], ytd["rounded_value"]) == (88, 114, 77.2)


def test_the_to_month_takes_the_period_forms(capsys: pytest.CaptureFixture[str]) -> None:
    a = rows_of(["--to", "2025-03", "--months", "1", *TWO], capsys)
    b = rows_of(["--to", "March 2025", "--months", "1", *TWO], capsys)
    c = rows_of(["--months", "1", *TWO], capsys)  # default: the last month the data cover
    assert a == b == c
    kinds = rows_of(
        ["--to", "2025-03", "--months", "1", "--kind", "rolling-12", "month", *TWO], capsys
    )
    assert [r["kind"] for r in kinds[:2]] == ["rolling 12 months", "in month"]


BEFORE = ["--to", "2024-03", "--months", "1", "--kind", "in-month"]
BEFORE += ["--indicator", "assessments_within_45_working_days"]
REASON = "the CIN census data cover 1 April 2024 to 31 March 2025; the period starts 1 March 2024"


def test_a_month_before_the_data_is_not_computed_with_the_reason_in_every_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (row,) = rows_of(BEFORE, capsys)
    assert (row["status"], row["reason"], row["value"]) == ("not computed", REASON, None)
    _, out, _ = run(["series", "--example", *BEFORE, "--format", "csv"], capsys)
    (line,) = csv.DictReader(skip_comments(io.StringIO(out)))  # provenance: '#' lines first
    assert (line["status"], line["reason"], line["value"]) == ("not computed", REASON, "")
    head = "the CIN census data cover 1 April 2024 to 31 March 2025"
    _, table, _ = run(["series", "--example", *BEFORE], capsys)
    assert re.search(r"^In month +-$", table, re.M), table
    assert f"In month, Mar 24: {head} (1 indicator)" in table
    _, markdown, _ = run(["series", "--example", *BEFORE, "--format", "markdown"], capsys)
    assert "| In month | - |" in markdown
    assert f"- In month, Mar 24: {head} (1 indicator)" in markdown


def test_by_a_lookup_puts_children_it_misses_in_unassigned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lookup = tmp_path / "teams.csv"
    lookup.write_text("child_id,team\nSYNL0000001,Blue\nSYNL0000002,Red\n", encoding="utf-8")
    args = ["--to", "2025-03", "--months", "1", "--kind", "ytd", "--indicator"]
    rows = rows_of([*args, "lac_at_period_end", "--by", f"team={lookup}"], capsys)
    assert [r["group"] for r in rows] == [None, "Blue", "Red", "unassigned"]
    total, *groups = rows
    assert total["numerator"] == 20
    assert sum(g["numerator"] for g in groups) == total["numerator"]
    assert groups[-1]["numerator"] >= 18


def test_by_the_example_teams(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--to", "2025-03", "--months", "1", "--kind", "ytd", *TWO, "--by", "team"]
    rows = rows_of(args, capsys)
    groups = [r["group"] for r in rows if r["indicator"] == "lac_at_period_end"]
    assert groups == [None, "East", "North", "South", "West", "unassigned"]
    same = rows_of([*args[:-1], f"team={example_teams_path()}"], capsys)
    assert same == rows
    for ident in ("lac_at_period_end", "assessments_within_45_working_days"):
        total, *parts = [r for r in rows if r["indicator"] == ident]
        assert sum(p["numerator"] for p in parts) == total["numerator"]


def test_benchmarking_keys_on_every_cell(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--to", "2025-03", "--months", "2", "--kind", "ytd", "--benchmark"]
    rows = rows_of([*args, "--indicator", "assessments_within_45_working_days"], capsys)
    keys = ("target", "rag", "direction", "england", "region", "comparator", "published")
    assert all(set(keys) | {"quartile_band", "rank"} <= set(r) for r in rows)
    feb, mar = rows
    assert (feb["rounded_value"], mar["rounded_value"]) == (77.2, 78.5)
    assert (feb["target"], feb["rag"], mar["rag"]) == (85.0, "red", "red")
    # the first month's direction compares with January, computed for it
    assert (feb["direction"], mar["direction"]) == ("better", "better")
    assert (feb["previous"], mar["previous"]) == (76.9, 77.2)
    # annual published figures, attached to each cell
    assert feb["england"] == mar["england"] == 82.7
    assert feb["published_period"] == "2023-24"
    _, out, _ = run(["series", "--example", *args, "--format", "json"], capsys)
    assert "annual published figures" in json.loads(out)["benchmarking"]["comparators_note"]


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_the_table_fits_100_columns_and_wraps_24_months(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, table, err = run(
        ["series", "--example", "--by", "team", "--benchmark", "--to", "2025-03"], capsys
    )
    assert (status, err) == (0, "")
    assert _widest(table) <= 100
    heads = [line.split() for line in table.splitlines() if line.startswith("    ")]
    months = [h for h in heads if h and h[0] == "Apr"]
    assert months and all(len(h) == 24 for h in months)  # 12 months side by side
    status, table, err = run(["series", "--example", "--months", "24", *TWO], capsys)
    assert (status, err) == (0, "")
    assert _widest(table) <= 100
    block = table.split("Assessments within 45 working days")[1].split("\n\n\n")[0]
    bands = [line.split() for line in block.splitlines() if line.startswith("    ")]
    assert [(b[0], b[1], len(b)) for b in bands[:2]] == [("Apr", "23", 24), ("Apr", "24", 24)]


def test_markdown_has_one_table_per_indicator(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        ["series", "--example", "--months", "2", *TWO, "--format", "markdown"], capsys
    )
    assert status == 0
    assert out.count("\n### ") == 3  # one table per indicator, then "Computed with"
    assert "\n### Computed with\n" in out
    assert "| | Feb 25 | Mar 25 |" in out


@pytest.mark.parametrize(
    "words",
    [
        ["--to", "2025-13"],
        ["--to", "2024-25"],
        ["--to", "ytd:2025-03"],
        ["--months", "0"],
        ["--months", "-3"],
        ["--months", "1.5"],
        ["--months", "100000"],
        ["--kind", "weekly"],
        ["--kind", "ytd", "year-to-date"],
        ["--by", "nothing"],
        ["--by", "=teams.csv"],
        ["--indicator", "nope"],
        ["--layout", "chat"],
        ["--benchmark"],
        ["--format", "xml"],
    ],
)
def test_option_mistakes_are_one_line_and_exit_2_before_reading(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # a missing input file would be exit status 1: the options are checked first
    status, out, err = run(["series", "--cin", "/no/such/file.xml", *words], capsys)
    assert (status, out) == (2, "")
    assert err.startswith(E) and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_example_with_inputs_or_no_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    for words in (["--example", "--cin", "x.xml"], []):
        status, _, err = run(["series", *words], capsys)
        assert status == 2 and err.startswith(E), err


def test_a_bad_lookup_file_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "teams.csv"
    bad.write_text("child_id,team,from\nA,North,2024-13-01\n", encoding="utf-8")
    status, _, err = run(["series", "--example", "--by", f"team={bad}"], capsys)
    assert status == 1 and err.startswith(E) and "line 2" in err and err.count("\n") == 1


# -- the documentation shows real output ----------------------------------------------------------

_SHOWN = re.compile(
    r"```bash\n(csc-indicators series --example[^`]*?)```\n+```text\n(.*?)```", re.S
)


def test_the_monthly_report_page_shows_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    text = (DOCS / "monthly-report.md").read_text(encoding="utf-8")
    shown = _SHOWN.findall(text)
    assert len(shown) >= 3
    for command, output in shown:
        args = shlex.split(command.replace("\\\n", " "))[1:]
        status, out, err = run(args, capsys)
        assert (status, err) == (0, ""), command
        pieces = [p for p in re.split(r"^\.\.\.\n", output, flags=re.M) if p]
        if len(pieces) == 1 and not output.startswith("..."):
            assert out == output, command
            continue
        at = 0
        for piece in pieces:
            found = out.find(piece, at)
            assert found >= 0, (command, piece)
            at = found + len(piece)


def test_series_takes_parameters_and_records_them(capsys: pytest.CaptureFixture[str]) -> None:
    indicator = "assessments_within_45_working_days"
    args = ["series", "--example", "--to", "2025-03", "--months", "1", "--indicator", indicator]
    assert (
        main([*args, "--kind", "ytd", "--param", f"{indicator}.limit=40", "--format", "json"]) == 0
    )
    payload = json.loads(capsys.readouterr().out)
    (row,) = payload["rows"]
    card = scorecard(
        example_bundle(),
        Period.year_to_date(dt.date(2025, 3, 31)),
        indicators=(indicator,),
        parameters={indicator: {"limit": 40}},
    )
    assert (row["numerator"], row["denominator"]) == (card[indicator].numerator, 121)
    assert row["numerator"] < 95  # the default limit of 45 meets 95 of 121
    assert {"indicator": indicator, "name": "limit", "value": "40", "default": "45"} in payload[
        "provenance"
    ]["parameters"]
    assert main([*args, "--param", "limit=many"]) == 2
    assert "limit='many'" in capsys.readouterr().err
