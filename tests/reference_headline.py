"""Straightforward record-at-a-time figures of the five headline indicators.

Written from the specification pages alone, as plainly as possible (one loop over the records,
no decisions engine, no care-history model), with every parameter at its default. The property
tests in ``test_reference_headline.py`` compare the library's figures with these on random
records. Where a reference meets a case it does not model (two different records of one event,
whose choice follows decision D14's content rule) it returns ``None`` and the example is
skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from dateutil.relativedelta import relativedelta

from csc_indicators import Assessment, Child, Episode, Period, Referral, Section47
from csc_indicators.calendar import WorkingDayCalendar

Figures = tuple[int, int] | None
"""(numerator, denominator), or ``None`` for a case the reference does not model."""

SHORT_BREAK = ("V3", "V4")
NEW_PLACEMENT = ("S", "P", "B", "T", "U")
SAME_CARER = ("L", "T", "U")


def assessments_within_45(
    assessments: Iterable[Assessment], period: Period, cal: WorkingDayCalendar
) -> Figures:
    """Authorised in the period; twins (same child, same start) once, the later authorised;
    authorised before the start excluded; met within 45 working days."""
    events: dict[tuple[str, dt.date], list[Assessment]] = defaultdict(list)
    for a in assessments:
        if a.authorisation_date is not None and a.authorisation_date in period:
            events[(a.child_id, a.start_date)].append(a)
    met = counted = 0
    for group in events.values():
        done = max(a.authorisation_date for a in group if a.authorisation_date is not None)
        start = group[0].start_date
        if done < start:
            continue
        counted += 1
        met += cal.working_days(start, done) <= 45
    return met, counted


def rereferrals_within_12_months(referrals: Iterable[Referral], period: Period) -> Figures:
    """Each date a child was referred in the period, once; met when the child's previous
    referral (any earlier date) was at most 365 days before."""
    dates: dict[str, set[dt.date]] = defaultdict(set)
    for r in referrals:
        dates[r.child_id].add(r.date)
    met = counted = 0
    for days in dates.values():
        ordered = sorted(days)
        for i, day in enumerate(ordered):
            if day not in period:
                continue
            counted += 1
            if i > 0 and (day - ordered[i - 1]).days <= 365:
                met += 1
    return met, counted


def icpcs_within_15(
    section47s: Iterable[Section47], period: Period, cal: WorkingDayCalendar
) -> Figures:
    """Each conference held in the period after a section 47 enquiry, once per child and date,
    measured from the latest enquiry start on or before it; met within 15 working days."""
    enquiries: dict[tuple[str, dt.date], list[Section47]] = defaultdict(list)
    for s in section47s:
        if s.conference_date is not None and s.conference_date in period:
            enquiries[(s.child_id, s.start_date)].append(s)
    conferences: dict[tuple[str, dt.date], list[dt.date]] = defaultdict(list)
    for group in enquiries.values():
        if any(s != group[0] for s in group):
            return None  # two different records of one enquiry: D14's content rule
        s = group[0]
        assert s.conference_date is not None
        conferences[(s.child_id, s.conference_date)].append(s.start_date)
    met = counted = 0
    for (_, held), starts in conferences.items():
        before = [d for d in starts if d <= held]
        if not before:
            continue
        counted += 1
        met += cal.working_days(max(before), held) <= 15
    return met, counted


def _by_child(episodes: Iterable[Episode]) -> dict[str, list[Episode]]:
    out: dict[str, list[Episode]] = defaultdict(list)
    for e in episodes:
        out[e.child_id].append(e)
    for items in out.values():
        items.sort(key=lambda e: e.start_date)
    return out


def _covers(e: Episode, day: dt.date) -> bool:
    return e.start_date <= day and (e.end_date is None or e.end_date > day)


def _open_on(items: Sequence[Episode], day: dt.date) -> int | None:
    for i, e in enumerate(items):
        if _covers(e, day):
            return i
    return None


def three_or_more_placements(episodes: Iterable[Episode], period: Period) -> Figures:
    """Looked after on the period end (not on a short break): met with 3 or more placements in
    the 12 months to the period end."""
    end = period.end
    first = end - relativedelta(years=1) + dt.timedelta(days=1)
    met = counted = 0
    for items in _by_child(episodes).values():
        now = _open_on(items, end)
        if now is None or items[now].legal_status in SHORT_BREAK:
            continue
        counted += 1
        n = 1 if _open_on(items, first) is not None else 0
        for e in items:
            if not first < e.start_date <= end or e.reason_new_episode not in NEW_PLACEMENT:
                continue
            if e.reason_new_episode in ("T", "U") and e.placement in ("A3", "A5"):
                continue
            n += 1
        met += n >= 3
    return met, counted


def long_term_placement_stability(
    episodes: Iterable[Episode], children: Iterable[Child], period: Period
) -> Figures:
    """Under 16 on the period end, looked after for 30 months or more (not on a short break):
    met when with the same carer for 24 months or more (the adoption clause included)."""
    end = period.end
    born = {c.child_id: c.date_of_birth for c in children}
    met = counted = 0
    for cid, items in _by_child(episodes).items():
        now = _open_on(items, end)
        if now is None or items[now].legal_status in SHORT_BREAK:
            continue
        dob = born.get(cid)
        if dob is None:
            continue
        age = end.year - dob.year - ((end.month, end.day) < (dob.month, dob.day))
        if age >= 16:
            continue
        first = now  # the first episode of the current period of care
        while first > 0 and items[first - 1].end_date == items[first].start_date:
            first -= 1
        if items[first].start_date > end - relativedelta(months=30):
            continue
        counted += 1
        carer = now
        while carer > first and items[carer].reason_new_episode in SAME_CARER:
            carer -= 1
        if items[carer].placement in ("A4", "A6") and carer > first:
            carer -= 1
            while carer > first and items[carer].reason_new_episode in SAME_CARER:
                carer -= 1
        met += items[carer].start_date <= end - relativedelta(months=24)
    return met, counted
