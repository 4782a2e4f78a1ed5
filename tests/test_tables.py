"""The table declarations (``csc_indicators.io._tables``): they agree with the records, the
documentation is generated from them, and what they add to the readers (breakdown fields,
postcode districts, conflicts, several census files) behaves as documented."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, CinChild, InputError, Referral, synthetic
from csc_indicators.io import read_cin_census, read_ssda903, stitch_cin, write_cin_census
from csc_indicators.io._tables import CIN_TABLES, GENERATED, TABLES, outward_code, regenerate

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
    "</CollectionDetails></Header><Children>"
)


def census(tmp_path: Path, children: str, year: int = 2025, name: str = "cin.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER.format(year=year) + children + "</Children></Message>")
    return path


def child(
    child_id: str = "C1", identifiers: str = "", characteristics: str = "", details: str = ""
) -> str:
    return (
        f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID>{identifiers}"
        f"</ChildIdentifiers><ChildCharacteristics>{characteristics}</ChildCharacteristics>"
        f"<CINdetails><CINreferralDate>2024-05-01</CINreferralDate>{details}"
        "<ReferralNFA>false</ReferralNFA></CINdetails></Child>"
    )


# -- the declarations and the pages they generate -----------------------------------------------


@pytest.mark.parametrize("page", sorted(GENERATED))
def test_the_pages_are_generated_from_the_declarations(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    assert regenerate(text, page) == text, (
        f"{page} is out of date: run python scripts/update_tables_doc.py"
    )


def test_every_column_fills_a_field_of_its_record() -> None:
    for table in (*TABLES, *CIN_TABLES):
        if table.record is None:
            assert not table.read
            continue
        fields = {a.name for a in attrs.fields(table.record)}
        for column in table.read:
            assert column.field in fields, (table.name, column.name)
            assert column.codes is None or column.type in ("code", "codes"), column.name
        for name in table.fixed:
            assert name in fields


def test_the_csv_columns_are_the_dfe_ones_in_order() -> None:
    episodes = next(t for t in TABLES if t.name == "Episodes")
    assert episodes.columns == (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    )
    assert episodes.required == ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC")


# -- breakdown fields ----------------------------------------------------------------------------


def test_characteristics_are_read_into_one_cin_child(tmp_path: Path) -> None:
    path = census(
        tmp_path,
        child(
            identifiers="<PersonBirthDate>2015-03-27</PersonBirthDate><Sex>f</Sex>",
            characteristics="<Ethnicity>WBRI</Ethnicity><Disabilities><Disability>HAND"
            "</Disability><Disability>AUT</Disability></Disabilities>",
            details="<ReferralSource>2A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>",
        ),
    )
    bundle = read_cin_census(path)
    assert bundle.cin_children == (
        CinChild("C1", dt.date(2015, 3, 27), "F", "WBRI", ("HAND", "AUT")),
    )
    assert bundle.cin_children[0].disability is True
    (referral,) = bundle.referrals or ()
    assert (referral.referral_source, referral.primary_need) == ("2A", "N1")
    assert bundle.issues == ()


@pytest.mark.parametrize(
    ("element", "code", "sex"),
    [
        ("GenderCurrent", "1", "M"),
        ("GenderCurrent", "9", "U"),
        ("Sex", "2", "F"),
        ("Sex", "U", "U"),
    ],
)
def test_gender_current_and_sex_are_read_as_m_f_u(
    tmp_path: Path, element: str, code: str, sex: str
) -> None:
    path = census(tmp_path, child(identifiers=f"<{element}>{code}</{element}>"), year=2020)
    (facts,) = read_cin_census(path).cin_children or ()
    assert facts.sex == sex


def test_an_unknown_breakdown_code_is_reported_and_the_record_kept(tmp_path: Path) -> None:
    path = census(
        tmp_path,
        child(
            characteristics="<Ethnicity>XXXX</Ethnicity>",
            details="<ReferralSource>Z9</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>",
        ),
    )
    bundle = read_cin_census(path)  # raise mode: a breakdown value never stops the reading
    (referral,) = bundle.referrals or ()
    assert (referral.referral_source, referral.primary_need) == (None, "N1")
    (facts,) = bundle.cin_children or ()
    assert facts.ethnicity is None
    issues = sorted(bundle.issues, key=lambda i: str(i.field))
    assert [(i.kind, i.field, i.value, i.child_id) for i in issues] == [
        ("unknown code", "Ethnicity", "XXXX", "C1"),
        ("unknown code", "ReferralSource", "Z9", "C1"),
    ]
    assert "ChildCharacteristics[1]/Ethnicity" in str(issues[0].location)
    assert issues[1].message.endswith("; read as not recorded")


def test_an_unknown_code_of_a_figure_still_stops_its_record(tmp_path: Path) -> None:
    path = census(tmp_path, child(details="<ReasonForClosure>RC99</ReasonForClosure>"))
    bundle = read_cin_census(path, errors="collect")
    assert bundle.referrals == ()
    (issue,) = bundle.issues
    assert (issue.kind, issue.field) == ("unknown code", "ReasonForClosure")


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("WV27 9FW", "WV27"),
        ("wv279fw", "WV27"),
        ("SW1A 1AA", "SW1A"),
        ("M1 1AE", "M1"),
        ("B33 8TH", "B33"),
        ("QA4", "QA4"),
        ("not a postcode", None),
        ("12345", None),
    ],
)
def test_only_the_outward_code_of_a_postcode_is_kept(text: str, district: str | None) -> None:
    assert outward_code(text) == district


def test_placement_postcodes_keep_the_district_and_are_never_quoted(tmp_path: Path) -> None:
    (tmp_path / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\n1,01/05/2024,S,C2,N1,U1,PR1,,,,,WV27 9FW,\n2,01/05/2024,S,C2,N1,U1,PR1,,,,,"
        "NOT KNOWN,\n"
    )
    bundle = read_ssda903(tmp_path, years={tmp_path: 2024})
    assert [e.placement_postcode_district for e in bundle.episodes or ()] == ["WV27", None]
    (issue,) = [i for i in bundle.issues if i.field == "PL_POST"]
    assert issue.value is None and "KNOWN" not in issue.message


def test_synthetic_data_fills_the_breakdown_fields() -> None:
    made = synthetic.generate(0.03, first_year=2022, years=1, seed=1)
    assert made.cin_children and {c.child_id for c in made.cin_children} == {
        r.child_id for r in made.referrals or ()
    }
    assert all(c.sex and c.ethnicity and c.disabilities for c in made.cin_children)
    assert all(r.referral_source and r.primary_need for r in made.referrals or ())
    assert all(c.ethnicity for c in made.children or ())
    districts = {e.placement_postcode_district for e in made.episodes or ()}
    assert len(districts) > 3 and all(d is None or d.startswith("Q") for d in districts)


# -- conflicts -----------------------------------------------------------------------------------


def test_a_repeated_element_with_two_values_is_a_conflict(tmp_path: Path) -> None:
    path = census(
        tmp_path,
        "<Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers><CINdetails>"
        "<CINreferralDate>2024-05-01</CINreferralDate><CINreferralDate>2024-06-01"
        "</CINreferralDate><ReferralNFA>false</ReferralNFA><Assessments>"
        "<AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate></Assessments>"
        "</CINdetails></Child>",
    )
    with pytest.raises(InputError, match="CINreferralDate appears 2 times"):
        read_cin_census(path)
    bundle = read_cin_census(path, errors="collect")
    assert bundle.referrals == ()
    assert len(bundle.assessments or ()) == 1
    (issue,) = bundle.issues
    assert (issue.kind, issue.field, issue.child_id) == ("conflict", "CINreferralDate", "C1")
    assert issue.message.endswith("; the referral is not loaded")
    assert "CINdetails[1]/CINreferralDate" in str(issue.location)


def test_a_repeat_with_the_same_value_is_harmless(tmp_path: Path) -> None:
    path = census(
        tmp_path,
        child(details="<PrimaryNeedCode>N1</PrimaryNeedCode><PrimaryNeedCode>N1</PrimaryNeedCode>"),
    )
    bundle = read_cin_census(path)
    assert len(bundle.referrals or ()) == 1 and bundle.issues == ()


def test_two_ids_in_one_child_load_none_of_its_records(tmp_path: Path) -> None:
    path = census(tmp_path, child(identifiers="<LAchildID>C2</LAchildID>") + child("C3"))
    bundle = read_cin_census(path, errors="collect")
    assert [r.child_id for r in bundle.referrals or ()] == ["C3"]
    assert [c.child_id for c in bundle.cin_children or ()] == ["C3"]
    assert {i.kind for i in bundle.issues} == {"conflict"}


def test_a_child_twice_in_one_file(tmp_path: Path) -> None:
    same = child(characteristics="<Ethnicity>WBRI</Ethnicity>")
    other = child(characteristics="<Ethnicity>WIRI</Ethnicity>")
    twice = read_cin_census(census(tmp_path, same + same), errors="collect")
    assert [c.ethnicity for c in twice.cin_children or ()] == ["WBRI"]
    assert [i.kind for i in twice.issues] == ["duplicate"]
    clash = read_cin_census(census(tmp_path, same + other), errors="collect")
    assert clash.cin_children == ()
    assert [i.kind for i in clash.issues] == ["conflict", "conflict"]
    assert "Child[1]" in str(clash.issues[0].location) + str(clash.issues[1].location)


# -- several census files ------------------------------------------------------------------------


def test_several_census_files_are_stitched(tmp_path: Path) -> None:
    first = census(tmp_path, child(characteristics="<Ethnicity>NOBT</Ethnicity>"), 2024, "a.xml")
    second = census(tmp_path, child(characteristics="<Ethnicity>WBRI</Ethnicity>"), 2025, "b.xml")
    both = read_cin_census([second, first], errors="collect")
    assert both == stitch_cin([read_cin_census(second), read_cin_census(first)])
    other_order = read_cin_census([first, second], errors="collect")
    assert other_order.cin_children == both.cin_children
    assert other_order.referrals == both.referrals
    assert [c.ethnicity for c in both.cin_children or ()] == ["WBRI"]
    assert len(both.referrals or ()) == 1
    assert [s.collection_year for s in both.sources] == [2024, 2023]  # as given
    assert [i.kind for i in both.issues] == ["revised"]
    with pytest.raises(InputError):
        read_cin_census([])


def test_the_signature_matches_read_ssda903() -> None:
    import inspect

    cin = inspect.signature(read_cin_census).parameters
    lac = inspect.signature(read_ssda903).parameters
    assert next(iter(cin)) == next(iter(lac)) == "paths"
    assert cin["errors"].kind is lac["errors"].kind is inspect.Parameter.KEYWORD_ONLY


# -- damaged census files: every child and referral is loaded or named ---------------------------


def _sample(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    made = synthetic.generate(0.03, first_year=2023, years=1, seed=3)
    ids = sorted({r.child_id for r in made.referrals or ()})[:6]
    part = Bundle(
        **{
            name: tuple(r for r in getattr(made, name) or () if r.child_id in ids)
            for name in ("referrals", "assessments", "section47s", "transfer_ins", "plans")
        },
        cin_children=tuple(c for c in made.cin_children or () if c.child_id in ids),
    )
    path = tmp_path_factory.mktemp("sample") / "cin.xml"
    write_cin_census(part, path, collection_year=2023)
    return path.read_bytes()


@st.composite
def damaged_census(draw: st.DrawFn, text: bytes) -> bytes:
    lines = text.split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["flip", "delete", "duplicate", "undecodable"]))
        i = draw(st.integers(0, len(lines) - 1))
        if how == "delete":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "undecodable":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + b"\xff\xc3" + lines[i][at:]
        elif lines[i]:
            at = draw(st.integers(0, len(lines[i]) - 1))
            byte = draw(st.integers(0, 255))
            lines[i] = lines[i][:at] + bytes([byte]) + lines[i][at + 1 :]
    return b"\n".join(lines)


_ID = re.compile(rb"<LAchildID>([^<\n]*)</LAchildID>")
_REFERRAL = re.compile(rb"<CINreferralDate>([0-9-]{10})</CINreferralDate>")
_LINE = re.compile(r"line (\d+)")


def _accounted(bundle: Bundle, data: bytes) -> list[str]:
    """What the file holds (each child's id and its referral dates, found in its bytes by
    pattern, not by the reader) that is neither loaded nor named by an issue."""
    lines = data.split(b"\n")
    issues = [
        (i, int(m.group(1)) if (m := _LINE.search(i.location or "")) else None)
        for i in bundle.issues
    ]
    cut = min(
        (
            int(m.group(1)) if (m := re.search(r"begun at line (\d+)", i.message)) else n
            for i, n in issues
            if n is not None and "everything after this point" in i.message
        ),
        default=None,
    )
    if any(i.kind == "not read" for i, _ in issues):
        return []  # an element is reported whose content (wherever it is) is not read
    loaded_children = {c.child_id for c in bundle.cin_children or ()}
    loaded_referrals = {(r.child_id, r.date.isoformat()) for r in bundle.referrals or ()}
    missing: list[str] = []
    starts = [n for n, line in enumerate(lines, 1) if b"<Child>" in line]
    for start in starts:
        end = next(
            (n for n, line in enumerate(lines, 1) if n >= start and b"</Child>" in line),
            len(lines),
        )
        block = b"\n".join(lines[start - 1 : end])
        named = any(
            (n is not None and start <= n <= end) or (cut is not None and cut <= end)
            for i, n in issues
        )
        for found in _ID.finditer(block):
            child_id = found.group(1).decode("utf-8", "replace").strip()
            if not child_id or named or any(i.child_id == child_id for i, _ in issues):
                continue
            if child_id not in loaded_children:
                missing.append(f"child {child_id} (lines {start}-{end})")
            for date in _REFERRAL.finditer(block):
                if (child_id, date.group(1).decode()) not in loaded_referrals:
                    missing.append(f"referral {child_id} {date.group(1).decode()}")
    return missing


@pytest.fixture(scope="module")
def sample_census(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _sample(tmp_path_factory)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_child_or_referral_of_a_damaged_census_is_lost_silently(
    tmp_path: Path, sample_census: bytes, data: st.DataObject
) -> None:
    damaged = data.draw(damaged_census(sample_census))
    path = tmp_path / "cin.xml"
    path.write_bytes(damaged)
    try:
        bundle = read_cin_census(path, errors="collect")
    except InputError:
        return  # the file as a whole is refused, with its reason: nothing is loaded silently
    assert _accounted(bundle, damaged) == []


def test_the_undamaged_sample_is_read_whole(sample_census: bytes, tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_bytes(sample_census)
    bundle = read_cin_census(path)
    assert bundle.issues == ()
    assert len(bundle.cin_children or ()) == 6
    assert _accounted(Bundle(issues=()), sample_census)  # the check does find unloaded ones
    assert _accounted(bundle, sample_census) == []
    assert isinstance((bundle.referrals or ())[0], Referral)
