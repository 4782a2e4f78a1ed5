"""Care leavers in education, employment or training and in suitable accommodation, from the
SSDA903 OC3 table (information around the young person's 17th to 21st birthdays).

The four indicators share their rules (numbered as on the specification pages,
``docs/indicators/care_leavers_19_21_eet.md`` and the three others):

1. One record per young person: the OC3 row of the collection year holding ``period.end``
   (rows of other years are not outcomes; two different rows of one year are a conflict,
   decision D14, and the row with more recorded detail is used).
2. A date of birth after ``period.end`` is reported (``date order``) and is not an outcome.
3. Unit: each young person whose birthday of one of the ages (the date of birth plus that
   many calendar years, 29 February falling on 28 February) is in the period.
4. Excluded with a reason: a young person who has died (IN_TOUCH DIED, with
   ``exclude_died``), and with ``denominator="in_touch"`` one the authority is not in touch
   with.
5. Met when ACTIV is an education, employment or training code
   (:data:`~csc_indicators.codes.EET_ACTIVITIES`), or for accommodation when ACCOM is
   suitable (a code ending in 1, :data:`~csc_indicators.codes.SUITABLE_ACCOMMODATION`).
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
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso
from ._oc_records import by_collection_year, in_year_order, one_per_child
from ._shared import add_years

__all__ = [
    "care_leavers_17_18_eet",
    "care_leavers_17_18_suitable_accommodation",
    "care_leavers_19_21_eet",
    "care_leavers_19_21_suitable_accommodation",
]

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
    """The rules of the module over many periods at once. The periods are taken by collection
    year (rule 1); in each, a young person's outcome is decided once and placed by the
    birthday that puts them in the cohort (rule 3), so every period holding that birthday
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


def _in_eet(
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


def _in_suitable_accommodation(
    of: Callable[..., IndicatorResult],
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    *,
    ages: tuple[int, ...] = (19, 20, 21),
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> list[IndicatorResult]:
    """Care leavers with a birthday of one of ``ages`` in the period whose accommodation was
    suitable (OC3 ``ACCOM`` ending in 1). Arguments as :func:`_in_eet`."""
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


@register(
    title="Care leavers aged 19-21 in education, employment or training",
    short_title="Care leavers 19-21 in EET",
    family=Family.LOOKED_AFTER,
    unit="care leaver whose 19th, 20th or 21st birthday is in the period (OC3)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 OC3 ACTIV",
        "DfE children looked after in England, care leavers",
    ),
    ees="care leavers activity",
)
def care_leavers_19_21_eet(
    care_leavers: Iterable[CareLeaverRecord],
    period: Period,
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> IndicatorResult:
    """Care leavers aged 19-21 in education, employment or training.

    Rules (numbered as on the specification page):

    1. One record per young person: the OC3 row of the collection year holding
       ``period.end`` (decision D14 for two different rows of one year).
    2. A date of birth after ``period.end`` is reported (``date order``), not an outcome.
    3. Unit: each young person whose 19th, 20th or 21st birthday is in the period.
    4. Excluded with a reason: died (IN_TOUCH DIED, with ``exclude_died``); with
       ``denominator="in_touch"``, not in touch.
    5. Met when ACTIV is an education, employment or training code
       (:data:`~csc_indicators.codes.EET_ACTIVITIES`).

    Args:
        care_leavers: SSDA903 OC3 records, any order.
        period: the reporting period.
        denominator: ``"all"`` (default: everyone in the cohort, whether or not the authority
            is in touch) or ``"in_touch"`` (only IN_TOUCH YES).
        exclude_died: leave out young people who have died (IN_TOUCH DIED).

    References:
        - DfE, *Children looked after in England including adoptions*, care leavers tables.
        - DfE, *SSDA903 children looked after return guide*: OC3 items IN_TOUCH, ACTIV and
          ACCOM.
    """
    return _care_leavers_19_21_eet_over(
        care_leavers, [period], denominator=denominator, exclude_died=exclude_died
    )[0]


@over_periods(care_leavers_19_21_eet)
def _care_leavers_19_21_eet_over(
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> list[IndicatorResult]:
    """:func:`care_leavers_19_21_eet` over many periods at once."""
    return _in_eet(
        care_leavers_19_21_eet,
        care_leavers,
        periods,
        ages=(19, 20, 21),
        denominator=denominator,
        exclude_died=exclude_died,
    )


@register(
    title="Care leavers aged 19-21 in suitable accommodation",
    short_title="Care leavers 19-21 suitably accommodated",
    family=Family.LOOKED_AFTER,
    unit="care leaver whose 19th, 20th or 21st birthday is in the period (OC3)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 OC3 ACCOM",
        "DfE children looked after in England, care leavers",
    ),
)
def care_leavers_19_21_suitable_accommodation(
    care_leavers: Iterable[CareLeaverRecord],
    period: Period,
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> IndicatorResult:
    """Care leavers aged 19-21 in suitable accommodation.

    Rules (numbered as on the specification page):

    1. One record per young person: the OC3 row of the collection year holding
       ``period.end`` (decision D14 for two different rows of one year).
    2. A date of birth after ``period.end`` is reported (``date order``), not an outcome.
    3. Unit: each young person whose 19th, 20th or 21st birthday is in the period.
    4. Excluded with a reason: died (IN_TOUCH DIED, with ``exclude_died``); with
       ``denominator="in_touch"``, not in touch.
    5. Met when ACCOM is suitable (a code ending in 1,
       :data:`~csc_indicators.codes.SUITABLE_ACCOMMODATION`).

    Args:
        care_leavers: SSDA903 OC3 records, any order.
        period: the reporting period.
        denominator: ``"all"`` (default: everyone in the cohort, whether or not the authority
            is in touch) or ``"in_touch"`` (only IN_TOUCH YES).
        exclude_died: leave out young people who have died (IN_TOUCH DIED).

    References:
        - DfE, *Children looked after in England including adoptions*, care leavers tables.
        - DfE, *SSDA903 children looked after return guide*: OC3 items IN_TOUCH, ACTIV and
          ACCOM.
    """
    return _care_leavers_19_21_suitable_accommodation_over(
        care_leavers, [period], denominator=denominator, exclude_died=exclude_died
    )[0]


@over_periods(care_leavers_19_21_suitable_accommodation)
def _care_leavers_19_21_suitable_accommodation_over(
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> list[IndicatorResult]:
    """:func:`care_leavers_19_21_suitable_accommodation` over many periods at once."""
    return _in_suitable_accommodation(
        care_leavers_19_21_suitable_accommodation,
        care_leavers,
        periods,
        ages=(19, 20, 21),
        denominator=denominator,
        exclude_died=exclude_died,
    )


@register(
    title="Care leavers aged 17-18 in education, employment or training",
    short_title="Care leavers 17-18 in EET",
    family=Family.LOOKED_AFTER,
    unit="care leaver whose 17th or 18th birthday is in the period (OC3)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 OC3 ACTIV",
        "DfE children looked after in England, care leavers",
    ),
    ees="care leavers activity",
)
def care_leavers_17_18_eet(
    care_leavers: Iterable[CareLeaverRecord],
    period: Period,
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> IndicatorResult:
    """Care leavers aged 17-18 in education, employment or training.

    Rules (numbered as on the specification page):

    1. One record per young person: the OC3 row of the collection year holding
       ``period.end`` (decision D14 for two different rows of one year).
    2. A date of birth after ``period.end`` is reported (``date order``), not an outcome.
    3. Unit: each young person whose 17th or 18th birthday is in the period.
    4. Excluded with a reason: died (IN_TOUCH DIED, with ``exclude_died``); with
       ``denominator="in_touch"``, not in touch.
    5. Met when ACTIV is an education, employment or training code
       (:data:`~csc_indicators.codes.EET_ACTIVITIES`).

    Args:
        care_leavers: SSDA903 OC3 records, any order.
        period: the reporting period.
        denominator: ``"all"`` (default: everyone in the cohort, whether or not the authority
            is in touch) or ``"in_touch"`` (only IN_TOUCH YES).
        exclude_died: leave out young people who have died (IN_TOUCH DIED).

    References:
        - DfE, *Children looked after in England including adoptions*, care leavers tables.
        - DfE, *SSDA903 children looked after return guide*: OC3 items IN_TOUCH, ACTIV and
          ACCOM.
    """
    return _care_leavers_17_18_eet_over(
        care_leavers, [period], denominator=denominator, exclude_died=exclude_died
    )[0]


@over_periods(care_leavers_17_18_eet)
def _care_leavers_17_18_eet_over(
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> list[IndicatorResult]:
    """:func:`care_leavers_17_18_eet` over many periods at once."""
    return _in_eet(
        care_leavers_17_18_eet,
        care_leavers,
        periods,
        ages=(17, 18),
        denominator=denominator,
        exclude_died=exclude_died,
    )


@register(
    title="Care leavers aged 17-18 in suitable accommodation",
    short_title="Care leavers 17-18 suitably accommodated",
    family=Family.LOOKED_AFTER,
    unit="care leaver whose 17th or 18th birthday is in the period (OC3)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 OC3 ACCOM",
        "DfE children looked after in England, care leavers",
    ),
)
def care_leavers_17_18_suitable_accommodation(
    care_leavers: Iterable[CareLeaverRecord],
    period: Period,
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> IndicatorResult:
    """Care leavers aged 17-18 in suitable accommodation.

    Rules (numbered as on the specification page):

    1. One record per young person: the OC3 row of the collection year holding
       ``period.end`` (decision D14 for two different rows of one year).
    2. A date of birth after ``period.end`` is reported (``date order``), not an outcome.
    3. Unit: each young person whose 17th or 18th birthday is in the period.
    4. Excluded with a reason: died (IN_TOUCH DIED, with ``exclude_died``); with
       ``denominator="in_touch"``, not in touch.
    5. Met when ACCOM is suitable (a code ending in 1,
       :data:`~csc_indicators.codes.SUITABLE_ACCOMMODATION`).

    Args:
        care_leavers: SSDA903 OC3 records, any order.
        period: the reporting period.
        denominator: ``"all"`` (default: everyone in the cohort, whether or not the authority
            is in touch) or ``"in_touch"`` (only IN_TOUCH YES).
        exclude_died: leave out young people who have died (IN_TOUCH DIED).

    References:
        - DfE, *Children looked after in England including adoptions*, care leavers tables.
        - DfE, *SSDA903 children looked after return guide*: OC3 items IN_TOUCH, ACTIV and
          ACCOM.
    """
    return _care_leavers_17_18_suitable_accommodation_over(
        care_leavers, [period], denominator=denominator, exclude_died=exclude_died
    )[0]


@over_periods(care_leavers_17_18_suitable_accommodation)
def _care_leavers_17_18_suitable_accommodation_over(
    care_leavers: Iterable[CareLeaverRecord],
    periods: Sequence[Period],
    *,
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> list[IndicatorResult]:
    """:func:`care_leavers_17_18_suitable_accommodation` over many periods at once."""
    return _in_suitable_accommodation(
        care_leavers_17_18_suitable_accommodation,
        care_leavers,
        periods,
        ages=(17, 18),
        denominator=denominator,
        exclude_died=exclude_died,
    )
