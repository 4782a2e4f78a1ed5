"""The CIN census reader: round trips, the sample files, and malformed files with the exact
error expected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, InputError, Referral, TransferInConference
from csc_indicators.io import read_cin_census, write_cin_census
from strategies.returns import cin_bundles

SAMPLES = Path(__file__).parent / "data" / "sample-returns" / "cin"
CIN_KINDS = ("referrals", "assessments", "section47s", "transfer_ins", "plans", "cin_children")


def same_records(a: Bundle, b: Bundle, kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        assert sorted(getattr(a, kind), key=repr) == sorted(getattr(b, kind), key=repr), kind


@settings(max_examples=40)
@given(bundle=cin_bundles(), year=st.integers(2013, 2030))
def test_round_trip(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle, year: int) -> None:
    path = tmp_path_factory.mktemp("cin") / "cin.xml"
    write_cin_census(bundle, path, collection_year=year, la_code="123")
    back = read_cin_census(path)
    same_records(bundle, back, CIN_KINDS)
    assert back.issues == ()
    (source,) = back.sources
    assert source.kind == "CIN census"
    assert source.collection_year == year
    assert source.reference_date == dt.date(year + 1, 3, 31)
    assert source.la_code == "123"


def write(tmp_path: Path, text: str, name: str = "cin.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


HEADER = """<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
<ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails><Source><LEA>201</LEA></Source>
</Header><Children>"""


def child(body: str, child_id: str = "C1") -> str:
    return (
        f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID><Sex>F</Sex>"
        f"</ChildIdentifiers>{body}</Child>"
    )


def details(body: str = "", referral: str = "2024-05-01") -> str:
    return (
        f"<CINdetails><CINreferralDate>{referral}</CINreferralDate>{body}"
        "<ReferralNFA>false</ReferralNFA></CINdetails>"
    )


def test_header_year_names_the_year_the_collection_ends(tmp_path: Path) -> None:
    bundle = read_cin_census(write(tmp_path, HEADER + "</Children></Message>"))
    (source,) = bundle.sources
    assert source.collection_year == 2024
    assert source.reference_date == dt.date(2025, 3, 31)
    assert source.la_code == "201"
    assert bundle.referrals == ()
    assert bundle.supplied() == frozenset(CIN_KINDS)


def test_header_year_out_of_range_is_reported_not_a_crash(tmp_path: Path) -> None:
    """A mistyped Year (20023) is no year at all: reported with its place (raised in strict
    mode, listed in lenient mode), never a bare ValueError from the date arithmetic."""
    path = write(
        tmp_path,
        HEADER.replace("<Year>2025</Year>", "<Year>20023</Year>") + "</Children></Message>",
    )
    with pytest.raises(InputError) as caught:
        read_cin_census(path)
    assert (caught.value.message, caught.value.field, caught.value.value) == (
        "the collection Year is not a year",
        "Year",
        "20023",
    )
    bundle = read_cin_census(path, errors="collect")
    assert bundle.sources[0].collection_year is None
    assert [(i.field, i.value) for i in bundle.issues] == [("Year", "20023")]


def test_transfer_in_only_without_section47(tmp_path: Path) -> None:
    text = (
        HEADER
        + child(
            details("<DateOfInitialCPC>2024-06-03</DateOfInitialCPC>")
            + details(
                "<DateOfInitialCPC>2024-07-01</DateOfInitialCPC><Section47>"
                "<S47ActualStartDate>2024-06-20</S47ActualStartDate>"
                "<DateOfInitialCPC>2024-07-01</DateOfInitialCPC>"
                "<ICPCnotRequired>false</ICPCnotRequired></Section47>",
                referral="2024-06-19",
            )
        )
        + "</Children></Message>"
    )
    bundle = read_cin_census(write(tmp_path, text))
    assert bundle.transfer_ins == (TransferInConference("C1", dt.date(2024, 6, 3)),)
    assert len(bundle.section47s) == 1
    assert bundle.section47s[0].conference_date == dt.date(2024, 7, 1)
    assert bundle.issues == ()


def test_gender_current_and_sex_both_accepted(tmp_path: Path) -> None:
    old = HEADER.replace("2025", "2014") + (
        "<Child><ChildIdentifiers><LAchildID>A</LAchildID><GenderCurrent>1</GenderCurrent>"
        f"</ChildIdentifiers>{details()}</Child></Children></Message>"
    )
    assert len(read_cin_census(write(tmp_path, old)).referrals) == 1


def test_flags_true_false_one_zero(tmp_path: Path) -> None:
    text = (
        HEADER
        + child(
            "<CINdetails><CINreferralDate>2024-05-01</CINreferralDate>"
            "<ReferralNFA>1</ReferralNFA></CINdetails>"
            "<CINdetails><CINreferralDate>2024-05-02</CINreferralDate>"
            "<ReferralNFA>false</ReferralNFA></CINdetails>"
        )
        + "</Children></Message>"
    )
    refs = read_cin_census(write(tmp_path, text)).referrals
    assert [r.no_further_action for r in refs] == [True, False]


# -- malformed files: the exact error --------------------------------------------------------


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_cin_census(path)
    return info.value


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    err = error_of(path)
    assert str(err) == f"{path}: not a CIN census: the file is empty"
    with pytest.raises(InputError, match="the file is empty"):
        read_cin_census(path, errors="collect")


def test_wrong_root(tmp_path: Path) -> None:
    path = write(tmp_path, "<EXPSSDA903><CHILD/></EXPSSDA903>")
    err = error_of(path)
    assert str(err) == (
        f"{path}:line 1: not a CIN census: the root element is <EXPSSDA903>, expected <Message>"
    )
    with pytest.raises(InputError, match="root element"):
        read_cin_census(path, errors="collect")


def test_not_xml(tmp_path: Path) -> None:
    path = write(tmp_path, "CHILD,DOB\n1,01/01/2020\n")
    err = error_of(path)
    assert err.path == str(path)
    assert err.message == "not a CIN census: the file is not XML (syntax error)"
    assert err.location == "line 1, column 0"


def test_other_collection(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace(">CIN<", ">CLA<") + "</Children></Message>")
    assert error_of(path).message == "not a CIN census: the Header names the collection 'CLA'"


def test_truncated(tmp_path: Path) -> None:
    full = HEADER + child(details()) + child(details(), "C2") + "</Children></Message>"
    cut = full[: full.index("C2") + 10]
    path = write(tmp_path, cut)
    err = error_of(path)
    assert err.message.startswith("the file ends early, truncated?")
    assert err.location is not None and err.location.startswith("line 3")
    bundle = read_cin_census(path, errors="collect")
    assert [r.child_id for r in bundle.referrals] == ["C1"]
    (issue,) = bundle.issues
    assert issue.kind == "malformed"
    assert "everything after this point is not loaded" in issue.message


def test_bad_date(tmp_path: Path) -> None:
    text = (
        HEADER
        + child(
            details(
                "<Assessments><AssessmentActualStartDate>2024-02-30</AssessmentActualStartDate>"
                "</Assessments><Assessments><AssessmentActualStartDate>2024-02-01"
                "</AssessmentActualStartDate></Assessments>"
            )
        )
        + "</Children></Message>"
    )
    path = write(tmp_path, text)
    err = error_of(path)
    assert err.field == "AssessmentActualStartDate"
    assert err.value == "2024-02-30"
    assert err.message == "not a date: no such day"
    assert err.location == (
        "line 3, Message/Children/Child[1]/CINdetails[1]/Assessments[1]/AssessmentActualStartDate"
    )
    bundle = read_cin_census(path, errors="collect")
    assert [a.start_date for a in bundle.assessments] == [dt.date(2024, 2, 1)]
    assert len(bundle.referrals) == 1
    (issue,) = bundle.issues
    assert issue.field == "AssessmentActualStartDate"
    assert issue.child_id == "C1"
    assert issue.message == "not a date: no such day; assessment not loaded"
    assert issue.location == f"{path}:{err.location}"


def test_unknown_code(tmp_path: Path) -> None:
    text = (
        HEADER
        + child(details("<ReasonForClosure>RC99</ReasonForClosure>"))
        + ("</Children></Message>")
    )
    path = write(tmp_path, text)
    err = error_of(path)
    assert err.field == "ReasonForClosure"
    assert err.value == "RC99"
    assert err.message.startswith("unknown ReasonForClosure code; expected one of RC1, ")
    bundle = read_cin_census(path, errors="collect")
    assert bundle.referrals == ()
    assert [i.kind for i in bundle.issues] == ["unknown code"]


def test_missing_child_id(tmp_path: Path) -> None:
    text = (
        HEADER + child(details(), child_id="") + child(details(), "C2") + ("</Children></Message>")
    )
    path = write(tmp_path, text)
    assert error_of(path).message == "missing LAchildID"
    bundle = read_cin_census(path, errors="collect")
    assert [r.child_id for r in bundle.referrals] == ["C2"]
    assert bundle.issues[0].field == "LAchildID"


def test_missing_required_element(tmp_path: Path) -> None:
    text = (
        HEADER
        + child("<CINdetails><ReferralNFA>0</ReferralNFA></CINdetails>")
        + ("</Children></Message>")
    )
    err = error_of(write(tmp_path, text))
    assert (err.field, err.message) == ("CINreferralDate", "missing: a value is required")


def test_bom_and_windows_line_endings(tmp_path: Path) -> None:
    text = HEADER + child(details()) + "</Children></Message>"
    path = tmp_path / "bom.xml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    bundle = read_cin_census(path)
    assert bundle.referrals == (Referral("C1", dt.date(2024, 5, 1)),)


def test_reference_date_mismatch_is_noted_not_fatal(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("2025-03-31", "2024-03-31") + "</Children></Message>")
    bundle = read_cin_census(path)
    assert bundle.sources[0].collection_year == 2024
    (issue,) = bundle.issues
    assert issue.kind == "header"
    assert issue.field == "ReferenceDate"


def test_errors_mode_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="errors must be"):
        read_cin_census(write(tmp_path, HEADER), errors="ignore")  # type: ignore[arg-type]


def test_missing_file(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nope.xml")
    assert err.message.startswith("cannot open the file")


# -- the sample files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xml")))
def test_sample_files_load_leniently(name: str) -> None:
    bundle = read_cin_census(SAMPLES / name, errors="collect")
    assert len(bundle.referrals or ()) >= 1
    for issue in bundle.issues:
        assert issue.location is not None and issue.location.startswith(str(SAMPLES / name))


def test_fake_cin_data_counts() -> None:
    bundle = read_cin_census(SAMPLES / "fake_CIN_data.xml")
    assert len(bundle.referrals or ()) == 402
    assert len(bundle.transfer_ins or ()) == 350
    assert bundle.sources[0].collection_year == 2021
    assert [i.kind for i in bundle.issues] == ["header"]


def test_sample_2024_issues_are_located() -> None:
    bundle = read_cin_census(SAMPLES / "CIN_Census_2024.xml")
    kinds = sorted(i.kind for i in bundle.issues)
    assert kinds == ["conference", "header", "malformed"]
    stray = next(i for i in bundle.issues if i.kind == "malformed")
    assert stray.value == "PersonBirthDate"
    assert stray.location is not None and stray.location.endswith(
        "line 19, Message/Children/Child[1]/ChildIdentifiers[1]"
    )


def test_stitch_cin_years(tmp_path: Path) -> None:
    """The 2023 census shows a referral and a plan open; the 2024 census closes them: each is
    loaded once, closed, with nothing to report."""
    from csc_indicators import ChildProtectionPlan
    from csc_indicators.io import stitch_cin

    open_ref = Referral("A", dt.date(2024, 1, 5))
    open_plan = ChildProtectionPlan("A", dt.date(2024, 2, 1), review_dates=(dt.date(2024, 3, 1),))
    closed_ref = Referral("A", dt.date(2024, 1, 5), dt.date(2024, 9, 1), "RC1")
    closed_plan = ChildProtectionPlan(
        "A", dt.date(2024, 2, 1), dt.date(2024, 8, 1), (dt.date(2024, 3, 1), dt.date(2024, 6, 1))
    )
    write_cin_census(
        Bundle(referrals=(open_ref,), plans=(open_plan,)), tmp_path / "a.xml", collection_year=2023
    )
    write_cin_census(
        Bundle(referrals=(closed_ref, Referral("A", dt.date(2024, 10, 1))), plans=(closed_plan,)),
        tmp_path / "b.xml",
        collection_year=2024,
    )
    years = [read_cin_census(tmp_path / "b.xml"), read_cin_census(tmp_path / "a.xml")]
    bundle = stitch_cin(years)
    assert sorted(bundle.referrals or (), key=lambda r: r.date) == [
        closed_ref,
        Referral("A", dt.date(2024, 10, 1)),
    ]
    assert bundle.plans == (closed_plan,)
    assert bundle.issues == ()
    assert [s.collection_year for s in bundle.sources] == [2024, 2023]
    assert bundle.episodes is None


def test_header_is_optional(tmp_path: Path) -> None:
    path = write(tmp_path, "<Message><Children>" + child(details()) + "</Children></Message>")
    bundle = read_cin_census(path)
    assert len(bundle.referrals or ()) == 1
    assert bundle.sources[0].collection_year is None
    assert [(i.kind, i.field) for i in bundle.issues] == [("header", "Header")]


def test_icpc_not_required_is_required(tmp_path: Path) -> None:
    text = (
        HEADER
        + child(
            details("<Section47><S47ActualStartDate>2024-06-20</S47ActualStartDate></Section47>")
        )
        + "</Children></Message>"
    )
    err = error_of(write(tmp_path, text))
    assert (err.field, err.message) == ("ICPCnotRequired", "missing: a value is required")
