"""Decisions.tally: counted decisions whose outcomes are not needed, tallied at once, give the
figures count() gives them; nothing is done when their outcomes are collected."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import Period
from csc_indicators.builder import GroupTallies, keeping_outcomes
from csc_indicators.decisions import Decisions
from csc_indicators.indicators.children_in_need.activity import referrals_received
from csc_indicators.indicators.children_in_need.children_in_need import EndSnapshots
from csc_indicators.results import ValueKind

D0 = dt.date(2024, 1, 1)

_batch = st.tuples(
    st.integers(1, 4),  # how many decisions
    st.integers(0, 4),  # how many met (at most as many)
    st.integers(0, 9),  # each one's measure
    st.integers(0, 60),  # day offset
    st.one_of(st.none(), st.lists(st.integers(0, 3), min_size=1, max_size=3)),  # pinned
)
_period = st.tuples(st.integers(0, 60), st.integers(0, 30)).map(
    lambda t: Period(D0 + dt.timedelta(t[0]), D0 + dt.timedelta(t[0] + t[1]))
)


@given(
    st.lists(_batch, max_size=12),
    st.lists(_period, min_size=1, max_size=4),
    st.sampled_from(ValueKind),
)
def test_tallied_at_once_as_counted_one_by_one(
    batches: list[tuple[int, int, int, int, list[int] | None]],
    periods: list[Period],
    kind: ValueKind,
) -> None:
    one_by_one = Decisions(referrals_received, periods, kind, keep_outcomes=False)
    at_once = Decisions(referrals_received, periods, kind, keep_outcomes=False)
    for n, (times, met, measure, offset, pinned) in enumerate(batches):
        met = min(met, times)
        day = D0 + dt.timedelta(offset)
        pins = None if pinned is None else [i for i in pinned if i < len(periods)] or [0]
        where = {"periods": pins} if pins is not None else {"day": day}
        for k in range(times):
            one_by_one.count("c", n, k < met, measure, **where)  # type: ignore[arg-type]
        assert at_once.tally(times, met, times * measure, **where)  # type: ignore[arg-type]
    assert at_once.results({}) == one_by_one.results({})


def test_only_asked() -> None:
    periods = [Period(D0, D0 + dt.timedelta(30))]
    assert Decisions(referrals_received, periods, keep_outcomes=False).tally(0)
    kept = Decisions(referrals_received, periods, keep_outcomes=True)
    assert not kept.tally(0)
    assert not kept.tally(3, 1, day=D0)  # outcomes kept: nothing tallied
    assert kept.results({})[0].denominator == 0


def test_placed_once() -> None:
    d = Decisions(referrals_received, [Period(D0, D0)], keep_outcomes=False)
    with pytest.raises(ValueError, match="not both"):
        d.tally(1, day=D0, periods=[0])
    with pytest.raises(ValueError, match="day= or periods="):
        d.tally(1)


def test_a_breakdown_tallies_the_children_of_a_known_group() -> None:
    periods = [Period(D0, D0 + dt.timedelta(30))]
    tallies = GroupTallies({"a": "team 1"})
    with keeping_outcomes(False, bare=True, tallies=tallies):
        d = Decisions(referrals_received, periods, ValueKind.PERCENTAGE)
        assert not d.tally(0)  # outcomes collected (bare ones)
        assert d.tally(2, 1, child_id="a", day=D0)
        assert d.tally(1, 1, child_id="a", periods=[0])
        assert not d.tally(1, 1, child_id="b", day=D0)  # group unknown: made with count()
        d.count("b", "r", True, day=D0)
        (result,) = d.results({})
    assert (result.numerator, result.denominator) == (3, 4)
    assert [o.child_id for o in result.outcomes] == ["b"]
    assert tallies.take(result) == {"team 1": [3, 2, 0]}


def test_end_snapshots_tally_by_child_in_a_breakdown() -> None:
    periods = [Period(D0, D0 + dt.timedelta(30)), Period(D0, D0 + dt.timedelta(60))]
    with keeping_outcomes(False):
        s = EndSnapshots(referrals_received, periods, ValueKind.PERCENTAGE)
        assert s.tallying
        assert s.tally(0, 2, True)
        assert s.tally(1, 2, False, times=2)
        got = [(r.numerator, r.denominator) for r in s.results({})]
    assert got == [(1, 1), (1, 3)]
    tallies = GroupTallies({"a": "team 1"})
    with keeping_outcomes(False, bare=True, tallies=tallies):
        s = EndSnapshots(referrals_received, periods, ValueKind.PERCENTAGE)
        assert not s.tallying
        assert s.tally(0, 2, True, "a")
        assert not s.tally(0, 2, True, "b")
        with pytest.raises(ValueError, match="no outcome is collected"):
            s.tally(0, 2, True)
        got = [(r.numerator, r.denominator) for r in s.results({})]
    assert got == [(1, 1), (1, 1)]


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 400), st.booleans()),
        max_size=25,
    ),
    st.sampled_from([ValueKind.COUNT, ValueKind.PERCENTAGE]),
)
def test_add_counted_days_by_group_is_count_by_day(
    decisions: list[tuple[str, int, bool]], kind: ValueKind
) -> None:
    """In a breakdown, ``add_counted_days(..., group=...)`` of the decisions of the children
    whose group is known gives what ``count(child, record, met, day=...)`` gives them: the
    same figures, outcomes (of the others) and tallies by group."""
    periods = [
        Period(dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        Period(dt.date(2024, 2, 1), dt.date(2024, 12, 31)),
    ]
    start = dt.date(2024, 1, 1)
    fixed = {"a": "team 1", "c": "team 2"}

    def run(bulk: bool) -> tuple[list[tuple[object, ...]], list[object]]:
        tallies = GroupTallies(fixed)
        with keeping_outcomes(False, bare=True, tallies=tallies):
            d = Decisions(referrals_received, periods, kind)
            assert d.known_groups == fixed
            by_group: dict[str, tuple[list[int], list[int]]] = {}
            for n, (child, k, met) in enumerate(decisions):
                day = start + dt.timedelta(k)
                group = fixed.get(child)
                if bulk and group is not None:
                    days, mets = by_group.setdefault(group, ([], []))
                    days.append(day.toordinal())
                    if met:
                        mets.append(day.toordinal())
                    continue
                d.count(child, n, met, day=day)
            for group, (days, mets) in by_group.items():
                d.add_counted_days(days, mets, group=group)
            got = d.results({})
        return (
            [(r.numerator, r.denominator, r.outcomes) for r in got],
            [tallies.take(r) for r in got],
        )

    assert run(True) == run(False)


def test_add_counted_days_by_group_needs_a_breakdown() -> None:
    with keeping_outcomes(False):
        d = Decisions(referrals_received, [Period(D0, D0)])
        assert d.known_groups is None
        with pytest.raises(ValueError, match="known groups"):
            d.add_counted_days([D0.toordinal()], [], group="team 1")
