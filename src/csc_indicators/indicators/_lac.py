"""Plumbing shared by the looked-after indicators: histories, ages, snapshot cohorts."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from ..care_history import ChildHistory, build_histories
from ..periods import Period
from ..records.looked_after import Episode
from ..results import ResultBuilder
from ._common import iso

__all__ = [
    "add_years",
    "age_on",
    "histories",
    "in_period_or_end",
    "last_episode_touching",
    "years_before",
]


def histories(episodes: Iterable[Episode], builder: ResultBuilder) -> dict[str, ChildHistory]:
    """Every child's history; their data issues are added to ``builder`` once."""
    result = build_histories(episodes)
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


def years_before(day: _dt.date, *, years: int = 0, months: int = 0) -> _dt.date:
    """``day`` minus a calendar interval (29 February minus 1 year is 28 February)."""
    return day - relativedelta(years=years, months=months)


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
    return last, (
        f"not looked after on {iso(period.end)}: the last episode in the period ended "
        f"{iso(last.end_date)}"
    )
