"""Damaged and hostile returns: nothing is lost without a problem naming it, nothing depends on
row order, and hostile shapes are refused with a located message of bounded length."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators import AdoptionRecord, Bundle, InputError
from csc_indicators.io import read_cin_census, read_ssda903
from csc_indicators.io._guard import MAX_DEPTH, MAX_NAME
from csc_indicators.io._ssda903_csv import read_csv
from csc_indicators.io._stitch import Return

EXAMPLE = Path(__file__).parents[1] / "src" / "csc_indicators" / "data" / "example" / "ssda903"
YEAR = EXAMPLE / "2024"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
)
TABLE_FILES = sorted(p.name for p in YEAR.glob("*.csv"))
HEAD = (
    "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>"
    "</CollectionDetails></Header><Children>"
)


def cin_child(date: str) -> str:
    return (
        "<Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers><CINdetails>"
        "<CINreferralDate>2024-05-01</CINreferralDate><ReferralNFA>0</ReferralNFA>"
        f"<Assessments><AssessmentActualStartDate>{date}</AssessmentActualStartDate>"
        "</Assessments></CINdetails></Child>"
    )


# -- hostile shapes ---------------------------------------------------------------------------


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_cin_census(path, errors="collect")
    return info.value


def test_a_long_value_is_quoted_short(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(HEAD + cin_child("9" * 5000) + "</Children></Message>")
    with pytest.raises(InputError) as info:
        read_cin_census(path)
    assert info.value.value == "9" * 40 + "... (5,000 characters)"
    assert len(str(info.value)) < len(str(path)) + 300
    (issue,) = read_cin_census(path, errors="collect").issues
    assert issue.value == "9" * 40 + "... (5,000 characters)"


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("<a>" * (MAX_DEPTH + 5), "elements nested more deeply than the limit", 2),
        ("\n<" + "x" * (MAX_NAME + 1) + "/>", "an element name longer than the limit", 3),
        ('\n<Child a="' + "x" * 70_000 + '"/>', "a tag longer than the limit", 3),
        ("\n<!--" + "x" * 70_000 + "-->", "a comment or declaration longer than the limit", 3),
        ("\n<Child>" + "x" * 70_000 + "</Child>", "a text value longer than the limit", 3),
    ],
    ids=["depth", "name", "attribute", "comment", "text"],
)
def test_hostile_shapes_are_refused_with_their_line(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    path = tmp_path / "cin.xml"
    path.write_text("<?xml version='1.0'?>\n" + HEAD + body + "</Children></Message>")
    error = refused(path)
    assert error.message.startswith(f"refused: {message}")
    assert error.location == f"line {line}"


def test_deep_namespaced_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    depth = 2000
    path.write_text(
        '<Message xmlns:n="urn:x"><Children>'
        + "<n:a>" * depth
        + "</n:a>" * depth
        + "</Children></Message>"
    )
    assert refused(path).message.startswith("refused: elements nested more deeply")


def test_an_encoding_expat_cannot_read_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="Shift_JIS"?>\n<Message/>')
    error = refused(path)
    assert error.message.startswith("not a CIN census: the file declares a character encoding")
    assert error.location == "line 1"


# -- nothing lost: CSV -----------------------------------------------------------------------


def data_lines(path: Path) -> set[int]:
    """The lines of a CSV table holding a row, counted independently of the reader: every line
    after the first non-blank one that holds more than separators and spaces."""
    lines = path.read_bytes().split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    found: set[int] = set()
    header = None
    for number, raw in enumerate(lines, 1):
        blank = not raw.replace(b",", b"").strip()
        if header is None:
            header = None if blank else number
            continue
        if not blank:
            found.add(number)
    return found


def line_of(place: str) -> int:
    match = re.search(r":line (\d+)$", place)
    assert match, place
    return int(match.group(1))


def account(path: Path) -> None:
    """Read one table in collect mode; check every row is loaded or named in a problem."""
    ret = Return(str(path.parent))
    issues = read_csv(str(path), "collect", ret)
    loaded = [line_of(where) for rows in ret.records.values() for _, where in rows]
    named = [line_of(i.location or "") for i in issues]
    expected = data_lines(path)
    assert len(loaded) == len(set(loaded)), "a row loaded twice"
    table_level = [
        i
        for i in issues
        if re.search(
            "the table is not loaded|the header cannot be read|the header line is", i.message
        )
    ]
    if table_level or any(i.kind == "not a table" for i in issues):
        assert not loaded
        return
    not_loaded = {n for n, i in zip(named, issues, strict=True) if "not loaded" in i.message}
    assert expected == set(loaded) | not_loaded
    assert not set(loaded) & not_loaded


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(TABLE_FILES))
    data = bytearray((YEAR / name).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        lines = bytes(data).split(b"\n")
        how = draw(
            st.sampled_from(["flip", "delete", "duplicate", "quote", "undecodable", "swap", "cut"])
        )
        i = draw(st.integers(0, max(len(lines) - 2, 0)))
        if how == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
            continue
        if how == "delete":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "quote":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + b'"' + lines[i][at:]
        elif how == "undecodable":
            lines[i] = lines[i] + b"\xff"
        elif how == "swap":
            fields = lines[i].split(b",")
            if len(fields) > 2:
                a, b = draw(st.integers(0, len(fields) - 1)), draw(st.integers(0, len(fields) - 1))
                fields[a], fields[b] = fields[b], fields[a]
                lines[i] = b",".join(fields)
        elif how == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        data = bytearray(b"\n".join(lines))
    return name, bytes(data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=damaged())
def test_no_csv_row_is_lost_silently(tmp_path: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    path = tmp_path / name
    path.write_bytes(data)
    account(path)


def test_every_example_table_is_accounted_for() -> None:
    for name in TABLE_FILES:
        account(YEAR / name)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('C1,"01/05/2024,S,C2,N1,U1,PR1,,,,,,', "not valid CSV"),
        ("C1,01/05/2024,S,C2,N1,U1,PR1", "the row has 7 values but the header names 13"),
        ("C1,01/05/2024,S,C2,N1,U1,PR1,,,,,,\xff", "not UTF-8"),
    ],
    ids=["quote", "short", "undecodable"],
)
def test_a_damaged_row_is_refused_in_strict_mode_and_named_in_collect_mode(
    tmp_path: Path, row: str, message: str
) -> None:
    good = "K2,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n"
    header = EPISODES
    path = tmp_path / "episodes.csv"
    path.write_bytes(
        (header + good + row + "\n" + good.replace("K2", "K3"))
        .encode("utf-8", "surrogateescape")
        .replace("\xff".encode(), b"\xff")
    )
    with pytest.raises(InputError) as info:
        read_ssda903(path)
    assert message in info.value.message
    assert info.value.location == "line 3"
    bundle = read_ssda903(path, errors="collect")
    assert [e.child_id for e in bundle.episodes or ()] == ["K2", "K3"]
    (issue,) = [i for i in bundle.issues if i.kind != "inferred year"]
    assert issue.location == f"{path}:line 3"


def test_a_repeated_column_with_two_values_is_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "CHILD,DOB,REVIEW,REVIEW,REVIEW_CODE\n1,,01/01/2024,01/01/2024,PN1\n2,,01/01/2024,02/01/2024,PN1\n"
    )
    bundle = read_ssda903(path, errors="collect")
    assert [r.child_id for r in bundle.reviews or ()] == ["1"]
    (issue,) = [i for i in bundle.issues if i.kind == "conflict"]
    assert (issue.location, issue.field) == (f"{path}:line 3", "REVIEW")


def test_a_repeated_xml_item_with_two_values_is_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "903.xml"
    path.write_text(
        "<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID><SEX>1</SEX><DOB>01/01/2015</DOB>"
        "</HEADER><EPISODE><DECOM>01/05/2024</DECOM><DECOM>02/05/2024</DECOM><RNE>S</RNE>"
        "<LS>C2</LS><PL>U1</PL></EPISODE></CHILD></EXPSSDA903>"
    )
    with pytest.raises(InputError, match="the element DECOM appears 2 times"):
        read_ssda903(path)
    bundle = read_ssda903(path, errors="collect")
    assert bundle.episodes == ()
    assert [i.kind for i in bundle.issues if i.kind != "inferred year"] == ["conflict"]


# -- row order ---------------------------------------------------------------------------------


def shape(bundle: Bundle) -> tuple[object, ...]:
    """A bundle's records, in order, and its issues without their places."""
    records = tuple(
        getattr(bundle, f)
        for f in (
            "children",
            "episodes",
            "reviews",
            "adoptions",
            "placed_for_adoption",
            "previous_permanence",
            "health_outcomes",
            "care_leavers",
            "missing",
        )
    )
    issues = sorted((i.kind, i.child_id or "", i.field or "") for i in bundle.issues)
    return records, tuple(issues)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.randoms(use_true_random=False), twins=st.booleans())
def test_shuffling_rows_gives_the_same_bundle(
    tmp_path_factory: pytest.TempPathFactory, seed: object, twins: bool
) -> None:
    import random

    assert isinstance(seed, random.Random)
    first = tmp_path_factory.mktemp("a")
    second = tmp_path_factory.mktemp("b")
    for name in TABLE_FILES:
        lines = (YEAR / name).read_text().splitlines()
        if twins and name == "episodes.csv":
            lines.append(lines[1].replace(",U3,", ",U1,"))  # a twin: same child and start
        (first / name).write_text("\n".join(lines) + "\n")
        body = lines[1:]
        seed.shuffle(body)
        (second / name).write_text("\n".join([lines[0], *body]) + "\n")
    a = read_ssda903(first, errors="collect")
    b = read_ssda903(second, errors="collect")
    assert shape(a) == shape(b)
    if twins:
        conflicts = [i for i in a.issues if i.kind == "conflict"]
        assert len(conflicts) == 1 and conflicts[0].child_id == "SYNL0000001"
        assert (
            sum(
                e.start_date == dt.date(2024, 4, 21) and e.child_id == "SYNL0000001"
                for e in a.episodes or ()
            )
            == 2
        )


def test_twins_are_both_kept_and_the_conflict_names_both_places(tmp_path: Path) -> None:
    header = EPISODES
    path = tmp_path / "episodes.csv"
    path.write_text(
        header + "1,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n1,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n"
    )
    bundle = read_ssda903(path, errors="collect")
    assert [e.placement for e in bundle.episodes or ()] == ["U1", "U4"]
    (issue,) = [i for i in bundle.issues if i.kind == "conflict"]
    assert f"{path}:line 2" in (issue.location or "") + issue.message
    assert f"{path}:line 3" in (issue.location or "") + issue.message


def test_two_header_rows_that_disagree_load_neither(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("CHILD,SEX,DOB\n1,1,01/01/2015\n1,2,01/01/2015\n2,1,01/01/2016\n")
    bundle = read_ssda903(path, errors="collect")
    assert [c.child_id for c in bundle.children or ()] == ["2"]
    assert sorted(i.location or "" for i in bundle.issues if i.kind == "conflict") == [
        f"{path}:line 2",
        f"{path}:line 3",
    ]


# -- revisions across returns (D16) -----------------------------------------------------------


def test_the_latest_returns_ad1_row_wins(tmp_path: Path) -> None:
    header = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
    for year, match in ((2023, "03/01/2024"), (2024, "05/02/2024")):
        (tmp_path / str(year)).mkdir()
        (tmp_path / str(year) / "ad1.csv").write_text(
            header + f"1,25/03/2018,09/05/2023,{match},1,,,\n"
        )
    bundle = read_ssda903(tmp_path, years={tmp_path / "2023": 2023, tmp_path / "2024": 2024})
    assert bundle.adoptions == (
        AdoptionRecord("1", dt.date(2023, 5, 9), dt.date(2024, 2, 5), True),
    )
    (issue,) = bundle.issues
    assert issue.kind == "revised"
    assert issue.location == f"{tmp_path / '2024' / 'ad1.csv'}:line 2"


# -- the collection year ----------------------------------------------------------------------


def test_one_late_date_does_not_move_the_year(tmp_path: Path) -> None:
    target = tmp_path / "r"
    shutil.copytree(YEAR, target)
    episodes = target / "episodes.csv"
    lines = episodes.read_text().splitlines()
    lines[1] = lines[1].replace("07/05/2024", "07/05/2026")
    episodes.write_text("\n".join(lines) + "\n")
    bundle = read_ssda903(target, errors="collect")
    assert {s.collection_year for s in bundle.sources} == {2024}
    (issue,) = [i for i in bundle.issues if i.kind == "inferred year"]
    assert issue.message.startswith("the collection year is not stated: inferred as 2024-25")
    assert "1 of them has a date after 31 March 2025, the end of that year" in issue.message


def test_a_stated_year_wins_and_a_strong_disagreement_is_reported(tmp_path: Path) -> None:
    bundle = read_ssda903(YEAR, years={YEAR: 2024})
    assert {s.collection_year for s in bundle.sources} == {2024}
    assert not [i for i in bundle.issues if i.kind in ("inferred year", "stated year")]
    bundle = read_ssda903(str(YEAR), years={str(YEAR) + "/": 2019})
    assert {s.collection_year for s in bundle.sources} == {2019}
    (issue,) = [i for i in bundle.issues if i.kind == "stated year"]
    assert issue.message.startswith("the stated collection year 2019-20 disagrees with the dates")


def test_years_must_name_paths_read() -> None:
    with pytest.raises(InputError, match="not among the returns read"):
        read_ssda903(YEAR, years={EXAMPLE / "2022": 2022})
    with pytest.raises(InputError, match="holding 3 returns"):
        read_ssda903(EXAMPLE, years={EXAMPLE: 2022})
