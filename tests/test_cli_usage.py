"""The command line as a new user meets it: every mistake is one line and exit status 2 (the
options) or 1 (the inputs); never a traceback. Data quality and coverage in the output."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csc_indicators
from csc_indicators import Assessment, Bundle, Child, Episode, Referral
from csc_indicators.cli import main
from csc_indicators.io import write_cin_census, write_ssda903
from csc_indicators.provenance import skip_comments

D = dt.date
SRC = str(Path(csc_indicators.__file__).parent.parent)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A CIN census of 2024-25 with a duplicate referral and an assessment authorised before
    it started; an SSDA903 return of 2024-25; a spreadsheet."""
    root = tmp_path_factory.mktemp("inputs")
    cin = Bundle(
        referrals=(
            Referral("A", D(2024, 5, 1)),
            Referral("A", D(2024, 5, 1)),
            Referral("B", D(2024, 6, 1)),
        ),
        assessments=(
            Assessment("A", D(2024, 5, 10), D(2024, 5, 2)),
            Assessment("B", D(2024, 6, 3), D(2024, 6, 20)),
        ),
    )
    write_cin_census(cin, root / "cin.xml", collection_year=2024, la_code="201")
    la = Bundle(
        children=(Child("C", D(2012, 1, 1), "1"),),
        episodes=(Episode("C", D(2024, 9, 1), "S", "C2", "U1"),),
    )
    write_ssda903(la, root / "903")
    (root / "episodes.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    sheets = root / "sheets"
    sheets.mkdir()
    (sheets / "episodes.xlsx").write_bytes(b"PK\x03\x04")
    return {
        "cin": str(root / "cin.xml"),
        "903": str(root / "903"),
        "xlsx": str(root / "episodes.xlsx"),
        "sheets": str(sheets),
        "root": str(root),
    }


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


E = "csc-indicators: error: "


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scorecard", "--cin", "{cin}", "--indicator", "nope"],
         "--indicator nope: no indicator is registered with that id (`csc-indicators list` "
         "shows them)"),
        (["scorecard", "--cin", "{cin}", "--year", "9999"],
         "argument --year: expected a year such as 2024 (for 2024-25), between 1000 and 9998, "
         "got 9999"),
        (["scorecard", "--cin", "{cin}", "--year", "0"], "between 1000 and 9998, got 0"),
        (["scorecard", "--cin", "{cin}", "--year", "-1"], "between 1000 and 9998, got -1"),
        (["scorecard", "--cin", "{cin}", "--year", "1" + "0" * 400], "between 1000 and 9998"),
        (["scorecard", "--cin", "{cin}", "--year", "2024-25"],
         "argument --year: expected a year such as 2024 (for 2024-25), got '2024-25'"),
        (["demo", "--year", "9999"], "between 1000 and 9998, got 9999"),
        (["scorecard", "--cin", "missing.xml", "--year", "2024", "--period", "2024-12"],
         "--year and --period both name the period: give one (--period 2024-12 already says "
         "which dates)"),
        (["explain", "referrals_received", "--cin", "missing.xml", "--period", "last year"],
         "--period: cannot read 'last year' as a period: expected one of 2024-12, Q3:2024, "
         "ytd:2024-12, 12m:2024-12, 2024-25, 2024-04-01..2025-03-31, 01/04/2024..31/03/2025"),
        (["scorecard", "--cin", "{cin}", "--period", "Q1"],
         "--period Q1: say which year: --period Q1:2024 is quarter 1 of 2024-25"),
        (["scorecard", "--cin", "{cin}", "--period", "2024-02-30..2024-03-01"],
         "--period: cannot read '2024-02-30..2024-03-01' as a period: no such day: '2024-02-30'"),
        (["scorecard", "--cin", "{cin}", "--population", "0"],
         "argument --population: must be a positive whole number, got 0"),
        (["scorecard", "--cin", "{cin}", "--population", "lots"],
         "argument --population: expected a whole number, got 'lots'"),
        (["scorecard", "--cin", "{cin}", "--workers", "0"],
         "argument --workers: must be a positive whole number, got 0"),
        (["scorecard", "--ssda903", "0=/tmp"], "--ssda903 0=/tmp: expected a year"),
        (["scorecard"], "give at least one input: --cin FILE and/or --ssda903 FILE_OR_DIR"),
        (["scorecard", "--format", "yaml", "--cin", "{cin}"],
         "argument --format: invalid choice: 'yaml'"),
        (["explain", "nope", "--cin", "{cin}"],
         "explain nope: no indicator is registered with that id"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
        (["scorecard", "--cin"], "argument --cin: expected one argument"),
    ],
)  # fmt: skip
def test_every_option_mistake_is_one_line_and_status_2(
    files: dict[str, str], args: list[str], message: str
) -> None:
    status, out, err = run([a.format(**files) for a in args])
    assert status == 2 and out == ""
    last = err.splitlines()[-1]
    assert last.startswith(E) and message in last, err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_input_problems_are_one_line_and_status_1(files: dict[str, str]) -> None:
    status, _, err = run(["scorecard", "--ssda903", files["xlsx"]])
    assert (status, err) == (
        1,
        f"{E}{files['xlsx']}: a spreadsheet (.xlsx), not SSDA903 CSV tables or XML: save each "
        "sheet as CSV (or give the XML return)\n",
    )
    status, _, err = run(["scorecard", "--cin", files["xlsx"]])
    assert status == 1 and "a spreadsheet (.xlsx), not a CIN census XML file" in err
    status, _, err = run(["scorecard", "--ssda903", files["sheets"]])
    assert status == 1 and err == (
        f"{E}{files['sheets']}: holds spreadsheets (episodes.xlsx, ...), not SSDA903 CSV tables "
        "or XML: save each sheet as CSV (or give the XML return)\n"
    )
    missing = os.path.join(files["root"], "missing.xml")
    status, _, err = run(["scorecard", "--cin", missing])
    assert status == 1 and err.startswith(E) and missing in err and "\n" not in err[:-1]


def test_version_and_help() -> None:
    status, out, _ = run(["--version"])
    assert (status, out) == (0, f"csc-indicators {csc_indicators.__version__}\n")
    status, out, _ = run(["scorecard", "--help"])
    assert status == 0 and "ytd:2024-12" in out and "YEAR=DIR" in out
    status, out, _ = run(["demo", "--help"])
    assert status == 0 and "--indicator ID" in out  # the docs' demo commands use it


@pytest.mark.parametrize("command", ["demo", "list"])
def test_an_unknown_option_points_at_its_command_help(command: str) -> None:
    status, out, err = run([command, "--workers", "2"])
    assert (status, out) == (2, "")
    assert err == (
        f"{E}unrecognized arguments: --workers 2 (see csc-indicators {command} --help)\n"
    )


def test_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    import csc_indicators.cli.commands as module

    def stop(*_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(module.COMMANDS, "list", stop)
    assert run(["list"]) == (130, "", "csc-indicators: interrupted\n")


def test_an_unexpected_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import csc_indicators.cli.commands as module

    def fail(*_: object) -> int:
        raise OverflowError("date value out of range")

    monkeypatch.setitem(module.COMMANDS, "list", fail)
    monkeypatch.delenv("CSC_INDICATORS_DEBUG", raising=False)
    status, _, err = run(["list"])
    assert (status, err) == (
        1,
        f"{E}unexpected OverflowError: date value out of range (please report it; "
        "CSC_INDICATORS_DEBUG=1 shows where)\n",
    )


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Closed())
    with contextlib.redirect_stderr(err):
        assert main(["list"]) == 1
    assert err.getvalue() == ""


def test_list_into_a_closed_pipe_end_to_end() -> None:
    """`csc-indicators list | head -1`: the reader goes away; no traceback."""
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen(
        [sys.executable, "-m", "csc_indicators", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert err == ""


def test_a_huge_period_is_outside_the_data(files: dict[str, str]) -> None:
    status, out, err = run(
        ["scorecard", "--cin", files["cin"], "--period", "0001-01-01..9999-12-31", "--format",
         "csv"]
    )  # fmt: skip
    assert (status, err) == (0, "")
    rows = list(csv.DictReader(skip_comments(io.StringIO(out))))
    assert {r["status"] for r in rows} == {"not computed"}
    first = next(r for r in rows if r["indicator"] == "assessments_within_45_working_days")
    assert first["reason"].startswith("the CIN census data cover 1 April 2024 to 31 March 2025")


def test_a_year_beyond_the_data_is_not_computed(files: dict[str, str]) -> None:
    status, out, _ = run(["scorecard", "--cin", files["cin"], "--year", "2030"])
    assert status == 0
    assert "(no indicator could be computed)" in out
    assert (
        "  Assessments within 45 working days (assessments_within_45_working_days): "
        "the CIN census data cover 1 April 2024 to 31 March 2025; the period ends 31 March 2031"
    ) in out.replace("\n    ", " ")


def test_data_quality_in_every_format(files: dict[str, str]) -> None:
    base = ["scorecard", "--cin", files["cin"], "--ssda903", files["903"], "--year", "2024"]
    status, out, _ = run([*base, "--format", "csv"])
    assert status == 0
    rows = {r["indicator"]: r for r in csv.DictReader(skip_comments(io.StringIO(out)))}
    a45 = rows["assessments_within_45_working_days"]
    assert (a45["numerator"], a45["denominator"], a45["excluded_bad_data"], a45["issues"]) == (
        "1",
        "1",
        "1",
        "1",
    )
    refs = rows["referrals_received"]
    assert (refs["rounded_value"], refs["excluded_bad_data"], refs["issues"]) == ("2", "1", "1")
    assert rows["lac_at_period_end"]["kind"] == "count"
    _, out, _ = run([*base, "--format", "json"])
    payload = json.loads(out)
    entry = next(
        i for i in payload["indicators"] if i["indicator"] == "assessments_within_45_working_days"
    )
    assert (entry["excluded_bad_data"], entry["issues"]) == (1, 1)
    assert entry["data_issues"] == [
        {
            "kind": "date order",
            "child_id": "A",
            "location": None,
            "field": None,
            "value": None,
            "message": "authorised 2024-05-02, before its start 2024-05-10",
        }
    ]
    assert payload["data"][0]["records"]["referrals"] == 3
    _, out, _ = run([*base, "--format", "markdown"])
    assert (
        "| Assessments completed within 45 working days | 1 | 1 | 100.0% | higher | 1 | 1 |" in out
    )
    assert (
        "- CIN census: 1 April 2024 to 31 March 2025 (1 file): 3 referrals, 2 assessments," in out
    )
    _, out, _ = run(base)
    row = next(line for line in out.splitlines() if line.startswith("Referrals received"))
    assert row.split() == ["Referrals", "received", "2", "context", "1", "1"]


def test_ssda903_stating_the_collection_year(files: dict[str, str]) -> None:
    """`--ssda903 2023=DIR`: the return is 2023-24 whatever its episode dates say."""
    status, out, err = run(["scorecard", "--ssda903", f"2023={files['903']}", "--format", "json"])
    assert (status, err) == (0, "")
    payload = json.loads(out)
    assert {s["collection_year"] for s in payload["sources"]} == {2023}
    assert payload["period"]["name"] == "2023-24"
    assert payload["data"][0]["coverage"] == "1 April 2023 to 31 March 2024"
    status, out, _ = run(["scorecard", "--ssda903", f"2023={files['903']}", "--year", "2024"])
    assert status == 0 and "the SSDA903 data cover 1 April 2023 to 31 March 2024" in out


_WORDS = st.sampled_from(
    ["scorecard", "explain", "demo", "list", "--cin", "--ssda903", "--year", "--period",
     "--population", "--format", "--indicator", "--workers", "--lenient", "--out", "--issues",
     "--version", "-h", "csv", "json", "table", "markdown", "2024", "0", "-1", "9999", "2024-12",
     "Q3:2024", "ytd:2024-12", "2024-04-01..2025-03-31", "0001-01-01..9999-12-31", "nope",
     "referrals_received", "{cin}", "{903}", "{xlsx}", "2023={903}", "", "--", "=", "x=y"]
)  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(["scorecard", "explain", "list", "demo"]),
    words=st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=8),
)
def test_random_options_never_escape(files: dict[str, str], command: str, words: list[str]) -> None:
    args = [command]
    for word in words:
        for key, value in files.items():
            word = word.replace("{" + key + "}", value)
        args.append(word)
    args = [a for a in args if not a.startswith("--out") and a != "--issues"]
    status, _, err = run(args)
    assert status in (0, 1, 2), (args, status, err)
    assert "Traceback" not in err
    assert "unexpected" not in err, (args, err)
    if status:
        assert err.startswith(E) and err.endswith("\n") and err.count("\n") == 1, (args, err)


def test_list_shows_published_codes_and_rounding_in_every_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["list"]) == 0
    table = capsys.readouterr().out
    at = table.index("three_or_more_placements\n")
    entry = table[at : table.index("\n", table.index("shown as", at))]
    assert entry.endswith("shown as %, whole numbers; LAIT 372, EES CLA placement stability")
    assert main(["list", "--format", "markdown"]) == 0
    row = next(
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("| `assessments_within_45_working_days`")
    )
    assert "| %, 1 decimal place | LAIT 304, EES C2 |" in row
    assert main(["list", "--format", "json"]) == 0
    entries = {e["id"]: e for e in json.loads(capsys.readouterr().out)}
    assert (
        entries["three_or_more_placements"]["lait_code"],
        entries["adoption_a1"]["decimals"],
    ) == (
        372,
        0,
    )
    assert main(["list", "--format", "csv"]) == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (rows["three_or_more_placements"]["lait_code"], rows["adoption_a1"]["unit_shown"]) == (
        "372",
        "days",
    )


def test_a_wrapped_title_is_indented_under_its_row() -> None:
    """A title too long for its column goes on under it, indented, so that its last words do
    not read as another indicator."""
    args = ["demo", "--indicator", "adoption_a10", "--indicator", "referrals_received"]
    status, out, _ = run(args)
    assert status == 0
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("A10: "))
    assert lines[at + 1] == "  adoptions"
    assert max(len(line) for line in lines) <= 100


def test_a_directory_given_as_the_census_is_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scorecard", "--cin", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"csc-indicators: error: {tmp_path}: a directory, not a CIN census XML file: "
        "give the file itself\n"
    )


def test_records_no_return_holds_say_where_they_come_from(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--format", "json"]) == 0
    rows = {r["indicator"]: r for r in json.loads(capsys.readouterr().out)["indicators"]}
    reason = rows["initial_health_assessments_within_20_working_days"]["reason"]
    assert reason == (
        "needs health_assessments, not supplied (health_assessments: in no statutory return; "
        "build the records in Python and add them to the bundle)"
    )


def test_an_inferred_year_says_how_to_state_it(tmp_path: Path) -> None:
    from csc_indicators.io import read_ssda903

    episode = Episode("C1", dt.date(2023, 5, 1), "S", "C2", "U1")
    write_ssda903(Bundle(episodes=[episode]), tmp_path, collection_year=2023)
    (note,) = [i for i in read_ssda903(tmp_path).issues if i.kind == "inferred year"]
    assert note.message.endswith(
        "; if this is wrong, state the year: YEAR=PATH on the command line, years= in Python"
    )
