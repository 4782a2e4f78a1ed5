"""A small authority of awkward records, to check that the peers follow the library's rules
where the synthetic data (which is clean) never goes: duplicates, dates out of order, bank
holidays and weekends at the ends of a duration, two enquiries before one conference, a
transfer-in, overlapping and repeated episodes, the NI 63 adoption clause, short breaks,
birthdays on the snapshot day, a child with two dates of birth.

The records follow the worked examples of ``docs/indicators/*.md`` (moved to 2024-25 where
needed) plus the data problems each page lists. ``python benchmarks/bench_peers.py --awkward``
writes them as files and compares every implementation's figures with the library's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

D = dt.date


def write(directory: Path) -> None:
    """Write the awkward authority as one CIN census XML file and one SSDA903 return."""
    from csc_indicators import (
        Assessment,
        Bundle,
        Child,
        Episode,
        Referral,
        Section47,
        TransferInConference,
    )
    from csc_indicators.io import write_cin_census, write_ssda903

    referrals = [
        Referral("A", D(2023, 6, 1)),
        Referral("A", D(2024, 5, 31)),  # 365 days, across 29 February: met
        Referral("B", D(2023, 5, 31), no_further_action=True),
        Referral("B", D(2024, 5, 31)),  # 366 days: not met
        Referral("C", D(2024, 4, 1)),
        Referral("C", D(2024, 4, 1)),  # duplicate: excluded
        Referral("C", D(2025, 3, 31)),  # 364 days: met
        Referral("D", D(2025, 4, 1)),  # after the period
        Referral("E", D(2024, 7, 1)),
        Referral("E", D(2024, 8, 1)),
        Referral("E", D(2024, 9, 1)),
    ]
    assessments = [
        Assessment("A", D(2025, 1, 6), D(2025, 3, 10)),
        Assessment("A", D(2025, 1, 6), D(2025, 3, 10)),  # duplicate
        Assessment("B", D(2025, 1, 6), D(2025, 3, 11)),
        Assessment("B", D(2025, 1, 6), D(2025, 3, 12)),
        Assessment("C", D(2025, 3, 6), D(2025, 3, 6)),  # same day: 0
        Assessment("D", D(2024, 12, 20), D(2025, 1, 2)),  # over Christmas
        Assessment("E", D(2025, 3, 8), D(2025, 3, 10)),  # Saturday to Monday: 1
        Assessment("F", D(2025, 2, 10), D(2025, 2, 3)),  # authorised before its start
        Assessment("G", D(2025, 3, 20), None),  # open
        Assessment("H", D(2025, 3, 1), D(2025, 4, 3)),  # authorised in 2025-26
        Assessment("I", D(2024, 2, 1), D(2024, 4, 30)),  # started the year before
        Assessment("J", D(2024, 11, 1), D(2025, 1, 10)),
    ]
    section47s = [
        Section47("A", D(2024, 9, 2), D(2024, 9, 23)),
        Section47("B", D(2024, 9, 2), D(2024, 9, 24)),
        Section47("C", D(2024, 9, 2), D(2024, 9, 20)),
        Section47("D", D(2025, 2, 10), D(2025, 2, 7)),  # conference before the start
        Section47("F", D(2025, 3, 20), None),  # no conference yet
        Section47("G", D(2025, 3, 27), D(2025, 4, 3)),  # held in 2025-26
        Section47("H", D(2024, 3, 25), D(2024, 4, 12)),  # started the year before
        Section47("I", D(2024, 6, 3), D(2024, 7, 1)),  # two enquiries, one conference:
        Section47("I", D(2024, 6, 20), D(2024, 7, 1)),  # measured from the later start
        Section47("J", D(2024, 7, 1), D(2024, 7, 5), conference_not_required=True),
        Section47("K", D(2024, 8, 5), D(2024, 8, 1)),  # both after their conference
        Section47("K", D(2024, 8, 6), D(2024, 8, 1)),
    ]
    transfer_ins = [TransferInConference("E", D(2024, 11, 15))]

    def ep(
        child: str,
        start: dt.date,
        rne: str,
        ls: str,
        place: str,
        end: dt.date | None = None,
        rec: str | None = None,
    ) -> Episode:
        return Episode(child, start, rne, ls, place, end, rec)

    x1 = "X1"
    episodes = [
        # three or more placements, worked example (A-E)
        ep("LA", D(2023, 6, 1), "S", "C2", "U4", D(2024, 9, 1), x1),
        ep("LA", D(2024, 9, 1), "P", "C2", "U6", D(2024, 12, 1), x1),
        ep("LA", D(2024, 12, 1), "L", "E1", "U6", D(2025, 3, 31), x1),
        ep("LA", D(2025, 3, 31), "P", "E1", "R1"),
        ep("LB", D(2023, 1, 10), "S", "C2", "U4", D(2024, 10, 1), x1),
        ep("LB", D(2024, 10, 1), "T", "E1", "A5"),
        ep("LC", D(2024, 2, 1), "S", "V3", "U1"),
        ep("LD", D(2024, 1, 5), "S", "V2", "U4", D(2025, 3, 31), "E13"),
        ep("LE", D(2024, 1, 1), "S", "V2", "U4", D(2024, 6, 1), "E4A"),
        ep("LE", D(2024, 9, 1), "S", "C1", "U4", D(2025, 1, 10), x1),
        ep("LE", D(2025, 1, 10), "P", "C1", "K2"),
        # long-term stability, worked example (F-L)
        ep("LF", D(2020, 1, 1), "S", "V2", "U4", D(2021, 6, 1), x1),
        ep("LF", D(2021, 6, 1), "L", "C2", "U4", D(2022, 2, 1), x1),
        ep("LF", D(2022, 2, 1), "T", "C2", "U5"),
        ep("LG", D(2019, 5, 1), "S", "C2", "U4"),
        ep("LH", D(2021, 1, 1), "S", "C2", "U4", D(2023, 6, 1), x1),
        ep("LH", D(2023, 6, 1), "P", "C2", "U6"),
        ep("LI", D(2020, 5, 1), "S", "C2", "U4", D(2022, 1, 1), x1),
        ep("LI", D(2022, 1, 1), "P", "C2", "U6", D(2024, 1, 15), x1),
        ep("LI", D(2024, 1, 15), "B", "E1", "A6"),
        ep("LJ", D(2023, 1, 1), "S", "C2", "U4"),
        ep("LK", D(2020, 6, 1), "S", "C2", "U4", D(2023, 9, 1), x1),
        ep("LK", D(2023, 9, 1), "U", "E1", "A5"),
        ep("LL", D(2020, 2, 29), "S", "C2", "U1"),
        # data problems
        ep("LM", D(2022, 3, 1), "S", "C2", "U4", D(2024, 5, 1), x1),
        ep("LM", D(2022, 3, 1), "S", "C2", "U4", D(2024, 5, 1), x1),  # exact duplicate
        ep("LM", D(2024, 5, 1), "P", "C2", "U5"),
        ep("LN", D(2022, 1, 1), "S", "C2", "U4", D(2024, 6, 1), x1),
        ep("LN", D(2022, 1, 1), "S", "C2", "U6", D(2024, 7, 1), x1),  # same start, later end
        ep("LN", D(2024, 6, 1), "P", "C2", "U3", D(2024, 11, 1), x1),
        ep("LN", D(2024, 10, 1), "P", "C2", "U1"),  # overlaps the previous episode
        ep("LO", D(2021, 4, 1), "S", "C2", "U4", D(2022, 5, 1), "E13"),
        ep("LO", D(2022, 8, 1), "S", "C2", "U4", D(2024, 8, 1), x1),  # a gap: new period
        ep("LO", D(2024, 8, 1), "T", "C2", "U5", D(2024, 12, 1), x1),
        ep("LO", D(2024, 12, 1), "P", "C2", "T3", D(2024, 12, 5), x1),  # temporary
        ep("LO", D(2024, 12, 5), "P", "C2", "U4"),
        ep("LP", D(2024, 2, 1), "S", "V4", "U1", D(2024, 8, 1), x1),  # short break earlier
        ep("LP", D(2024, 8, 1), "B", "C2", "U4"),
        ep("LQ", D(2020, 1, 1), "S", "C2", "U4", D(2022, 1, 1), x1),
        ep("LQ", D(2022, 1, 1), "P", "E1", "A4", D(2023, 1, 1), x1),  # adoption, new carer
        ep("LQ", D(2023, 1, 1), "L", "E1", "A4"),
        ep("LR", D(2021, 5, 1), "S", "C2", "U4", D(2023, 5, 1), x1),
        ep("LR", D(2023, 5, 1), "S", "C2", "U4"),  # RNE S the day after: a new period
        ep("LS", D(2022, 6, 1), "S", "C2", "U4", D(2023, 4, 1), x1),
        ep("LS", D(2023, 4, 1), "P", "C2", "A6"),  # adoption clause: from 2022-06-01
    ]
    children = [
        Child("LF", D(2012, 5, 5)),
        Child("LG", D(2009, 3, 31)),  # 16 on the snapshot day
        Child("LH", D(2013, 1, 1)),
        Child("LI", D(2018, 7, 1)),
        Child("LJ", D(2015, 1, 1)),
        Child("LK", D(2016, 2, 2)),
        Child("LL", D(2011, 11, 11)),
        Child("LM", D(2012, 4, 1)),
        Child("LN", D(2010, 4, 1)),
        Child("LN", D(2009, 4, 1)),  # two dates of birth: the earlier (16) is used
        Child("LO", D(2014, 12, 31)),
        Child("LP", D(2015, 6, 6)),
        Child("LQ", D(2019, 1, 1)),
        Child("LR", D(2013, 3, 1)),
        # LS has no Child record
    ]
    # a census child needs a referral: give the others one before the period (look-back only)
    referred = {r.child_id for r in referrals}
    for child in sorted({r.child_id for r in [*assessments, *section47s]} - referred):
        referrals.append(Referral(child, D(2022, 1, 4)))
    bundle = Bundle(
        referrals=tuple(referrals),
        assessments=tuple(assessments),
        section47s=tuple(section47s),
        transfer_ins=tuple(transfer_ins),
        children=tuple(children),
        episodes=tuple(episodes),
    )
    (directory / "ssda903").mkdir(parents=True, exist_ok=True)
    write_cin_census(bundle, directory / "cin_census.xml", collection_year=2024)
    # every episode, not only the year's (a return's own cut would hide the histories)
    write_ssda903(bundle, directory / "ssda903")
