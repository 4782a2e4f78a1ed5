"""The library pauses Python's cycle collector while it builds many objects, and restores it
as it found it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator

import pytest

from csc_indicators import Period, example_bundle, monthly_periods, scorecard, series
from csc_indicators._collector import collector_paused, worth_ageing


@pytest.fixture
def collector_state() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def _calls() -> list[Callable[[], object]]:
    bundle = example_bundle()
    period = Period.financial_year(2024)
    return [
        lambda: scorecard(bundle, period, outcomes=False),
        lambda: series(bundle, monthly_periods("2025-03", 2)),
    ]


@pytest.mark.usefixtures("collector_state")
@pytest.mark.parametrize("enabled", [True, False])
def test_restored_as_found(enabled: bool) -> None:
    for call in _calls():
        if enabled:
            gc.enable()
        else:
            gc.disable()
        call()
        assert gc.isenabled() is enabled


@pytest.mark.usefixtures("collector_state")
def test_paused_within_and_restored_after_an_error() -> None:
    gc.enable()
    with pytest.raises(ValueError, match="boom"), collector_paused():
        assert not gc.isenabled()
        raise ValueError("boom")
    assert gc.isenabled()


class _Node:
    def __init__(self) -> None:
        self.other: object = None


@pytest.mark.usefixtures("collector_state")
def test_objects_made_within_go_to_the_oldest_generation_unwalked() -> None:
    gc.enable()
    gc.collect()
    with collector_paused():
        made = [[i] for i in range(10_000)]
    assert gc.get_count()[0] < 100  # the young generation starts afresh: nothing to walk
    young = gc.get_objects(generation=0) + gc.get_objects(generation=1)
    ids = {id(x) for x in young}
    assert not any(id(x) in ids for x in made)
    oldest = {id(x) for x in gc.get_objects(generation=2)}
    assert all(id(x) in oldest for x in made[:100])


@pytest.mark.usefixtures("collector_state")
def test_a_cycle_made_within_is_still_freed_by_a_full_collection() -> None:
    gc.enable()
    with collector_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        probe = weakref.ref(a)
        del a, b
    assert probe() is not None  # a cycle: reference counting cannot free it
    gc.collect()
    assert probe() is None


@pytest.mark.usefixtures("collector_state")
def test_a_process_that_froze_objects_keeps_them_frozen() -> None:
    gc.enable()
    kept = [[1], [2]]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with collector_paused():
            [[i] for i in range(100)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert kept


@pytest.mark.usefixtures("collector_state")
def test_a_small_block_leaves_the_generations_as_they_are() -> None:
    gc.enable()
    gc.collect()
    with collector_paused():
        made = [[i] for i in range(gc.get_threshold()[0] // 2)]
    oldest = {id(x) for x in gc.get_objects(generation=2)}
    assert not any(id(x) in oldest for x in made)  # young still, walked as usual


@pytest.mark.usefixtures("collector_state")
def test_a_block_making_fewer_than_the_caller_had_young_leaves_them() -> None:
    gc.enable()
    gc.collect()
    theirs = [[i] for i in range(3_000)]  # the caller's young objects, more than the block's
    with collector_paused():
        made = [[i] for i in range(1_000)]
    oldest = {id(x) for x in gc.get_objects(generation=2)}
    assert not any(id(x) in oldest for x in made)
    assert not any(id(x) in oldest for x in theirs)


def test_worth_ageing_weighs_the_new_against_the_callers_young() -> None:
    t0 = gc.get_threshold()[0]
    assert not worth_ageing(t0 - 1, (0, 0, 0))  # would not start a young collection
    assert worth_ageing(t0, (0, 0, 0))
    assert worth_ageing(5_000, (100, 2, 0))  # 5,000 against at most 100 + 2 * t0
    assert not worth_ageing(1_000, (100, 2, 0)) or 100 + 2 * t0 < 1_000
    assert not worth_ageing(1_000, (2_000, 0, 0))
