"""polars, written the modern way: eager reading into typed frames, then five lazy queries
collected together (``collect_all`` runs them in parallel and shares the care-history plan they
have in common); working days with ``polars.business_day_count``."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from .rules import (
    CSV_DATE,
    FOSTER_CARER_ADOPTION,
    INDICATORS,
    NEW_CARER_ADOPTION,
    NEW_PLACEMENT_RNE,
    SAME_CARER_MOVE_RNE,
    SAME_CARER_RNE,
    SHORT_BREAKS,
    XML_DATE,
    Rules,
    Timed,
    bank_holidays,
    read_cin_columns,
)

_HOLIDAYS: list[dt.date] = []


def prepare() -> None:
    """The England and Wales bank holidays, as the list ``business_day_count`` takes."""
    _HOLIDAYS[:] = bank_holidays(Rules.financial_year(2024))


def run(directory: Path, rules: Rules) -> Timed:
    import polars as pl

    t0 = time.perf_counter()
    tables = read_cin_columns(directory / "cin_census.xml").tables()

    referrals, assessments, section47s = (
        _census_frame(tables[n]) for n in ("referrals", "assessments", "section47s")
    )
    del tables
    ssda = directory / "ssda903"
    episodes = pl.read_csv(
        ssda / "episodes.csv",
        columns=["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"],
        infer_schema=False,
    ).with_columns(pl.col("DECOM", "DEC").str.to_date(CSV_DATE))
    header = pl.read_csv(ssda / "header.csv", columns=["CHILD", "DOB"], infer_schema=False)
    header = header.with_columns(pl.col("DOB").str.to_date(CSV_DATE))
    t1 = time.perf_counter()

    queries = [
        _assessments(assessments.lazy(), rules),
        _rereferrals(referrals.lazy(), rules),
        _conferences(section47s.lazy(), rules),
        *_placements(episodes.lazy(), header.lazy(), rules),
    ]
    frames = pl.collect_all(queries)
    figures = {
        indicator: (int(frame["met"][0] or 0), int(frame["counted"][0]))
        for indicator, frame in zip(INDICATORS, frames, strict=True)
    }
    t2 = time.perf_counter()
    return Timed(t1 - t0, t2 - t1, figures)


def _census_frame(columns: dict[str, list[str | None]]) -> Any:
    """One census table: text columns, the dates parsed."""
    import polars as pl

    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return frame.with_columns(pl.col(c).str.to_date(XML_DATE) for c in columns if c != "child")


def _figure(frame: Any, met: Any) -> Any:
    import polars as pl

    return frame.select(met=met.sum(), counted=pl.len())


def _working_days(start: str, end: str) -> Any:
    """Working days after ``start`` up to and including ``end`` (the library's default):
    ``business_day_count`` counts ``[start, end)``, so both are moved on a day."""
    import polars as pl

    one = pl.duration(days=1)
    return pl.business_day_count(pl.col(start) + one, pl.col(end) + one, holidays=_HOLIDAYS)


def _covered(*columns: str, rules: Rules) -> Any:
    import polars as pl

    return pl.all_horizontal(
        pl.col(c).is_between(rules.calendar_first, rules.calendar_last) for c in columns
    )


def _assessments(assessments: Any, rules: Rules) -> Any:
    import polars as pl

    done = assessments.filter(
        pl.col("authorised").is_between(rules.period_start, rules.period_end),
        pl.col("start") <= pl.col("authorised"),
        _covered("start", "authorised", rules=rules),
    ).unique(["child", "start", "authorised"])
    return _figure(done, _working_days("start", "authorised") <= rules.assessment_limit)


def _rereferrals(referrals: Any, rules: Rules) -> Any:
    import polars as pl

    gaps = (
        referrals.unique(["child", "date"])
        .sort("child", "date")
        .with_columns(gap=(pl.col("date") - pl.col("date").shift().over("child")).dt.total_days())
        .filter(pl.col("date").is_between(rules.period_start, rules.period_end))
    )
    return _figure(gaps, (pl.col("gap") <= rules.rereferral_days).fill_null(False))


def _conferences(section47s: Any, rules: Rules) -> Any:
    import polars as pl

    held = (
        section47s.filter(
            pl.col("conference").is_between(rules.period_start, rules.period_end),
            pl.col("start") <= pl.col("conference"),
        )
        # one conference per child and date, from the latest strategy discussion before it
        .group_by("child", "conference")
        .agg(pl.col("start").max())
        .filter(_covered("start", "conference", rules=rules))
    )
    return _figure(held, _working_days("start", "conference") <= rules.icpc_limit)


def _history(episodes: Any) -> Any:
    """The usable episodes in date order, each with the start of its period of care and the
    day the child began living with the current carer."""
    import polars as pl

    order = ["CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "REC"]
    usable = (
        episodes.filter(pl.col("DEC").is_null() | (pl.col("DEC") >= pl.col("DECOM")))
        .sort(order, nulls_last=[False, False, True, False, False, False, False])
        .unique(["CHILD", "DECOM"], keep="first", maintain_order=True)
    )
    prev_end = pl.col("DEC").shift()
    joins = (pl.col("CHILD") == pl.col("CHILD").shift()) & (
        prev_end.is_null()
        | (pl.col("DECOM") < prev_end)
        | ((pl.col("DECOM") == prev_end) & (pl.col("RNE") != "S"))
    )
    return (
        usable.with_columns(joins=joins.fill_null(False))
        .with_columns(
            period_no=(~pl.col("joins")).cum_sum(),
            carer_no=(~pl.col("joins") | ~pl.col("RNE").is_in(SAME_CARER_RNE)).cum_sum(),
        )
        .with_columns(
            care_start=pl.col("DECOM").first().over("period_no"),
            chain_start=pl.col("DECOM").first().over("carer_no"),
        )
        # the previous row's chain start, shifted over the whole frame: inside ``over`` the
        # shift would stay within the chain and give nothing on its first row
        .with_columns(before=pl.col("chain_start").shift())
        .with_columns(
            # NI 63: placed for adoption with new carers, the previous carer's time counts too
            clause=(pl.col("PLACE").is_in(NEW_CARER_ADOPTION) & pl.col("joins"))
            .first()
            .over("carer_no"),
            previous_chain=pl.col("before").first().over("carer_no"),
        )
        .with_columns(
            carer_since=pl.when("clause")
            .then(pl.col("previous_chain"))
            .otherwise(pl.col("chain_start"))
        )
    )


def _placements(episodes: Any, header: Any, rules: Rules) -> tuple[Any, Any]:
    import polars as pl

    history = _history(episodes)

    def open_on(day: dt.date) -> Any:
        """Each child's last episode starting on or before ``day``, if it still covers it."""
        started = history.filter(pl.col("DECOM") <= day)
        last = started.filter(pl.col("DECOM") == pl.col("DECOM").max().over("CHILD"))
        return last.filter(pl.col("DEC").is_null() | (pl.col("DEC") > day))

    end = rules.period_end
    cohort = open_on(end).filter(~pl.col("LS").is_in(SHORT_BREAKS))

    moves = history.filter(
        pl.col("DECOM") > rules.window_start,
        pl.col("DECOM") <= end,
        pl.col("RNE").is_in(NEW_PLACEMENT_RNE),
        ~(pl.col("RNE").is_in(SAME_CARER_MOVE_RNE) & pl.col("PLACE").is_in(FOSTER_CARER_ADOPTION)),
    )
    starts = (
        pl.concat([open_on(rules.window_start).select("CHILD"), moves.select("CHILD")])
        .group_by("CHILD")
        .agg(placements=pl.len())
    )
    three = _figure(
        cohort.select("CHILD").join(starts, on="CHILD", how="left"),
        pl.col("placements").fill_null(0) >= rules.placements_threshold,
    )

    born = header.group_by("CHILD").agg(pl.col("DOB").min())
    dob = pl.col("DOB")
    # dt.month() is an Int8: widen it before making a month-and-day number of it
    before_birthday = dob.dt.month().cast(pl.Int32) * 100 + dob.dt.day() > end.month * 100 + end.day
    age = end.year - dob.dt.year() - before_birthday.cast(pl.Int32)
    stable = cohort.join(born, on="CHILD", how="inner").filter(
        age < rules.max_age, pl.col("care_start") <= rules.care_cutoff
    )
    return three, _figure(stable, pl.col("carer_since") <= rules.carer_cutoff)
