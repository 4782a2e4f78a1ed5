"""Properties of reconciliation: our outcomes agree with themselves for every indicator, in any
date format; a list computed under another day-count convention is explained as that
convention; a constant shift of every measure is reported as a constant offset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from csc_indicators import INDICATORS, Assessment, Bundle, DayCount, Period, reconcile
from csc_indicators.indicators import assessments_within_45_working_days
from csc_indicators.reconciliation import IDENTITY, Status, compute
from strategies.returns import cin_bundles, looked_after_bundles

FY = Period.financial_year(2024)
CIN = [s.id for s in INDICATORS.by_family("children in need")]
LAC = [
    s.id
    for s in INDICATORS.by_family("looked after")
    if "health_assessments" not in s.inputs  # the generated bundles hold no local IHA data
]


def _date_text(day: dt.date, style: int) -> object:
    if style == 0:
        return day
    if style == 1:
        return day.isoformat()
    if style == 2:
        return day.strftime("%d/%m/%Y")
    if style == 3:
        return f"{day.day}/{day.month}/{day.year % 100:02d}"
    return str((day - dt.date(1899, 12, 30)).days)  # an Excel serial


def our_rows(result: Any, style: int) -> list[dict[str, object]]:
    """Our outcomes as their list would give them: child, identifying dates, flags, measure."""
    rows = []
    for o in result.outcomes:
        row: dict[str, object] = {"child_id": o.child_id}
        for role, field in IDENTITY.get(type(o.record), {}).items():
            value = getattr(o.record, field)
            row[role] = "" if value is None else _date_text(value, style)
        row.update(counted="Y" if o.counted else "N", met="Y" if o.met else "N", measure=o.measure)
        rows.append(row)
    return rows


def _self_check(indicator: str, bundle: Bundle, style: int) -> None:
    result = compute(INDICATORS[indicator], bundle, FY)
    rows = our_rows(result, style)
    if not rows:
        return
    rec = reconcile(result, rows, data=bundle, search=False)
    assert {c.status for c in rec.comparisons} == {Status.AGREE}, indicator
    assert len(rec.comparisons) == len(result.outcomes)
    assert rec.theirs.denominator == result.denominator
    if rec.theirs.numerator is not None and result.kind.name == "PERCENTAGE":
        assert rec.theirs.numerator == result.numerator


@settings(max_examples=40)
@given(cin_bundles(), st.sampled_from(CIN), st.integers(0, 4))
def test_cin_outcomes_agree_with_themselves(bundle: Bundle, indicator: str, style: int) -> None:
    _self_check(indicator, bundle, style)


@settings(max_examples=40)
@given(looked_after_bundles(), st.sampled_from(LAC), st.integers(0, 4))
def test_looked_after_outcomes_agree_with_themselves(
    bundle: Bundle, indicator: str, style: int
) -> None:
    _self_check(indicator, bundle, style)


starts = st.dates(dt.date(2024, 1, 1), dt.date(2025, 1, 31))


@st.composite
def assessments(draw: st.DrawFn) -> list[Assessment]:
    out = []
    for i in range(draw(st.integers(1, 12))):
        start = draw(starts)
        end = start + dt.timedelta(days=draw(st.integers(0, 90)))
        out.append(Assessment(f"C{i}", start, end))
    return out


@settings(max_examples=60)
@given(assessments(), st.sampled_from([DayCount.EXCLUSIVE_END, DayCount.INCLUSIVE_MINUS_ONE]))
def test_a_list_under_another_convention_is_explained_as_the_convention(
    data: list[Assessment], convention: DayCount
) -> None:
    ours = assessments_within_45_working_days(data, FY)
    theirs = assessments_within_45_working_days(data, FY, convention=convention)
    assume(any(a.measure != b.measure for a, b in zip(ours.outcomes, theirs.outcomes, strict=True)))
    rows = our_rows(theirs, 2)
    rec = reconcile(ours, rows, data={"assessments": data})
    assert rec.suggestion is not None
    assert rec.suggestion.name == "convention"
    assert rec.suggestion.after == 0
    # The value found reproduces their measures exactly (EXCLUSIVE_END and
    # INCLUSIVE_MINUS_ONE can agree on some dates, so it need not be the one they used).
    found = assessments_within_45_working_days(data, FY, convention=rec.suggestion.value)  # type: ignore[arg-type]
    assert [o.measure for o in found.outcomes] == [o.measure for o in theirs.outcomes]


@settings(max_examples=40)
@given(assessments(), st.integers(1, 3))
def test_a_constant_shift_is_reported_as_an_offset(data: list[Assessment], shift: int) -> None:
    ours = assessments_within_45_working_days(data, FY)
    counted = [o for o in ours.outcomes if o.counted]
    assume(counted)
    shifted = attrs.evolve(
        ours,
        outcomes=[
            attrs.evolve(o, measure=o.measure + shift)  # type: ignore[operator]
            for o in counted
        ],
    )
    rows = our_rows(shifted, 1)
    for row in rows:
        row.pop("met")
    rec = reconcile(ours, rows, search=False)
    n = len(counted)
    assert rec.counts()[Status.MEASURE_DIFFERS] == n
    assert rec.offsets == (
        f"{n} of {n} measures are ours + {shift}",
        f"every differing measure is ours + {shift}: a constant offset",
    )
