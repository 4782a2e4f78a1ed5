"""The library pauses Python's cycle collector while it builds many objects, and restores it
as it found it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest

from csc_indicators import Period, example_bundle, monthly_periods, scorecard, series
from csc_indicators._collector import collector_paused


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
