"""The SSDA903 reader: CSV and XML round trips, stitching several years, the sample files, and
malformed files with the exact error expected."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, Child, DataIssue, Episode, InputError, LookedAfterReview
from csc_indicators.io import read_ssda903, write_ssda903, write_ssda903_xml
from strategies.returns import looked_after_bundles

SAMPLES = Path(__file__).parent / "data" / "sample-returns" / "ssda903"
KINDS = (
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


YEARLY = ("health_outcomes", "care_leavers")


def problems(bundle: Bundle) -> tuple[DataIssue, ...]:
    """The issues other than the note that a return's collection year was inferred (given
    whenever the year is not stated)."""
    return tuple(i for i in bundle.issues if i.kind != "inferred year")


def same_records(a: Bundle, b: Bundle, kinds: tuple[str, ...] = KINDS) -> None:
    """The same records of each kind; ``b`` is read back from files written without a
    collection year, so its OC2 and OC3 rows carry the year the reader inferred, which is
    checked and then set aside."""
    years = {s.collection_year for s in b.sources}
    for kind in kinds:
        back = getattr(b, kind)
        if kind in YEARLY:
            assert len(years) == 1 and {r.collection_year for r in back} <= years, kind
            back = [attrs.evolve(r, collection_year=None) for r in back]
        assert sorted(getattr(a, kind), key=repr) == sorted(back, key=repr), kind


@settings(max_examples=30)
@given(bundle=looked_after_bundles())
def test_csv_round_trip(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle) -> None:
    directory = tmp_path_factory.mktemp("903")
    write_ssda903(bundle, directory)
    back = read_ssda903(directory)
    same_records(bundle, back)
    assert problems(back) == ()


@settings(max_examples=20)
@given(bundle=looked_after_bundles())
def test_csv_round_trip_iso_dates(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle) -> None:
    directory = tmp_path_factory.mktemp("903")
    write_ssda903(bundle, directory, dates="iso")
    same_records(bundle, read_ssda903(directory))


@settings(max_examples=30)
@given(bundle=looked_after_bundles())
def test_xml_round_trip(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle) -> None:
    path = tmp_path_factory.mktemp("903") / "903.xml"
    write_ssda903_xml(bundle, path)
    back = read_ssda903(path)
    same_records(bundle, back)
    assert problems(back) == ()


@settings(max_examples=30)
@given(bundle=looked_after_bundles())
def test_yearly_returns_stitch_back(
    tmp_path_factory: pytest.TempPathFactory, bundle: Bundle
) -> None:
    """Four yearly returns, each holding what that year's return would (an episode open on 31
    March shown open), read together give back every episode, review and missing incident."""
    root = tmp_path_factory.mktemp("years")
    years = {}
    for year in (2019, 2020, 2021, 2022):
        write_ssda903(bundle, root / str(year), collection_year=year)
        years[year] = root / str(year)
    back = read_ssda903(years)
    same_records(bundle, back, ("episodes", "reviews", "missing", "children"))
    assert [i for i in problems(back) if i.kind in ("conflict", "revised")] == []


@settings(max_examples=30)
@given(bundle=looked_after_bundles(), data=st.data())
def test_yearly_returns_keep_each_oc2_and_oc3_row_in_its_year(
    tmp_path_factory: pytest.TempPathFactory, bundle: Bundle, data: st.DataObject
) -> None:
    """OC2 and OC3 rows naming their collection year are written to that year's return
    (whether or not the child has an episode in it) and read back with that year."""
    years = (2019, 2020, 2021, 2022)
    changes = {
        kind: tuple(
            attrs.evolve(r, collection_year=data.draw(st.sampled_from(years)))
            for r in getattr(bundle, kind)
        )
        for kind in YEARLY
    }
    bundle = attrs.evolve(bundle, **changes)
    root = tmp_path_factory.mktemp("years")
    for year in years:
        write_ssda903(bundle, root / str(year), collection_year=year)
    back = read_ssda903({year: root / str(year) for year in years})
    for kind in YEARLY:
        assert sorted(getattr(bundle, kind), key=repr) == sorted(getattr(back, kind), key=repr), (
            kind
        )


def test_oc3_rows_of_two_years_are_both_loaded_with_their_years(tmp_path: Path) -> None:
    for year, activity in ((2023, "G4"), (2024, "F2")):
        (tmp_path / str(year)).mkdir()
        (tmp_path / str(year) / "oc3.csv").write_text(
            f"CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n1,01/06/2005,YES,{activity},B1\n"
        )
        (tmp_path / str(year) / "oc2.csv").write_text(
            "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
            "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
            f"1,01/06/2012,,,0,{int(year == 2024)},1,1,1,0,,\n"
        )
    bundle = read_ssda903({2023: tmp_path / "2023", 2024: tmp_path / "2024"})
    assert sorted((c.collection_year, c.activity) for c in bundle.care_leavers or ()) == [
        (2023, "G4"),
        (2024, "F2"),
    ]
    assert sorted((h.collection_year, h.health_check) for h in bundle.health_outcomes or ()) == [
        (2023, False),
        (2024, True),
    ]
    assert problems(bundle) == ()


def test_a_years_return_has_a_header_for_every_child_it_holds(tmp_path: Path) -> None:
    """A care leaver with only an OC3 row in the year gets a header row (in the XML form each
    CHILD has its HEADER); a placed-for-adoption decision of a child not looked after in the
    year (adopted in an earlier year) is not in the year's return."""
    from csc_indicators import CareLeaverRecord, PlacedForAdoption

    bundle = Bundle(
        children=(
            Child("A", dt.date(2015, 1, 1), "1"),
            Child("L", dt.date(2005, 6, 1), "2"),
            Child("P", dt.date(2019, 1, 1), "1"),
            Child("Z", dt.date(2010, 1, 1), "2"),
        ),
        episodes=(
            Episode("A", dt.date(2024, 5, 1), "S", "C2", "U1"),
            Episode("P", dt.date(2020, 1, 1), "S", "E1", "A4", dt.date(2021, 5, 1), "E11"),
            Episode("Z", dt.date(2021, 1, 1), "S", "C2", "U1", dt.date(2022, 1, 1), "E3"),
        ),
        placed_for_adoption=(PlacedForAdoption("P", dt.date(2020, 6, 1)),),
        care_leavers=(
            CareLeaverRecord("L", dt.date(2005, 6, 1), "YES", "F2", "B1", collection_year=2024),
        ),
    )
    write_ssda903(bundle, tmp_path / "2024", collection_year=2024)
    back = read_ssda903({2024: tmp_path / "2024"})
    assert sorted(c.child_id for c in back.children or ()) == ["A", "L"]
    assert back.placed_for_adoption == ()
    assert [c.child_id for c in back.care_leavers or ()] == ["L"]
    write_ssda903_xml(back, tmp_path / "2024.xml")  # every child has its header: no error
    again = read_ssda903(tmp_path / "2024.xml")
    assert sorted(c.child_id for c in again.children or ()) == ["A", "L"]


def episode(start: str, end: str = "", rec: str = "", child: str = "1") -> str:
    return f"{child},{start},S,C2,N1,U1,PR1,{end},{rec},,,,\r\n"


EPISODES_HEADER = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\r\n"
)


def test_stitching_rule(tmp_path: Path) -> None:
    """The 2023 return shows an episode open; the 2024 return closes it: the closed copy wins,
    silently. An episode revised otherwise is reported; exact repeats are loaded once."""
    (tmp_path / "2023").mkdir()
    (tmp_path / "2024").mkdir()
    (tmp_path / "2023" / "episodes.csv").write_text(
        EPISODES_HEADER
        + episode("01/05/2023")
        + episode("01/06/2023", child="2")
        + episode("10/01/2023", "15/03/2024", "E11", child="3").replace("15/03/2024,E11", ",")
        + episode("01/07/2022", "01/02/2024", "E3", child="4"),
        newline="",
    )
    (tmp_path / "2024" / "episodes.csv").write_text(
        EPISODES_HEADER
        + episode("01/05/2023", "02/06/2024", "E3")
        + episode("01/06/2023", child="2").replace("C2", "V2")
        + episode("10/01/2023", "15/03/2024", "E11", child="3")
        + episode("01/07/2022", "01/02/2024", "E3", child="4"),
        newline="",
    )
    # The years are stated: the 2024 return's dates alone (three of its four episodes ended in
    # 2023-24) would make it a 2023-24 return.
    bundle = read_ssda903(tmp_path, years={tmp_path / "2023": 2023, tmp_path / "2024": 2024})
    assert [s.collection_year for s in bundle.sources] == [2023, 2024]
    by_child = {e.child_id: e for e in bundle.episodes or ()}
    assert len(bundle.episodes or ()) == 4
    assert by_child["1"].end_date == dt.date(2024, 6, 2)
    assert by_child["2"].legal_status == "V2"
    assert by_child["3"].reason_ceased == "E11"
    assert [(i.kind, i.child_id) for i in problems(bundle)] == [("revised", "2")]


def test_conflict_in_one_year_keeps_both(tmp_path: Path) -> None:
    (tmp_path / "episodes.csv").write_text(
        EPISODES_HEADER
        + episode("01/05/2023")
        + episode("01/05/2023").replace("U1", "U2")
        + episode("01/05/2023"),
        newline="",
    )
    bundle = read_ssda903(tmp_path)
    assert sorted(e.placement for e in bundle.episodes or ()) == ["U1", "U2"]
    assert sorted(i.kind for i in problems(bundle)) == ["conflict", "duplicate"]


def test_header_and_uasc_join(tmp_path: Path) -> None:
    (tmp_path / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/02/2010,WBRI,,,\n2,2,2011-03-04,,,,\n"
    )
    (tmp_path / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\n2,2,04/03/2011,04/03/2029\n")
    bundle = read_ssda903(tmp_path)
    assert bundle.children == (
        Child("1", dt.date(2010, 2, 1), "1", ethnicity="WBRI"),
        Child("2", dt.date(2011, 3, 4), "2", dt.date(2029, 3, 4), True),
    )
    assert bundle.episodes is None
    assert bundle.supplied() == frozenset({"children"})


def test_tables_recognised_by_columns_when_names_are_odd(tmp_path: Path) -> None:
    (tmp_path / "table_a.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\n1,,01/01/2024,PN1\n")
    bundle = read_ssda903(tmp_path / "table_a.csv")
    assert bundle.reviews == (LookedAfterReview("1", dt.date(2024, 1, 1), "PN1"),)


# -- malformed files ---------------------------------------------------------------------------


def error_of(*paths: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_ssda903(list(paths))
    return info.value


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(EPISODES_HEADER.replace("DECOM,", "") + "1,S,C2,N1,U1,PR1,,,,,,\n")
    err = error_of(path)
    assert str(err) == (f"{path}:line 1: DECOM: the Episodes table lacks the required column DECOM")
    (tmp_path / "reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\n1,,01/01/2024,PN1\n")
    bundle = read_ssda903(tmp_path, errors="collect")
    assert bundle.episodes is None
    assert bundle.reviews is not None and len(bundle.reviews) == 1
    (issue,) = problems(bundle)
    assert (issue.kind, issue.field) == ("missing column", "DECOM")
    assert issue.message.endswith("; the table is not loaded: its 1 row (line 2) is not loaded")


def test_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(
        EPISODES_HEADER + episode("31/02/2024") + episode("2024/01/01") + episode("01/01/2024")
    )
    err = error_of(path)
    assert (err.location, err.field, err.value, err.message) == (
        "line 2",
        "DECOM",
        "31/02/2024",
        "not a date: no such day",
    )
    bundle = read_ssda903(path, errors="collect")
    assert [e.start_date for e in bundle.episodes or ()] == [dt.date(2024, 1, 1)]
    assert [(i.location, i.field, i.value) for i in problems(bundle)] == [
        (f"{path}:line 2", "DECOM", "31/02/2024"),
        (f"{path}:line 3", "DECOM", "2024/01/01"),
    ]
    assert problems(bundle)[1].message == (
        "not a date: expected dd/mm/yyyy or yyyy-mm-dd; episode not loaded"
    )


def test_unknown_code(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(EPISODES_HEADER + episode("01/01/2024").replace("U1", "Q9"))
    err = error_of(path)
    assert (err.location, err.field, err.value) == ("line 2", "PLACE", "Q9")
    assert err.message.startswith("unknown PLACE code; expected one of A1, A2, A3")
    bundle = read_ssda903(path, errors="collect")
    assert bundle.episodes == ()
    assert [i.kind for i in problems(bundle)] == ["unknown code"]


def test_codes_are_checked_against_their_own_year(tmp_path: Path) -> None:
    """K3 (registered supported accommodation) exists from 2024-25, A1/A2 until 2020-21, F3/P3
    until 2020-21 and F4/F5 from 2021-22. A code its record's year did not use is reported with
    its place, in either mode, and the record is kept (the code itself is known)."""
    (tmp_path / "episodes.csv").write_text(
        EPISODES_HEADER
        + episode("01/03/2024").replace("U1", "K3")  # 2023-24: no K3 yet
        + episode("01/04/2024", child="2").replace("U1", "K3")  # 2024-25: fine
        + episode("01/06/2020", child="3").replace("U1", "A1")  # 2020-21: still in use
        + episode("01/06/2022", child="4").replace("U1", "A2")  # 2022-23: withdrawn
        + episode("01/02/2025", child="5"),
        newline="",
    )
    (tmp_path / "oc3.csv").write_text(
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n6,01/06/2005,YES,F3,B1\n7,01/06/2005,YES,F4,B1\n"
    )
    for mode in ("raise", "collect"):
        bundle = read_ssda903(tmp_path, errors=mode)  # type: ignore[arg-type]
        assert [s.collection_year for s in bundle.sources] == [2024, 2024]
        assert len(bundle.episodes or ()) == 5 and len(bundle.care_leavers or ()) == 2
        found = [(i.kind, i.child_id, i.field, i.value, i.location) for i in problems(bundle)]
        assert found == [
            ("code year", "1", "PLACE", "K3", f"{tmp_path / 'episodes.csv'}:line 2"),
            ("code year", "4", "PLACE", "A2", f"{tmp_path / 'episodes.csv'}:line 5"),
            ("code year", "6", "ACTIV", "F3", f"{tmp_path / 'oc3.csv'}:line 2"),
        ]
        assert problems(bundle)[0].message == (
            "PLACE code K3 was not in use in 2023-24, the year the episode started (the "
            "PLACE list has it in 2024-25 and 2025-26)"
        )
        assert problems(bundle)[2].message == (
            "ACTIV code F3 was not in use in 2024-25, the OC3 row's collection year (the "
            "ACTIV list has it in 2019-20 and 2020-21)"
        )


def test_dates_of_year_one_do_not_break_the_year_checks(tmp_path: Path) -> None:
    """An episode starting in January of year 1 has no collection year whose codes are known
    (nothing to check), and a return whose latest date is then names no year; found by
    fuzzing, where it raised a bare ValueError."""
    (tmp_path / "episodes.csv").write_text(
        EPISODES_HEADER + episode("01/01/0001").replace("U1", "K3"), newline=""
    )
    bundle = read_ssda903(tmp_path)
    assert [s.collection_year for s in bundle.sources] == [None]
    assert problems(bundle) == ()
    (tmp_path / "episodes.csv").write_text(
        EPISODES_HEADER
        + episode("01/01/0001").replace("U1", "K3")
        + episode("01/05/2024", child="2"),
        newline="",
    )
    bundle = read_ssda903(tmp_path)
    assert [s.collection_year for s in bundle.sources] == [2024]
    assert problems(bundle) == ()


def test_a_wrong_year_code_repeated_in_several_returns_is_reported_once(tmp_path: Path) -> None:
    for year in ("2023", "2024"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "episodes.csv").write_text(
            EPISODES_HEADER
            + episode("01/03/2024").replace("U1", "K3")
            + episode(f"01/01/{int(year) + 1}", child="2"),
            newline="",
        )
    bundle = read_ssda903(tmp_path)
    assert [(i.kind, i.child_id) for i in problems(bundle)] == [("code year", "1")]


def test_every_year_dependent_code_list_is_checked_by_the_reader() -> None:
    from csc_indicators.codes import YEAR_DEPENDENT_FIELDS
    from csc_indicators.io._ssda903_years import _CODE_YEARS

    assert {item for _, item, _, _ in _CODE_YEARS.values()} == YEAR_DEPENDENT_FIELDS


def test_years_accepting() -> None:
    from csc_indicators.codes import years_accepting

    assert years_accepting("PLACE", "K3") == (2024, 2025)
    assert years_accepting("PLACE", "U1") == (2019, 2020, 2021, 2022, 2023, 2024, 2025)
    assert years_accepting("ACTIV", "P3") == (2019, 2020)
    assert years_accepting("PLACE", "Q9") == ()
    with pytest.raises(KeyError, match="not an SSDA903 coded field"):
        years_accepting("NOPE", "X")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text("")
    assert str(error_of(path)) == f"{path}:line 1: not an SSDA903 return table: the file is empty"


def test_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("name,comment\nx,y\n")
    err = error_of(path)
    assert err.message.startswith(
        "not an SSDA903 return table: its columns (NAME, COMMENT) match none of Header, Episodes"
    )
    with pytest.raises(InputError, match="no SSDA903 return table could be read"):
        read_ssda903(path, errors="collect")


def test_bom_and_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (EPISODES_HEADER + episode("01/01/2024")).encode())
    (e,) = read_ssda903(path).episodes or ()
    assert e == Episode("1", dt.date(2024, 1, 1), "S", "C2", "U1", None, None, "PR1", None, "N1")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_bytes(EPISODES_HEADER.encode() + b"\xff\xfe1,01/01/2024\n")
    err = error_of(path)
    assert err.message.startswith("not UTF-8 text")


def test_too_many_values(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("CHILD,DOB,REVIEW,REVIEW_CODE\n1,,01/01/2024,PN1,extra\n")
    err = error_of(path)
    assert (err.location, err.message) == (
        "line 2",
        "the row has 5 values but the header names 4 columns",
    )


def test_missing_path(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nope")
    assert err.message == "no such file or directory"


def test_xml_truncated_keeps_earlier_children(tmp_path: Path) -> None:
    text = (SAMPLES / "fake_903.xml").read_text()
    cut = text[: text.index("<CHILD>", 20000)] + "<CHILD><HEADER><CHILDID>9"
    path = tmp_path / "cut.xml"
    path.write_text(cut)
    err = error_of(path)
    assert err.message.startswith("the file ends early, truncated?")
    bundle = read_ssda903(path, errors="collect")
    assert bundle.children is not None and len(bundle.children) > 10
    assert problems(bundle)[-1].kind == "malformed"


def test_xml_wrong_root(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<Message/>")
    assert error_of(path).message == (
        "not a SSDA903 return (XML): the root element is <Message>, expected <EXPSSDA903>"
    )


# -- the sample files --------------------------------------------------------------------------


def test_sample_csv_tables_raise_at_the_first_bad_code() -> None:
    err = error_of(SAMPLES)
    assert err.path is not None and err.path.endswith("oc3.csv")
    assert (err.location, err.field, err.value) == ("line 2", "ACCOM", "01")


def test_sample_directory_loads_leniently(tmp_path: Path) -> None:
    bundle = read_ssda903(SAMPLES, errors="collect")
    assert len(bundle.episodes or ()) == 5050 + 459
    assert len(bundle.children or ()) == 2675 + 253
    assert len(bundle.placed_for_adoption or ()) == 0
    kinds = {(i.kind, i.field) for i in problems(bundle)}
    assert kinds == {
        ("unknown code", "REASON_PLACED_CEASED"),
        ("unknown code", "ACCOM"),
        ("duplicate", None),
    }
    assert all(i.location for i in problems(bundle))
    # Inferred from what most rows say (2017-18), no longer from the single latest date.
    assert {s.collection_year for s in bundle.sources} == {2017}


def test_sample_xml_loads() -> None:
    err = error_of(SAMPLES / "fake_903.xml")
    assert (err.location, err.field, err.value) == (
        "line 2, EXPSSDA903/CHILD[146]/HEADER[1]/AD_PLACED[1]/REASON_PLACED_CEASED",
        "REASON_PLACED_CEASED",
        "XXX",
    )
    bundle = read_ssda903(SAMPLES / "fake_903.xml", errors="collect")
    assert len(bundle.children or ()) == 253
    assert len(bundle.episodes or ()) == 459
    assert len(bundle.reviews or ()) == 1206
    assert sum(c.uasc for c in bundle.children or ()) == 12
    assert len(bundle.adoptions or ()) == 3
    assert len(bundle.care_leavers or ()) == 6 - 1
    assert bundle.placed_for_adoption == ()
    assert [(i.field, i.value) for i in problems(bundle)] == [
        *[("REASON_PLACED_CEASED", "XXX")] * 3,
        ("ACCOM", "01"),
    ]


def test_sample_single_tables(tmp_path: Path) -> None:
    for name in (
        "episodes.csv",
        "reviews.csv",
        "header.csv",
        "uasc.csv",
        "missing.csv",
        "oc2.csv",
        "previous_permanence.csv",
        "ad1.csv",
    ):
        shutil.copy(SAMPLES / name, tmp_path / name)
    bundle = read_ssda903(tmp_path)
    assert len(bundle.missing or ()) == 43
    assert len(bundle.adoptions or ()) == 29
    assert bundle.care_leavers is None


@settings(max_examples=30)
@given(bundle=looked_after_bundles(), data=st.data())
def test_lenient_mode_accounts_for_every_row(
    tmp_path_factory: pytest.TempPathFactory, bundle: Bundle, data: st.DataObject
) -> None:
    """Break some rows' values: every row is either loaded or named in an issue, exactly once."""
    directory = tmp_path_factory.mktemp("903")
    write_ssda903(bundle, directory)
    path = directory / "episodes.csv"
    lines = path.read_bytes().decode().split("\r\n")
    body = [i for i in range(1, len(lines)) if lines[i]]
    rows = st.sets(st.sampled_from(body), max_size=len(body)) if body else st.just(set())
    broken = data.draw(rows)
    for i in broken:
        cells = lines[i].split(",")
        column = data.draw(st.sampled_from([1, 2, 3, 5, 7]))  # DECOM, RNE, LS, PLACE, DEC
        cells[column] = data.draw(st.sampled_from(["32/01/2020", "XX", "2020-13-01", "??"]))
        lines[i] = ",".join(cells)
    path.write_text("\r\n".join(lines), newline="")
    back = read_ssda903(directory, errors="collect")
    not_loaded = [i for i in problems(back) if i.message.endswith("episode not loaded")]
    assert len(back.episodes or ()) + len(not_loaded) == len(body)
    assert {int((i.location or "").rsplit("line ", 1)[1]) for i in not_loaded} == {
        i + 1 for i in broken
    }


def test_optional_column_absent_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text("CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n1,01/05/2024,S,C2,U1,,\n")
    bundle = read_ssda903(path)
    (e,) = bundle.episodes or ()
    assert (e.category_of_need, e.placement_provider) == (None, None)
    (issue,) = problems(bundle)
    assert (issue.kind, issue.field) == ("missing column", "CIN")
    assert issue.message == (
        "the Episodes table has no column CIN, PLACE_PROVIDER, "
        "REASON_PLACE_CHANGE, PL_POST: read as not recorded"
    )
