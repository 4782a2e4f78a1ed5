"""The decisions engine: each decision placed by day or pinned to periods, aggregated per
period exactly as one period's builder would give it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import Period
from csc_indicators.builder import GroupTallies, ResultBuilder, keeping_outcomes
from csc_indicators.decisions import Decisions, Sink
from csc_indicators.indicators.children_in_need.activity import referrals_received
from csc_indicators.results import IndicatorResult, ValueKind

D0 = dt.date(2024, 1, 1)

_decision = st.tuples(
    st.sampled_from(["A", "B", "C"]),
    st.booleans(),  # counted
    st.booleans(),  # met
    st.integers(0, 60),  # day offset
    st.one_of(st.none(), st.lists(st.integers(0, 3), max_size=3)),  # pinned periods
)
_period = st.tuples(st.integers(0, 60), st.integers(0, 30)).map(
    lambda t: Period(D0 + dt.timedelta(t[0]), D0 + dt.timedelta(t[0] + t[1]))
)


@given(
    st.lists(_decision, max_size=30),
    st.lists(_period, min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from(ValueKind),
)
def test_each_period_as_its_own_builder(
    decisions: list[tuple[str, bool, bool, int, list[int] | None]],
    periods: list[Period],
    keep: bool,
    kind: ValueKind,
) -> None:
    many = Decisions(referrals_received, periods, kind, keep_outcomes=keep)
    for n, (child, counted, met, offset, pinned) in enumerate(decisions):
        day = D0 + dt.timedelta(offset)
        pins = None if pinned is None else [i for i in pinned if i < len(periods)]
        # Placed by the keywords, or (every other decision) through a sink of one day or
        # one period.
        sink: Sink | None = None
        if n % 2 and pins is None:
            sink = many.at(day)
        elif n % 2 and pins is not None and len(pins) == 1:
            sink = many.for_period(pins[0])
        where = {"periods": pins} if pins is not None else {"day": day}
        if sink is not None:
            if counted:
                sink.count(child, n, met, offset, f"r{n}")
            else:
                sink.exclude(child, n, lambda n=n: f"x{n}", offset)
            if n % 5 == 0:
                sink.issue(f"issue {n}", child, n)
            continue
        if counted:
            many.count(child, n, met, offset, f"r{n}", **where)
        else:
            many.exclude(child, n, lambda n=n: f"x{n}", offset, **where)
        if n % 5 == 0:
            many.issue(f"issue {n}", child, n, **where)
    got = many.results({"population": None})
    for i, period in enumerate(periods):
        b = ResultBuilder(referrals_received, kind, keep_outcomes=keep)
        for n, (child, counted, met, offset, pinned) in enumerate(decisions):
            day = D0 + dt.timedelta(offset)
            holds = i in pinned if pinned is not None else day in period
            if not holds:
                continue
            if counted:
                b.count(child, n, met, offset, f"r{n}")
            else:
                b.exclude(child, n, f"x{n}", offset)
            if n % 5 == 0:
                b.issue(f"issue {n}", child, n)
        assert got[i] == b.build(period, {"population": None})


def test_a_decision_is_placed_once() -> None:
    d = Decisions(referrals_received, [Period.financial_year(2024)])
    with pytest.raises(ValueError, match="day= or by periods="):
        d.count("A", None, True, day=D0, periods=[0])
    with pytest.raises(ValueError, match="needs day= or periods="):
        d.count("A", None, True)
    with pytest.raises(ValueError, match="must carry a reason"):
        d.exclude("A", None, "", day=D0)


def test_reasons_formatted_only_when_kept() -> None:
    calls: list[int] = []

    def reason() -> str:
        calls.append(1)
        return "later"

    period = Period.financial_year(2023)
    summary = Decisions(referrals_received, [period], keep_outcomes=False)
    summary.exclude("A", None, reason, day=D0)
    assert summary.results({"population": None})[0].denominator == 0
    assert calls == []
    full = Decisions(referrals_received, [period], keep_outcomes=True)
    full.exclude("A", None, reason, day=D0)
    (result,) = full.results({"population": None})
    assert [o.reason for o in result.outcomes] == ["later"]
    assert calls == [1]


def test_a_sink_placed_nowhere_or_twice_refuses_decisions() -> None:
    from csc_indicators.decisions import Placed

    d = Decisions(referrals_received, [Period.financial_year(2024)], keep_outcomes=False)
    with pytest.raises(ValueError, match="needs day= or periods="):
        Placed(d).count("A", None, True)
    with pytest.raises(ValueError, match="not both"):
        Placed(d, day=D0, n=0).exclude("A", None, "x")


@pytest.mark.parametrize("engine", ["builder", "decisions"])
def test_bare_outcomes_keep_child_record_and_figures_only(engine: str) -> None:
    """Inside ``keeping_outcomes(True, bare=True)`` (a breakdown's figures) the outcomes keep
    the child, the record and the figures; no reason is formatted, no details kept."""
    calls: list[int] = []

    def reason() -> str:
        calls.append(1)
        return "later"

    period = Period.financial_year(2024)
    day = dt.date(2024, 5, 1)

    def run() -> tuple[object, ...]:
        if engine == "builder":
            b = ResultBuilder(referrals_received)
            b.count("A", "ra", True, 3, reason, {"k": 1})
            b.exclude("B", "rb", reason, 4)
            b.count("C", "rc", False, None, reason)
            return b.build(period, {"population": None}).outcomes
        d = Decisions(referrals_received, [period, period])
        d.count("A", "ra", True, 3, reason, {"k": 1}, day=day)
        d.exclude("B", "rb", reason, 4, day=day)
        d.for_period(1).count("C", "rc", False, None, reason)
        d.at(day).issue("seen")
        first, second = d.results({"population": None})
        assert first.outcomes == second.outcomes[: len(first.outcomes)]
        assert first.outcomes[0] is second.outcomes[0]  # built once, shared
        return second.outcomes

    with keeping_outcomes(True):
        full = run()
    assert calls == [1, 1, 1]
    calls.clear()
    with keeping_outcomes(True, bare=True):
        bare = run()
    assert calls == []
    assert sorted((o.child_id, o.record, o.counted, o.met, o.measure) for o in bare) == sorted(
        (o.child_id, o.record, o.counted, o.met, o.measure) for o in full
    )
    assert all(o.reason is None and not o.details for o in bare)
    # In summary mode, bare keeps the counted outcomes only (a lookup's figures by group).
    with keeping_outcomes(False, bare=True):
        counted = run()
    assert calls == []
    assert [o for o in bare if o.counted] == list(counted)
    with keeping_outcomes(True, bare=True), keeping_outcomes(True):
        assert run() == full  # a nested block keeping outcomes keeps them whole


def test_outcomes_are_checked_as_the_class_checks_them() -> None:
    period = Period.financial_year(2024)
    d = Decisions(referrals_received, [period], keep_outcomes=True)
    d.exclude("A", None, lambda: "", day=D0 + dt.timedelta(100))
    with pytest.raises(ValueError, match="must carry a reason"):
        d.results({"population": None})
    b = ResultBuilder(referrals_received, keep_outcomes=True)  # the same engine
    b.exclude("A", None, lambda: "")
    with pytest.raises(ValueError, match="must carry a reason"):
        b.build(period, {"population": None})


_FIXED = {"A": "g1", "B": "g2"}  # C's group is not known beforehand


@given(
    st.lists(_decision, max_size=30),
    st.lists(_period, min_size=1, max_size=4),
    st.sampled_from(ValueKind),
    st.booleans(),
)
def test_tallies_by_group_give_each_groups_figures(
    decisions: list[tuple[str, bool, bool, int, list[int] | None]],
    periods: list[Period],
    kind: ValueKind,
    through_builder: bool,
) -> None:
    """Within ``keeping_outcomes(False, bare=True, tallies=...)`` the counted decisions of the
    children whose group is known are tallied by group (no outcome kept), the others kept as
    bare outcomes; the figures are those of summary mode, and per group those of the
    outcomes kept whole."""

    def run() -> list[IndicatorResult]:
        if through_builder:  # one builder per period
            out = []
            for i, period in enumerate(periods):
                b = ResultBuilder(referrals_received, kind)
                for n, (child, counted, met, offset, pinned) in enumerate(decisions):
                    day = D0 + dt.timedelta(offset)
                    if not (i in pinned if pinned is not None else day in period):
                        continue
                    if counted:
                        b.count(child, n, met, offset, f"r{n}")
                    else:
                        b.exclude(child, n, f"x{n}", offset)
                out.append(b.build(period, {}))
            return out
        d = Decisions(referrals_received, periods, kind)
        for n, (child, counted, met, offset, pinned) in enumerate(decisions):
            pins = None if pinned is None else [i for i in pinned if i < len(periods)]
            where = {"periods": pins} if pins is not None else {"day": D0 + dt.timedelta(offset)}
            if counted:
                d.count(child, n, met, offset, f"r{n}", **where)
            else:
                d.exclude(child, n, f"x{n}", offset, **where)
        return d.results({})

    with keeping_outcomes(True):
        whole = run()
    with keeping_outcomes(False):
        summary = run()
    tallies = GroupTallies(_FIXED)
    with keeping_outcomes(False, bare=True, tallies=tallies):
        got = run()
    for w, s, g in zip(whole, summary, got, strict=True):
        assert (g.numerator, g.denominator) == (s.numerator, s.denominator)
        assert all(o.counted and o.child_id not in _FIXED for o in g.outcomes)
        held = tallies.take(g)
        assert held is not None
        by_group: dict[str, list[int]] = {}
        for o in w.outcomes:
            if o.counted:
                t = by_group.setdefault(_FIXED.get(o.child_id, "other"), [0, 0, 0])
                t[0] += 1
                t[1] += 1 if o.met else 0
                t[2] += int(o.measure or 0)
        other = by_group.pop("other", [0, 0, 0])
        assert [len(g.outcomes), sum(o.met for o in g.outcomes)] == other[:2]
        # A tally carries what the kind's figures need: the count, the met (percentage),
        # the total measure (mean).
        for group, (counted, met, total) in held.items():
            want = by_group.pop(group)
            assert counted == want[0]
            assert kind is not ValueKind.PERCENTAGE or met == want[1]
            assert kind is not ValueKind.MEAN or total == want[2]
        assert not by_group  # a group with counted decisions has its tally
    assert tallies.take(got[0]) is None  # taken once


@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 60)), max_size=30),
    st.lists(_period, min_size=1, max_size=4),
    st.sampled_from([ValueKind.PERCENTAGE, ValueKind.COUNT]),
)
def test_counted_days_in_bulk_as_counted_one_by_one(
    decisions: list[tuple[bool, int]], periods: list[Period], kind: ValueKind
) -> None:
    one = Decisions(referrals_received, periods, kind, keep_outcomes=False)
    bulk = Decisions(referrals_received, periods, kind, keep_outcomes=False)
    assert bulk.figures_only
    for n, (met, offset) in enumerate(decisions):
        one.count("A", n, met, day=D0 + dt.timedelta(offset))
    days = [D0.toordinal() + offset for _, offset in decisions]
    met_days = [day for day, (met, _) in zip(days, decisions, strict=True) if met]
    bulk.add_counted_days(days, met_days)
    assert bulk.results({"population": None}) == one.results({"population": None})


def test_counted_days_in_bulk_only_in_summary_mode() -> None:
    d = Decisions(referrals_received, [Period.financial_year(2024)], keep_outcomes=True)
    assert not d.figures_only
    with pytest.raises(ValueError, match="summary mode"):
        d.add_counted_days([D0.toordinal()], [])


@given(
    st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 60)), max_size=30),
    st.lists(_period, min_size=1, max_size=4),
    st.booleans(),
)
def test_outcomes_in_bulk_as_decided_one_by_one(
    decisions: list[tuple[bool, bool, int]], periods: list[Period], bare: bool
) -> None:
    """Outcomes built with counted_outcome and given in bulk (between decisions made one by
    one) give the results of the same decisions made one by one."""
    from csc_indicators.builder import counted_outcome

    with keeping_outcomes(True, bare=bare):
        one = Decisions(referrals_received, periods)
        bulk = Decisions(referrals_received, periods)
    days: list[int] = []
    outs: list[object] = []
    for n, (counted, met, offset) in enumerate(decisions):
        day = D0 + dt.timedelta(offset)
        details = {"n": n} if n % 3 else {}
        if counted:
            one.count("A", n, met, offset, f"r{n}", details, day=day)
            days.append(day.toordinal())
            outs.append(counted_outcome("A", n, met, offset, f"r{n}", details))
            continue
        bulk.add_outcomes(days, outs)  # type: ignore[arg-type]
        days, outs = [], []
        one.exclude("A", n, f"x{n}", offset, day=day)
        bulk.exclude("A", n, f"x{n}", offset, day=day)
    bulk.add_outcomes(days, outs)  # type: ignore[arg-type]
    assert bulk.results({"population": None}) == one.results({"population": None})


def test_outcomes_in_bulk_only_when_kept() -> None:
    from csc_indicators.builder import counted_outcome

    o = counted_outcome("A", None, True, 1, "r", {})
    summary = Decisions(referrals_received, [Period.financial_year(2024)], keep_outcomes=False)
    with pytest.raises(ValueError, match="kept"):
        summary.add_outcomes([D0.toordinal()], [o])
    kept = Decisions(referrals_received, [Period.financial_year(2024)], keep_outcomes=True)
    with pytest.raises(ValueError, match="1 days but 0 outcomes"):
        kept.add_outcomes([D0.toordinal()], [])


@pytest.mark.parametrize("keep", [True, False])
def test_a_sink_placed_on_one_day_after_another(keep: bool) -> None:
    periods = [Period.month(2024, 4), Period.month(2024, 5)]
    d = Decisions(referrals_received, periods, keep_outcomes=keep)
    sink = d.at(dt.date(2024, 4, 1))
    for child, day in (("A", dt.date(2024, 4, 10)), ("B", dt.date(2024, 5, 2))):
        sink.place_on(day)
        sink.count(child, None, True, reason="referral" if keep else None)
    sink.place_on(dt.date(2024, 5, 3))
    sink.count("C", None, True, reason="referral" if keep else None)
    april, may = d.results({})
    assert (april.numerator, may.numerator) == (1, 2)
    if keep:
        assert [o.child_id for o in april.outcomes] == ["A"]
        assert [o.child_id for o in may.outcomes] == ["B", "C"]
    with pytest.raises(ValueError, match="pinned"):
        d.for_period(0).place_on(dt.date(2024, 4, 2))
