"""Writing bundles out as statutory return files: the CIN census XML and the SSDA903 tables.

The writers produce files in the layouts the readers accept, for round-trip tests, the shipped
example data and the benchmarks. The columns of each file, their order and how each field is
written come from the table declarations (:mod:`._tables`). They write only what the records
hold: items the records do not keep (UPN, home postcode, ...) are left out or blank, and a
placement postcode is written as the district the record keeps.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar
from xml.sax.saxutils import escape

import attrs

from ..bundle import RECORD_FIELDS, Bundle
from ..periods import Period, financial_year_number
from ..records import (
    Assessment,
    CareLeaverRecord,
    ChildProtectionPlan,
    CinChild,
    Episode,
    HealthOutcomeRecord,
    Referral,
    Section47,
    TransferInConference,
)
from ._tables import BY_NAME, CIN_BY_NAME, TABLES, Column, Table, text_of

__all__ = ["write_cin_census", "write_ssda903", "write_ssda903_xml"]

DateStyle = Literal["dmy", "iso"]
T = TypeVar("T")


def _iso(day: _dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def _dmy(day: _dt.date | None) -> str:
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _flag(value: bool | None, true: str = "1", false: str = "0") -> str:
    return "" if value is None else (true if value else false)


def _group(records: Iterable[T] | None) -> dict[str, list[T]]:
    out: dict[str, list[T]] = defaultdict(list)
    for r in records or ():
        out[r.child_id].append(r)  # type: ignore[attr-defined]
    return out


def _default_year(bundle: Bundle, kind: str) -> int:
    years = [
        s.collection_year
        for s in bundle.sources
        if s.kind == kind and s.collection_year is not None
    ]
    if years:
        return max(years)
    dates: list[_dt.date] = []
    for name in ("referrals", "assessments", "section47s", "plans", "episodes", "reviews"):
        for r in getattr(bundle, name) or ():
            for attr in ("date", "start_date", "end_date", "authorisation_date", "closure_date"):
                d = getattr(r, attr, None)
                if isinstance(d, _dt.date):
                    dates.append(d)
    return financial_year_number(max(dates) if dates else _dt.date.today())


# -- CIN census ---------------------------------------------------------------------------------


class _Details:
    __slots__ = ("assessments", "plans", "referral", "section47s", "transfer_in")

    def __init__(self, referral: Referral) -> None:
        self.referral = referral
        self.transfer_in: TransferInConference | None = None
        self.assessments: list[Assessment] = []
        self.section47s: list[Section47] = []
        self.plans: list[ChildProtectionPlan] = []


def _latest_before(
    details: Sequence[_Details], day: _dt.date, allowed: Callable[[_Details], bool]
) -> _Details | None:
    chosen: _Details | None = None
    for d in details:
        if allowed(d) and d.referral.date <= day:
            chosen = d
    if chosen is None:
        chosen = next((d for d in details if allowed(d)), None)
    return chosen


def _cin_details(
    child_id: str,
    referrals: list[Referral],
    assessments: list[Assessment],
    section47s: list[Section47],
    transfer_ins: list[TransferInConference],
    plans: list[ChildProtectionPlan],
) -> list[_Details]:
    if not referrals and not (assessments or section47s or transfer_ins or plans):
        return []
    if not referrals:
        raise ValueError(
            f"child {child_id!r} has CIN records but no referral: a CIN census CINdetails group "
            "needs a CINreferralDate"
        )
    details = [_Details(r) for r in sorted(referrals, key=lambda r: r.date)]
    for t in sorted(transfer_ins, key=lambda t: t.date):
        target = _latest_before(details, t.date, lambda d: d.transfer_in is None)
        if target is None:
            raise ValueError(f"child {child_id!r}: more transfer-in conferences than referrals")
        target.transfer_in = t
    for s in sorted(section47s, key=lambda s: s.start_date):
        target = _latest_before(details, s.start_date, lambda d: d.transfer_in is None)
        if target is None:
            raise ValueError(
                f"child {child_id!r}: every referral holds a transfer-in conference, so a "
                "section 47 enquiry cannot be written (it would hide the transfer-in)"
            )
        target.section47s.append(s)
    for a in assessments:
        found = _latest_before(details, a.start_date, lambda d: True)
        assert found is not None
        found.assessments.append(a)
    for p in plans:
        found = _latest_before(details, p.start_date, lambda d: True)
        assert found is not None
        found.plans.append(p)
    return details


def _nest(items: list[tuple[list[str], list[str]]], indent: str, out: list[str]) -> None:
    """Write (element path, texts) items, nesting the paths' shared leading elements."""
    i = 0
    while i < len(items):
        parts, texts = items[i]
        if len(parts) == 1:
            out.extend(f"{indent}<{parts[0]}>{escape(t)}</{parts[0]}>\n" for t in texts)
            i += 1
            continue
        head = parts[0]
        below: list[tuple[list[str], list[str]]] = []
        while i < len(items) and len(items[i][0]) > 1 and items[i][0][0] == head:
            below.append((items[i][0][1:], items[i][1]))
            i += 1
        out.append(f"{indent}<{head}>\n")
        _nest(below, indent + "  ", out)
        out.append(f"{indent}</{head}>\n")


def _cin_items(
    out: list[str],
    indent: str,
    table: Table,
    record: Any,
    year: int,
    *,
    only: Callable[[Column], bool] = lambda c: True,
) -> None:
    """Write a CIN census record's items (those its collection year has), as declared."""
    items = [
        (column.element.split("/"), texts)
        for column in table.read
        if only(column)
        and column.in_year(year)
        and (texts := text_of(column, getattr(record, column.field or ""), dates=_iso, flags=_TF))
    ]
    _nest(items, indent, out)


_TF = ("true", "false")
_CIN_CHILD = CIN_BY_NAME["Child"]
_REFERRAL = CIN_BY_NAME["CINdetails"]
_LATE = frozenset({"ReferralNFA"})
"""CINdetails items written after its Assessments and Section47 groups, in the schema's order."""


def write_cin_census(
    bundle: Bundle,
    path: str | os.PathLike[str],
    *,
    collection_year: int | None = None,
    la_code: str = "000",
) -> None:
    """Write the bundle's CIN records as one CIN census XML file.

    Each referral becomes a ``CINdetails`` group; assessments, section 47 enquiries and plans
    go into the group of the child's latest referral on or before their start (else the first);
    each transfer-in conference goes into a group of its own referral that has no ``Section47``.

    Args:
        bundle: the records (the CIN kinds; the others are ignored).
        path: the file to write.
        collection_year: the year the collection starts (2024 = 2024-25); the header's ``Year``
            is the year after. Default: the bundle's CIN census source, else the year of the
            latest date.
        la_code: the ``LEA`` code in the header.

    Raises:
        ValueError: a child has CIN records but no referral, or more transfer-in conferences
            than referrals without a section 47 enquiry.
    """
    year = collection_year if collection_year is not None else _default_year(bundle, "CIN census")
    names = ("referrals", "assessments", "section47s", "transfer_ins", "plans")
    groups = {name: _group(getattr(bundle, name)) for name in names}
    characteristics = _group(bundle.cin_children)
    ids = sorted(set(characteristics).union(*(g.keys() for g in groups.values())))
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n  <Header>\n'
            "    <CollectionDetails>\n      <Collection>CIN</Collection>\n"
            f"      <Year>{year + 1}</Year>\n"
            f"      <ReferenceDate>{year + 1:04d}-03-31</ReferenceDate>\n"
            "    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n"
            f"      <LEA>{escape(la_code)}</LEA>\n"
            "      <SoftwareCode>csc_indicators</SoftwareCode>\n"
            "    </Source>\n  </Header>\n  <Children>\n"
        )
        for child_id in ids:
            details = _cin_details(child_id, *(groups[n].get(child_id, []) for n in names))
            facts = _one(characteristics.get(child_id, []), child_id, "CinChild records")
            out: list[str] = ["    <Child>\n"]
            _cin_items(out, "      ", _CIN_CHILD, facts or CinChild(child_id), year)
            for d in details:
                out.append("      <CINdetails>\n")
                i = "        "
                _cin_items(out, i, _REFERRAL, d.referral, year, only=lambda c: c.name not in _LATE)
                if d.transfer_in is not None:
                    _cin_items(out, i, CIN_BY_NAME["Transfer-in"], d.transfer_in, year)
                for a in d.assessments:
                    out.append(f"{i}<Assessments>\n")
                    _cin_items(out, i + "  ", CIN_BY_NAME["Assessments"], a, year)
                    out.append(f"{i}</Assessments>\n")
                for s47 in d.section47s:
                    out.append(f"{i}<Section47>\n")
                    _cin_items(out, i + "  ", CIN_BY_NAME["Section47"], s47, year)
                    out.append(f"{i}</Section47>\n")
                _cin_items(out, i, _REFERRAL, d.referral, year, only=lambda c: c.name in _LATE)
                for plan in d.plans:
                    out.append(f"{i}<ChildProtectionPlans>\n")
                    _cin_items(out, i + "  ", CIN_BY_NAME["ChildProtectionPlans"], plan, year)
                    out.append(f"{i}</ChildProtectionPlans>\n")
                out.append("      </CINdetails>\n")
            out.append("    </Child>\n")
            stream.write("".join(out))
        stream.write("  </Children>\n</Message>\n")


# -- SSDA903 CSV --------------------------------------------------------------------------------


def _in_year(bundle: Bundle, year: int | None) -> tuple[Bundle, Period | None]:
    """The part of the bundle one year's return would hold (see write_ssda903)."""
    if year is None:
        return bundle, None
    fy = Period.financial_year(year)

    def open_in(start: _dt.date, end: _dt.date | None) -> bool:
        return start <= fy.end and (end is None or end >= fy.start)

    changes: dict[str, Any] = {}
    if bundle.episodes is not None:
        eps: list[Episode] = []
        for e in bundle.episodes:
            if open_in(e.start_date, e.end_date):
                if e.end_date is not None and e.end_date > fy.end:
                    e = attrs.evolve(e, end_date=None, reason_ceased=None, reason_place_change=None)
                eps.append(e)
        changes["episodes"] = tuple(eps)
        present = {e.child_id for e in eps}
        for name in ("previous_permanence", "adoptions", "placed_for_adoption"):
            records = getattr(bundle, name)
            if records is not None:
                changes[name] = tuple(r for r in records if r.child_id in present)
    for name in ("health_outcomes", "care_leavers"):
        # A row that names its collection year belongs to that year's return; one without
        # goes to every return in which the child has an episode.
        yearly: tuple[HealthOutcomeRecord | CareLeaverRecord, ...] | None = getattr(bundle, name)
        if yearly is not None:
            eps_in = changes.get("episodes")
            looked_after = {e.child_id for e in eps_in} if eps_in is not None else None
            changes[name] = tuple(
                r
                for r in yearly
                if r.collection_year == year
                or (
                    r.collection_year is None
                    and (looked_after is None or r.child_id in looked_after)
                )
            )
    if bundle.reviews is not None:
        changes["reviews"] = tuple(r for r in bundle.reviews if r.date in fy)
    if bundle.missing is not None:
        changes["missing"] = tuple(m for m in bundle.missing if m.start_date in fy)
    placed = changes.get("placed_for_adoption", bundle.placed_for_adoption)
    if placed is not None:
        changes["placed_for_adoption"] = tuple(
            p
            if p.ceased_date is None or p.ceased_date <= fy.end
            else attrs.evolve(p, ceased_date=None, ceased_reason=None)
            for p in placed
            if open_in(p.decision_date, p.ceased_date)
        )
    if bundle.children is not None and "episodes" in changes:
        # Every child the return holds a row of has a header row (a care leaver with only an
        # OC3 row included), as in the XML form, where each CHILD has its HEADER.
        held = {
            r.child_id
            for name in ("episodes", "health_outcomes", "care_leavers")
            for r in changes.get(name) or ()
        }
        changes["children"] = tuple(c for c in bundle.children if c.child_id in held)
    fields = {**{n: getattr(bundle, n) for n in RECORD_FIELDS}, **changes}
    return Bundle(**fields), fy


def _write_table(
    directory: str, name: str, columns: Sequence[str], rows: Iterable[Sequence[str]]
) -> None:
    with open(os.path.join(directory, name), "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(rows)


def write_ssda903(
    bundle: Bundle,
    directory: str | os.PathLike[str],
    *,
    collection_year: int | None = None,
    dates: DateStyle = "dmy",
) -> None:
    """Write the bundle's looked-after records as SSDA903 CSV tables in ``directory``.

    Writes ``header.csv``, ``uasc.csv``, ``episodes.csv``, ``reviews.csv``, ``oc2.csv``,
    ``oc3.csv``, ``ad1.csv``, ``placed_for_adoption.csv``, ``previous_permanence.csv`` and
    ``missing.csv`` for the kinds the bundle supplies, with the DfE column names and Windows
    line endings, dates as ``dd/mm/yyyy`` (``dates="iso"``: ``yyyy-mm-dd``).

    With ``collection_year``, writes what that year's return would hold: episodes open at some
    time in the year (one still open at 31 March shown open: no DEC, REC or reason for the
    change), reviews and missing incidents in the year, the AD1, PrevPerm and
    placed-for-adoption rows of the children with an episode in it (decisions open in the
    year), the OC2 and OC3 rows of that collection year (``collection_year``; a row without
    one: when the child has an episode in the year), and a header row for every child with an
    episode, OC2 or OC3 row in it. Reading the files back with
    ``read_ssda903({year: directory})`` gives the OC2 and OC3 rows that year again.
    """
    target = os.fspath(directory)
    os.makedirs(target, exist_ok=True)
    part, _ = _in_year(bundle, collection_year)
    d = _dmy if dates == "dmy" else _iso
    dob = {c.child_id: c.date_of_birth for c in part.children or ()}
    for table in TABLES:
        if table.file is None or table.field is None:
            continue
        records = getattr(part, table.field)
        if records is None:
            continue
        if table.fixed.get("uasc"):
            records = [c for c in records if c.uasc or c.uasc_ceased is not None]
        _write_table(
            target,
            table.file,
            table.columns,
            (
                [_cell(column, r, d, dob) for column in table.items if column.presence != "xml"]
                for r in records
            ),
        )


def _cell(
    column: Column, record: Any, d: Callable[[_dt.date | None], str], dob: dict[str, _dt.date]
) -> str:
    """One CSV value: the field the column fills, the child's date of birth for a DOB column
    the record does not keep, else blank."""
    if column.field is not None:
        texts = text_of(column, getattr(record, column.field), dates=d)
        return texts[0] if texts else ""
    if column.name == "DOB":
        return d(dob.get(record.child_id))
    return ""


# -- SSDA903 XML --------------------------------------------------------------------------------


def _one(records: list[T], child_id: str, what: str) -> T | None:
    if len(records) > 1:
        raise ValueError(
            f"child {child_id!r} has {len(records)} {what}: the SSDA903 XML form "
            "holds one per child"
        )
    return records[0] if records else None


def write_ssda903_xml(bundle: Bundle, path: str | os.PathLike[str]) -> None:
    """Write the bundle's looked-after records as one SSDA903 XML file (``EXPSSDA903``).

    Raises:
        ValueError: a child has records but no :class:`~csc_indicators.Child` (the XML form
            needs the date of birth), or more than one AD1, OC2, OC3 or PrevPerm record.
    """
    names = (
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
    groups: dict[str, dict[str, list[Any]]] = {n: _group(getattr(bundle, n)) for n in names}
    ids = sorted(set().union(*(g.keys() for g in groups.values())))
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write('<?xml version="1.0" encoding="utf-8"?>\n<EXPSSDA903>\n')
        for child_id in ids:
            stream.write(_xml_child(child_id, {n: g.get(child_id, []) for n, g in groups.items()}))
        stream.write("</EXPSSDA903>\n")


_INHERITED = frozenset({"CHILD", "DOB"})
"""Items a group below the HEADER takes from it (not written again)."""
_XML_GROUPS = ("Missing", "Reviews", "PrevPerm", "OC2", "PlacedAdoption")
"""The repeating groups written in the HEADER, in order."""
_ONE_PER_CHILD = {
    "AD1": "AD1 records",
    "OC3": "OC3 records",
    "PrevPerm": "PrevPerm records",
    "OC2": "OC2 records",
}


def _xml_items(out: list[str], table: Table, record: Any, *, inherit: bool) -> None:
    for column in table.read:
        if inherit and column.name in _INHERITED:
            continue
        for text in text_of(column, getattr(record, column.field or ""), dates=_dmy):
            tag = column.element
            out.append(f"<{tag}>{escape(text)}</{tag}>")


def _xml_child(child_id: str, records: dict[str, list[Any]]) -> str:
    child = _one(records["children"], child_id, "header records")
    if child is None:
        raise ValueError(f"child {child_id!r} has looked-after records but no Child record")
    out: list[str] = ["<CHILD><HEADER>"]
    _xml_items(out, BY_NAME["Header"], child, inherit=False)
    for name in ("AD1", "OC3"):
        table = BY_NAME[name]
        assert table.field is not None
        record = _one(records[table.field], child_id, _ONE_PER_CHILD[name])
        if record is not None:
            _xml_items(out, table, record, inherit=True)
    for name in _XML_GROUPS:
        table = BY_NAME[name]
        assert table.field is not None and table.xml is not None
        rows = records[table.field]
        if name in _ONE_PER_CHILD:
            one = _one(rows, child_id, _ONE_PER_CHILD[name])
            rows = [one] if one is not None else []
        for record in rows:
            out.append(f"<{table.xml}>")
            _xml_items(out, table, record, inherit=True)
            out.append(f"</{table.xml}>")
    out.append("</HEADER>")
    for episode in records["episodes"]:
        out.append("<EPISODE>")
        _xml_items(out, BY_NAME["Episodes"], episode, inherit=True)
        out.append("</EPISODE>")
    out.append("</CHILD>\n")
    return "".join(out)
