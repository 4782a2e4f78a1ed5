"""A bundle of records: everything loaded from one authority's returns, by kind.

The field names are the input names the indicator registry uses
(:attr:`~csc_indicators.registry.IndicatorSpec.inputs`). A field is ``None`` when that kind of
record was not supplied at all (no SSDA903 file given, say), and a tuple, possibly empty, when it
was; the scorecard uses the difference to name the indicators it cannot compute.
"""

from __future__ import annotations

import datetime as _dt
import zlib
from collections.abc import Iterable
from itertools import chain
from typing import Any

import attrs

from ._record_table import as_table
from .periods import Period, financial_year_number
from .records import (
    AdoptionRecord,
    Assessment,
    CareLeaverRecord,
    Child,
    ChildProtectionPlan,
    CinChild,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47,
    TransferInConference,
)
from .results import DataIssue

__all__ = [
    "LOCAL_ONLY",
    "RECORD_FIELDS",
    "RECORD_LABELS",
    "RECORD_SOURCES",
    "SOURCE_KINDS",
    "Bundle",
    "SourceInfo",
    "child_part",
]

SOURCE_KINDS: tuple[str, ...] = ("CIN census", "SSDA903")
"""The statutory returns, as :attr:`SourceInfo.kind` names them."""


def _opt_tuple(value: Iterable[Any] | None) -> tuple[Any, ...] | None:
    # A RecordTable: a tuple that remembers what the indicators derive from it alike.
    return None if value is None else as_table(value)


def _records() -> Any:
    return attrs.field(default=None, converter=_opt_tuple, kw_only=True)


@attrs.frozen(slots=True)
class SourceInfo:
    """Facts about one source file: what it is and which collection it belongs to."""

    kind: str
    """``CIN census`` or ``SSDA903``."""
    path: str | None = None
    """The file it came from, when read from a file."""
    collection_year: int | None = None
    """The collection year, named by the calendar year in which it starts (2024 = 2024-25)."""
    reference_date: _dt.date | None = None
    """The census reference date (31 March of the collection year), when the file gives it."""
    la_code: str | None = None
    """The local authority code, when the file gives it."""

    @property
    def year(self) -> int | None:
        """The collection year, or the financial year of the reference date when only that is
        known (``None`` when neither is)."""
        if self.collection_year is not None:
            return self.collection_year
        if self.reference_date is not None:
            return financial_year_number(self.reference_date)
        return None


@attrs.frozen(slots=True, repr=False)
class Bundle:
    """All records of one authority (or one slice of one), by kind; ``None`` = not supplied.

    ``repr`` shows the number of records of each kind supplied, of sources and of issues:
    ``Bundle(referrals=1,234, episodes=567, sources=3, issues=2)``.
    """

    referrals: tuple[Referral, ...] | None = _records()
    assessments: tuple[Assessment, ...] | None = _records()
    section47s: tuple[Section47, ...] | None = _records()
    transfer_ins: tuple[TransferInConference, ...] | None = _records()
    plans: tuple[ChildProtectionPlan, ...] | None = _records()
    cin_children: tuple[CinChild, ...] | None = _records()
    """The CIN census children's characteristics (one :class:`CinChild` per child)."""
    children: tuple[Child, ...] | None = _records()
    episodes: tuple[Episode, ...] | None = _records()
    reviews: tuple[LookedAfterReview, ...] | None = _records()
    adoptions: tuple[AdoptionRecord, ...] | None = _records()
    placed_for_adoption: tuple[PlacedForAdoption, ...] | None = _records()
    previous_permanence: tuple[PreviousPermanence, ...] | None = _records()
    health_assessments: tuple[HealthAssessment, ...] | None = _records()
    health_outcomes: tuple[HealthOutcomeRecord, ...] | None = _records()
    care_leavers: tuple[CareLeaverRecord, ...] | None = _records()
    missing: tuple[MissingEpisode, ...] | None = _records()
    sources: tuple[SourceInfo, ...] = attrs.field(default=(), converter=tuple, kw_only=True)
    """Where the records came from."""
    issues: tuple[DataIssue, ...] = attrs.field(default=(), converter=tuple, kw_only=True)
    """Problems found while reading (lenient mode), each with its location."""

    def supplied(self) -> frozenset[str]:
        """The names of the record kinds that were supplied (possibly empty)."""
        return frozenset(n for n in RECORD_FIELDS if getattr(self, n) is not None)

    def data_from(self, kind: str) -> _dt.date | None:
        """The first date the records of one source kind cover: 1 April of the earliest
        collection year among the sources of that ``kind`` (``SSDA903`` or ``CIN census``), or
        ``None`` when no source of that kind names its year.

        Both returns hold only what happened in (or was open during) their own collection
        year, so a review, say, before this date cannot be in the data.
        """
        years = [
            s.collection_year
            for s in self.sources
            if s.kind == kind and s.collection_year is not None
        ]
        return _dt.date(min(years), 4, 1) if years else None

    def coverage(self, kind: str) -> Period | None:
        """The dates the data of one source kind (``CIN census`` or ``SSDA903``) cover: 1 April
        of the earliest collection year loaded to 31 March of the latest (D18), or ``None`` when
        no source of that kind names its year (a bundle built by hand, say).

        A CIN census source's year is its collection year, or the financial year of its
        reference date; an SSDA903 return's, its collection year. A year missing between the
        earliest and the latest does not split the coverage.
        """
        years = [y for s in self.sources if s.kind == kind and (y := s.year) is not None]
        if not years:
            return None
        return Period(_dt.date(min(years), 4, 1), _dt.date(max(years) + 1, 3, 31))

    def record_counts(self) -> dict[str, int]:
        """The number of records of each kind supplied, by bundle field name, in field order
        (kinds not supplied are left out; a kind supplied empty gives 0)."""
        return {n: len(v) for n in RECORD_FIELDS if (v := getattr(self, n)) is not None}

    def coverage_summary(self) -> list[dict[str, Any]]:
        """What was loaded, per source kind, for display: one plain dict per kind among the
        sources and the record kinds (``CIN census`` then ``SSDA903``, then any other), with
        ``kind``, ``sources`` (the number of files), ``years`` (the collection years named,
        sorted), ``start`` and ``end`` (the coverage as ISO dates, ``None`` when unknown),
        ``coverage`` (in words) and ``records`` (the record counts of the kinds that source
        supplies, by field name)."""
        counts = self.record_counts()
        kinds = [k for k in SOURCE_KINDS if any(s.kind == k for s in self.sources)]
        kinds += sorted({s.kind for s in self.sources} - set(kinds))
        for name in counts:
            origin = RECORD_SOURCES.get(name)
            if origin is not None and origin not in kinds:
                kinds.append(origin)
        out: list[dict[str, Any]] = []
        for kind in kinds:
            mine = [s for s in self.sources if s.kind == kind]
            cover = self.coverage(kind)
            out.append(
                {
                    "kind": kind,
                    "sources": len(mine),
                    "years": sorted({y for s in mine if (y := s.year) is not None}),
                    "start": None if cover is None else cover.start.isoformat(),
                    "end": None if cover is None else cover.end.isoformat(),
                    "coverage": "unknown" if cover is None else _span(cover),
                    "records": {
                        n: c for n, c in counts.items() if RECORD_SOURCES.get(n, kind) == kind
                    },
                }
            )
        return out

    def __repr__(self) -> str:
        parts = [f"{n}={c:,}" for n, c in self.record_counts().items()]
        parts += [f"sources={len(self.sources):,}", f"issues={len(self.issues):,}"]
        return f"Bundle({', '.join(parts)})"

    def merge(self, other: Bundle) -> Bundle:
        """Both bundles' records together (a kind is supplied if either supplied it)."""
        changes: dict[str, Any] = {}
        for name in RECORD_FIELDS:
            a, b = getattr(self, name), getattr(other, name)
            if a is None and b is None:
                changes[name] = None
            else:  # one side's own table when the other has none (no copy)
                changes[name] = as_table(chain(a, b) if a and b else a or b or ())
        changes["sources"] = self.sources + other.sources
        changes["issues"] = self.issues + other.issues
        return attrs.evolve(self, **changes)

    def __add__(self, other: Bundle) -> Bundle:
        if not isinstance(other, Bundle):
            return NotImplemented
        return self.merge(other)

    def part(self, index: int, parts: int) -> Bundle:
        """The records of the children in part ``index`` of ``parts`` (0-based).

        Children are assigned to parts by a hash of their id that is the same in every process
        and on every run, so each child's records all land in one part and the parts together
        hold every record exactly once. Kinds not supplied stay not supplied; every part keeps
        the sources (so :meth:`data_from` is the same in each), and the reading issues stay
        with part 0.

        Raises:
            ValueError: ``parts`` is not positive or ``index`` is not in ``range(parts)``.
        """
        if parts < 1 or not 0 <= index < parts:
            raise ValueError(f"part {index} of {parts} does not exist")
        if parts == 1:
            return self
        owner: dict[str, bool] = {}

        def mine(child_id: str) -> bool:
            hit = owner.get(child_id)
            if hit is None:
                hit = owner[child_id] = child_part(child_id, parts) == index
            return hit

        changes: dict[str, Any] = {}
        for name in RECORD_FIELDS:
            records = getattr(self, name)
            if records is not None:
                changes[name] = as_table(r for r in records if mine(r.child_id))
        if index != 0:
            # Every part keeps the sources (an indicator may need to know where the data
            # begin: data_from); the reading issues are reported once, by part 0.
            changes["issues"] = ()
        return attrs.evolve(self, **changes)

    def partition(self, parts: int) -> list[Bundle]:
        """The bundle split by child into ``parts`` bundles (see :meth:`part`)."""
        return [self.part(i, parts) for i in range(parts)]


def child_part(child_id: str, parts: int) -> int:
    """The part (0 to ``parts - 1``) a child belongs to: a stable hash of the id (CRC-32, not
    Python's per-process ``hash``), so every process agrees."""
    return zlib.crc32(child_id.encode("utf-8")) % parts


RECORD_FIELDS: tuple[str, ...] = tuple(
    a.name for a in attrs.fields(Bundle) if a.name not in ("sources", "issues")
)
"""The names of the record collections of a :class:`Bundle`."""


RECORD_SOURCES: dict[str, str] = {
    **dict.fromkeys(
        ("referrals", "assessments", "section47s", "transfer_ins", "plans", "cin_children"),
        "CIN census",
    ),
    **dict.fromkeys(
        (
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
        ),
        "SSDA903",
    ),
}
"""The return each record kind (bundle field name) comes from."""

RECORD_LABELS: dict[str, str] = {
    "referrals": "referrals",
    "assessments": "assessments",
    "section47s": "section 47 enquiries",
    "transfer_ins": "transfer-in conferences",
    "plans": "child protection plans",
    "cin_children": "children (CIN census)",
    "children": "children (SSDA903 header)",
    "episodes": "episodes",
    "reviews": "reviews",
    "adoptions": "adoption records",
    "placed_for_adoption": "placed-for-adoption records",
    "previous_permanence": "previous permanence records",
    "health_assessments": "initial health assessments",
    "health_outcomes": "health outcome records",
    "care_leavers": "care leaver records",
    "missing": "missing or away episodes",
}
"""How each record kind (bundle field name) is named where people read it: the scorecard's
"Data loaded" lines and the report's data section (machine-readable outputs keep the field
names)."""

LOCAL_ONLY: frozenset[str] = frozenset({"health_assessments"})
"""Record kinds no statutory return holds (the dates of initial health assessments are kept
locally): the readers never fill them; a caller builds them in Python."""


def _span(period: Period) -> str:
    start, end = period.start, period.end
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
