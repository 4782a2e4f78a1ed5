"""The Distribution result type: banding, medians, validation."""

from __future__ import annotations

import datetime as dt

import pytest

from csc_indicators import Distribution, IndicatorResult, Period, Polarity
from csc_indicators.registry import Family, make_spec
from csc_indicators.results import ResultBuilder

PERIOD = Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))
BANDS = (("low", None, 5), ("mid", 6, 10), ("high", 11, None))


def x(assessments: object, period: Period) -> IndicatorResult:
    """A test indicator: only its identity is used."""
    raise NotImplementedError


make_spec(
    x,
    title="Test",
    short_title="Test",
    family=Family.CHILDREN_IN_NEED,
    unit="assessment",
    polarity=Polarity.HIGHER_IS_BETTER,
    sources=("test",),
)


def result(measures: list[int], excluded: int = 0):  # type: ignore[no-untyped-def]
    b = ResultBuilder(x)
    for i, m in enumerate(measures):
        b.count(f"C{i:03d}", object(), m <= 10, m)
    for i in range(excluded):
        b.exclude(f"X{i:03d}", object(), "left out")
    return b.build(PERIOD, {"limit": 10})


def test_bands_median_and_outcomes() -> None:
    d = Distribution.from_result(
        result([-1, 3, 6, 10, 11, 40], excluded=1), "x_bands", "X bands", BANDS
    )
    assert dict(d.bands) == {"low": 2, "mid": 2, "high": 2}
    assert d.median == 8.0
    assert d.total == 6
    assert d.percentages()["low"] == pytest.approx(100 / 3)
    assert [o.measure for o in d.outcomes_in("high")] == [11, 40]
    assert d.parameters["median_method"] == "midpoint" and d.parameters["limit"] == 10
    assert len(d.outcomes) == 7 and d.summary()["excluded"] == 1
    assert d.rows()[0]["band"] == "low"
    with pytest.raises(KeyError):
        d.outcomes_in("nowhere")


@pytest.mark.parametrize(("method", "median"), [("midpoint", 4.5), ("low", 3.0), ("high", 6.0)])
def test_median_methods_even_count(method: str, median: float) -> None:
    d = Distribution.from_result(result([1, 3, 6, 9]), "x", "X", BANDS, median_method=method)
    assert d.median == median


def test_empty() -> None:
    d = Distribution.from_result(result([]), "x", "X", BANDS)
    assert (
        d.median is None
        and d.total == 0
        and d.percentages() == {"low": None, "mid": None, "high": None}
    )


@pytest.mark.parametrize(
    "bands",
    [
        (),
        (("a", 0, 5), ("b", 7, None)),  # gap
        (("a", 0, 5), ("b", 5, None)),  # overlap
        (("a", 0, None), ("b", 5, None)),  # open top not last
        (("a", 0, 5), ("b", None, 9)),  # open bottom not first
        (("a", 5, 1),),  # ends before it starts
    ],
)
def test_bad_bands(bands: tuple[tuple[str, int | None, int | None], ...]) -> None:
    with pytest.raises(ValueError):
        Distribution.from_result(result([1]), "x", "X", bands)


def test_measure_outside_bands_and_bad_method() -> None:
    with pytest.raises(ValueError):
        Distribution.from_result(result([-3]), "x", "X", (("a", 0, None),))
    with pytest.raises(ValueError):
        Distribution.from_result(result([1]), "x", "X", BANDS, median_method="mean")


def test_distributions_keep_their_outcomes_in_a_summary_run() -> None:
    from csc_indicators import Assessment
    from csc_indicators.indicators import assessment_duration_bands
    from csc_indicators.results import keeping_outcomes

    records = [
        Assessment("C1", dt.date(2024, 4, 8), dt.date(2024, 4, 12)),
        Assessment("C2", dt.date(2024, 4, 8), dt.date(2024, 7, 1)),
    ]
    with keeping_outcomes(False):
        d = assessment_duration_bands(records, PERIOD)
    assert d.total == 2 and len(d.outcomes) == 2
    assert [o.measure for o in d.outcomes] == [4, 58]  # 6 and 27 May are bank holidays
