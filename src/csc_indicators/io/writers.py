"""Writing bundles out as statutory return files: the CIN census XML and the SSDA903 tables.

The writers produce files in the layouts the readers accept, for round-trip tests, the shipped
example data and the benchmarks. They write only what the records hold: items the records do
not keep (ethnicity, postcodes, referral source, ...) are left out or blank.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar
from xml.sax.saxutils import escape

from ..bundle import Bundle
from ..periods import Period, financial_year_number
from ..records import (
    Assessment,
    CareLeaverRecord,
    ChildProtectionPlan,
    Episode,
    HealthOutcomeRecord,
    Referral,
    Section47,
    TransferInConference,
)

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


def _element(out: list[str], indent: str, tag: str, value: str | None) -> None:
    if value:
        out.append(f"{indent}<{tag}>{escape(value)}</{tag}>\n")


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
    groups = {
        name: _group(getattr(bundle, name))
        for name in ("referrals", "assessments", "section47s", "transfer_ins", "plans")
    }
    ids = sorted(set().union(*(g.keys() for g in groups.values())))
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
            details = _cin_details(
                child_id,
                *(
                    groups[n].get(child_id, [])
                    for n in ("referrals", "assessments", "section47s", "transfer_ins", "plans")
                ),
            )
            out: list[str] = [
                "    <Child>\n      <ChildIdentifiers>\n",
                f"        <LAchildID>{escape(child_id)}</LAchildID>\n",
                "      </ChildIdentifiers>\n",
            ]
            for d in details:
                r = d.referral
                out.append("      <CINdetails>\n")
                i = "        "
                _element(out, i, "CINreferralDate", _iso(r.date))
                _element(out, i, "CINclosureDate", _iso(r.closure_date))
                _element(out, i, "ReasonForClosure", r.closure_reason)
                if d.transfer_in is not None:
                    _element(out, i, "DateOfInitialCPC", _iso(d.transfer_in.date))
                for a in d.assessments:
                    out.append(f"{i}<Assessments>\n")
                    _element(out, i + "  ", "AssessmentActualStartDate", _iso(a.start_date))
                    _element(
                        out, i + "  ", "AssessmentAuthorisationDate", _iso(a.authorisation_date)
                    )
                    out.append(f"{i}</Assessments>\n")
                for s in d.section47s:
                    out.append(f"{i}<Section47>\n")
                    _element(out, i + "  ", "S47ActualStartDate", _iso(s.start_date))
                    _element(out, i + "  ", "DateOfInitialCPC", _iso(s.conference_date))
                    _element(
                        out,
                        i + "  ",
                        "ICPCnotRequired",
                        _flag(s.conference_not_required, "true", "false"),
                    )
                    out.append(f"{i}</Section47>\n")
                _element(out, i, "ReferralNFA", _flag(r.no_further_action, "true", "false"))
                for p in d.plans:
                    out.append(f"{i}<ChildProtectionPlans>\n")
                    _element(out, i + "  ", "CPPstartDate", _iso(p.start_date))
                    _element(out, i + "  ", "CPPendDate", _iso(p.end_date))
                    if p.previous_plans is not None:
                        _element(out, i + "  ", "NumberOfPreviousCPP", str(p.previous_plans))
                    if p.review_dates:
                        out.append(f"{i}  <Reviews>\n")
                        for day in p.review_dates:
                            _element(out, i + "    ", "CPPreviewDate", _iso(day))
                        out.append(f"{i}  </Reviews>\n")
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
                    e = Episode(
                        e.child_id,
                        e.start_date,
                        e.reason_new_episode,
                        e.legal_status,
                        e.placement,
                        None,
                        None,
                        e.placement_provider,
                        None,
                        e.category_of_need,
                    )
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
            else type(p)(p.child_id, p.decision_date, None, None)
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
    fields = {
        **{
            n: getattr(bundle, n)
            for n in (
                "referrals",
                "assessments",
                "section47s",
                "transfer_ins",
                "plans",
                "children",
                "episodes",
                "reviews",
                "adoptions",
                "placed_for_adoption",
                "previous_permanence",
                "health_assessments",
                "health_outcomes",
                "care_leavers",
                "missing",
            )
        },
        **changes,
    }
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

    def born(child_id: str) -> str:
        return d(dob.get(child_id))

    if part.children is not None:
        _write_table(
            target,
            "header.csv",
            ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
            ((c.child_id, c.sex or "", d(c.date_of_birth), "", "", "", "") for c in part.children),
        )
        _write_table(
            target,
            "uasc.csv",
            ("CHILD", "SEX", "DOB", "DUC"),
            (
                (c.child_id, c.sex or "", d(c.date_of_birth), d(c.uasc_ceased))
                for c in part.children
                if c.uasc or c.uasc_ceased is not None
            ),
        )
    if part.episodes is not None:
        _write_table(
            target,
            "episodes.csv",
            (
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
            ),
            (
                (
                    e.child_id,
                    d(e.start_date),
                    e.reason_new_episode,
                    e.legal_status,
                    e.category_of_need or "",
                    e.placement,
                    e.placement_provider or "",
                    d(e.end_date),
                    e.reason_ceased or "",
                    e.reason_place_change or "",
                    "",
                    "",
                    "",
                )
                for e in part.episodes
            ),
        )
    if part.reviews is not None:
        _write_table(
            target,
            "reviews.csv",
            ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
            (
                (r.child_id, born(r.child_id), d(r.date), r.participation or "")
                for r in part.reviews
            ),
        )
    if part.health_outcomes is not None:
        _write_table(
            target,
            "oc2.csv",
            (
                "CHILD",
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ),
            (
                (
                    h.child_id,
                    d(h.date_of_birth),
                    "" if h.sdq_score is None else str(h.sdq_score),
                    "",
                    _flag(h.convicted),
                    _flag(h.health_check),
                    _flag(h.immunisations),
                    _flag(h.teeth_check),
                    _flag(h.health_assessment),
                    _flag(h.substance_misuse),
                    "",
                    "",
                )
                for h in part.health_outcomes
            ),
        )
    if part.care_leavers is not None:
        _write_table(
            target,
            "oc3.csv",
            ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
            (
                (c.child_id, d(c.date_of_birth), c.in_touch, c.activity, c.accommodation)
                for c in part.care_leavers
            ),
        )
    if part.adoptions is not None:
        _write_table(
            target,
            "ad1.csv",
            (
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ),
            (
                (
                    a.child_id,
                    born(a.child_id),
                    d(a.decision_date),
                    d(a.match_date),
                    _flag(a.foster_carer),
                    "",
                    "",
                    "",
                )
                for a in part.adoptions
            ),
        )
    if part.placed_for_adoption is not None:
        _write_table(
            target,
            "placed_for_adoption.csv",
            ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
            (
                (
                    p.child_id,
                    born(p.child_id),
                    d(p.decision_date),
                    d(p.ceased_date),
                    p.ceased_reason or "",
                )
                for p in part.placed_for_adoption
            ),
        )
    if part.previous_permanence is not None:
        _write_table(
            target,
            "previous_permanence.csv",
            ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
            (
                (p.child_id, born(p.child_id), p.option, "", d(p.date))
                for p in part.previous_permanence
            ),
        )
    if part.missing is not None:
        _write_table(
            target,
            "missing.csv",
            ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
            (
                (m.child_id, born(m.child_id), m.kind, d(m.start_date), d(m.end_date))
                for m in part.missing
            ),
        )


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


def _xml_child(child_id: str, records: dict[str, list[Any]]) -> str:
    child = _one(records["children"], child_id, "header records")
    if child is None:
        raise ValueError(f"child {child_id!r} has looked-after records but no Child record")
    out: list[str] = ["<CHILD><HEADER>"]

    def el(tag: str, value: str | None) -> None:
        if value:
            out.append(f"<{tag}>{escape(value)}</{tag}>")

    el("CHILDID", child_id)
    el("SEX", child.sex)
    el("DOB", _dmy(child.date_of_birth))
    el("UASC", "1" if child.uasc else "")
    el("DUC", _dmy(child.uasc_ceased))
    adoption = _one(records["adoptions"], child_id, "AD1 records")
    if adoption is not None:
        el("DATE_INT", _dmy(adoption.decision_date))
        el("DATE_MATCH", _dmy(adoption.match_date))
        el("FOSTER_CARE", _flag(adoption.foster_carer))
    leaver = _one(records["care_leavers"], child_id, "OC3 records")
    if leaver is not None:
        el("IN_TOUCH", leaver.in_touch)
        el("ACTIV", leaver.activity)
        el("ACCOM", leaver.accommodation)
    for m in records["missing"]:
        out.append("<AMISSING>")
        el("MISSING", m.kind)
        el("MIS_START", _dmy(m.start_date))
        el("MIS_END", _dmy(m.end_date))
        out.append("</AMISSING>")
    for r in records["reviews"]:
        out.append("<AREVIEW>")
        el("REVIEW", _dmy(r.date))
        el("REVIEW_CODE", r.participation)
        out.append("</AREVIEW>")
    permanence = _one(records["previous_permanence"], child_id, "PrevPerm records")
    if permanence is not None:
        out.append("<PERMANENCE>")
        el("PREV_PERM", permanence.option)
        el("DATE_PERM", _dmy(permanence.date))
        out.append("</PERMANENCE>")
    health = _one(records["health_outcomes"], child_id, "OC2 records")
    if health is not None:
        out.append("<OC2>")
        el("SDQ_SCORE", None if health.sdq_score is None else str(health.sdq_score))
        for tag, value in (
            ("CONVICTED", health.convicted),
            ("HEALTH_CHECK", health.health_check),
            ("IMMUNISATIONS", health.immunisations),
            ("TEETH_CHECK", health.teeth_check),
            ("HEALTH_ASSESSMENT", health.health_assessment),
            ("SUBSTANCE_MISUSE", health.substance_misuse),
        ):
            el(tag, _flag(value))
        out.append("</OC2>")
    for p in records["placed_for_adoption"]:
        out.append("<AD_PLACED>")
        el("DATE_PLACED", _dmy(p.decision_date))
        el("DATE_PLACED_CEASED", _dmy(p.ceased_date))
        el("REASON_PLACED_CEASED", p.ceased_reason)
        out.append("</AD_PLACED>")
    out.append("</HEADER>")
    for e in records["episodes"]:
        out.append("<EPISODE>")
        el("DECOM", _dmy(e.start_date))
        el("RNE", e.reason_new_episode)
        el("LS", e.legal_status)
        el("CIN", e.category_of_need)
        el("PL", e.placement)
        el("PLACE_PROVIDER", e.placement_provider)
        el("DEC", _dmy(e.end_date))
        el("REC", e.reason_ceased)
        el("REASON_PLACE_CHANGE", e.reason_place_change)
        out.append("</EPISODE>")
    out.append("</CHILD>\n")
    return "".join(out)
