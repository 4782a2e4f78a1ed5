"""Children-in-need case histories for property tests.

:func:`histories` draws the records of several children, each child's history valid on its
own: referrals in date order, assessments and section 47 enquiries following them (some still
open), child protection plans that never overlap, with reviews after their start. Dates lie
between 2012 and 2028, so every look-back and window stays inside the England and Wales
calendar. :func:`broken_histories` adds deliberate problems to valid ones: an end before its
start, overlapping plans, duplicated records.

:func:`run` calls a registered indicator on a history the way the scorecard does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import strategies as st

from csc_indicators import (
    INDICATORS,
    Assessment,
    ChildProtectionPlan,
    Period,
    Referral,
    Section47,
    TransferInConference,
)

FIRST = dt.date(2012, 1, 2)
LAST = dt.date(2028, 12, 29)

_KINDS = ("referrals", "assessments", "section47s", "transfer_ins", "plans")


@attrs.frozen
class History:
    """The CIN records of one or more children."""

    referrals: tuple[Referral, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    section47s: tuple[Section47, ...] = ()
    transfer_ins: tuple[TransferInConference, ...] = ()
    plans: tuple[ChildProtectionPlan, ...] = ()

    def __add__(self, other: History) -> History:
        return History(*(getattr(self, k) + getattr(other, k) for k in _KINDS))

    def children(self) -> set[str]:
        """The ids of the children with at least one record."""
        return {r.child_id for k in _KINDS for r in getattr(self, k)}

    def only(self, child_id: str) -> History:
        """The records of one child."""
        return History(
            *(tuple(r for r in getattr(self, k) if r.child_id == child_id) for k in _KINDS)
        )

    def shuffled(self, seed: int) -> History:
        """The same records in another order."""
        rng = random.Random(seed)

        def mix(items: tuple[Any, ...]) -> tuple[Any, ...]:
            out = list(items)
            rng.shuffle(out)
            return tuple(out)

        return History(*(mix(getattr(self, k)) for k in _KINDS))

    def shifted(self, days: int) -> History:
        """Every date moved by ``days``."""
        d = dt.timedelta(days=days)

        def mv(x: dt.date | None) -> dt.date | None:
            return None if x is None else x + d

        return History(
            tuple(
                attrs.evolve(r, date=r.date + d, closure_date=mv(r.closure_date))
                for r in self.referrals
            ),
            tuple(
                attrs.evolve(
                    a, start_date=a.start_date + d, authorisation_date=mv(a.authorisation_date)
                )
                for a in self.assessments
            ),
            tuple(
                attrs.evolve(s, start_date=s.start_date + d, conference_date=mv(s.conference_date))
                for s in self.section47s
            ),
            tuple(attrs.evolve(t, date=t.date + d) for t in self.transfer_ins),
            tuple(
                attrs.evolve(
                    p,
                    start_date=p.start_date + d,
                    end_date=mv(p.end_date),
                    review_dates=tuple(r + d for r in p.review_dates),
                )
                for p in self.plans
            ),
        )

    def dates(self) -> list[dt.date]:
        """Every date in the history."""
        out: list[dt.date] = []
        for r in self.referrals:
            out += [r.date] + ([r.closure_date] if r.closure_date else [])
        for a in self.assessments:
            out += [a.start_date] + ([a.authorisation_date] if a.authorisation_date else [])
        for s in self.section47s:
            out += [s.start_date] + ([s.conference_date] if s.conference_date else [])
        out += [t.date for t in self.transfer_ins]
        for p in self.plans:
            out += [p.start_date, *p.review_dates] + ([p.end_date] if p.end_date else [])
        return out


def _days(lo: int, hi: int) -> st.SearchStrategy[dt.timedelta]:
    return st.integers(lo, hi).map(lambda n: dt.timedelta(days=n))


@st.composite
def child_history(draw: st.DrawFn, child_id: str, start: dt.date | None = None) -> History:
    """One child's valid history: 1-5 referrals, each possibly with assessments, section 47
    enquiries (with or without a conference), a transfer-in, and non-overlapping plans."""
    day = start or draw(st.dates(FIRST, dt.date(2024, 12, 31)))
    referrals: list[Referral] = []
    assessments: list[Assessment] = []
    s47s: list[Section47] = []
    tis: list[TransferInConference] = []
    plans: list[ChildProtectionPlan] = []
    plan_free_from = day  # plans never overlap: the next may start from here
    for _ in range(draw(st.integers(1, 5))):
        referrals.append(Referral(child_id, day, no_further_action=draw(st.booleans())))
        for _ in range(draw(st.integers(0, 2))):
            a_start = day + draw(_days(0, 15))
            auth = draw(st.one_of(st.none(), _days(0, 90).map(lambda d, s=a_start: s + d)))
            assessments.append(Assessment(child_id, a_start, auth))
        for _ in range(draw(st.integers(0, 2))):
            s_start = day + draw(_days(0, 30))
            conf = draw(st.one_of(st.none(), _days(0, 35).map(lambda d, s=s_start: s + d)))
            s47s.append(
                Section47(
                    child_id,
                    s_start,
                    conf,
                    conference_not_required=(conf is None and draw(st.booleans())),
                )
            )
            if conf is not None and draw(st.booleans()):
                p_start = max(conf, plan_free_from)
                length = draw(st.one_of(st.none(), st.integers(1, 1100)))
                end = None if length is None else p_start + dt.timedelta(days=length)
                reviews: list[dt.date] = []
                r = p_start
                last = end or p_start + dt.timedelta(days=1100)
                for _ in range(draw(st.integers(0, 6))):
                    r = r + draw(_days(1, 200))
                    if r > last:
                        break
                    reviews.append(r)
                plans.append(
                    ChildProtectionPlan(
                        child_id,
                        p_start,
                        end,
                        reviews,
                        draw(st.one_of(st.none(), st.integers(0, 3))),
                    )
                )
                if end is None:
                    plan_free_from = dt.date.max
                    break
                plan_free_from = end + draw(_days(0, 400))
        if draw(st.integers(0, 9)) == 0:
            tis.append(TransferInConference(child_id, day + draw(_days(0, 20))))
        if plan_free_from == dt.date.max:
            break
        last_end = plans[-1].end_date if plans and plans[-1].end_date else day
        day = max(day, last_end) + draw(_days(1, 500))
        if day > dt.date(2026, 6, 30):
            break
    plans = [p for p in plans if p.start_date <= LAST]
    return History(tuple(referrals), tuple(assessments), tuple(s47s), tuple(tis), tuple(plans))


CHILD_IDS = st.text(alphabet="ABCDEFGHJK0123456789", min_size=1, max_size=4)


@st.composite
def histories(draw: st.DrawFn, min_children: int = 1, max_children: int = 5) -> History:
    """The valid histories of several distinct children."""
    ids = draw(st.lists(CHILD_IDS, min_size=min_children, max_size=max_children, unique=True))
    total = History()
    for child_id in ids:
        total = total + draw(child_history(child_id))
    return total


@st.composite
def broken_histories(draw: st.DrawFn) -> History:
    """Valid histories with deliberate problems added: duplicated records, an assessment or
    a plan ending before its start, a conference before its enquiry, overlapping plans."""
    h = draw(histories())
    kinds = draw(
        st.sets(
            st.sampled_from(
                ["duplicate", "end_before_start", "conference_before", "overlap", "open_overlap"]
            ),
            min_size=1,
        )
    )
    extra = History()
    child = sorted(h.children())[0]
    base = h.referrals[0].date if h.referrals else dt.date(2020, 1, 1)
    if "duplicate" in kinds:
        pick = draw(st.sampled_from([k for k in _KINDS if getattr(h, k)]))
        record = draw(st.sampled_from(getattr(h, pick)))
        extra = extra + History(**{pick: (record,)})
    if "end_before_start" in kinds:
        extra = extra + History(
            assessments=(
                Assessment(child, base + dt.timedelta(days=20), base + dt.timedelta(days=5)),
            ),
            plans=(
                ChildProtectionPlan(
                    child, base + dt.timedelta(days=900), base + dt.timedelta(days=800)
                ),
            ),
        )
    if "conference_before" in kinds:
        extra = extra + History(
            section47s=(
                Section47(child, base + dt.timedelta(days=10), base + dt.timedelta(days=3)),
            )
        )
    if "overlap" in kinds and h.plans:
        p = draw(st.sampled_from(h.plans))
        extra = extra + History(
            plans=(
                ChildProtectionPlan(
                    p.child_id,
                    p.start_date + dt.timedelta(days=1),
                    p.start_date + dt.timedelta(days=draw(st.integers(2, 900))),
                ),
            )
        )
    if "open_overlap" in kinds:
        extra = extra + History(
            plans=(
                ChildProtectionPlan(child, base - dt.timedelta(days=400)),
                ChildProtectionPlan(
                    child, base - dt.timedelta(days=100), base + dt.timedelta(days=50)
                ),
            )
        )
    return h + extra


def periods(
    first: dt.date = dt.date(2013, 1, 1), last: dt.date = dt.date(2027, 12, 31)
) -> st.SearchStrategy[Period]:
    """Periods of 1 day to 3 years."""
    return st.tuples(st.dates(first, last), st.integers(0, 3 * 366)).map(
        lambda t: Period(t[0], min(last, t[0] + dt.timedelta(days=t[1])))
    )


def split_periods() -> st.SearchStrategy[tuple[Period, Period, Period]]:
    """A period and the two adjacent periods it splits into."""
    return st.tuples(
        st.dates(dt.date(2013, 1, 1), dt.date(2026, 1, 1)),
        st.integers(0, 700),
        st.integers(0, 700),
    ).map(
        lambda t: (
            Period(t[0], t[0] + dt.timedelta(days=t[1] + t[2] + 1)),
            Period(t[0], t[0] + dt.timedelta(days=t[1])),
            Period(t[0] + dt.timedelta(days=t[1] + 1), t[0] + dt.timedelta(days=t[1] + t[2] + 1)),
        )
    )


def run(indicator: str, history: History, period: Period, **kwargs: Any) -> Any:
    """Call a registered indicator on a history as the scorecard does."""
    spec = INDICATORS[indicator]
    args = [getattr(history, name) for name in spec.inputs]
    options = {name: getattr(history, name) for name in spec.optional_inputs}
    return spec.function(*args, period, **options, **kwargs)


def cin_ids(family: str = "children in need") -> list[str]:
    """The ids of the registered children-in-need indicators."""
    return [s.id for s in INDICATORS.by_family(family)]


def triples(result: Any) -> list[tuple[bool, bool, object]]:
    """(counted, met, measure) of each outcome, in order."""
    return [(o.counted, o.met, o.measure) for o in result.outcomes]


def all_dates(history: History) -> Iterable[dt.date]:
    """Every date in a history."""
    return history.dates()


# -- the properties every CIN indicator must have -------------------------------------------


def check_order_free(
    indicator: str, history: History, period: Period, seed: int, **kwargs: Any
) -> None:
    """Record order never changes the result (outcomes and issues included)."""
    a = run(indicator, history, period, **kwargs)
    b = run(indicator, history.shuffled(seed), period, **kwargs)
    assert a == b
    assert a.issues == b.issues


def check_bounds(indicator: str, history: History, period: Period, **kwargs: Any) -> None:
    """The numerator never exceeds the denominator, and both are the outcome counts; every
    excluded outcome has a reason."""
    r = run(indicator, history, period, **kwargs)
    assert 0 <= r.numerator <= r.denominator
    assert r.denominator == sum(1 for o in r.outcomes if o.counted)
    assert all(o.reason for o in r.outcomes if not o.counted)
    keys = [o.child_id for o in r.outcomes]
    assert keys == sorted(keys)


def check_child_independence(
    indicator: str, history: History, period: Period, **kwargs: Any
) -> None:
    """Each child's outcomes and issues depend only on that child's records."""
    whole = run(indicator, history, period, **kwargs)
    for child in history.children():
        alone = run(indicator, history.only(child), period, **kwargs)
        assert whole.outcomes_for(child) == alone.outcomes
        assert tuple(i for i in whole.issues if i.child_id == child) == alone.issues


def check_additive(
    indicator: str, history: History, periods: tuple[Period, Period, Period], **kwargs: Any
) -> None:
    """For a flow measure, two adjacent periods add up to the period they make.

    Except for twins (decision D14): two different records of one event, one in each half,
    are each counted in their half but once in the whole (selection first, then the choice),
    so the whole is then at most the sum."""
    whole, first, second = (run(indicator, history, p, **kwargs) for p in periods)
    if any(i.kind == "conflict" for r in (whole, first, second) for i in r.issues):
        assert whole.denominator <= first.denominator + second.denominator
        assert whole.numerator <= first.numerator + second.numerator
        return
    assert whole.numerator == first.numerator + second.numerator
    assert whole.denominator == first.denominator + second.denominator
    assert len(whole.outcomes) == len(first.outcomes) + len(second.outcomes)
    assert sorted(map(repr, whole.outcomes)) == sorted(map(repr, first.outcomes + second.outcomes))


# -- spans that a shift moves without crossing a bank holiday --------------------------------


def _quiet_windows(min_days: int = 21) -> list[tuple[dt.date, dt.date]]:
    """The stretches between consecutive England and Wales bank holidays (2013-2027) that are
    at least ``min_days`` long, as (first day, last day)."""
    from csc_indicators.calendar import default_calendar

    days = sorted(
        d for d in default_calendar().holidays if dt.date(2013, 1, 1) <= d <= dt.date(2027, 12, 31)
    )
    out = []
    for a, b in itertools.pairwise(days):
        first, last = a + dt.timedelta(days=1), b - dt.timedelta(days=1)
        if (last - first).days + 1 >= min_days:
            out.append((first, last))
    return out


@st.composite
def quiet_spans(draw: st.DrawFn) -> tuple[list[tuple[dt.date, dt.date]], int]:
    """Up to five (start, end) date pairs (end >= start) and a shift of a whole number of weeks
    such that every pair, before and after the shift, lies in one stretch free of bank
    holidays: the shift crosses no bank holiday."""
    first, last = draw(st.sampled_from(_quiet_windows()))
    room = (last - first).days
    weeks = draw(st.integers(-(room // 7), room // 7))
    shift = 7 * weeks
    # the pairs must fit in [first, last] and in [first - shift, last - shift]
    lo = max(first, first - dt.timedelta(days=shift))
    hi = min(last, last - dt.timedelta(days=shift))
    pairs = []
    for _ in range(draw(st.integers(1, 5))):
        a = draw(st.dates(lo, hi))
        b = draw(st.dates(a, hi))
        pairs.append((a, b))
    return pairs, shift
