"""Synthetic case histories: internally consistent, plausible CIN census and SSDA903 records at
any scale, for tests, benchmarks and the shipped example data.

:func:`generate` returns a :class:`~csc_indicators.bundle.Bundle` of typed records for a chosen
scale and span of financial years; :func:`iter_children` yields the same records one child at a
time (a :class:`ChildRecords` each), so that England-scale output can be streamed to files in
bounded memory. The same arguments always give the same records.

Scale 1.0 (:data:`LARGE_AUTHORITY`) is a large authority: about 10,000 referrals a year, about
1,230 children looked after on each 31 March and 1,750 at some time in each year.
:data:`ENGLAND` (65) is about the national volume; :data:`SMALL_AUTHORITY` (0.03) is a few
hundred children. Every child's id is synthetic (``SYNC0000001`` for children in need,
``SYNL0000001`` for looked-after children and care leavers); there are no names and no unique
pupil numbers.

What is generated, the distributions and what is not modelled are described in
``docs/synthetic-data.md``. In short:

* Children in need: chains of referrals per child (about a fifth of referrals follow a previous
  one within 12 months), each with its assessment, section 47 enquiry, initial conference,
  child protection plan and closure as the case needs; timings in working days of the England
  and Wales calendar.
* Looked-after children: periods of care made of episodes that join on the same date (REC X1),
  with the reason for each new episode derived from what changed (legal status, placement,
  carer), adoption journeys, returns to care, short breaks (V3 and V4), reviews, initial health
  assessments, missing incidents, and the OC2 and OC3 records of the final year.
"""

from __future__ import annotations

import datetime as _dt
import gc
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TypeVar

import attrs

from ..bundle import RECORD_FIELDS, Bundle, SourceInfo
from ..calendar import WorkingDayCalendar, default_calendar
from ..records import (
    AdoptionRecord,
    Assessment,
    CareLeaverRecord,
    Child,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47,
    TransferInConference,
)

__all__ = [
    "ENGLAND",
    "LARGE_AUTHORITY",
    "SMALL_AUTHORITY",
    "ChildRecords",
    "generate",
    "iter_children",
]

SMALL_AUTHORITY: Final = 0.03
"""A small authority: a few hundred children (the shipped example data uses it over 3 years)."""

LARGE_AUTHORITY: Final = 1.0
"""A large authority: about 10,000 referrals a year and 1,230 children looked after on 31 March
(1,750 at some time in the year)."""

ENGLAND: Final = 65.0
"""About England: 650,000 referrals a year and 80,000 children looked after on 31 March."""

# -- calibration (scale 1.0, per financial year) -----------------------------------------------
# Chains of referrals (one per child) that start each year; follow-up referrals add to them.
_CIN_CHAINS_PER_YEAR: Final = 6_900.0
# Periods of care started each year by children new to care (returns to care add to them).
_LAC_ENTRANTS_PER_YEAR: Final = 485.0
# Children receiving a series of short breaks (V3 or V4) who start each year.
_SHORT_BREAK_ENTRANTS_PER_YEAR: Final = 12.0

T = TypeVar("T")


# -- records of one child ------------------------------------------------------------------


@attrs.define(slots=True)
class ChildRecords:
    """Every record of one synthetic child, by :class:`~csc_indicators.bundle.Bundle` field.

    A child in need has referrals, assessments, section 47 enquiries, transfer-in conferences
    and plans; a looked-after child (or care leaver) has the SSDA903 kinds. Fields a child has
    no records of are empty tuples.
    """

    child_id: str
    """The synthetic id shared by all the child's records."""
    referrals: Sequence[Referral] = ()
    assessments: Sequence[Assessment] = ()
    section47s: Sequence[Section47] = ()
    transfer_ins: Sequence[TransferInConference] = ()
    plans: Sequence[ChildProtectionPlan] = ()
    children: Sequence[Child] = ()
    episodes: Sequence[Episode] = ()
    reviews: Sequence[LookedAfterReview] = ()
    adoptions: Sequence[AdoptionRecord] = ()
    placed_for_adoption: Sequence[PlacedForAdoption] = ()
    previous_permanence: Sequence[PreviousPermanence] = ()
    health_assessments: Sequence[HealthAssessment] = ()
    health_outcomes: Sequence[HealthOutcomeRecord] = ()
    care_leavers: Sequence[CareLeaverRecord] = ()
    missing: Sequence[MissingEpisode] = ()

    def to_bundle(self) -> Bundle:
        """This child's records as a bundle (every kind supplied)."""
        return Bundle(**{name: tuple(getattr(self, name)) for name in RECORD_FIELDS})


# -- fast record construction ---------------------------------------------------------------


def _unchecked_builder(cls: type[T]) -> Callable[..., T]:
    """A constructor with the class's own parameters (in field order, with the same defaults)
    that skips the field checks.

    The generator only ever passes values of the right type and code list (the tests rebuild
    every record through the checking constructor and compare), so the checks are redundant
    here and cost about half the construction time at England scale. The function is generated
    once per class, setting each slot directly.
    """
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_missing": attrs.NOTHING}
    params: list[str] = []
    body: list[str] = []
    for i, field in enumerate(attrs.fields(cls)):  # type: ignore[arg-type]
        name = field.name
        default = field.default
        if default is attrs.NOTHING:
            params.append(name)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_f{i}"] = default.factory
            params.append(f"{name}=_missing")
            body.append(f"    if {name} is _missing: {name} = _f{i}()")
        else:
            namespace[f"_d{i}"] = default
            params.append(f"{name}=_d{i}")
        namespace[f"_s{i}"] = cls.__dict__[name].__set__
        body.append(f"    _s{i}(o, {name})")
    source = (
        f"def build({', '.join(params)}):\n    o = _new(_cls)\n"
        + "\n".join(body)
        + "\n    return o\n"
    )
    exec(source, namespace)
    built: Callable[..., T] = namespace["build"]
    return built


_RECORD_TYPES: Final = (
    Referral,
    Assessment,
    Section47,
    TransferInConference,
    ChildProtectionPlan,
    Child,
    Episode,
    LookedAfterReview,
    AdoptionRecord,
    PlacedForAdoption,
    HealthAssessment,
    HealthOutcomeRecord,
    CareLeaverRecord,
    MissingEpisode,
)
_UNCHECKED: Final[dict[type, Callable[..., Any]]] = {
    cls: _unchecked_builder(cls) for cls in _RECORD_TYPES
}


class _Make:
    """The record constructors in use: checking (the classes) or unchecked (fast)."""

    __slots__ = (
        "adoption",
        "assessment",
        "care_leaver",
        "child",
        "episode",
        "health_assessment",
        "health_outcome",
        "missing",
        "placed",
        "plan",
        "referral",
        "review",
        "s47",
        "transfer_in",
    )

    def __init__(self, check: bool) -> None:
        def pick(cls: type) -> Callable[..., Any]:
            return cls if check else _UNCHECKED[cls]

        self.referral = pick(Referral)
        self.assessment = pick(Assessment)
        self.s47 = pick(Section47)
        self.transfer_in = pick(TransferInConference)
        self.plan = pick(ChildProtectionPlan)
        self.child = pick(Child)
        self.episode = pick(Episode)
        self.review = pick(LookedAfterReview)
        self.adoption = pick(AdoptionRecord)
        self.placed = pick(PlacedForAdoption)
        self.health_assessment = pick(HealthAssessment)
        self.health_outcome = pick(HealthOutcomeRecord)
        self.care_leaver = pick(CareLeaverRecord)
        self.missing = pick(MissingEpisode)


# -- days -------------------------------------------------------------------------------------

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PAD_DAYS: Final = 4 * 366


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class _Days:
    """Day tables for one calendar, by date ordinal: shared ``date`` objects (every record
    refers to the same few thousand date objects) and working-day arithmetic.

    Built once per calendar from its public :meth:`~WorkingDayCalendar.is_working_day`; the
    tables run a few years past the calendar's last date (weekends only there) so that events
    computed beyond the data's end, which are then discarded, never fall off the table.
    """

    __slots__ = ("base", "cum", "dates", "first", "last", "work")

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        first = calendar.first_date.toordinal()
        last = calendar.last_date.toordinal()
        size = last - first + 1 + _PAD_DAYS
        dates = [_dt.date.fromordinal(first + i) for i in range(size)]
        cum = [0] * (size + 1)
        work: list[int] = []
        for i, day in enumerate(dates):
            cum[i] = len(work)
            if (first + i <= last and calendar.is_working_day(day)) or (
                first + i > last and day.weekday() < 5
            ):
                work.append(first + i)
        cum[size] = len(work)
        self.base = first
        self.first = first
        self.last = last
        self.dates = dates
        self.cum = cum
        self.work = work

    def date(self, o: int) -> _dt.date:
        """The (shared) date of ordinal ``o``."""
        i = o - self.base
        return self.dates[i] if i >= 0 else _dt.date.fromordinal(o)

    def add_wd(self, o: int, n: int) -> int:
        """The ``n``-th working day after ``o`` (``n >= 1``); ``o`` itself when ``n == 0``."""
        if n <= 0:
            return o
        return self.work[self.cum[o - self.base + 1] + n - 1]

    def next_wd(self, o: int) -> int:
        """The first working day on or after ``o``."""
        return self.work[self.cum[o - self.base]]

    def wd_between(self, a: int, b: int) -> int:
        """Working days after ``a`` up to and including ``b`` (``b >= a``)."""
        return self.cum[b - self.base + 1] - self.cum[a - self.base + 1]

    def add_months(self, o: int, months: int) -> int:
        """``o`` plus calendar months (the day clamped to the month's length)."""
        d = self.date(o)
        y, m = divmod(d.month - 1 + months, 12)
        year = d.year + y
        limit = 29 if m == 1 and _is_leap(year) else _DAYS_IN_MONTH[m]
        return _dt.date(year, m + 1, min(d.day, limit)).toordinal()


def _birthday(dob: _dt.date, years: int) -> int:
    """The ordinal of the ``years``-th birthday (29 February falls on 28 February)."""
    year = dob.year + years
    day = dob.day
    if dob.month == 2 and day == 29 and not _is_leap(year):
        day = 28
    return _dt.date(year, dob.month, day).toordinal()


_DAYS_CACHE: dict[WorkingDayCalendar, _Days] = {}


def _days_for(calendar: WorkingDayCalendar) -> _Days:
    days = _DAYS_CACHE.get(calendar)
    if days is None:
        days = _DAYS_CACHE[calendar] = _Days(calendar)
    return days


# -- categorical draws ----------------------------------------------------------------------


def _table(weights: dict[str, float], size: int = 1000) -> tuple[str, ...]:
    """A lookup table of ``size`` entries holding each code in proportion to its weight, so a
    draw is one index: ``table[int(random() * size)]``."""
    total = sum(weights.values())
    out: list[str] = []
    acc = 0.0
    for code, weight in weights.items():
        acc += weight
        while len(out) < round(acc / total * size):
            out.append(code)
    return tuple(out)


def _draw(rng_random: Callable[[], float], table: tuple[str, ...]) -> str:
    return table[int(rng_random() * len(table))]


# CIN census closure reasons: RC7 services ceased (child no longer in need), RC8 closed after
# assessment with no further action, RC9 closed after assessment and referred to early help,
# RC3 child arrangements order, RC4 special guardianship order, RC5 transferred to another
# authority, RC6 transferred to adult services.
_CLOSE_AFTER_ASSESSMENT: Final = _table({"RC8": 60, "RC9": 40})
_CLOSE_AFTER_SERVICES: Final = _table({"RC7": 88, "RC5": 6, "RC3": 3, "RC4": 2, "RC6": 1})

# SSDA903 placements by age band (U1-U6 foster care, K2 children's home, H5 semi-independent
# living, P1 placed with parents, P2 independent living, S1 residential school, R1 residential
# care home, K1 secure children's home, Z1 other).
_PLACE_UNDER_5: Final = _table({"U6": 60, "U3": 22, "P1": 8, "U5": 6, "U2": 3, "Z1": 1})
_PLACE_5_TO_9: Final = _table({"U6": 63, "U3": 20, "P1": 7, "K2": 6, "S1": 2, "Z1": 2})
_PLACE_10_TO_15: Final = _table(
    {"U6": 50, "U3": 11, "K2": 25, "P1": 5, "S1": 3, "R1": 2, "K1": 1, "Z1": 3}
)
_PLACE_16_17: Final = _table(
    {"U6": 30, "U3": 7, "K2": 18, "H5": 35, "P2": 4, "P1": 3, "R1": 1, "Z1": 2}
)
_PROVIDER: Final[dict[str, tuple[str, ...]]] = {
    "U1": _table({"PR1": 85, "PR4": 10, "PR5": 5}),
    "U2": _table({"PR1": 70, "PR4": 20, "PR5": 10}),
    "U3": _table({"PR1": 85, "PR4": 10, "PR5": 5}),
    "U4": _table({"PR1": 55, "PR4": 40, "PR5": 5}),
    "U5": _table({"PR1": 60, "PR4": 30, "PR5": 10}),
    "U6": _table({"PR1": 55, "PR4": 40, "PR5": 5}),
    "K1": _table({"PR1": 40, "PR2": 40, "PR4": 20}),
    "K2": _table({"PR4": 80, "PR1": 15, "PR5": 5}),
    "K3": _table({"PR4": 80, "PR1": 10, "PR5": 10}),
    "H5": _table({"PR4": 75, "PR1": 15, "PR5": 10}),
    "P1": _table({"PR0": 100}),
    "P2": _table({"PR1": 60, "PR4": 40}),
    "S1": _table({"PR4": 70, "PR5": 20, "PR3": 10}),
    "R1": _table({"PR4": 60, "PR3": 40}),
    "Z1": _table({"PR4": 50, "PR1": 50}),
    "A3": _table({"PR1": 80, "PR5": 20}),
    "A4": _table({"PR1": 80, "PR5": 20}),
    "A5": _table({"PR1": 80, "PR5": 20}),
    "A6": _table({"PR1": 70, "PR5": 30}),
}
_MOVE_REASON: Final = _table(
    {
        "CARPL": 40,
        "CREQB": 12,
        "CREQO": 10,
        "LAREQ": 10,
        "CHILD": 8,
        "STAND": 4,
        "CLOSE": 4,
        "ALLEG": 2,
        "APPRR": 2,
        "OTHER": 8,
    }
)
_CATEGORY_OF_NEED: Final = _table(
    {"N1": 66, "N2": 3, "N3": 3, "N4": 8, "N5": 13, "N6": 1, "N7": 1, "N8": 5}
)
_EXIT_SHORT: Final = _table(
    {"E4A": 58, "E13": 10, "E4B": 8, "E8": 10, "E41": 4, "E3": 4, "E47": 3, "E45": 3}
)
_EXIT_MEDIUM: Final = _table(
    {
        "E4A": 38,
        "E41": 10,
        "E45": 13,
        "E47": 10,
        "E46": 3,
        "E48": 2,
        "E13": 8,
        "E8": 7,
        "E3": 3,
        "E4B": 6,
    }
)
_EXIT_LONG: Final = _table(
    {"E45": 24, "E46": 10, "E47": 14, "E48": 3, "E41": 10, "E4A": 27, "E13": 6, "E8": 6}
)
_EXIT_AT_18: Final = _table({"E17": 24, "E5": 42, "E6": 10, "E8": 20, "E7": 4})
_AT_18_REASONS: Final = frozenset(_EXIT_AT_18)
_EXIT_16_17: Final = _table({"E5": 40, "E6": 10, "E4A": 25, "E13": 10, "E8": 15})
_EXIT_REMAND: Final = _table({"E14": 72, "E9": 28})
_RETURNABLE_EXITS: Final = frozenset({"E4A", "E4B", "E13", "E8", "E14"})
_REVIEW_CODE: Final = _table(
    {"PN1": 62, "PN2": 8, "PN3": 6, "PN4": 8, "PN5": 4, "PN6": 6, "PN7": 6}
)
_IN_TOUCH: Final = _table({"YES": 93, "NO": 3.5, "REFU": 2, "NREQ": 1.2, "DIED": 0.3})
_ACTIVITY: Final = _table(
    {
        "F1": 5,
        "P1": 1,
        "F2": 22,
        "P2": 3,
        "F4": 10,
        "P4": 15,
        "F5": 2,
        "P5": 2,
        "G4": 14,
        "G5": 14,
        "G6": 12,
    }
)
_ACTIVITY_BEFORE_2021: Final = {"F4": "F3", "F5": "F3", "P4": "P3", "P5": "P3"}
_ACCOMMODATION: Final = _table(
    {
        "U": 32,
        "Z": 9,
        "B": 12,
        "D": 15,
        "E": 6,
        "K": 4,
        "T": 3,
        "C": 2,
        "X": 3,
        "S": 1,
        "V": 1.5,
        "W": 1,
        "Y": 10,
        "G": 0.5,
    }
)
_UNSUITABLE_ACCOMMODATION: Final = frozenset({"S", "V", "W", "X"})
_CARE_LEAVER_EXITS: Final = frozenset(
    {"E5", "E6", "E7", "E8", "E17", "E4A", "E4B", "E13", "E9", "E14", "E3", "E41"}
)

# Period-of-care kinds chosen at entry by age band (under 1, 1-4, 5-9, 10-15, 16-17).
_SHORT, _MEDIUM, _LONG, _ADOPTION, _REMAND, _UASC = (
    "short",
    "medium",
    "long",
    "adopt",
    "remand",
    "uasc",
)
_KIND_BY_AGE: Final = (
    _table({_ADOPTION: 38, _SHORT: 16, _MEDIUM: 27, _LONG: 19}),
    _table({_ADOPTION: 26, _SHORT: 22, _MEDIUM: 28, _LONG: 24}),
    _table({_SHORT: 27, _MEDIUM: 31, _LONG: 42}),
    _table({_SHORT: 33, _MEDIUM: 22, _LONG: 35, _REMAND: 6, _UASC: 4}),
    _table({_SHORT: 27, _MEDIUM: 14, _LONG: 27, _REMAND: 7, _UASC: 25}),
)
# Age at entry: under 1, 1-4, 5-9, 10-15, 16-17 (roughly England's starters).
_ENTRY_BAND: Final = _table({"0": 19, "1": 14, "2": 14, "3": 33, "4": 20})
_BAND_SPAN: Final = (
    (0, 365),
    (365, 5 * 365),
    (5 * 365, 10 * 365),
    (10 * 365, 16 * 365),
    (16 * 365, 18 * 365 - 20),
)


def _age_band(age_days: int) -> int:
    if age_days < 365:
        return 0
    if age_days < 5 * 365:
        return 1
    if age_days < 10 * 365:
        return 2
    if age_days < 16 * 365:
        return 3
    return 4


_PLACE_BY_BAND: Final = (
    _PLACE_UNDER_5,
    _PLACE_UNDER_5,
    _PLACE_5_TO_9,
    _PLACE_10_TO_15,
    _PLACE_16_17,
)


# -- the generator --------------------------------------------------------------------------


class _Window:
    """The span of the data: ordinals of its first and last day and the look-back start."""

    __slots__ = ("end", "first_year", "last_year", "start")

    def __init__(self, first_year: int, years: int) -> None:
        self.first_year = first_year
        self.last_year = first_year + years - 1
        self.start = _dt.date(first_year, 4, 1).toordinal()
        self.end = _dt.date(first_year + years, 3, 31).toordinal()


def _check_arguments(
    scale: float, first_year: int, years: int, calendar: WorkingDayCalendar
) -> None:
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ValueError(f"years must be a whole number of at least 1, got {years!r}")
    if isinstance(first_year, bool) or not isinstance(first_year, int):
        raise ValueError(f"first_year must be a whole number, got {first_year!r}")
    earliest = calendar.first_date.year + 3
    if first_year < earliest:
        raise ValueError(
            f"first_year {first_year} is too early: the history before it needs working days "
            f"from {calendar.first_date.year} onwards (first_year must be {earliest} or later)"
        )
    if _dt.date(first_year + years, 3, 31) > calendar.last_date:
        raise ValueError(
            f"the years {first_year}-{first_year + years - 1} end after the calendar's last "
            f"date {calendar.last_date.isoformat()}"
        )


def iter_children(
    scale: float = 1.0,
    *,
    first_year: int = 2020,
    years: int = 5,
    seed: int = 0,
    calendar: WorkingDayCalendar | None = None,
    check: bool = False,
) -> Iterator[ChildRecords]:
    """Yield the synthetic records one child at a time (children in need first, then
    looked-after children and care leavers), in a fixed order.

    Takes the arguments of :func:`generate`; collecting every child's records gives exactly
    ``generate(...)``'s bundle. Memory stays bounded by one child's records, so the output can
    be written to files at any scale.
    """
    cal = default_calendar() if calendar is None else calendar
    _check_arguments(scale, first_year, years, cal)
    days = _days_for(cal)
    window = _Window(first_year, years)
    make = _Make(check)
    yield from _cin_children(random.Random(f"csc-synthetic/{seed}/cin"), scale, days, window, make)
    yield from _lac_children(random.Random(f"csc-synthetic/{seed}/lac"), scale, days, window, make)


def generate(
    scale: float = 1.0,
    *,
    first_year: int = 2020,
    years: int = 5,
    seed: int = 0,
    calendar: WorkingDayCalendar | None = None,
    check: bool = False,
) -> Bundle:
    """Generate a synthetic authority's records as a :class:`~csc_indicators.bundle.Bundle`.

    Args:
        scale: the size: 1.0 is a large authority (about 10,000 referrals and 1,230
            children looked after on 31 March a year), :data:`ENGLAND` (65) about England,
            :data:`SMALL_AUTHORITY` (0.03) a small authority. Volumes are proportional.
        first_year: the first financial year of the data (2020 = 2020-21).
        years: how many financial years; the data ends on 31 March of the last. Children in
            need also have the year before ``first_year`` (so re-referrals can be looked back
            on), and children looked after during the years have their whole care history.
        seed: the random seed; the same arguments always give the same bundle.
        calendar: the working-day calendar for timings (default England and Wales).
        check: build every record through its checking constructor (slower; the default
            builds them directly, as the generator only produces valid values).

    Raises:
        ValueError: a scale that is not positive, fewer than one year, or years outside the
            calendar's range.
    """
    buckets: dict[str, list[Any]] = {name: [] for name in RECORD_FIELDS}
    cin_fields = ("referrals", "assessments", "section47s", "transfer_ins", "plans")
    lac_fields = tuple(n for n in RECORD_FIELDS if n not in cin_fields)
    cin_lists = [(n, buckets[n]) for n in cin_fields]
    lac_lists = [(n, buckets[n]) for n in lac_fields]
    # The records hold no reference cycles; pausing the cyclic garbage collector while
    # millions of them are made saves about a quarter of the time at England scale.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for group in iter_children(
            scale, first_year=first_year, years=years, seed=seed, calendar=calendar, check=check
        ):
            lists = cin_lists if group.referrals else lac_lists
            for name, bucket in lists:
                records = getattr(group, name)
                if records:
                    bucket.extend(records)
    finally:
        if collecting:
            gc.enable()
    fields: dict[str, Any] = {name: tuple(records) for name, records in buckets.items()}
    fields["sources"] = (
        SourceInfo(kind="synthetic", path=None, collection_year=first_year + years - 1),
    )
    return Bundle(**fields)


# -- children in need -----------------------------------------------------------------------


def _assessment_days(r: Callable[[], float]) -> int:
    """Working days from an assessment's start to its authorisation (median about 33, about
    85% within 45)."""
    u = r()
    if u < 0.10:
        return int(r() * 16)  # 0-15: quick assessments
    if u < 0.85:
        # 16-45, weighted towards the deadline (a triangle rising to 45).
        return 16 + int(30 * (r() ** 0.9))
    if u < 0.97:
        return 46 + int(r() * 25)  # 46-70
    return 71 + int(r() * 60)  # 71-130: the long tail


def _conference_days(r: Callable[[], float]) -> int:
    """Working days from the strategy discussion to the initial conference (about 80% within
    15)."""
    u = r()
    if u < 0.80:
        return 4 + int(r() * 12)  # 4-15
    if u < 0.95:
        return 16 + int(r() * 10)  # 16-25
    return 26 + int(r() * 30)  # 26-55


def _plan_days(r: Callable[[], float]) -> int:
    """Calendar days a child protection plan lasts."""
    u = r()
    if u < 0.16:
        return 20 + int(r() * 70)  # under 3 months
    if u < 0.70:
        return 90 + int(r() * 275)  # 3 months to a year
    if u < 0.955:
        return 365 + int(r() * 365)  # 1-2 years
    return 730 + int(r() * 500)  # 2 years or more


def _cin_children(
    rng: random.Random, scale: float, days: _Days, window: _Window, make: _Make
) -> Iterator[ChildRecords]:
    r = rng.random
    look_back = window.start - 365  # the emitted look-back year starts here
    sim_start = window.start - 3 * 365  # chains start here, so follow-ups are in steady state
    end = window.end
    span = end - sim_start + 1
    n_chains = round(_CIN_CHAINS_PER_YEAR * scale * span / 365.25)
    # Local names for the hot loop (each call saved counts at England scale). Every day here
    # is on or after the tables' first day, so a date is one list lookup.
    base = days.base
    dates = days.dates
    add_wd = days.add_wd
    next_wd = days.next_wd
    add_months = days.add_months
    new_referral = make.referral
    new_assessment = make.assessment
    new_s47 = make.s47
    new_transfer_in = make.transfer_in
    new_plan = make.plan
    number = 0
    for _ in range(n_chains):
        t = sim_start + int(r() * span)
        hidden_plans = 1 if r() < 0.2 else 0  # plans before the data began
        plans_so_far = hidden_plans
        referrals: list[Referral] = []
        assessments: list[Assessment] = []
        s47s: list[Section47] = []
        transfers: list[TransferInConference] = []
        plans: list[ChildProtectionPlan] = []
        cid = ""
        while t <= end:
            ref = next_wd(t) if r() < 0.96 else t
            if ref > end:
                break
            closure: int
            reason: str
            nfa = False
            # Ordinals of the case's events; 0 = did not happen.
            a_start = a_auth = s_start = conf = p_start = p_end = tr_conf = 0
            not_required = 0  # the day the enquiry decided no conference was needed
            u = r()
            if u < 0.075:
                # No further action on the referral itself.
                nfa = True
                closure = ref + int(r() * 4)
                reason = "RC7"
            else:
                s47 = r() < 0.33
                transfer = not s47 and r() < 0.008
                assessed = r() < (0.92 if (s47 or transfer) else 0.56)
                last = ref
                if assessed:
                    a_start = add_wd(ref, int(r() * 4) if r() < 0.8 else 4 + int(r() * 12))
                    a_auth = add_wd(a_start, _assessment_days(r))
                    last = a_auth
                if s47:
                    s_start = add_wd(ref, int(r() * 3) if r() < 0.75 else 3 + int(r() * 20))
                    last = max(last, s_start)
                    if r() < 0.42:
                        conf = add_wd(s_start, _conference_days(r))
                        last = max(last, conf)
                        if r() < 0.72:
                            p_start = conf
                    else:
                        decided = add_wd(s_start, 5 + int(r() * 20))
                        if r() < 0.8:
                            not_required = decided
                        last = max(last, decided)
                elif transfer:
                    tr_conf = add_wd(ref, 2 + int(r() * 12))
                    p_start = tr_conf
                    last = max(last, tr_conf)
                if p_start:
                    p_end = p_start + _plan_days(r)
                    last = max(last, p_end)
                    closure = last + 20 + int(r() * 200)  # step down to a child in need plan
                    reason = _draw(r, _CLOSE_AFTER_SERVICES)
                elif (assessed or s47) and r() < 0.45:
                    closure = last + int(r() * 3)
                    # RC8/RC9 close a case after an assessment with nothing else recorded (no
                    # enquiry); a case with an enquiry closes as services ceased (RC7).
                    reason = "RC7" if s47 or not assessed else _draw(r, _CLOSE_AFTER_ASSESSMENT)
                elif assessed or s47:
                    closure = last + 30 + int(r() * 330)  # services as a child in need
                    reason = _draw(r, _CLOSE_AFTER_SERVICES)
                else:
                    closure = ref + 1 + int(r() * 30)
                    reason = "RC7"
            if closure >= look_back:
                if not cid:
                    number += 1
                    cid = f"SYNC{number:07d}"
                open_ = closure > end
                referrals.append(
                    new_referral(
                        cid,
                        dates[ref - base],
                        None if open_ else dates[closure - base],
                        None if open_ else reason,
                        nfa,
                    )
                )
                if a_start and a_start <= end:
                    assessments.append(
                        new_assessment(
                            cid,
                            dates[a_start - base],
                            dates[a_auth - base] if a_auth <= end else None,
                        )
                    )
                if s_start and s_start <= end:
                    s47s.append(
                        new_s47(
                            cid,
                            dates[s_start - base],
                            dates[conf - base] if conf and conf <= end else None,
                            0 < not_required <= end,
                        )
                    )
                if tr_conf and tr_conf <= end:
                    transfers.append(new_transfer_in(cid, dates[tr_conf - base]))
                if p_start and p_start <= end:
                    # Reviews: 3 months after the start, then every 6 months; mostly on time.
                    reviews: list[_dt.date] = []
                    due = add_months(p_start, 3)
                    while True:
                        held = due - int(r() * 21) if r() < 0.94 else due + 1 + int(r() * 30)
                        if held >= p_end or held > end:
                            break
                        reviews.append(dates[held - base])
                        due = add_months(held, 6)
                    plans.append(
                        new_plan(
                            cid,
                            dates[p_start - base],
                            dates[p_end - base] if p_end <= end else None,
                            tuple(reviews),
                            plans_so_far,
                        )
                    )
            if p_start:
                plans_so_far += 1
            if closure >= end:
                break
            # A further referral: most follow soon after the closure, some much later.
            if r() >= 0.30:
                break
            # (A referral more than a year after the last is counted as a new chain, whose
            # first referral is equally not a re-referral; keeping chains short lets the
            # volumes settle within the warm-up.)
            gap = 1 + int(rng.expovariate(1 / 140))
            t = closure + gap
        if cid:
            yield ChildRecords(
                cid,
                referrals=referrals,
                assessments=assessments,
                section47s=s47s,
                transfer_ins=transfers,
                plans=plans,
            )


# -- looked-after children ------------------------------------------------------------------


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
        child = make.child(cid, dob, sex, None if duc is None else date(duc), uasc)
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
