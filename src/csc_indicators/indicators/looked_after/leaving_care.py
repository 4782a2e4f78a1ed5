"""Children leaving care aged 16 or over who remained looked after until their 18th birthday:
of the children who ceased to be looked after in the period (the cohort of :func:`lac_ceased`)
aged 16 or over on the day they ceased, those who ceased on or after their 18th birthday (DfE
publishes the children ceasing by age on ceasing: 16, 17, 18 and over).

Specification: ``docs/indicators/lac_ceased_16_plus_remained_until_18.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from ...periods import Period
from ...records.looked_after import Child, Episode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso
from ._shared import add_years, age_on
from .ceased_shares import ceased_cohort

__all__ = ["dates_of_birth", "lac_ceased_16_plus_remained_until_18"]


def dates_of_birth(children: Iterable[Child], b: ResultBuilder) -> dict[str, _dt.date]:
    """Each child's date of birth; a child recorded with two different dates is reported
    (``duplicate``) and the earlier date is used, whatever the order of the records."""
    dob: dict[str, _dt.date] = {}
    for c in sorted(children, key=lambda c: (c.child_id, c.date_of_birth)):
        if c.child_id not in dob:
            dob[c.child_id] = c.date_of_birth
        elif dob[c.child_id] != c.date_of_birth:
            b.issue(
                f"two dates of birth ({iso(dob[c.child_id])}, {iso(c.date_of_birth)}); "
                "the earlier is used",
                c.child_id,
                c,
                "duplicate",
            )
    return dob


@register(
    title="Children ceasing to be looked after aged 16 or over who remained looked after until "
    "their 18th birthday",
    short_title="Left care aged 16+: looked after until 18",
    family=Family.LOOKED_AFTER,
    unit="child ceasing to be looked after in the period (last occasion) aged 16 or over",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 episodes (DEC, REC) and header (DOB)",
        "DfE children looked after in England: children who ceased to be looked after, by age "
        "on ceasing",
    ),
    ees="CLA ceasing by characteristics",
)
def lac_ceased_16_plus_remained_until_18(
    episodes: Iterable[Episode],
    children: Iterable[Child],
    period: Period,
    *,
    exclude_short_breaks: bool = True,
    min_age: int = 16,
    until_age: int = 18,
) -> IndicatorResult:
    """The percentage of the children ceasing to be looked after in the period aged
    ``min_age`` (16) or over who ceased on or after their ``until_age`` (18th) birthday.

    Rules (numbered as on the specification page):

    1. The cohort is that of :func:`lac_ceased` with the same ``exclude_short_breaks``: each
       child whose period of care ended in the period, on the last occasion (X1 never a
       cessation, decision D17); its exclusions are kept with their reasons.
    2. A child without a date of birth is excluded with a reason. Two different dates of birth
       are reported and the earlier is used.
    3. The age on ceasing is the age in whole years on the day the period of care ended (a
       29 February birthday falls on 28 February in other years). A child younger than
       ``min_age`` on that day is excluded with a reason.
    4. Met when the child ceased on or after their ``until_age`` birthday (age on ceasing at
       least ``until_age``).

    Args:
        episodes: SSDA903 episodes, any order.
        children: the children's header records (for the date of birth).
        period: the reporting period.
        exclude_short_breaks: leave out children whose last episode was a short break (V3/V4).
        min_age: the youngest age on ceasing in the denominator (16).
        until_age: the birthday the child remained looked after until (18).
    """
    b = ResultBuilder(lac_ceased_16_plus_remained_until_18)
    cohort = ceased_cohort(b, episodes, period, exclude_short_breaks=exclude_short_breaks)
    dob = dates_of_birth(children, b)
    for o in cohort:
        if not o.counted:  # rule 1
            assert o.reason is not None
            b.exclude(o.child_id, o.record, o.reason, details=o.details)
            continue
        born = dob.get(o.child_id)
        if born is None:  # rule 2
            b.exclude(o.child_id, o.record, "no date of birth (no Child record)", None, o.details)
            continue
        assert isinstance(o.record, Episode) and o.record.end_date is not None
        ceased = o.record.end_date
        age = age_on(born, ceased)  # rule 3
        details = {
            **o.details,
            "date_of_birth": iso(born),
            "age_on_ceasing": age,
            f"birthday_{until_age}": iso(add_years(born, until_age)),
        }
        if age < min_age:
            b.exclude(
                o.child_id,
                o.record,
                f"aged {age} on ceasing ({iso(ceased)}), under {min_age}",
                age,
                details,
            )
            continue
        met = age >= until_age  # rule 4
        b.count(
            o.child_id,
            o.record,
            met,
            age,
            f"ceased {iso(ceased)} aged {age} ({'on or after' if met else 'before'} turning "
            f"{until_age})",
            details,
        )
    return b.build(
        period,
        {"exclude_short_breaks": exclude_short_breaks, "min_age": min_age, "until_age": until_age},
    )
