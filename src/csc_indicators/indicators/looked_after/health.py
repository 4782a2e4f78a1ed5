"""Health of looked-after children: initial health assessments in timescale (held locally),
and the annual health and dental checks of children looked after for 12 months (SSDA903 OC2).

Specifications: ``docs/indicators/initial_health_assessments_within_20_working_days.md``,
``docs/indicators/lac_annual_health_check.md`` and ``docs/indicators/lac_dental_check.md``.

Each indicator is evaluated over many periods at once (:func:`~csc_indicators.registry.
over_periods`): the histories are judged at each distinct period end (decision D15), and each
child's outcome is decided once for the periods of one end, or once for every end that gives
the same outcome. The plumbing behind them is in private modules (no indicator is registered
there): ``_ends`` (the histories at each period end), ``_oc_records`` (one OC2 record per child
and year), ``_initial_health`` and ``_oc2_checks`` (the outcomes); the names that lived here
are re-exported.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Literal, get_args

from dateutil.relativedelta import relativedelta

from ...calendar import DayCount, WorkingDayCalendar
from ...decisions import Decisions
from ...durations import Interval
from ...periods import Period
from ...records.looked_after import Episode, HealthAssessment, HealthOutcomeRecord
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import resolve_calendar
from ..children_in_need._shared import working_days_or_reason

# ``name as name``: the plumbing that lived here, re-exported.
from ._ends import AtEnd as AtEnd
from ._ends import Places as Places
from ._ends import Rows as Rows
from ._ends import same_episodes
from ._initial_health import Assess
from ._oc2_checks import oc2
from ._oc_records import Y as Y
from ._oc_records import by_collection_year as by_collection_year
from ._oc_records import collection_year_of as collection_year_of
from ._oc_records import in_year_order as in_year_order
from ._oc_records import one_per_child as one_per_child
from ._over import rows_at_ends

__all__ = [
    "DayKind",
    "initial_health_assessments_within_20_working_days",
    "lac_annual_health_check",
    "lac_dental_check",
]

DayKind = Literal["working", "calendar"]
"""How the initial health assessment's days are counted: working days (with a calendar and a
day-count convention) or calendar days."""
_UNITS: tuple[DayKind, ...] = get_args(DayKind)


@register(
    title="Initial health assessments within 20 working days of becoming looked after",
    short_title="Initial health assessment in 20 working days",
    family=Family.LOOKED_AFTER,
    unit="period of care starting in the period that lasted at least the limit",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "Local measure",
        "Care Planning, Placement and Case Review (England) Regulations 2010 and statutory "
        "guidance on promoting the health of looked-after children",
    ),
)
def initial_health_assessments_within_20_working_days(
    episodes: Iterable[Episode],
    health_assessments: Iterable[HealthAssessment],
    period: Period,
    *,
    calendar: WorkingDayCalendar | None = None,
    limit: int = 20,
    days: DayKind = "working",
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> IndicatorResult:
    """Children who started to be looked after in the period, stayed at least ``limit`` days,
    and had their initial health assessment within ``limit`` days of the start (decision D12).

    Rules (numbered as on the specification page):

    1. Unit: each period of care starting in the period whose first episode has RNE S and is
       not a short break (V3/V4); the others are excluded with a reason.
    2. Judged as known on ``period.end`` (decision D15): the time looked after is counted from
       the start to the end of the period of care or ``period.end``, whichever is earlier (a
       later end in the data is not used), and only assessments dated by ``period.end`` count.
       A period ending X1 with no episode following is not an end (decision D17).
    3. Fewer than ``limit`` days looked after: excluded with a reason.
    4. Measure: days from the start to the first assessment on or after it. Met when at most
       ``limit``. No assessment by ``period.end``: not met.
    5. A date the calendar does not cover: excluded with a reason and reported (``calendar``).
    6. ``days="calendar"`` counts calendar days instead of working days (the 28-calendar-day
       variant: ``days="calendar", limit=28``).

    Args:
        episodes: SSDA903 episodes, any order.
        health_assessments: the dates of initial health assessments (held locally).
        period: the reporting period.
        calendar: the working-day calendar (``None``: England and Wales).
        limit: the timescale (20 working days).
        days: ``"working"`` (default, with ``calendar`` and ``convention``) or ``"calendar"``.
        convention: the day-count convention of working days.

    References:
        - DfE and Department of Health, *Promoting the health and well-being of looked-after
          children*, statutory guidance (2015).
        - The Care Planning, Placement and Case Review (England) Regulations 2010,
          regulation 33 (the first review within 20 working days).
    """
    return _initial_health_assessments_over(
        episodes,
        health_assessments,
        [period],
        calendar=calendar,
        limit=limit,
        days=days,
        convention=convention,
    )[0]


@over_periods(initial_health_assessments_within_20_working_days)
def _initial_health_assessments_over(
    episodes: Iterable[Episode],
    health_assessments: Iterable[HealthAssessment],
    periods: Sequence[Period],
    *,
    calendar: WorkingDayCalendar | None = None,
    limit: int = 20,
    days: DayKind = "working",
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> list[IndicatorResult]:
    """:func:`initial_health_assessments_within_20_working_days` over many periods at once.

    Each period of care is decided for each period end after its start (what is known depends
    on the end, rule 2), held by the periods of that end holding its start; the ends giving the
    same outcome share one decision."""
    if days not in _UNITS:
        raise ValueError(f"days must be one of {_UNITS}, got {days!r}")
    cal = resolve_calendar(calendar)

    def count(start: _dt.date, end: _dt.date) -> tuple[int | None, str | None]:
        if days == "working":
            return working_days_or_reason(cal, start, end, convention)
        return (end - start).days, None  # rule 6

    d = Decisions(initial_health_assessments_within_20_working_days, periods)
    parameters = {"calendar": cal, "limit": limit, "days": days, "convention": convention}
    # Every child's histories as runs over several ends (one build for the series).
    at_ends, rows = rows_at_ends(episodes, d)
    if not at_ends:
        return d.results(parameters)
    found: dict[str, list[_dt.date]] = {}
    for a in health_assessments:
        found.setdefault(a.child_id, []).append(a.date)
    first = min(p.start for p in periods)
    unit = "working days" if days == "working" else "calendar days"
    assess = Assess(d, at_ends, limit, unit, count)
    all_ends = [at.end for at in at_ends]
    for cid, row in rows.items():
        dates: list[_dt.date] | None = None
        # The child's history when the same on every end (the common case).
        one = row[0] if len(row) == 1 else None
        for h, ats in [(row[0], at_ends)] if one is not None else same_episodes(row, at_ends):
            pocs = h.periods
            since = len(pocs)
            while since and pocs[since - 1].episodes[0].start_date >= first:
                since -= 1  # the periods of care starting in a period (rule 1)
            if since == len(pocs):
                continue
            if dates is None:
                dates = sorted(found.get(cid, ()))
            ends = all_ends if ats is at_ends else [at.end for at in ats]
            for k in range(since, len(pocs)):
                assess.start(cid, k, pocs[k], dates, ats, ends, one)
    return d.results(parameters)


@register(
    title="Children looked after for 12 months whose annual health assessment was up to date",
    short_title="Annual health check up to date",
    family=Family.LOOKED_AFTER,
    unit="child looked after continuously for 12 months on the period end (OC2 cohort)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 OC2 HEALTH_CHECK",
        "DfE outcomes for children looked after",
    ),
)
def lac_annual_health_check(
    episodes: Iterable[Episode],
    health_outcomes: Iterable[HealthOutcomeRecord],
    period: Period,
    *,
    within: Interval = relativedelta(months=12),  # noqa: B008
) -> IndicatorResult:
    """OC2-cohort children whose annual health assessment was up to date (``HEALTH_CHECK``).

    Rules (numbered as on the specification page):

    1. Unit: each child looked after on ``period.end`` whose period of care started on or
       before the day after ``period.end`` minus ``within`` (1 April for a 31 March end);
       others are excluded with a reason.
    2. A child with a short-break episode (V3/V4) in that time is excluded with a reason.
    3. The OC2 record of the collection year holding ``period.end`` is used (decision D14
       for two different rows of one year); rows of other years are not outcomes.
    4. Met when HEALTH_CHECK is 1; no OC2 record, or HEALTH_CHECK not recorded: not met.

    Args:
        episodes: SSDA903 episodes, any order.
        health_outcomes: SSDA903 OC2 records, any order.
        period: the reporting period; the snapshot is ``period.end``.
        within: how long the child must have been looked after (12 calendar months).

    References:
        - DfE, *Children looked after in England including adoptions*, outcomes tables.
        - DfE, *SSDA903 children looked after return guide*: OC2 item HEALTH_CHECK.
        - DfE, CLA validation rules: "looked after continuously for 12 months".
    """
    return _lac_annual_health_check_over(episodes, health_outcomes, [period], within=within)[0]


@over_periods(lac_annual_health_check)
def _lac_annual_health_check_over(
    episodes: Iterable[Episode],
    health_outcomes: Iterable[HealthOutcomeRecord],
    periods: Sequence[Period],
    *,
    within: Interval = relativedelta(months=12),  # noqa: B008
) -> list[IndicatorResult]:
    """:func:`lac_annual_health_check` over many periods at once."""
    return oc2(
        lac_annual_health_check,
        "health_check",
        "HEALTH_CHECK",
        episodes,
        health_outcomes,
        periods,
        within,
    )


@register(
    title="Children looked after for 12 months whose teeth were checked by a dentist",
    short_title="Dental check up to date",
    family=Family.LOOKED_AFTER,
    unit="child looked after continuously for 12 months on the period end (OC2 cohort)",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=(
        "SSDA903 OC2 TEETH_CHECK",
        "DfE outcomes for children looked after",
    ),
)
def lac_dental_check(
    episodes: Iterable[Episode],
    health_outcomes: Iterable[HealthOutcomeRecord],
    period: Period,
    *,
    within: Interval = relativedelta(months=12),  # noqa: B008
) -> IndicatorResult:
    """OC2-cohort children whose dental check was up to date (``TEETH_CHECK``).

    Rules (numbered as on the specification page): those of
    :func:`lac_annual_health_check`, with the item TEETH_CHECK.

    1. Unit: each child looked after on ``period.end`` for ``within``, as for the annual
       health check.
    2. A short-break episode in that time excludes the child.
    3. The OC2 record of the collection year holding ``period.end`` is used.
    4. Met when TEETH_CHECK is 1; no OC2 record, or TEETH_CHECK not recorded: not met.

    Args:
        episodes, health_outcomes, period, within: as for :func:`lac_annual_health_check`.

    References:
        - DfE, *Children looked after in England including adoptions*, outcomes tables ("had
          their teeth checked by a dentist").
        - DfE, *SSDA903 children looked after return guide*: OC2 item TEETH_CHECK.
    """
    return _lac_dental_check_over(episodes, health_outcomes, [period], within=within)[0]


@over_periods(lac_dental_check)
def _lac_dental_check_over(
    episodes: Iterable[Episode],
    health_outcomes: Iterable[HealthOutcomeRecord],
    periods: Sequence[Period],
    *,
    within: Interval = relativedelta(months=12),  # noqa: B008
) -> list[IndicatorResult]:
    """:func:`lac_dental_check` over many periods at once."""
    return oc2(
        lac_dental_check, "teeth_check", "TEETH_CHECK", episodes, health_outcomes, periods, within
    )
