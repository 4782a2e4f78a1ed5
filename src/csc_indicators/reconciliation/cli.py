"""The ``reconcile`` command: compare their per-record list with one indicator's outcomes.

``csc-indicators reconcile INDICATOR --theirs THEIRS.csv --cin FILE --ssda903 DIR --year Y``
reads the returns, computes the indicator (with any ``--param NAME=VALUE``), reads their list
and writes the reconciliation: the summary, one row per differing record, and the provenance.

Exit status: 0 when the reconciliation was written (whatever it found), 1 for a problem with
the inputs (one line on stderr, no traceback), 2 for a mistake in the options.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..bundle import Bundle
from ..calendar import default_calendar
from ..cli.options import (
    OneLineParser,
    SsdaInput,
    UsageError,
    one_line,
    parse_ssda903,
    period_option,
    year_option,
)
from ..errors import CscIndicatorsError
from ..params import ParameterError, parse_assignments
from ..periods import Period
from ..registry import INDICATORS
from .core import compute, reconcile
from .render import FORMATS, Format, render
from .theirs import ReconcileError

__all__ = ["build_parser", "main"]

PROG = "csc-indicators reconcile"


class _Parser(OneLineParser):
    """argparse, with its errors in one line like the command's other errors."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {one_line(message)} (see {PROG} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The options of the ``reconcile`` command."""
    p = _Parser(
        prog=PROG,
        description="Compare another per-record list (a vendor's report, a council's own "
        "spreadsheet) with one indicator's outcomes, and explain every difference.",
    )
    p.add_argument("indicator", metavar="INDICATOR", help="the indicator id (see `list`)")
    p.add_argument(
        "--theirs",
        required=True,
        metavar="THEIRS.csv",
        help="their list: one row per record, with a child id and the record's dates; "
        "optionally counted, met and measure columns",
    )
    p.add_argument(
        "--cin",
        action="append",
        default=[],
        metavar="FILE",
        help="a CIN census XML file (repeat for several years)",
    )
    p.add_argument(
        "--ssda903",
        action="append",
        default=[],
        nargs="+",
        metavar="[YEAR=]FILE_OR_DIR",
        help="SSDA903 CSV tables or XML, files or directories; YEAR=DIR states the return's "
        "collection year (2023=DIR for 2023-24)",
    )
    p.add_argument(
        "--year",
        type=year_option,
        metavar="YEAR",
        help="the financial year starting in YEAR (2024 = 2024-25); default: the latest "
        "collection year of the inputs",
    )
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help="another period, as for scorecard: 2024-12, Q3:2024, ytd:2024-12, 12m:2024-12, "
        "2024-25, 2024-04-01..2025-03-31",
    )
    p.add_argument(
        "--key",
        metavar="COLS",
        help="comma-separated columns to match on (theirs or ours; the child id is always "
        "one); default: the child id and the record's identifying dates they give",
    )
    p.add_argument(
        "--columns",
        action="append",
        default=[],
        metavar="MAPPING",
        help="THEIRS=OURS[,THEIRS=OURS...]: read their column THEIRS as ours (child_id, "
        "start_date, met, measure, ...)",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a documented parameter of the indicator (repeatable; also INDICATOR.NAME=VALUE)",
    )
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    return p


def _mapping(texts: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in texts:
        for part in text.split(","):
            if not part.strip():
                continue
            theirs, eq, ours = part.partition("=")
            if not eq or not theirs.strip() or not ours.strip():
                raise ReconcileError(f"--columns {part.strip()!r}: expected THEIRS=OURS")
            out[theirs.strip()] = ours.strip()
    return out


def _load(cin: Sequence[str], ssda903: Sequence[SsdaInput]) -> Bundle:
    from ..io import read_cin_census, read_ssda903, stitch_cin

    bundle = stitch_cin([read_cin_census(path) for path in cin]) if cin else Bundle()
    if ssda903:
        stated = {path: year for year, path in ssda903 if year is not None}
        bundle = bundle + read_ssda903([path for _, path in ssda903], years=stated or None)
    return bundle


def _latest_year(bundle: Bundle) -> int:
    years = [s.collection_year for s in bundle.sources if s.collection_year is not None]
    if not years:
        raise ReconcileError("the inputs do not say their collection year: give --year")
    return max(years)


def _write(text: str, out: str | None) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except OSError as exc:
        raise ReconcileError(f"{out}: cannot write: {exc.strerror}") from None


class _OptionError(ReconcileError):
    """A mistake in the options: exit status 2."""


def run(args: argparse.Namespace) -> int:
    """Run the command with parsed options (raises on bad input; see :func:`main`)."""
    spec = INDICATORS.get(args.indicator)
    if spec is None:
        raise _OptionError(
            f"no indicator is registered as {args.indicator!r} (`csc-indicators list` shows them)"
        )
    params = parse_assignments(args.param, {spec.id: spec}).get(spec.id, {})
    columns = _mapping(args.columns)
    key = [k.strip() for k in args.key.split(",") if k.strip()] if args.key else None
    try:  # the options are checked before any input is read
        ssda903 = parse_ssda903([p for group in args.ssda903 for p in group])
        chosen = period_option(args.year, args.period)
    except UsageError as exc:
        raise _OptionError(str(exc)) from None
    if not args.cin and not ssda903:
        raise ReconcileError("give our data: --cin FILE and/or --ssda903 FILE_OR_DIR")
    bundle = _load(args.cin, ssda903)
    period = chosen or Period.financial_year(_latest_year(bundle))
    try:
        result = compute(spec, bundle, period, {"calendar": default_calendar(), **params})
    except ValueError as exc:
        if isinstance(exc, CscIndicatorsError):
            raise
        raise ReconcileError(f"{spec.id}: {exc}") from None
    rec = reconcile(result, args.theirs, data=bundle, key=key, columns=columns, spec=spec)
    fmt: Format = args.format
    _write(render(rec, fmt), args.out)
    if args.out not in (None, "-"):
        print(
            f"{rec.title} ({rec.period}): {len(rec.comparisons)} records, "
            f"{len(rec.differences)} differ; written to {args.out}"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The ``reconcile`` command; returns the exit status (0 done, 1 bad input, 2 bad
    options)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return run(args)
    except (ParameterError, _OptionError) as exc:  # a mistake in the options
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except CscIndicatorsError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
