"""Periods of care, placements, carer chains, "looked after on a date" and data problems."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Episode, RecordError
from csc_indicators.care_history import (
    build_histories,
    build_history,
    is_new_placement,
    placements,
)
from strategies.looked_after import (
    broken_history,
    histories,
    history,
    split_with_legal_change,
    unknown_codes,
)

D = dt.date


def ep(
    start: dt.date,
    rne: str,
    ls: str,
    place: str,
    end: dt.date | None = None,
    rec: str | None = None,
    cid: str = "A",
) -> Episode:
    return Episode(cid, start, rne, ls, place, end, rec)


# -- properties -------------------------------------------------------------------------------


@settings(max_examples=150)
@given(history())
def test_valid_history_has_no_issues_and_one_period_per_start(eps: list[Episode]) -> None:
    h = build_history(eps[0].child_id, eps)
    assert h.issues == ()
    assert len(h.periods) == sum(1 for e in eps if e.reason_new_episode == "S")
    for p in h.periods:
        for a, b in zip(p.episodes, p.episodes[1:], strict=False):
            assert a.end_date == b.start_date
        assert p.episodes[0].reason_new_episode == "S"
    # a placement per episode that is not a change of legal status only
    for p in h.periods:
        assert len(placements(p)) == sum(1 for e in p.episodes if e.reason_new_episode != "L")


@settings(max_examples=100)
@given(history(), st.randoms(use_true_random=False))
def test_record_order_never_matters(eps: list[Episode], rnd: random.Random) -> None:
    shuffled = list(eps)
    rnd.shuffle(shuffled)
    assert build_history("x", eps) == build_history("x", shuffled)


@settings(max_examples=150)
@given(history(), st.dates(min_value=D(2016, 1, 1), max_value=D(2027, 1, 1)))
def test_looked_after_on_matches_half_open_episodes(eps: list[Episode], day: dt.date) -> None:
    h = build_history("x", eps)
    expected = any(e.start_date <= day and (e.end_date is None or day < e.end_date) for e in eps)
    assert h.looked_after_on(day) is expected
    poc = h.period_on(day)
    assert (poc is not None) is expected
    if poc is not None:
        assert poc.covers(day)


@settings(max_examples=150)
@given(history(), st.randoms(use_true_random=False))
def test_splitting_with_rne_l_changes_periods_placements_and_carers(
    eps: list[Episode], rnd: random.Random
) -> None:
    split = split_with_legal_change(eps, rnd)
    if split is None:
        return
    a, b = build_history("x", eps), build_history("x", split)
    assert b.issues == ()
    assert [(p.start, p.end) for p in a.periods] == [(p.start, p.end) for p in b.periods]
    for pa, pb in zip(a.periods, b.periods, strict=True):
        assert [(x.start, x.end) for x in placements(pa)] == [
            (x.start, x.end) for x in placements(pb)
        ]
    for e in b.episodes:
        ia, ib = a.index_on(e.start_date), b.index_on(e.start_date)
        assert ia is not None and ib is not None
        for clause in (False, True):
            assert (
                a.episodes[a.carer_start(ia, adoption_clause=clause)].start_date
                == b.episodes[b.carer_start(ib, adoption_clause=clause)].start_date
            )


@settings(max_examples=150)
@given(broken_history())
def test_broken_histories_are_reported(case: tuple[str, list[Episode]]) -> None:
    kind, eps = case
    h = build_history("x", eps)
    kinds = {i.kind for i in h.issues}
    expected = {
        "gap": "gap",
        "overlap": "overlap",
        "end_before_start": "date order",
        "duplicate": "duplicate",
    }[kind]
    assert expected in kinds
    assert all(i.child_id == "x" or i.child_id == eps[0].child_id for i in h.issues)


@given(unknown_codes)
def test_unknown_codes_are_clear_errors(case: tuple[str, str]) -> None:
    field, value = case
    values: dict[str, object] = {
        "child_id": "A",
        "start_date": D(2024, 1, 1),
        "reason_new_episode": "S",
        "legal_status": "C2",
        "placement": "U1",
    }
    values[field] = value
    with pytest.raises(RecordError) as info:
        Episode(**values)  # type: ignore[arg-type]
    assert info.value.field == field
    assert value in str(info.value)


@settings(max_examples=50)
@given(histories(min_children=1))
def test_histories_group_by_child_in_id_order(eps: list[Episode]) -> None:
    hs = build_histories(eps)
    assert list(hs) == sorted({e.child_id for e in eps})
    assert sum(len(h.episodes) for h in hs.values()) == len(eps)


# -- tables ---------------------------------------------------------------------------------


def test_final_episode_ending_on_31_march_is_not_looked_after_that_day() -> None:
    ceased = build_history("A", [ep(D(2024, 1, 10), "S", "C2", "U1", D(2025, 3, 31), "E13")])
    assert not ceased.looked_after_on(D(2025, 3, 31))
    assert ceased.looked_after_on(D(2025, 3, 30))
    moved = build_history(
        "A",
        [
            ep(D(2024, 1, 10), "S", "C2", "U1", D(2025, 3, 31), "X1"),
            ep(D(2025, 3, 31), "P", "C2", "U4"),
        ],
    )
    assert moved.looked_after_on(D(2025, 3, 31))
    assert moved.episode_on(D(2025, 3, 31)) == moved.episodes[1]


def test_periods_of_care_ending_and_restarting() -> None:
    h = build_history(
        "A",
        [
            ep(D(2024, 5, 1), "S", "V2", "U1", D(2024, 8, 1), "E4A"),
            ep(D(2024, 10, 1), "S", "C1", "U4", D(2024, 12, 1), "X1"),
            ep(D(2024, 12, 1), "L", "C2", "U4"),
        ],
    )
    assert [(p.start, p.end) for p in h.periods] == [
        (D(2024, 5, 1), D(2024, 8, 1)),
        (D(2024, 10, 1), None),
    ]
    assert h.periods[0].reason_ceased == "E4A"
    assert len(placements(h.periods[1])) == 1
    assert not h.looked_after_on(D(2024, 9, 1))


def test_carer_chain_walks_back_over_l_t_u_and_the_adoption_clause() -> None:
    h = build_history(
        "A",
        [
            ep(D(2019, 1, 1), "S", "V2", "U1", D(2019, 6, 1), "X1"),
            ep(D(2019, 6, 1), "P", "V2", "U4", D(2020, 1, 1), "X1"),  # new carer
            ep(D(2020, 1, 1), "L", "C2", "U4", D(2021, 1, 1), "X1"),  # legal status only
            ep(D(2021, 1, 1), "T", "C2", "U6", D(2022, 1, 1), "X1"),  # same carer
            ep(D(2022, 1, 1), "B", "E1", "A6"),  # placed with new adopters
        ],
    )
    last = len(h.episodes) - 1
    assert h.episodes[h.carer_start(last)].start_date == D(2022, 1, 1)
    assert h.episodes[h.carer_start(last, adoption_clause=True)].start_date == D(2019, 6, 1)
    assert h.episodes[h.carer_start(3)].start_date == D(2019, 6, 1)


def test_new_placement_rules() -> None:
    assert is_new_placement(ep(D(2024, 1, 1), "P", "C2", "U4"))
    assert not is_new_placement(ep(D(2024, 1, 1), "L", "C2", "U4"))
    assert not is_new_placement(ep(D(2024, 1, 1), "T", "E1", "A5"))
    assert not is_new_placement(ep(D(2024, 1, 1), "U", "E1", "A3"))
    assert is_new_placement(ep(D(2024, 1, 1), "P", "E1", "A4"))
    assert is_new_placement(ep(D(2024, 1, 1), "P", "C2", "T3"))
    assert not is_new_placement(ep(D(2024, 1, 1), "P", "C2", "T3"), count_temporary=False)


def test_data_problems_are_reported_not_dropped_silently() -> None:
    a = ep(D(2024, 1, 1), "S", "C2", "U1", D(2024, 3, 1), "X1")
    h = build_history(
        "A",
        [
            a,
            a,  # duplicate
            ep(D(2024, 3, 5), "P", "C2", "U4", D(2024, 6, 1), "X1"),  # gap inside a chain
            ep(D(2024, 5, 1), "P", "C2", "U6"),  # overlap
            ep(D(2024, 2, 1), "S", "C2", "U1", D(2024, 1, 1), "E8"),  # ends before it starts
        ],
    )
    kinds = sorted(i.kind for i in h.issues)
    assert kinds == ["date order", "duplicate", "gap", "overlap"]
    assert len(h.episodes) == 3
    assert [(p.start, p.end) for p in h.periods] == [
        (D(2024, 1, 1), D(2024, 3, 1)),
        (D(2024, 3, 5), None),
    ]
