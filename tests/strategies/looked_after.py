"""Hypothesis strategies for SSDA903 episode histories, valid and deliberately broken.

A valid history is one child's periods of care: each starts with an RNE ``S`` episode, its
episodes join on the same date (the earlier ends, with reason X1, on the day the later starts),
each RNE is consistent with what changed (L: legal status only; P/T: placement only; B/U: both),
the periods do not overlap, and only the last one may be open.
"""

from __future__ import annotations

import datetime as dt
import random

import attrs
from hypothesis import strategies as st

from csc_indicators import Child, Episode

FIRST = dt.date(2017, 1, 1)
LAST = dt.date(2025, 12, 31)

LEGAL = ("C1", "C2", "D1", "E1", "V2", "L1", "J1")
SHORT_BREAK = ("V3", "V4")
PLACES = ("U1", "U3", "U4", "U6", "R1", "K2", "P1", "H5", "Z1", "S1", "A3", "A4", "A5", "A6")
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
LEAVING = ("E4A", "E11", "E45", "E13", "E12", "E8", "E4B", "E46", "E2", "E3", "E5", "E17")
RNE_CHANGES = {
    "L": (True, False),
    "P": (False, True),
    "T": (False, True),
    "B": (True, True),
    "U": (True, True),
}

child_ids = st.integers(min_value=1, max_value=9999).map(lambda n: f"C{n:04d}")


def _other(draw: st.DrawFn, choices: tuple[str, ...], current: str) -> str:
    return draw(st.sampled_from([c for c in choices if c != current]))


@st.composite
def history(
    draw: st.DrawFn,
    child_id: str | None = None,
    *,
    max_periods: int = 3,
    max_episodes: int = 6,
    short_breaks: bool = True,
    temporary: bool = True,
    start: dt.date = FIRST,
) -> list[Episode]:
    """One child's valid episodes (in date order)."""
    cid = child_id if child_id is not None else draw(child_ids)
    places = PLACES + (TEMPORARY if temporary else ())
    episodes: list[Episode] = []
    day = draw(st.dates(min_value=start, max_value=start + dt.timedelta(days=900)))
    n_periods = draw(st.integers(1, max_periods))
    for p in range(n_periods):
        legal = draw(st.sampled_from(LEGAL + (SHORT_BREAK if short_breaks else ())))
        place = draw(st.sampled_from(places))
        rne = "S"
        n_episodes = draw(st.integers(1, max_episodes))
        # Some periods of care end in adoption: the last episode moves into a placement for
        # adoption (B into A4/A6 with new carers, U into A3/A5 with the foster carer) under a
        # placement or freeing order, and ceases with E11 or E12.
        adoptive = n_episodes >= 2 and legal not in SHORT_BREAK and draw(st.integers(0, 3)) == 0
        for k in range(n_episodes):
            length = draw(st.integers(1, 500))
            end: dt.date | None = day + dt.timedelta(days=length)
            last_of_period = k == n_episodes - 1
            last_overall = last_of_period and p == n_periods - 1
            if (last_overall and draw(st.booleans())) or (end is not None and end > LAST):
                end = None  # open: the last episode of the history
            rec = None
            if end is not None:
                leaving = ("E11", "E12") if adoptive else LEAVING
                rec = draw(st.sampled_from(leaving)) if last_of_period else "X1"
            episodes.append(Episode(cid, day, rne, legal, place, end, rec))
            if end is None:
                return episodes
            if last_of_period:
                day = end + dt.timedelta(days=draw(st.integers(1, 800)))
                break
            day = end
            rne = draw(st.sampled_from(sorted(RNE_CHANGES)))
            ls_changes, place_changes = RNE_CHANGES[rne]
            if legal in SHORT_BREAK:
                # Keep a short-break period of care on short breaks: only the placement moves.
                rne = draw(st.sampled_from(["P", "T"]))
                ls_changes, place_changes = False, True
            if adoptive and k + 1 == n_episodes - 1:
                rne = draw(st.sampled_from(["B", "U"]))
                legal = "D1" if legal == "E1" else "E1"
                choices = ("A4", "A6") if rne == "B" else ("A3", "A5")
                place = _other(draw, choices, place)
                continue
            if ls_changes:
                legal = _other(draw, LEGAL, legal)
            if place_changes:
                place = _other(draw, places, place)
    return episodes


@st.composite
def histories(
    draw: st.DrawFn, *, min_children: int = 0, max_children: int = 6, **kwargs: object
) -> list[Episode]:
    """Valid episodes of several distinct children, shuffled."""
    ids = draw(st.lists(child_ids, min_size=min_children, max_size=max_children, unique=True))
    out: list[Episode] = []
    for cid in ids:
        out.extend(draw(history(cid, **kwargs)))  # type: ignore[arg-type]
    draw(st.randoms(use_true_random=False)).shuffle(out)
    return out


@st.composite
def children_for(draw: st.DrawFn, episodes: list[Episode]) -> list[Child]:
    """A Child record (date of birth, UASC flag) for each child in ``episodes``."""
    out = []
    for cid in sorted({e.child_id for e in episodes}):
        first = min(e.start_date for e in episodes if e.child_id == cid)
        dob = draw(st.dates(min_value=first - dt.timedelta(days=17 * 365), max_value=first))
        uasc = draw(st.booleans())
        out.append(Child(cid, dob, uasc=uasc))
    return out


def split_with_legal_change(episodes: list[Episode], rnd: random.Random) -> list[Episode] | None:
    """Split one episode that lasts at least two days in two at an inner date; the second
    part has RNE L (a change of legal status only, among C1/C2/V2 when the status was one of
    them). ``None`` when no episode can be split."""
    candidates = [
        i
        for i, e in enumerate(episodes)
        if e.end_date is None or (e.end_date - e.start_date).days >= 2
    ]
    if not candidates:
        return None
    i = rnd.choice(candidates)
    e = episodes[i]
    span = 400 if e.end_date is None else (e.end_date - e.start_date).days - 1
    cut = e.start_date + dt.timedelta(days=rnd.randint(1, span))
    legal = e.legal_status
    if legal in ("C1", "C2", "V2"):
        legal = rnd.choice([x for x in ("C1", "C2", "V2") if x != legal])
    first = attrs.evolve(e, end_date=cut, reason_ceased="X1")
    second = Episode(e.child_id, cut, "L", legal, e.placement, e.end_date, e.reason_ceased)
    return [*episodes[:i], first, second, *episodes[i + 1 :]]


# -- deliberately broken histories ----------------------------------------------------------

BREAKS = ("gap", "overlap", "end_before_start", "duplicate")


@st.composite
def broken_history(draw: st.DrawFn, child_id: str | None = None) -> tuple[str, list[Episode]]:
    """A valid history of at least two episodes with one defect: a gap inside a chain, an
    overlap, an episode ending before it starts, or a duplicated episode."""
    eps = draw(history(child_id, max_periods=2, max_episodes=4).filter(lambda h: len(h) >= 2))
    kind = draw(st.sampled_from(BREAKS))
    if kind == "duplicate":
        i = draw(st.integers(0, len(eps) - 1))
        return kind, [*eps, eps[i]]
    if kind == "end_before_start":
        i = draw(st.integers(0, len(eps) - 1))
        e = eps[i]
        back = dt.timedelta(days=draw(st.integers(1, 30)))
        eps[i] = attrs.evolve(e, end_date=e.start_date - back)
        return kind, eps
    i = draw(st.integers(1, len(eps) - 1))
    prev, e = eps[i - 1], eps[i]
    assert prev.end_date is not None
    if kind == "gap":
        shift = draw(st.integers(1, 30))
        new_end = None if e.end_date is None else e.end_date + dt.timedelta(days=shift)
        eps[i] = attrs.evolve(
            e,
            start_date=e.start_date + dt.timedelta(days=shift),
            end_date=new_end,
            reason_new_episode="P" if e.reason_new_episode == "S" else e.reason_new_episode,
        )
        eps[i - 1] = attrs.evolve(prev, reason_ceased="X1")
        return kind, eps
    # overlap: the later episode starts before the earlier one ends
    length = (prev.end_date - prev.start_date).days
    if length < 2:
        # Too short to start the next one inside it: stretch it past the next one's start.
        eps[i - 1] = attrs.evolve(prev, end_date=e.start_date + dt.timedelta(days=1))
    else:
        eps[i] = attrs.evolve(e, start_date=prev.end_date - dt.timedelta(days=1))
    return kind, eps


unknown_codes = st.sampled_from(
    [
        ("reason_new_episode", "X"),
        ("legal_status", "V1"),
        ("placement", "Q9"),
        ("reason_ceased", "E99"),
    ]
)
"""A field of :class:`Episode` and a value no supported collection year accepts."""


# -- whole SSDA903 bundles -------------------------------------------------------------------

_REVIEW_CODES = ("PN0", "PN1", "PN3", "PN7")
_IN_TOUCH = ("YES", "YES", "YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
_ACTIV = ("F1", "P1", "F2", "P2", "F3", "F4", "P5", "G4", "G5", "G6", "0")
_ACCOM = ("B1", "B2", "D1", "E2", "U1", "U2", "X2", "Z1", "0")


@st.composite
def child_records(draw: st.DrawFn, child_id: str) -> dict[str, list[object]]:
    """Every kind of SSDA903 record for one child, consistent enough to exercise each rule."""
    from csc_indicators import (
        AdoptionRecord,
        CareLeaverRecord,
        HealthAssessment,
        HealthOutcomeRecord,
        LookedAfterReview,
        MissingEpisode,
    )

    eps = draw(history(child_id))
    first = eps[0].start_date
    last = max((e.end_date or e.start_date) for e in eps) + dt.timedelta(days=60)
    dates = st.dates(min_value=first - dt.timedelta(days=30), max_value=last)
    dob = draw(st.dates(min_value=first - dt.timedelta(days=17 * 365), max_value=first))
    out: dict[str, list[object]] = {
        "episodes": list(eps),
        "children": [
            Child(child_id, dob, uasc=draw(st.booleans()), uasc_ceased=draw(st.none() | dates))
        ],
        "reviews": [],
        "health_assessments": [
            HealthAssessment(child_id, d) for d in draw(st.lists(dates, max_size=1))
        ],
        "missing": [
            MissingEpisode(
                child_id,
                draw(st.sampled_from(["M", "A"])),
                d,
                draw(st.none() | st.just(d + dt.timedelta(days=1))),
            )
            for d in draw(st.lists(dates, max_size=3))
        ],
        "adoptions": [],
        "health_outcomes": [],
        "care_leavers": [],
    }
    # Reviews and initial health assessments near each start, mostly on time.
    for e in eps:
        if e.reason_new_episode != "S":
            continue
        if draw(st.booleans()):
            out["health_assessments"].append(
                HealthAssessment(
                    child_id, e.start_date + dt.timedelta(days=draw(st.integers(0, 40)))
                )
            )
        review = e.start_date + dt.timedelta(days=draw(st.integers(5, 35)))
        gaps = st.integers(60, 100)
        for _ in range(draw(st.integers(0, 6))):
            out["reviews"].append(
                LookedAfterReview(child_id, review, draw(st.sampled_from(_REVIEW_CODES)))
            )
            review += dt.timedelta(days=draw(gaps))
            gaps = st.integers(150, 200)
    # An AD1 record matching around the placement order, for adopted children.
    authority = next((e.start_date for e in eps if e.legal_status in ("E1", "D1")), None)
    adopted = any(e.reason_ceased in ("E11", "E12") for e in eps)
    if adopted or draw(st.booleans()):
        anchor = authority or first
        match = draw(st.none() | st.integers(-60, 400).map(lambda n: anchor + dt.timedelta(days=n)))
        out["adoptions"].append(
            AdoptionRecord(
                child_id, draw(st.none() | dates), match, draw(st.none() | st.booleans())
            )
        )
    flags = st.none() | st.booleans()
    if draw(st.booleans()):
        out["health_outcomes"].append(HealthOutcomeRecord(child_id, draw(flags), draw(flags)))
    if draw(st.booleans()):
        leaver_dob = draw(
            st.dates(
                min_value=D0 - dt.timedelta(days=22 * 366),
                max_value=D0 - dt.timedelta(days=16 * 365),
            )
        )
        out["care_leavers"].append(
            CareLeaverRecord(
                child_id,
                leaver_dob,
                draw(st.sampled_from(_IN_TOUCH)),
                draw(st.sampled_from(_ACTIV)),
                draw(st.sampled_from(_ACCOM)),
            )
        )
    return out


D0 = dt.date(2022, 3, 31)
"""The end of the financial year the bundle tests use most (2021-22)."""

RECORD_KINDS = (
    "episodes",
    "children",
    "reviews",
    "health_assessments",
    "missing",
    "adoptions",
    "health_outcomes",
    "care_leavers",
)


@st.composite
def lac_bundles(draw: st.DrawFn, *, max_children: int = 5) -> dict[str, list[object]]:
    """Records of every kind for several distinct children, by kind (in child order)."""
    ids = draw(st.lists(child_ids, max_size=max_children, unique=True))
    out: dict[str, list[object]] = {k: [] for k in RECORD_KINDS}
    for cid in ids:
        for k, v in draw(child_records(cid)).items():
            out[k].extend(v)
    return out
