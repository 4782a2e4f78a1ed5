"""What makes reconciling a large list fast changes none of its results: the tally of classes is
the pairs counted, the keys of a batch of outcomes are the keys one by one, the alternatives are
screened on a fixed sample of the differing children when many differ (and the suggestion is
still proved on all the data), and the cycle collector is left as it was found."""

from __future__ import annotations

import datetime as dt
import gc
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import INDICATORS, Assessment, DayCount, Period, example_bundle, reconcile
from csc_indicators.indicators import assessments_within_45_working_days
from csc_indicators.reconciliation import IDENTITY, Status, compute, read_theirs
from csc_indicators.reconciliation import core as reconcile_core
from csc_indicators.reconciliation.core import _screened
from csc_indicators.reconciliation.matching import _Keyer, _match, _tally, _their_keys

D = dt.date
FY = Period.financial_year(2024)
ROLES = ("start_date", "authorisation_date")


def _statuses_in_order(pairs: list[tuple[object, ...]]) -> list[tuple[Status, int]]:
    return list(Counter(p[0] for p in pairs).items())  # type: ignore[misc]


day = st.sampled_from([D(2024, 6, 3), D(2024, 6, 8), D(2024, 9, 2), D(2025, 4, 7)])


@st.composite
def lists(draw: st.DrawFn) -> tuple[list[Assessment], list[dict[str, object]]]:
    """Our assessments and their rows, from a few children and dates so that every class turns
    up: the same record twice on either side, rows only in one, unreadable dates, flags."""
    children = ["C1", "C2", "C3"]
    ours = [
        Assessment(draw(st.sampled_from(children)), start, start + dt.timedelta(days=gap))
        for start, gap in draw(st.lists(st.tuples(day, st.sampled_from([0, 40, 80])), max_size=8))
    ]
    rows: list[dict[str, object]] = []
    for _ in range(draw(st.integers(0, 8))):
        if ours and draw(st.booleans()):
            a = draw(st.sampled_from(ours))
            child, start, end = a.child_id, a.start_date, a.authorisation_date
        else:
            child, start = draw(st.sampled_from([*children, "", "C9"])), draw(day)
            end = start + dt.timedelta(days=draw(st.sampled_from([0, 40])))
        assert end is not None
        rows.append(
            {
                "child_id": child,
                "start_date": draw(st.sampled_from([start.isoformat(), "31/02/2024"])),
                "authorisation_date": end.isoformat(),
                "counted": draw(st.sampled_from(["Y", "N", ""])),
                "met": draw(st.sampled_from(["Y", "N", ""])),
                "measure": draw(st.sampled_from(["", "0", "28", "57"])),
            }
        )
    return ours, rows


@settings(max_examples=150)
@given(lists())
def test_the_tally_is_the_pairs_counted_in_their_order(
    case: tuple[list[Assessment], list[dict[str, object]]],
) -> None:
    data, their = case
    outcomes = assessments_within_45_working_days(data, FY).outcomes
    rows = read_theirs(their, [Assessment]).rows if their else ()
    keyer = _Keyer(ROLES)
    keys = _their_keys(rows, ROLES)
    pairs = _match(outcomes, rows, keys, keyer)
    assert list(_tally(outcomes, rows, keys, keyer).items()) == _statuses_in_order(pairs)  # type: ignore[arg-type]


@pytest.mark.parametrize("roles", [(), ("start_date",), ROLES, (*ROLES, "end_date")])
def test_their_keys_and_our_keys_in_one_pass_are_the_keys_one_by_one(
    roles: tuple[str, ...],
) -> None:
    from csc_indicators.reconciliation.matching import _their_key

    bundle = example_bundle()
    keyer = _Keyer(roles)
    for spec in INDICATORS.values():
        if any(getattr(bundle, n) is None for n in spec.inputs):
            continue
        outcomes = compute(spec, bundle, FY).outcomes
        assert keyer.keys(outcomes) == [keyer(o.child_id, o.record) for o in outcomes], spec.id
    their = [{"child_id": f"C{i}", "start_date": "2024-06-03", "end_date": "x"} for i in range(3)]
    rows = read_theirs(their, [Assessment]).rows
    assert _their_keys(rows, roles) == [_their_key(r, roles) for r in rows]


def test_mixed_record_types_are_keyed_one_by_one() -> None:
    bundle = example_bundle()
    outcomes = [
        *compute(INDICATORS["assessments_within_45_working_days"], bundle, FY).outcomes[:3],
        *compute(INDICATORS["icpcs_within_15_working_days"], bundle, FY).outcomes[:3],
    ]
    keyer = _Keyer(("start_date",))
    assert keyer.keys(outcomes) == [keyer(o.child_id, o.record) for o in outcomes]


def test_the_screened_children_are_a_fixed_sample() -> None:
    children = {f"C{i}" for i in range(100)}
    assert _screened(children, 200) is children
    sample = _screened(children, 5)
    assert sample == {"C19", "C40", "C50", "C54", "C58"}  # CRC-32: the same on every machine
    shuffled = list(children)
    random.Random(7).shuffle(shuffled)
    assert _screened(set(shuffled), 5) == sample


def weekend_list(n: int) -> tuple[list[Assessment], list[dict[str, object]]]:
    """``n`` children starting on any day; their list NETWORKDAYS - 1 style, in reverse."""
    data = [
        Assessment(f"K{i:03d}", D(2024, 6, 1) + dt.timedelta(days=i), D(2024, 9, 2))
        for i in range(n)
    ]
    theirs = assessments_within_45_working_days(data, FY, convention=DayCount.INCLUSIVE_MINUS_ONE)
    rows: list[dict[str, object]] = [
        {"child_id": o.child_id, "start_date": o.record.start_date,  # type: ignore[attr-defined]
         "authorisation_date": o.record.authorisation_date,  # type: ignore[attr-defined]
         "met": o.met, "days": o.measure}
        for o in theirs.outcomes
    ]  # fmt: skip
    return data, rows[::-1]


def test_many_differing_children_are_screened_on_a_sample_and_proved_on_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, rows = weekend_list(60)
    ours = assessments_within_45_working_days(data, FY)
    whole = reconcile(ours, rows, data={"assessments": data})
    differing = len({c.child_id for c in whole.differences})
    assert differing > 8
    assert not any("screened" in n for n in whole.notes)
    monkeypatch.setattr(reconcile_core, "SCREEN_CHILDREN", 8)
    sampled = reconcile(ours, rows, data={"assessments": data})
    assert sampled.suggestion == whole.suggestion  # proved on all the data, counts and all
    assert sampled.suggestion is not None and sampled.suggestion.after == 0
    assert sampled.comparisons == whole.comparisons
    assert sampled.offsets == whole.offsets
    assert [(t.name, t.value) for t in sampled.trials] == [(t.name, t.value) for t in whole.trials]
    assert all(t.differences is not None and t.differences <= 8 for t in sampled.trials)
    assert sampled.notes[-1] == (
        f"the alternatives were screened on 8 of the {differing} children that differ (a fixed "
        "sample, by a hash of the child id); the suggestion's counts are from recomputing all "
        "the data"
    )
    again = reconcile(ours, rows[::-1], data={"assessments": data})
    assert again.trials == sampled.trials  # the same sample whatever the order of the list


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(enabled: bool, tmp_path: Path) -> None:
    data, rows = weekend_list(5)
    ours = assessments_within_45_working_days(data, FY)
    path = tmp_path / "theirs.csv"
    path.write_text("child_id,start_date\nK000,2024-06-01\n", encoding="utf-8")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        reconcile(ours, rows, data={"assessments": data})
        assert gc.isenabled() is enabled
        read_theirs(path, [Assessment])
        assert gc.isenabled() is enabled
        with pytest.raises(Exception, match="unknown record kinds"):
            reconcile(ours, rows, data={"nonsense": []})  # type: ignore[dict-item]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_short_csv_row_reads_its_missing_cells_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "theirs.csv"
    path.write_text(
        "child_id,start_date,authorisation_date,met\nC1,2024-06-03\nC2,2024-06-03,x,Y\n",
        encoding="utf-8",
    )
    first, second = read_theirs(path, [Assessment]).rows
    assert (first.dates, first.met, first.problem) == (
        {"start_date": D(2024, 6, 3), "authorisation_date": None},
        None,
        None,
    )
    assert second.problem is not None and second.problem.startswith("authorisation_date: ")
    assert second.met is True
    assert set(IDENTITY[Assessment]) == {"start_date", "authorisation_date"}
