"""Print the headline figures of synthetic data, computed directly from its records.

Usage (from the repository root):

    PYTHONPATH=src python benchmarks/synthetic_figures.py [SCALE] [--first-year 2020]
        [--years 3] [--seed 0]

For each financial year: referrals, the share re-referred within 12 months (365 days) and with
no further action, assessments authorised and the share within 45 working days (with the
median), section 47 enquiries, initial conferences and the share within 15 working days, plans
started and the share second or subsequent, children looked after on 31 March and during the
year, starters, and the share of children looked after on 31 March (short breaks excluded) with
3 or more placements in the year. These are simplified forms of the indicators, for checking the
generator (docs/synthetic-data.md quotes them), not the indicators themselves.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import time
from collections import defaultdict
from typing import Any

from csc_indicators import synthetic
from csc_indicators.calendar import default_calendar

SHORT_BREAKS = ("V3", "V4")


def _by_child(records: Any, key: str) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        groups[record.child_id].append(record)
    for items in groups.values():
        items.sort(key=lambda r: getattr(r, key))
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scale", nargs="?", type=float, default=1.0)
    parser.add_argument("--first-year", type=int, default=2020)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    calendar = default_calendar()
    started = time.perf_counter()
    bundle = synthetic.generate(
        args.scale, first_year=args.first_year, years=args.years, seed=args.seed
    )
    print(f"generated in {time.perf_counter() - started:.2f} s")
    referral_dates = {
        cid: [r.date for r in refs]
        for cid, refs in _by_child(bundle.referrals or (), "date").items()
    }
    episodes = _by_child(bundle.episodes or (), "start_date")
    for year in range(args.first_year, args.first_year + args.years):
        start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        refs = [r for r in bundle.referrals or () if start <= r.date <= end]
        repeats = 0
        for r in refs:
            dates = referral_dates[r.child_id]
            i = bisect.bisect_left(dates, r.date)
            repeats += bool(i) and 0 < (r.date - dates[i - 1]).days <= 365
        nfa = sum(r.no_further_action for r in refs)
        assessed = sorted(
            calendar.working_days(a.start_date, a.authorisation_date)
            for a in bundle.assessments or ()
            if a.authorisation_date is not None and start <= a.authorisation_date <= end
        )
        enquiries = sum(start <= s.start_date <= end for s in bundle.section47s or ())
        conferences = [
            calendar.working_days(s.start_date, s.conference_date)
            for s in bundle.section47s or ()
            if s.conference_date is not None and start <= s.conference_date <= end
        ]
        plans = [p for p in bundle.plans or () if start <= p.start_date <= end]
        repeat_plans = sum(bool(p.previous_plans) for p in plans)
        at_end = during = starters = three = 0
        for items in episodes.values():
            items = [e for e in items if e.legal_status not in SHORT_BREAKS]
            if any(
                e.start_date <= end and (e.end_date is None or e.end_date >= start) for e in items
            ):
                during += 1
            starters += sum(
                e.reason_new_episode == "S" and start <= e.start_date <= end for e in items
            )
            if not any(
                e.start_date <= end and (e.end_date is None or e.end_date > end) for e in items
            ):
                continue
            at_end += 1
            placements = sum(
                e.start_date <= start and (e.end_date is None or e.end_date > start) for e in items
            )
            placements += sum(
                start < e.start_date <= end
                and e.reason_new_episode in ("S", "P", "B", "T", "U")
                and not (e.reason_new_episode in ("T", "U") and e.placement in ("A3", "A5"))
                for e in items
            )
            three += placements >= 3
        print(f"{year}-{(year + 1) % 100:02d}")
        print(
            f"  referrals {len(refs):,}: re-referred within 12 months "
            f"{repeats / len(refs):.1%}, no further action {nfa / len(refs):.1%}"
        )
        print(
            f"  assessments authorised {len(assessed):,}: within 45 working days "
            f"{sum(d <= 45 for d in assessed) / len(assessed):.1%}, "
            f"median {assessed[len(assessed) // 2]}"
        )
        print(
            f"  section 47 enquiries {enquiries:,}; initial conferences {len(conferences):,}: "
            f"within 15 working days {sum(d <= 15 for d in conferences) / len(conferences):.1%}"
        )
        print(
            f"  plans started {len(plans):,}: second or subsequent {repeat_plans / len(plans):.1%}"
        )
        print(
            f"  looked after on 31 March {at_end:,}, during the year {during:,}, "
            f"started {starters:,}; 3+ placements {three / at_end:.1%}"
        )


if __name__ == "__main__":
    main()
