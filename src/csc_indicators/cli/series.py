"""``csc-indicators series``: indicators month by month (in month, year to date, rolling 12
months), maybe broken down by a dimension or a lookup file, maybe against targets and
published comparators; as a table with the months across, CSV, JSON or Markdown.

Every option is checked before a file is read (a month that is not one, a kind that is none,
a breakdown that names nothing: exit status 2, one line). Then the benchmarking files and the
lookup file are read, then the returns.

Decisions:

* With ``--by``, the rows of all the children (``group`` null) come first, then one row per
  group: the table shows the total on each kind's line and the groups beneath it.
* The direction of travel compares a cell with the previous month's cell of the same kind
  (March's year to date with February's), as the monthly report does; the month before the
  first is computed for it (not shown).
* Comparators are annual published figures: each cell gets those of the latest year in the
  file that ends by the cell's period end, so the months of a year show the same figures.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Any

import attrs

from ..benchmarking import BenchmarkRow, decimals_of, direction, rag
from ..benchmarking.rows import _published, _shown
from ..bundle import Bundle
from ..calendar import WorkingDayCalendar
from ..example import (
    example_paths,
    example_ssda903_years,
    example_teams_path,
)
from ..periods import Period, PeriodKind
from ..provenance import provenance
from ..registry import INDICATORS, IndicatorSpec
from ..series import DEFAULT_KINDS, DIMENSIONS, Grouping, Lookup, Series, monthly_periods
from ..series.engine import select_specs
from .benchmarking import Benchmarking, benchmarking_options, load_benchmarking
from .formats import add_provenance
from .options import PROG, UsageError, add_param_option

__all__ = [
    "KINDS",
    "MAX_MONTHS",
    "SeriesOptions",
    "SeriesView",
    "add_series_parser",
    "compute_series",
    "run_series",
    "series_options",
]

KINDS: Mapping[str, PeriodKind] = {
    "in-month": PeriodKind.IN_MONTH,
    "month": PeriodKind.IN_MONTH,
    "ytd": PeriodKind.YTD,
    "year-to-date": PeriodKind.YTD,
    "12m": PeriodKind.ROLLING_12,
    "rolling-12": PeriodKind.ROLLING_12,
}
"""The names ``--kind`` takes, and the kind of period each names."""

_MONTH = PeriodKind.IN_MONTH

MAX_MONTHS = 240
"""The most months ``--months`` takes (20 years)."""

EXAMPLE_LOOKUPS = {"team": example_teams_path}
"""With ``--example``, ``--by NAME`` for a name that is no dimension reads these files."""


# -- the options ----------------------------------------------------------------------------------


def _month(text: str) -> Period:
    """An argparse ``type`` for ``--to``: a month, ``2025-03`` (or ``March 2025``)."""
    try:
        period = Period.parse(text)
    except (ValueError, TypeError):
        period = None
    if period is None or period.kind is not PeriodKind.IN_MONTH:
        raise argparse.ArgumentTypeError(f"expected a month such as 2025-03, got {text!r}")
    return period


def _months(text: str) -> int:
    try:
        value = int(text.strip().replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    if value > MAX_MONTHS:
        raise argparse.ArgumentTypeError(f"at most {MAX_MONTHS}, got {text}")
    return value


def _kind(text: str) -> PeriodKind:
    kind = KINDS.get(text.strip().lower())
    if kind is None:
        raise argparse.ArgumentTypeError(
            f"expected in-month, ytd or 12m (or month, year-to-date, rolling-12), got {text!r}"
        )
    return kind


def add_series_parser(sub: Any) -> None:
    """Add the ``series`` command to the subparsers ``sub``."""
    from .benchmarking import add_benchmarking_options
    from .options import _add_inputs as add_inputs
    from .options import _positive as positive
    from .render import FORMATS

    p = sub.add_parser(
        "series",
        help="indicators month by month: in month, year to date and rolling 12 months",
        description="Indicators month by month, as a monthly report shows them: for each of "
        "the last --months months to --to, the month itself, the year to date and the 12 "
        "months to its end; optionally broken down (--by) and against targets and published "
        "comparators. A period outside the data's coverage is not computed (shown as -, with "
        "the reason).",
    )
    add_inputs(p)
    p.add_argument(
        "--example",
        action="store_true",
        help="the example authority shipped in the package (with --benchmark: its example "
        "targets and comparators; --by team: its example teams)",
    )
    p.add_argument(
        "--to",
        type=_month,
        metavar="YYYY-MM",
        help="the last month (default: the last month the data cover)",
    )
    p.add_argument(
        "--months", type=_months, default=12, metavar="N", help="how many months (default 12)"
    )
    p.add_argument(
        "--kind",
        nargs="+",
        type=_kind,
        metavar="KIND",
        help="which figures of each month: in-month, ytd, 12m (default: all three; also "
        "month, year-to-date, rolling-12)",
    )
    p.add_argument(
        "--indicator", action="append", metavar="ID", help="only this indicator (repeatable)"
    )
    p.add_argument(
        "--by",
        metavar="DIMENSION|NAME=FILE",
        help=f"break down by a dimension ({', '.join(DIMENSIONS)}) or a lookup file of "
        "children and groups, e.g. team=teams.csv",
    )
    p.add_argument(
        "--population",
        type=positive,
        metavar="N",
        help="the 0-17 population, for rates per 10,000 children",
    )
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    add_param_option(p)
    add_benchmarking_options(p, demo=True)
    p.set_defaults(command_name="series", workers=1)


@attrs.frozen(slots=True)
class SeriesOptions:
    """The options of ``series``, checked: nothing read yet."""

    to: Period | None
    """The last month; ``None``: the last month the data cover."""
    months: int
    kinds: tuple[PeriodKind, ...]
    indicators: tuple[str, ...] | None
    by: str | None
    """A dimension's name, or the name of a lookup (with :attr:`lookup`)."""
    lookup: str | None
    """The lookup file to read."""
    lookup_shown: str | None
    """How the table names it (the example's file by its name only)."""
    population: int | None
    example: bool


def series_options(args: argparse.Namespace) -> SeriesOptions:
    """The options of ``series`` checked before anything is read.

    Raises:
        UsageError: inputs with ``--example`` or none without; ``--benchmark`` without
            ``--example``; ``--layout chat``; a kind given twice; an unknown indicator; a
            ``--by`` that names no dimension and no file.
    """
    if args.example and (args.cin or args.ssda903):
        raise UsageError("--example reads the example data: leave out --cin and --ssda903")
    if not args.example and not args.cin and not args.ssda903:
        raise UsageError(
            "give at least one input: --cin FILE and/or --ssda903 FILE_OR_DIR (or --example)"
        )
    if getattr(args, "benchmark", False) and not args.example:
        raise UsageError(
            "--benchmark uses the example targets and comparators: give it with --example, "
            "or give --targets and --comparators of your own"
        )
    if args.layout != "standard":
        raise UsageError("--layout: the series has one layout; leave the option out")
    kinds = tuple(args.kind) if args.kind else DEFAULT_KINDS
    if len(set(kinds)) != len(kinds):
        raise UsageError("--kind names a kind twice (in-month, ytd, 12m)")
    for wanted in args.indicator or ():
        if wanted not in INDICATORS:
            raise UsageError(
                f"--indicator {wanted}: no indicator is registered with that id "
                f"(`{PROG} list` shows them)"
            )
    by, lookup, shown = _by(args.by, args.example)
    return SeriesOptions(
        to=args.to,
        months=args.months,
        kinds=kinds,
        indicators=tuple(dict.fromkeys(args.indicator)) if args.indicator else None,
        by=by,
        lookup=lookup,
        lookup_shown=shown,
        population=args.population,
        example=args.example,
    )


def _by(value: str | None, example: bool) -> tuple[str | None, str | None, str | None]:
    """The breakdown's name, the lookup file to read and how to name it."""
    if value is None:
        return None, None, None
    name, eq, path = value.partition("=")
    name, path = name.strip(), path.strip()
    if eq:
        if not name or not path:
            raise UsageError(f"--by {value}: write NAME=FILE, e.g. team=teams.csv")
        return name, path, path
    if name in DIMENSIONS:
        return name, None, None
    if example and name in EXAMPLE_LOOKUPS:
        path = EXAMPLE_LOOKUPS[name]()
        return name, path, f"the example's {os.path.basename(path)}"
    extra = " (with --example: team)" if example else ""
    raise UsageError(
        f"--by {value}: not a dimension ({', '.join(DIMENSIONS)}){extra}; for a file of "
        "children and groups write NAME=FILE, e.g. team=teams.csv"
    )


# -- computing ------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class SeriesView:
    """What ``series`` shows: the rows, and what the renderers say about them."""

    rows: tuple[dict[str, Any], ...]
    """One dict per cell: all the children's cells, then each group's (with ``--by``)."""
    specs: tuple[IndicatorSpec, ...]
    """The indicators, in scorecard order."""
    months: tuple[Period, ...]
    """The months shown, in order."""
    kinds: tuple[PeriodKind, ...]
    groups: tuple[str, ...] = ()
    """The groups of the breakdown, in order (none without ``--by``)."""
    by: str | None = None
    lookup: str | None = None
    """The lookup file of the breakdown."""
    lookup_shown: str | None = None
    """How the table names it."""
    bench: Benchmarking | None = None
    bundle: Bundle | None = None

    def header(self) -> dict[str, Any]:
        """What the series is, as plain values (for JSON)."""
        out: dict[str, Any] = {
            "from": self.months[0].start.isoformat(),
            "to": self.months[-1].end.isoformat(),
            "months": len(self.months),
            "kinds": [str(k) for k in self.kinds],
            "by": self.by,
            "lookup": self.lookup,
            "groups": list(self.groups),
        }
        return out


def _default_to(bundle: Bundle) -> Period:
    ends = [c.end for k in {s.kind for s in bundle.sources} if (c := bundle.coverage(k))]
    if not ends:
        raise UsageError("the inputs do not say their collection year: give --to YYYY-MM")
    last = max(ends)
    return Period.month(last.year, last.month)


def _cell_bench(
    spec: IndicatorSpec,
    cell: Any,
    before: Any | None,
    bench: Benchmarking,
) -> dict[str, Any]:
    """The benchmarking keys of one cell, as :func:`~csc_indicators.benchmarking.benchmark`
    gives them for a scorecard's row."""
    decimals = decimals_of(spec, cell.value_kind)
    value = _shown(cell.value, decimals)
    row: dict[str, Any] = {}
    if bench.targets is not None:
        target = bench.targets.for_period(spec.id, cell.period)
        row["target"] = target
        if target is not None:
            row["rag"] = rag(value, target.target, spec.polarity, target.amber_tolerance)
    if before is not None:
        row["previous"] = _shown(before.value, decimals)
        row["direction"] = direction(value, row["previous"], spec.polarity, decimals)
    if bench.comparators is not None:
        _published(
            row,
            spec,
            value,
            decimals,
            bench.comparators,
            cell.period,
            bench.authority,
            bench.group,
        )
    shown = BenchmarkRow(
        spec.id, spec.title, spec.polarity, str(cell.period), value, decimals, **row
    )
    return shown.to_dict()


def compute_series(
    bundle: Bundle,
    options: SeriesOptions,
    *,
    to: Period,
    grouping: Grouping | str | None = None,
    bench: Benchmarking | None = None,
    **engine: Any,
) -> SeriesView:
    """The series the options ask for, as rows; ``engine`` options (parameters) are passed on
    to :func:`csc_indicators.series`."""
    from ..series import series

    compare = bench is not None and bench.options.compare_previous
    extra = 1 if compare else 0
    periods = monthly_periods(
        (to.start.year, to.start.month), options.months + extra, options.kinds
    )
    calendar = WorkingDayCalendar.england_and_wales()
    common: dict[str, Any] = {
        "indicators": options.indicators,
        "population": options.population,
        "calendar": calendar,
        **engine,
    }
    total = series(bundle, periods, **common)
    grouped: Series | None = None
    if grouping is not None:
        grouped = series(bundle, periods, by=grouping, **common)
    n = len(options.kinds)
    months = tuple(monthly_periods((to.start.year, to.start.month), options.months, (_MONTH,)))
    specs = tuple(select_specs(None, options.indicators))
    groups: tuple[str | None, ...] = (None,)
    if grouped is not None:
        groups = (None, *grouped.groups)
    # by indicator (scorecard order), then period, then all the children before the groups
    rows: list[dict[str, Any]] = []
    for spec in specs:
        for i in range(extra * n, len(periods)):
            for group in groups:
                table = total if group is None else grouped
                assert table is not None
                cell = table.cell(spec.id, periods[i], group)
                row = cell.row()
                if bench is not None:
                    before = table.cell(spec.id, periods[i - n], group) if compare else None
                    row.update(_cell_bench(spec, cell, before, bench))
                rows.append(row)
    return SeriesView(
        tuple(rows),
        specs,
        months,
        options.kinds,
        tuple(g for g in groups if g is not None),
        options.by,
        options.lookup,
        options.lookup_shown,
        bench,
        bundle,
    )


# -- the command ----------------------------------------------------------------------------------


def _inputs(options: SeriesOptions, args: argparse.Namespace) -> tuple[list[str], list[str], bool]:
    if options.example:
        cin, _ = example_paths()
        ssda903 = [f"{year}={path}" for path, year in example_ssda903_years().items()]
        return cin, ssda903, False
    return list(args.cin), list(args.ssda903), bool(args.lenient)


def run_series(args: argparse.Namespace, progress: Any, load: Any) -> int:
    """Run ``series``: check the options, read the benchmarking and lookup files, then the
    returns; compute the series and write it."""
    from .commands import _write, _write_issues, command_parameters
    from .render_series import render_series

    options = series_options(args)
    params = command_parameters(args, options.indicators)
    bench_options = benchmarking_options(args)
    bench = None if bench_options is None else load_benchmarking(bench_options)
    grouping: Grouping | str | None = options.by
    if options.lookup is not None:
        assert options.by is not None
        grouping = Lookup.from_csv(options.lookup, name=options.by)
    cin, ssda903, lenient = _inputs(options, args)
    bundle = load(cin, ssda903, lenient, progress)
    to = options.to if options.to is not None else _default_to(bundle)
    progress.show(f"computing {options.months} months to {to} ...")
    view = compute_series(bundle, options, to=to, grouping=grouping, bench=bench, parameters=params)
    progress.done()
    _write_issues(bundle, args.issues)
    prov = provenance(
        calendar=WorkingDayCalendar.england_and_wales(),
        population=options.population,
        parameters=params,
    )
    _write(add_provenance(render_series(view, args.format), args.format, prov), args.out)
    return 0
