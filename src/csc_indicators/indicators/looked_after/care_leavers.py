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

from collections.abc import Callable, Iterable
from typing import Literal

from ...codes import EET_ACTIVITIES, SUITABLE_ACCOMMODATION
from ...periods import Period
from ...records.looked_after import CareLeaverRecord
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso
from ._shared import add_years, one_per_child_in_year

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
    period: Period,
    ages: tuple[int, ...],
    denominator: Denominator,
    exclude_died: bool,
    what: str,
    test: Callable[[CareLeaverRecord], bool],
) -> IndicatorResult:
    if denominator not in _DENOMINATORS:
        raise ValueError(f"denominator must be one of {_DENOMINATORS}, got {denominator!r}")
    b = ResultBuilder(of)
    _, chosen, _ = one_per_child_in_year(  # rule 1
        care_leavers,
        period,
        b,
        "OC3",
        lambda r: (r.date_of_birth, r.in_touch, r.activity, r.accommodation),
    )
    for cid, r in chosen.items():
        if r.date_of_birth > period.end:  # rule 2
            b.issue(
                f"OC3 date of birth {iso(r.date_of_birth)} is after the period "
                f"({period}): the young person cannot be a care leaver in it",
                cid,
                r,
                "date order",
            )
            continue
        age = None
        for n in sorted(ages, reverse=True):  # rule 3
            # The n-th birthday: the date n years after birth (29 February -> 28 February).
            birthday = add_years(r.date_of_birth, n)
            if birthday in period:
                age = n
                break
        if age is None:
            continue  # no relevant birthday in the period: not in this cohort
        details = {
            "age": age,
            "birthday": iso(add_years(r.date_of_birth, age)),
            "collection_year": r.collection_year,
        }
        if exclude_died and r.in_touch == "DIED":  # rule 4
            b.exclude(cid, r, "the young person has died (IN_TOUCH DIED)", details=details)
            continue
        if denominator == "in_touch" and r.in_touch != "YES":
            b.exclude(cid, r, f"authority not in touch (IN_TOUCH {r.in_touch})", details=details)
            continue
        met = test(r)  # rule 5
        reason = None
        if not met:
            reason = (
                f"not {what} (IN_TOUCH {r.in_touch}, ACTIV {r.activity}, ACCOM {r.accommodation})"
            )
        b.count(cid, r, met, reason=reason, details=details)
    return b.build(
        period,
        {
            "ages": ages,
            "denominator": denominator,
            "exclude_died": exclude_died,
        },
    )


def _eet(r: CareLeaverRecord) -> bool:
    return r.activity in EET_ACTIVITIES


def _suitable(r: CareLeaverRecord) -> bool:
    return r.accommodation in SUITABLE_ACCOMMODATION


def _in_eet(
    of: Callable[..., IndicatorResult],
    care_leavers: Iterable[CareLeaverRecord],
    period: Period,
    *,
    ages: tuple[int, ...] = (19, 20, 21),
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> IndicatorResult:
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
        period,
        ages,
        denominator,
        exclude_died,
        "in education, employment or training",
        _eet,
    )


def _in_suitable_accommodation(
    of: Callable[..., IndicatorResult],
    care_leavers: Iterable[CareLeaverRecord],
    period: Period,
    *,
    ages: tuple[int, ...] = (19, 20, 21),
    denominator: Denominator = "all",
    exclude_died: bool = True,
) -> IndicatorResult:
    """Care leavers with a birthday of one of ``ages`` in the period whose accommodation was
    suitable (OC3 ``ACCOM`` ending in 1). Arguments as :func:`_in_eet`."""
    return _oc3(
        of,
        care_leavers,
        period,
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
    return _in_eet(
        care_leavers_19_21_eet,
        care_leavers,
        period,
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
    return _in_suitable_accommodation(
        care_leavers_19_21_suitable_accommodation,
        care_leavers,
        period,
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
    return _in_eet(
        care_leavers_17_18_eet,
        care_leavers,
        period,
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
    return _in_suitable_accommodation(
        care_leavers_17_18_suitable_accommodation,
        care_leavers,
        period,
        ages=(17, 18),
        denominator=denominator,
        exclude_died=exclude_died,
    )
