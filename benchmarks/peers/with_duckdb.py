"""DuckDB, as a council's data team would write it: the returns loaded into tables, the rules
in SQL, and working days from a date dimension (one row per day with the running count of
working days, so that a duration is the difference of two look-ups)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from .rules import (
    FOSTER_CARER_ADOPTION,
    INDICATORS,
    NEW_CARER_ADOPTION,
    NEW_PLACEMENT_RNE,
    SAME_CARER_MOVE_RNE,
    SAME_CARER_RNE,
    SHORT_BREAKS,
    Rules,
    Timed,
    bank_holidays,
    read_cin_columns,
)

_CONNECTION: list[Any] = []


def _codes(codes: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


DATE_DIMENSION = """
CREATE OR REPLACE TABLE working_days AS
SELECT day,
       count(*) FILTER (WHERE dayofweek(day) BETWEEN 1 AND 5 AND NOT is_holiday)
           OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS worked
FROM (
    SELECT range::DATE AS day, range::DATE IN (SELECT day FROM bank_holidays) AS is_holiday
    FROM range($first::DATE, $last::DATE + 1, INTERVAL 1 DAY)
)
"""
"""``worked`` is the number of working days from the dimension's first day up to and including
``day``, so ``worked(end) - worked(start)`` counts the working days after ``start`` up to and
including ``end`` (the library's ``EXCLUSIVE_START``). A date outside the dimension has no row:
the inner joins below leave it out, as the library leaves out dates its calendar does not
cover."""

ASSESSMENTS = """
WITH done AS (
    SELECT DISTINCT child, start, authorised FROM assessments
    WHERE authorised BETWEEN $start AND $end AND start <= authorised
)
SELECT count(*) FILTER (WHERE e.worked - s.worked <= $limit), count(*)
FROM done
JOIN working_days s ON s.day = done.start
JOIN working_days e ON e.day = done.authorised
"""

REREFERRALS = """
WITH dates AS (SELECT DISTINCT child, date FROM referrals),
gaps AS (
    SELECT date, date - lag(date) OVER (PARTITION BY child ORDER BY date) AS gap FROM dates
)
SELECT count(*) FILTER (WHERE gap <= $days), count(*)
FROM gaps WHERE date BETWEEN $start AND $end
"""

CONFERENCES = """
WITH held AS (
    -- one conference per child and date, from the latest strategy discussion before it
    SELECT child, conference, max(start) AS start FROM section47s
    WHERE conference BETWEEN $start AND $end AND start <= conference
    GROUP BY child, conference
)
SELECT count(*) FILTER (WHERE c.worked - s.worked <= $limit), count(*)
FROM held
JOIN working_days s ON s.day = held.start
JOIN working_days c ON c.day = held.conference
"""

HISTORY = f"""
CREATE OR REPLACE TEMP TABLE history AS
WITH usable AS (
    -- no episode ending before it starts; one episode per child and start date
    SELECT CHILD, DECOM, RNE, LS, PLACE, DEC, REC FROM episodes
    WHERE DEC IS NULL OR DEC >= DECOM
    QUALIFY row_number() OVER (
        PARTITION BY CHILD, DECOM ORDER BY DEC NULLS LAST, RNE, LS, PLACE, REC NULLS FIRST
    ) = 1
),
linked AS (
    -- does the episode continue the previous one's period of care?
    SELECT *,
        row_number() OVER w > 1 AND (
            lag(DEC) OVER w IS NULL OR DECOM < lag(DEC) OVER w
            OR (DECOM = lag(DEC) OVER w AND RNE <> 'S')
        ) AS joins
    FROM usable WINDOW w AS (PARTITION BY CHILD ORDER BY DECOM)
),
numbered AS (
    SELECT *,
        sum(CASE WHEN joins THEN 0 ELSE 1 END) OVER w AS period_no,
        sum(CASE WHEN joins AND RNE IN {_codes(SAME_CARER_RNE)} THEN 0 ELSE 1 END) OVER w
            AS carer_no
    FROM linked
    WINDOW w AS (PARTITION BY CHILD ORDER BY DECOM ROWS UNBOUNDED PRECEDING)
),
chains AS (
    SELECT CHILD, carer_no, min(DECOM) AS chain_start, arg_min(PLACE, DECOM) AS place,
        arg_min(joins, DECOM) AS joined
    FROM numbered GROUP BY CHILD, carer_no
),
since AS (
    -- NI 63: placed for adoption with new carers, the previous carer's time counts too
    SELECT CHILD, carer_no,
        CASE WHEN joined AND place IN {_codes(NEW_CARER_ADOPTION)}
            THEN lag(chain_start) OVER (PARTITION BY CHILD ORDER BY carer_no)
            ELSE chain_start END AS carer_since
    FROM chains
)
SELECT n.*, min(n.DECOM) OVER (PARTITION BY n.CHILD, n.period_no) AS care_start, s.carer_since
FROM numbered n JOIN since s USING (CHILD, carer_no);

CREATE OR REPLACE TEMP MACRO open_on(day) AS TABLE
    -- each child's last episode starting on or before the day, if it still covers it
    SELECT * FROM (
        SELECT * FROM history WHERE DECOM <= day
        QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY DECOM DESC) = 1
    ) WHERE DEC IS NULL OR DEC > day;
"""

THREE_OR_MORE = f"""
WITH cohort AS (SELECT CHILD FROM open_on($end) WHERE LS NOT IN {_codes(SHORT_BREAKS)}),
starts AS (
    SELECT CHILD FROM open_on($window)
    UNION ALL
    SELECT CHILD FROM history
    WHERE DECOM > $window AND DECOM <= $end AND RNE IN {_codes(NEW_PLACEMENT_RNE)}
      AND NOT (RNE IN {_codes(SAME_CARER_MOVE_RNE)} AND PLACE IN {_codes(FOSTER_CARER_ADOPTION)})
),
counted AS (SELECT CHILD, count(*) AS placements FROM starts GROUP BY CHILD)
SELECT count(*) FILTER (WHERE coalesce(placements, 0) >= $threshold), count(*)
FROM cohort LEFT JOIN counted USING (CHILD)
"""

LONG_TERM = f"""
WITH born AS (SELECT CHILD, min(DOB) AS dob FROM header GROUP BY CHILD),
cohort AS (
    SELECT o.care_start, o.carer_since,
        year($end) - year(b.dob)
            - CASE WHEN month(b.dob) * 100 + day(b.dob) > month($end) * 100 + day($end)
                   THEN 1 ELSE 0 END AS age
    FROM open_on($end) o JOIN born b USING (CHILD)
    WHERE o.LS NOT IN {_codes(SHORT_BREAKS)}
)
SELECT count(*) FILTER (WHERE carer_since <= $carer_cutoff), count(*)
FROM cohort WHERE age < $max_age AND care_start <= $care_cutoff
"""


def prepare() -> None:
    """An in-memory database holding the England and Wales date dimension."""
    import duckdb
    import pyarrow as pa

    # pyarrow initialises itself on its first table (about a second): a one-off cost of the
    # session, like an import, not of reading the returns.
    pa.table({"warm": ["up"]})
    rules = Rules.financial_year(2024)
    con = duckdb.connect()
    threads = os.environ.get("PEERS_DUCKDB_THREADS")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("CREATE TABLE bank_holidays (day DATE)")
    con.executemany("INSERT INTO bank_holidays VALUES (?)", [[d] for d in bank_holidays(rules)])
    con.execute(DATE_DIMENSION, {"first": rules.calendar_first, "last": rules.calendar_last})
    _CONNECTION[:] = [con]


def run(directory: Path, rules: Rules) -> Timed:
    import pyarrow as pa

    con = _CONNECTION[0]
    t0 = time.perf_counter()
    for name, columns in read_cin_columns(directory / "cin_census.xml").tables().items():
        staged = pa.table(columns)  # DuckDB finds it by its Python name
        dates = ", ".join(f"{c}::DATE AS {c}" for c in columns if c != "child")
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT child, {dates} FROM staged")
        del staged
    ssda = directory / "ssda903"
    con.execute(
        "CREATE OR REPLACE TABLE episodes AS SELECT CHILD, DECOM, RNE, LS, PLACE, DEC, REC "
        "FROM read_csv($path, header = true, dateformat = '%d/%m/%Y', "
        "types = {'CHILD': 'VARCHAR', 'DECOM': 'DATE', 'DEC': 'DATE', 'REC': 'VARCHAR'})",
        {"path": str(ssda / "episodes.csv")},
    )
    con.execute(
        "CREATE OR REPLACE TABLE header AS SELECT CHILD, DOB "
        "FROM read_csv($path, header = true, dateformat = '%d/%m/%Y', "
        "types = {'CHILD': 'VARCHAR', 'DOB': 'DATE'})",
        {"path": str(ssda / "header.csv")},
    )
    t1 = time.perf_counter()

    dates = {"start": rules.period_start, "end": rules.period_end}

    def figure(sql: str, **values: Any) -> tuple[int, int]:
        met, counted = con.execute(sql, {**dates, **values}).fetchone()
        return int(met), int(counted)

    figures = {
        INDICATORS[0]: figure(ASSESSMENTS, limit=rules.assessment_limit),
        INDICATORS[1]: figure(REREFERRALS, days=rules.rereferral_days),
        INDICATORS[2]: figure(CONFERENCES, limit=rules.icpc_limit),
    }
    con.execute(HISTORY)
    end = {"end": rules.period_end}
    met, counted = con.execute(
        THREE_OR_MORE,
        {**end, "window": rules.window_start, "threshold": rules.placements_threshold},
    ).fetchone()
    figures[INDICATORS[3]] = (int(met), int(counted))
    met, counted = con.execute(
        LONG_TERM,
        {
            **end,
            "care_cutoff": rules.care_cutoff,
            "carer_cutoff": rules.carer_cutoff,
            "max_age": rules.max_age,
        },
    ).fetchone()
    figures[INDICATORS[4]] = (int(met), int(counted))
    t2 = time.perf_counter()
    return Timed(t1 - t0, t2 - t1, figures)
