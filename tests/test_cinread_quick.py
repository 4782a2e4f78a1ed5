"""The quick way of the CIN census reader (:func:`csc_indicators.io._cin_fast.quick_child`): a
``Child`` of the plain shape read straight from its bytes gives exactly the records that the
scanner's walk and :func:`~csc_indicators.io._cin_fast.fast_child` give from its tree; any other
is left to the walk."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, InputError
from csc_indicators.io import write_cin_census
from csc_indicators.io._cin_fast import CHILD, fast_child, quick_child
from csc_indicators.io._cin_records import RECORD_TAGS
from csc_indicators.io._xml_scan import BLOCK_SIZE, Scan
from csc_indicators.io.cin_census import _CAPTURE
from strategies.returns import cin_bundles
from test_cinread_compare import HEADER, damaged
from test_cinread_reference import same_as_reference

END = "</Children></Message>\n"


def scanned(path: Path, quick: bool) -> tuple[list[tuple[str, Any, bool, list[Any]]], bool] | None:
    """The records the scanner delivers (with ``quick_child`` or without), and whether it read
    the whole file itself; ``None`` if it refused the file."""
    scan = Scan(
        path, kind="CIN census", root="Message", capture=_CAPTURE, watch=frozenset(RECORD_TAGS)
    )
    if quick:
        scan.quick = ("Child", CHILD, quick_child)
    found = []
    with contextlib.closing(scan):
        try:
            found.extend(scan)
        except InputError:
            return None
    return found, scan.fast


def same_as_walk(path: Path) -> int:
    """Check that each record read the quick way is what the walk's tree gives the fast way,
    and that every other is delivered as without the quick way; the records read the quick
    way."""
    walked = scanned(path, quick=False)
    quick = scanned(path, quick=True)
    assert (walked is None) == (quick is None)
    if walked is None or quick is None:
        return 0
    assert walked[1] == quick[1]
    assert len(walked[0]) == len(quick[0])
    read = 0
    for (tag, tree, nested, strays), (tag2, got, nested2, strays2) in zip(
        walked[0], quick[0], strict=True
    ):
        assert tag == tag2
        if type(got) is tuple:
            read += 1
            assert tag == "Child" and not nested and not strays and not nested2 and not strays2
            assert fast_child(tree) == got
        else:
            assert (got, nested2, [s.location for s in strays2]) == (
                tree,
                nested,
                [s.location for s in strays],
            )
    return read


_FULL = (
    "<Child>\n"
    " <ChildIdentifiers><LAchildID> Q1 </LAchildID><UPN>A123</UPN><FormerUPN/>"
    "<UPNunknown>UN1</UPNunknown><PersonBirthDate>2015-02-03</PersonBirthDate>"
    "<ExpectedPersonBirthDate></ExpectedPersonBirthDate><GenderCurrent>1</GenderCurrent>"
    "<PersonDeathDate/></ChildIdentifiers>\n"
    " <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities>"
    "<Disability>HAND</Disability> <Disability>vis</Disability><Disability>MOB</Disability>"
    "</Disabilities></ChildCharacteristics>\n"
    " <CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
    "<PrimaryNeedCode>N1</PrimaryNeedCode><CINclosureDate>2024-09-01</CINclosureDate>"
    "<ReasonForClosure>RC1</ReasonForClosure><ReferralNFA>false</ReferralNFA>\n"
    "  <Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>"
    "<AssessmentInternalReviewDate>2024-05-09</AssessmentInternalReviewDate>"
    "<AssessmentAuthorisationDate>2024-05-20</AssessmentAuthorisationDate>"
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>2A</AssessmentFactors>"
    "<AssessmentFactors>3B</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>\n"
    "  <Assessments><AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate>"
    "</Assessments>\n"
    "  <CINPlanDates><CINPlanStartDate>2024-05-21</CINPlanStartDate></CINPlanDates>\n"
    "  <Section47><S47ActualStartDate>2024-05-03</S47ActualStartDate>"
    "<InitialCPCtarget>2024-05-10</InitialCPCtarget><DateOfInitialCPC>2024-05-12</DateOfInitialCPC>"
    "<ICPCnotRequired>false</ICPCnotRequired></Section47>\n"
    "  <Section47><S47ActualStartDate>2024-07-03</S47ActualStartDate>"
    "<ICPCnotRequired>1</ICPCnotRequired></Section47>\n"
    "  <ChildProtectionPlans><CPPstartDate>2024-05-12</CPPstartDate>"
    "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><NumberOfPreviousCPP>2</NumberOfPreviousCPP>"
    "<Reviews><CPPreviewDate>2024-06-01</CPPreviewDate><CPPreviewDate>2024-08-01</CPPreviewDate>"
    "</Reviews></ChildProtectionPlans>\n"
    "  <ChildProtectionPlans><CPPstartDate>2024-08-12</CPPstartDate></ChildProtectionPlans>\n"
    " </CINdetails>\n"
    " <CINdetails><CINreferralDate>2024-10-01</CINreferralDate><DateOfInitialCPC>2024-10-05"
    "</DateOfInitialCPC><ReferralNFA>1</ReferralNFA></CINdetails>\n"
    " <CINdetails><CINreferralDate>2024-11-01</CINreferralDate>"
    "<Assessments><AssessmentActualStartDate>2024-11-02</AssessmentActualStartDate></Assessments>"
    "<ReferralNFA>0</ReferralNFA>"
    "<ChildProtectionPlans><CPPstartDate>2024-11-12</CPPstartDate><Reviews>"
    "<CPPreviewDate>2024-12-01</CPPreviewDate></Reviews></ChildProtectionPlans></CINdetails>\n"
    "</Child>\n"
)
"""A child with every element of the schema, repeated where the schema lets it."""

# (what, the child): each read the quick way.
QUICK = [
    ("every element", _FULL),
    ("CRLF", _FULL.replace("\n", "\r\n")),
    ("CR in a value", _FULL.replace(" Q1 ", "Q\r\n1")),
    ("no white space", _FULL.replace("\n", "").replace("> <", "><")),
    (
        "empty unread groups, 2026 groups",
        _FULL.replace(
            "<FactorsIdentifiedAtAssessment><AssessmentFactors>2A</AssessmentFactors>",
            "<FactorsIdentifiedAtAssessment/><FactorsIdentifiedAtAssessment>"
            "<AssessmentFactors/><AssessmentFactors>2A</AssessmentFactors>",
        )
        .replace("<CINPlanDates>", "<CINPlanDates/><CINPlanDates> </CINPlanDates><CINPlanDates>")
        .replace(
            "</ChildProtectionPlans>\n </CINdetails>",
            "</ChildProtectionPlans><PreProceedingsandFGDM><PPStartDate>2026-09-09</PPStartDate>"
            "<PPOutcome>A</PPOutcome></PreProceedingsandFGDM><PreProceedingsandFGDM/>\n"
            " </CINdetails>",
        ),
    ),
    ("ids only", "<Child><ChildIdentifiers><LAchildID>Q2</LAchildID></ChildIdentifiers></Child>"),
]

# (what, the child): each left to the walk (the same records, or the exact way).
WALKED = [
    (
        "order",
        _FULL.replace("<PersonBirthDate>2015-02-03</PersonBirthDate>", "").replace(
            "<PersonDeathDate/>", "<PersonDeathDate/><PersonBirthDate>2015-02-03</PersonBirthDate>"
        ),
    ),
    ("unknown element", _FULL.replace("<UPN>", "<Extra>1</Extra><UPN>")),
    ("empty item", _FULL.replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity/>")),
    ("blank item", _FULL.replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity></Ethnicity>")),
    ("repeated item", _FULL.replace("<Ethnicity>WBRI", "<Ethnicity>A</Ethnicity><Ethnicity>B")),
    (
        "NFA twice",
        _FULL.replace("<ReferralNFA>1</ReferralNFA>", "<ReferralNFA>1</ReferralNFA>" * 2),
    ),
    (
        "NFA early and late",
        _FULL.replace("</Section47>\n  <Ch", "</Section47><ReferralNFA>1</ReferralNFA><Ch"),
    ),
    ("white space group", _FULL.replace("<Disabilities>", "<X> </X><Disabilities>")),
    (
        "empty group",
        _FULL.replace(
            "<ChildCharacteristics>",
            "<ChildCharacteristics></ChildCharacteristics><ChildCharacteristics>",
        ),
    ),
    (
        "group as text",
        _FULL.replace(
            "<Reviews><CPPreviewDate>2024-12-01</CPPreviewDate></Reviews>", "<Reviews> </Reviews>"
        ),
    ),
    ("nested child", _FULL.replace("<CINPlanDates>", "<Child>x</Child><CINPlanDates>")),
    ("text beside", _FULL.replace("<CINPlanDates>", "x<CINPlanDates>")),
    ("bad date", _FULL.replace("2024-05-02", "2024-05-32")),
    ("unknown code", _FULL.replace("WBRI", "ZZZZ")),
    ("no id", _FULL.replace(" Q1 ", " ")),
    (
        "transfer-in beside enquiries",
        _FULL.replace(
            "<ReasonForClosure>",
            "<DateOfInitialCPC>2024-05-13</DateOfInitialCPC><ReasonForClosure>",
        ),
    ),
    ("mismatched tags", _FULL.replace("</UPN>", "</UPX>")),
]


def _file(tmp_path: Path, children: list[str]) -> Path:
    path = tmp_path / "cin.xml"
    path.write_bytes((HEADER + "".join(children) + END).encode())
    return path


@pytest.mark.parametrize(("what", "text"), QUICK, ids=[w for w, _ in QUICK])
def test_read_the_quick_way(tmp_path: Path, what: str, text: str) -> None:
    path = _file(tmp_path, [text])
    assert same_as_walk(path) == 1
    for errors in ("raise", "collect"):
        same_as_reference(path, errors)


@pytest.mark.parametrize(("what", "text"), WALKED, ids=[w for w, _ in WALKED])
def test_left_to_the_walk(tmp_path: Path, what: str, text: str) -> None:
    path = _file(tmp_path, [_FULL, text, _FULL])
    assert same_as_walk(path) <= 2  # not this one
    found = re.fullmatch(rb"<Child>(?:%s)</Child>\s*" % CHILD, text.encode())
    assert found is None or quick_child(found) is None
    for errors in ("raise", "collect"):
        same_as_reference(path, errors)


def test_many_blocks(tmp_path: Path) -> None:
    """Children across block boundaries: those in a block after its first end of a child are
    read the quick way."""
    children = [_FULL.replace("Q1", f"Q{i}") for i in range(3 * BLOCK_SIZE // len(_FULL))]
    path = _file(tmp_path, children)
    assert same_as_walk(path) > len(children) * 9 // 10
    same_as_reference(path, "collect")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), bundle=cin_bundles(), pretty=st.booleans())
def test_damaged_census_quick_as_the_walk(
    tmp_path: Path, data: st.DataObject, bundle: Bundle, pretty: bool
) -> None:
    """Damage element by element: each child the quick way or else walked, the same records."""
    path = tmp_path / "cin.xml"
    write_cin_census(bundle, path, collection_year=2022)
    text = path.read_text()
    if not pretty:
        text = "".join(line.strip() for line in text.splitlines())
    text, encoding = data.draw(damaged(text))
    path.write_bytes(text.encode(encoding))
    same_as_walk(path)
