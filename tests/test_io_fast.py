"""The fast readers read every file exactly as the reference readers do: the same records, the
same issues with the same locations, the same errors. The CIN census reader (a bytes scanner,
:mod:`csc_indicators.io._xml_scan`) is compared with the reference CIN census reader kept in
:mod:`test_cinread_reference`; the SSDA903 XML reader (the C ElementTree builder) with itself on
the reference XML reader (expat callbacks building Node trees)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators import Bundle, InputError, Referral
from csc_indicators.io import (
    _xml,
    read_cin_census,
    read_ssda903,
    write_ssda903_xml,
)
from csc_indicators.io._xml import RecordStream
from strategies.returns import looked_after_bundles
from test_cinread_compare import HEADER, census, child, used_fast
from test_cinread_reference import outcome, read_reference
from test_io_safety import mangled

Reader = Callable[..., Bundle]


def both(
    path: Path, errors: str, monkeypatch: pytest.MonkeyPatch, read: Reader = read_cin_census
) -> tuple[object, object]:
    """What ``read`` gives, and what the reference reader gives: the reference CIN census
    reader, or for SSDA903 the same reader on the reference XML reader."""
    fast = outcome(read, path, errors)
    if read is read_cin_census:
        return fast, outcome(read_reference, path, errors)
    with monkeypatch.context() as m:
        m.setattr(_xml, "USE_FAST_READER", False)
        reference = outcome(read, path, errors)
    return fast, reference


def test_location_of_a_late_problem_has_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many chunks in, a bad date is still reported with its line and path, in both modes."""
    children = [child(i) for i in range(3000)]
    children[2500] = child(2500, referral="2024-13-01")
    path = census(tmp_path, children)
    with pytest.raises(InputError) as info:
        read_cin_census(path)
    line = 3 + 5 * 2500 + 2
    assert info.value.location == (
        f"line {line}, Message/Children/Child[2501]/CINdetails[1]/CINreferralDate"
    )
    bundle = read_cin_census(path, errors="collect")
    assert len(bundle.referrals or ()) == 2999
    (issue,) = bundle.issues
    assert (
        issue.location == f"{path}:line {line}, Message/Children/Child[2501]/CINdetails[1]/"
        "CINreferralDate"
    )
    assert both(path, "collect", monkeypatch)[0] == both(path, "collect", monkeypatch)[1]
    assert used_fast(path)


def test_namespaces_hand_over_to_the_reference_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A namespace declaration deep in the file (ElementTree would rename the tags) hands the
    rest of the file over to the reference reader: nothing is lost or read twice."""
    children = [child(i) for i in range(2000)]
    children[1500] = child(1500, extra=' xmlns:x="urn:example"')
    path = census(tmp_path, children)
    bundle = read_cin_census(path)
    assert [r.child_id for r in bundle.referrals or ()] == [f"C{i}" for i in range(2000)]
    assert not used_fast(path)
    fast, reference = both(path, "collect", monkeypatch)
    assert fast == reference


def test_default_namespace_on_the_root(tmp_path: Path) -> None:
    """A namespace declared on the root renames no tag the reader reads (namespaces are not
    processed): the scanner reads the file itself."""
    path = tmp_path / "cin.xml"
    path.write_text(
        HEADER.replace("<Message>", '<Message xmlns="urn:example">')
        + child(1)
        + "</Children></Message>"
    )
    assert read_cin_census(path).referrals == (Referral("C1", dt.date(2024, 5, 1)),)
    assert used_fast(path)


def test_malformed_late_keeps_what_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = [child(i) for i in range(2000)]
    children[1800] = children[1800].replace("</CINdetails>", "</CINdetail>")
    path = census(tmp_path, children)
    with pytest.raises(InputError) as info:
        read_cin_census(path)
    assert info.value.message == "malformed XML (mismatched tag)"
    assert info.value.location == f"line {3 + 5 * 1800 + 3}, column 32"
    # Every child finished before the break is loaded (they were once lost with their chunk).
    bundle = read_cin_census(path, errors="collect")
    assert len(bundle.referrals or ()) == 1800
    fast, reference = both(path, "collect", monkeypatch)
    assert fast == reference


def test_truncated_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = census(tmp_path, [child(i) for i in range(2000)], end="")
    with pytest.raises(InputError, match="the file ends early"):
        read_cin_census(path)
    fast, reference = both(path, "collect", monkeypatch)
    assert fast == reference
    assert isinstance(fast, Bundle) and len(fast.referrals or ()) == 2000


def test_mixed_content_read_as_the_reference_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = child(1).replace("<LAchildID>C1</LAchildID>", "x<LAchildID>C1<b/>2</LAchildID>y")
    path = census(tmp_path, [child(0), text, child(2)])
    fast, reference = both(path, "collect", monkeypatch)
    assert fast == reference
    assert isinstance(fast, Bundle)
    assert [r.child_id for r in fast.referrals or ()] == ["C0", "C12", "C2"]
    assert [(i.field, i.value) for i in fast.issues] == [
        ("LAchildID", "C12"),
        ("ChildIdentifiers", "xy"),
    ]


@pytest.mark.parametrize("declaration", ['encoding="UTF-16"', 'encoding="ISO-8859-1"'])
def test_other_encodings(tmp_path: Path, declaration: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cin.xml"
    text = (
        f'<?xml version="1.0" {declaration}?>\n'
        + HEADER
        + child(1).replace("C1", "Cé1")
        + "</Children></Message>"
    )
    encoding = "utf-16" if "16" in declaration else "latin-1"
    path.write_bytes(text.encode(encoding))
    fast, reference = both(path, "collect", monkeypatch)
    assert fast == reference
    assert isinstance(fast, Bundle) and [r.child_id for r in fast.referrals or ()] == ["Cé1"]
    assert used_fast(path) == (encoding == "latin-1")


def test_record_stream_checks_its_paths() -> None:
    with pytest.raises(ValueError, match="below the root"):
        RecordStream("x.xml", kind="x", root="Message", capture=frozenset({("Other", "A")}))
    with pytest.raises(ValueError, match="inside another"):
        RecordStream("x.xml", kind="x", root="M", capture=frozenset({("M", "A"), ("M", "A", "B")}))


def test_document_type_after_a_long_prolog_is_refused(tmp_path: Path) -> None:
    """The prolog check reads as far as the root element, however long the prolog."""
    path = tmp_path / "cin.xml"
    path.write_text(
        "<?xml version='1.0'?>\n"
        + ("<!--" + "x" * 50_000 + "-->") * 40
        + "\n<!DOCTYPE Message [<!ENTITY a 'b'>]>\n<Message>&a;</Message>"
    )
    with pytest.raises(InputError) as info:
        read_cin_census(path, errors="collect")
    assert info.value.message.startswith("refused: the file declares a document type")
    assert info.value.location == "line 3"


def test_long_prolog_read_by_the_reference_reader(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(
        ("<!--" + "x" * 50_000 + "-->") * 40 + "\n" + HEADER + child(1) + "</Children></Message>"
    )
    assert read_cin_census(path).referrals == (Referral("C1", dt.date(2024, 5, 1)),)
    assert not used_fast(path)


def test_document_type_inside_the_root_is_malformed(tmp_path: Path) -> None:
    path = census(tmp_path, [child(1), "<!DOCTYPE x [<!ENTITY a 'b'>]>", child(2)])
    with pytest.raises(InputError) as info:
        read_cin_census(path)
    assert info.value.message.startswith("malformed XML")
    bundle = read_cin_census(path, errors="collect")
    # Everything before the break is delivered, even in the chunk where it breaks.
    assert [i.kind for i in bundle.issues] == ["malformed"]
    assert bundle.referrals == (Referral("C1", dt.date(2024, 5, 1)),)


# -- the SSDA903 XML form ---------------------------------------------------------------------

SSDA903_SAMPLE = Path(__file__).parent / "data" / "sample-returns" / "ssda903" / "fake_903.xml"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), bundle=looked_after_bundles(), errors=st.sampled_from(["raise", "collect"]))
def test_mangled_ssda903_xml_read_as_the_reference_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
    bundle: Bundle,
    errors: str,
) -> None:
    path = tmp_path / "903.xml"
    write_ssda903_xml(bundle, path)
    path.write_bytes(data.draw(mangled(path.read_text())).encode("utf-8", "surrogatepass"))
    fast, reference = both(path, errors, monkeypatch, read_ssda903)
    assert fast == reference
    if isinstance(fast, Bundle) and isinstance(reference, Bundle):
        assert [(i.location, i.message) for i in fast.issues] == [
            (i.location, i.message) for i in reference.issues
        ]


@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_ssda903_sample_read_as_the_reference_does(
    errors: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, reference = both(SSDA903_SAMPLE, errors, monkeypatch, read_ssda903)
    assert fast == reference
    stream = RecordStream(
        SSDA903_SAMPLE,
        kind="SSDA903",
        root="EXPSSDA903",
        capture=frozenset({("EXPSSDA903", "CHILD")}),
    )
    with contextlib.closing(stream):
        for _ in stream:
            pass
    assert stream.fast


def test_ssda903_xml_places_records_by_element_path(tmp_path: Path) -> None:
    """Records carry their element path (line numbers are looked up only for problems), so a
    report about a record, such as a code of the wrong year, names its element."""
    path = tmp_path / "903.xml"
    path.write_text(
        "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>1</CHILDID><SEX>1</SEX><DOB>01/01/2015</DOB>"
        "</HEADER>\n<EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><PL>U1</PL>"
        "</EPISODE>\n<EPISODE><DECOM>01/03/2025</DECOM><RNE>P</RNE><LS>C2</LS><PL>A1</PL>"
        "</EPISODE></CHILD>\n</EXPSSDA903>\n"
    )
    bundle = read_ssda903(path)
    assert [(i.kind, i.location, i.value) for i in bundle.issues] == [
        ("inferred year", str(path), None),
        ("code year", f"{path}:EXPSSDA903/CHILD[1]/EPISODE[2]", "A1"),
    ]
