"""The collection year of an SSDA903 return, and what depends on it.

A return covers one collection year (1 April to 31 March). A CSV return does not say which, so
when the caller does not state it the year is inferred from the rows: each dated row (an
episode, a review, a missing episode, a placement for adoption) fits the years in which a return
could hold it (an episode: every year in which it was open; a review: the year of its date), and
the year that most rows fit is taken; among years fitting equally many rows, the one in which
most rows' latest date falls. One late date therefore cannot move a return to the next year.
Inferring is always reported (kind ``inferred year``); a stated year that fewer than half as
many rows fit as fit the inferred one is reported too (kind ``stated year``).
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs

from ..codes import SSDA903_BY_YEAR, years_accepting
from ..periods import financial_year_number
from ..records._trusted import trusted_maker
from ..results import DataIssue
from ._stitch import Return

__all__ = ["check_code_years", "infer_year", "stamp_year", "year_name"]


def year_name(year: int) -> str:
    """``2023`` -> ``2023-24``."""
    return f"{year}-{(year + 1) % 100:02d}"


def _fy(day: _dt.date) -> int:
    return financial_year_number(day)


_RECORD = operator.itemgetter(0)

_SPANS: dict[str, tuple[str, str]] = {
    # a row's first and last date (None: still open, so any later year fits it)
    "episodes": ("start_date", "end_date"),
    "reviews": ("date", "date"),
    "missing": ("start_date", "end_date"),
    "placed_for_adoption": ("decision_date", "ceased_date"),
}


@attrs.frozen
class YearEvidence:
    """What a return's dates say about its collection year."""

    rows: int
    """Dated rows."""
    fits: dict[int, int]
    """Year -> rows a return of that year could hold."""
    latest: Counter[int]
    """Year -> rows whose latest date falls in it."""
    best: int | None
    """The year most rows fit (ties: most latest dates, then the later year)."""

    def fitting(self, year: int) -> int:
        return self.fits.get(year, 0)

    def after(self, year: int) -> int:
        """Rows with a date after the end of ``year``."""
        return sum(n for y, n in self.latest.items() if y > year)


def evidence(ret: Return) -> YearEvidence:
    """Weigh the dates of a return's rows (linear in the rows: an interval sweep over years).

    The rows are counted by their pair of financial years (first, last): there are few such
    pairs, and each is weighed once."""
    pairs: Counter[tuple[int, int | None]] = Counter()
    for field, (first, last) in _SPANS.items():
        rows = ret.records.get(field)
        if not rows:
            continue
        records = list(map(_RECORD, rows))
        firsts = list(map(operator.attrgetter(first), records))
        lasts = firsts if last == first else list(map(operator.attrgetter(last), records))
        years: dict[_dt.date | None, int | None] = {None: None}
        years.update((day, _fy(day)) for day in {*firsts, *lasts} if day is not None)
        starts = map(years.__getitem__, firsts)
        pairs.update(zip(starts, map(years.__getitem__, lasts), strict=True))  # type: ignore[arg-type]
    spans: dict[tuple[int, int | None], int] = {}
    latest: Counter[int] = Counter()
    for (start, end), count in pairs.items():
        if start < 1 or (end is not None and end < start):
            continue  # dates of year 1, or out of order: they name no collection year
        spans[start, end] = count
        latest[end if end is not None else start] += count
    if not spans:
        return YearEvidence(0, {}, latest, None)
    top = max(max(s for s, _ in spans), max((e for _, e in spans if e is not None), default=0))
    delta: Counter[int] = Counter()
    for (start, end), count in spans.items():
        delta[start] += count
        delta[(end if end is not None else top) + 1] -= count
    fits: dict[int, int] = {}
    running = 0
    for year in range(min(delta), top + 1):
        running += delta.get(year, 0)
        if running:
            fits[year] = running
    best = max(fits, key=lambda y: (fits[y], latest.get(y, 0), y))
    return YearEvidence(sum(spans.values()), fits, latest, best)


_HOW_TO_STATE = "state the year: YEAR=PATH on the command line, years= in Python"


def infer_year(ret: Return, stated: int | None, issues: list[DataIssue]) -> int | None:
    """The return's collection year: ``stated`` if given (reported when fewer than half its
    dated rows fit it), else inferred from its rows (always reported)."""
    seen = evidence(ret)
    if stated is not None:
        best = seen.best
        if best is not None and best != stated and seen.fitting(stated) * 2 < seen.fitting(best):
            issues.append(
                DataIssue(
                    f"the stated collection year {year_name(stated)} disagrees with the dates: "
                    f"only {seen.fitting(stated)} of {seen.rows} dated rows could be in a "
                    f"{year_name(stated)} return, {seen.fitting(best)} could be in "
                    f"{year_name(best)}; the stated year is used",
                    kind="stated year",
                    location=ret.location,
                )
            )
        return stated
    if seen.best is None:
        issues.append(
            DataIssue(
                "the collection year is not stated and no row has a date to infer it from: it "
                f"is unknown ({_HOW_TO_STATE})",
                kind="inferred year",
                location=ret.location,
            )
        )
        return None
    year = seen.best
    later = seen.after(year)
    issues.append(
        DataIssue(
            f"the collection year is not stated: inferred as {year_name(year)}, which "
            f"{seen.fitting(year)} of {seen.rows} dated rows fit"
            + (
                f" (a row fits a year it was open in; {later} of them "
                f"{'have' if later > 1 else 'has'} a date after 31 March {year + 1}, the end "
                "of that year)"
                if later
                else ""
            )
            + f"; if this is wrong, {_HOW_TO_STATE}",
            kind="inferred year",
            location=ret.location,
        )
    )
    return year


_YEARLY = ("health_outcomes", "care_leavers")
"""The kinds whose rows are about one collection year (OC2, OC3)."""


def stamp_year(ret: Return) -> None:
    """Give every OC2 and OC3 row its return's collection year (when the row has none)."""
    if ret.year is None:
        return
    for field in _YEARLY:
        rows = ret.records.get(field)
        if rows:
            ret.records[field] = _stamped(rows, ret.year)


def _stamped(rows: list[tuple[Any, str]], year: int) -> list[tuple[Any, str]]:
    """The rows, each record without a collection year given ``year``. The first record of
    each type is remade in full (``attrs.evolve``: the year is checked, and raises as it
    always did); the others are copied with the year, which their type has taken."""
    out: list[tuple[Any, str]] = []
    makers: dict[type, tuple[Callable[[Any], tuple[Any, ...]], int, Callable[..., Any]]] = {}
    for r, where in rows:
        if r.collection_year is not None:
            out.append((r, where))
            continue
        kind: type = type(r)
        found = makers.get(kind)
        if found is None:
            r = attrs.evolve(r, collection_year=year)
            names = [a.name for a in attrs.fields(kind)]
            makers[kind] = (
                operator.attrgetter(*names),
                names.index("collection_year"),
                trusted_maker(kind),
            )
        else:
            get, at, make = found
            values = list(get(r))
            values[at] = year
            r = make(*values)
        out.append((r, where))
    return out


_START_YEARS: dict[_dt.date, int] = {}
"""The financial year of each episode's start date seen (at most :data:`_LIMIT` dates)."""
_LIMIT = 100_000


def _start_year(record: Any) -> int | None:
    day = record.start_date
    year = _START_YEARS.get(day) if type(day) is _dt.date else None
    if year is None:
        year = financial_year_number(day)
        if type(day) is _dt.date and len(_START_YEARS) < _LIMIT:
            _START_YEARS[day] = year
    return year


def _row_year(record: Any) -> int | None:
    year: int | None = record.collection_year
    return year


_CODE_YEARS: dict[str, tuple[str, str, Callable[[Any], int | None], str]] = {
    # bundle field: (attribute, SSDA903 field, the record's year, what that year is)
    "episodes": ("placement", "PLACE", _start_year, "the year the episode started"),
    "care_leavers": ("activity", "ACTIV", _row_year, "the OC3 row's collection year"),
}
"""The coded values whose list changes between collection years, and the year each record's
value is judged by (every field of :data:`~csc_indicators.codes.YEAR_DEPENDENT_FIELDS`)."""


def check_code_years(ret: Return, issues: list[DataIssue], seen: set[tuple[str, Any]]) -> None:
    """Report each year-dependent code that its record's collection year did not use (a
    placement type before it existed, an activity code after it was replaced). The record is
    kept: the code is known, only its year is wrong."""
    for field, (attribute, item, year_of, which) in _CODE_YEARS.items():
        rows = ret.records.get(field)
        if not rows:
            continue
        records = list(map(_RECORD, rows))
        years = list(map(year_of, records))
        codes = list(map(operator.attrgetter(attribute), records))
        # Each (year, code) pair is judged once; only the rows of a pair found wrong are
        # gone through, in order.
        wrong = set()
        for year, code in set(zip(years, codes, strict=True)):
            lists = SSDA903_BY_YEAR.get(year) if year is not None else None
            if not (lists is None or code is None or code in lists[item]):
                wrong.add((year, code))
        if not wrong:
            continue
        for (record, where), year, code in zip(rows, years, codes, strict=True):
            if (year, code) not in wrong or (item, record) in seen:
                continue
            seen.add((item, record))
            accepted = " and ".join(year_name(y) for y in years_accepting(item, code))
            issues.append(
                DataIssue(
                    f"{item} code {code} was not in use in {year_name(year or 0)}, {which} "
                    f"(the {item} list has it in {accepted})",
                    record.child_id,
                    record,
                    "code year",
                    location=where,
                    field=item,
                    value=code,
                )
            )
