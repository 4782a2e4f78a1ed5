"""A bundle's records as a RecordTable (a tuple that remembers what indicators derive from it)
and the bulk outcome builder the working-day indicators use (issue #12)."""

from __future__ import annotations

import datetime as dt
import pickle
from operator import attrgetter
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_indicators import Assessment, Bundle, Period, Section47, example_bundle
from csc_indicators._record_table import (
    ChildOrder,
    RecordTable,
    _on_reuse,
    as_table,
    child_order,
    dated_runs,
    remembered_runs,
    with_date,
)
from csc_indicators.builder import counted_outcomes
from csc_indicators.decisions import Decisions
from csc_indicators.indicators import (
    assessments_within_45_working_days,
    icpcs_within_15_working_days,
)
from csc_indicators.indicators._common import in_child_order_dated
from csc_indicators.results import FrozenMap, Outcome, keeping_outcomes, record_fields

D = dt.date


def _assessment(child: str, start: D, done: D | None) -> Assessment:
    return Assessment(child, start, done)


def test_a_bundle_holds_tables_that_are_tuples() -> None:
    b = example_bundle()
    assert type(b.assessments) is RecordTable
    assert isinstance(b.assessments, tuple)
    assert b.assessments == tuple(b.assessments)
    assert repr(b.assessments) == repr(tuple(b.assessments))
    again = attrs.evolve(b, sources=())
    assert again.assessments is b.assessments  # the same table, with what it remembers
    assert Bundle(assessments=[]).assessments == ()
    assert Bundle().assessments is None


def test_a_table_pickles_as_its_records_alone() -> None:
    table = as_table([_assessment("A", D(2024, 5, 1), None)])
    _on_reuse(table, "probe", len)
    _on_reuse(table, "probe", len)
    assert table.__dict__ == {"probe": 1}
    back = pickle.loads(pickle.dumps(table))
    assert type(back) is RecordTable
    assert back == table
    assert back.__dict__ == {}  # what was derived is derived again


def test_found_on_the_second_request_and_only_on_a_table() -> None:
    calls: list[int] = []

    def make(records: object) -> int:
        calls.append(1)
        return 7

    records = [_assessment("A", D(2024, 5, 1), None)]
    assert _on_reuse(records, "k", make) is None
    assert _on_reuse(records, "k", make) is None
    assert calls == []  # a list: nothing found, nothing remembered
    table = as_table(records)
    assert _on_reuse(table, "k", make) is None  # asked once: not worth finding
    assert _on_reuse(table, "k", make) == 7
    assert _on_reuse(table, "k", make) == 7
    assert len(calls) == 1  # found once, then remembered
    assert _on_reuse(table, "other", make) is None  # another key: asked afresh
    assert _on_reuse(table, "other", make) == 7
    assert len(calls) == 2


def _known(records: list[Assessment], same: object) -> object:
    """child_order of a new table of ``records``, asked for twice (found the second time)."""
    table = as_table(records)
    assert child_order(table, same) is None  # type: ignore[arg-type]
    return child_order(table, same)  # type: ignore[arg-type]


def test_child_order_and_with_date() -> None:
    a = _assessment("A", D(2024, 5, 1), D(2024, 6, 1))
    b = _assessment("A", D(2024, 7, 1), None)
    twin = _assessment("A", D(2024, 7, 1), D(2024, 8, 1))
    c = _assessment("B", D(2024, 4, 1), D(2024, 4, 2))

    def started(r: Assessment) -> D:
        return r.start_date

    known = _known([a, b, c], started)
    assert isinstance(known, ChildOrder) and dict(known.twins) == {}
    known = _known([a, b, twin, c, c], started)
    assert isinstance(known, ChildOrder)
    assert dict(known.twins) == {"A": (a, b, twin), "B": (c, c)}  # the same record twice too
    assert _known([b, a, c], started) is None  # starts out of order
    assert _known([c, a], started) is None  # children out of order
    assert child_order([a, b, c], started) is None  # not a table
    assert child_order([a, b, c], started) is None
    table = as_table([a, twin, b])
    child_order(table, started)
    assert child_order(table, started) is child_order(table, started)  # remembered

    def done(r: Assessment) -> D | None:
        return r.authorisation_date

    assert _known([a, b], done) is None  # None beside a date: order unknown
    table = as_table([a, b, c])
    assert with_date(table, done) is table  # asked once: not worth finding
    assert with_date(table, done) == [a, c]
    listed = [a, b, c]
    assert with_date(listed, done) is listed
    assert with_date(listed, done) is listed


def test_dated_runs_remembered_from_the_first_request_on_a_table() -> None:
    """Where each child with a record dated in a span has its records: found in one pass,
    remembered on a table from its first request (by the field an attrgetter reads, whichever
    module made it), for the last four spans; worked out each time for a list, or for a
    function that is not an attrgetter."""
    a1 = _assessment("A", D(2024, 5, 1), D(2024, 6, 1))
    a2 = _assessment("A", D(2023, 1, 1), D(2023, 2, 1))
    b1 = _assessment("B", D(2023, 4, 1), None)
    c1 = _assessment("C", D(2024, 7, 1), D(2024, 7, 2))
    c2 = _assessment("C", D(2022, 7, 1), None)
    records = [a1, a2, b1, c1, c2]
    first, last = D(2024, 4, 1), D(2025, 3, 31)
    started = attrgetter("start_date")
    runs = dated_runs(records, started, first, last)
    assert runs is not None
    ids, starts, stops = runs
    assert (ids, list(starts), list(stops)) == (["A", "C"], [0, 3], [2, 5])
    assert dated_runs(records, started, first, last) is not runs  # a list: each time anew
    table = as_table(records)
    got = dated_runs(table, started, first, last)
    assert got == runs
    assert dated_runs(table, attrgetter("start_date"), first, last) is got  # the same field
    other = dated_runs(table, attrgetter("authorisation_date"), first, last)
    assert other is not None and other[0] == ["A", "C"]
    earlier = dated_runs(table, started, D(2023, 4, 1), D(2023, 12, 31))
    assert earlier is not None and earlier[0] == ["B"] and list(earlier[1]) == [2]
    for year in (2019, 2020, 2021):  # three more spans: the first one asked is forgotten
        dated_runs(table, started, D(year, 4, 1), D(year + 1, 3, 31))
    again = dated_runs(table, started, first, last)
    assert again == got and again is not got
    assert dated_runs(as_table([c1, a1]), started, first, last) is None  # out of order
    by_function = dated_runs(table, lambda r: r.start_date, first, last)
    assert by_function == got and by_function is not got  # not an attrgetter: not remembered
    assert dated_runs(table, lambda r: r.start_date, first, last) is not by_function
    assert remembered_runs(table, started, first, last) is again  # where they are remembered
    assert remembered_runs(records, started, first, last) is None  # a list: not at all
    assert remembered_runs(table, lambda r: r.start_date, first, last) is None
    empty = dated_runs(as_table([]), started, first, last)
    assert empty is not None and [list(x) for x in empty] == [[], [], []]


def test_in_child_order_dated_gives_new_lists_each_time() -> None:
    """The remembered runs are shared, the lists given are not: a caller sorting its
    child's records in place changes nothing for the next."""
    a1 = _assessment("A", D(2024, 5, 1), D(2024, 6, 1))
    a2 = _assessment("A", D(2023, 1, 1), D(2023, 2, 1))
    c1 = _assessment("C", D(2024, 7, 1), None)
    table = as_table([a1, a2, c1])
    first, last = D(2024, 4, 1), D(2025, 3, 31)
    started = attrgetter("start_date")
    got = in_child_order_dated(table, started, first, last)
    assert got == [("A", [a1, a2]), ("C", [c1])]
    assert got is not None
    got[0][1].sort(key=started)
    assert in_child_order_dated(table, started, first, last) == [("A", [a1, a2]), ("C", [c1])]
    assert in_child_order_dated(as_table([c1, a1]), started, first, last) is None


def test_counted_outcomes_equal_outcomes_made_one_by_one() -> None:
    a = _assessment("A", D(2024, 5, 1), D(2024, 6, 1))
    c = _assessment("B", D(2024, 4, 1), D(2024, 4, 2))
    details = [{"start_date": a.start_date}, {"start_date": c.start_date, "x": 1}]
    made = counted_outcomes(["A", "B"], [a, c], [True, False], [22, 50], ["r1", "r2"], details)
    assert made == [
        Outcome("A", a, True, True, 22, "r1", {"start_date": a.start_date}),
        Outcome("B", c, True, False, 50, "r2", {"start_date": c.start_date, "x": 1}),
    ]
    assert all(type(o) is Outcome for o in made)
    assert dict(made[1].details) == {"start_date": c.start_date, "x": 1}
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(ValueError, match="different lengths"):
        counted_outcomes(["A"], [a, c], [True], [1], ["r"], [{"k": 1}])


def test_counted_outcomes_in_blocks_keep_every_field_in_place() -> None:
    """Built by blocks of outcomes, the ``i``-th outcome still takes the ``i``-th item of
    every column, across block boundaries and in a last, partial block."""
    n = 2 * 1024 + 37
    records = [
        _assessment(f"C{i:05}", D(2024, 4, 1), D(2024, 4, 1) + dt.timedelta(i % 90))
        for i in range(n)
    ]
    ids = [r.child_id for r in records]
    met = [i % 3 == 0 for i in range(n)]
    measures = [i % 90 for i in range(n)]
    whys = [f"{m} working days" for m in measures]
    dicts = [{"n": i} for i in range(n)]
    fields = record_fields(("start_date", "authorisation_date"))
    for more in (dicts, fields):
        made = counted_outcomes(ids, records, met, measures, whys, more)
        assert len(made) == n
        for i in (0, 1023, 1024, 1025, 2047, 2048, n - 1):
            r = records[i]
            want = (
                {"n": i}
                if more is dicts
                else {"start_date": r.start_date, "authorisation_date": r.authorisation_date}
            )
            assert made[i] == Outcome(ids[i], r, True, met[i], measures[i], whys[i], want)
    assert counted_outcomes([], [], [], [], [], fields) == []


def test_details_read_from_the_record_are_the_frozen_map_of_its_values() -> None:
    """Outcomes whose details are their record's own fields (``RecordFields``): equal to,
    shown as and pickled as the ``FrozenMap`` of a dict of the same values, in that order."""
    a = _assessment("A", D(2024, 5, 1), D(2024, 6, 1))
    fields = record_fields(("start_date", "authorisation_date"))
    assert record_fields(("start_date", "authorisation_date")) is fields  # made once
    want = {"start_date": D(2024, 5, 1), "authorisation_date": D(2024, 6, 1)}
    (made,) = counted_outcomes(["A"], [a], [True], [22], ["r"], fields)
    assert made == Outcome("A", a, True, True, 22, "r", want)
    details = made.details
    assert isinstance(details, FrozenMap) and type(details) is not FrozenMap
    assert details == FrozenMap(want) and FrozenMap(want) == details and details == want
    assert list(details) == list(want) and len(details) == 2
    assert list(details.items()) == list(want.items())
    assert repr(details) == repr(FrozenMap(want))
    assert details["authorisation_date"] == D(2024, 6, 1) and "start_date" in details
    assert "child_id" not in details and details.get("child_id") is None
    with pytest.raises(KeyError):
        details["child_id"]
    back = pickle.loads(pickle.dumps(made))
    assert back == made and type(back.details) is FrozenMap
    assert made.to_row()["authorisation_date"] == D(2024, 6, 1)
    with pytest.raises(ValueError, match="no field names"):
        record_fields(())


def test_kept_outcomes_of_the_working_day_indicators_carry_their_dates() -> None:
    """The bulk-built outcomes of both working-day indicators hold the dates they measured."""
    p = Period.financial_year(2024)
    a = _assessment("A", D(2024, 5, 1), D(2024, 6, 1))
    s = Section47("B", D(2024, 5, 1), D(2024, 5, 14))
    for fn, record, end in (
        (assessments_within_45_working_days, a, "authorisation_date"),
        (icpcs_within_15_working_days, s, "conference_date"),
    ):
        for records in ([record], as_table([record])):
            (o,) = fn(records, p).outcomes  # type: ignore[operator]
            assert dict(o.details) == {"start_date": D(2024, 5, 1), end: getattr(record, end)}
            # Working days after 1 May 2024, bank holidays 6 and 27 May not counted.
            assert o.measure == (20 if fn is assessments_within_45_working_days else 8)


def test_add_outcomes_figures_given_or_found_agree() -> None:
    p = Period.financial_year(2024)
    a = _assessment("A", D(2024, 5, 1), D(2024, 6, 1))
    c = _assessment("B", D(2024, 4, 1), D(2024, 4, 2))
    made = counted_outcomes(
        ["A", "B"], [a, c], [True, False], [22, 50], ["r1", "r2"], [{"k": 1}, {"k": 2}]
    )
    day = D(2024, 6, 1).toordinal()
    results = []
    for figures in (None, (2, 1, 72)):
        d = Decisions(assessments_within_45_working_days, [p], keep_outcomes=True)
        d.add_outcomes([day, day], made, figures)
        d.exclude("C", c, "not in the unit", day=D(2024, 6, 2))
        results.append(d.results({})[0])
    assert results[0] == results[1]
    assert (results[0].numerator, results[0].denominator) == (1, 2)
    assert len(results[0].outcomes) == 3


_DAYS = st.dates(D(2023, 1, 1), D(2025, 12, 31))


@st.composite
def _records(draw: st.DrawFn, kind: type[Any], ends: str, longest: int) -> list[Any]:
    """Records of ``kind`` (a start date, then the date ``ends`` names, up to ``longest``
    days later or none), with a twin: another record of one event, its end drawn anew."""
    out: list[Any] = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(_DAYS)
        gap = draw(st.none() | st.integers(-5, longest))
        end = None if gap is None else start + dt.timedelta(days=gap)
        extra = {"conference_not_required": draw(st.booleans())} if kind is Section47 else {}
        out.append(kind(draw(st.sampled_from("ABCD")), start, end, **extra))
    if out and draw(st.booleans()):
        out.append(attrs.evolve(out[0], **{ends: draw(st.none() | _DAYS)}))
    return out


@settings(max_examples=150, deadline=None)
@given(
    _records(Assessment, "authorisation_date", 90),
    _records(Section47, "conference_date", 40),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_a_table_gives_what_a_list_gives(
    assessments: list[Assessment], enquiries: list[Section47], keep: bool, rnd: object
) -> None:
    """Whatever the order (and twins), a table gives the figures, outcomes and issues of the
    same records in a list, on its first call and when it finds and reuses what it
    remembers."""
    p = Period.financial_year(2024)
    for records, fn in (
        (assessments, assessments_within_45_working_days),
        (enquiries, icpcs_within_15_working_days),
    ):
        with keeping_outcomes(keep):
            want = fn(list(records), p)  # type: ignore[operator]
            for ordered in (False, True):
                items = sorted(records, key=lambda r: (r.child_id, r.start_date))
                if not ordered:
                    rnd.shuffle(items)  # type: ignore[attr-defined]
                table = as_table(items)
                # The first call finds nothing, the second finds what it may, the third
                # reuses it.
                for _ in range(3):
                    got = fn(table, p)  # type: ignore[operator]
                    assert got == want
                    assert got.issues == want.issues
