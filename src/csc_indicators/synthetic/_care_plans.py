"""Periods of care planned before their episodes are built: kind, end, reason for ending,
legal and placement events, the moves that split them into episodes, and short breaks."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable
from typing import Any, Final

from ._days import _birthday
from ._tables import (
    _ADOPTION,
    _AT_18_REASONS,
    _EXIT_16_17,
    _EXIT_AT_18,
    _EXIT_LONG,
    _EXIT_MEDIUM,
    _EXIT_REMAND,
    _EXIT_SHORT,
    _LONG,
    _MEDIUM,
    _PLACE_BY_BAND,
    _PROVIDER,
    _REMAND,
    _SHORT,
    _UASC,
    _age_band,
    _draw,
)


class _Segment:
    """One episode in the making: its start, legal status, placement, carer and provider."""

    __slots__ = ("carer", "ls", "place", "provider", "start")

    def __init__(self, start: int, ls: str, place: str, carer: int, provider: str) -> None:
        self.start = start
        self.ls = ls
        self.place = place
        self.carer = carer
        self.provider = provider


class _PeriodPlan:
    """A period of care planned before its episodes are built."""

    __slots__ = (
        "adopted",
        "decision",
        "end",
        "first_ls",
        "first_place",
        "instability",
        "kind",
        "legal",
        "match",
        "placed_ceased",
        "placed_reason",
        "placements",
        "reason",
        "segments",
        "start",
    )

    def __init__(self, start: int, kind: str) -> None:
        self.start = start
        self.kind = kind
        self.end = start + 1
        self.reason = "E8"
        self.segments: list[_Segment] = []
        self.adopted = False
        self.decision: int | None = None
        self.match: int | None = None
        self.placed_ceased: int | None = None
        self.placed_reason: str | None = None
        self.legal: list[tuple[int, str]] = []
        self.placements: list[tuple[int, str, bool]] = []
        self.first_ls = ""
        self.first_place = ""
        self.instability = 1.0


_CONCURRENT_PLANNING: Final = {"U5": "U6", "U2": "U3"}
"""Fostering for adoption / concurrent planning placements, and the ordinary foster placement
used instead for a child without an adoption plan."""

# A change of placement with the same carer is only possible from these placements.
_SAME_CARER_FROM: Final[dict[str, frozenset[str]]] = {
    "U4": frozenset({"U6", "U5"}),
    "U1": frozenset({"U3", "U2"}),
    "A3": frozenset({"U1", "U2", "U3", "U4", "U5", "U6"}),
    "A5": frozenset({"U1", "U2", "U3", "U4", "U5", "U6"}),
}


def _new_place(
    r: Callable[[], float], age_days: int, o: int, k3_from: int, adoption_plan: bool
) -> str:
    place = _draw(r, _PLACE_BY_BAND[_age_band(age_days)])
    if place == "H5" and o >= k3_from and r() < 0.5:
        return "K3"
    if not adoption_plan:
        return _CONCURRENT_PLANNING.get(place, place)
    return place


def _plan_period(
    r: Callable[[], float],
    rng: random.Random,
    start: int,
    dob: _dt.date,
    dob_o: int,
    kind: str,
    k3_from: int,
) -> _PeriodPlan:
    """Plan one period of care: its kind, end, reason for ending, and its legal and placement
    events (the episodes are built from them later by :func:`_fill_segments`)."""
    p = _PeriodPlan(start, kind)
    age = start - dob_o
    eighteen = _birthday(dob, 18)
    # Legal events (day, new legal status) and forced placement events
    # (day, new placement, same carer?).
    legal: list[tuple[int, str]] = []
    placements: list[tuple[int, str, bool]] = []
    first_place = _new_place(r, age, start, k3_from, kind == _ADOPTION)
    instability = 0.35 if r() < 0.6 else (1.0 if r() < 0.75 else 3.0)
    if kind == _ADOPTION:
        instability = 0.3
        consent = r() < 0.07  # placed with parental consent rather than a placement order
        first_ls = "V2" if consent else "C1"
        order = start + 240 + int(r() * 180)  # placement order (E1), or the consent
        if not consent:
            legal.append((order, "E1"))
        p.decision = order - 30 - int(r() * 90)
        foster_adopter = first_place in ("U5", "U2") or r() < 0.18
        placed = order + 60 + int(r() * 270)
        p.match = placed - 7 - int(r() * 50)
        if not consent and r() < 0.14:
            # The plan for adoption is reversed; the child stays in long-term foster care.
            p.placed_ceased = order + 150 + int(r() * 250)
            p.placed_reason = "RD1" if r() < 0.6 else "RD3"
            legal.append((p.placed_ceased, "C2"))
            p.match = None
            placements.append((p.placed_ceased + 1 + int(r() * 60), "U4", True))
            p.end = p.placed_ceased + 365 + int(r() * 2000)
            p.reason = _draw(r, _EXIT_LONG)
        else:
            if consent:
                place = "A3" if foster_adopter else "A4"
            else:
                place = "A5" if foster_adopter else "A6"
            placements.append((placed, place, foster_adopter))
            p.end = placed + 90 + int(r() * 280)
            p.reason = "E11" if r() < 0.6 else "E12"
            p.adopted = True
    elif kind == _REMAND:
        first_ls = "J1"
        first_place = "K2" if r() < 0.5 else ("U6" if r() < 0.7 else "K1")
        p.end = start + 7 + int(r() * 80)
        p.reason = _draw(r, _EXIT_REMAND)
    elif kind == _UASC:
        first_ls = "V2"
        first_place = "H5" if age >= 16 * 365 and r() < 0.6 else ("U6" if r() < 0.7 else "K2")
        if first_place == "H5" and start >= k3_from and r() < 0.5:
            first_place = "K3"
        p.end = eighteen if r() < 0.85 else start + 60 + int(r() * 400)
        p.reason = _draw(r, _EXIT_AT_18) if p.end >= eighteen else ("E16" if r() < 0.3 else "E8")
    else:
        first_ls = "V2" if r() < (0.55 if kind == _SHORT else 0.3) else "C1"
        interim = start if first_ls == "C1" else 0  # the day of the interim care order
        if r() < 0.12:
            # Police protection (at most 72 hours) or an emergency protection order (at most
            # 8 days) for the first days.
            police = r() < 0.6
            day = start + 1 + int(r() * (3 if police else 8))
            legal.append((day, first_ls))
            interim = day if first_ls == "C1" else 0
            first_ls = "L1" if police else "L2"
        if first_ls == "V2" and kind != _SHORT and r() < 0.45:
            # Accommodated by agreement at first, then care proceedings begin.
            interim = start + 30 + int(r() * 200)
            legal.append((interim, "C1"))
        if kind == _SHORT:
            p.end = start + 2 + int(rng.expovariate(1 / 45))
            p.reason = _draw(r, _EXIT_SHORT)
        elif kind == _MEDIUM:
            p.end = start + 150 + int(r() * 600)
            p.reason = _draw(r, _EXIT_MEDIUM)
        else:
            p.end = (
                eighteen
                if (age >= 9 * 365 and r() < 0.7) or r() < 0.35
                else (start + 700 + int(r() * 2200))
            )
            p.reason = _draw(r, _EXIT_AT_18) if p.end >= eighteen else _draw(r, _EXIT_LONG)
        if interim:
            final = interim + 180 + int(r() * 220)  # care proceedings end in a full order
            if final < p.end:
                legal.append((final, "C2"))
        if kind == _LONG and first_place in ("U6", "U3") and r() < 0.5:
            # The foster placement becomes long-term with the same carer, sometimes on the day
            # of the full care order (RNE U), otherwise on its own (RNE T).
            day = start + 180 + int(r() * 360)
            if legal and legal[-1][1] == "C2" and r() < 0.3:
                day = legal[-1][0]
            placements.append((day, "U4" if first_place == "U6" else "U1", True))
    if p.end >= eighteen:
        p.end = eighteen
        if p.reason not in _AT_18_REASONS:
            p.reason = _draw(r, _EXIT_AT_18)
    elif p.end >= _birthday(dob, 16) and p.reason in ("E4A", "E13", "E8") and kind != _ADOPTION:
        p.reason = _draw(r, _EXIT_16_17)
    if p.end <= start:
        p.end = start + 1
    p.legal = legal
    p.placements = placements
    p.first_ls = first_ls
    p.first_place = first_place
    p.instability = instability
    return p


def _fill_segments(
    r: Callable[[], float], rng: random.Random, p: _PeriodPlan, dob_o: int, k3_from: int
) -> None:
    """Build a planned period's segments: its legal and placement events plus random moves
    of placement and carer (frequent in the first weeks, then rarer), merged day by day.

    Done only for the periods of children whose records are kept (most of the history
    simulated before the data begins is only needed for its dates).
    """
    if p.segments:
        return
    start = p.start
    legal = p.legal
    placements = p.placements
    first_ls = p.first_ls
    first_place = p.first_place
    instability = p.instability
    carer = 1
    moves: list[int] = []
    t = start
    stop = p.end
    if p.adopted:
        stop = min(stop, placements[-1][0])
    while True:
        in_care = t - start
        per_year = 2.9 if in_care < 90 else (0.16 if in_care < 730 else 0.07)
        rate = per_year * instability / 365.0
        t += 1 + int(rng.expovariate(rate))
        if t >= stop:
            break
        moves.append(t)

    # Merge the events day by day into segments.
    events: dict[int, list[Any]] = {}
    for day, ls in legal:
        events.setdefault(day, [None, None, None])[0] = ls
    for day, place, same in placements:
        slot = events.setdefault(day, [None, None, None])
        slot[1], slot[2] = place, same
    for day in moves:
        slot = events.setdefault(day, [None, None, None])
        if slot[1] is None:
            slot[1], slot[2] = "", False
    # A change of legal status sometimes brings a move on the same day (RNE B).
    for day, _ls in legal:
        if r() < 0.12 and events[day][1] is None:
            events[day][1], events[day][2] = "", False
    seg = _Segment(start, first_ls, first_place, carer, _draw(r, _PROVIDER[first_place]))
    p.segments.append(seg)
    for day in sorted(events):
        if day <= start or day >= p.end:
            continue
        ls, place, same = events[day]
        new_ls = seg.ls if ls is None else ls
        new_place, new_carer, provider = seg.place, seg.carer, seg.provider
        if place is not None:
            lapsed = False
            if place == "":
                place = _new_place(r, day - dob_o, day, k3_from, p.kind == _ADOPTION)
            elif same and seg.place not in _SAME_CARER_FROM.get(place, ()):
                # The child has moved on from the carer this change was meant for: an adoption
                # is then with new adopters, and a foster placement turning long-term lapses.
                if place in ("A3", "A5"):
                    place, same = ("A4" if place == "A3" else "A6"), False
                else:
                    lapsed = True
            if not lapsed and (not same or place != seg.place):
                new_place = place
                new_carer = seg.carer if same else seg.carer + 1
                keep = same and r() < 0.9 and not place.startswith("A")
                provider = seg.provider if keep else _draw(r, _PROVIDER[place])
        if new_ls == seg.ls and new_place == seg.place and new_carer == seg.carer:
            continue
        seg = _Segment(day, new_ls, new_place, new_carer, provider)
        p.segments.append(seg)


def _rne(prev: _Segment, seg: _Segment) -> str:
    """The reason for the new episode, from what changed."""
    ls_changed = prev.ls != seg.ls
    if prev.carer != seg.carer:
        return "B" if ls_changed else "P"
    if prev.place != seg.place:
        return "U" if ls_changed else "T"
    return "L"


def _plan_short_breaks(r: Callable[[], float], start: int, eighteen: int) -> list[_PeriodPlan]:
    """A child's short breaks: a series of V3 breaks (each its own episode, at most 17 days,
    at most 75 days in any 12 months) or one V4 agreement episode."""
    stop = min(eighteen, start + 365 + int(r() * 1500))
    place = "K2" if r() < 0.5 else "U6"
    provider = "PR1" if r() < 0.6 else "PR4"
    if r() < 0.3:
        p = _PeriodPlan(start, "V4")
        p.end = max(stop, start + 30)
        if p.end > eighteen:
            p.end = eighteen
        p.reason = "E8"
        p.segments.append(_Segment(start, "V4", place, 1, provider))
        return [p]
    out: list[_PeriodPlan] = []
    t = start
    recent: list[tuple[int, int]] = []  # (start, length) of the breaks of the last 365 days
    while t < stop:
        length = 1 + int(r() * 4)
        recent = [(s, n) for s, n in recent if s > t - 365]
        if sum(n for _, n in recent) + length <= 70:
            p = _PeriodPlan(t, "V3")
            p.end = t + length
            if p.end >= eighteen:
                break
            p.reason = "E4A"
            p.segments.append(_Segment(t, "V3", place, 1, provider))
            out.append(p)
            recent.append((t, length))
        t += length + 14 + int(r() * 30)
    if not out:
        p = _PeriodPlan(start, "V3")
        p.end = start + 2
        p.reason = "E4A"
        p.segments.append(_Segment(start, "V3", place, 1, provider))
        out.append(p)
    return out
