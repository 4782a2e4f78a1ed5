"""Conformance properties across every indicator (decisions D14, D15, D17 and order-freedom).

* Row order: shuffling every record tuple of a bundle changes no figure, outcome or issue.
* Twins (D14): an indicator selects first and chooses between twins of one event by one content
  rule, so indicators agree with each other and the choice never depends on the order.
* Hindsight (D15): what happens after ``period.end`` never changes a figure for the period.
* X1 (D17): REC X1 never ends a period of care.
* Calendar errors: a date the calendar does not cover excludes the record, never the indicator.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import (
    AdoptionRecord,
    Assessment,
    Bundle,
    Child,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    LookedAfterReview,
    MissingEpisode,
    Period,
    Referral,
    Section47,
    TransferInConference,
    WorkingDayCalendar,
    scorecard,
)
from csc_indicators.care_history import build_history
from csc_indicators.indicators import (
    children_on_cp_plan,
    cp_plans_open_2_years_or_more,
    cp_plans_started,
    cp_reviews_in_timescale,
    initial_health_assessments_within_20_working_days,
    lac_ceased,
    lac_reviews_in_timescale,
    returned_to_care_within_12_months,
)
from csc_indicators.indicators._twins import choose_twin
from strategies.cin import histories as cin_histories
from strategies.looked_after import lac_bundles

D = dt.date
E = Episode
FY24 = Period.financial_year(2024)
periods = st.sampled_from([Period.financial_year(y) for y in range(2016, 2025)])
some_days = st.dates(min_value=D(2012, 1, 2), max_value=D(2026, 12, 31))
REC = ("E11", "E4A", "E13", "X1", "E8")


# -- strategies --------------------------------------------------------------------------------


@st.composite
def twin_of(draw: st.DrawFn, record: Any) -> Any:
    """A record of the same event (same child, same start): identical, or with other contents."""
    if draw(st.integers(0, 3)) == 0:
        return record
    # records from the shared strategies may start after 2026: the twin's end is never earlier
    last = max(_start(record), D(2026, 12, 31))
    later = st.none() | st.dates(min_value=_start(record), max_value=last)
    if isinstance(record, ChildProtectionPlan):
        return attrs.evolve(
            record,
            end_date=draw(later),
            review_dates=tuple(draw(st.lists(some_days, max_size=3))),
            previous_plans=draw(st.none() | st.integers(0, 3)),
        )
    if isinstance(record, Assessment):
        return attrs.evolve(record, authorisation_date=draw(later))
    if isinstance(record, Section47):
        return attrs.evolve(
            record, conference_date=draw(later), conference_not_required=draw(st.booleans())
        )
    if isinstance(record, Referral):
        return attrs.evolve(record, closure_date=draw(later), no_further_action=draw(st.booleans()))
    if isinstance(record, Episode):
        end = draw(later)
        rec = None if end is None else draw(st.sampled_from(REC))
        return attrs.evolve(record, end_date=end, reason_ceased=rec)
    return record


def _start(record: Any) -> dt.date:
    for name in ("start_date", "date"):
        if hasattr(record, name):
            value: dt.date = getattr(record, name)
            return value
    raise AssertionError(record)


TWINNED = ("referrals", "assessments", "section47s", "plans", "episodes")


@st.composite
def bundles(draw: st.DrawFn) -> Bundle:
    """CIN and SSDA903 records of a few children, with twins of some events added."""
    cin = draw(cin_histories(min_children=0, max_children=3))
    lac = draw(lac_bundles(max_children=3))
    fields: dict[str, list[Any]] = {k: list(v) for k, v in lac.items()}
    for k in ("referrals", "assessments", "section47s", "transfer_ins", "plans"):
        fields[k] = list(getattr(cin, k))
    for k in TWINNED:
        for record in list(fields[k]):
            if draw(st.integers(0, 3)) == 0:
                fields[k].append(draw(twin_of(record)))
    return Bundle(**{k: tuple(v) for k, v in fields.items()})


def shuffled(bundle: Bundle, rnd: random.Random) -> Bundle:
    changes = {}
    for a in attrs.fields(Bundle):
        value = getattr(bundle, a.name)
        if isinstance(value, tuple) and a.name not in ("sources", "issues"):
            changes[a.name] = tuple(rnd.sample(value, len(value)))
    return attrs.evolve(bundle, **changes)


# -- row order ---------------------------------------------------------------------------------


@settings(max_examples=25)
@given(bundle=bundles(), period=periods, rnd=st.randoms(use_true_random=False))
def test_scorecard_never_depends_on_record_order(
    bundle: Bundle, period: Period, rnd: random.Random
) -> None:
    first = scorecard(bundle, period)
    again = scorecard(shuffled(bundle, rnd), period)
    assert first.not_computed == again.not_computed
    for a, b in zip(first.results, again.results, strict=True):
        assert a.indicator == b.indicator
        assert (a.numerator, a.denominator) == (b.numerator, b.denominator), a.indicator
        assert a.outcomes == b.outcomes, a.indicator
        assert a.issues == b.issues, a.indicator


# -- hindsight (D15) ---------------------------------------------------------------------------


def _known(value: Any, day: dt.date) -> Any:
    if isinstance(value, dt.date):
        return None if value > day else value
    if isinstance(value, tuple):
        return tuple(v for v in value if not (isinstance(v, dt.date) and v > day))
    return value


def normalised(record: Any, day: dt.date) -> Any:
    """A record as known on ``day``: later dates unknown (and the reason an episode ended)."""
    if not attrs.has(type(record)):
        return record
    changes = {a.name: _known(getattr(record, a.name), day) for a in attrs.fields(type(record))}
    if isinstance(record, Episode) and changes["end_date"] is None:
        changes["reason_ceased"] = None
    return attrs.evolve(record, **changes)


STARTS = {
    Referral: "date",
    Assessment: "start_date",
    Section47: "start_date",
    TransferInConference: "date",
    ChildProtectionPlan: "start_date",
    Episode: "start_date",
    LookedAfterReview: "date",
    MissingEpisode: "start_date",
    HealthAssessment: "date",
}
ENDS = {
    Referral: "closure_date",
    Assessment: "authorisation_date",
    Section47: "conference_date",
    ChildProtectionPlan: "end_date",
    Episode: "end_date",
    MissingEpisode: "end_date",
    Child: "uasc_ceased",
    AdoptionRecord: "match_date",
}


@st.composite
def truncated(draw: st.DrawFn, bundle: Bundle, day: dt.date) -> Bundle:
    """The bundle with the future rewritten: events starting after ``day`` removed, and every
    date after it made unknown or moved to another later date."""
    changes: dict[str, tuple[Any, ...]] = {}
    for a in attrs.fields(Bundle):
        value = getattr(bundle, a.name)
        if not isinstance(value, tuple) or a.name in ("sources", "issues"):
            continue
        out = []
        for r in value:
            start = STARTS.get(type(r))
            if start is not None and getattr(r, start) > day:
                continue
            end = ENDS.get(type(r))
            if end is not None and (d := getattr(r, end)) is not None and d > day:
                moved = draw(st.none() | st.dates(day + dt.timedelta(days=1), D(2027, 12, 31)))
                r = attrs.evolve(r, **{end: moved})
                if isinstance(r, Episode):
                    rec = None if moved is None else draw(st.sampled_from(REC))
                    r = attrs.evolve(r, reason_ceased=rec)
            if isinstance(r, ChildProtectionPlan):
                r = attrs.evolve(r, review_dates=tuple(x for x in r.review_dates if x <= day))
            out.append(r)
        changes[a.name] = tuple(out)
    return attrs.evolve(bundle, **changes)


def _seen(result: Any, day: dt.date) -> list[str]:
    return sorted(
        repr(
            (
                o.child_id,
                o.counted,
                o.met,
                o.measure,
                o.reason,
                dict(o.details),
                normalised(o.record, day),
            )
        )
        for o in result.outcomes
    )


@settings(max_examples=25)
@given(bundle=bundles(), period=periods, data=st.data())
def test_what_happens_after_the_period_changes_nothing(
    bundle: Bundle, period: Period, data: st.DataObject
) -> None:
    later = data.draw(truncated(bundle, period.end))
    first = scorecard(bundle, period)
    again = scorecard(later, period)
    assert first.not_computed == again.not_computed
    for a, b in zip(first.results, again.results, strict=True):
        assert (a.numerator, a.denominator) == (b.numerator, b.denominator), a.indicator
        assert _seen(a, period.end) == _seen(b, period.end), a.indicator


# -- twins (D14): table tests -------------------------------------------------------------------


def test_a_plan_open_on_the_period_end_is_never_the_dropped_twin() -> None:
    closed = ChildProtectionPlan("A", D(2023, 6, 1), D(2024, 2, 1))
    still_open = ChildProtectionPlan("A", D(2023, 6, 1), None, (D(2023, 8, 1),))
    for plans in ([closed, still_open], [still_open, closed]):
        on = children_on_cp_plan(plans, FY24)
        assert on.numerator == 1 and on.outcomes[0].record == still_open
        long = cp_plans_open_2_years_or_more(plans, FY24)
        assert long.denominator == 1 and long.outcomes[0].record == still_open
        started = cp_plans_started(plans, Period.financial_year(2023))
        # Both start in 2023-24: the open one is chosen (later end), the other excluded.
        assert started.numerator == 1 and started.counted_outcomes()[0].record == still_open
        assert [i.kind for i in started.issues] == ["conflict"]
        assert "decision D14" in started.issues[0].message
        reviews = cp_reviews_in_timescale(plans, FY24)
        assert [o.record for o in reviews.counted_outcomes()] == [still_open]


def test_exact_twins_stay_duplicates() -> None:
    p = ChildProtectionPlan("A", D(2023, 6, 1), None)
    r = children_on_cp_plan([p, p], FY24)
    assert r.numerator == 1 and [i.kind for i in r.issues] == ["duplicate"]


def test_twins_chosen_by_detail_then_order_free() -> None:
    a = ChildProtectionPlan("A", D(2024, 1, 1), None, (D(2024, 2, 1),), 1)
    b = ChildProtectionPlan("A", D(2024, 1, 1), None, (D(2024, 2, 1),))
    c = ChildProtectionPlan("A", D(2024, 1, 1), D(2025, 3, 1))  # ends after the period: open
    assert choose_twin([a, b, c], end=lambda p: p.end_date, as_of=FY24.end) == a
    assert choose_twin([c, b, a], end=lambda p: p.end_date, as_of=FY24.end) == a
    # Without a judging date the later end wins; an open plan is later than any end.
    assert choose_twin([a, c], end=lambda p: p.end_date) == a
    d = ChildProtectionPlan("A", D(2024, 1, 1), D(2024, 3, 1), (D(2024, 2, 1),), 1)
    assert choose_twin([d, c], end=lambda p: p.end_date) == c


def test_episode_twins_are_a_conflict_chosen_whatever_the_order() -> None:
    short = E("A", D(2023, 5, 1), "S", "C2", "U1", D(2023, 6, 1), "E13")
    longer = E("A", D(2023, 5, 1), "S", "C2", "U1", D(2024, 1, 1), "E13")
    for eps in ([short, longer], [longer, short]):
        h = build_history("A", eps)
        assert h.episodes == (longer,)
        assert [i.kind for i in h.issues] == ["conflict"]
    h = build_history("A", [short, short])
    assert [i.kind for i in h.issues] == ["duplicate"]


# -- hindsight (D15): table tests ---------------------------------------------------------------


def test_initial_health_assessment_cohort_is_judged_at_the_period_end() -> None:
    # Both children start on 10 March 2025: 14 working days before 31 March. One leaves
    # care later, one stays: the same history to the period end, the same outcome.
    stays = E("A", D(2025, 3, 10), "S", "C2", "U1")
    leaves = E("B", D(2025, 3, 10), "S", "C2", "U1", D(2025, 6, 1), "E13")
    r = initial_health_assessments_within_20_working_days(
        [stays, leaves], [HealthAssessment("B", D(2025, 5, 1))], FY24
    )
    assert [o.counted for o in r.outcomes] == [False, False]
    assert r.outcomes[0].reason == r.outcomes[1].reason.replace("B", "A")  # type: ignore[union-attr]


def test_an_assessment_after_the_period_end_is_not_known() -> None:
    e = E("A", D(2025, 1, 6), "S", "C2", "U1")
    r = initial_health_assessments_within_20_working_days(
        [e], [HealthAssessment("A", D(2025, 4, 10))], FY24
    )
    (o,) = r.outcomes
    assert o.counted and not o.met and o.measure is None
    assert o.reason == "no initial health assessment from 2025-01-06 to 2025-03-31"


# -- X1 (D17) ------------------------------------------------------------------------------------


def test_x1_with_nothing_following_is_not_a_cessation() -> None:
    e = E("A", D(2024, 5, 1), "S", "C2", "U1", D(2024, 9, 1), "X1")
    r = lac_ceased([e], FY24)
    assert r.denominator == 0
    (o,) = r.outcomes
    assert "X1" in (o.reason or "") and "D17" in (o.reason or "")
    assert "inconsistent" in {i.kind for i in r.issues}
    h = build_history("A", [e])
    assert not h.periods[0].ceased


def test_x1_followed_by_a_gap_ends_the_period_of_care() -> None:
    eps = [
        E("A", D(2024, 5, 1), "S", "C2", "U1", D(2024, 9, 1), "X1"),
        E("A", D(2024, 10, 1), "S", "C2", "U1", D(2024, 12, 1), "E13"),
    ]
    r = lac_ceased(eps, FY24)
    assert r.denominator == 1 and r.counted_outcomes()[0].details["reason_ceased"] == "E13"
    h = build_history("A", eps)
    assert h.periods[0].ceased and h.periods[0].next_start == D(2024, 10, 1)
    back = returned_to_care_within_12_months(eps, FY24)
    assert back.numerator == 1


def test_x1_followed_only_after_the_period_end_is_not_a_cessation_in_the_period() -> None:
    eps = [
        E("A", D(2024, 5, 1), "S", "C2", "U1", D(2025, 3, 1), "X1"),
        E("A", D(2025, 5, 1), "S", "C2", "U1"),
    ]
    assert lac_ceased(eps, FY24).denominator == 0
    assert build_history("A", eps, as_of=FY24.end).periods[0].ceased is False


# -- calendar errors ------------------------------------------------------------------------------


@pytest.fixture
def narrow() -> WorkingDayCalendar:
    return WorkingDayCalendar(first_year=2024, last_year=2025)


def test_calendar_errors_exclude_the_record_not_the_indicator(
    narrow: WorkingDayCalendar,
) -> None:
    old = E("A", D(2023, 6, 1), "S", "C2", "U1")  # started before the calendar's years
    new = E("B", D(2024, 6, 3), "S", "C2", "U1")
    reviews = [LookedAfterReview("B", D(2024, 6, 20))]
    r = lac_reviews_in_timescale([old, new], reviews, FY24, calendar=narrow)
    by_child = {o.child_id: o for o in r.outcomes}
    assert not by_child["A"].counted and "working days cannot be counted" in (
        by_child["A"].reason or ""
    )
    assert by_child["B"].counted
    assert "calendar" in {i.kind for i in r.issues}
    ih = initial_health_assessments_within_20_working_days(
        [E("C", D(2025, 6, 2), "S", "C2", "U1")],
        [HealthAssessment("C", D(2026, 1, 1))],
        Period.financial_year(2025),
        calendar=narrow,
    )
    assert ih.denominator == 0 and "calendar" in {i.kind for i in ih.issues}
    card = scorecard(
        Bundle(
            episodes=(old, new),
            reviews=tuple(reviews),
            health_assessments=(HealthAssessment("A", D(2023, 6, 5)),),
        ),
        FY24,
        calendar=narrow,
    )
    assert not card.not_computed or all(
        n.indicator
        not in ("lac_reviews_in_timescale", "initial_health_assessments_within_20_working_days")
        for n in card.not_computed
    )
    assert card["lac_reviews_in_timescale"].denominator == 1
