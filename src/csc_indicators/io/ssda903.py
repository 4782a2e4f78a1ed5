"""Reading the SSDA903 looked-after children return: the CSV tables and the XML form.

The CSV tables are those the Department for Education's validation tools take, with the DfE
column names (Header, Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm,
Missing). Each table is recognised by its file name or, failing that, by its columns. The XML
form is the ``EXPSSDA903`` file (one ``CHILD`` element per child, holding a ``HEADER`` and its
``EPISODE`` elements).

Several years' returns can be read at once: the files in one directory form one return, whose
collection year is stated by the caller or inferred from its rows, and the returns are stitched
together (see :func:`read_ssda903`). The work is split by concern: the tables and how a row
becomes a record (:mod:`._ssda903_tables`), reading a CSV table (:mod:`._ssda903_csv`), reading
the XML form (:mod:`._ssda903_xml`), making a clean row's record at once (:mod:`._ssda903_fast`)
and the collection year (:mod:`._ssda903_years`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .._collector import collector_paused
from .._record_table import as_table
from ..bundle import Bundle, SourceInfo
from ..errors import InputError
from ..records import Child
from ..results import DataIssue
from ._common import Errors, check_errors
from ._ssda903_csv import read_csv
from ._ssda903_tables import KIND, TABLES, Table
from ._ssda903_xml import read_xml
from ._ssda903_years import check_code_years, infer_year, stamp_year
from ._stitch import Return, sort_issues, stitch
from ._xml import NotAReturn

__all__ = ["TABLES", "Table", "read_ssda903"]

PathLike = str | os.PathLike[str]
YearsByPath = Mapping[str, int] | Mapping[os.PathLike[str], int] | Mapping[PathLike, int]
"""``years=``: a return's directory or file, as given in ``paths``, -> its collection year (a
mapping's key type is invariant, hence the three forms)."""


# -- finding the returns -------------------------------------------------------------------------


def _is_return_file(name: str) -> bool:
    return name.lower().endswith((".csv", ".xml"))


def _norm(path: PathLike) -> str:
    return os.path.normcase(os.path.abspath(os.fspath(path)))


@attrs.define
class _Group:
    label: str
    files: list[str] = attrs.field(factory=list)
    given: set[str] = attrs.field(factory=set)
    """The paths, as given by the caller (normalised), that this return was found from."""


def _returns(paths: Iterable[PathLike]) -> list[_Group]:
    """Group the given files into returns. Files in one directory are one return; an XML file is
    a return of its own; a directory holding no return files but subdirectories is a set of
    returns, one per subdirectory."""
    groups: dict[str, _Group] = {}

    def add_dir(directory: str, depth: int, given: str) -> None:
        names = sorted(os.listdir(directory))
        files = [
            os.path.join(directory, n)
            for n in names
            if _is_return_file(n) and os.path.isfile(os.path.join(directory, n))
        ]
        if files:
            for f in files:
                add_file(f, given)
        elif depth == 0:
            for n in names:
                sub = os.path.join(directory, n)
                if os.path.isdir(sub):
                    add_dir(sub, 1, given)

    def add_file(name: str, given: str) -> None:
        key = name if name.lower().endswith(".xml") else os.path.dirname(os.path.abspath(name))
        group = groups.setdefault(key, _Group(key))
        if name not in group.files:
            group.files.append(name)
        group.given.add(given)
        group.given.add(_norm(key))

    for item in paths:
        name = os.fspath(item)
        if os.path.isdir(name):
            add_dir(name, 0, _norm(name))
        elif os.path.exists(name):
            add_file(name, _norm(name))
        else:
            raise NotAReturn("no such file or directory", path=name)
    if not groups:
        raise NotAReturn(
            f"no {KIND} files (.csv or .xml) found", path=", ".join(os.fspath(p) for p in paths)
        )
    return list(groups.values())


def _stated_years(groups: list[_Group], years: YearsByPath) -> list[int | None]:
    """The year stated for each return by ``years`` (path -> year), checked."""
    wanted: dict[str, tuple[str, int]] = {}
    for key, year in years.items():
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError(f"years maps paths to collection years (ints), not {year!r}")
        wanted[_norm(key)] = (os.fspath(key), year)
    used: set[str] = set()
    out: list[int | None] = []
    for group in groups:
        found = {wanted[g][1]: g for g in sorted(group.given) if g in wanted}
        used.update(found.values())
        if len(found) > 1:
            raise InputError(
                "years states different collection years for one return: "
                + ", ".join(f"{wanted[g][0]} = {y}" for y, g in sorted(found.items())),
                path=group.label,
            )
        out.append(next(iter(found), None))
    for norm, (given, _) in wanted.items():
        holders = [g for g in groups if norm in g.given]
        if not holders:
            raise InputError("years names a path that is not among the returns read", path=given)
        if len(holders) > 1 and not any(norm == _norm(g.label) for g in holders):
            raise InputError(
                f"years names a directory holding {len(holders)} returns: state the year of "
                "each return (each year's directory or XML file)",
                path=given,
            )
    return out


# -- stitching --------------------------------------------------------------------------------


_KEYS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "episodes": lambda e: (e.child_id, e.start_date),
    "children": lambda c: (c.child_id,),
    # D16: the tables keyed by child (OC2 and OC3 by child and collection year)
    "adoptions": lambda a: (a.child_id,),
    "placed_for_adoption": lambda a: (a.child_id, a.decision_date),
    "previous_permanence": lambda p: (p.child_id,),
    "health_outcomes": lambda h: (h.child_id, h.collection_year),
    "care_leavers": lambda c: (c.child_id, c.collection_year),
}


def _merge_children(ret: Return) -> None:
    """Join a return's UASC rows to its Header rows: one Child per child (a child only in the
    UASC table keeps the UASC row's facts). When a child has one distinct UASC row it is joined
    to each of the child's Header rows; repeated and conflicting rows are left for the stitcher
    to judge, whatever their order."""
    uasc_rows = ret.records.pop("_uasc", [])
    if not uasc_rows:
        return
    by_child: dict[str, list[tuple[Child, str]]] = {}
    for record, where in uasc_rows:
        by_child.setdefault(record.child_id, []).append((record, where))
    out: list[tuple[Any, str]] = []
    joined: set[str] = set()
    for record, where in ret.records.get("children", []):
        rows = by_child.get(record.child_id)
        if rows is not None and len({r for r, _ in rows}) == 1:
            uasc = rows[0][0]
            record = attrs.evolve(record, uasc=True, uasc_ceased=uasc.uasc_ceased)
            joined.add(record.child_id)
        out.append((record, where))
    for child_id, rows in by_child.items():
        if child_id not in joined:
            out.extend(rows)
    ret.records["children"] = out


def read_ssda903(
    paths: PathLike | Iterable[PathLike] | Mapping[int, PathLike | Iterable[PathLike]],
    *,
    errors: Errors = "raise",
    years: YearsByPath | None = None,
) -> Bundle:
    """Read SSDA903 returns, one year or several, into a :class:`~csc_indicators.Bundle`.

    ``paths`` is a file, a directory, or a list of them. CSV files are the DfE tables (recognised
    by file name, else by columns; dates ``dd/mm/yyyy`` or ``yyyy-mm-dd``); ``.xml`` files are
    the ``EXPSSDA903`` form. The CSV files of one directory form one return; each XML file is
    one return; a directory with no such files but subdirectories holds one return per
    subdirectory.

    Each return's collection year (2023 = 2023-24) is the one ``years`` states for it:
    ``years`` maps a path given in ``paths`` (a return's directory or file) to its year. A
    return whose year is not stated has it inferred from its rows (the year most of its dated
    rows fit; reported, kind ``inferred year``); a stated year that fewer than half the dated
    rows fit is reported (kind ``stated year``) and used. ``paths`` may also be a mapping from
    year to that year's files or directory. The year is recorded in each
    :class:`~csc_indicators.SourceInfo`, and each OC2 and OC3 record is given it
    (``collection_year``), so that one young person's rows of several years stay apart.

    Returns are stitched: exact repeats of a record in several returns are loaded once; a
    record matched by its key (an episode by child and start date; the child's header facts,
    AD1, placed for adoption and previous permanence by child; OC2 and OC3 by child and year)
    that differs between returns is taken from the latest return, and the earlier version is
    reported as ``revised`` unless the later one only fills in what it left blank. Two
    different records with one key in one return are a ``conflict``: both are loaded and
    reported (for a child's header facts, neither is loaded). Nothing depends on the order of
    the rows: records come out sorted, and the issues are sorted by place.

    Raises:
        InputError: a path does not exist, nothing readable was found, or ``years`` names a
            path not read (in either mode); with ``errors="raise"`` (default), at the first
            problem, naming the file, line or element path, field and value. With
            ``errors="collect"`` every problem is listed in ``Bundle.issues`` instead and
            everything else is loaded.
    """
    check_errors(errors)
    # The records hold no reference cycles: the cycle collector would only walk them again and
    # again (a third of the time of a large return). It is paused for the call and restored.
    with collector_paused():
        return _read(paths, errors, years)


def _read(
    paths: PathLike | Iterable[PathLike] | Mapping[int, PathLike | Iterable[PathLike]],
    errors: Errors,
    years: YearsByPath | None,
) -> Bundle:
    groups: list[_Group]
    stated: list[int | None]
    if isinstance(paths, Mapping):
        groups, stated = [], []
        for year, given in paths.items():
            if isinstance(year, bool) or not isinstance(year, int):
                raise TypeError(f"the keys of a mapping of returns are years, not {year!r}")
            items = [given] if isinstance(given, (str, os.PathLike)) else list(given)
            group = _Group(f"{year}")
            for found in _returns(items):
                group.files.extend(found.files)
            groups.append(group)
            stated.append(year)
        if years:
            raise TypeError("years= cannot be combined with a mapping of years to paths")
    else:
        items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        groups = _returns(items)
        stated = _stated_years(groups, years or {})
    issues: list[DataIssue] = []
    returns: list[Return] = []
    sources: list[SourceInfo] = []
    seen: set[tuple[str, Any]] = set()
    for group, year in zip(groups, stated, strict=True):
        ret = Return(group.label)
        for name in group.files:
            if name.lower().endswith(".xml"):
                issues.extend(read_xml(name, errors, ret))
            else:
                issues.extend(read_csv(name, errors, ret))
        _merge_children(ret)
        ret.year = infer_year(ret, year, issues)
        stamp_year(ret)
        check_code_years(ret, issues, seen)
        returns.append(ret)
        sources.extend(
            SourceInfo(kind="SSDA903", path=s, collection_year=ret.year) for s in ret.sources
        )
    if not any(r.records for r in returns):
        raise NotAReturn(
            f"no {KIND} table could be read", path=", ".join(r.location for r in returns)
        )
    stitched = stitch(returns, issues, _KEYS)
    fields: dict[str, Any] = {f: as_table(stitched[f]) for f in stitched}
    fields["sources"] = tuple(sources)
    fields["issues"] = tuple(sort_issues(issues))
    return Bundle(**fields)
