"""The CIN census reader reads every file exactly as the reference reader
(:mod:`test_cinread_reference`) does: on example files, on random bundles damaged character by
character (mostly malformed XML) and element by element (mostly well-formed: bad, blank,
repeated, missing and misplaced values, and XML the fast scanner leaves to the reference XML
reader), and on each kind of XML the returns may hold."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle
from csc_indicators.io import write_cin_census
from csc_indicators.io._xml_scan import Scan
from csc_indicators.io.cin_census import _CAPTURE
from strategies.returns import cin_bundles
from test_cinread_reference import outcome, read_reference, same_as_reference
from test_io_safety import mangled

SAMPLES = Path(__file__).parent / "data" / "sample-returns" / "cin"

HEADER = (
    "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>"
    "</CollectionDetails></Header>\n<Children>\n"
)


def child(i: int, referral: str = "2024-05-01", extra: str = "") -> str:
    return (
        f"<Child{extra}>\n <ChildIdentifiers><LAchildID>C{i}</LAchildID></ChildIdentifiers>\n"
        f" <CINdetails><CINreferralDate>{referral}</CINreferralDate>\n"
        "  <ReferralNFA>0</ReferralNFA></CINdetails>\n</Child>\n"
    )


def census(tmp_path: Path, children: list[str], end: str = "</Children></Message>\n") -> Path:
    path = tmp_path / "cin.xml"
    path.write_text(HEADER + "".join(children) + end)
    return path


def used_fast(path: Path) -> bool:
    """Whether the fast scanner read the whole file itself."""
    scan = Scan(path, kind="CIN census", root="Message", capture=_CAPTURE)
    with contextlib.closing(scan):
        for _ in scan:
            pass
    return scan.fast


# -- damage element by element ---------------------------------------------------------------

_VALUES = [
    "",
    " ",
    "\t2022-01-31 \n",
    "2022-13-01",
    "31/01/2022",
    "1/2/2020",
    "x" * 45,
    "rc1",
    "Rc7 ",
    "N9",
    "n0",
    "1",
    "0",
    "true",
    "Yes",
    "maybe",
    "-1",
    "+3",
    "007",
    "F",
    "m",
    "9",
    "2",
    "WBRI",
    "ZZZZ",
    "none",
    "MOB",
    "é",
    "C1",
    "A&amp;B",
    "&#50;022-01-01",
    "&lt;",
    "<![CDATA[2022-01-01]]>",
    "2022<!--c-->-01-01",
    "2022-01-01\r\n",
    "a\r\nb",
    "a\rb",
    "<?pi x?>1",
    "<b/>",
    "x<b/>y",
    "<b>2022-01-01</b>",
    "<Child/>",
    "<Header>1</Header>",
    "<Children/>",
    "\u00a0",
    "\u2028",
    "20020",
    "0001-01-01",
    "]]",
    "a > b",
]

_INSERTS = [
    "<Extra>1</Extra>",
    "<Extra/>",
    "<Extra><Deeper>1</Deeper></Extra>",
    "<Assessments><AssessmentActualStartDate>2022-01-03</AssessmentActualStartDate></Assessments>",
    "<Assessments/>",
    "<Section47><S47ActualStartDate>2022-01-02</S47ActualStartDate>"
    "<DateOfInitialCPC>2022-01-09</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired>"
    "</Section47>",
    "<DateOfInitialCPC>2022-01-09</DateOfInitialCPC>",
    "<ChildProtectionPlans><CPPstartDate>2022-02-01</CPPstartDate><Reviews>"
    "<CPPreviewDate>2022-03-01</CPPreviewDate><CPPreviewDate>2022-03-01</CPPreviewDate>"
    "</Reviews></ChildProtectionPlans>",
    "<CINdetails><CINreferralDate>2022-01-01</CINreferralDate><ReferralNFA>1</ReferralNFA>"
    "</CINdetails>",
    "<ChildIdentifiers><LAchildID>Z9</LAchildID></ChildIdentifiers>",
    "<LAchildID>Z9</LAchildID>",
    "<Disability>HAND</Disability>",
    "<Disabilities><Disability>NONE</Disability></Disabilities>",
    "<GenderCurrent>1</GenderCurrent>",
    "<Child><ChildIdentifiers><LAchildID>N1</LAchildID></ChildIdentifiers></Child>",
    "<Header/>",
    "<Children><Child/></Children>",
    "<!-- a comment -->",
    "<?pi x?>",
    "text",
    "<x:Extra xmlns:x='urn:x'>1</x:Extra>",
]

_LEAF = re.compile(r"<(\w+)>([^<]*)</\1>")
_START = re.compile(r"<(\w+)>")


@st.composite
def damaged(draw: st.DrawFn, text: str) -> tuple[str, str]:
    """``text`` with a few elements damaged, and the encoding to write it in."""
    encoding = "utf-8"
    for _ in range(draw(st.integers(1, 4))):
        leaves = list(_LEAF.finditer(text))
        starts = list(_START.finditer(text))
        if not leaves or not starts:
            break
        op = draw(
            st.sampled_from(
                ["value"] * 6
                + ["repeat"] * 3
                + ["drop", "insert", "insert", "wrap", "attribute"]
                + ["move", "whole"]
            )
        )
        leaf = draw(st.sampled_from(leaves))
        tag, value = leaf.group(1), leaf.group(2)
        if op == "value":
            new = f"<{tag}>{draw(st.sampled_from(_VALUES))}</{tag}>"
        elif op == "repeat":
            again = draw(st.sampled_from([value, *_VALUES[:12]]))
            new = leaf.group(0) + draw(st.sampled_from(["", "\n", " "])) + f"<{tag}>{again}</{tag}>"
        elif op == "drop":
            new = ""
        elif op == "wrap":
            new = f"<{tag}> <{tag}>{value}</{tag}> </{tag}>"
        elif op == "attribute":
            start = draw(st.sampled_from(starts))
            text = (
                text[: start.end() - 1]
                + draw(st.sampled_from([' a="1"', " xmlns='urn:x'", ' a="&gt;"', " "]))
                + text[start.end() - 1 :]
            )
            continue
        elif op == "move":
            start = draw(st.sampled_from(starts))
            text = text[: leaf.start()] + text[leaf.end() :]
            at = start.start() if start.start() < leaf.start() else max(leaf.start(), 0)
            text = text[:at] + leaf.group(0) + text[at:]
            continue
        elif op == "whole":
            whole = draw(
                st.sampled_from(
                    ["crlf", "cr", "bom", "latin-1", "utf-16", "windows-1252", "us-ascii", "tabs"]
                )
            )
            if whole == "crlf":
                text = text.replace("\n", "\r\n")
            elif whole == "cr":
                text = text.replace("\n", "\r")
            elif whole == "bom":
                text = "\ufeff" + text
            elif whole == "tabs":
                text = text.replace("  ", "\t")
            else:
                encoding = whole
                declaration = f'<?xml version="1.0" encoding="{whole}"?>'
                text = declaration + re.sub(r"^<\?xml[^>]*\?>", "", text)
            continue
        else:  # insert
            start = draw(st.sampled_from(starts))
            at = start.end()
            text = text[:at] + draw(st.sampled_from(_INSERTS)) + text[at:]
            continue
        text = text[: leaf.start()] + new + text[leaf.end() :]
    if encoding not in ("utf-8", "utf-16"):
        text = text.encode(encoding, "replace").decode(encoding)  # what it can hold
    return text, encoding


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    bundle=cin_bundles(),
    errors=st.sampled_from(["raise", "collect"]),
    pretty=st.booleans(),
)
def test_mangled_census_read_as_the_reference_does(
    tmp_path: Path, data: st.DataObject, bundle: Bundle, errors: str, pretty: bool
) -> None:
    """Characters of noise anywhere (mostly malformed XML)."""
    path = tmp_path / "cin.xml"
    write_cin_census(bundle, path, collection_year=2022)
    text = path.read_text()
    if not pretty:
        text = "".join(line.strip() for line in text.splitlines())
    path.write_bytes(data.draw(mangled(text)).encode("utf-8", "surrogatepass"))
    same_as_reference(path, errors)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    bundle=cin_bundles(),
    errors=st.sampled_from(["raise", "collect"]),
    pretty=st.booleans(),
)
def test_damaged_census_read_as_the_reference_does(
    tmp_path: Path, data: st.DataObject, bundle: Bundle, errors: str, pretty: bool
) -> None:
    """Damage element by element, mostly well-formed XML."""
    path = tmp_path / "cin.xml"
    write_cin_census(bundle, path, collection_year=2022)
    text = path.read_text()
    if not pretty:
        text = "".join(line.strip() for line in text.splitlines())
    text, encoding = data.draw(damaged(text))
    path.write_bytes(text.encode(encoding))
    same_as_reference(path, errors)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xml")))
@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_sample_files_read_as_the_reference_does(name: str, errors: str) -> None:
    same_as_reference(SAMPLES / name, errors)
    assert used_fast(SAMPLES / name)


@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_element_tree_reader_agrees_with_the_reference(tmp_path: Path, errors: str) -> None:
    """The two ways the reference reader reads (kept from before) agree on a damaged file."""
    path = census(
        tmp_path,
        [child(1, "2024-13-01"), child(2).replace("<ReferralNFA>0", "<ReferralNFA>x")],
    )
    assert outcome(read_reference, path, errors) == outcome(
        lambda p, errors: read_reference(p, errors, element_tree=True), path, errors
    )


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    bundle=cin_bundles(),
    errors=st.sampled_from(["raise", "collect"]),
    before=st.integers(0, 1500),
    after=st.integers(0, 300),
)
def test_damage_among_many_children_read_as_the_reference_does(
    tmp_path: Path, data: st.DataObject, bundle: Bundle, errors: str, before: int, after: int
) -> None:
    """Damage anywhere in a file of many blocks: before it, the scanner; from it, whatever the
    damage calls for."""
    path = tmp_path / "cin.xml"
    write_cin_census(bundle, path, collection_year=2022)
    text, encoding = data.draw(damaged(path.read_text()))
    if "<Children>" in text:
        at = text.index("<Children>") + len("<Children>")
        text = text[:at] + "".join(child(i) for i in range(before)) + text[at:]
    if "</Children>" in text:
        at = text.rindex("</Children>")
        text = text[:at] + "".join(child(i) for i in range(after)) + text[at:]
    path.write_bytes(text.encode(encoding))
    same_as_reference(path, errors)
