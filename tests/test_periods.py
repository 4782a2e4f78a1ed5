"""Reporting periods: constructors, names, membership and tiling (decision D0)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_indicators import Period, PeriodKind
from strategies.dates import dates

D = dt.date
ONE = dt.timedelta(days=1)
years = st.integers(min_value=2000, max_value=2034)


@pytest.mark.parametrize(
    ("period", "start", "end", "name"),
    [
        (Period.financial_year(2024), D(2024, 4, 1), D(2025, 3, 31), "2024-25"),
        (Period.financial_year(1999), D(1999, 4, 1), D(2000, 3, 31), "1999-00"),
        (Period.quarter(2024, 1), D(2024, 4, 1), D(2024, 6, 30), "Q1 2024-25"),
        (Period.quarter(2024, 3), D(2024, 10, 1), D(2024, 12, 31), "Q3 2024-25"),
        (Period.quarter(2024, 4), D(2025, 1, 1), D(2025, 3, 31), "Q4 2024-25"),
        (Period.month(2024, 12), D(2024, 12, 1), D(2024, 12, 31), "December 2024"),
        (Period.month(2024, 2), D(2024, 2, 1), D(2024, 2, 29), "February 2024"),
        (Period.month(2023, 2), D(2023, 2, 1), D(2023, 2, 28), "February 2023"),
        (
            Period.rolling_12_months(D(2025, 3, 31)),
            D(2024, 4, 1),
            D(2025, 3, 31),
            "12 months to March 2025",
        ),
        (
            Period.rolling_12_months(D(2024, 2, 29)),
            D(2023, 3, 1),
            D(2024, 2, 29),
            "12 months to February 2024",
        ),
        (
            Period.year_to_date(D(2025, 1, 5)),
            D(2024, 4, 1),
            D(2025, 1, 5),
            "YTD 5 January 2025",
        ),
        (
            Period.year_to_date(D(2024, 4, 1)),
            D(2024, 4, 1),
            D(2024, 4, 1),
            "YTD 1 April 2024",
        ),
        (Period.financial_year_of(D(2025, 3, 31)), D(2024, 4, 1), D(2025, 3, 31), "2024-25"),
        (Period.financial_year_of(D(2025, 4, 1)), D(2025, 4, 1), D(2026, 3, 31), "2025-26"),
        (
            Period(D(2024, 1, 1), D(2024, 1, 2)),
            D(2024, 1, 1),
            D(2024, 1, 2),
            "2024-01-01 to 2024-01-02",
        ),
    ],
)
def test_constructors(period: Period, start: dt.date, end: dt.date, name: str) -> None:
    assert (period.start, period.end, str(period)) == (start, end, name)


def test_membership_is_inclusive() -> None:
    fy = Period.financial_year(2024)
    assert D(2024, 4, 1) in fy and D(2025, 3, 31) in fy
    assert D(2024, 3, 31) not in fy and D(2025, 4, 1) not in fy
    assert dt.datetime(2025, 3, 31, 23, 59) in fy
    assert "2024-05-01" not in fy
    assert fy.days == 365 and Period.financial_year(2023).days == 366


def test_validation() -> None:
    with pytest.raises(ValueError, match="cannot end before it starts"):
        Period(D(2024, 1, 2), D(2024, 1, 1))
    with pytest.raises(TypeError):
        Period("2024-01-01", D(2024, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Period.quarter(2024, 5)
    with pytest.raises(ValueError):
        Period.month(2024, 13)


def test_equality_ignores_the_label_and_periods_are_immutable() -> None:
    assert Period.financial_year(2024) == Period(D(2024, 4, 1), D(2025, 3, 31))
    assert hash(Period.financial_year(2024)) == hash(Period(D(2024, 4, 1), D(2025, 3, 31)))
    with pytest.raises(AttributeError):
        Period.financial_year(2024).start = D(2020, 1, 1)  # type: ignore[misc]


def test_overlaps() -> None:
    assert Period.quarter(2024, 1).overlaps(Period.month(2024, 6))
    assert not Period.quarter(2024, 1).overlaps(Period.quarter(2024, 2))


@given(years)
def test_quarters_tile_the_year(year: int) -> None:
    fy = Period.financial_year(year)
    qs = [Period.quarter(year, q) for q in (1, 2, 3, 4)]
    assert qs[0].start == fy.start and qs[-1].end == fy.end
    for a, b in itertools.pairwise(qs):
        assert b.start == a.end + ONE
    assert sum(q.days for q in qs) == fy.days


@given(years)
def test_months_tile_the_year(year: int) -> None:
    fy = Period.financial_year(year)
    ms = [Period.month(year + (m < 4), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    assert ms[0].start == fy.start and ms[-1].end == fy.end
    for a, b in itertools.pairwise(ms):
        assert b.start == a.end + ONE


@given(years)
def test_years_tile(year: int) -> None:
    assert Period.financial_year(year + 1).start == Period.financial_year(year).end + ONE


@given(dates)
def test_every_day_is_in_exactly_one_financial_year_and_quarter(d: dt.date) -> None:
    fy = Period.financial_year_of(d)
    assert d in fy
    assert d not in Period.financial_year(fy.start.year - 1)
    assert d not in Period.financial_year(fy.start.year + 1)
    assert sum(d in Period.quarter(fy.start.year, q) for q in (1, 2, 3, 4)) == 1


@given(dates)
def test_rolling_12_months_is_a_year_long(d: dt.date) -> None:
    p = Period.rolling_12_months(d)
    assert p.end == d and 365 <= p.days <= 366
    assert Period.rolling_12_months(p.start - ONE).end == p.start - ONE


@given(dates)
def test_year_to_date_starts_on_1_april(d: dt.date) -> None:
    p = Period.year_to_date(d)
    assert p.start.month == 4 and p.start.day == 1 and p.end == d
    assert p.start == Period.financial_year_of(d).start


def test_financial_year_number() -> None:
    from csc_indicators.periods import financial_year_number

    assert financial_year_number(dt.date(2025, 3, 31)) == 2024
    assert financial_year_number(dt.date(2025, 4, 1)) == 2025
    assert financial_year_number(dt.date(2024, 2, 29)) == 2023
    # every date has one, even where no Period can start
    assert financial_year_number(dt.date(1, 3, 31)) == 0
    assert financial_year_number(dt.date(9999, 12, 31)) == 9999


@given(dates)
def test_financial_year_number_names_the_year_of_financial_year_of(d: dt.date) -> None:
    from csc_indicators.periods import financial_year_number

    assert Period.financial_year_of(d).start.year == financial_year_number(d)


# -- kinds, labels and parsing (issue #13) -----------------------------------------------------

K = PeriodKind


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "label", "code"),
    [
        ("2024-12", D(2024, 12, 1), D(2024, 12, 31), K.IN_MONTH, "December 2024", "2024-12"),
        ("December 2024", D(2024, 12, 1), D(2024, 12, 31), K.IN_MONTH, "December 2024", "2024-12"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), K.IN_MONTH, "February 2024", "2024-02"),
        ("ytd:2024-12", D(2024, 4, 1), D(2024, 12, 31), K.YTD, "YTD December 2024", "ytd:2024-12"),
        ("YTD December 2024", D(2024, 4, 1), D(2024, 12, 31), K.YTD, "YTD December 2024",
         "ytd:2024-12"),
        ("ytd:2025-03", D(2024, 4, 1), D(2025, 3, 31), K.YTD, "YTD March 2025", "ytd:2025-03"),
        ("ytd:2025-04", D(2025, 4, 1), D(2025, 4, 30), K.YTD, "YTD April 2025", "ytd:2025-04"),
        ("ytd:2025-01-05", D(2024, 4, 1), D(2025, 1, 5), K.YTD, "YTD 5 January 2025",
         "ytd:2025-01-05"),
        ("12m:2024-12", D(2024, 1, 1), D(2024, 12, 31), K.ROLLING_12,
         "12 months to December 2024", "12m:2024-12"),
        ("12m:2024-02", D(2023, 3, 1), D(2024, 2, 29), K.ROLLING_12,
         "12 months to February 2024", "12m:2024-02"),
        ("12m:2025-03", D(2024, 4, 1), D(2025, 3, 31), K.ROLLING_12, "12 months to March 2025",
         "12m:2025-03"),
        ("12 months to 5 January 2025", D(2024, 1, 6), D(2025, 1, 5), K.ROLLING_12,
         "12 months to 5 January 2025", "12m:2025-01-05"),
        ("Q3:2024", D(2024, 10, 1), D(2024, 12, 31), K.QUARTER, "Q3 2024-25", "Q3:2024"),
        ("q4 2024-25", D(2025, 1, 1), D(2025, 3, 31), K.QUARTER, "Q4 2024-25", "Q4:2024"),
        ("2024-25", D(2024, 4, 1), D(2025, 3, 31), K.YEAR, "2024-25", "2024-25"),
        ("2024-2025", D(2024, 4, 1), D(2025, 3, 31), K.YEAR, "2024-25", "2024-25"),
        ("1999-00", D(1999, 4, 1), D(2000, 3, 31), K.YEAR, "1999-00", "1999-00"),
        ("fy:2011", D(2011, 4, 1), D(2012, 3, 31), K.YEAR, "2011-12", "fy:2011"),
        ("2011-12", D(2011, 12, 1), D(2011, 12, 31), K.IN_MONTH, "December 2011", "2011-12"),
        ("2024-04-01..2025-03-31", D(2024, 4, 1), D(2025, 3, 31), K.CUSTOM,
         "2024-04-01 to 2025-03-31", "2024-04-01..2025-03-31"),
        ("01/12/2024..31/12/2024", D(2024, 12, 1), D(2024, 12, 31), K.CUSTOM,
         "2024-12-01 to 2024-12-31", "2024-12-01..2024-12-31"),
        ("  1/4/2024 .. 2024-04-01 ", D(2024, 4, 1), D(2024, 4, 1), K.CUSTOM,
         "2024-04-01 to 2024-04-01", "2024-04-01..2024-04-01"),
    ],
)  # fmt: skip
def test_parse(
    text: str, start: dt.date, end: dt.date, kind: PeriodKind, label: str, code: str
) -> None:
    p = Period.parse(text)
    assert (p.start, p.end, p.kind, p.label, str(p), p.code) == (
        start,
        end,
        kind,
        label,
        label,
        code,
    )
    assert repr(p) == f"Period.parse({code!r})"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nope", "cannot read 'nope' as a period: expected one of 2024-12, Q3:2024, ytd:2024-12, "
         "12m:2024-12, 2024-25, 2024-04-01..2025-03-31, 01/04/2024..31/03/2025"),
        ("2024-13", "'2024-13' is neither a month (01 to 12) nor a financial year (2024-25)"),
        ("2024-26", "'2024-26' is neither a month (01 to 12) nor a financial year (2024-25)"),
        ("Q5:2024", "expected one of"),
        ("31/02/2024..01/03/2024", "no such day: '31/02/2024'"),
        ("2024-03-01..2024-02-01", "a period cannot end before it starts"),
        ("0000-12", "cannot read '0000-12' as a period: year 0 is out of range"),
        ("ytd:9999-12", "year 10000 is out of range"),
        ("", "expected one of"),
        ("2024-04-01..", "expected one of"),
    ],
)  # fmt: skip
def test_parse_errors_name_the_text_and_the_forms(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="cannot read") as caught:
        Period.parse(text)
    assert message in str(caught.value)


def test_kind_does_not_take_part_in_equality() -> None:
    """Results merge by period: the same dates are one period whatever they are called."""
    fy = Period.financial_year(2024)
    same = [
        Period.parse("2024-04-01..2025-03-31"),
        Period.year_to_date(D(2025, 3, 31)),
        Period.rolling_12_months(D(2025, 3, 31)),
    ]
    assert all(p == fy and hash(p) == hash(fy) for p in same)
    assert [p.kind for p in same] == [K.CUSTOM, K.YTD, K.ROLLING_12]
    assert len({fy, *same}) == 1
    assert Period(D(2024, 1, 1), D(2024, 1, 2), label="two days").label == "two days"


def test_periods_pickle_with_their_kind_and_label() -> None:
    import pickle

    for p in (Period.parse("ytd:2024-12"), Period(D(2024, 1, 1), D(2024, 1, 2), label="x")):
        again = pickle.loads(pickle.dumps(p))
        assert (again, again.kind, again.label) == (p, p.kind, p.label)


kinds_of_periods = st.one_of(
    st.builds(Period.financial_year, years),
    st.builds(Period.quarter, years, st.integers(1, 4)),
    st.builds(Period.month, years, st.integers(1, 12)),
    st.builds(Period.year_to_date, dates),
    st.builds(Period.rolling_12_months, dates),
    st.builds(lambda a, b: Period(min(a, b), max(a, b)), dates, dates),
)


@given(kinds_of_periods)
def test_parse_reads_back_the_code_and_the_label(p: Period) -> None:
    texts = [p.code, p.code.upper()]
    if not p.code.startswith("fy:"):  # "2000-01" to "2011-12" read as months
        texts += [p.label, f"  {p.label.lower()} "]
    for text in texts:
        again = Period.parse(text)
        assert (again.start, again.end, again.kind, again.label) == (
            p.start,
            p.end,
            p.kind,
            p.label,
        )


@given(dates)
def test_kinds_date_arithmetic(d: dt.date) -> None:
    month = Period.parse(f"{d.year:04d}-{d.month:02d}")
    assert d in month and month.start.day == 1 and (month.end + ONE).day == 1
    ytd = Period.parse(f"ytd:{d.isoformat()}")
    assert ytd.start == D(d.year if d.month >= 4 else d.year - 1, 4, 1) and ytd.end == d
    rolling = Period.parse(f"12m:{d.isoformat()}")
    assert rolling.end == d and rolling.days in (365, 366)
    # the 12 months to the end of a month start on the 1st of the month a year before
    to_month_end = Period.parse(f"12m:{d.year:04d}-{d.month:02d}")
    after = month.end + ONE
    assert to_month_end.start == after.replace(year=after.year - 1)
    # the year to 31 March is the whole financial year; the year to 1 April is one day
    assert Period.parse(f"ytd:{d.year}-03") == Period.financial_year(d.year - 1)
    assert Period.year_to_date(D(d.year, 4, 1)).days == 1


def test_leap_years() -> None:
    assert Period.parse("12m:2024-02-29").start == D(2023, 3, 1)
    assert Period.parse("12m:2024-02-28").start == D(2023, 3, 1)
    # the 12 months to February 2025 are March 2024 to February 2025, without 29 February 2024
    assert Period.parse("12m:2025-02-28").start == D(2024, 3, 1)
    assert Period.parse("12m:2025-02").days == 365
    assert Period.parse("12m:2025-03-01").start == D(2024, 3, 2)
    assert Period.parse("2023-24").days == 366 and Period.parse("2024-25").days == 365
    assert Period.parse("ytd:2024-02").days == 335
