"""The monthly performance report, read as a person reads it: the example authority's page and
workbook, their figures against the scorecard's, every chart, the drill-down, the data quality,
and the command line's mistakes."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest

import csc_indicators
from csc_indicators import INDICATORS, DataIssue, Period, example_bundle, scorecard
from csc_indicators.cli import main
from csc_indicators.example import (
    EXAMPLE_AUTHORITY,
    EXAMPLE_NEIGHBOURS,
    example_benchmarking_paths,
)
from csc_indicators.report import AREAS, PLACES, MissingExtraError, Report, format_value, report
from csc_indicators.report.areas import OTHER, unplaced
from csc_indicators.report.xlsx import sheet_name

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("jinja2")
pytest.importorskip("xlsxwriter")

TARGETS, COMPARATORS = example_benchmarking_paths()
MARCH = Period.year_to_date(dt.date(2025, 3, 31))


# -- a small HTML tree, to read the page by its elements ---------------------------------------

VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr", "area", "base"}
SVG_VOID = {"line", "path", "circle", "rect", "polygon"}


@attrs.define
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Any] = attrs.field(factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str, **want: str) -> list[Node]:
        out: list[Node] = []
        for c in self.children:
            if isinstance(c, Node):
                classes = c.attrs.get("class", "").split()
                if c.tag == tag and all(
                    (v in classes) if k == "class_" else c.attrs.get(k) == v
                    for k, v in want.items()
                ):
                    out.append(c)
                out.extend(c.find_all(tag, **want))
        return out

    def find(self, tag: str, **want: str) -> Node:
        found = self.find_all(tag, **want)
        assert found, f"no <{tag}> {want}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs_})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs_}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "an element is left open"
    return builder.root


# -- the example authority's report ------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle() -> csc_indicators.Bundle:
    return example_bundle()


@pytest.fixture(scope="module")
def doc(bundle: csc_indicators.Bundle) -> Report:
    return report(
        bundle,
        to="2025-03",
        targets=TARGETS,
        comparators=COMPARATORS,
        authority=EXAMPLE_AUTHORITY,
        neighbours=EXAMPLE_NEIGHBOURS,
    )


@pytest.fixture(scope="module")
def page(doc: Report) -> str:
    return doc.html()


@pytest.fixture(scope="module")
def tree(page: str) -> Node:
    return parse(page)


@pytest.fixture(scope="module")
def book(doc: Report, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("report") / "report.xlsx"
    doc.write(path)
    return openpyxl.load_workbook(path)


def test_every_registered_indicator_is_placed_in_an_area() -> None:
    assert unplaced() == []
    assert set(PLACES) == set(INDICATORS)
    for place in PLACES.values():
        assert place.area in AREAS
        assert place.definition.endswith(".") and "\n" not in place.definition


def test_the_latest_figures_are_the_scorecards(doc: Report, bundle: Any) -> None:
    card = scorecard(bundle, MARCH)
    assert doc.headline_period == MARCH
    by_id = {r.indicator: r for r in card.results}
    assert [p.id for p in doc.panels if p.status == "computed"] != []
    for panel in doc.panels:
        result = by_id.get(panel.id)
        if result is None:
            assert panel.status == "not computed" and panel.reason
            continue
        assert panel.value == result.rounded_value, panel.id
        assert (panel.numerator, panel.denominator) == (result.numerator, result.denominator)
        # the series' year to date of March is the same figure
        assert panel.points[-1].ytd == result.rounded_value, panel.id


def test_the_summary_table_shows_every_latest_figure(doc: Report, tree: Node) -> None:
    summary = tree.find("section", id="summary")
    rows = {
        r.attrs["data-indicator"]: r for r in summary.find_all("tr") if "data-indicator" in r.attrs
    }
    assert list(rows) == [p.id for p in doc.panels]
    for panel in doc.panels:
        cells = rows[panel.id].find_all("td")
        shown = panel.shown if panel.status == "computed" else "not computed"
        assert cells[0].text().strip() == shown
    # RAG as text, not only as a colour
    rags = {r.text().strip() for r in summary.find_all("span", class_="rag")}
    assert {"Green", "Red", "No target"} <= rags


def test_the_example_figures_read_as_the_demo_shows_them(doc: Report) -> None:
    panel = next(p for p in doc.panels if p.id == "assessments_within_45_working_days")
    assert panel.shown == "78.5%"
    assert (panel.numerator, panel.denominator) == (95, 121)
    assert panel.rag is not None and panel.rag.value == "red"  # target 85, amber from 80
    a1 = next(p for p in doc.panels if p.id == "adoption_a1")
    assert a1.shown.endswith(" days")


def test_every_indicator_has_its_section_chart_and_definition(doc: Report, tree: Node) -> None:
    for area, panels in doc.sections:
        section = tree.find("section", id=area.key)
        assert section.find("h2").text().strip() == area.title
        for panel in panels:
            article = section.find("article", id=f"ind-{panel.id}")
            assert article.find("h3").text().strip() == panel.spec.title
            assert article.find("p", class_="definition").text().strip() == panel.definition
            charts = article.find_all("svg", class_="trend")
            figures = [v for pt in panel.points for v in (pt.in_month, pt.ytd, pt.rolling_12)]
            if all(v is None for v in figures):  # nothing to chart: the page says why
                assert not charts and panel.reason in article.find("div", class_="charts").text()
                continue
            assert charts, panel.id
            for svg in charts:
                assert svg.attrs["role"] == "img"
                title, desc = svg.find("title"), svg.find("desc")
                assert title.text().startswith(panel.spec.title)
                assert desc.text().strip()
                assert svg.attrs["aria-labelledby"] == f"{title.attrs['id']} {desc.attrs['id']}"
                assert svg.find_all("path") or svg.find_all("rect"), panel.id


def test_the_areas_are_in_order_with_data_quality_last(tree: Node) -> None:
    main_ = tree.find("main")
    ids = [s.attrs["id"] for s in main_.find_all("section")]
    wanted = ["summary", *(a.key for a in AREAS), "data-quality"]
    assert ids == wanted


def test_charts_show_the_target_and_the_published_markers(doc: Report, tree: Node) -> None:
    article = tree.find("article", id="ind-assessments_within_45_working_days")
    svg = article.find("svg", class_="trend")
    labels = [t.text() for t in svg.find_all("text")]
    assert "Target 85.0%" in labels
    assert any(t.startswith("England 82.7%") for t in labels)
    assert any(t.startswith("Neighbours") for t in labels)
    # the description says the same in words
    assert "Target 85.0%" in svg.find("desc").text()


def test_the_page_is_self_contained(page: str) -> None:
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"\b(src|href)\s*=\s*(?![\"']?#)", page, re.I), "a link out of the page"
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "<script" not in page


def test_headings_tables_and_details(tree: Node) -> None:
    assert len(tree.find_all("h1")) == 1
    for table in tree.find_all("table"):
        assert table.find_all("th"), "a table without headers"
    details = tree.find_all("details")
    assert details and all("open" not in d.attrs for d in details)


def test_the_drill_down_lists_the_records_behind_the_latest_figure(doc: Report, tree: Node) -> None:
    panel = next(p for p in doc.panels if p.id == "assessments_within_45_working_days")
    article = tree.find("article", id=f"ind-{panel.id}")
    drill = article.find("details", class_="records")
    summary = drill.find("summary").text()
    assert "121 records" in summary and "26 not met" in summary and "95 met" in summary
    rows = drill.find("tbody").find_all("tr")
    assert len(rows) == len(panel.result.outcomes)  # type: ignore[union-attr]
    first = [td.text() for td in rows[0].find_all("td")]
    assert first[1] == "not met" and "working days" in first[3]
    three = tree.find("article", id="ind-three_or_more_placements")
    statuses = {td.text() for td in three.find("details", class_="records").find_all("td")}
    assert "excluded" in statuses


def test_the_header_names_the_authority_period_coverage_version(doc: Report, tree: Node) -> None:
    header = tree.find("header")
    assert header.find("h1").text() == "Example Borough"
    facts = header.find("dl", class_="facts").text()
    assert "April 2024 to March 2025" in facts
    assert "CIN census: 1 April 2024 to 31 March 2025" in facts
    assert "SSDA903: 1 April 2022 to 31 March 2025" in facts
    assert f"csc_indicators {csc_indicators.__version__}" in facts
    assert "reviews_from=2022-04-01" in facts  # the one parameter the scorecard changes
    assert "comparators.csv" in facts and "991, 993" in facts


def test_text_is_escaped(bundle: Any) -> None:
    doc = report(bundle, to="2025-03", months=1, title="<script>alert(1)</script> & Co")
    page = doc.html()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


def test_data_quality_lists_read_problems_and_faulty_records(bundle: Any) -> None:
    problem = DataIssue(
        "not a date",
        "C9",
        kind="value",
        location="episodes.csv:line 7",
        field="DECOM",
        value="31/02/2024",
    )
    twin = bundle.assessments[0]
    damaged = attrs.evolve(bundle, issues=(problem,), assessments=(*bundle.assessments, twin))
    doc = report(damaged, to="2025-03", months=2, indicators=["assessments_completed"])
    tree = parse(doc.html())
    dq = tree.find("section", id="data-quality")
    read = [td.text() for td in dq.find("table", class_="read-issues").find_all("td")]
    assert read[:6] == ["episodes.csv:line 7", "C9", "value", "DECOM", "31/02/2024", "not a date"]
    found = dq.find("table", class_="indicator-issues").find_all("tr")[1:]
    assert found, "the duplicate assessment is reported"
    cells = [td.text() for td in found[0].find_all("td")]
    assert cells[1] == twin.child_id and cells[4].startswith("Assessment: start date ")
    # the record's place in the example's CIN census (the twin is the same record)
    cin = next(s.path for s in bundle.sources if s.kind == "CIN census")
    assert re.fullmatch(
        rf"{re.escape(str(cin))}:line \d+, Message/Children/Child\[\d+\]/"
        r"CINdetails\[\d+\]/Assessments(\[\d+\])?",
        cells[5],
    ), cells[5]
    loaded = dq.find("table", class_="loaded").text()
    assert "CIN census" in loaded and "547 assessments" in loaded.replace(",", "")


def test_a_breakdown_by_a_lookup_file(bundle: Any, tmp_path: Path) -> None:
    children = sorted({r.child_id for r in bundle.referrals})
    lookup = tmp_path / "teams.csv"
    lookup.write_text(
        "child_id,team\n"
        + "".join(f"{c},{'North' if i % 2 else 'South'}\n" for i, c in enumerate(children)),
        encoding="utf-8",
    )
    doc = report(
        bundle, to="2025-03", months=3, by=f"team={lookup}", indicators=["referrals_received"]
    )
    panel = doc.panels[0]
    groups = {g: v for g, v, _, _ in panel.groups}
    assert set(groups) >= {"North", "South"}
    assert sum(v for v in groups.values() if v is not None) == panel.value
    tree = parse(doc.html())
    assert tree.find("table", class_="groups").find_all("th", scope="row")


def test_format_value() -> None:
    assert format_value(78.5, 1, "%") == "78.5%"
    assert format_value(478, 0, "days") == "478 days"
    assert format_value(1234, 0, "count") == "1,234"
    assert format_value(None, 0, "count") == "–"


def test_unplaced_indicators_go_to_other(bundle: Any) -> None:
    from csc_indicators.report.areas import area_of

    assert area_of("not_an_indicator_yet") is OTHER


# -- the workbook ------------------------------------------------------------------------------


def test_the_workbook_has_its_sheets(doc: Report, book: Any) -> None:
    names = book.sheetnames
    assert names[0] == "Summary"
    assert [a.title for a in AREAS] == names[1 : 1 + len(AREAS)]
    assert "Data quality" in names
    computed = [p for p in doc.panels if p.result is not None]
    assert len(names) == 1 + len(AREAS) + 1 + len(computed)


def test_the_summary_sheet_is_the_scorecard(doc: Report, book: Any) -> None:
    ws = book["Summary"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "Area")
    columns = rows[head]
    table = {r[columns.index("Id")]: dict(zip(columns, r, strict=False)) for r in rows[head + 1 :]}
    for panel in doc.panels:
        row = table[panel.id]
        assert row["Latest"] == panel.value
        assert row["RAG"] == (None if panel.rag is None else panel.rag.value.capitalize())
    assert table["assessments_within_45_working_days"]["England"] == 82.7
    assert ws.auto_filter.ref and ws.freeze_panes


def test_the_area_sheets_have_native_line_charts(doc: Report, book: Any) -> None:
    for area, panels in doc.sections:
        ws = book[area.title]
        assert len(ws._charts) == len(panels), area.title
        months = [c for c in ws["A"] if isinstance(c.value, dt.datetime)]
        assert len(months) == len(panels) * 12
        assert months[0].number_format == "mmm yyyy"


def test_the_record_sheets_have_dates_filters_and_frozen_headers(doc: Report, book: Any) -> None:
    panel = next(p for p in doc.panels if p.id == "assessments_within_45_working_days")
    ws = book[sheet_name(panel.spec.short_title, set())]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["outcome", "child_id", "counted", "met", "measure", "reason"]
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{ws.max_row}"
    assert ws.freeze_panes == "C2"
    assert ws.max_row == 1 + 121
    start = ws.cell(2, header.index("start_date") + 1)
    assert isinstance(start.value, dt.datetime) and start.is_date
    assert ws.cell(2, 3).value is True


def test_the_data_quality_sheet(book: Any) -> None:
    ws = book["Data quality"]
    text = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Records loaded" in text and "CIN census" in text
    starts = [c for c in text if isinstance(c, dt.datetime)]
    assert dt.datetime(2022, 4, 1) in starts


def test_sheet_names() -> None:
    taken: set[str] = set()
    assert (
        sheet_name("A1: days from care to adoptive family", taken)
        == "A1 days from care to adoptive"
    )
    assert sheet_name("A1: days from care to adoptive family", taken).endswith("(2)")
    assert len(sheet_name("x" * 40, taken)) == 31


# -- writing, options, the optional libraries ---------------------------------------------------


def test_write_chooses_by_extension(doc: Report, tmp_path: Path) -> None:
    doc.write(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    doc.write(tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    with pytest.raises(ValueError, match=r"\.html \(a page\) or \.xlsx"):
        doc.write(tmp_path / "r.pdf")


def test_bad_arguments(bundle: Any) -> None:
    with pytest.raises(ValueError, match="headline"):
        report(bundle, to="2025-03", headline="weekly")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="comparators"):
        report(bundle, to="2025-03", authority="999")
    with pytest.raises(ValueError, match="YYYY-MM"):
        report(bundle, to="March")
    with pytest.raises(KeyError):
        report(bundle, to="2025-03", indicators=["nope"])


def test_the_core_imports_and_computes_without_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['jinja2'] = None; sys.modules['xlsxwriter'] = None\n"
        "import csc_indicators\n"
        "doc = csc_indicators.report(csc_indicators.example_bundle(), to='2025-03', months=1)\n"
        "try:\n"
        "    doc.html()\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "MissingExtraError" in out.stdout
    assert "pip install 'csc-indicators[report]'" in out.stdout
    assert issubclass(MissingExtraError, ImportError)


def test_the_report_is_quick(doc: Report) -> None:
    assert doc.seconds < 10


# -- the command line ----------------------------------------------------------------------------


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_report_example_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    status, printed, err = run(["report", "--example", "--out", str(out)], capsys)
    assert status == 0, err
    assert "Example Borough" in printed and "12 months to March 2025" in printed
    tree = parse(out.read_text(encoding="utf-8"))
    assert tree.find("h1").text() == "Example Borough"
    assert tree.find_all("span", class_="rag-green")  # the example targets are used


def test_report_files_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from csc_indicators.example import example_paths

    cin, ssda903 = example_paths()
    out = tmp_path / "r.xlsx"
    args = ["report", "--cin", cin[0], "--ssda903", *ssda903, "--to", "2025-03", "--months", "6"]
    status, _, err = run([*args, "--targets", TARGETS, "--out", str(out)], capsys)
    assert status == 0, err
    ws = openpyxl.load_workbook(out)["Front door"]
    from csc_indicators.report.areas import FRONT_DOOR, PLACES

    front_door = [i for i, place in PLACES.items() if place.area is FRONT_DOOR]
    assert len([c for c in ws["A"] if isinstance(c.value, dt.datetime)]) == len(front_door) * 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "r.pdf"], "not .pdf"),
        (["--out", "report"], "not a file without an extension"),
        (["--to", "2025-13", "--out", "r.html"], "expected a month"),
        (["--months", "0", "--out", "r.html"], "must be 1 to 120"),
        (["--by", "colour", "--out", "r.html"], "not a dimension"),
        (["--by", "team=", "--out", "r.html"], "NAME=FILE"),
        (["--headline", "week", "--out", "r.html"], "invalid choice"),
        (["--indicator", "nope", "--out", "r.html"], "no indicator is registered"),
        (["--cin", "x.xml", "--out", "r.html"], "leave out --cin"),
    ],
)
def test_report_mistakes_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = run(["report", "--example", *args], capsys)
    assert status == 2
    assert err.startswith("csc-indicators: error: ") and message in err
    assert err.count("\n") == 1


def test_report_without_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(["report", "--out", str(tmp_path / "r.html")], capsys)
    assert status == 2 and "give at least one input" in err


def test_report_missing_lookup_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(
        [
            "report",
            "--example",
            "--by",
            f"team={tmp_path / 'none.csv'}",
            "--out",
            str(tmp_path / "r.html"),
        ],
        capsys,
    )
    assert status == 1 and "none.csv" in err


def test_report_missing_extra(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "xlsxwriter" else real(name, *a),
    )
    status, _, err = run(["report", "--example", "--out", str(tmp_path / "r.xlsx")], capsys)
    assert status == 1
    assert "XlsxWriter" in err and "pip install 'csc-indicators[report]'" in err


def test_html_is_written_as_utf8_text(doc: Report) -> None:
    assert io.StringIO(doc.html()).readline().strip() == "<!DOCTYPE html>"


def test_the_documentation_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "report.md").read_text("utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", page, re.M | re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for code in blocks:
        exec(compile(code, "docs/report.md", "exec"), namespace)
    assert (tmp_path / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert isinstance(namespace["workbook"], bytes)


def test_the_readme_shows_the_screenshot() -> None:
    root = Path(__file__).resolve().parents[1]
    assert "(docs/images/report.png)" in (root / "README.md").read_text("utf-8")
    png = (root / "docs" / "images" / "report.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
