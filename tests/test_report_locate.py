"""The place in the file of every record an indicator found faulty (issue #15): returns written
with the library's writers, holding duplicate and conflicting records, read back, computed, and
each faulty record found at its exact line (:func:`csc_indicators.io.locate.locate`), then
shown in the report's data-quality section (the page and the workbook)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import attrs
import pytest

from csc_indicators import INDICATORS, Bundle, IndicatorResult, Period
from csc_indicators.io import (
    read_cin_census,
    read_ssda903,
    write_cin_census,
    write_ssda903,
    write_ssda903_xml,
)
from csc_indicators.io.locate import NOT_FOUND, NOT_READ, FilePlace, locate
from csc_indicators.records import (
    Assessment,
    Child,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    LookedAfterReview,
    Referral,
)
from csc_indicators.report import report
from csc_indicators.scoring import run_indicator

d = dt.date
YEAR = Period.year_to_date(d(2025, 3, 31))

CIN = Bundle(
    referrals=[Referral("C1", d(2024, 5, 1)), Referral("C2", d(2024, 6, 1))],
    assessments=[
        Assessment("C1", d(2024, 5, 2), d(2024, 5, 20)),
        Assessment("C1", d(2024, 5, 2), d(2024, 5, 20)),  # an exact duplicate
        Assessment("C2", d(2024, 6, 2), d(2024, 6, 10)),
    ],
    plans=[  # two plans of one start date with other end dates: a conflict
        ChildProtectionPlan("C2", d(2024, 7, 1), d(2024, 9, 1)),
        ChildProtectionPlan("C2", d(2024, 7, 1), d(2024, 10, 1)),
    ],
)

LAC = Bundle(
    children=[Child("L1", d(2015, 1, 1), "1"), Child("L2", d(2010, 3, 3), "2")],
    episodes=[  # one start date, two placements: a conflict
        Episode("L1", d(2024, 4, 10), "S", "C2", "U1"),
        Episode("L1", d(2024, 4, 10), "S", "C2", "U3"),
        Episode("L2", d(2023, 1, 1), "S", "C2", "U1"),
    ],
    reviews=[  # two reviews on one day: a duplicate
        LookedAfterReview("L2", d(2024, 6, 1), "PN1"),
        LookedAfterReview("L2", d(2024, 6, 1), "PN2"),
    ],
)


def run(ident: str, bundle: Bundle) -> IndicatorResult:
    return run_indicator(INDICATORS[ident], bundle, YEAR)


def lines_with(path: Path, text: str) -> list[int]:
    """The numbers (from 1) of the lines of ``path`` holding ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if text in line]


@pytest.fixture
def cin(tmp_path: Path) -> tuple[Path, Bundle]:
    path = tmp_path / "cin.xml"
    write_cin_census(CIN, path, collection_year=2024)
    return path, read_cin_census(path, errors="collect")


@pytest.fixture
def lac(tmp_path: Path) -> tuple[Path, Bundle]:
    folder = tmp_path / "ssda903"
    write_ssda903(LAC, folder, collection_year=2024)
    return folder, read_ssda903(folder, errors="collect", years={folder: 2024})


# -- locate -----------------------------------------------------------------------------------


def test_a_duplicate_assessment_in_the_cin_census(cin: tuple[Path, Bundle]) -> None:
    path, bundle = cin
    result = run("assessments_completed", bundle)
    [issue] = [i for i in result.issues if i.kind == "duplicate"]
    places = locate([issue.record], bundle)
    # the writer's file: the second <Assessments> of the first child
    assert places.text(issue.record) == (
        f"{path}:line 26, Message/Children/Child[1]/CINdetails[1]/Assessments[2]"
    )
    assert lines_with(path, "<Assessments>")[1] == 26
    assert places.of(issue.record) == (
        FilePlace(str(path), 26, "Message/Children/Child[1]/CINdetails[1]/Assessments[2]"),
    )
    assert places.searched == (str(path),)


def test_equal_records_read_from_two_elements_are_told_apart_by_order(
    cin: tuple[Path, Bundle],
) -> None:
    path, bundle = cin
    first, second = (a for a in bundle.assessments if a.child_id == "C1")
    assert first == second and first is not second
    places = locate([first, second], bundle)
    starts = lines_with(path, "<Assessments>")
    assert [p.line for p in places.of(first)] == [starts[0]]
    assert [p.line for p in places.of(second)] == [starts[1]]


def test_conflicting_plans_in_the_cin_census(cin: tuple[Path, Bundle]) -> None:
    path, bundle = cin
    result = run("cp_plans_started", bundle)
    [issue] = [i for i in result.issues if i.kind == "conflict"]
    assert issue.record.end_date == d(2024, 9, 1)
    places = locate([issue.record], bundle)
    line = lines_with(path, "<ChildProtectionPlans>")[0]
    assert line == 44
    assert places.text(issue.record) == (
        f"{path}:line 44, Message/Children/Child[2]/CINdetails[1]/ChildProtectionPlans[1]"
    )
    # the other plan, the one used, is at the next group
    other = next(p for p in bundle.plans if p.end_date == d(2024, 10, 1))
    assert (
        locate([other], bundle).of(other)[0].line == lines_with(path, "<ChildProtectionPlans>")[1]
    )


def test_conflicting_episodes_and_a_duplicate_review_in_the_ssda903_tables(
    lac: tuple[Path, Bundle],
) -> None:
    folder, bundle = lac
    episodes = run("lac_started", bundle)
    [conflict] = [i for i in episodes.issues if i.kind == "conflict"]
    reviews = run("lac_reviews_in_timescale", bundle)
    [duplicate] = [i for i in reviews.issues if i.kind == "duplicate"]
    places = locate([conflict.record, duplicate.record], bundle)
    assert conflict.record.placement == "U1"
    assert places.text(conflict.record) == f"{folder / 'episodes.csv'}:line 2"
    assert duplicate.record.participation == "PN2"
    assert places.text(duplicate.record) == f"{folder / 'reviews.csv'}:line 3"
    # only the two tables were opened: the other tables are named by their files
    assert sorted(Path(p).name for p in places.searched) == ["episodes.csv", "reviews.csv"]


def test_values_are_compared_not_texts(tmp_path: Path) -> None:
    folder = tmp_path / "iso"
    write_ssda903(LAC, folder, collection_year=2024, dates="iso")
    bundle = read_ssda903(folder, errors="collect", years={folder: 2024})
    assert "2024-04-10" in (folder / "episodes.csv").read_text(encoding="utf-8")
    used = next(e for e in bundle.episodes if e.placement == "U3")
    assert locate([used], bundle).text(used) == f"{folder / 'episodes.csv'}:line 3"


def test_the_ssda903_xml_form(tmp_path: Path) -> None:
    path = tmp_path / "ssda903.xml"
    write_ssda903_xml(LAC, path)
    bundle = read_ssda903(path, errors="collect", years={path: 2024})
    result = run("lac_started", bundle)
    [issue] = [i for i in result.issues if i.kind == "conflict"]
    review = next(r for r in bundle.reviews if r.participation == "PN2")
    places = locate([issue.record, review], bundle)
    child_lines = lines_with(path, "<CHILD>")
    assert (
        places.text(issue.record) == f"{path}:line {child_lines[0]}, EXPSSDA903/CHILD[1]/EPISODE[1]"
    )
    assert places.text(review) == (
        f"{path}:line {child_lines[1]}, EXPSSDA903/CHILD[2]/HEADER[1]/AREVIEW[2]"
    )


def test_a_record_open_in_two_returns_is_at_both(tmp_path: Path) -> None:
    lac = Bundle(
        children=[Child("L9", d(2012, 2, 2), "1")],
        episodes=[Episode("L9", d(2023, 6, 1), "S", "C2", "U1")],
    )
    for year in (2023, 2024):
        write_ssda903(lac, tmp_path / str(year), collection_year=year)
    bundle = read_ssda903({2023: tmp_path / "2023", 2024: tmp_path / "2024"}, errors="collect")
    [episode] = bundle.episodes
    text = locate([episode], bundle).text(episode)
    assert text == (
        f"{tmp_path / '2023' / 'episodes.csv'}:line 2 and "
        f"{tmp_path / '2024' / 'episodes.csv'}:line 2"
    )


def test_records_built_in_python_or_changed_have_no_place(cin: tuple[Path, Bundle]) -> None:
    _, bundle = cin
    made = Assessment("C1", d(2024, 5, 2), d(2024, 5, 20))
    assert locate([made], Bundle(assessments=[made])).text(made) == NOT_READ
    changed = attrs.evolve(bundle.assessments[0], authorisation_date=d(2024, 5, 21))
    places = locate([changed], bundle)
    assert places.of(changed) == () and places.text(changed) == NOT_FOUND
    # never guessed from the key: a record of another child with the same dates
    other = attrs.evolve(bundle.assessments[0], child_id="C9")
    assert locate([other], bundle).text(other) == NOT_FOUND
    local = HealthAssessment("C1", d(2024, 5, 2))
    assert locate([local], bundle).text(local) == NOT_READ
    # a record not asked about
    assert locate([], bundle).text(bundle.assessments[0]) == NOT_FOUND


def test_a_file_changed_since_it_was_read_is_read_safely(cin: tuple[Path, Bundle]) -> None:
    path, bundle = cin
    record = bundle.assessments[0]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY x "C1">]>\n<Message>&x;</Message>\n',
        encoding="utf-8",
    )
    assert locate([record], bundle).text(record) == NOT_FOUND
    path.unlink()
    assert locate([record], bundle).text(record) == NOT_FOUND


# -- the report -------------------------------------------------------------------------------


def _rows(page: str) -> list[list[str]]:
    table = re.search(r'<table class="indicator-issues">(.*?)</table>', page, re.DOTALL)
    assert table is not None
    return [
        [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.DOTALL)
    ][1:]


def test_the_report_shows_the_place_of_each_faulty_record(
    cin: tuple[Path, Bundle], lac: tuple[Path, Bundle]
) -> None:
    path, cin_bundle = cin
    folder, lac_bundle = lac
    doc = report(
        cin_bundle + lac_bundle,
        to="2025-03",
        months=1,
        indicators=["assessments_completed", "lac_started"],
    )
    rows = _rows(doc.html())
    by_kind = {(r[1], r[2]): r for r in rows}
    duplicate = by_kind[("C1", "duplicate")]
    assert duplicate[4] == "Assessment: start date 2024-05-02; authorisation date 2024-05-20"
    assert duplicate[5] == (
        f"{path}:line 26, Message/Children/Child[1]/CINdetails[1]/Assessments[2]"
    )
    conflict = by_kind[("L1", "conflict")]
    assert conflict[5] == f"{folder / 'episodes.csv'}:line 2"

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(doc.xlsx()))
    sheet = list(book["Data quality"].iter_rows(values_only=True))
    head = sheet.index(("Indicator", "Child", "Kind", "Place", "Record", "Problem"))
    found = {(r[0], r[1], r[2]): r for r in sheet[head + 1 :]}
    assert found[("lac_started", "L1", "conflict")][3] == f"{folder / 'episodes.csv'}:line 2"
    assert found[("assessments_completed", "C1", "duplicate")][3].startswith(f"{path}:line 26, ")


def test_the_report_of_records_built_in_python(cin: tuple[Path, Bundle]) -> None:
    _, bundle = cin
    made = attrs.evolve(bundle, sources=())
    doc = report(made, to="2025-03", months=1, indicators=["assessments_completed"])
    [row] = [r for r in _rows(doc.html()) if r[2] == "duplicate"]
    assert row[5] == NOT_READ
    assert doc.places.searched == ()
