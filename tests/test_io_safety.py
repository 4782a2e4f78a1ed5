"""XML is read safely and in bounded memory: document types and entities are refused at once."""

from __future__ import annotations

import contextlib
import gc
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators import InputError
from csc_indicators.io import (
    read_cin_census,
    read_ssda903,
    write_cin_census,
    write_ssda903,
    write_ssda903_xml,
)
from strategies.returns import cin_bundles, looked_after_bundles

XXE = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Collection>&xxe;</Collection></CollectionDetails></Header>
</Message>"""

BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<Message>&lol9;</Message>\n"
)

PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote;]>
<Message/>"""

REFUSED = (
    "refused: the file declares a document type or entities, which a statutory return "
    "never does (external entities and entity expansion are not allowed)"
)


@pytest.mark.parametrize("text", [XXE, BOMB, PARAMETER], ids=["xxe", "bomb", "parameter"])
@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_document_types_refused_quickly(tmp_path: Path, text: str, errors: str) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(text)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        read_cin_census(path, errors=errors)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert info.value.message == REFUSED
    assert info.value.location == "line 2"
    assert elapsed < 1.0
    assert peak < 2_000_000


def test_ssda903_xml_refuses_document_types(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(XXE.replace("Message", "EXPSSDA903"))
    with pytest.raises(InputError, match="refused"):
        read_ssda903(path, errors="collect")


def test_undeclared_entity_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<Message><Header>&nope;</Header></Message>")
    with pytest.raises(InputError) as info:
        read_cin_census(path)
    assert info.value.message == "malformed XML (undefined entity)"


@pytest.mark.parametrize("read", [read_cin_census, read_ssda903])
def test_unknown_encoding_declaration_is_not_a_return(tmp_path: Path, read: object) -> None:
    """A mangled declaration (``encoding="tf-8"``) is an InputError, not a LookupError."""
    path = tmp_path / "x.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="tf-8"?>\n<EXPSSDA903></EXPSSDA903>\n')
    with pytest.raises(InputError, match="unknown encoding: tf-8"):
        read(path)  # type: ignore[operator]


def _census(path: Path, children: int) -> Path:
    child = (
        "<Child><ChildIdentifiers><LAchildID>C{}</LAchildID><PersonBirthDate>2010-01-01"
        "</PersonBirthDate></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI"
        "</Ethnicity></ChildCharacteristics></Child>\n"
    )
    with path.open("w") as stream:
        stream.write(
            "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
            "<Year>2025</Year></CollectionDetails></Header><Children>\n"
        )
        stream.write("".join(child.format(i) for i in range(children)))
        stream.write("</Children></Message>\n")
    return path


def _peak(path: Path) -> int:
    """The memory the reading needed beyond what it keeps (the bundle it returns), measured
    from a clean start (earlier tests' garbage collected, the cycle collector on)."""
    gc.enable()
    gc.collect()
    tracemalloc.start()
    bundle = read_cin_census(path)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert bundle.referrals == ()
    assert bundle.cin_children is not None and len(bundle.cin_children) > 0
    return peak - kept


def test_streaming_keeps_memory_bounded(tmp_path: Path) -> None:
    """Children are read one at a time: a file eight times larger needs no more memory beyond
    the records kept (one characteristics record a child here; the peak is about one chunk's
    worth of children)."""
    small = _census(tmp_path / "small.xml", 2_000)
    large = _census(tmp_path / "large.xml", 16_000)
    assert large.stat().st_size > 3_000_000
    small_peak, large_peak = _peak(small), _peak(large)
    assert large_peak < small_peak * 1.5 + 200_000


# -- never a crash: mangled files load or raise InputError --------------------------------------


_NOISE = st.text(
    alphabet=st.sampled_from(list("<>/&;=\"' \n\r,xX0123456789-zZ\ufeff\x00é")), max_size=12
)


@st.composite
def mangled(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        j = draw(st.integers(i, min(len(text), i + 20)))
        text = text[:i] + draw(_NOISE) + text[j:]
    return text


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), bundle=cin_bundles(), errors=st.sampled_from(["raise", "collect"]))
def test_mangled_census_never_crashes(
    tmp_path: Path, data: st.DataObject, bundle: object, errors: str
) -> None:
    path = tmp_path / "cin.xml"
    write_cin_census(bundle, path, collection_year=2022)  # type: ignore[arg-type]
    path.write_bytes(data.draw(mangled(path.read_text())).encode("utf-8", "surrogatepass"))
    with contextlib.suppress(InputError):
        read_cin_census(path, errors=errors)  # type: ignore[arg-type]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), bundle=looked_after_bundles(), errors=st.sampled_from(["raise", "collect"]))
def test_mangled_tables_never_crash(
    tmp_path: Path, data: st.DataObject, bundle: object, errors: str
) -> None:
    directory = tmp_path / "903"
    write_ssda903(bundle, directory)  # type: ignore[arg-type]
    for name in ("episodes.csv", "header.csv", "oc2.csv"):
        table = directory / name
        table.write_bytes(data.draw(mangled(table.read_text())).encode("utf-8"))
    with contextlib.suppress(InputError):
        read_ssda903(directory, errors=errors)  # type: ignore[arg-type]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), bundle=looked_after_bundles(), errors=st.sampled_from(["raise", "collect"]))
def test_mangled_ssda903_xml_never_crashes(
    tmp_path: Path, data: st.DataObject, bundle: object, errors: str
) -> None:
    path = tmp_path / "903.xml"
    write_ssda903_xml(bundle, path)  # type: ignore[arg-type]
    path.write_bytes(data.draw(mangled(path.read_text())).encode("utf-8", "surrogatepass"))
    with contextlib.suppress(InputError):
        read_ssda903(path, errors=errors)  # type: ignore[arg-type]
