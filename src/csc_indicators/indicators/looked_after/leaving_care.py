"""Children leaving care aged 16 or over who remained looked after until their 18th birthday:
of the children who ceased to be looked after in the period (the cohort of :func:`lac_ceased`)
aged 16 or over on the day they ceased, those who ceased on or after their 18th birthday (DfE
publishes the children ceasing by age on ceasing: 16, 17, 18 and over).

Specification: ``docs/indicators/lac_ceased_16_plus_remained_until_18.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence

from ...decisions import Decisions, Sink
from ...periods import Period
from ...records.looked_after import Child, Episode
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso, one_each_in_order
from ._over import SUMMARY, HistoriesOver
from ._shared import add_years, age_on
from .ceased import LAST, ceased_details, endings, why_not_ceased

__all__ = ["dates_of_birth", "lac_ceased_16_plus_remained_until_18"]


def dates_of_birth(children: Iterable[Child], b: Sink) -> dict[str, _dt.date]:
    """Each child's date of birth; a child recorded with two different dates is reported
    (``duplicate``) and the earlier date is used, whatever the order of the records."""
    children = children if isinstance(children, (list, tuple)) else list(children)
    one = one_each_in_order(children)  # one record per child: nothing to report
    if one is not None:
        return {cid: c.date_of_birth for cid, c in one.items()}
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
    return _lac_ceased_16_plus_remained_until_18_over(
        episodes,
        children,
        [period],
        exclude_short_breaks=exclude_short_breaks,
        min_age=min_age,
        until_age=until_age,
    )[0]


@over_periods(lac_ceased_16_plus_remained_until_18)
def _lac_ceased_16_plus_remained_until_18_over(
    episodes: Iterable[Episode],
    children: Iterable[Child],
    periods: Sequence[Period],
    *,
    exclude_short_breaks: bool = True,
    min_age: int = 16,
    until_age: int = 18,
) -> list[IndicatorResult]:
    """:func:`lac_ceased_16_plus_remained_until_18` over many periods at once: each ending
    decided once, placed by its date, as the cohort of :func:`lac_ceased` places it."""
    d = Decisions(lac_ceased_16_plus_remained_until_18, periods)
    over = HistoriesOver(d, episodes, periods)
    dob = dates_of_birth(children, d)
    keep = d.keep
    for cid, poc, what, day, ns in endings(over, episodes, exclude_short_breaks):
        last = poc.episodes[-1]
        details = ceased_details(poc) if keep else None
        if what != LAST:  # rule 1
            why = why_not_ceased(what, poc) if keep else SUMMARY
            d.exclude(cid, last, why, details=details, day=day, periods=ns)
            continue
        born = dob.get(cid)
        if born is None:  # rule 2
            d.exclude(
                cid, last, "no date of birth (no Child record)", None, details, day=day, periods=ns
            )
            continue
        ceased = poc.end
        assert ceased is not None
        age = age_on(born, ceased)  # rule 3
        if keep:
            details = {
                **ceased_details(poc),
                "date_of_birth": iso(born),
                "age_on_ceasing": age,
                f"birthday_{until_age}": iso(add_years(born, until_age)),
            }
        if age < min_age:
            why = _under(age, ceased, min_age) if keep else SUMMARY
            d.exclude(cid, last, why, age, details, day=day, periods=ns)
            continue
        met = age >= until_age  # rule 4
        told = _ceased_aged(age, ceased, met, until_age) if keep else None
        d.count(cid, last, met, age, told, details, day=day, periods=ns)
    return d.results(
        {"exclude_short_breaks": exclude_short_breaks, "min_age": min_age, "until_age": until_age}
    )


def _under(age: int, ceased: _dt.date, min_age: int) -> str:
    return f"aged {age} on ceasing ({iso(ceased)}), under {min_age}"


def _ceased_aged(age: int, ceased: _dt.date, met: bool, until_age: int) -> str:
    return (
        f"ceased {iso(ceased)} aged {age} ({'on or after' if met else 'before'} turning "
        f"{until_age})"
    )
