"""The children-in-need event indicators over many periods (``over_periods``): for every period,
exactly what the single-period code gave before (``test_cinevents_reference.py``), figures,
outcomes and issues in order, with outcomes kept and in summary mode, twins included, the
records given as lists and as a bundle's tables (in any order, and in child order)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_indicators import (
    INDICATORS,
    DayCount,
    Period,
    WorkingDayCalendar,
    example_bundle,
    monthly_periods,
)
from csc_indicators._record_table import as_table
from csc_indicators.distribution import Distribution
from csc_indicators.indicators import assessment_duration_bands, icpc_duration_bands
from csc_indicators.indicators._twins import total_key
from csc_indicators.indicators.children_in_need.assessments import ASSESSMENT_BANDS
from csc_indicators.indicators.children_in_need.conferences import ICPC_BANDS
from csc_indicators.registry import over_periods_of
from csc_indicators.results import keeping_outcomes
from csc_indicators.synthetic import generate
from strategies.cin import History, broken_histories
from test_cinevents_reference import REFERENCES

IDS = sorted(REFERENCES)
NARROW = WorkingDayCalendar(first_year=2019, last_year=2024, name="2019-2024 only")

VARIANTS: dict[str, list[dict[str, Any]]] = {
    "assessments_within_45_working_days": [
        {},
        {"calendar": NARROW, "limit": 20, "convention": DayCount.INCLUSIVE_MINUS_ONE},
        {"convention": DayCount.EXCLUSIVE_END},
    ],
    "rereferrals_within_12_months": [
        {},
        {"window": relativedelta(months=12)},
        {"window": dt.timedelta(days=30)},
    ],
    "icpcs_within_15_working_days": [
        {},
        {"calendar": NARROW, "limit": 5, "convention": DayCount.INCLUSIVE_MINUS_ONE},
        {"transfer_ins": None},
    ],
    "icpcs_held": [{}, {"transfer_ins": None, "population": 1000}],
    "children_subject_to_s47_enquiries": [{}, {"population": 1000}],
    "children_subject_to_icpc": [{}, {"transfer_ins": (), "population": 1000}],
    "s47_enquiries_leading_to_icpc": [{}, {"exclude_undecided": True}],
}


def _arguments(ident: str, data: Any, options: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    spec = INDICATORS[ident]
    args = [getattr(data, name) for name in spec.inputs]
    kwargs = {name: getattr(data, name) for name in spec.optional_inputs}
    kwargs.update(options)
    return args, kwargs


def _tables(value: Any, ordered: bool) -> Any:
    """Records as a bundle holds them (a RecordTable, which remembers what is derived from
    it), in the order given or sorted by child and contents (so known in child order)."""
    if not isinstance(value, (list, tuple)) or not value:
        return value
    if ordered:
        value = sorted(value, key=lambda r: (r.child_id, total_key(r)))
    return as_table(value)


def _check(ident: str, data: Any, many_periods: list[Period], options: dict[str, Any]) -> None:
    args, kwargs = _arguments(ident, data, options)
    over = over_periods_of(INDICATORS[ident])
    assert over is not None
    reference = REFERENCES[ident]
    for keep in (True, False):
        with keeping_outcomes(keep):
            want = [reference(*args, p, **kwargs) for p in many_periods]
        # The records as given, then as a bundle's tables in that order and in child order:
        # each table used by every call below, so the later calls reuse what it remembers.
        for form in ("given", "table", "table in child order"):
            if form == "given":
                a_args, a_kwargs = args, kwargs
            else:
                ordered = form == "table in child order"
                a_args = [_tables(a, ordered) for a in args]
                a_kwargs = {k: _tables(v, ordered) for k, v in kwargs.items()}
            with keeping_outcomes(keep):
                got = over(*a_args, many_periods, **a_kwargs)
                alone = [INDICATORS[ident].function(*a_args, p, **a_kwargs) for p in many_periods]
            assert len(got) == len(many_periods)
            for p, g, w, a in zip(many_periods, got, want, alone, strict=True):
                assert g == w, f"{ident} over {p} (keep={keep}, {form})"
                assert g.issues == w.issues
                assert a == w, f"{ident} alone over {p} (keep={keep}, {form})"


def _series_periods() -> list[Period]:
    out = list(monthly_periods("2025-03", 12))
    out += [Period.financial_year(2023), Period.financial_year(2024), Period.financial_year(2024)]
    out.append(Period.parse("2024-02-29..2024-02-29"))
    return out


@pytest.fixture(scope="module")
def bundles() -> list[Any]:
    synthetic = attrs.evolve(generate(0.05, first_year=2022, years=3, seed=11), sources=())
    return [attrs.evolve(example_bundle(), sources=()), synthetic]


@pytest.mark.parametrize("ident", IDS)
def test_bundles_over_a_series(ident: str, bundles: list[Any]) -> None:
    for bundle in bundles:
        for options in VARIANTS[ident]:
            _check(ident, bundle, _series_periods(), options)


# -- twins: records of one event that differ (decision D14) ----------------------------------


def _conflicting(record: Any, shift: int) -> Any:
    """Another record of the same event (same child, same start or date), different contents."""
    d = dt.timedelta(days=shift)
    name = type(record).__name__
    if name == "Referral":
        return attrs.evolve(record, closure_date=record.date + abs(d))
    if name == "Assessment":
        return attrs.evolve(record, authorisation_date=record.start_date + abs(d))
    if name == "Section47":
        return attrs.evolve(
            record,
            conference_date=record.start_date + d,
            conference_not_required=shift % 2 == 0,
        )
    if name == "TransferInConference":
        return attrs.evolve(record, date=record.date + abs(d))
    return record


@st.composite
def twinned_histories(draw: st.DrawFn) -> History:
    """Broken histories with twins added: exact duplicates and conflicting records."""
    h = draw(broken_histories())
    extra: dict[str, tuple[Any, ...]] = {}
    for kind in ("referrals", "assessments", "section47s", "transfer_ins"):
        records = getattr(h, kind)
        if not records:
            continue
        picked = draw(st.lists(st.sampled_from(records), max_size=3))
        shifts = draw(st.lists(st.integers(-40, 60), min_size=len(picked), max_size=len(picked)))
        extra[kind] = tuple(
            _conflicting(r, s) if s else r for r, s in zip(picked, shifts, strict=True)
        )
    return h + History(**extra)


@st.composite
def period_lists(draw: st.DrawFn, history: History) -> list[Period]:
    """A few periods around the history's dates (a series' months, years to date and rolling
    years, or periods of any length), some repeated, some sharing a start or an end."""
    days = history.dates() or [dt.date(2020, 1, 1)]
    anchor = draw(st.sampled_from(days))
    out: list[Period] = []
    if draw(st.booleans()):
        month = f"{anchor.year:04d}-{anchor.month:02d}"
        out += monthly_periods(month, draw(st.integers(1, 4)))
    for _ in range(draw(st.integers(0 if out else 1, 4))):
        day = draw(st.sampled_from(days)) + dt.timedelta(days=draw(st.integers(-40, 40)))
        start = day - dt.timedelta(days=draw(st.integers(0, 400)))
        out.append(Period(start, day + dt.timedelta(days=draw(st.integers(0, 60)))))
    if draw(st.booleans()):
        p = out[0]
        out += [p, Period(p.start, p.start), Period(p.end, p.end)]
    return out


@pytest.mark.parametrize("ident", IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=twinned_histories(), data=st.data(), which=st.integers(0, 2))
def test_histories_with_twins(
    ident: str, history: History, data: st.DataObject, which: int
) -> None:
    variants = VARIANTS[ident]
    _check(ident, history, data.draw(period_lists(history)), variants[which % len(variants)])


# -- the duration bands use the same evaluation -----------------------------------------------


def test_duration_bands_unchanged(bundles: list[Any]) -> None:
    p = Period.financial_year(2024)
    for bundle in bundles:
        got = assessment_duration_bands(bundle.assessments, p)
        with keeping_outcomes(True):
            ref = REFERENCES["assessments_within_45_working_days"](bundle.assessments, p)
        assert got.outcomes == Distribution.from_result(ref, "x", "x", ASSESSMENT_BANDS).outcomes
        got = icpc_duration_bands(bundle.section47s, p, transfer_ins=bundle.transfer_ins)
        with keeping_outcomes(True):
            ref = REFERENCES["icpcs_within_15_working_days"](
                bundle.section47s, p, transfer_ins=bundle.transfer_ins
            )
        assert got.outcomes == Distribution.from_result(ref, "x", "x", ICPC_BANDS).outcomes
        assert got.issues == ref.issues
