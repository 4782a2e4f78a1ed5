"""The fast scanner of the CIN census reader: what it reads itself, what it leaves to the
reference XML reader, and that either way the reader reads each file exactly as the reference
reader (:mod:`test_cinread_reference`) does."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest

from csc_indicators import Bundle, InputError, Referral
from csc_indicators.io import _xml_scan as scan_module
from csc_indicators.io import read_cin_census
from csc_indicators.io._xml_scan import BLOCK_SIZE
from test_cinread_compare import HEADER, census, child, used_fast
from test_cinread_reference import same_as_reference

END = "</Children></Message>\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "cin.xml"
    path.write_bytes(text.encode(encoding))
    return path


def both_modes(path: Path) -> None:
    for errors in ("raise", "collect"):
        same_as_reference(path, errors)


# Files the scanner reads itself: (what, text).
PLAIN = [
    ("pretty", HEADER + child(1) + child(2) + END),
    ("no white space", (HEADER + child(1) + END).replace("\n", "").replace(" ", "")),
    ("CRLF", (HEADER + child(1) + END).replace("\n", "\r\n")),
    ("CR in a value", HEADER + child(1).replace("C1<", "C\r\n1<") + END),
    ("tabs", (HEADER + child(1) + END).replace(" ", "\t")),
    ("BOM", "\ufeff" + HEADER + child(1) + END),
    ("declaration", '<?xml version="1.0" encoding="UTF-8"?>\n' + HEADER + child(1) + END),
    ("attributes on the root", HEADER.replace("<Message>", '<Message xmlns="urn:x" a=">">') + END),
    ("empty elements", HEADER + child(1).replace("<CINdetails>", "<CINdetails><Extra/>") + END),
    (
        "empty group",
        HEADER + child(1).replace("</CINdetails>", "<Assessments/></CINdetails>") + END,
    ),
    ("value with >", HEADER + child(1).replace("C1<", "C>1<") + END),
    ("non-ASCII value", HEADER + child(1).replace("C1<", "Cé€𝄞1<") + END),
    ("blank value", HEADER + child(1).replace("<ReferralNFA>0", "<ReferralNFA> ") + END),
    ("bad date", HEADER + child(1, "2024-13-01") + END),
    (
        "unknown element",
        HEADER + child(1).replace("<CINdetails>", "<X><Y>1</Y></X><CINdetails>") + END,
    ),
    ("skipped elements", HEADER + "<Other>1</Other><Deep><Child/></Deep>" + child(1) + END),
    ("outside the children", HEADER.replace("<Children>", "<Other/><Children>") + END),
    (
        "header after the children",
        "<Message><Children>" + child(1) + "</Children>" + HEADER[9:] + "</Children></Message>",
    ),
    ("two Children", HEADER + child(1) + "</Children><Children>" + child(2) + END),
    ("child holding text only", HEADER + "<Child>x</Child>" + child(2) + END),
    ("empty child", HEADER + "<Child/>" + child(2) + END),
    ("nested child", HEADER + child(1).replace("<CINdetails>", child(9) + "<CINdetails>") + END),
    (
        "nested child as text",
        HEADER + child(1).replace("<CINdetails>", "<Child>x</Child><CINdetails>") + END,
    ),
    ("nested header", HEADER + child(1).replace("<CINdetails>", "<Header/><CINdetails>") + END),
    ("text beside elements", HEADER + child(1).replace("<CINdetails>", "x<CINdetails>") + END),
    ("text in a value's element", HEADER + child(1).replace("C1<", "C<b/>1<") + END),
    ("text in Children", HEADER + "text" + child(1) + "more" + END),
    ("no header", "<Message><Children>" + child(1) + END),
    ("no children", "<Message></Message>"),
    (
        "repeated values",
        HEADER
        + child(1).replace(
            "<ReferralNFA>0</ReferralNFA>",
            "<ReferralNFA>0</ReferralNFA><ReferralNFA>1</ReferralNFA>",
        )
        + END,
    ),
    (
        "latin-1",
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        + HEADER
        + child(1).replace("C1<", "Cé1<")
        + END,
    ),
    (
        "windows-1252",
        '<?xml version="1.0" encoding="windows-1252"?>'
        + HEADER
        + child(1).replace("C1<", "C€1<")
        + END,
    ),
    ("long white space", HEADER + " " * 5000 + child(1) + END),
    ("another collection", HEADER.replace(">CIN<", ">SSDA903<") + END),
]

# Files it leaves, from where it meets them, to the reference XML reader.
HANDED_OVER = [
    ("comment", HEADER + "<!-- c -->" + child(1) + END),
    ("processing instruction", HEADER + "<?pi x?>" + child(1) + END),
    ("CDATA", HEADER + child(1).replace("C1<", "<![CDATA[C1]]><") + END),
    ("entity", HEADER + child(1).replace("C1<", "C&amp;1<") + END),
    ("character reference", HEADER + child(1).replace("C1<", "C&#13;1<") + END),
    ("undefined entity", HEADER + child(1).replace("C1<", "C&x;1<") + END),
    ("attribute", HEADER + child(1, extra=' a="1"') + END),
    ("namespace prefix", HEADER + "<x:Child xmlns:x='urn:x'/>" + child(1) + END),
    ("space in a tag", HEADER + child(1).replace("<CINdetails>", "<CINdetails >") + END),
    ("non-ASCII name", HEADER + child(1).replace("<CINdetails>", "<Né/><CINdetails>") + END),
    ("control character", HEADER + child(1).replace("C1<", "C\x011<") + END),
    ("invalid UTF-8", None),
    ("U+FFFE", HEADER + child(1).replace("C1<", "C\ufffe1<") + END),
    ("]]> in text", HEADER + child(1).replace("C1<", "C]]>1<") + END),
    ("mismatched tag", HEADER + child(1).replace("</CINdetails>", "</CINdetail>") + END),
    (
        "name starting with a digit",
        HEADER + child(1).replace("<CINdetails>", "<1a/><CINdetails>") + END,
    ),
    ("truncated", HEADER + child(1) + child(2)[:30]),
    ("junk after the root", HEADER + child(1) + END + "<More/>"),
    ("text after the root", HEADER + child(1) + END + "x"),
    ("empty root", "<Message/>"),
    ("UTF-16", None),
    ("unknown byte in windows-1252", None),
    ("non-ASCII in US-ASCII", None),
    ("long text", HEADER + child(1).replace("C1<", "C" + "x" * 61_000 + "<") + END),
    ("long name", HEADER + f"<{'n' * 230}/>" + child(1) + END),
    ("deep nesting", HEADER + "<a>" * 210 + "</a>" * 210 + child(1) + END),
]


def _bytes(what: str, text: str | None) -> tuple[str, str]:
    if what == "UTF-16":
        return '<?xml version="1.0" encoding="UTF-16"?>' + HEADER + child(1) + END, "utf-16"
    if what == "unknown byte in windows-1252":
        return '<?xml version="1.0" encoding="windows-1252"?>' + HEADER + "\x81" + END, "latin-1"
    if what == "non-ASCII in US-ASCII":
        return '<?xml version="1.0" encoding="US-ASCII"?>' + HEADER + child(1).replace(
            "C1<", "Cé1<"
        ) + END, "latin-1"
    if what == "invalid UTF-8":
        return HEADER + child(1).replace("C1<", "C\udcff1<") + END, "utf-8"
    assert text is not None
    encoding = "utf-8"
    if "encoding=" in text:
        encoding = text.split('encoding="')[1].split('"')[0].lower()
    return text, encoding


@pytest.mark.parametrize(("what", "text"), PLAIN, ids=[w for w, _ in PLAIN])
def test_read_by_the_scanner(tmp_path: Path, what: str, text: str) -> None:
    text, encoding = _bytes(what, text)
    path = write(tmp_path, text, encoding)
    both_modes(path)
    assert used_fast(path)


@pytest.mark.parametrize(("what", "text"), HANDED_OVER, ids=[w for w, _ in HANDED_OVER])
def test_handed_over_to_the_reference_reader(tmp_path: Path, what: str, text: str | None) -> None:
    text, encoding = _bytes(what, text)
    path = tmp_path / "cin.xml"
    path.write_bytes(text.encode(encoding, "surrogateescape"))
    both_modes(path)
    with contextlib.suppress(InputError):  # refused before any record, as the reference is
        assert not used_fast(path)


@pytest.mark.parametrize("at", [0, 1, 2, 3, 5, 8, 13])
def test_values_across_block_boundaries(tmp_path: Path, at: int) -> None:
    """Children of every length, so that blocks end at every kind of place: inside a tag, a
    value, white space; a late bad value is found with its place."""
    children = [
        child(i, referral="2024-05-01" + " " * (i % 17)) for i in range(3 * BLOCK_SIZE // 150)
    ]
    children[len(children) - 1 - at] = child(7, referral="2024-13-01")
    path = census(tmp_path, children)
    both_modes(path)
    assert used_fast(path)


def test_handover_late_keeps_the_records_before(tmp_path: Path) -> None:
    children = [child(i) for i in range(3000)]
    children[2500] = children[2500].replace("<CINdetails>", "<!-- c --><CINdetails>")
    path = census(tmp_path, children)
    bundle = same_as_reference(path, "collect")
    assert isinstance(bundle, Bundle)
    assert [r.child_id for r in bundle.referrals or ()] == [f"C{i}" for i in range(3000)]
    assert not used_fast(path)


def test_reference_reader_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the scanner turned off, every file is read by the reference XML reader."""
    path = census(tmp_path, [child(1), child(2, "2024-13-01")])
    monkeypatch.setattr(scan_module, "USE_FAST_SCAN", False)
    assert not used_fast(path)
    both_modes(path)


@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_hostile_shape_after_a_bad_value_in_the_same_chunk(tmp_path: Path, errors: str) -> None:
    """The reference reader checks each chunk's shape before reading it: a hostile shape in the
    chunk of a bad value is refused before the value is read; in a later chunk, after."""
    bad = child(1, "2024-13-01")
    outcomes = set()
    for before in (0, 1000):
        for after in (0, 10, 20, 30, 40, 60, 100, 500):
            children = [child(i) for i in range(before)] + [bad]
            path = census(tmp_path, [*children, *(child(i) for i in range(after)), "<a>" * 300])
            found = same_as_reference(path, errors)
            outcomes.add(found[0] if isinstance(found, tuple) else "bundle")
    assert outcomes == ({"NotAReturn", "InputError"} if errors == "raise" else {"NotAReturn"})


def test_hostile_shapes_refused_as_the_reference_does(tmp_path: Path) -> None:
    long = 70_000
    for text in (
        HEADER + child(1, "x" * long) + END,
        HEADER + f'<Child a="{"x" * long}"/>' + END,
        f"<!--{'x' * long}-->" + HEADER + END,
        HEADER + f"<{'x' * 300}/>" + END,
        HEADER + "<a>" * 300,
        HEADER.replace("<Message>", '<Message xmlns:n="urn:x">') + "<n:a>" * 300 + END,
    ):
        both_modes(write(tmp_path, text))


def test_read_census_values(tmp_path: Path) -> None:
    path = census(tmp_path, [child(1).replace("C1<", "Cé1<")])
    assert read_cin_census(path).referrals == (Referral("Cé1", dt.date(2024, 5, 1)),)
