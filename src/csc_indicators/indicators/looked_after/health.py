"""Health of looked-after children: initial health assessments in timescale (held locally),
and the annual health and dental checks of children looked after for 12 months (SSDA903 OC2).

Specifications: ``docs/indicators/initial_health_assessments_within_20_working_days.md``,
``docs/indicators/lac_annual_health_check.md`` and ``docs/indicators/lac_dental_check.md``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from typing import Literal, get_args

from dateutil.relativedelta import relativedelta

from ...calendar import DayCount, WorkingDayCalendar
from ...care_history import ChildHistory, PeriodOfCare
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...durations import Interval, before
from ...periods import Period
from ...records.looked_after import Episode, HealthAssessment, HealthOutcomeRecord
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso, resolve_calendar
from ..children_in_need._shared import working_days_or_reason
from ._shared import histories, in_period_or_end, one_per_child_in_year, whole_months

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
    if days not in _UNITS:
        raise ValueError(f"days must be one of {_UNITS}, got {days!r}")
    cal = resolve_calendar(calendar)

    def count(start: _dt.date, end: _dt.date) -> tuple[int | None, str | None]:
        if days == "working":
            return working_days_or_reason(cal, start, end, convention)
        return (end - start).days, None  # rule 6

    b = ResultBuilder(initial_health_assessments_within_20_working_days)
    hs = histories(episodes, b, as_of=period.end)
    found: dict[str, list[_dt.date]] = {}
    for a in health_assessments:
        if a.date <= period.end:  # rule 2
            found.setdefault(a.child_id, []).append(a.date)
    unit = "working days" if days == "working" else "calendar days"
    for cid, h in hs.items():
        dates = sorted(found.get(cid, ()))
        for poc in h.periods:
            if poc.start in period:
                _assess_start(b, cid, poc, dates, period, limit, unit, count)
    return b.build(
        period,
        {"calendar": cal, "limit": limit, "days": days, "convention": convention},
    )


def _assess_start(
    b: ResultBuilder,
    cid: str,
    poc: PeriodOfCare,
    dates: list[_dt.date],
    period: Period,
    limit: int,
    unit: str,
    count: Callable[[_dt.date, _dt.date], tuple[int | None, str | None]],
) -> None:
    """One period of care starting in the period: its outcome (rules 1 to 5)."""
    first = poc.episodes[0]
    if first.reason_new_episode != "S":  # rule 1
        b.exclude(
            cid,
            first,
            f"the first episode of this period of care has RNE "
            f"{first.reason_new_episode}, not S (started to be "
            "looked after): the data begin part-way through it",
        )
        return
    if first.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 1
        b.exclude(cid, first, f"short break (legal status {first.legal_status})")
        return
    until = period.end  # rule 2
    if poc.ceased and poc.end is not None and poc.end < until:
        until = poc.end
    lasted, problem = count(poc.start, until)
    if lasted is None:  # rule 5
        assert problem is not None
        b.issue(problem, cid, first, "calendar")
        b.exclude(cid, first, problem)
        return
    if lasted < limit:  # rule 3
        b.exclude(
            cid,
            first,
            f"looked after for {lasted} {unit} (from "
            f"{iso(poc.start)} to {iso(until)}), fewer than {limit}",
        )
        return
    assessed = next((d for d in dates if d >= poc.start), None)  # rule 4
    if assessed is None:
        b.count(
            cid,
            first,
            False,
            reason=f"no initial health assessment from {iso(poc.start)} to {iso(period.end)}",
            details={"started": iso(poc.start)},
        )
        return
    measure, problem = count(poc.start, assessed)
    if measure is None:  # rule 5
        assert problem is not None
        b.issue(problem, cid, first, "calendar")
        b.exclude(cid, first, problem, details={"assessed": iso(assessed)})
        return
    b.count(
        cid,
        first,
        measure <= limit,  # rule 4
        measure,
        details={"started": iso(poc.start), "assessed": iso(assessed)},
    )


def _oc2_cohort(
    h: ChildHistory, period: Period, within: Interval, cutoff: _dt.date
) -> tuple[Episode | None, str]:
    """Rules 1 and 2 of the OC2 indicators: the episode on ``period.end``, or why the child
    is not in the cohort."""
    e, why = in_period_or_end(h, period)
    if e is None or why:
        return e, why
    poc = h.period_on(period.end)
    assert poc is not None
    if poc.start > cutoff:
        return e, (
            f"looked after since {iso(poc.start)}, not continuously for {whole_months(within)} "
            f"(needs {iso(cutoff)} or earlier)"
        )
    sb = next(
        (
            x
            for x in h.overlapping(cutoff, period.end)
            if x.legal_status in SHORT_BREAK_LEGAL_STATUSES
        ),
        None,
    )
    if sb is not None:
        return e, (
            f"short-break episode (legal status {sb.legal_status}) from "
            f"{iso(sb.start_date)} in the {whole_months(within)}"
        )
    return e, ""


def _oc2(
    of: Callable[..., IndicatorResult],
    field: str,
    item: str,
    episodes: Iterable[Episode],
    outcomes: Iterable[HealthOutcomeRecord],
    period: Period,
    within: Interval,
) -> IndicatorResult:
    b = ResultBuilder(of)
    hs = histories(episodes, b, as_of=period.end)
    year, records, others = one_per_child_in_year(  # rule 3
        outcomes, period, b, "OC2", lambda o: (repr(_oc2_values(o)),)
    )
    cutoff = before(period.end, within) + _dt.timedelta(days=1)
    for cid in sorted(set(hs) | set(records)):  # records of other years are not outcomes
        h = hs.get(cid)
        r = records.get(cid)
        if h is None or h.episodes[0].start_date > period.end:  # none known by period.end
            if r is not None:
                b.exclude(cid, r, "no episodes: not in the OC2 cohort")
            continue
        e, why = _oc2_cohort(h, period, within, cutoff)  # rules 1 and 2
        if e is None:
            if r is not None:
                b.exclude(cid, r, "no episode in the period: not in the OC2 cohort")
            continue
        if why:
            b.exclude(cid, r if r is not None else e, why)
            continue
        if r is None:  # rule 4
            elsewhere = others.get(cid)
            b.count(
                cid,
                e,
                False,
                reason="no OC2 record"
                + (
                    f" for collection year {year} (only for {', '.join(map(str, elsewhere))})"
                    if elsewhere
                    else ""
                ),
            )
            continue
        value = getattr(r, field)
        if value is None:  # rule 4
            b.count(cid, r, False, reason=f"{item} not recorded")
            continue
        b.count(cid, r, bool(value))  # rule 4
    return b.build(period, {"within": within})


def _oc2_values(record: HealthOutcomeRecord) -> tuple[object, ...]:
    """The OC2 record's values as a tuple (a total-order tiebreak for duplicates)."""
    return (
        record.health_check,
        record.teeth_check,
        record.immunisations,
        record.health_assessment,
        record.sdq_score,
        record.substance_misuse,
        record.convicted,
        record.date_of_birth,
    )


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
    return _oc2(
        lac_annual_health_check,
        "health_check",
        "HEALTH_CHECK",
        episodes,
        health_outcomes,
        period,
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
    return _oc2(
        lac_dental_check,
        "teeth_check",
        "TEETH_CHECK",
        episodes,
        health_outcomes,
        period,
        within,
    )
