"""Health of looked-after children: initial health assessments in timescale (held locally),
and the annual health and dental checks of children looked after for 12 months (SSDA903 OC2).

Specifications: ``docs/indicators/initial_health_assessments_within_20_working_days.md``,
``docs/indicators/lac_annual_health_check.md`` and ``docs/indicators/lac_dental_check.md``.

Each indicator is evaluated over many periods at once (:func:`~csc_indicators.registry.
over_periods`): the histories are judged at each distinct period end (decision D15), and each
child's outcome is decided once for the periods of one end, or once for every end that gives
the same outcome.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, NamedTuple, TypeVar, get_args

import attrs
from dateutil.relativedelta import relativedelta

from ...builder import Reason
from ...calendar import DayCount, WorkingDayCalendar
from ...care_history import ChildHistory, PeriodOfCare, build_histories
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Decisions, Sink
from ...durations import Interval, before
from ...periods import Period
from ...records.looked_after import (
    CareLeaverRecord,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
)
from ...registry import Family, over_periods, register
from ...results import IndicatorResult, Polarity
from .._common import iso, resolve_calendar
from .._twins import recorded_detail
from ..children_in_need._shared import working_days_or_reason
from ._shared import whole_months

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

# -- plumbing over many periods, shared with ``care_leavers`` and ``missing`` (which import it
# from here: this module is imported before them, so the registry keeps its order) -----------

Y = TypeVar("Y", HealthOutcomeRecord, CareLeaverRecord)


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
    :func:`in_year_order`: exactly what
    :func:`~csc_indicators.indicators.looked_after._shared.one_per_child_in_year` gives (the
    record chosen for each child, the other years set aside by child, the same ``conflict``
    issues in the same order), with the records sorted once for every year of a series.
    """
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


class Places:
    """Names a set of the periods of a :class:`~csc_indicators.decisions.Decisions` for a
    decision: by a day, when the periods holding it are exactly that set (a cheaper decision,
    as for every period of a single-period run), else by their positions."""

    __slots__ = ("common", "count")

    def __init__(self, periods: Sequence[Period]) -> None:
        self.count = len(periods)
        latest = max((p.start for p in periods), default=None)
        self.common = (
            latest if latest is not None and latest <= min(p.end for p in periods) else None
        )
        """A day every period holds, if any."""

    def of(self, where: Sequence[int]) -> tuple[_dt.date | None, Sequence[int] | None]:
        """``(day, None)`` or ``(None, where)`` for the distinct positions ``where``."""
        if self.common is not None and len(where) == self.count:
            return self.common, None
        return None, where


@attrs.frozen(slots=True)
class AtEnd:
    """Every child's history judged as known on one period end, and the periods ending then."""

    end: _dt.date
    """The period end."""
    positions: tuple[int, ...]
    """The positions of the periods ending then."""
    starts: dict[_dt.date, list[int]]
    """Those positions by the period's start."""
    histories: dict[str, ChildHistory]
    """Every child's history judged as known on :attr:`end`."""
    earliest: _dt.date
    """The earliest start of those periods."""


Rows = dict[str, tuple[ChildHistory, ...]]
"""Each child's histories at the ends of :func:`histories_at_ends`, in the order of the ends."""


def histories_at_ends(
    episodes: Iterable[Episode], d: Decisions, periods: Sequence[Period]
) -> tuple[list[AtEnd], Rows]:
    """Every child's history judged as known at each distinct end of ``periods`` (decision
    D15), by end (latest last), and the same by child. Each history's data issues are added
    to the periods of its end, as :func:`~._shared.histories` adds them to one period's
    builder (once for the ends where a child's issues are the same). The children are the
    same at every end."""
    if not isinstance(episodes, (tuple, list)):
        episodes = list(episodes)
    ends: dict[_dt.date, dict[_dt.date, list[int]]] = {}
    for n, p in enumerate(periods):
        ends.setdefault(p.end, {}).setdefault(p.start, []).append(n)
    got = [
        AtEnd(
            end,
            tuple(sorted(n for ns in starts.values() for n in ns)),
            starts,
            build_histories(episodes, as_of=end),
            min(starts),
        )
        for end, starts in sorted(ends.items())
    ]
    if not got:
        return got, {}
    children = list(got[0].histories)
    if all(list(at.histories) == children for at in got):
        by_end = zip(*(at.histories.values() for at in got), strict=True)
        rows = dict(zip(children, by_end, strict=True))
    else:
        rows = {cid: tuple(at.histories[cid] for at in got) for cid in children}
    everywhere = [n for at in got for n in at.positions]
    places = Places(periods)
    for row in rows.values():
        first = row[0]
        if len(row) == 1 or len(set(map(id, row))) == 1:  # one history for every end
            if first.issues:
                _add_issues(d, places, first, everywhere)
            continue
        same: list[tuple[ChildHistory, list[int]]] = []
        for at, h in zip(got, row, strict=True):
            if not h.issues:
                continue
            for held, where in same:
                if held is h or held.issues == h.issues:
                    where.extend(at.positions)
                    break
            else:
                same.append((h, list(at.positions)))
        for h, where in same:
            _add_issues(d, places, h, where)
    return got, rows


def _add_issues(d: Decisions, places: Places, h: ChildHistory, where: list[int]) -> None:
    day, pins = places.of(where)
    for issue in h.issues:
        d.issue(issue.message, issue.child_id, issue.record, issue.kind, day=day, periods=pins)


def same_episodes(
    row: tuple[ChildHistory, ...], at_ends: Sequence[AtEnd]
) -> list[tuple[ChildHistory, Sequence[AtEnd]]]:
    """The ends of :func:`histories_at_ends` grouped by the child's episodes in their history
    then (``row``, by end; they differ only through twins chosen differently, decision D15),
    each with the history of its first end: within a group, the histories hold the same
    episodes and periods of care. Almost always one group, ``at_ends`` itself."""
    first = row[0]
    if len(row) == 1 or len(set(map(id, row))) == 1:  # one history for every end
        return [(first, at_ends)]
    same: list[tuple[ChildHistory, list[AtEnd]]] = []
    for at, h in zip(at_ends, row, strict=True):
        eps = h.episodes
        for held, where in same:
            if held.episodes is eps or (
                len(held.episodes) == len(eps)
                and all(a is b for a, b in zip(held.episodes, eps, strict=True))
            ):
                where.append(at)
                break
        else:
            same.append((h, [at]))
    return list(same)


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
    at_ends, rows = histories_at_ends(episodes, d, periods)
    if not at_ends:
        return d.results(parameters)
    found: dict[str, list[_dt.date]] = {}
    for a in health_assessments:
        found.setdefault(a.child_id, []).append(a.date)
    first = min(p.start for p in periods)
    unit = "working days" if days == "working" else "calendar days"
    assess = _Assess(d, at_ends, limit, unit, count)
    all_ends = [at.end for at in at_ends]
    for cid, row in rows.items():
        dates: list[_dt.date] | None = None
        for h, ats in [(row[0], at_ends)] if len(row) == 1 else same_episodes(row, at_ends):
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
                assess.start(cid, k, pocs[k], dates, ats, ends)
    return d.results(parameters)


class _Assess:
    """The outcome of a period of care starting in a period (rules 1 to 5)."""

    __slots__ = ("at_ends", "count", "d", "limit", "unit")

    def __init__(
        self,
        d: Decisions,
        at_ends: Sequence[AtEnd],
        limit: int,
        unit: str,
        count: Callable[[_dt.date, _dt.date], tuple[int | None, str | None]],
    ) -> None:
        self.d = d
        self.at_ends = at_ends
        self.limit = limit
        self.unit = unit
        self.count = count

    def start(
        self,
        cid: str,
        k: int,
        poc: PeriodOfCare,
        dates: list[_dt.date],
        ats: Sequence[AtEnd],
        ends: list[_dt.date],
    ) -> None:
        """The ``k``-th period of care of the child, ``poc``, in every period of the ends
        ``ats`` (those whose histories hold the same periods of care; ``ends``, their ends)
        holding its start; ``dates``: the child's assessment dates, sorted."""
        d = self.d
        start = poc.start
        first = poc.episodes[0]
        if not d.keep and (
            first.reason_new_episode != "S" or first.legal_status in SHORT_BREAK_LEGAL_STATUSES
        ):
            return  # excluded by rule 1: in summary mode, not made (the figures are the same)
        # The ends with a period holding the start.
        held = [at for at in ats[bisect.bisect_left(ends, start) :] if at.earliest <= start]
        if not held:
            return
        # Every period holding the start holds the outcome when the child's history is the
        # same at every end and the outcome the same at the ends: then it is placed by the
        # start, else pinned to the periods giving it.
        everywhere = ats is self.at_ends
        if first.reason_new_episode != "S":  # rule 1
            place = self._place(start, held, everywhere)
            self.d.exclude(
                cid,
                first,
                f"the first episode of this period of care has RNE "
                f"{first.reason_new_episode}, not S (started to be "
                "looked after): the data begin part-way through it",
                day=place.day,
                periods=place.periods,
            )
            return
        if first.legal_status in SHORT_BREAK_LEGAL_STATUSES:  # rule 1
            place = self._place(start, held, everywhere)
            self.d.exclude(
                cid,
                first,
                f"short break (legal status {first.legal_status})",
                day=place.day,
                periods=place.periods,
            )
            return
        i = bisect.bisect_left(dates, start)  # rule 4: the first assessment from the start
        after = dates[i] if i < len(dates) else None
        limit = self.limit
        # The ends giving the same outcome, by what decides it.
        same: dict[tuple[object, ...], list[AtEnd]] = {}
        h: ChildHistory | None = None
        stop: _dt.date | None = None
        counted: tuple[_dt.date, int | None, str | None] | None = None
        for at in held:
            end = at.end
            now = at.histories[cid]
            if now is not h:  # the period of care as known on the end
                h = now
                known = now.periods[k]
                stop = known.end if known.ceased else None
            until = stop if stop is not None and stop < end else end  # rule 2
            if counted is None or counted[0] != until:
                counted = (until, *self.count(start, until))
            lasted = counted[1]
            if lasted is None:  # rule 5
                key: tuple[object, ...] = ("calendar", counted[2])
            elif lasted < limit:  # rule 3
                key = ("short", lasted, until)
            elif after is None or after > end:  # rule 4: none by the end
                key = ("none", end)
            else:
                key = ("assessed", after)
            group = same.get(key)
            if group is None:
                same[key] = [at]
            else:
                group.append(at)
        one = everywhere and len(same) == 1
        for key, group in same.items():
            self._decide(self._place(start, group, one), cid, first, poc, key)

    def _place(self, start: _dt.date, held: list[AtEnd], everywhere: bool) -> _Place:
        """Where an outcome goes: placed by the start, when the periods of the ends ``held``
        holding it are every period holding it (``everywhere``), else pinned to those."""
        if everywhere:
            return _Place(start, None)
        return _Place(
            None, sorted(n for at in held for s, ns in at.starts.items() if s <= start for n in ns)
        )

    def _decide(
        self,
        place: _Place,
        cid: str,
        first: Episode,
        poc: PeriodOfCare,
        key: tuple[object, ...],
    ) -> None:
        d = self.d
        keep = d.keep
        day, where = place.day, place.periods
        what = key[0]
        if what == "calendar":  # rule 5
            problem = str(key[1])
            d.issue(problem, cid, first, "calendar", day=day, periods=where)
            d.exclude(cid, first, problem, day=day, periods=where)
            return
        if what == "short":  # rule 3
            if not keep:
                return  # in summary mode an exclusion is not made (the figures are the same)
            lasted, until = key[1], key[2]
            assert isinstance(until, _dt.date)
            d.exclude(
                cid,
                first,
                lambda: (
                    f"looked after for {lasted} {self.unit} (from "
                    f"{iso(poc.start)} to {iso(until)}), fewer than {self.limit}"
                ),
                day=day,
                periods=where,
            )
            return
        if what == "none":  # rule 4
            end = key[1]
            assert isinstance(end, _dt.date)
            d.count(
                cid,
                first,
                False,
                reason=lambda: f"no initial health assessment from {iso(poc.start)} to {iso(end)}",
                details={"started": iso(poc.start)} if keep else None,
                day=day,
                periods=where,
            )
            return
        assessed = key[1]
        assert isinstance(assessed, _dt.date)
        measure, trouble = self.count(poc.start, assessed)
        if measure is None:  # rule 5
            assert trouble is not None
            d.issue(trouble, cid, first, "calendar", day=day, periods=where)
            d.exclude(
                cid,
                first,
                trouble,
                details={"assessed": iso(assessed)} if keep else None,
                day=day,
                periods=where,
            )
            return
        d.count(
            cid,
            first,
            measure <= self.limit,  # rule 4
            measure,
            details={"started": iso(poc.start), "assessed": iso(assessed)} if keep else None,
            day=day,
            periods=where,
        )


class _Place(NamedTuple):
    """Where an outcome goes: placed by a day, or pinned to the periods at positions."""

    day: _dt.date | None
    periods: list[int] | None


def _oc2_cohort(
    h: ChildHistory, e: Episode, end: _dt.date, within: Interval, cutoff: _dt.date
) -> Reason:
    """Rules 1 and 2 of the OC2 indicators for a child looked after on ``end`` in episode
    ``e``: why the child is not in the cohort, or ``None``."""
    poc = h.period_on(end)
    assert poc is not None
    if poc.start > cutoff:
        return lambda: (
            f"looked after since {iso(poc.start)}, not continuously for {whole_months(within)} "
            f"(needs {iso(cutoff)} or earlier)"
        )
    sb = next(
        (x for x in h.overlapping(cutoff, end) if x.legal_status in SHORT_BREAK_LEGAL_STATUSES),
        None,
    )
    if sb is not None:
        return lambda: (
            f"short-break episode (legal status {sb.legal_status}) from "
            f"{iso(sb.start_date)} in the {whole_months(within)}"
        )
    return None


def _not_looked_after(last: Episode, end: _dt.date) -> Reason:
    """Rule 1: why a child whose last episode touching the period is ``last`` is not looked
    after on ``end`` (as :func:`~._shared.in_period_or_end` says it)."""
    if last.end_date is None or last.end_date > end:
        # Judged as known on the end (decision D15): an end after it is not named.
        return lambda: (
            f"not looked after on {iso(end)}: the episode from {iso(last.start_date)} "
            "has no end by then, but a later episode ended before it"
        )
    return lambda: (
        f"not looked after on {iso(end)}: the last episode in the period ended {iso(last.end_date)}"
    )


def _oc2(
    of: Callable[..., IndicatorResult],
    field: str,
    item: str,
    episodes: Iterable[Episode],
    outcomes: Iterable[HealthOutcomeRecord],
    periods: Sequence[Period],
    within: Interval,
) -> list[IndicatorResult]:
    """The OC2 indicators over many periods, by collection year (rule 3)."""
    if not isinstance(episodes, (tuple, list)):
        episodes = list(episodes)
    ordered = in_year_order(outcomes, lambda o: (repr(_oc2_values(o)),))
    # With several period ends, each child's span of care says which ends can concern them.
    spans = _spans(episodes) if len({p.end for p in periods}) > 1 else None
    out: list[IndicatorResult | None] = [None] * len(periods)
    for year, positions in by_collection_year(periods).items():
        d = Decisions(of, [periods[n] for n in positions])
        at_ends, _ = histories_at_ends(episodes, d, d.periods)
        records, others = one_per_child(ordered, year, d, "OC2")  # rule 3
        known = at_ends[0].histories
        ends = [at.end for at in at_ends]
        cutoffs = [before(end, within) + _dt.timedelta(days=1) for end in ends]
        earliest = [at.earliest for at in at_ends]
        pairs = list(zip(at_ends, cutoffs, strict=True))
        places = Places(d.periods)
        for cid in sorted(set(known) | set(records)):  # records of other years are not outcomes
            r = records.get(cid)
            first, last = (None, None) if spans is None else spans.get(cid, (None, None))
            same: dict[tuple[object, ...], list[int]] = {}
            if d.keep:
                for at, cutoff, start in zip(at_ends, cutoffs, earliest, strict=True):
                    if (
                        spans is not None
                        and r is None
                        and (first is None or (last is not None and last <= start))
                    ):
                        continue  # no episode touches the periods, no record: not an outcome
                    _oc2_child(d, places, cid, at, cutoff, r, within, same)
            elif spans is None:
                # In summary mode only the children in the cohort matter (an exclusion does
                # not change the figures): those looked after on the end.
                if cid in known:
                    _in_cohort(cid, pairs, r, same)
            elif first is not None:
                lo = bisect.bisect_left(ends, first)
                hi = len(ends) if last is None else bisect.bisect_left(ends, last)
                if lo < hi:
                    _in_cohort(cid, pairs[lo:hi], r, same)
            for key, where in same.items():  # rule 4: in the cohort on these ends
                _oc2_counted(d, places, cid, key, where, r, others.get(cid), year, field, item)
        for n, result in zip(positions, d.results({"within": within}), strict=True):
            out[n] = result
    return [r for r in out if r is not None]


def _spans(episodes: Iterable[Episode]) -> dict[str, tuple[_dt.date, _dt.date | None]]:
    """Each child's first episode start and latest episode end in the records (``None``: an
    episode is open): no history of theirs covers a day outside."""
    spans: dict[str, tuple[_dt.date, _dt.date | None]] = {}
    for e in episodes:
        held = spans.get(e.child_id)
        if held is None:
            spans[e.child_id] = (e.start_date, e.end_date)
            continue
        first, last = held
        if e.start_date < first or (last is not None and (e.end_date is None or e.end_date > last)):
            spans[e.child_id] = (
                min(first, e.start_date),
                None if last is None or e.end_date is None else max(last, e.end_date),
            )
    return spans


def _oc2_child(
    d: Decisions,
    places: Places,
    cid: str,
    at: AtEnd,
    cutoff: _dt.date,
    r: HealthOutcomeRecord | None,
    within: Interval,
    counted: dict[tuple[object, ...], list[int]],
) -> None:
    """One child's outcome in the periods ending ``at.end`` (rules 1 and 2); a child in the
    cohort is added to ``counted`` by the episode on the end (decided by rule 4 once for the
    ends giving the same outcome)."""
    end = at.end
    keep = d.keep  # in summary mode an exclusion does not change the figures: not made
    h = at.histories.get(cid)
    if h is None or h.episodes[0].start_date > end:  # none known by the end
        if r is not None and keep:
            day, pins = places.of(at.positions)
            d.exclude(cid, r, "no episodes: not in the OC2 cohort", day=day, periods=pins)
        return
    e = h.episode_on(end)
    if e is None:  # rule 1: not looked after on the end
        if keep:
            _not_on_end(d, places, cid, h, at, r)
        return
    why = _oc2_cohort(h, e, end, within, cutoff)  # rules 1 and 2
    if why is not None:
        if keep:
            day, pins = places.of(at.positions)
            d.exclude(cid, r if r is not None else e, why, day=day, periods=pins)
        return
    counted.setdefault((e,) if r is None else (), []).extend(at.positions)


def _in_cohort(
    cid: str,
    todo: list[tuple[AtEnd, _dt.date]],
    r: HealthOutcomeRecord | None,
    counted: dict[tuple[object, ...], list[int]],
) -> None:
    """Summary mode: the ends (with their cutoffs) on which the child is in the cohort (rules
    1 and 2, as :func:`_oc2_child` decides them), added to ``counted`` as it does."""
    h: ChildHistory | None = None
    starts: list[_dt.date] = []
    breaks = False
    for at, cutoff in todo:
        now = at.histories[cid]
        if now is not h:
            h = now
            starts = [x.start_date for x in h.episodes]
            breaks = any(x.legal_status in SHORT_BREAK_LEGAL_STATUSES for x in h.episodes)
        end = at.end
        k = bisect.bisect_right(starts, end) - 1
        if k < 0:
            continue
        e = h.episodes[k]
        if e.end_date is not None and e.end_date <= end:
            continue  # not looked after on the end
        if h.periods[h.period_of[k]].start > cutoff:
            continue  # not looked after for long enough
        if breaks and any(
            x.legal_status in SHORT_BREAK_LEGAL_STATUSES for x in h.overlapping(cutoff, end)
        ):
            continue
        counted.setdefault((e,) if r is None else (), []).extend(at.positions)


def _not_on_end(
    d: Decisions,
    places: Places,
    cid: str,
    h: ChildHistory,
    at: AtEnd,
    r: HealthOutcomeRecord | None,
) -> None:
    """Rule 1: a child not looked after on ``at.end``, in each period ending then."""
    end = at.end
    for start, where in at.starts.items():
        found = h.overlapping(start, end)
        day, pins = places.of(where)
        if not found:
            if r is not None:
                d.exclude(
                    cid, r, "no episode in the period: not in the OC2 cohort", day=day, periods=pins
                )
            continue
        last = found[-1]
        d.exclude(
            cid,
            r if r is not None else last,
            _not_looked_after(last, end),
            day=day,
            periods=pins,
        )


def _oc2_counted(
    d: Decisions,
    places: Places,
    cid: str,
    key: tuple[object, ...],
    where: list[int],
    r: HealthOutcomeRecord | None,
    elsewhere: list[int] | None,
    year: int,
    field: str,
    item: str,
) -> None:
    """Rule 4: a child in the cohort, in the periods at ``where``; ``key`` holds the episode
    on the end when the child has no record."""
    day, pins = places.of(where)
    if r is None:
        (e,) = key
        d.count(
            cid,
            e,
            False,
            reason=lambda: (
                "no OC2 record"
                + (
                    f" for collection year {year} (only for {', '.join(map(str, elsewhere))})"
                    if elsewhere
                    else ""
                )
            ),
            day=day,
            periods=pins,
        )
        return
    value = getattr(r, field)
    if value is None:
        d.count(cid, r, False, reason=lambda: f"{item} not recorded", day=day, periods=pins)
        return
    d.count(cid, r, bool(value), day=day, periods=pins)


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
    return _oc2(
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
    return _oc2(
        lac_dental_check, "teeth_check", "TEETH_CHECK", episodes, health_outcomes, periods, within
    )
