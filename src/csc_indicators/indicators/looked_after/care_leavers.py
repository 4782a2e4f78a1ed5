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

The outcomes are made in the private ``_oc3_outcomes`` module (no indicator is registered
there).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...periods import Period
from ...records.looked_after import CareLeaverRecord
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from ._oc3_outcomes import Denominator, in_eet, in_suitable_accommodation

__all__ = [
    "care_leavers_17_18_eet",
    "care_leavers_17_18_suitable_accommodation",
    "care_leavers_19_21_eet",
    "care_leavers_19_21_suitable_accommodation",
]


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
    return in_eet(
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
    return in_suitable_accommodation(
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
    return in_eet(
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
    return in_suitable_accommodation(
        care_leavers_17_18_suitable_accommodation,
        care_leavers,
        periods,
        ages=(17, 18),
        denominator=denominator,
        exclude_died=exclude_died,
    )
