"""The generator: checks its arguments, then streams the children (:func:`iter_children`) or
collects them into one bundle (:func:`generate`)."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Iterator
from typing import Any

from .._collector import collector_paused
from .._record_table import as_table
from ..bundle import RECORD_FIELDS, Bundle, SourceInfo
from ..calendar import WorkingDayCalendar, default_calendar
from ._children_in_need import _cin_children
from ._days import _days_for, _Window
from ._looked_after import _lac_children
from ._records import ChildRecords, _Make


def _check_arguments(
    scale: float, first_year: int, years: int, calendar: WorkingDayCalendar
) -> None:
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ValueError(f"years must be a whole number of at least 1, got {years!r}")
    if isinstance(first_year, bool) or not isinstance(first_year, int):
        raise ValueError(f"first_year must be a whole number, got {first_year!r}")
    earliest = calendar.first_date.year + 3
    if first_year < earliest:
        raise ValueError(
            f"first_year {first_year} is too early: the history before it needs working days "
            f"from {calendar.first_date.year} onwards (first_year must be {earliest} or later)"
        )
    if _dt.date(first_year + years, 3, 31) > calendar.last_date:
        raise ValueError(
            f"the years {first_year}-{first_year + years - 1} end after the calendar's last "
            f"date {calendar.last_date.isoformat()}"
        )


def iter_children(
    scale: float = 1.0,
    *,
    first_year: int = 2020,
    years: int = 5,
    seed: int = 0,
    calendar: WorkingDayCalendar | None = None,
    check: bool = False,
) -> Iterator[ChildRecords]:
    """Yield the synthetic records one child at a time (children in need first, then
    looked-after children and care leavers), in a fixed order.

    Takes the arguments of :func:`generate`; collecting every child's records gives exactly
    ``generate(...)``'s bundle. Memory stays bounded by one child's records, so the output can
    be written to files at any scale.
    """
    cal = default_calendar() if calendar is None else calendar
    _check_arguments(scale, first_year, years, cal)
    days = _days_for(cal)
    window = _Window(first_year, years)
    make = _Make(check, seed)
    yield from _cin_children(random.Random(f"csc-synthetic/{seed}/cin"), scale, days, window, make)
    yield from _lac_children(random.Random(f"csc-synthetic/{seed}/lac"), scale, days, window, make)


def generate(
    scale: float = 1.0,
    *,
    first_year: int = 2020,
    years: int = 5,
    seed: int = 0,
    calendar: WorkingDayCalendar | None = None,
    check: bool = False,
) -> Bundle:
    """Generate a synthetic authority's records as a :class:`~csc_indicators.bundle.Bundle`.

    Args:
        scale: the size: 1.0 is a large authority (about 10,000 referrals and 1,230
            children looked after on 31 March a year), :data:`ENGLAND` (65) about England,
            :data:`SMALL_AUTHORITY` (0.03) a small authority. Volumes are proportional.
        first_year: the first financial year of the data (2020 = 2020-21).
        years: how many financial years; the data ends on 31 March of the last. Children in
            need also have the year before ``first_year`` (so re-referrals can be looked back
            on), and children looked after during the years have their whole care history.
        seed: the random seed; the same arguments always give the same bundle.
        calendar: the working-day calendar for timings (default England and Wales).
        check: build every record through its checking constructor (slower; the default
            builds them directly, as the generator only produces valid values).

    Raises:
        ValueError: a scale that is not positive, fewer than one year, or years outside the
            calendar's range.
    """
    buckets: dict[str, list[Any]] = {name: [] for name in RECORD_FIELDS}
    cin_fields = ("referrals", "assessments", "section47s", "transfer_ins", "plans", "cin_children")
    lac_fields = tuple(n for n in RECORD_FIELDS if n not in cin_fields)
    cin_lists = [(n, buckets[n]) for n in cin_fields]
    lac_lists = [(n, buckets[n]) for n in lac_fields]
    # The records hold no reference cycles; pausing the cyclic garbage collector while
    # millions of them are made saves about a quarter of the time at England scale.
    with collector_paused():
        for group in iter_children(
            scale, first_year=first_year, years=years, seed=seed, calendar=calendar, check=check
        ):
            lists = cin_lists if group.referrals else lac_lists
            for name, bucket in lists:
                records = getattr(group, name)
                if records:
                    bucket.extend(records)
    fields: dict[str, Any] = {name: as_table(records) for name, records in buckets.items()}
    fields["sources"] = (
        SourceInfo(kind="synthetic", path=None, collection_year=first_year + years - 1),
    )
    return Bundle(**fields)
