"""Plumbing shared by the looked-after indicators: histories, ages, snapshot cohorts."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from typing import TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from ...care_history import ChildHistory, build_histories, is_new_placement
from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...decisions import Sink
from ...durations import Interval, describe
from ...periods import Period
from ...records.looked_after import CareLeaverRecord, Episode, HealthOutcomeRecord
from .._common import iso
from .._twins import recorded_detail

__all__ = [
    "add_years",
    "age_on",
    "histories",
    "in_period_or_end",
    "last_episode_touching",
    "looked_after_at_end",
    "one_per_child_in_year",
    "placement_starts",
    "short_break_in_window",
    "whole_months",
]


def histories(
    episodes: Iterable[Episode], builder: Sink, *, as_of: _dt.date | None = None
) -> dict[str, ChildHistory]:
    """Every child's history, judged as known on ``as_of`` (decision D15: indicators pass
    ``period.end``); their data issues are added to ``builder`` once."""
    result = build_histories(episodes, as_of=as_of)
    for history in result.values():
        for issue in history.issues:
            builder.issue(issue.message, issue.child_id, issue.record, issue.kind)
    return result


def age_on(date_of_birth: _dt.date, day: _dt.date) -> int:
    """Age in whole years on ``day`` (a 29 February birthday falls on 28 February)."""
    age = day.year - date_of_birth.year
    if add_years(date_of_birth, age) > day:
        age -= 1
    return age


def add_years(day: _dt.date, years: int) -> _dt.date:
    """``day`` plus ``years`` calendar years (29 February becomes 28 February); the same as
    ``relativedelta`` but fast enough to call once per record."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that is not a leap year
        return day.replace(year=day.year + years, day=28)


def whole_months(interval: Interval) -> str:
    """An interval in words for a reason, counting calendar years as months (``30 months``,
    ``12 months``; a ``timedelta`` or an interval with days as :func:`~csc_indicators.durations.
    describe` gives it: ``365 days``)."""
    if isinstance(interval, relativedelta) and not interval.days:
        months = 12 * interval.years + interval.months
        return f"{months} month{'' if months == 1 else 's'}"
    return describe(interval)


def last_episode_touching(history: ChildHistory, period: Period) -> Episode | None:
    """The last episode covering at least one day of ``period``, or ``None``."""
    found = history.overlapping(period.start, period.end)
    return found[-1] if found else None


def in_period_or_end(history: ChildHistory, period: Period) -> tuple[Episode | None, str]:
    """For a snapshot on ``period.end``: the episode open that day, or the reason the child is
    not looked after then (with the last episode touching the period as the record)."""
    e = history.episode_on(period.end)
    if e is not None:
        return e, ""
    last = last_episode_touching(history, period)
    if last is None:
        return None, ""
    if last.end_date is None or last.end_date > period.end:
        # Judged as known on period.end (decision D15): an end after it is not named. Such an
        # episode covers period.end unless a later one (an overlap) ended before it.
        return last, (
            f"not looked after on {iso(period.end)}: the episode from {iso(last.start_date)} "
            "has no end by then, but a later episode ended before it"
        )
    return last, (
        f"not looked after on {iso(period.end)}: the last episode in the period ended "
        f"{iso(last.end_date)}"
    )


def looked_after_at_end(
    history: ChildHistory, period: Period, *, exclude_short_breaks: bool = True
) -> tuple[Episode | None, str]:
    """For the snapshot cohorts ("looked after on ``period.end``, excluding short breaks"):
    the episode open that day, or the reason the child is out of the cohort (not looked after
    then, or on a short break, legal status V3/V4); ``(None, "")`` for a child with no episode
    touching the period."""
    e, why = in_period_or_end(history, period)
    if e is None or why:
        return e, why
    if exclude_short_breaks and e.legal_status in SHORT_BREAK_LEGAL_STATUSES:
        return e, f"on a short break (legal status {e.legal_status}) on {iso(period.end)}"
    return e, ""


Y = TypeVar("Y", HealthOutcomeRecord, CareLeaverRecord)


def short_break_in_window(in_window: Iterable[Episode]) -> str | None:
    """Why a child with a short-break (V3/V4) episode in a placement window is excluded, or
    ``None`` when there is none (``exclude_any_short_break``, decision D8)."""
    sb = next((x for x in in_window if x.legal_status in SHORT_BREAK_LEGAL_STATUSES), None)
    if sb is None:
        return None
    return (
        f"short-break episode (legal status {sb.legal_status}) from {iso(sb.start_date)} "
        "in the window"
    )


def placement_starts(
    history: ChildHistory,
    in_window: Iterable[Episode],
    start: _dt.date,
    end: _dt.date,
    count_temporary: bool,
) -> list[str]:
    """The start date of each placement counted in the window ``start`` to ``end`` (decision
    D8): the placement open on ``start``, then each episode starting later in the window that
    is a new placement (:func:`~csc_indicators.care_history.is_new_placement`)."""
    starts: list[str] = []
    opening = history.episode_on(start)
    if opening is not None:
        starts.append(iso(opening.start_date))
    for x in in_window:
        if start < x.start_date <= end and is_new_placement(x, count_temporary=count_temporary):
            starts.append(iso(x.start_date))
    return starts


def one_per_child_in_year(
    records: Iterable[Y],
    period: Period,
    builder: Sink,
    table: str,
    key: Callable[[Y], tuple[object, ...]],
) -> tuple[int, dict[str, Y], dict[str, list[int]]]:
    """Each child's OC2 or OC3 record of the reporting period's collection year.

    The collection year is the one holding ``period.end`` (2024 = 2024-25). A record of
    another year is not used (the young person's row in another year's return); a record
    without a year is taken to be of this year. Two different records of one child in the
    year are a ``conflict`` (decision D14), reported naming the record used: the one with more
    recorded detail, then one with a year before one without, then the first by ``key``.
    Identical records are loaded once silently.

    Returns:
        The collection year, the record chosen for each child, and for each child the other
        years whose records were set aside (sorted).
    """
    year = Period.financial_year_of(period.end).start.year
    label = f"{year}-{(year + 1) % 100:02d}"
    chosen: dict[str, Y] = {}
    others: dict[str, list[int]] = {}
    mine: dict[str, list[Y]] = {}
    for r in sorted(
        records,
        key=lambda r: (r.child_id, r.collection_year is None, r.collection_year or 0, key(r)),
    ):
        if r.collection_year is not None and r.collection_year != year:
            others.setdefault(r.child_id, []).append(r.collection_year)
            continue
        mine.setdefault(r.child_id, []).append(r)
        used = chosen.get(r.child_id)
        # Decision D14: more recorded detail first; ties keep the first in the fixed order
        # (a record naming its year before one without, then ``key``).
        if used is None or recorded_detail(r) > recorded_detail(used):
            chosen[r.child_id] = r
    for cid, rows in mine.items():
        used = chosen[cid]
        plain = attrs.evolve(used, collection_year=None)
        reported: list[Y] = []
        for r in rows:
            if r is used or attrs.evolve(r, collection_year=None) == plain or r in reported:
                continue
            reported.append(r)
            builder.issue(
                f"more than one {table} record for {label}; not used: the record "
                f"used is {_describe(used)}",
                r.child_id,
                r,
                "conflict",
            )
    return year, chosen, {cid: sorted(set(ys)) for cid, ys in others.items()}


def _describe(r: HealthOutcomeRecord | CareLeaverRecord) -> str:
    year = "no year" if r.collection_year is None else f"collection year {r.collection_year}"
    if isinstance(r, CareLeaverRecord):
        return f"IN_TOUCH {r.in_touch}, ACTIV {r.activity}, ACCOM {r.accommodation} ({year})"
    return f"HEALTH_CHECK {_flag(r.health_check)}, TEETH_CHECK {_flag(r.teeth_check)} ({year})"


def _flag(value: bool | None) -> str:
    return "not recorded" if value is None else str(int(value))
