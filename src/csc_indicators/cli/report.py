"""``csc-indicators report``: the monthly performance report, as a page (``--out r.html``) or
a workbook (``--out r.xlsx``); the extension chooses.

Every option is checked before a file is read: an unknown extension, a month that is not one,
a breakdown that names nothing are mistakes in the options (exit status 2).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.util
import os
import re
import sys
from typing import Any

from ..bundle import Bundle
from ..example import (
    EXAMPLE_AUTHORITY,
    EXAMPLE_NEIGHBOURS,
    example_benchmarking_paths,
    example_paths,
    example_ssda903_years,
)
from .benchmarking import benchmarking_options, load_benchmarking
from .options import CliError, UsageError

__all__ = ["FORMATS", "add_report_parser", "run_report"]

FORMATS = {".html": "page", ".htm": "page", ".xlsx": "workbook"}
"""The extensions ``--out`` takes, and what each writes."""

HEADLINES = ("ytd", "rolling-12", "month")


def _month(text: str) -> str:
    if not re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", text) or not 1 <= int(text.split("-")[1]) <= 12:
        raise argparse.ArgumentTypeError(f"expected a month such as 2025-03, got {text!r}")
    return text.strip()


def _months(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError(f"must be 1 to 120, got {text}")
    return value


def add_report_parser(sub: Any) -> None:
    """Add the ``report`` command to the subparsers ``sub``."""
    from .benchmarking import add_benchmarking_options
    from .options import _positive as positive
    from .options import add_input_options as add_inputs
    from .options import add_param_option

    p = sub.add_parser(
        "report",
        help="the monthly performance report: an HTML page or an Excel workbook",
        description="The monthly performance report: for each area (front door, assessments, "
        "child protection, looked after, care leavers, adoption) every indicator's latest "
        "figure with its target, RAG and direction of travel, its trend over the months, the "
        "records behind it, and the data quality. --out report.html writes one self-contained "
        "page, --out report.xlsx a workbook.",
    )
    add_inputs(p)
    p.add_argument(
        "--example",
        action="store_true",
        help="the example authority shipped in the package, with its example targets, "
        f"comparators, authority ({EXAMPLE_AUTHORITY}) and neighbours unless given",
    )
    p.add_argument(
        "--to",
        type=_month,
        metavar="YYYY-MM",
        help="the last month reported on (default: the last month the data cover)",
    )
    p.add_argument(
        "--months", type=_months, default=12, metavar="N", help="months of trend (default 12)"
    )
    p.add_argument(
        "--headline",
        choices=HEADLINES,
        default="ytd",
        help="which figure of the last month is judged against the target: ytd (year to "
        "date, default), rolling-12 or month",
    )
    p.add_argument(
        "--by",
        metavar="DIMENSION|NAME=FILE",
        help="break the latest figures down: a dimension (age_band, sex...) or a lookup file of "
        "children and groups, e.g. team=teams.csv",
    )
    p.add_argument(
        "--population",
        type=positive,
        metavar="N",
        help="the 0-17 population, for rates per 10,000 children",
    )
    p.add_argument("--title", metavar="TEXT", help="the authority's name in the header")
    p.add_argument(
        "--indicator", action="append", metavar="ID", help="only this indicator (repeatable)"
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="report.html (a self-contained page) or report.xlsx (a workbook)",
    )
    add_param_option(p)
    add_benchmarking_options(p)
    p.set_defaults(command_name="report", workers=1)


def _check(args: argparse.Namespace) -> None:
    suffix = os.path.splitext(args.out)[1].lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"--out {args.out}: the report is written as .html (a page) or .xlsx (a workbook), "
            f"not {suffix or 'a file without an extension'}"
        )
    library = "jinja2" if FORMATS[suffix] == "page" else "xlsxwriter"
    if importlib.util.find_spec(library) is None:
        from ..report import INSTALL

        shown = {"jinja2": "Jinja2", "xlsxwriter": "XlsxWriter"}[library]
        raise CliError(f"the {FORMATS[suffix]} needs {shown}, which is not installed: {INSTALL}")
    if args.layout != "standard":
        raise UsageError("--layout: the report has one layout; leave the option out")
    if args.example and (args.cin or args.ssda903):
        raise UsageError("--example reads the example data: leave out --cin and --ssda903")
    if args.by is not None:
        from ..series import DIMENSIONS

        name, eq, path = args.by.partition("=")
        if eq:
            if not name.strip() or not path.strip():
                raise UsageError(f"--by {args.by}: write NAME=FILE, e.g. team=teams.csv")
        elif args.by not in DIMENSIONS:
            raise UsageError(
                f"--by {args.by}: not a dimension ({', '.join(DIMENSIONS)}); for a file of "
                "children and groups write NAME=FILE, e.g. team=teams.csv"
            )


def _default_month(bundle: Bundle) -> str:
    ends: list[_dt.date] = []
    for kind in {s.kind for s in bundle.sources}:
        cover = bundle.coverage(kind)
        if cover is not None:
            ends.append(cover.end)
    if not ends:
        raise UsageError("the inputs do not say their collection year: give --to YYYY-MM")
    last = max(ends)
    return f"{last.year}-{last.month:02d}"


def run_report(args: argparse.Namespace, progress: Any, load: Any) -> int:
    """Run ``report``: check the options, read the benchmarking files, then the returns,
    compute the report and write it."""
    from ..report import MissingExtraError, report

    _check(args)
    for wanted in args.indicator or ():
        from ..registry import INDICATORS

        if wanted not in INDICATORS:
            raise UsageError(f"--indicator {wanted}: no indicator is registered with that id")
    from .commands import command_parameters

    parameters = command_parameters(args, args.indicator)
    if args.example:
        own = (args.targets, args.comparators, args.authority, args.neighbours)
        if all(v is None for v in own):
            args.targets, args.comparators = example_benchmarking_paths()
            args.authority, args.neighbours = EXAMPLE_AUTHORITY, ",".join(EXAMPLE_NEIGHBOURS)
    options = benchmarking_options(args)
    bench = None if options is None else load_benchmarking(options)
    by: Any = args.by
    if by is not None and "=" in by:
        from ..series import Lookup

        name, _, path = by.partition("=")
        by = Lookup.from_csv(path.strip(), name=name.strip())
    if args.example:
        cin, _ = example_paths()
        ssda903 = [f"{year}={path}" for path, year in example_ssda903_years().items()]
        bundle = load(cin, ssda903, False, progress)
    else:
        bundle = load(args.cin, args.ssda903, args.lenient, progress)
    to = args.to if args.to is not None else _default_month(bundle)
    progress.show(f"computing the report to {to} ...")
    doc = report(
        bundle,
        to=to,
        months=args.months,
        targets=None if bench is None else bench.targets,
        comparators=None if bench is None else bench.comparators,
        authority=None if bench is None or bench.authority is None else _code(bench.authority),
        neighbours=None if bench is None else bench.group,
        by=by,
        headline=args.headline,
        population=args.population,
        indicators=args.indicator,
        title=args.title,
        parameters=parameters,
    )
    progress.show(f"writing {args.out} ...")
    try:
        doc.write(args.out)
    except MissingExtraError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{args.out}: cannot write: {exc.strerror}") from None
    progress.done()
    what = FORMATS[os.path.splitext(args.out)[1].lower()]
    print(
        f"{args.out}: the {what} of {doc.authority}, {len(doc.months)} months to {doc.month}, "
        f"{len(doc.panels)} indicators ({doc.seconds:.1f} s)",
        file=sys.stdout,
    )
    return 0


def _code(area: Any) -> str:
    return str(area.code or area.old_code or area.name or "")
