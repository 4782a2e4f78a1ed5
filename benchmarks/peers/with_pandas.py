"""pandas, as an analyst would write it: DataFrames, vectorised filters, ``groupby`` and
``shift``, working days with ``numpy.busday_count`` over the ``holidays`` package's list."""

from __future__ import annotations

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

_CALENDAR: list[Any] = []


def prepare() -> None:
    """The ``numpy.busdaycalendar`` of England and Wales (weekends and bank holidays)."""
    import numpy as np

    rules = Rules.financial_year(2024)
    holidays = np.array(bank_holidays(rules), dtype="datetime64[D]")
    _CALENDAR[:] = [np.busdaycalendar(weekmask="1111100", holidays=holidays)]


def run(directory: Path, rules: Rules) -> Timed:
    import pandas as pd

    t0 = time.perf_counter()
    tables = read_cin_columns(directory / "cin_census.xml").tables()
    referrals = pd.DataFrame(tables["referrals"])
    assessments = pd.DataFrame(tables["assessments"])
    section47s = pd.DataFrame(tables["section47s"])
    del tables
    for frame, columns in (
        (referrals, ["date"]),
        (assessments, ["start", "authorised"]),
        (section47s, ["start", "conference"]),
    ):
        for column in columns:
            frame[column] = pd.to_datetime(frame[column], format=XML_DATE)
    ssda = directory / "ssda903"
    episodes = pd.read_csv(
        ssda / "episodes.csv",
        usecols=["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"],
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    )
    episodes["DECOM"] = pd.to_datetime(episodes["DECOM"], format=CSV_DATE)
    episodes["DEC"] = pd.to_datetime(episodes["DEC"], format=CSV_DATE)
    header = pd.read_csv(ssda / "header.csv", usecols=["CHILD", "DOB"], dtype=str)
    header["DOB"] = pd.to_datetime(header["DOB"], format=CSV_DATE)
    t1 = time.perf_counter()

    figures = {
        INDICATORS[0]: _assessments(assessments, rules),
        INDICATORS[1]: _rereferrals(referrals, rules),
        INDICATORS[2]: _conferences(section47s, rules),
        **_placements(episodes, header, rules),
    }
    t2 = time.perf_counter()
    return Timed(t1 - t0, t2 - t1, figures)


def _ts(day: Any) -> Any:
    import pandas as pd

    return pd.Timestamp(day)


def _working_days(start: Any, end: Any) -> Any:
    """Working days after ``start`` up to and including ``end`` (the library's default
    ``EXCLUSIVE_START``): ``busday_count`` counts ``[start, end)``, so shift both by a day."""
    import numpy as np

    one = np.timedelta64(1, "D")
    first = start.to_numpy(dtype="datetime64[D]") + one
    last = end.to_numpy(dtype="datetime64[D]") + one
    return np.busday_count(first, last, busdaycal=_CALENDAR[0])


def _covered(frame: Any, columns: list[str], rules: Rules) -> Any:
    """Rows whose dates all lie in the calendar's years (the others cannot be counted)."""
    low, high = _ts(rules.calendar_first), _ts(rules.calendar_last)
    keep = True
    for column in columns:
        keep = keep & frame[column].between(low, high)
    return frame[keep]


def _assessments(assessments: Any, rules: Rules) -> tuple[int, int]:
    done = assessments[
        assessments["authorised"].between(_ts(rules.period_start), _ts(rules.period_end))
    ]
    done = done.drop_duplicates(["child", "start", "authorised"])
    done = done[done["authorised"] >= done["start"]]
    done = _covered(done, ["start", "authorised"], rules)
    days = _working_days(done["start"], done["authorised"])
    return int((days <= rules.assessment_limit).sum()), len(done)


def _rereferrals(referrals: Any, rules: Rules) -> tuple[int, int]:
    dates = referrals.drop_duplicates(["child", "date"]).sort_values(["child", "date"])
    gap = dates.groupby("child")["date"].diff().dt.days
    in_period = dates["date"].between(_ts(rules.period_start), _ts(rules.period_end))
    met = in_period & (gap <= rules.rereferral_days)
    return int(met.sum()), int(in_period.sum())


def _conferences(section47s: Any, rules: Rules) -> tuple[int, int]:
    held = section47s[
        section47s["conference"].between(_ts(rules.period_start), _ts(rules.period_end))
        & (section47s["start"] <= section47s["conference"])
    ]
    # One conference per child and date, measured from the latest strategy discussion.
    held = held.groupby(["child", "conference"], as_index=False)["start"].max()
    held = _covered(held, ["start", "conference"], rules)
    days = _working_days(held["start"], held["conference"])
    return int((days <= rules.icpc_limit).sum()), len(held)


def _placements(episodes: Any, header: Any, rules: Rules) -> dict[str, tuple[int, int]]:
    import pandas as pd

    # Each child's usable episodes in date order: none ending before it starts, one per start
    # date (the earliest end, open last), as the library's care histories keep them.
    eps = episodes[~(episodes["DEC"] < episodes["DECOM"])]
    eps = eps.sort_values(
        ["CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "REC"], na_position="last"
    )
    eps = eps.drop_duplicates(["CHILD", "DECOM"]).reset_index(drop=True)

    # Periods of care: a new one unless the episode joins the previous one (overlapping it, or
    # starting the day it ended with any reason but S).
    same_child = eps["CHILD"].eq(eps["CHILD"].shift())
    prev_end = eps["DEC"].shift()
    joins = same_child & (
        prev_end.isna()
        | (eps["DECOM"] < prev_end)
        | ((eps["DECOM"] == prev_end) & (eps["RNE"] != "S"))
    )
    period_no = (~joins).cumsum()
    eps["care_start"] = eps.groupby(period_no)["DECOM"].transform("first")
    # Carer chains: a new carer with every episode that starts a period or changes carer.
    new_carer = ~joins | ~eps["RNE"].isin(SAME_CARER_RNE)
    carer_no = new_carer.cumsum()
    chains = (
        pd.DataFrame({"since": eps["DECOM"], "place": eps["PLACE"], "fresh": ~joins})
        .groupby(carer_no)
        .first()
    )
    # NI 63 adoption clause: placed for adoption with new carers inside a period of care, the
    # previous carer's time counts as well.
    clause = chains["place"].isin(NEW_CARER_ADOPTION) & ~chains["fresh"]
    chains["since"] = chains["since"].mask(clause, chains["since"].shift())
    eps["carer_since"] = chains["since"].reindex(carer_no).to_numpy()

    def open_on(day: Any) -> Any:
        """Each child's episode covering ``day``: the last one starting on or before it, if it
        has not ended by then."""
        last = eps[eps["DECOM"] <= day].drop_duplicates("CHILD", keep="last")
        return last[last["DEC"].isna() | (last["DEC"] > day)]

    end = _ts(rules.period_end)
    at_end = open_on(end)
    cohort = at_end[~at_end["LS"].isin(SHORT_BREAKS)]

    # Three or more placements: the placement open on the window's first day, plus each new
    # placement starting later in the window.
    window = _ts(rules.window_start)
    opening = open_on(window)["CHILD"]
    moved = eps[
        (eps["DECOM"] > window)
        & (eps["DECOM"] <= end)
        & eps["RNE"].isin(NEW_PLACEMENT_RNE)
        & ~(eps["RNE"].isin(SAME_CARER_MOVE_RNE) & eps["PLACE"].isin(FOSTER_CARER_ADOPTION))
    ]["CHILD"]
    counts = pd.concat([opening, moved]).value_counts()
    placements = cohort["CHILD"].map(counts).fillna(0)
    three = (int((placements >= rules.placements_threshold).sum()), len(cohort))

    # Long-term stability: under 16, in care 30 months, with the same carer 24 months.
    born = header.groupby("CHILD")["DOB"].min()
    stable = cohort.assign(DOB=cohort["CHILD"].map(born)).dropna(subset=["DOB"])
    dob = stable["DOB"]
    before_birthday = (dob.dt.month * 100 + dob.dt.day) > (end.month * 100 + end.day)
    age = end.year - dob.dt.year - before_birthday.astype(int)
    stable = stable[(age < rules.max_age) & (stable["care_start"] <= _ts(rules.care_cutoff))]
    met = stable["carer_since"] <= _ts(rules.carer_cutoff)
    return {
        INDICATORS[3]: three,
        INDICATORS[4]: (int(met.sum()), len(stable)),
    }
