"""Strategies for bundles that the return writers can write and the readers read back exactly.

The CIN bundles are built one referral at a time (each referral holds either section 47
enquiries or one transfer-in conference, as the census does); the looked-after bundles give every
child a :class:`~csc_indicators.Child` record and at most one AD1, OC2, OC3 and PrevPerm record
(as the SSDA903 XML form holds), with no exact repeats (the readers load repeats once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from csc_indicators import (
    AdoptionRecord,
    Assessment,
    Bundle,
    CareLeaverRecord,
    Child,
    ChildProtectionPlan,
    CinChild,
    Episode,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    Period,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47,
    TransferInConference,
)
from csc_indicators.codes import CIN, SSDA903, SSDA903_BY_YEAR

FIRST = dt.date(2019, 4, 1)
LAST = dt.date(2023, 3, 31)
days = st.dates(min_value=FIRST, max_value=LAST)
maybe_days = st.none() | days
ids = st.from_regex(r"[A-Z]{1,3}[0-9]{1,6}", fullmatch=True)
districts = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True)


def cin_codes(item: str) -> st.SearchStrategy[str | None]:
    """A CIN census code of ``item`` (any supported year's), or ``None``."""
    return st.none() | st.sampled_from(sorted(CIN[item]))


def codes(
    field: str, *, optional: bool = False, year: int | None = None, every_year: bool = False
) -> st.SearchStrategy[Any]:
    """A code of ``field``: of the list of collection ``year`` when given, of every supported
    year's list when ``every_year`` (a code no year refuses), else of their union. Codes of the
    wrong year are reported by the reader (kind ``code year``), so valid data uses these."""
    if year is not None:
        pool = SSDA903_BY_YEAR[year][field]
    elif every_year:
        pool = frozenset.intersection(*(y[field] for y in SSDA903_BY_YEAR.values()))
    else:
        pool = SSDA903[field]
    values = st.sampled_from(sorted(pool))
    return st.none() | values if optional else values


@st.composite
def cin_child(draw: st.DrawFn, child_id: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {
        k: []
        for k in ("referrals", "assessments", "section47s", "transfer_ins", "plans", "cin_children")
    }
    out["cin_children"].append(
        CinChild(
            child_id,
            draw(st.none() | st.dates(min_value=dt.date(2002, 1, 1), max_value=LAST)),
            draw(cin_codes("Sex")),
            draw(cin_codes("Ethnicity")),
            tuple(draw(st.lists(st.sampled_from(sorted(CIN["Disability"])), unique=True))),
        )
    )
    for _ in range(draw(st.integers(1, 3))):
        out["referrals"].append(
            Referral(
                child_id,
                draw(days),
                draw(maybe_days),
                draw(cin_codes("ReasonForClosure")),
                draw(st.booleans()),
                referral_source=draw(cin_codes("ReferralSource")),
                primary_need=draw(cin_codes("PrimaryNeedCode")),
            )
        )
        for _ in range(draw(st.integers(0, 2))):
            out["assessments"].append(Assessment(child_id, draw(days), draw(maybe_days)))
        if draw(st.booleans()):
            for _ in range(draw(st.integers(0, 2))):
                out["section47s"].append(
                    Section47(child_id, draw(days), draw(maybe_days), draw(st.booleans()))
                )
        elif draw(st.booleans()):
            out["transfer_ins"].append(TransferInConference(child_id, draw(days)))
        for _ in range(draw(st.integers(0, 1))):
            out["plans"].append(
                ChildProtectionPlan(
                    child_id,
                    draw(days),
                    draw(maybe_days),
                    tuple(draw(st.lists(days, max_size=3))),
                    draw(st.none() | st.integers(0, 20)),
                )
            )
    return out


@st.composite
def cin_bundles(draw: st.DrawFn) -> Bundle:
    """A bundle of CIN records for up to five children."""
    children = draw(st.lists(ids, min_size=0, max_size=5, unique=True))
    fields: dict[str, list[Any]] = {
        k: []
        for k in ("referrals", "assessments", "section47s", "transfer_ins", "plans", "cin_children")
    }
    for child_id in children:
        for k, v in draw(cin_child(child_id)).items():
            fields[k].extend(v)
    return Bundle(**{k: tuple(v) for k, v in fields.items()})


@st.composite
def episodes_of(draw: st.DrawFn, child_id: str) -> list[Episode]:
    starts = sorted(draw(st.lists(days, min_size=1, max_size=4, unique=True)))
    out = []
    for i, start in enumerate(starts):
        if i + 1 < len(starts):
            end: dt.date | None = starts[i + 1]
            rec: str | None = draw(codes("REC"))
        else:
            end = draw(st.none() | st.dates(min_value=start, max_value=LAST))
            rec = None if end is None else draw(codes("REC"))
        out.append(
            Episode(
                child_id,
                start,
                draw(codes("RNE")),
                draw(codes("LS")),
                draw(codes("PLACE", year=Period.financial_year_of(start).start.year)),
                end,
                rec,
                draw(codes("PLACE_PROVIDER", optional=True)),
                None if end is None else draw(codes("REASON_PLACE_CHANGE", optional=True)),
                draw(codes("CIN", optional=True)),
                placement_postcode_district=draw(st.none() | districts),
            )
        )
    return out


@st.composite
def looked_after_bundles(draw: st.DrawFn) -> Bundle:
    """A bundle of SSDA903 records for up to five children, every kind supplied."""
    children = draw(st.lists(ids, min_size=0, max_size=5, unique=True))
    f: dict[str, list[Any]] = {
        k: []
        for k in (
            "children",
            "episodes",
            "reviews",
            "adoptions",
            "placed_for_adoption",
            "previous_permanence",
            "health_outcomes",
            "care_leavers",
            "missing",
        )
    }
    for child_id in children:
        dob = draw(st.dates(min_value=dt.date(2002, 1, 1), max_value=dt.date(2019, 1, 1)))
        uasc = draw(st.booleans())
        f["children"].append(
            Child(
                child_id,
                dob,
                draw(codes("SEX", optional=True)),
                draw(maybe_days) if uasc else None,
                uasc,
                draw(codes("ETHNIC", optional=True)),
            )
        )
        f["episodes"].extend(draw(episodes_of(child_id)))
        for day in draw(st.lists(days, max_size=3, unique=True)):
            f["reviews"].append(
                LookedAfterReview(child_id, day, draw(codes("REVIEW_CODE", optional=True)))
            )
        for day in draw(st.lists(days, max_size=2, unique=True)):
            f["missing"].append(
                MissingEpisode(child_id, draw(codes("MISSING")), day, draw(maybe_days))
            )
        for day in draw(st.lists(days, max_size=2, unique=True)):
            f["placed_for_adoption"].append(
                PlacedForAdoption(
                    child_id,
                    day,
                    draw(maybe_days),
                    draw(codes("REASON_PLACED_CEASED", optional=True)),
                )
            )
        if draw(st.booleans()):
            f["adoptions"].append(
                AdoptionRecord(
                    child_id, draw(days), draw(maybe_days), draw(st.none() | st.booleans())
                )
            )
        if draw(st.booleans()):
            f["previous_permanence"].append(
                PreviousPermanence(child_id, draw(codes("PREV_PERM")), draw(maybe_days))
            )
        if draw(st.booleans()):
            flags = st.none() | st.booleans()
            f["health_outcomes"].append(
                HealthOutcomeRecord(
                    child_id,
                    draw(flags),
                    draw(flags),
                    draw(flags),
                    draw(flags),
                    draw(st.none() | st.integers(0, 40)),
                    draw(flags),
                    draw(flags),
                    dob,
                )
            )
        if draw(st.booleans()):
            f["care_leavers"].append(
                CareLeaverRecord(
                    child_id,
                    dob,
                    draw(codes("IN_TOUCH")),
                    draw(codes("ACTIV", every_year=True)),
                    draw(codes("ACCOM")),
                )
            )
    return Bundle(**{k: tuple(v) for k, v in f.items()})
