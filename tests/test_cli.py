"""The command line, in process and end to end through ``python -m csc_indicators``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import csc_indicators
from csc_indicators import (
    INDICATORS,
    Assessment,
    Bundle,
    Child,
    Episode,
    Period,
    Polarity,
    Referral,
    ValueKind,
)
from csc_indicators.cli import Progress, main
from csc_indicators.io import write_cin_census, write_ssda903
from csc_indicators.provenance import skip_comments
from csc_indicators.registry import Family, make_spec
from csc_indicators.results import ResultBuilder

SRC = str(Path(csc_indicators.__file__).parent.parent)


def fast(assessments: Any, period: Period, *, calendar: Any = None) -> Any:
    b = ResultBuilder(fast)
    for a in sorted(assessments, key=lambda a: (a.child_id, a.start_date)):
        if a.authorisation_date in period:
            days = calendar.working_days(a.start_date, a.authorisation_date)
            b.count(a.child_id, a, met=days <= 10, measure=days, details={"start": a.start_date})
        elif a.authorisation_date is None:
            b.exclude(a.child_id, a, "still open")
    return b.build(period, {})


def started(episodes: Any, period: Period, *, population: Any = None) -> Any:
    b = ResultBuilder(started, ValueKind.COUNT if population is None else ValueKind.RATE_PER_10K)
    for e in sorted(episodes, key=lambda e: (e.child_id, e.start_date)):
        if e.start_date in period:
            b.count(e.child_id, e, met=True)
    return b.build(period, {"population": population})


def leavers(care_leavers: Any, period: Period) -> Any:
    b = ResultBuilder(leavers)
    for c in sorted(care_leavers, key=lambda c: c.child_id):
        b.count(c.child_id, c, met=c.in_touch == "YES")
    return b.build(period, {})


FAKES = [
    make_spec(
        fast,
        title="Assessments within 10 working days",
        short_title="Fast assessments",
        family=Family.CHILDREN_IN_NEED,
        unit="assessment",
        polarity=Polarity.HIGHER_IS_BETTER,
        sources=("test",),
    ),
    make_spec(
        started,
        title="Episodes started",
        short_title="Episodes started",
        family=Family.LOOKED_AFTER,
        unit="episode",
        polarity=Polarity.CONTEXT,
        kind=ValueKind.COUNT,
        sources=("test",),
    ),
    make_spec(
        leavers,
        title="Care leavers",
        short_title="Care leavers",
        family=Family.LOOKED_AFTER,
        unit="care leaver",
        polarity=Polarity.LOWER_IS_BETTER,
        sources=("test",),
    ),
]

# Registers the fake indicators, then runs the command line: the console script as a user
# would run it, in a fresh interpreter.
RUNNER = f"""
import sys
sys.path.insert(0, {os.path.dirname(__file__)!r})
from csc_indicators import INDICATORS
from test_cli import FAKES
for spec in FAKES:
    INDICATORS._add(spec)
from csc_indicators.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(INDICATORS, "_specs", {s.id: s for s in FAKES})


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    cin = Bundle(
        referrals=(Referral("A", dt.date(2024, 5, 1)), Referral("B", dt.date(2024, 6, 3))),
        assessments=(
            Assessment("A", dt.date(2024, 5, 1), dt.date(2024, 5, 10)),
            Assessment("B", dt.date(2024, 6, 3), dt.date(2024, 7, 30)),
            Assessment("B", dt.date(2025, 3, 3)),
        ),
    )
    path = tmp_path / "cin.xml"
    write_cin_census(cin, path, collection_year=2024, la_code="201")
    la = Bundle(
        children=(Child("C", dt.date(2012, 1, 1), "1"),),
        episodes=(Episode("C", dt.date(2024, 9, 1), "S", "C2", "U1"),),
    )
    write_ssda903(la, tmp_path / "903")
    return path, tmp_path / "903"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_scorecard_table(
    fakes: None, inputs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cin, ssda = inputs
    status, out, err = run_cli(
        ["scorecard", "--cin", str(cin), "--ssda903", str(ssda), "--year", "2024"], capsys
    )
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Scorecard 2024-25 (1 April 2024 to 31 March 2025)"
    # the table shows the short title, so that it fits 100 columns
    row = next(line for line in lines if line.startswith("Fast assessments"))
    assert row.split()[-7:] == ["assessments", "1", "2", "50.0%", "higher", "0", "0"]
    # a count shows one figure, in the value column
    started = next(line for line in lines if line.startswith("Episodes started"))
    assert started.split() == ["Episodes", "started", "1", "context", "0", "0"]
    assert "  Care leavers (leavers): needs care_leavers, not supplied" in lines
    assert lines[2:8] == [
        "Data loaded:",
        "  CIN census: 1 April 2024 to 31 March 2025 (1 file)",
        "    2 referrals, 3 assessments, 0 section 47 enquiries, 0 transfer-in conferences,",
        "    0 child protection plans, 2 children (CIN census)",
        "  SSDA903: 1 April 2024 to 31 March 2025 (3 files)",
        "    1 children (SSDA903 header), 1 episodes",
    ]
    assert max(len(line) for line in lines) <= 100


def test_scorecard_csv_json_markdown(
    fakes: None, inputs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cin, ssda = inputs
    base = ["scorecard", "--cin", str(cin), "--ssda903", str(ssda), "--population", "10000"]
    _, out, _ = run_cli([*base, "--format", "csv"], capsys)
    rows = list(csv.DictReader(skip_comments(io.StringIO(out))))
    assert [r["indicator"] for r in rows] == ["fast", "started", "leavers"]
    assert rows[0]["numerator"] == "1" and rows[0]["denominator"] == "2"
    assert rows[0]["value"] == "50.0" and rows[0]["polarity"] == "higher is better"
    assert rows[2]["status"] == "not computed"
    assert rows[2]["reason"] == "needs care_leavers, not supplied"
    assert rows[1]["kind"] == "rate per 10,000" and rows[1]["value"] == "1.0"
    _, out, _ = run_cli([*base, "--format", "json"], capsys)
    payload = json.loads(out)
    assert payload["period"] == {
        "name": "2024-25",
        "kind": "YEAR",
        "start": "2024-04-01",
        "end": "2025-03-31",
    }
    assert [(d["kind"], d["start"], d["end"]) for d in payload["data"]] == [
        ("CIN census", "2024-04-01", "2025-03-31"),
        ("SSDA903", "2024-04-01", "2025-03-31"),
    ]
    assert payload["data"][0]["records"]["assessments"] == 3
    assert payload["indicators"][1]["population"] == 10000
    assert payload["not_computed"][0]["missing"] == ["care_leavers"]
    assert {s["kind"] for s in payload["sources"]} == {"CIN census", "SSDA903"}
    _, out, _ = run_cli([*base, "--format", "markdown"], capsys)
    assert "| Assessments within 10 working days | 1 | 2 | 50.0% | higher | 0 | 0 |" in out
    assert "| Episodes started | 1 | 10,000 | 1.0 per 10,000 | context | 0 | 0 |" in out
    assert "Rates are per 10,000 children aged 0-17, for a population of 10,000." in out


def test_period_options(
    fakes: None, inputs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cin, _ = inputs
    _, out, _ = run_cli(
        ["scorecard", "--cin", str(cin), "--period", "Q1:2024", "--format", "csv"],
        capsys,
    )
    first = next(csv.DictReader(skip_comments(io.StringIO(out))))
    assert (first["period"], first["denominator"]) == ("Q1 2024-25", "1")
    _, out, _ = run_cli(
        ["scorecard", "--cin", str(cin), "--period", "2024-07-01..2024-07-31", "--format", "csv"],
        capsys,
    )
    assert next(csv.DictReader(skip_comments(io.StringIO(out))))["numerator"] == "0"


def test_explain_writes_outcomes(
    fakes: None, inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cin, _ = inputs
    out_file = tmp_path / "outcomes.csv"
    status, out, _ = run_cli(
        ["explain", "fast", "--cin", str(cin), "--year", "2024", "--out", str(out_file)], capsys
    )
    assert status == 0
    assert out.startswith("Assessments within 10 working days (2024-25): 50.0% [1/2]")
    rows = list(csv.DictReader(skip_comments(out_file.open())))
    assert [(r["child_id"], r["counted"], r["met"], r["measure"], r["reason"]) for r in rows] == [
        ("A", "true", "true", "6", ""),
        ("B", "true", "false", "41", ""),
        ("B", "false", "false", "", "still open"),
    ]
    assert rows[0]["start"] == "2024-05-01"


def test_errors_are_one_line(
    fakes: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Header>")
    status, out, err = run_cli(["scorecard", "--cin", str(bad)], capsys)
    assert status == 1 and out == ""
    assert err == (
        f"csc-indicators: error: {bad}:line 1, column 17: the file ends early, "
        "truncated? (no element found)\n"
    )
    status, _, err = run_cli(["explain", "nope", "--cin", str(bad)], capsys)
    assert status == 2 and err == (
        "csc-indicators: error: explain nope: no indicator is registered with that id "
        "(`csc-indicators list` shows them)\n"
    )
    status, _, err = run_cli(["scorecard"], capsys)
    assert status == 2 and err == (
        "csc-indicators: error: give at least one input: --cin FILE and/or --ssda903 FILE_OR_DIR\n"
    )


def test_the_cycle_collector_is_restored_after_every_command(
    fakes: None, inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command pauses the cycle collector; a caller that goes on (as these tests do) gets
    it back as it was, also after an error."""
    import gc

    cin, ssda903 = inputs
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Header>")
    assert gc.isenabled()
    for args in (
        ["scorecard", "--cin", str(cin), "--ssda903", str(ssda903)],
        ["scorecard", "--cin", str(bad)],
    ):
        status, _, _ = run_cli(args, capsys)
        assert status == (1 if "bad" in args[-1] else 0)
        assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        assert run_cli(["scorecard", "--cin", str(cin)], capsys)[0] == 0
        assert not gc.isenabled()  # left off, as the caller had it
    finally:
        gc.enable()


def test_lenient_lists_issues(
    fakes: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\n1,01/05/2024,S,C2,N1,XX,PR1,,,,,,\n2,01/06/2024,S,C2,N1,U1,PR1,,,,,,\n"
    )
    issues = tmp_path / "issues.csv"
    status, out, err = run_cli(
        [
            "scorecard",
            "--ssda903",
            str(tmp_path),
            "--lenient",
            "--issues",
            str(issues),
            "--year",
            "2024",
        ],
        capsys,
    )
    assert status == 0
    # The unknown code, and the note that the return's collection year was inferred.
    assert "2 problems found while reading the inputs" in out
    rows = sorted(csv.DictReader(issues.open()), key=lambda r: r["kind"])
    assert [r["kind"] for r in rows] == ["inferred year", "unknown code"]
    assert (rows[1]["field"], rows[1]["value"]) == ("PLACE", "XX")
    status, _, err = run_cli(["scorecard", "--ssda903", str(tmp_path)], capsys)
    assert status == 1 and "PLACE: unknown PLACE code" in err


def test_progress_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, loud = io.StringIO(), Terminal()
    for stream in (quiet, loud):
        progress = Progress(stream)
        progress.show("reading x ...")
        progress.done()
    assert quiet.getvalue() == ""
    assert loud.getvalue().startswith("\rreading x ...")


def test_list(fakes: None, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["list"], capsys)
    assert out.splitlines()[:6] == [
        "fast",
        "  Assessments within 10 working days",
        "  unit: assessment",
        "  source: test",
        "  children in need; percentage; higher is better; needs assessments",
        "  shown as %, 1 decimal place",
    ]
    # the not-computed kind of a population indicator: a count without a population
    assert "  looked after; count; context; needs episodes" in out.splitlines()
    for fmt in ("csv", "json", "markdown"):
        _, out, _ = run_cli(["list", "--format", fmt], capsys)
        assert "assessment" in out and "higher is better" in out and "test" in out
    _, out, _ = run_cli(["list", "--format", "json"], capsys)
    first = json.loads(out)[0]
    assert (first["id"], first["unit"], first["polarity"], first["sources"]) == (
        "fast",
        "assessment",
        "higher is better",
        ["test"],
    )
    assert "source" not in first  # the list only, not the same text twice
    _, out, _ = run_cli(["list", "--format", "markdown"], capsys)
    assert out.splitlines()[2] == (
        "| `fast` | Assessments within 10 working days | children in need | assessment | "
        "higher is better | %, 1 decimal place | - | test |"
    )


# -- end to end, in a fresh interpreter --------------------------------------------------------


def subprocess_run(args: list[str], code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    command = (
        [sys.executable, "-c", code, *args]
        if code
        else [sys.executable, "-m", "csc_indicators", *args]
    )
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_end_to_end_table_and_csv(inputs: tuple[Path, Path]) -> None:
    cin, ssda = inputs
    done = subprocess_run(["scorecard", "--cin", str(cin), "--ssda903", str(ssda)], RUNNER)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Fast assessments" in done.stdout
    done = subprocess_run(["scorecard", "--cin", str(cin), "--format", "csv"], RUNNER)
    rows = {r["indicator"]: r for r in csv.DictReader(skip_comments(io.StringIO(done.stdout)))}
    assert rows["fast"]["value"] == "50.0"
    assert rows["leavers"]["status"] == "not computed"


def test_end_to_end_bad_input_exit_status(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text("")
    done = subprocess_run(["scorecard", "--cin", str(empty)])
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"csc-indicators: error: {empty}: not a CIN census: the file is empty\n"
    done = subprocess_run(["scorecard", "--format", "yaml"])
    assert done.returncode == 2
    assert "invalid choice: 'yaml'" in done.stderr


def test_end_to_end_demo() -> None:
    """The README's main command: the scorecard on the shipped example data."""
    done = subprocess_run(["demo"])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("Scorecard 2024-25 (1 April 2024 to 31 March 2025)\n")
    done = subprocess_run(["demo", "--format", "json", "--year", "2023"])
    payload = json.loads(done.stdout)
    assert payload["period"]["name"] == "2023-24"
    assert payload["issues"] == 0
    assert sorted({(s["kind"], s["collection_year"]) for s in payload["sources"]}) == [
        ("CIN census", 2024),
        ("SSDA903", 2022),
        ("SSDA903", 2023),
        ("SSDA903", 2024),
    ]
    assert len(payload["indicators"]) == len(INDICATORS)


def test_demo_with_fake_indicators_table_and_csv() -> None:
    done = subprocess_run(["demo", "--format", "csv"], RUNNER)
    assert done.returncode == 0, done.stderr
    rows = {r["indicator"]: r for r in csv.DictReader(skip_comments(io.StringIO(done.stdout)))}
    assert rows["fast"]["status"] == "computed"
    assert int(rows["fast"]["denominator"]) > 50
    assert int(rows["started"]["numerator"]) > 5
    assert rows["leavers"]["status"] == "computed"
    done = subprocess_run(["demo"], RUNNER)
    assert "Fast assessments" in done.stdout
    assert "(leavers)" not in done.stdout


def test_end_to_end_real_indicator_on_example_data(tmp_path: Path) -> None:
    """The console script on the shipped data: the scorecard's figure for assessments within
    45 working days agrees with the outcomes `explain` writes for it."""
    from csc_indicators.cli import example_data

    cin, _ = example_data()
    done = subprocess_run(["scorecard", "--cin", *cin, "--format", "csv"])
    assert done.returncode == 0, done.stderr
    rows = {r["indicator"]: r for r in csv.DictReader(skip_comments(io.StringIO(done.stdout)))}
    figure = rows["assessments_within_45_working_days"]
    assert figure["status"] == "computed" and int(figure["denominator"]) > 50
    out = tmp_path / "outcomes.csv"
    done = subprocess_run(
        ["explain", "assessments_within_45_working_days", "--cin", *cin, "--out", str(out)]
    )
    assert done.returncode == 0, done.stderr
    outcomes = list(csv.DictReader(skip_comments(out.open())))
    counted = [o for o in outcomes if o["counted"] == "true"]
    assert len(counted) == int(figure["denominator"])
    assert sum(o["met"] == "true" for o in counted) == int(figure["numerator"])
    assert all(o["reason"] for o in outcomes if o["counted"] == "false")
    assert {"child_id", "start_date", "authorisation_date", "measure"} <= set(outcomes[0])


def _console_script() -> Path | None:
    """The installed ``csc-indicators`` script beside this interpreter, if the package is
    installed (as CI installs it); None when the tests run from a source tree only."""
    script = Path(sys.executable).parent / "csc-indicators"
    return script if script.exists() else None


@pytest.mark.skipif(_console_script() is None, reason="the package is not installed here")
def test_console_script_end_to_end_on_the_example_data() -> None:
    from importlib.metadata import entry_points

    scripts = {e.name: e.value for e in entry_points(group="console_scripts")}
    assert scripts["csc-indicators"] == "csc_indicators.cli:main"
    script = str(_console_script())
    example = Path(__file__).resolve().parents[1] / "src" / "csc_indicators" / "data" / "example"
    inputs = [
        "--cin",
        str(example / "cin" / "cin_census.xml"),
        "--ssda903",
        str(example / "ssda903"),
        "--year",
        "2024",
    ]
    table = subprocess.run(
        [script, "scorecard", *inputs], capture_output=True, text=True, timeout=300, check=False
    )
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith("Scorecard 2024-25 (1 April 2024 to 31 March 2025)\n")
    assert "Assessments within 45 working days" in table.stdout
    as_csv = subprocess.run(
        [script, "scorecard", *inputs, "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert as_csv.returncode == 0, as_csv.stderr
    rows = {r["indicator"]: r for r in csv.DictReader(skip_comments(io.StringIO(as_csv.stdout)))}
    assert rows["assessments_within_45_working_days"]["numerator"] == "95"
    assert rows["assessments_within_45_working_days"]["denominator"] == "121"
    bad = subprocess.run(
        [script, "scorecard", "--cin", str(example / "missing.xml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_one_reading_problem_is_singular(capsys: pytest.CaptureFixture[str]) -> None:
    from csc_indicators.cli import example_data

    _, ssda903 = example_data()
    year = os.path.join(ssda903[0], "2024")  # one return, its year inferred: one note
    args = ["scorecard", "--ssda903", year, "--indicator", "lac_started"]
    status, out, _ = run_cli(args, capsys)
    assert status == 0
    assert (
        "\n1 problem found while reading the inputs (write them out with --issues FILE).\n" in out
    )
