"""One SSDA903 OC2 or OC3 record per child and collection year (decision D14), for the health
checks (OC2) and the care leavers (OC3): :func:`one_per_child_in_year` for one period, and
:func:`in_year_order` with :func:`one_per_child` for many, the records sorted once for every
collection year of a series (:func:`by_collection_year`).

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

from ...decisions import Sink
from ...periods import Period
from ...records.looked_after import CareLeaverRecord, HealthOutcomeRecord
from .._twins import recorded_detail

__all__ = [
    "by_collection_year",
    "collection_year_of",
    "in_year_order",
    "one_per_child",
    "one_per_child_in_year",
]


# -- plumbing over many periods, shared with ``care_leavers`` and ``missing`` (which import it
# from here: this module is imported before them, so the registry keeps its order) -----------

Y = TypeVar("Y", HealthOutcomeRecord, CareLeaverRecord)


def one_per_child_in_year(
    records: Iterable[Y],
    period: Period,
    builder: Sink,
    table: str,
    key: Callable[[Y], tuple[object, ...]],
) -> tuple[int, dict[str, Y], dict[str, list[int]]]:
    """Each child's OC2 or OC3 record of the reporting period's collection year.

    The collection year is the one holding ``period.end`` (2024 = 2024-25). A record of
    another year is not used (the young person's row in another year's return); a record
    without a year is taken to be of this year. Two different records of one child in the
    year are a ``conflict`` (decision D14), reported naming the record used: the one with more
    recorded detail, then one with a year before one without, then the first by ``key``.
    Identical records are loaded once silently.

    Returns:
        The collection year, the record chosen for each child, and for each child the other
        years whose records were set aside (sorted).
    """
    year = collection_year_of(period)
    chosen, others = one_per_child(in_year_order(records, key), year, builder, table)
    return year, chosen, others


def collection_year_of(period: Period) -> int:
    """The collection year holding ``period.end`` (2024 = 2024-25)."""
    return Period.financial_year_of(period.end).start.year


def by_collection_year(periods: Sequence[Period]) -> dict[int, list[int]]:
    """The positions of the periods, by the collection year holding their end."""
    years: dict[int, list[int]] = {}
    for n, p in enumerate(periods):
        years.setdefault(collection_year_of(p), []).append(n)
    return years


def in_year_order(records: Iterable[Y], key: Callable[[Y], tuple[object, ...]]) -> list[Y]:
    """The records in the order :func:`one_per_child` reads them: by child, the records naming
    their year first (by year), then ``key``."""
    return sorted(
        records,
        key=lambda r: (r.child_id, r.collection_year is None, r.collection_year or 0, key(r)),
    )


def one_per_child(
    ordered: Sequence[Y], year: int, sink: Sink, table: str
) -> tuple[dict[str, Y], dict[str, list[int]]]:
    """Each child's OC2 or OC3 record of the collection year ``year``, from the records in
    :func:`in_year_order` (sorted once for every year of a series), as
    :func:`one_per_child_in_year` describes: the record chosen for each child, the other
    years set aside by child, and the ``conflict`` issues."""
    label = f"{year}-{(year + 1) % 100:02d}"
    chosen: dict[str, Y] = {}
    others: dict[str, list[int]] = {}
    mine: dict[str, list[Y]] = {}
    for r in ordered:
        cy = r.collection_year
        if cy is not None and cy != year:
            others.setdefault(r.child_id, []).append(cy)
            continue
        mine.setdefault(r.child_id, []).append(r)
        used = chosen.get(r.child_id)
        # Decision D14: more recorded detail first; ties keep the first in the fixed order
        # (a record naming its year before one without, then the key).
        if used is None or recorded_detail(r) > recorded_detail(used):
            chosen[r.child_id] = r
    for cid, rows in mine.items():
        if len(rows) == 1:  # the only record is the one used
            continue
        used = chosen[cid]
        plain = attrs.evolve(used, collection_year=None)
        reported: list[Y] = []
        for r in rows:
            if r is used or attrs.evolve(r, collection_year=None) == plain or r in reported:
                continue
            reported.append(r)
            sink.issue(
                f"more than one {table} record for {label}; not used: the record "
                f"used is {_describe(used)}",
                r.child_id,
                r,
                "conflict",
            )
    return chosen, {cid: sorted(set(ys)) for cid, ys in others.items()}


def _describe(r: HealthOutcomeRecord | CareLeaverRecord) -> str:
    year = "no year" if r.collection_year is None else f"collection year {r.collection_year}"
    if isinstance(r, CareLeaverRecord):
        return f"IN_TOUCH {r.in_touch}, ACTIV {r.activity}, ACCOM {r.accommodation} ({year})"
    return f"HEALTH_CHECK {_flag(r.health_check)}, TEETH_CHECK {_flag(r.teeth_check)} ({year})"


def _flag(value: bool | None) -> str:
    return "not recorded" if value is None else str(int(value))
