"""The ``reconcile`` command: compare their per-record list with one indicator's outcomes.

``csc-indicators reconcile INDICATOR --theirs THEIRS.csv --cin FILE --ssda903 DIR --year Y``
reads the returns, computes the indicator (with any ``--param NAME=VALUE``), reads their list
and writes the reconciliation: the summary, one row per differing record, and the provenance.

Exit status: 0 when the reconciliation was written (whatever it found), 1 for a problem with
the inputs (one line on stderr, no traceback), 2 for a mistake in the options (checked before
any input is read: an unknown indicator, no data of ours, a period or year that is not one, a
``--param`` or ``--columns`` that cannot be read).

The input options (``--cin``, ``--ssda903``, ``--lenient``, ``--issues``) and ``--param`` are
those of the other commands (:mod:`csc_indicators.cli.options`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..bundle import Bundle
from ..calendar import default_calendar
from ..cli.options import (
    CliError,
    OneLineParser,
    UsageError,
    add_input_options,
    add_param_option,
    one_line,
    parameters_from,
    parse_ssda903,
    period_option,
    resolve_period,
    year_option,
)
from ..errors import CscIndicatorsError
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
    add_input_options(p)
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
    add_param_option(p)
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
                raise UsageError(f"--columns {part.strip()!r}: expected THEIRS=OURS")
            out[theirs.strip()] = ours.strip()
    return out


def _write(text: str, out: str | None) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except OSError as exc:
        raise ReconcileError(f"{out}: cannot write: {exc.strerror}") from None


def run(args: argparse.Namespace) -> int:
    """Run the command with parsed options (raises on bad input; see :func:`main`)."""
    from ..cli.commands import load_inputs

    spec = INDICATORS.get(args.indicator)
    if spec is None:
        raise UsageError(
            f"no indicator is registered as {args.indicator!r} (`csc-indicators list` shows them)"
        )
    params = parameters_from(args.param, {spec.id: spec}).get(spec.id, {})
    columns = _mapping(args.columns)
    key = [k.strip() for k in args.key.split(",") if k.strip()] if args.key else None
    ssda903 = [p for group in args.ssda903 for p in group]
    parse_ssda903(ssda903)  # the options are checked before any input is read
    period_option(args.year, args.period)
    if not args.cin and not ssda903:
        raise UsageError("give our data: --cin FILE and/or --ssda903 FILE_OR_DIR")
    bundle = load_inputs(args.cin, ssda903, args.lenient)
    _write_issues(bundle, args.issues)
    period = resolve_period(args.year, args.period, bundle)
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


def _write_issues(bundle: Bundle, out: str | None) -> None:
    if out is None:
        return
    from ..cli.render import csv_text

    columns = ["location", "child_id", "kind", "field", "value", "message"]
    rows = [{c: getattr(i, c) for c in columns} for i in bundle.issues]
    _write(csv_text(rows, columns), out)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``reconcile`` command; returns the exit status (0 done, 1 bad input, 2 bad
    options)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return run(args)
    except UsageError as exc:  # a mistake in the options
        print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except (CliError, CscIndicatorsError) as exc:
        print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
