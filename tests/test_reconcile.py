"""Reconciling their list with ours: every class, their spellings and formats, bad input, the
parameter that explains a difference, and the command."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

import csc_indicators
from csc_indicators import Assessment, Bundle, DayCount, Period, reconcile
from csc_indicators.calendar import default_calendar
from csc_indicators.cli import example_data
from csc_indicators.indicators import assessments_within_45_working_days
from csc_indicators.reconciliation import ReconcileError, Status, compute, read_theirs
from csc_indicators.reconciliation.cli import main
from csc_indicators.reconciliation.render import render
from csc_indicators.reconciliation.values import read_date, read_flag, read_measure
from test_cli_benchmarking import versionless

D = dt.date
FY24 = Period.financial_year(2024)

ASSESSMENTS = [
    Assessment("C1", D(2024, 6, 3), D(2024, 6, 10)),  # 5 working days
    Assessment("C2", D(2024, 6, 3), D(2024, 8, 30)),  # 63: not met
    Assessment("C3", D(2024, 5, 1), D(2024, 5, 2)),  # 1
    Assessment("C4", D(2025, 3, 3), D(2025, 4, 2)),  # authorised after the period
    Assessment("C5", D(2024, 7, 1), D(2024, 7, 5)),
    Assessment("C5", D(2024, 7, 1), D(2024, 7, 5)),  # duplicate
    Assessment("C6", D(2024, 9, 2), D(2024, 9, 6)),  # not in their list
]
DATA = {"assessments": ASSESSMENTS}

THEIRS = [
    # child, start, authorised, counted, met, days
    ("C1", "03/06/2024", "10/06/2024", "Y", "Y", "5"),  # agree
    ("C2", "03/06/2024", "30/08/2024", "Y", "Y", "63"),  # met differs
    ("C3", "2024-05-01", "2024-05-02", "Y", "Y", "2"),  # measure differs
    ("C4", "3/3/25", "2/4/25", "Y", "Y", "21"),  # only theirs: outside the period
    ("C5", "45474", "45478", "Y", "Y", "4"),  # agree (Excel serials)
    ("C5", "01/07/2024", "05/07/2024", "Y", "Y", "4"),  # counted differs: our duplicate
    ("C9", "01/07/2024", "05/07/2024", "Y", "Y", "4"),  # only theirs: child not ours
    ("C1", "03/06/2024", "10/06/2024", "Y", "Y", "5"),  # duplicate in theirs
    ("C1", "01/04/2024", "05/04/2024", "Y", "Y", "4"),  # only theirs: no such record
    ("C7", "31/02/2024", "05/04/2024", "Y", "Y", "4"),  # unreadable
]
HEADER = ("LAchildID", "Assessment Actual Start Date", "authorisation_date", "Included", "Met")


def their_rows() -> list[dict[str, object]]:
    return [dict(zip((*HEADER, "Working days"), row, strict=True)) for row in THEIRS]


def result() -> object:
    return assessments_within_45_working_days(ASSESSMENTS, FY24)


def test_every_record_is_classified_with_its_reason() -> None:
    rec = reconcile(assessments_within_45_working_days(ASSESSMENTS, FY24), their_rows(), data=DATA)
    got = [(str(c.status), c.child_id, c.reason) for c in rec.comparisons]
    assert got == [
        ("agree", "C1", "agree"),
        ("met differs", "C2", "ours not met, measure 63; theirs met, measure 63"),
        ("measure differs", "C3", "measure: ours 1, theirs 2 (theirs = ours + 1)"),
        (
            "only in theirs",
            "C4",
            "in our data but not an outcome for 2024-25 (2024-04-01 to 2025-03-31): "
            "authorisation date 2025-04-02 is after the period",
        ),
        ("agree", "C5", "agree"),
        (
            "counted differently",
            "C5",
            "we leave it out: duplicate of an assessment with the same dates; they count it",
        ),
        ("only in theirs", "C9", "child not in our data"),
        ("duplicate in theirs", "C1", "same child and dates as their line 1"),
        (
            "only in theirs",
            "C1",
            "no such record in our data; our outcomes for this child: "
            "start date 2024-06-03, authorisation date 2024-06-10",
        ),
        (
            "unreadable in theirs",
            "C7",
            "cannot be matched: start_date: no such day (day is out of range for month) "
            "(got '31/02/2024')",
        ),
        ("only in ours", "C6", "we count it (4 working days (within 45)); not in their list"),
    ]
    counts = {str(s): n for s, n in rec.counts().items() if n}
    assert counts == {
        "agree": 2,
        "only in ours": 1,
        "only in theirs": 3,
        "counted differently": 1,
        "met differs": 1,
        "measure differs": 1,
        "duplicate in theirs": 1,
        "unreadable in theirs": 1,
    }
    assert rec.key_roles == ("start_date", "authorisation_date")
    assert rec.columns == {
        "LAchildID": "child_id",
        "Assessment Actual Start Date": "start_date",
        "authorisation_date": "authorisation_date",
        "Included": "counted",
        "Met": "met",
        "Working days": "measure",
    }
    assert (rec.ours.numerator, rec.ours.denominator, rec.ours.rounded_value) == (4, 5, 80.0)
    assert (rec.theirs.numerator, rec.theirs.denominator, rec.theirs.rounded_value) == (
        10,
        10,
        100.0,
    )
    assert rec.offsets == (
        "1 of 4 measures are ours + 1",
        "every differing measure is ours + 1: a constant offset",
    )


def test_without_a_counted_column_every_row_of_theirs_counts() -> None:
    rows = [{"child": "C5", "start": "2024-07-01", "authorised": "2024-07-05"}] * 2
    rec = reconcile(result(), rows, data=DATA)  # type: ignore[arg-type]
    statuses = [str(c.status) for c in rec.comparisons if c.child_id == "C5"]
    assert statuses == ["agree", "counted differently"]
    assert "their list has no counted column: every row of theirs is taken as counted" in rec.notes


def test_their_not_counted_rows_agree_with_our_exclusions() -> None:
    rows = [
        {"CHILD": "C5", "start_date": "2024-07-01", "end_date": "2024-07-05", "counted": c}
        for c in ("yes", "no")
    ]
    rec = reconcile(result(), rows, data=DATA)  # type: ignore[arg-type]
    assert [str(c.status) for c in rec.comparisons if c.child_id == "C5"] == ["agree", "agree"]
    assert [str(c.status) for c in rec.comparisons if c.child_id != "C5"] == ["only in ours"] * 4


def test_the_met_difference_is_explained_by_the_limit_and_proved() -> None:
    start = D(2024, 6, 3)
    data = [*ASSESSMENTS, Assessment("C8", start, default_calendar().add_working_days(start, 45))]
    ours = assessments_within_45_working_days(data, FY24)
    rows = [
        {"child_id": o.child_id, "start_date": o.record.start_date,  # type: ignore[attr-defined]
         "authorisation_date": o.record.authorisation_date,  # type: ignore[attr-defined]
         "met": o.measure is not None and o.measure < 45, "days": o.measure}
        for o in ours.outcomes
        if o.counted
    ]  # fmt: skip
    rec = reconcile(ours, rows, data={"assessments": data})
    assert [(str(c.status), c.child_id, c.reason) for c in rec.differences] == [
        ("met differs", "C8", "ours met, measure 45; theirs not met, measure 45")
    ]
    assert rec.suggestion is not None
    assert (rec.suggestion.name, rec.suggestion.value) == ("limit", 44)
    assert (rec.suggestion.before, rec.suggestion.after) == (1, 0)
    assert rec.suggestion.text == "with limit=44 every record agrees: rerun with `--param limit=44`"
    assert [(t.name, str(t.value), t.differences) for t in rec.trials] == [
        ("limit", "44", 0),
        ("limit", "46", 1),
        ("limit", "43", 0),
        ("limit", "47", 1),
        ("convention", "EXCLUSIVE_END", 1),
        ("convention", "INCLUSIVE_MINUS_ONE", 1),
    ]


def weekend_assessments() -> list[Assessment]:
    """Assessments starting on a Saturday (2024-06-01) or a Sunday: conventions differ."""
    return [
        Assessment(f"W{i}", D(2024, 6, 1) + dt.timedelta(days=7 * i + i % 2), D(2024, 8, 1))
        for i in range(6)
    ] + [Assessment("M1", D(2024, 6, 3), D(2024, 6, 10))]


def test_a_networkdays_minus_one_list_is_explained_as_the_convention() -> None:
    data = weekend_assessments()
    ours = assessments_within_45_working_days(data, FY24)
    theirs = assessments_within_45_working_days(data, FY24, convention=DayCount.INCLUSIVE_MINUS_ONE)
    rows = [
        {"child_id": o.child_id, "start_date": o.record.start_date.strftime("%d/%m/%Y"),  # type: ignore[attr-defined]
         "authorisation_date": o.record.authorisation_date, "working_days": o.measure,  # type: ignore[attr-defined]
         "within_timescale": "met" if o.met else "not met"}
        for o in theirs.outcomes
    ]  # fmt: skip
    rec = reconcile(ours, rows, data={"assessments": data})
    assert rec.counts()[Status.MEASURE_DIFFERS] == 6
    assert rec.offsets == (
        "6 of 7 measures are ours - 1",
        "every differing measure is ours - 1: a constant offset",
    )
    assert rec.suggestion is not None
    assert rec.suggestion.name == "convention"
    assert rec.suggestion.after == 0
    assert rec.suggestion.text.startswith(f"with convention={rec.suggestion.value.name} ")  # type: ignore[attr-defined]


def test_without_the_records_only_theirs_is_still_reported() -> None:
    rec = reconcile(result(), their_rows())  # type: ignore[arg-type]
    c4 = next(c for c in rec.comparisons if c.child_id == "C4")
    assert c4.reason == "not among our outcomes (give the records to say why)"
    assert rec.trials == ()
    assert "no alternative parameters tried (give the records to recompute)" in rec.notes


def test_a_list_for_another_year_is_noticed() -> None:
    rows = [
        {"child": f"X{i}", "start": D(2023, 5, 1), "authorised": D(2023, 6, 1)} for i in range(4)
    ]
    rec = reconcile(result(), rows, data=DATA)  # type: ignore[arg-type]
    assert rec.notes[-1].startswith("4 of their 4 rows are not ours, most of their dates")
    assert "is their list for another period? (set it with --year)" in rec.notes[-1]


# -- reading their values -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", D(2024, 5, 1)),
        ("2024-05-01 00:00:00", D(2024, 5, 1)),
        ("2024-05-01T09:30", D(2024, 5, 1)),
        ("01/05/2024", D(2024, 5, 1)),
        ("1/5/24", D(2024, 5, 1)),
        ("1.5.2024", D(2024, 5, 1)),
        ("01-05-2024", D(2024, 5, 1)),
        ("2024/05/01", D(2024, 5, 1)),
        ("20240501", D(2024, 5, 1)),
        ("45413", D(2024, 5, 1)),
        (45413, D(2024, 5, 1)),
        ("1 May 2024", D(2024, 5, 1)),
        ("01-May-24", D(2024, 5, 1)),
        ("", None),
        (None, None),
        (dt.datetime(2024, 5, 1, 10), D(2024, 5, 1)),
    ],
)
def test_their_date_formats(text: object, expected: dt.date | None) -> None:
    assert read_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "May 2024", "yesterday", "45413.5", True])
def test_dates_that_are_not_dates_raise(text: object) -> None:
    with pytest.raises(ValueError):
        read_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Y", True),
        ("n", False),
        ("Yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("false", False),
        ("Met", True),
        ("Not met", False),
        ("not  met", False),
        (1, True),
        ("", None),
    ],
)
def test_their_flags(text: object, expected: bool | None) -> None:
    assert read_flag(text) == expected


def test_measures() -> None:
    assert [read_measure(v) for v in ("45", "45.0", "12.5", "", 3, "1,204")] == [
        45,
        45,
        12.5,
        None,
        3,
        1204,
    ]
    with pytest.raises(ValueError):
        read_measure("forty")


# -- bad input ------------------------------------------------------------------------------


def test_no_child_id_column_is_a_clear_error() -> None:
    with pytest.raises(ReconcileError) as info:
        reconcile(result(), [{"who": "C1", "start": "2024-06-03"}])  # type: ignore[arg-type]
    assert str(info.value) == (
        "rows: no child id column (looked for child_id, LAchildID, CHILD, child, ...); the "
        "columns are: who, start; name it with --columns COLUMN=child_id"
    )


def test_columns_map_their_names_to_ours() -> None:
    rows = [{"who": "C1", "began": "03/06/2024", "done": "10/06/2024", "wd": 5}]
    rec = reconcile(
        result(),  # type: ignore[arg-type]
        rows,
        data=DATA,
        columns={"who": "child_id", "began": "AssessmentActualStartDate", "done": "end_date"},
    )
    assert rec.comparisons[0].status is Status.AGREE
    with pytest.raises(ReconcileError, match="'when' is not a column we know; use one of"):
        reconcile(result(), rows, columns={"began": "when"})  # type: ignore[arg-type]


def test_no_dates_when_we_have_several_records_a_child_is_an_error() -> None:
    with pytest.raises(ReconcileError, match="no column tells a child's records apart"):
        reconcile(result(), [{"child_id": "C5"}])  # type: ignore[arg-type]


def test_key_overrides_the_default_and_must_exist() -> None:
    rows = [{"child_id": "C1", "start_date": "2024-06-03", "authorisation_date": "2024-06-11"}]
    rec = reconcile(result(), rows, data=DATA, key=["child_id", "start_date"])  # type: ignore[arg-type]
    assert rec.key_roles == ("start_date",)
    assert rec.comparisons[0].status is Status.AGREE
    with pytest.raises(ReconcileError, match="--key conference_date: not a key column"):
        reconcile(result(), rows, key=["conference_date"])  # type: ignore[arg-type]


def test_a_child_level_list_matches_on_the_child_alone() -> None:
    one_each = [a for a in ASSESSMENTS if a.child_id in ("C1", "C2")]
    r = assessments_within_45_working_days(one_each, FY24)
    rec = reconcile(r, [{"child": "C1"}, {"child": "C2"}], data={"assessments": one_each})
    assert rec.key_roles == ()
    assert [str(c.status) for c in rec.comparisons] == ["agree", "agree"]
    assert rec.notes[0] == "matched on the child alone (one record per child)"


def test_a_csv_file_with_a_bom_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "theirs.csv"
    path.write_text(
        "\ufeffChild;Start;Authorised;Days\nC1;03/06/2024;10/06/2024;5\n;01/01/2024;;\n",
        encoding="utf-8",
    )
    theirs = read_theirs(path, [Assessment])
    assert theirs.columns == {
        "Child": "child_id",
        "Start": "start_date",
        "Authorised": "authorisation_date",
        "Days": "measure",
    }
    assert [(r.line, r.child_id, r.problem) for r in theirs.rows] == [
        (2, "C1", None),
        (3, "", "no child id"),
    ]
    rec = reconcile(result(), path, data=DATA)  # type: ignore[arg-type]
    assert rec.counts()[Status.UNREADABLE] == 1


def test_a_missing_or_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReconcileError, match="cannot read"):
        read_theirs(tmp_path / "nope.csv", [Assessment])
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ReconcileError, match="the file is empty"):
        read_theirs(tmp_path / "empty.csv", [Assessment])


# -- output ---------------------------------------------------------------------------------


def test_json_holds_provenance_summary_and_differences() -> None:
    rec = reconcile(result(), their_rows(), data=DATA)  # type: ignore[arg-type]
    payload = json.loads(render(rec, "json"))
    assert set(payload) == {"provenance", "summary", "differences"}
    assert payload["provenance"]["parameters"] == []
    assert payload["summary"]["counts"]["only in theirs"] == 3
    assert payload["summary"]["matched_on"] == ["child_id", "start_date", "authorisation_date"]
    assert len(payload["differences"]) == 9
    assert payload["differences"][0]["start_date"] == "2024-06-03"


def test_csv_starts_with_comment_lines_then_one_row_per_difference() -> None:
    rec = reconcile(result(), their_rows(), data=DATA)  # type: ignore[arg-type]
    text = render(rec, "csv")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[0].startswith("# csc_indicators ")
    assert "# Ours:   80.0% [4/5]" in comments
    body = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert len(body) == 9
    assert body[0]["status"] == "met differs"
    assert body[0]["their_line"] == "2"


def test_the_table_ends_with_the_provenance() -> None:
    rec = reconcile(result(), their_rows(), data=DATA)  # type: ignore[arg-type]
    lines = render(rec, "table").splitlines()
    assert lines[:2] == [
        "Reconciliation: Assessments completed within 45 working days "
        "(assessments_within_45_working_days),",
        "  2024-25",
    ]
    footer = lines[lines.index("Computed with:") :]
    assert footer[1] == f"  csc_indicators {csc_indicators.__version__}"
    assert footer[-1] == "  parameters: all defaults"
    assert max(len(line) for line in lines) <= 100


# -- the command ----------------------------------------------------------------------------


def example_list(tmp_path: Path, limit: int = 45) -> Path:
    cin, _ = example_data()
    from csc_indicators.io import read_cin_census

    bundle = read_cin_census(cin[0])
    ours = compute(
        __import__("csc_indicators").INDICATORS["assessments_within_45_working_days"],
        bundle,
        FY24,
    )
    path = tmp_path / "theirs.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["CHILD", "Start", "Authorised", "Working days", "In time"])
        for o in ours.outcomes:
            a = o.record
            assert isinstance(a, Assessment) and a.authorisation_date is not None
            w.writerow(
                [
                    o.child_id,
                    a.start_date.strftime("%d/%m/%Y"),
                    a.authorisation_date.strftime("%d/%m/%Y"),
                    o.measure,
                    "Y" if o.measure is not None and o.measure < limit else "N",
                ]
            )
    return path


def test_the_command_explains_a_strict_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = example_list(tmp_path)
    cin, _ = example_data()
    argv = ["assessments_within_45_working_days", "--theirs", str(path), "--cin", cin[0]]
    assert main([*argv, "--year", "2024", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["counts"]["met differs"] == 2
    assert payload["summary"]["suggestion"]["param"] == "limit=44"
    assert main([*argv, "--param", "limit=44", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["differences"] == 0
    assert payload["provenance"]["parameters"] == [
        {
            "indicator": "assessments_within_45_working_days",
            "name": "limit",
            "value": "44",
            "default": "45",
        }
    ]
    out = tmp_path / "rec.csv"
    assert main([*argv, "--format", "csv", "--out", str(out)]) == 0
    assert capsys.readouterr().out == (
        f"Assessments completed within 45 working days (2024-25): 121 records, 2 differ; "
        f"written to {out}\n"
    )
    assert out.read_text().startswith("# csc_indicators ")


@pytest.mark.parametrize(
    ("extra", "message", "status"),
    [
        (["--param", "limit=many"], "limit='many': expected a whole number", 2),
        (
            ["--param", "window=3"],
            "assessments_within_45_working_days has no parameter 'window'",
            2,
        ),
        (["--columns", "Start"], "--columns 'Start': expected THEIRS=OURS", 2),
        (["--key", "Nope"], "--key Nope: not a key column of their list", 1),
    ],
)
def test_the_command_reports_bad_options_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
    status: int,
) -> None:
    path = example_list(tmp_path)
    cin, _ = example_data()
    argv = ["assessments_within_45_working_days", "--theirs", str(path), "--cin", cin[0]]
    assert main([*argv, *extra]) == status
    err = capsys.readouterr().err
    assert err.startswith("csc-indicators reconcile: error: ")
    assert message in err
    assert len(err.splitlines()) == 1


def test_the_command_rejects_an_unknown_indicator_and_missing_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["nope", "--theirs", "x.csv", "--cin", "y.xml"]) == 2
    assert capsys.readouterr().err == (
        "csc-indicators reconcile: error: no indicator is registered as 'nope' "
        "(`csc-indicators list` shows them)\n"
    )
    assert main(["assessments_within_45_working_days"]) == 2
    assert main(["x", "--theirs", "t.csv", "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 2  # one line each, no usage block
    assert all(line.startswith("csc-indicators reconcile: error: ") for line in err.splitlines())
    assert err.endswith("(see csc-indicators reconcile --help)\n")


@pytest.mark.parametrize("year", ["9999", "0", "next"])
def test_the_command_rejects_a_year_out_of_range_in_one_line(
    capsys: pytest.CaptureFixture[str], year: str
) -> None:
    argv = ["assessments_within_45_working_days", "--theirs", "t.csv", "--cin", "c.xml"]
    assert main([*argv, "--year", year]) == 2
    err = capsys.readouterr().err
    assert err.startswith("csc-indicators reconcile: error: argument --year: expected a year")
    assert len(err.splitlines()) == 1 and "unexpected" not in err


def test_the_command_takes_a_period_and_stated_years_like_scorecard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = example_list(tmp_path)
    cin, ssda903 = example_data()
    argv = ["assessments_within_45_working_days", "--theirs", str(path), "--cin", cin[0]]
    assert main([*argv, "--period", "Q1:2024", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["period"] == "Q1 2024-25"
    assert main([*argv, "--period", "Q5:2024"]) == 2
    assert "--period: cannot read 'Q5:2024'" in capsys.readouterr().err
    assert main([*argv, "--period", "2024-25", "--year", "2024"]) == 2
    assert "--year and --period both name the period" in capsys.readouterr().err
    stated = [f"{year}={ssda903[0]}/{year}" for year in (2022, 2023, 2024)]
    argv = ["three_or_more_placements", "--theirs", str(path), "--ssda903", *stated]
    assert main([*argv, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["period"] == "2024-25"


def test_the_bundle_form_of_data_is_accepted() -> None:
    bundle = Bundle(assessments=ASSESSMENTS)
    rec = reconcile(result(), their_rows(), data=bundle)  # type: ignore[arg-type]
    assert rec.counts()[Status.ONLY_THEIRS] == 3
    with pytest.raises(ReconcileError, match="unknown record kinds nonsense"):
        reconcile(result(), their_rows(), data={"nonsense": []})  # type: ignore[arg-type]


def test_the_docs_worked_example_is_real_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    page = (Path(__file__).resolve().parents[1] / "docs" / "reconcile.md").read_text()
    script = re.search(r"```python\n(.*?)```", page, re.S)
    shown = re.findall(r"```text\n(.*?)```", page, re.S)[1]
    assert script is not None
    monkeypatch.chdir(tmp_path)
    exec(script.group(1), {})
    cin, _ = example_data()
    argv = ["assessments_within_45_working_days", "--theirs", "theirs.csv", "--cin", cin[0]]
    assert main([*argv, "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert versionless(out) == versionless(shown)  # the provenance footer too
    assert max(len(line) for line in out.splitlines()) <= 100


def test_the_main_command_line_runs_reconcile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from csc_indicators.cli import main as csc_main

    path = example_list(tmp_path)
    cin, _ = example_data()
    argv = ["reconcile", "assessments_within_45_working_days", "--theirs", str(path)]
    assert csc_main([*argv, "--cin", cin[0], "--year", "2024", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["counts"]["met differs"] == 2
    assert csc_main(["reconcile", "--help"]) == 0
    assert "--theirs THEIRS.csv" in capsys.readouterr().out
    assert csc_main(["reconcile", "assessments_within_45_working_days"]) == 2


def test_no_data_of_ours_is_a_mistake_in_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assessments_within_45_working_days", "--theirs", "t.csv"]) == 2
    assert capsys.readouterr().err == (
        "csc-indicators reconcile: error: give our data: --cin FILE and/or --ssda903 FILE_OR_DIR\n"
    )


def test_lenient_and_issues_as_for_the_other_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = example_list(tmp_path)
    cin, _ = example_data()
    issues = tmp_path / "issues.csv"
    argv = ["assessments_within_45_working_days", "--theirs", str(path), "--cin", cin[0]]
    argv += ["--year", "2024", "--lenient", "--issues", str(issues), "--format", "json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["counts"]["met differs"] == 2
    assert issues.read_text().startswith("location,child_id,kind,field,value,message\n")


def test_the_param_is_named_in_every_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = example_list(tmp_path)
    cin, _ = example_data()
    argv = ["assessments_within_45_working_days", "--theirs", str(path), "--cin", cin[0]]
    argv += ["--year", "2024", "--param", "limit=44"]
    shown = "assessments_within_45_working_days.limit=44 (default 45)"
    assert main(argv) == 0
    assert f"  parameter: {shown}\n" in capsys.readouterr().out
    assert main([*argv, "--format", "csv"]) == 0
    assert f"# parameter: {shown}\n" in capsys.readouterr().out
    assert main([*argv, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"]["parameters"][0]["value"] == "44"
