"""Reading the CIN census: the Department for Education's children-in-need census XML.

The file is ``Message`` -> ``Header`` (collection details and source) and ``Children`` ->
``Child`` (one per child) -> ``ChildIdentifiers``, ``ChildCharacteristics`` and one
``CINdetails`` group per referral, holding that referral's ``Assessments``, ``Section47``
enquiries and ``ChildProtectionPlans``. The reader streams the file (:class:`._xml_scan.Scan`),
taking one ``Child`` at a time as a tree, and turns each group into the typed records of
:mod:`csc_indicators.records.cin`: the fast way when nothing is out of the ordinary, else the
exact way, which reports every problem with its place (see :mod:`._trees`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Any

import attrs

from .._collector import collector_paused
from .._record_table import as_table
from ..bundle import RECORD_FIELDS, Bundle, SourceInfo
from ..errors import InputError
from ..records import (
    CinChild,
)
from ..results import DataIssue
from ._cin_records import RECORD_TAGS, CinReader
from ._common import Errors, Problems, check_errors, report_skipped
from ._stitch import Return, sort_issues, stitch
from ._trees import clear_caches
from ._xml import NotAReturn, unfinished
from ._xml_scan import Scan

__all__ = ["read_cin_census", "stitch_cin"]

_CAPTURE = frozenset({("Message", "Header"), ("Message", "Children", "Child")})

PathLike = str | os.PathLike[str]


def read_cin_census(paths: PathLike | Iterable[PathLike], *, errors: Errors = "raise") -> Bundle:
    """Read one CIN census XML file, or several, into a :class:`~csc_indicators.Bundle`.

    Several files (several collection years) are read one by one and stitched together as
    :func:`stitch_cin` does: each record is loaded once, the latest year's copy winning.

    Each ``Child``'s identifiers and characteristics (``PersonBirthDate``, ``Sex`` or
    ``GenderCurrent``, ``Ethnicity``, ``Disabilities``) become a
    :class:`~csc_indicators.CinChild` (``Bundle.cin_children``, one per child: two different
    ones of one child in one file are a ``conflict`` and neither is loaded).

    Every ``CINdetails`` group becomes a :class:`~csc_indicators.Referral`; its ``Assessments``,
    ``Section47`` and ``ChildProtectionPlans`` groups become
    :class:`~csc_indicators.Assessment`, :class:`~csc_indicators.Section47` and
    :class:`~csc_indicators.ChildProtectionPlan` records; a ``DateOfInitialCPC`` on a
    ``CINdetails`` group with no ``Section47`` group becomes a
    :class:`~csc_indicators.TransferInConference`. The header's collection year (which names
    the year the collection *ends*), reference date and LA code go into the bundle's
    :class:`~csc_indicators.SourceInfo` (whose ``collection_year`` names the year it *starts*).

    Args:
        paths: the XML file, or several.
        errors: ``"raise"`` (default) raises at the first problem; ``"collect"`` loads every
            record it can and lists every problem in ``Bundle.issues`` with its location.

    Raises:
        InputError: in either mode, when the file cannot be read as a CIN census at all (missing,
            empty, not XML, another root element, a document type declaration); with
            ``errors="raise"``, at the first bad value, naming the file, line, element path,
            field and value.
    """
    check_errors(errors)
    # Everything built here (the trees of the children, the records) holds no reference
    # cycles: the cycle collector would only walk it again and again (about a sixth of the
    # time). It is paused for the call and restored as it was.
    with collector_paused():
        if isinstance(paths, (str, os.PathLike)):
            return _read_one(paths, errors)
        files = list(paths)
        if not files:
            raise NotAReturn("no CIN census file given", path="")
        return stitch_cin([_read_one(path, errors) for path in files])


def _read_one(path: PathLike, errors: Errors) -> Bundle:
    """Read one CIN census file."""
    problems = Problems(path, errors)
    scan = Scan(
        path, kind="CIN census", root="Message", capture=_CAPTURE, watch=frozenset(RECORD_TAGS)
    )
    reader = CinReader(problems, scan)
    with contextlib.closing(scan):
        try:
            reader.read(scan)
        except NotAReturn:
            raise
        except InputError as exc:
            if not problems.collect:
                raise
            problems.note(
                f"{exc.message}; everything after this point is not loaded"
                + (f", from the unfinished {after}" if (after := unfinished(exc)) else ""),
                location=exc.location,
                kind="malformed",
            )
        finally:
            clear_caches()
    report_skipped(problems, scan.skipped, "a CIN census")
    if not reader.header_seen:
        problems.note(
            "no Header: the collection year, reference date and LA code are unknown",
            location="Message",
            field="Header",
            kind="header",
        )
    source = SourceInfo(
        kind="CIN census",
        path=problems.path,
        collection_year=reader.collection_year,
        reference_date=reader.reference_date,
        la_code=reader.la_code,
    )
    children = _one_per_child(problems, reader.children, reader.numbers)
    fields: dict[str, Any] = {
        "cin_children": children,
        "referrals": as_table(reader.referrals),
        "assessments": as_table(reader.assessments),
        "section47s": as_table(reader.section47s),
        "transfer_ins": as_table(reader.transfer_ins),
        "plans": as_table(reader.plans),
        "sources": (source,),
        "issues": tuple(problems.issues),
    }
    return Bundle(**fields)


def _one_per_child(
    problems: Problems, found: list[CinChild], numbers: Sequence[int]
) -> list[CinChild]:
    """Each child's characteristics once: a child in the file twice with the same
    characteristics is a duplicate (loaded once), with others a conflict (neither is loaded),
    both reported as the stitcher does. ``numbers`` are the ``Child`` elements they came from."""
    ids = sorted(r.child_id for r in found)  # a list of references: less memory than a set
    repeated = {a for a, b in pairwise(ids) if a == b}
    del ids
    if not repeated:
        return found
    places = [
        (r, f"{problems.path}:Message/Children/Child[{n}]")
        for r, n in zip(found, numbers, strict=True)
        if r.child_id in repeated
    ]
    issues: list[DataIssue] = []
    twice = stitch(
        [Return(problems.path, {"cin_children": places})],
        issues,
        _CIN_KEYS,
        exclusive=frozenset({"cin_children"}),
    )
    problems.issues.extend(sort_issues(issues))
    kept = {r.child_id: r for r in twice.get("cin_children", ())}
    return [r for r in found if r.child_id not in repeated or kept.pop(r.child_id, None) is r]


_CIN_KEYS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "referrals": lambda r: (r.child_id, r.date),
    "assessments": lambda a: (a.child_id, a.start_date),
    "section47s": lambda s: (s.child_id, s.start_date),
    "transfer_ins": lambda t: (t.child_id, t.date),
    "plans": lambda p: (p.child_id, p.start_date),
    "cin_children": lambda c: (c.child_id,),
}
_CIN_FIELDS = tuple(_CIN_KEYS)


def stitch_cin(bundles: Sequence[Bundle]) -> Bundle:
    """Combine several CIN census bundles (several collection years) so that each record is
    loaded once.

    A census repeats what was still open at its start (a referral, an assessment, a plan), so
    records are matched by child and date (a referral by its referral date; an assessment,
    enquiry or plan by its start; a transfer-in by its date) and the copy from the latest
    collection year is kept; copies that only gained values (a closure date, more review dates)
    are not reported, other revisions and same-year clashes are (``Bundle.issues``). Kinds
    outside the CIN census are added together unchanged.
    """
    if len(bundles) == 1:
        return bundles[0]
    returns: list[Return] = []
    issues: list[DataIssue] = []
    rest = Bundle()
    for b in bundles:
        years = [s.collection_year for s in b.sources if s.collection_year is not None]
        where = ", ".join(s.path or s.kind for s in b.sources) or "bundle"
        ret = Return(where, year=max(years) if years else None)
        for field in _CIN_FIELDS:
            records = getattr(b, field)
            if records is not None:
                ret.records[field] = [(r, where) for r in records]
        returns.append(ret)
        issues.extend(b.issues)
        others: dict[str, Any] = {n: getattr(b, n) for n in RECORD_FIELDS if n not in _CIN_KEYS}
        others["sources"] = b.sources
        rest = rest + Bundle(**others)
    stitched = stitch(returns, issues, _CIN_KEYS, exclusive=frozenset({"cin_children"}))
    fields: dict[str, Any] = {f: as_table(v) for f, v in stitched.items()}
    fields["issues"] = tuple(issues)
    return attrs.evolve(rest, **fields)
