"""Benchmarking on the command line: targets, RAG, direction of travel and comparators on the
example authority, the ChAT layout, and every mistake as one line."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators.cli import main
from csc_indicators.example import (
    EXAMPLE_AUTHORITY,
    EXAMPLE_NEIGHBOURS,
    example_benchmarking_paths,
    example_paths,
)
from csc_indicators.provenance import skip_comments

E = "csc-indicators: error: "
TARGETS, COMPARATORS = example_benchmarking_paths()
DOCS = Path(__file__).resolve().parents[1] / "docs"

KEYS = (
    "target",
    "rag",
    "direction",
    "direction_published",
    "england",
    "region",
    "comparator",
    "comparator_mean",
    "published",
    "quartile_band",
    "rank",
    "rank_of",
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def example_scorecard(*more: str) -> list[str]:
    """``scorecard`` on the example authority's files."""
    cin, ssda903 = example_paths()
    return ["scorecard", *(a for c in cin for a in ("--cin", c)), "--ssda903", *ssda903, *more]


def by_indicator(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["indicator"]: row for row in payload["indicators"]}


# -- the example authority, in every format -------------------------------------------------------


def test_demo_benchmark_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["demo", "--benchmark", "--format", "json"], capsys)
    assert (status, err) == (0, "")
    payload = json.loads(out)
    rows = by_indicator(payload)
    for row in payload["indicators"]:
        assert set(KEYS) <= set(row), row["indicator"]
    repeat = rows["repeat_cp_plans"]  # 23.5% this year, lower is better
    assert {k: repeat[k] for k in KEYS} == {
        "target": 20.0,
        "rag": "red",
        "direction": None,  # one CIN census: no 2023-24 figure to compare with
        "direction_published": "worse",
        "england": 23.8,
        "region": 22.5,
        "comparator": 21.3,
        "comparator_mean": 22.4,
        "published": 16.0,
        "quartile_band": "A",
        "rank": 1,
        "rank_of": 11,
    }
    assert repeat["position"] == "below" and repeat["position_rating"] == "better"
    a1 = rows["adoption_a1"]
    assert (a1["rounded_value"], a1["previous"], a1["direction"]) == (462, 678, "better")
    assert (a1["rag"], a1["quartile_band"], a1["rank"], a1["rank_of"]) == ("green", "D", 10, 10)
    missing = rows["lac_missing_incident"]
    assert (missing["rag"], missing["target"], missing["amber_tolerance"]) == ("green", 10.0, 1.5)
    leavers = rows["care_leavers_19_21_eet"]  # published figure suppressed: its symbol, never 0
    assert leavers["published"] == "c"
    assert leavers["quartile_band"] is None and leavers["direction_published"] is None
    referrals = rows["referrals_received"]  # nothing in the files for it
    assert all(referrals[k] is None for k in KEYS)
    header = payload["benchmarking"]
    assert header["authority"] == {
        "name": "Example Borough",
        "new_la_code": "E06000999",
        "old_la_code": "999",
        "region": "Example region",
    }
    assert header["comparator_group"]["members"] == list(EXAMPLE_NEIGHBOURS)
    assert header["previous_period"] == "2023-24"
    assert header["published_periods"] == ["2023-24"]
    assert header["targets"] == TARGETS and header["comparators"] == COMPARATORS


def test_scorecard_with_files_matches_demo_benchmark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    neighbours = tmp_path / "neighbours.txt"
    neighbours.write_text("# statistical neighbours\n" + "\n".join(EXAMPLE_NEIGHBOURS) + "\n\n")
    args = example_scorecard(
        "--targets", TARGETS, "--comparators", COMPARATORS, "--authority", "E06000999",
        "--neighbours", str(neighbours), "--format", "json",
    )  # fmt: skip
    status, out, err = run(args, capsys)
    assert (status, err) == (0, "")
    mine = by_indicator(json.loads(out))
    _, demo, _ = run(["demo", "--benchmark", "--format", "json"], capsys)
    assert mine == by_indicator(json.loads(demo))


def test_names_and_codes_name_the_same_authority(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["demo", "--comparators", COMPARATORS, "--format", "json", "--indicator", "adoption_a1"]
    found = []
    for authority in ("999", "E06000999", "example borough"):
        _, out, _ = run([*base, "--authority", authority, "--neighbours", "Ashcombe, 993"], capsys)
        row = by_indicator(json.loads(out))["adoption_a1"]
        found.append((row["published"], row["comparator"], row["comparator_count"]))
    assert found == [(678.0, 415, 2)] * 3  # the median of 431 and 398, 414.5, rounded half up


def test_csv_carries_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["demo", "--benchmark", "--format", "csv"], capsys)
    rows = {r["indicator"]: r for r in csv.DictReader(skip_comments(io.StringIO(out)))}
    header = next(skip_comments(out.splitlines())).split(",")
    assert set(KEYS) <= set(header)
    assert header.index("issues") < header.index("target")  # the scorecard's columns first
    row = rows["assessments_within_45_working_days"]
    assert (row["rag"], row["england"], row["quartile_band"], row["rank"]) == (
        "red",
        "82.7",
        "C",
        "7",
    )
    assert rows["care_leavers_19_21_eet"]["published"] == "c"
    assert rows["three_or_more_placements"]["quartiles"] == "8;10;11"


def test_without_benchmarking_the_output_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["demo", "--format", "csv"], capsys)
    assert "rag" not in next(skip_comments(out.splitlines())).split(",")
    _, out, _ = run(["demo", "--format", "json"], capsys)
    assert "benchmarking" not in json.loads(out)
    _, out, _ = run(["demo"], capsys)
    assert "Benchmarking" not in out


def table_lines(out: str) -> list[str]:
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100, max(lines, key=len)
    return lines


def test_table_fits_100_columns_and_rates_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["demo", "--benchmark"], capsys)
    assert status == 0
    lines = table_lines(out)
    start = lines.index("Benchmarking: Example Borough (999, E06000999), Example region")
    head = lines.index("Indicator", start) + 1
    assert lines[head].split() == [
        "Value", "Target", "RAG", "Trend", "vs", "pub", "Pub", "England", "Region", "Comp",
        "Mean", "Band", "Rank",
    ]  # fmt: skip
    title = lines.index("Repeat CP plans (ever)", start)
    assert lines[title + 1].split() == [
        "23.5", "20", "red", "-", "worse", "16.0", "23.8", "22.5", "21.3", "22.4", "A", "1/11",
    ]  # fmt: skip
    title = lines.index("LAC with a missing incident", start)
    # looked-after percentages are published (and rated) as whole numbers: 10.3% is 10%
    assert lines[title + 1].split()[:4] == ["10", "10", "green", "better"]


def test_markdown_section(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["demo", "--benchmark", "--format", "markdown"], capsys)
    assert "### Benchmarking: Example Borough (999, E06000999), Example region" in out
    assert (
        "| A1: average days between entering care and moving in with the adoptive family "
        "| 462 | 480 | green | better | better | 678 | 478 | 462 | 431 | 446 | D | 10/10 |"
    ) in out


def test_only_the_columns_the_inputs_fill(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["demo", "--targets", TARGETS, "--indicator", "repeat_cp_plans"], capsys)
    lines = table_lines(out)
    head = lines.index("Indicator", lines.index("Benchmarking")) + 1
    assert lines[head].split() == ["Value", "Target", "RAG", "Trend"]
    assert lines[head + 3].split() == ["23.5", "20", "red", "-"]


def test_compare_previous(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["demo", "--format", "json", "--indicator", "lac_at_period_end"]
    _, out, _ = run([*args, "--compare-previous"], capsys)
    row = by_indicator(json.loads(out))["lac_at_period_end"]
    assert (row["rounded_value"], row["previous"], row["direction"]) == (20, 20, "same")
    assert row["target"] is None and row["england"] is None
    _, out, _ = run([*args, "--benchmark", "--no-compare-previous"], capsys)
    payload = json.loads(out)
    assert payload["benchmarking"]["previous_period"] is None
    assert all(r["direction"] is None for r in payload["indicators"])
    _, out, _ = run(
        ["demo", "--period", "Q3:2024", "--compare-previous", "--format", "json"], capsys
    )
    assert json.loads(out)["benchmarking"]["previous_period"] == "Q2 2024-25"


# -- the ChAT layout ------------------------------------------------------------------------------


def test_chat_layout_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["demo", "--benchmark", "--layout", "chat"], capsys)
    assert status == 0
    lines = table_lines(out)
    assert lines[0] == "ChAT summary 2024-25: Example Borough (999, E06000999)"
    assert "Latest 2024-25" in lines[4] and "Published 2023-24" in lines[4]
    row = next(line for line in lines if line.startswith("A1: days from care"))
    assert row.split()[-7:] == ["462", "better", "678", "431", "478", "above", "(worse)"]
    assert "36 other indicators have no published figure in comparators.csv." in lines


def test_chat_layout_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["demo", "--benchmark", "--layout", "chat", "--format"]
    _, out, _ = run([*base, "json"], capsys)
    payload = json.loads(out)
    rows = {r["indicator"]: r for r in payload["rows"]}
    assert len(rows) == 10
    assert rows["rereferrals_within_12_months"] == {
        "indicator": "rereferrals_within_12_months",
        "title": "Re-referrals within 12 months of a previous referral",
        "period": "2024-25",
        "latest": 18.8,
        "direction": None,
        "published_period": "2023-24",
        "published": 26.8,
        "comparator": 19.5,
        "comparator_name": "statistical neighbours",
        "england": 22.4,
        "position": "above",
        "position_rating": "worse",
    }
    _, out, _ = run([*base, "csv"], capsys)
    csv_rows = list(csv.DictReader(skip_comments(io.StringIO(out))))
    assert [r["indicator"] for r in csv_rows] == list(rows)
    assert csv_rows[-1]["direction"] == "better" and csv_rows[-2]["published"] == "c"
    _, out, _ = run([*base, "markdown"], capsys)
    assert (
        "| Care leavers aged 19-21 in education, employment or training "
        "| 75 | - | c | 58 | 55.6 | - |"
    ) in out


# -- mistakes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--authority", "999"], "--authority needs --comparators FILE"),
        (["--neighbours", "991,993"], "--neighbours needs --comparators FILE"),
        (["--layout", "chat"], "--layout chat needs --comparators FILE"),
        (["--layout", "chat", "--targets", TARGETS], "--layout chat needs --comparators FILE"),
        (["--benchmark", "--targets", TARGETS], "--benchmark and --targets: --benchmark uses"),
        (["--comparators", COMPARATORS, "--authority", "123"], "--authority 123: no local "),
        (["--comparators", COMPARATORS, "--neighbours", "991,,993"], "an empty code"),
        (["--comparators", COMPARATORS, "--neighbours", "991, 991"], "991 is given twice"),
        (["--comparators", COMPARATORS, "--neighbours", ","], "give codes separated by commas"),
        (["--comparators", COMPARATORS, "--neighbours", "991,12"], "--neighbours 12: no local"),
        (["--comparators", COMPARATORS, "--authority", " "], "--authority: give a code"),
        (["--layout", "grid"], "argument --layout: invalid choice: 'grid'"),
    ],
)
def test_option_mistakes_are_status_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["demo", *args], capsys)
    assert (status, out) == (2, "")
    assert err.startswith(E) and message in err and err.count("\n") == 1, err


def test_a_bad_authority_lists_the_authorities(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(["demo", "--comparators", COMPARATORS, "--authority", "Nowhere"], capsys)
    assert f"'Nowhere' in {COMPARATORS} (it has Example Borough (999, E06000999)," in err


def test_scorecard_checks_before_reading_the_returns(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["scorecard", "--cin", "missing.xml", "--authority", "999"], capsys)
    assert status == 2 and "--authority needs --comparators" in err
    status, _, err = run(
        ["scorecard", "--cin", "missing.xml", "--targets", "missing-targets.csv"], capsys
    )
    assert status == 1 and err.startswith(E + "missing-targets.csv: cannot open the file")


@pytest.mark.parametrize(
    ("option", "text", "where"),
    [
        (
            "--targets",
            "indicator,target,amber_tolerance\nrepeat_cp_plans,20,2\nadoption_a1,lots,3\n",
            ":line 3: target: not a number (got 'lots')",
        ),
        (
            "--targets",
            "indicator,target\nnope,20\n",
            ":line 2: indicator: ",
        ),
        (
            "--comparators",
            "time_period,geographic_level,repeat_cp_plans\n202324,National,23.8\n"
            "202324,National,n/a\n",
            ":line 3: repeat_cp_plans: not a number or a suppression symbol",
        ),
    ],
)
def test_a_bad_file_names_file_line_and_column(
    tmp_path: Path, option: str, text: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    status, out, err = run(["demo", option, str(path)], capsys)
    assert (status, out) == (1, "")
    assert err.startswith(f"{E}{path}{where}") and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("991\n\n# a comment\n12\n", ":line 4: no local authority '12' in "),
        ("991\n993\n991\n", ":line 3: 991 is already on line 1"),
        ("991,993\n", ":line 1: one authority code or name per line (got '991,993')"),
        ("\n# nothing\n", ": no authority codes (one per line)"),
    ],
)
def test_a_bad_neighbours_file(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "neighbours.txt"
    path.write_text(text)
    status, _, err = run(["demo", "--comparators", COMPARATORS, "--neighbours", str(path)], capsys)
    assert status == 1
    assert err.startswith(f"{E}{path}{message}") and err.count("\n") == 1, err


def test_a_missing_or_unreadable_neighbours_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["demo", "--comparators", COMPARATORS, "--neighbours"]
    status, _, err = run([*base, "nope.txt"], capsys)
    assert status == 1 and err.startswith(E + "nope.txt: no such file (--neighbours takes")
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"991\nCr\xe9ton\n")
    status, _, err = run([*base, str(path)], capsys)
    assert status == 1 and err.startswith(f"{E}{path}:line 2: not UTF-8 text"), err


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("scorecard", "demo"):
        assert main([command, "--help"]) == 0
        out = capsys.readouterr().out
        for option in ("--targets", "--comparators", "--authority", "--neighbours",
                       "--compare-previous", "--no-compare-previous", "--layout"):  # fmt: skip
            assert option in out
    assert "--benchmark" in out and EXAMPLE_AUTHORITY in out


_WORDS = st.sampled_from(
    ["--benchmark", "--targets", "--comparators", "--authority", "--neighbours", "--layout",
     "chat", "standard", "--compare-previous", "--no-compare-previous", "--format", "json",
     "csv", "markdown", "999", "991,993", ",", "nope", TARGETS, COMPARATORS, "--indicator",
     "adoption_a1", "--period", "Q3:2024", "--year", "2023"]
)  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=st.lists(st.one_of(_WORDS, st.text(max_size=6)), max_size=7))
def test_random_benchmarking_options_never_escape(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(["demo", *words], capsys)
    assert status in (0, 1, 2), (words, status, err)
    assert "Traceback" not in err and "unexpected" not in err, (words, err)
    if status:
        assert err.startswith(E) and err.count("\n") == 1, (words, err)


# -- the documentation shows real output ----------------------------------------------------------


def versionless(text: str) -> str:
    """``text`` with the versions of csc_indicators and holidays (in the provenance) replaced:
    the pages show the output of the versions they were written with."""
    return re.sub(r"\b(csc_indicators|holidays) \d[\w.+-]*", r"\1 VERSION", text)


_SHOWN = re.compile(
    r"```bash\n(csc-indicators demo [^`]*?)```\n+```text\n(.*?)```",
    re.S,
)


@pytest.mark.parametrize("page", ["command-line.md", "benchmarking.md"])
def test_the_docs_show_real_output(page: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each command shown with its output gives that output: all of it, or the pieces shown
    between lines of ``...`` in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    shown = _SHOWN.findall(text)
    assert shown, page
    for command, output in shown:
        args = shlex.split(command.replace("\\\n", " "))[1:]
        status, out, err = run(args, capsys)
        assert (status, err) == (0, "")
        out, output = versionless(out), versionless(output)
        pieces = [p for p in re.split(r"^\.\.\.\n", output, flags=re.M) if p]
        if len(pieces) == 1 and not output.startswith("..."):
            assert out == output, command
            continue
        at = 0
        for piece in pieces:
            found = out.find(piece, at)
            assert found >= 0, (command, piece)
            at = found + len(piece)
