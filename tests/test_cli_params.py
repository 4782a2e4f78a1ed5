"""Parameters and provenance in every output: ``scorecard(parameters=...)``, ``--param`` on
scorecard, demo, explain and report, and what each output says it was computed with."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import csc_indicators
from csc_indicators import INDICATORS, DayCount, Period, example_bundle, scorecard
from csc_indicators.cli import main
from csc_indicators.cli.render import add_provenance
from csc_indicators.params import ParameterError, check_parameters, parse_assignments
from csc_indicators.provenance import provenance, skip_comments

ASSESS = "assessments_within_45_working_days"
FY24 = Period.financial_year(2024)
SET = f"{ASSESS}.limit=40"
ONE = ["demo", "--indicator", ASSESS]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- the API ------------------------------------------------------------------------------------


def test_scorecard_passes_each_indicator_its_parameters() -> None:
    bundle = example_bundle()
    wanted = (ASSESS, "icpcs_within_15_working_days")
    plain = scorecard(bundle, FY24, indicators=wanted)
    card = scorecard(
        bundle,
        FY24,
        indicators=wanted,
        parameters={ASSESS: {"limit": 40, "convention": DayCount.EXCLUSIVE_END}},
    )
    assert card[ASSESS].parameters["limit"] == 40
    assert card[ASSESS].numerator < plain[ASSESS].numerator
    assert card[ASSESS].denominator == plain[ASSESS].denominator
    assert card["icpcs_within_15_working_days"] == plain["icpcs_within_15_working_days"]
    assert provenance(card.results).assignments == (
        f"{ASSESS}.limit=40",
        f"{ASSESS}.convention=EXCLUSIVE_END",
    )


def test_parameters_in_parallel_give_the_same_figures() -> None:
    bundle = example_bundle()
    given = {ASSESS: {"limit": 40}}
    one = scorecard(bundle, FY24, indicators=(ASSESS,), parameters=given, outcomes=False)
    two = scorecard(bundle, FY24, indicators=(ASSESS,), parameters=given, outcomes=False, workers=2)
    assert (one[ASSESS].numerator, one[ASSESS].denominator) == (
        two[ASSESS].numerator,
        two[ASSESS].denominator,
    )


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"assessments_within_45": {"limit": 40}},
            f"no indicator 'assessments_within_45' here (did you mean {ASSESS}?)",
        ),
        (
            {ASSESS: {"limt": 40}},
            f"{ASSESS} has no parameter 'limt': {ASSESS} takes limit (a "
            "whole number); convention (one of EXCLUSIVE_START, EXCLUSIVE_END, "
            "INCLUSIVE_MINUS_ONE)",
        ),
        ({"referrals_received": {"population": 5}}, "population=N, --population N"),
        ({ASSESS: 40}, "must map parameter names to values"),
    ],
)
def test_unknown_ids_and_names_say_what_is_accepted(parameters: object, message: str) -> None:
    with pytest.raises(ParameterError) as info:
        scorecard(example_bundle(), FY24, parameters=parameters)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_check_parameters_drops_empty_entries() -> None:
    assert check_parameters({ASSESS: {}}, INDICATORS) == {}
    assert check_parameters(None, INDICATORS) == {}


def test_a_bare_name_of_different_types_is_ambiguous() -> None:
    specs = {i: INDICATORS[i] for i in ("rereferrals_within_12_months", "three_or_more_placements")}
    with pytest.raises(ParameterError, match="window means different things here"):
        parse_assignments(["window=2 years"], specs)
    got = parse_assignments(["three_or_more_placements.window=period"], specs)
    assert got == {"three_or_more_placements": {"window": "period"}}


# -- every output of the commands ---------------------------------------------------------------


def test_the_table_footer_names_the_parameter_and_the_figure_follows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, before, _ = run(ONE, capsys)
    assert status == 0 and "78.5%" in before
    assert "  parameters: all defaults\n" in before
    status, out, _ = run([*ONE, "--param", SET], capsys)
    assert status == 0
    assert "66.1%" in out and "78.5%" not in out
    footer = out[out.index("Computed with:") :].splitlines()
    assert footer[1] == f"  csc_indicators {csc_indicators.__version__}"
    assert footer[2].startswith("  calendar: England and Wales bank holidays; holidays ")
    assert footer[-1] == f"  parameter: {SET} (default 45)"
    assert max(len(line) for line in out.splitlines()) <= 100


def test_csv_leads_with_comment_lines(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run([*ONE, "--param", SET, "--format", "csv"], capsys)
    assert status == 0
    comments = [line for line in out.splitlines() if line.startswith("#")]
    assert comments[0] == f"# csc_indicators {csc_indicators.__version__}"
    assert f"# parameter: {SET} (default 45)" in comments
    assert out.splitlines()[: len(comments)] == comments  # leading
    rows = list(csv.DictReader(skip_comments(io.StringIO(out))))
    assert [(r["indicator"], r["rounded_value"]) for r in rows] == [(ASSESS, "66.1")]


def test_pandas_reads_the_csv_with_comment(capsys: pytest.CaptureFixture[str]) -> None:
    pandas = pytest.importorskip("pandas")
    status, out, _ = run([*ONE, "--param", SET, "--format", "csv"], capsys)
    assert status == 0
    frame = pandas.read_csv(io.StringIO(out), comment="#")
    assert list(frame["indicator"]) == [ASSESS]


def test_json_has_a_provenance_object(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run([*ONE, "--param", SET, "--format", "json"], capsys)
    assert status == 0
    payload = json.loads(out)
    assert payload["indicators"][0]["rounded_value"] == 66.1
    prov = payload["provenance"]
    assert prov["version"] == csc_indicators.__version__
    assert prov["calendar"]["first_date"] == "2000-01-01"
    assert prov["calendar"]["last_date"] == "2035-12-31"
    assert prov["parameters"] == [
        {"indicator": ASSESS, "name": "limit", "value": "40", "default": "45"}
    ]


def test_markdown_ends_with_a_section(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run([*ONE, "--param", SET, "--format", "markdown"], capsys)
    assert status == 0
    section = out[out.index("### Computed with") :]
    assert f"- parameter: `{SET}` (default 45)\n" in section
    assert "| 66.1% |" in out


def test_a_bare_name_applies_to_every_indicator_run_that_has_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [*ONE, "--indicator", "icpcs_within_15_working_days", "--param", "limit=40"]
    status, out, _ = run([*argv, "--format", "json"], capsys)
    assert status == 0
    changed = {(p["indicator"], p["value"]) for p in json.loads(out)["provenance"]["parameters"]}
    assert changed == {(ASSESS, "40"), ("icpcs_within_15_working_days", "40")}


def test_the_chat_layout_carries_provenance_too(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["demo", "--benchmark", "--layout", "chat", "--indicator", ASSESS, "--param", SET]
    status, out, _ = run(argv, capsys)
    assert status == 0
    assert f"  parameter: {SET} (default 45)" in out
    status, out, _ = run([*argv, "--format", "json"], capsys)
    assert json.loads(out)["provenance"]["parameters"][0]["value"] == "40"


def test_population_is_named_once(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["demo", "--indicator", "referrals_received", "--population", "52000"]
    status, out, _ = run([*argv, "--format", "json"], capsys)
    assert status == 0
    prov = json.loads(out)["provenance"]
    assert prov["parameters"] == [] and prov["population"] == 52000


def test_explain_writes_the_provenance_as_comment_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from csc_indicators.example import example_paths

    cin, _ = example_paths()
    argv = ["explain", ASSESS, "--cin", cin[0], "--year", "2024", "--param", "limit=40"]
    status, out, _ = run(argv, capsys)
    assert status == 0
    assert out.startswith(f"# csc_indicators {csc_indicators.__version__}\n")
    assert f"# parameter: {SET} (default 45)\n" in out
    rows = list(csv.DictReader(skip_comments(io.StringIO(out))))
    met = sum(r["met"] == "true" for r in rows if r["counted"] == "true")
    assert met == 80


def test_the_report_header_names_the_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("jinja2")
    out = tmp_path / "r.html"
    argv = ["report", "--example", "--indicator", ASSESS, "--out", str(out), "--param", SET]
    status, _, err = run(argv, capsys)
    assert (status, err) == (0, "")
    page = out.read_text(encoding="utf-8")
    assert f"parameter: {SET} (default 45)" in page
    assert "66.1" in page and "78.5" not in page


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([*ONE, "--param", "limt=40"], f"{ASSESS} has no parameter 'limt': {ASSESS} takes limit"),
        (
            ["demo", "--param", "limt=40"],
            "indicators has a parameter 'limt' (did "
            "you mean limit?); their parameters are adoption_clause,",
        ),
        (["demo", "--param", "window=2 years"], "window means different things here"),
        ([*ONE, "--param", "limit=forty"], "limit='forty': expected a whole number"),
        ([*ONE, "--param", "population=5"], "--population N"),
        ([*ONE, "--param", "nope.limit=5"], "no indicator 'nope' here (have: " + ASSESS + ")"),
        (["explain", ASSESS, "--cin", "x.xml", "--param", "limt=1"], "has no parameter 'limt'"),
        (["report", "--example", "--out", "r.html", "--param", "x=1"], "has a parameter 'x'"),
    ],
)
def test_a_wrong_param_is_one_line_and_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2 and out == ""
    assert err.startswith("csc-indicators: error: --param ") and err.count("\n") == 1
    assert message in err


def test_add_provenance_leaves_text_alone_without_one() -> None:
    assert add_provenance("a,b\n", "csv", None) == "a,b\n"
    prov = provenance()
    assert json.loads(add_provenance("[1]", "json", prov)) == {
        "data": [1],
        "provenance": prov.to_dict(),
    }


def test_the_docs_show_the_real_param_errors(capsys: pytest.CaptureFixture[str]) -> None:
    import re
    import shlex

    page = (Path(__file__).resolve().parents[1] / "docs" / "command-line.md").read_text()
    shown = re.findall(r"^\$ (csc-indicators demo [^\n]*--param[^\n]*)\n([^\n]*)\n", page, re.M)
    assert len(shown) >= 2
    for command, error in shown:
        status, _, err = run(shlex.split(command)[1:], capsys)
        assert (status, err) == (2, error + "\n"), command


def test_a_value_with_a_hash_survives_a_reader_skipping_comments() -> None:
    from csc_indicators.cli.render import csv_text

    prov = provenance()
    text = add_provenance(csv_text([{"a": "C#1", "b": 2}, {"a": "x", "b": 3}]), "csv", prov)
    assert '"C#1","2"\nx,3\n' in text
    rows = list(csv.DictReader(skip_comments(io.StringIO(text))))
    assert [r["a"] for r in rows] == ["C#1", "x"]
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(text), comment="#")
    assert list(frame["a"]) == ["C#1", "x"] and list(frame["b"]) == [2, 3]
