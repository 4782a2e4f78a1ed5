"""Breakdowns: the group of each outcome, by a built-in dimension or a user's lookup file.

A grouping answers one question: in which group is the outcome of this record, judged on this
date (the outcome's event date for an event indicator, the period end for a snapshot)? The
built-in dimensions (:data:`DIMENSIONS`) read the child's records; a :class:`Lookup` reads a
CSV file mapping children to teams, localities, workers... with optional validity dates.

This module holds the built-in dimensions and :func:`grouping_of`; :class:`Grouping` and the
groups ``not recorded`` and ``unassigned`` are in :mod:`~csc_indicators.series.grouping_base`,
:class:`Lookup` and :class:`LookupRow` in :mod:`~csc_indicators.series.lookup`. All are
importable from here.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..bundle import RECORD_FIELDS, Bundle
from ..codes import SEX_NAMES
from ..results import Outcome
from .grouping_base import NOT_RECORDED, UNASSIGNED, Grouping
from .grouping_base import GroupOf as GroupOf  # explicitly re-exported (series.assembly)
from .lookup import Lookup, LookupRow

__all__ = [
    "AGE_BANDS",
    "DIMENSIONS",
    "NOT_RECORDED",
    "UNASSIGNED",
    "Dimension",
    "Grouping",
    "Lookup",
    "LookupRow",
    "age_band",
    "grouping_of",
]


# -- the child's facts -----------------------------------------------------------------------


class _Facts:
    """Per child: the records of the bundle, with the episodes sorted by start, indexed once."""

    def __init__(self, bundle: Bundle) -> None:
        self.records: dict[str, list[object]] = {}
        self.episodes: dict[str, list[Any]] = {}
        self.dob: dict[str, _dt.date] = {}
        for name in ("children", *(n for n in RECORD_FIELDS if n != "children")):
            for record in getattr(bundle, name) or ():
                cid = record.child_id
                self.records.setdefault(cid, []).append(record)
                dob = getattr(record, "date_of_birth", None)
                if isinstance(dob, _dt.date) and cid not in self.dob:
                    self.dob[cid] = dob
        for e in bundle.episodes or ():
            self.episodes.setdefault(e.child_id, []).append(e)
        self.starts: dict[str, list[_dt.date]] = {}
        for cid, items in self.episodes.items():
            items.sort(key=lambda e: (e.start_date, e.end_date or _dt.date.max))
            self.starts[cid] = [e.start_date for e in items]

    def episode_at(self, child_id: str, day: _dt.date) -> Any:
        """The child's episode open on ``day``, else the latest started by then, else the
        first; ``None`` when the child has no episode."""
        items = self.episodes.get(child_id)
        if not items:
            return None
        i = bisect.bisect_right(self.starts[child_id], day) - 1
        if i < 0:
            return items[0]
        return items[i]


def _shown(value: object) -> str | None:
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(str(v) for v in value)
        return ", ".join(items) if items else None
    return str(value)


AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 1", 0, 0),
    ("1-4", 1, 4),
    ("5-9", 5, 9),
    ("10-15", 10, 15),
    ("16-17", 16, 17),
    ("18+", 18, None),
)
"""The age bands of the ``age_band`` dimension: name, first and last age in whole years."""


def _age(dob: _dt.date, day: _dt.date) -> int:
    age = day.year - dob.year
    if (day.month, day.day) < (dob.month, dob.day):
        age -= 1
    return age


def age_band(date_of_birth: _dt.date | None, day: _dt.date) -> str:
    """The band (:data:`AGE_BANDS`) of the age in whole years on ``day``; ``not recorded``
    without a date of birth, ``before birth`` for a day before it."""
    if date_of_birth is None:
        return NOT_RECORDED
    age = _age(date_of_birth, day)
    if age < 0:
        return "before birth"
    for name, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return name
    raise AssertionError(age)  # pragma: no cover - the last band is open


@attrs.frozen(slots=True)
class Dimension(Grouping):
    """A built-in breakdown: by age band, or by a field of the child's records."""

    name: str
    """The dimension's name (a key of :data:`DIMENSIONS`)."""
    fields: tuple[str, ...] = ()
    """The record attributes read, in order of preference (the first recorded is used)."""
    dated: bool = False
    """Whether the value is read from the child's episode on the date (placement, legal
    status) when the outcome's own record does not hold it."""
    description: str = ""
    """What it groups by, in words."""
    labels: Mapping[str, str] = attrs.field(factory=dict)
    """Words for the codes, so that the two returns' codes of one thing make one group (sex:
    SSDA903 ``1``/``2`` and CIN census ``M``/``F`` are both ``male``/``female``)."""

    def bind(self, bundle: Bundle) -> GroupOf:
        facts = _Facts(bundle)
        if self.name == "age_band":

            def by_age(outcome: Outcome, day: _dt.date) -> str:
                dob = getattr(outcome.record, "date_of_birth", None)
                if not isinstance(dob, _dt.date):
                    dob = facts.dob.get(outcome.child_id)
                return age_band(dob, day)

            return by_age
        fields = self.fields
        labels = self.labels

        def read(record: object) -> str | None:
            for f in fields:
                v = _shown(getattr(record, f, None))
                if v is not None:
                    return labels.get(v, v)
            return None

        memo: dict[str, str] = {}

        def by_field(outcome: Outcome, day: _dt.date) -> str:
            v = read(outcome.record)
            if v is not None:
                return v
            cid = outcome.child_id
            if self.dated:
                v = read(facts.episode_at(cid, day))
                if v is not None:
                    return v
            hit = memo.get(cid)
            if hit is None:
                hit = NOT_RECORDED
                for record in facts.records.get(cid, ()):
                    v = read(record)
                    if v is not None:
                        hit = v
                        break
                memo[cid] = hit
            return hit

        return by_field

    def order(self, groups: Iterable[str]) -> list[str]:
        if self.name != "age_band":
            return super().order(groups)
        names = [b[0] for b in AGE_BANDS]
        rank = {n: i for i, n in enumerate(["before birth", *names, NOT_RECORDED])}
        return sorted(set(groups), key=lambda g: (rank.get(g, len(rank)), g))


DIMENSIONS: Mapping[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("age_band", description="the child's age at the outcome's date"),
        Dimension("sex", ("sex",), description="the child's sex", labels=SEX_NAMES),
        Dimension("ethnicity", ("ethnicity",), description="the child's ethnicity"),
        Dimension("disability", ("disability", "disabilities"), description="disability"),
        Dimension(
            "primary_need",
            ("primary_need", "category_of_need"),
            dated=True,
            description="primary need (CIN) or category of need (SSDA903 CIN)",
        ),
        Dimension("referral_source", ("referral_source",), description="referral source"),
        Dimension(
            "placement_type",
            ("placement_type", "placement"),
            dated=True,
            description="placement type (SSDA903 PLACE) on the outcome's date",
        ),
        Dimension(
            "legal_status",
            ("legal_status",),
            dated=True,
            description="legal status (SSDA903 LS) on the outcome's date",
        ),
    )
}
"""The built-in breakdowns, by name: ``age_band`` (bands of :data:`AGE_BANDS`, from a date
of birth in the child's records), and ``sex``, ``ethnicity``, ``disability``,
``primary_need``, ``referral_source``, ``placement_type``, ``legal_status`` read from the
outcome's record or the child's records when they hold such a field (``not recorded`` when
none does)."""


def grouping_of(by: str | Grouping | None) -> Grouping | None:
    """The grouping ``by`` names: a :data:`DIMENSIONS` name or a grouping object.

    Raises:
        ValueError: an unknown dimension name (the message lists them).
    """
    if by is None or isinstance(by, Grouping):
        return by
    if isinstance(by, str):
        try:
            return DIMENSIONS[by]
        except KeyError:
            raise ValueError(
                f"no dimension {by!r}: expected one of {', '.join(DIMENSIONS)} or a Lookup"
            ) from None
    raise TypeError(f"by must be a dimension name or a Lookup, got {by!r}")
