"""Looked-after children and care leavers: their periods of care, turned into SSDA903
records cut at the data's end."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable, Iterator

from ..records import (
    AdoptionRecord,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
)
from ._care_plans import _fill_segments, _PeriodPlan, _plan_period, _plan_short_breaks, _rne
from ._days import _birthday, _Days, _Window
from ._records import ChildRecords, _Make
from ._scales import _LAC_ENTRANTS_PER_YEAR, _SHORT_BREAK_ENTRANTS_PER_YEAR
from ._tables import (
    _ACCOMMODATION,
    _ACTIVITY,
    _ACTIVITY_BEFORE_2021,
    _ADOPTION,
    _BAND_SPAN,
    _CARE_LEAVER_EXITS,
    _CATEGORY_OF_NEED,
    _ENTRY_BAND,
    _IN_TOUCH,
    _KIND_BY_AGE,
    _MEDIUM,
    _MOVE_REASON,
    _REMAND,
    _RETURNABLE_EXITS,
    _REVIEW_CODE,
    _UASC,
    _UNSUITABLE_ACCOMMODATION,
    _age_band,
    _draw,
)


def _lac_children(
    rng: random.Random, scale: float, days: _Days, window: _Window, make: _Make
) -> Iterator[ChildRecords]:
    r = rng.random
    end = window.end
    w_start = window.start
    date = days.date
    k3_from = _dt.date(2024, 4, 1).toordinal()
    sim_start = max(days.first + 180, w_start - 18 * 365)
    span = end - sim_start + 1
    n_entrants = round(_LAC_ENTRANTS_PER_YEAR * scale * span / 365.25)
    n_breaks = round(_SHORT_BREAK_ENTRANTS_PER_YEAR * scale * span / 365.25)
    last_year_start = _dt.date(window.last_year, 4, 1).toordinal()
    number = 0
    for index in range(n_entrants + n_breaks):
        start = sim_start + int(r() * span)
        short_breaks = index >= n_entrants
        if short_breaks:
            age = 5 * 365 + int(r() * 11 * 365)
        else:
            band = int(_draw(r, _ENTRY_BAND))
            lo, hi = _BAND_SPAN[band]
            age = lo + int(r() * (hi - lo))
        dob_o = start - age
        dob = _dt.date.fromordinal(dob_o)
        eighteen = _birthday(dob, 18)
        if eighteen < w_start and _birthday(dob, 21) < last_year_start:
            continue  # grown up before the data begins, and no care leaver in the final year
        sex = "1" if r() < 0.56 else "2"
        if short_breaks:
            periods = _plan_short_breaks(r, start, eighteen)
            uasc = False
        else:
            kind = _draw(r, _KIND_BY_AGE[_age_band(age)])
            uasc = kind == _UASC
            if uasc and r() < 0.94:
                sex = "1"
            periods = [_plan_period(r, rng, start, dob, dob_o, kind, k3_from)]
            # Some children return to care after going home.
            while True:
                last = periods[-1]
                if (
                    last.reason not in _RETURNABLE_EXITS
                    or last.end >= end
                    or last.end - dob_o >= 16 * 365
                    or r() >= 0.22
                ):
                    break
                back = last.end + 14 + int(rng.expovariate(1 / 250))
                if back >= eighteen - 30:
                    break
                kind = _draw(r, _KIND_BY_AGE[_age_band(back - dob_o)])
                if kind in (_ADOPTION, _UASC):
                    kind = _MEDIUM
                periods.append(_plan_period(r, rng, back, dob, dob_o, kind, k3_from))
        in_window = any(p.start <= end and p.end >= w_start for p in periods)
        final = periods[-1]
        # A care leaver of the final year: left care at 16 or over (at 18 included) after 13
        # weeks or more, with a 17th-21st birthday in the final year on or after leaving.
        leaver_age = 0
        if (
            not short_breaks
            and final.end <= end
            and final.reason in _CARE_LEAVER_EXITS
            and final.end - dob_o >= 16 * 365
            and final.end - final.start >= 91
        ):
            for years_old in (17, 18, 19, 20, 21):
                birthday = _birthday(dob, years_old)
                if last_year_start <= birthday <= end and birthday >= final.end:
                    leaver_age = years_old
                    break
        if not in_window and not leaver_age:
            continue
        number += 1
        cid = f"SYNL{number:07d}"
        duc = eighteen if uasc and eighteen <= end else None
        child = make.child(
            cid, dob, sex, None if duc is None else date(duc), uasc, make.traits.ethnicity(cid)
        )
        group = ChildRecords(cid, children=[child])
        if leaver_age:
            in_touch = _draw(r, _IN_TOUCH)
            if in_touch in ("YES",):
                activity = _draw(r, _ACTIVITY)
                if window.last_year <= 2020:
                    # Before 2021-22, training or employment was one code, F3/P3.
                    activity = _ACTIVITY_BEFORE_2021.get(activity, activity)
                base = _draw(r, _ACCOMMODATION)
                suitable = base not in _UNSUITABLE_ACCOMMODATION and r() < 0.95
                accommodation = base + ("1" if suitable else "2")
            else:
                activity, accommodation = "0", "0"
            group.care_leavers = [
                make.care_leaver(
                    cid, dob, in_touch, activity, accommodation, collection_year=window.last_year
                )
            ]
        if in_window:
            for p in periods:
                _fill_segments(r, rng, p, dob_o, k3_from)
            _build_lac_records(
                r, rng, group, periods, dob, dob_o, days, window, make, last_year_start
            )
        yield group


def _build_lac_records(
    r: Callable[[], float],
    rng: random.Random,
    group: ChildRecords,
    periods: list[_PeriodPlan],
    dob: _dt.date,
    dob_o: int,
    days: _Days,
    window: _Window,
    make: _Make,
    last_year_start: int,
) -> None:
    """Turn a child's planned periods of care into SSDA903 records, cut at the data's end."""
    cid = group.child_id
    end = window.end
    date = days.date
    episodes: list[Episode] = []
    reviews: list[LookedAfterReview] = []
    iha: list[HealthAssessment] = []
    adoptions: list[AdoptionRecord] = []
    placed: list[PlacedForAdoption] = []
    missing: list[MissingEpisode] = []
    outcomes: list[HealthOutcomeRecord] = []
    four = _birthday(dob, 4)
    eleven = _birthday(dob, 11)
    for p in periods:
        if p.start > end:
            break
        short_break = p.kind in ("V3", "V4")
        need = (
            "N2"
            if short_break
            else (
                "N6"
                if p.kind == _REMAND
                else ("N8" if p.kind == _UASC else _draw(r, _CATEGORY_OF_NEED))
            )
        )
        segs = [s for s in p.segments if s.start <= end]
        period_open = p.end > end
        district: str | None = None
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            if last:
                stop = None if period_open else p.end
                rec = None if period_open else p.reason
                why = None
            else:
                nxt = segs[i + 1]
                stop, rec = nxt.start, "X1"
                rne_next = _rne(seg, nxt)
                why = (
                    None
                    if rne_next == "L"
                    else ("PLACE" if rne_next in ("T", "U") else _draw(r, _MOVE_REASON))
                )
            rne = "S" if i == 0 else _rne(segs[i - 1], seg)
            if rne not in ("L",):  # a change of legal status only keeps the placement
                district = make.traits.district(cid, seg.start)
            episodes.append(
                make.episode(
                    cid,
                    date(seg.start),
                    rne,
                    seg.ls,
                    seg.place,
                    None if stop is None else date(stop),
                    rec,
                    seg.provider,
                    why,
                    need,
                    district,
                )
            )
        if short_break:
            continue
        last_day = min(p.end - 1, end)
        # Looked-after reviews: within 20 working days, then 3 months, then every 6 months.
        held = (
            days.add_wd(p.start, 5 + int(r() * 16))
            if r() < 0.94
            else days.add_wd(p.start, 21 + int(r() * 15))
        )
        step = 3
        while held <= last_day:
            code = "PN0" if held < four else _draw(r, _REVIEW_CODE)
            reviews.append(make.review(cid, date(held), code))
            due = days.add_months(held, step)
            held = due - int(r() * 20) if r() < 0.985 else due + 1 + int(r() * 40)
            step = 6
        # Initial health assessment (for periods of 20 working days or more).
        if p.end - p.start >= 28 and r() < 0.96:
            u = r()
            wd = 4 + int(r() * 17) if u < 0.74 else 21 + int(r() * 40)
            when = days.add_wd(p.start, wd)
            if when <= last_day:
                iha.append(make.health_assessment(cid, date(when)))
        # Adoption records.
        if p.decision is not None and p.decision <= end:
            decision = max(p.decision, p.start)
            ceased = (
                p.placed_ceased if p.placed_ceased is not None and p.placed_ceased <= end else None
            )
            placed.append(
                make.placed(
                    cid,
                    date(decision),
                    None if ceased is None else date(ceased),
                    None if ceased is None else p.placed_reason,
                )
            )
            if p.adopted and not period_open:
                adopters_place = p.segments[-1].place
                match = max(p.match or decision, decision)
                adoptions.append(
                    make.adoption(cid, date(decision), date(match), adopters_place in ("A3", "A5"))
                )
        # Missing incidents: some children aged 11 or more go missing, repeatedly.
        from_day = max(p.start, eleven)
        if from_day <= last_day and r() < 0.25:
            t = from_day + int(rng.expovariate(1 / 60))
            while t <= last_day:
                length = 0 if r() < 0.55 else (1 if r() < 0.7 else 2 + int(r() * 6))
                back = t + length
                missing.append(
                    make.missing(
                        cid,
                        "M" if r() < 0.85 else "A",
                        date(t),
                        None if back > end else date(min(back, p.end)),
                    )
                )
                t = back + 1 + int(rng.expovariate(1 / 50))
        # OC2: looked after continuously for 12 months at the final 31 March.
        if period_open and p.start <= last_year_start:
            age_now = end - dob_o
            sdq = None
            if 4 * 365 <= age_now < 17 * 365 and r() < 0.78:
                sdq = min(40, max(0, int(rng.gauss(14, 7))))
            older = age_now >= 10 * 365
            outcomes.append(
                make.health_outcome(
                    cid,
                    r() < 0.90,
                    r() < 0.78,
                    r() < 0.86,
                    r() < 0.90,
                    sdq,
                    (r() < 0.04) if older else False,
                    (r() < 0.02) if older else False,
                    dob,
                    collection_year=window.last_year,
                )
            )
    group.episodes = episodes
    group.reviews = reviews
    group.health_assessments = iha
    group.adoptions = adoptions
    group.placed_for_adoption = placed
    group.missing = missing
    group.health_outcomes = outcomes
