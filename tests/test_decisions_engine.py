"""The decisions engine: each decision placed by day or pinned to periods, aggregated per
period exactly as one period's builder would give it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import Period
from csc_indicators.builder import ResultBuilder
from csc_indicators.decisions import Decisions
from csc_indicators.indicators.children_in_need.activity import referrals_received

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


@given(st.lists(_decision, max_size=30), st.lists(_period, min_size=1, max_size=4), st.booleans())
def test_each_period_as_its_own_builder(
    decisions: list[tuple[str, bool, bool, int, list[int] | None]],
    periods: list[Period],
    keep: bool,
) -> None:
    many = Decisions(referrals_received, periods, keep_outcomes=keep)
    for n, (child, counted, met, offset, pinned) in enumerate(decisions):
        day = D0 + dt.timedelta(offset)
        where = (
            {"periods": [i for i in pinned if i < len(periods)]}
            if pinned is not None
            else {"day": day}
        )
        if counted:
            many.count(child, n, met, offset, f"r{n}", **where)
        else:
            many.exclude(child, n, lambda n=n: f"x{n}", offset, **where)
        if n % 5 == 0:
            many.issue(f"issue {n}", child, n, **where)
    got = many.results({"population": None})
    for i, period in enumerate(periods):
        b = ResultBuilder(referrals_received, keep_outcomes=keep)
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
