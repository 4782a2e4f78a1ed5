"""The ``csc-indicators`` command line."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from collections.abc import Sequence

from .calendar import WorkingDayCalendar

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    calendar = WorkingDayCalendar.england_and_wales()
    examples = [
        (_dt.date(2023, 1, 3), _dt.date(2023, 3, 7), "assessment started 3 Jan, authorised 7 Mar"),
        (_dt.date(2022, 9, 1), _dt.date(2022, 9, 22), "strategy discussion 1 Sep, ICPC 22 Sep"),
        (_dt.date(2022, 12, 23), _dt.date(2023, 1, 3), "across Christmas 2022"),
    ]
    print(f"Working days ({calendar.name}):")
    for start, end, label in examples:
        print(f"  {calendar.working_days(start, end):3d}  {label}")
    day45 = calendar.add_working_days(_dt.date(2023, 1, 3), 45)
    print(f"  45th working day after 3 January 2023: {day45:%d %B %Y}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="csc-indicators",
        description="Children's social care performance indicators from statutory returns.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run on built-in example data")
    demo.set_defaults(run=_demo)
    args = parser.parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
