"""The outcomes of the care leaver indicators in ``care_leavers`` (SSDA903 OC3), over many
periods at once: :func:`in_eet` and :func:`in_suitable_accommodation` (the rules numbered in
comments are those of the ``care_leavers`` module docstring, as on the specification pages,
``docs/indicators/care_leavers_19_21_eet.md`` and the three others).

No indicator is registered here, so importing this module leaves the registry's order alone.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from ...codes import EET_ACTIVITIES, SUITABLE_ACCOMMODATION
from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.looked_after import CareLeaverRecord
from ...results import IndicatorResult
from .._common import iso
from ._oc_records import by_collection_year, in_year_order, one_per_child
from ._shared import add_years

__all__ = ["Denominator", "in_eet", "in_suitable_accommodation"]


Denominator = Literal["all", "in_touch"]
"""Who is in the denominator: everyone in the cohort, or only those the authority is in touch
with (IN_TOUCH YES)."""
_DENOMINATORS: tuple[Denominator, ...] = ("all", "in_touch")


def _oc3(
    of: Callable[..., IndicatorResult],
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    ages: tuple[int, ...],
    denominator: Denominator,
    exclude_died: bool,
    what: str,
    test: Callable[[CareLeaverRecord], bool],
) -> list[IndicatorResult]:
    """The rules of ``care_leavers`` over many periods at once. The periods are taken by
    collection year (rule 1); in each, a young person's outcome is decided once and placed by
    the birthday that puts them in the cohort (rule 3), so every period holding that birthday
    holds it. A young person who has two of the birthdays in one period (a period longer than
    a year) is decided period by period, and so is a date of birth after a period (rule 2)."""
    if denominator not in _DENOMINATORS:
        raise ValueError(f"denominator must be one of {_DENOMINATORS}, got {denominator!r}")
    parameters = {"ages": ages, "denominator": denominator, "exclude_died": exclude_died}
    ordered = in_year_order(
        care_leavers, lambda r: (r.date_of_birth, r.in_touch, r.activity, r.accommodation)
    )
    out: list[IndicatorResult | None] = [None] * len(periods)
    for year, positions in by_collection_year(periods).items():
        d = Decisions(of, [periods[n] for n in positions])
        chosen, _ = one_per_child(ordered, year, d, "OC3")  # rule 1
        outcome = _Outcome(exclude_died, denominator, what, test)
        _decide_oc3(d, chosen, ages, outcome)
        for n, result in zip(positions, d.results(parameters), strict=True):
            out[n] = result
    return [r for r in out if r is not None]


class _Outcome:
    """Rules 4 and 5: the outcome of a young person in the cohort, made in a sink."""

    __slots__ = ("denominator", "exclude_died", "test", "what")

    def __init__(
        self,
        exclude_died: bool,
        denominator: Denominator,
        what: str,
        test: Callable[[CareLeaverRecord], bool],
    ) -> None:
        self.exclude_died = exclude_died
        self.denominator = denominator
        self.what = what
        self.test = test

    def make(self, sink: Sink, cid: str, r: CareLeaverRecord, age: int) -> None:
        details = (
            {
                "age": age,
                "birthday": iso(add_years(r.date_of_birth, age)),
                "collection_year": r.collection_year,
            }
            if sink.keep
            else None
        )
        if self.exclude_died and r.in_touch == "DIED":  # rule 4
            sink.exclude(cid, r, "the young person has died (IN_TOUCH DIED)", details=details)
            return
        if self.denominator == "in_touch" and r.in_touch != "YES":
            sink.exclude(cid, r, f"authority not in touch (IN_TOUCH {r.in_touch})", details=details)
            return
        met = self.test(r)  # rule 5
        reason = None
        if not met and sink.keep:
            reason = (
                f"not {self.what} (IN_TOUCH {r.in_touch}, ACTIV {r.activity}, "
                f"ACCOM {r.accommodation})"
            )
        sink.count(cid, r, met, reason=reason, details=details)


def _decide_oc3(
    d: Decisions, chosen: dict[str, CareLeaverRecord], ages: tuple[int, ...], outcome: _Outcome
) -> None:
    """Rules 2 and 3 for the young people of one collection year."""
    periods = d.periods
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    earliest_end = min(p.end for p in periods)
    ascending = sorted(set(ages))
    # The periods long enough to hold two birthdays (a year apart: 365 days or more), by
    # start, with the latest end among those starting on or before each.
    longer = sorted((p.start, p.end) for p in periods if (p.end - p.start).days >= 365)
    long_starts = [s for s, _ in longer]
    reach: list[_dt.date] = []
    for _, e in longer:
        reach.append(max(reach[-1], e) if reach else e)
    by_day = bool(ascending) and ascending[0] >= 0
    for cid, r in chosen.items():
        dob = r.date_of_birth
        if dob > earliest_end:  # rule 2
            for n, p in enumerate(periods):
                if dob > p.end:
                    d.issue(
                        f"OC3 date of birth {iso(dob)} is after the period "
                        f"({p}): the young person cannot be a care leaver in it",
                        cid,
                        r,
                        "date order",
                        periods=(n,),
                    )
            if dob > last:
                continue
        birthdays = [add_years(dob, n) for n in ascending]  # rule 3
        if by_day and not any(
            (i := bisect.bisect_right(long_starts, a)) and reach[i - 1] >= b
            for a, b in itertools.pairwise(birthdays)
        ):
            # No period holds two of the birthdays: each is decided once, placed by its day.
            for age, birthday in zip(ascending, birthdays, strict=True):
                if first <= birthday <= last:
                    outcome.make(d.at(birthday), cid, r, age)
            continue
        for n, p in enumerate(periods):  # the single-period rules
            if dob > p.end:
                continue
            found = next(
                (a for a, b in zip(ascending[::-1], birthdays[::-1], strict=True) if b in p),
                None,
            )
            if found is not None:
                outcome.make(d.for_period(n), cid, r, found)


def _eet(r: CareLeaverRecord) -> bool:
    return r.activity in EET_ACTIVITIES


def _suitable(r: CareLeaverRecord) -> bool:
    return r.accommodation in SUITABLE_ACCOMMODATION


def in_eet(
    of: Callable[..., IndicatorResult],
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    *,
    ages: tuple[int, ...] = (19, 20, 21),
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> list[IndicatorResult]:
    """Care leavers with a birthday of one of ``ages`` in the period who were in education,
    employment or training (OC3 ``ACTIV`` in :data:`~csc_indicators.codes.EET_ACTIVITIES`).

    Args:
        ages: the birthdays that put a young person in the cohort.
        denominator: ``"all"`` (default: everyone in the cohort, whether or not the authority
            is in touch) or ``"in_touch"`` (only IN_TOUCH YES).
        exclude_died: leave out young people who have died (IN_TOUCH DIED).
    """
    return _oc3(
        of,
        care_leavers,
        periods,
        ages,
        denominator,
        exclude_died,
        "in education, employment or training",
        _eet,
    )


def in_suitable_accommodation(
    of: Callable[..., IndicatorResult],
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    *,
    ages: tuple[int, ...] = (19, 20, 21),
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> list[IndicatorResult]:
    """Care leavers with a birthday of one of ``ages`` in the period whose accommodation was
    suitable (OC3 ``ACCOM`` ending in 1). Arguments as :func:`in_eet`."""
    return _oc3(
        of,
        care_leavers,
        periods,
        ages,
        denominator,
        exclude_died,
        "in suitable accommodation",
        _suitable,
    )
