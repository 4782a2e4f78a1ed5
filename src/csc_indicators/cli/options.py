"""The options of the command line: the parser, and turning options into a period, inputs and
numbers, with one clear line for every mistake (exit status 2)."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from ..bundle import Bundle
from ..params import ParameterError, parse_assignments
from ..periods import Period
from .render import FORMATS

__all__ = [
    "PROG",
    "CliError",
    "OneLineParser",
    "SsdaInput",
    "UsageError",
    "add_input_options",
    "add_param_option",
    "build_parser",
    "check_input_path",
    "one_line",
    "parameters_from",
    "parse_ssda903",
    "period_option",
    "resolve_period",
    "year_option",
]

PROG = "csc-indicators"
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
FIRST_YEAR, LAST_YEAR = 1000, 9998


class CliError(Exception):
    """A problem with the inputs, to report in one line; exit status 1."""


class UsageError(CliError):
    """A mistake in the options, to report in one line; exit status 2."""


_LINE_BREAKS = str.maketrans(
    {c: c.encode("unicode_escape").decode("ascii") for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
)


def one_line(text: str) -> str:
    """``text`` on one line: a line break typed into an option is shown escaped (``\\n``)."""
    return text.translate(_LINE_BREAKS)


class OneLineParser(argparse.ArgumentParser):
    """argparse, with its errors in the same one-line form as every other error; the hint
    names the help of the command the mistake is in."""

    _command: str | None = None

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        namespace, extras = super().parse_known_args(*args, **kwargs)
        # argparse reports an unknown option of a command from the top-level parser: remember
        # the command, so that the hint points at its help
        self._command = getattr(namespace, "command", None)
        return namespace, extras

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip() or self._command or ""
        hint = f" (see {PROG} {command + ' ' if command else ''}--help)"
        self.exit(2, f"{PROG}: error: {one_line(message)}{hint}\n")


# -- options to values ----------------------------------------------------------------------------


def year_option(text: str) -> int:
    """An argparse ``type`` for ``--year``: a year such as 2024 (for 2024-25), in range."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a year such as 2024 (for 2024-25), got {text!r}"
        ) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"expected a year such as 2024 (for 2024-25), between {FIRST_YEAR} and "
            f"{LAST_YEAR}, got {text}"
        )
    return year


def _positive(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def _workers(text: str) -> int:
    value = _positive(text)
    if value > 256:
        raise argparse.ArgumentTypeError(f"at most 256, got {text}")
    return value


def period_option(year: int | None, period: str | None) -> Period | None:
    """The period the options name, checked before any input is read: ``--period`` (read by
    :meth:`Period.parse`) or the financial year ``--year``; ``None`` when neither is given.

    Raises:
        UsageError: both options are given, or ``--period`` cannot be read.
    """
    if period is None:
        return None if year is None else Period.financial_year(year)
    if year is not None:
        raise UsageError(
            f"--year and --period both name the period: give one (--period {period} "
            f"already says which dates)"
        )
    text = period.strip()
    if re.fullmatch(r"[qQ][1-4]", text):
        raise UsageError(
            f"--period {text}: say which year: --period {text.upper()}:2024 is quarter "
            f"{text[1]} of 2024-25"
        )
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise UsageError(f"--period: {exc}") from None


def resolve_period(year: int | None, period: str | None, bundle: Bundle) -> Period:
    """The period the options name (:func:`period_option`), else the financial year of the
    latest collection year of the inputs.

    Raises:
        UsageError: as :func:`period_option`, or neither option is given and the inputs do not
            say their year.
    """
    chosen = period_option(year, period)
    if chosen is not None:
        return chosen
    years = [y for s in bundle.sources if (y := s.year) is not None]
    if not years:
        raise UsageError("the inputs do not say their collection year: give --year")
    return Period.financial_year(max(years))


SsdaInput = tuple[int | None, str]
"""An ``--ssda903`` value: the collection year stated (``2023=DIR``), or ``None``, and the
path."""


def parse_ssda903(values: Sequence[str]) -> list[SsdaInput]:
    """Read ``--ssda903`` values: ``PATH`` or ``YEAR=PATH`` (the return's collection year,
    2023 for 2023-24).

    Raises:
        UsageError: a year that is not one.
    """
    out: list[SsdaInput] = []
    for value in values:
        m = re.fullmatch(r"(\d+)=(.+)", value)
        if m is None:
            out.append((None, value))
            continue
        try:
            year = year_option(m[1])
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"--ssda903 {value}: {exc}") from None
        out.append((year, m[2]))
    return out


def check_input_path(path: str, expected: str, *, directory_allowed: bool = True) -> None:
    """Stop early, naming the file, at a spreadsheet given where CSV or XML is read, or a
    directory given where one file is read (``directory_allowed=False``).

    Raises:
        CliError: ``path`` is (or is a directory holding only) spreadsheet files, or a
            directory where a file is expected.
    """
    if not directory_allowed and os.path.isdir(path):
        raise CliError(f"{path}: a directory, not {expected}: give the file itself")
    suffix = os.path.splitext(path)[1].lower()
    if suffix in SPREADSHEETS:
        raise CliError(
            f"{path}: a spreadsheet ({suffix}), not {expected}: save each sheet as CSV "
            "(or give the XML return)"
        )
    if os.path.isdir(path):
        names = [n.lower() for _, _, files in os.walk(path) for n in files]
        readable = [n for n in names if n.endswith((".csv", ".xml"))]
        sheets = [n for n in names if n.endswith(SPREADSHEETS)]
        if sheets and not readable:
            raise CliError(
                f"{path}: holds spreadsheets ({sheets[0]}, ...), not {expected}: save each "
                "sheet as CSV (or give the XML return)"
            )


def parameters_from(
    texts: Sequence[str] | None, indicators: Mapping[str, object]
) -> dict[str, dict[str, object]]:
    """The ``--param`` values read for the indicators a command runs (id to its spec), by
    :func:`csc_indicators.params.parse_assignments`: ``{id: {name: value}}``, ready for
    ``scorecard(..., parameters=...)``.

    ``NAME=VALUE`` sets the parameter of every indicator run that has one of that name;
    ``ID.NAME=VALUE`` one indicator's. ``population`` is refused (``--population N`` gives it).

    Raises:
        UsageError: a value that is not ``NAME=VALUE``, an indicator not run, a name none of
            them has, a bare name whose type differs between them, or a value its type
            rejects; the message lists what is accepted.
    """
    try:
        return parse_assignments(texts or (), indicators, reserved=True)
    except ParameterError as exc:
        raise UsageError(f"--param {exc}") from None


# -- the parser -----------------------------------------------------------------------------------


def add_param_option(p: argparse.ArgumentParser) -> None:
    """Add ``--param NAME=VALUE`` (repeatable) to a command's parser; read it with
    :func:`parameters_from`."""
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a documented parameter of the indicators that have it (repeatable): "
        "limit=40, or one indicator's: assessments_within_45_working_days.limit=40; the "
        "output names every parameter that differs from its default",
    )


def add_input_options(p: argparse.ArgumentParser, *, issues: bool = True) -> None:
    """Add the input options of every command reading returns: ``--cin``, ``--ssda903``,
    ``--lenient`` and (unless ``issues=False``) ``--issues``."""
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
        help="SSDA903 CSV tables or XML, files or directories (one directory per year, or a "
        "directory of year directories); YEAR=DIR states the return's collection year "
        "(2023=DIR for 2023-24)",
    )
    p.add_argument(
        "--lenient",
        action="store_true",
        help="load everything readable and list problems instead of stopping at the first",
    )
    if issues:
        p.add_argument(
            "--issues",
            metavar="FILE",
            help="write the problems found while reading to this CSV file",
        )


_add_inputs = add_input_options  # the name report.py imports


def _add_period(p: argparse.ArgumentParser) -> None:
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
        help="another period: 2024-12 (a month), Q3:2024, ytd:2024-12, 12m:2024-12, 2024-25, "
        "2024-04-01..2025-03-31 or 01/04/2024..31/03/2025",
    )
    p.add_argument(
        "--population",
        type=_positive,
        metavar="N",
        help="the 0-17 population, for rates per 10,000 children",
    )


def build_parser(version: str) -> argparse.ArgumentParser:
    """The argument parser of the command line; ``version`` for ``--version``."""
    from .benchmarking import add_benchmarking_options

    parser = OneLineParser(
        prog=PROG,
        description="Children's social care performance indicators from the statutory "
        "returns (CIN census, SSDA903), explained down to the record.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {version}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=OneLineParser
    )

    p = sub.add_parser("scorecard", help="every indicator the inputs allow")
    add_input_options(p)
    _add_period(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--indicator", action="append", metavar="ID", help="only this indicator (repeatable)"
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="split the work by child over N processes (default 1)",
    )
    add_param_option(p)
    add_benchmarking_options(p)
    p.set_defaults(command_name="scorecard")

    p = sub.add_parser("explain", help="the per-record outcomes of one indicator, as CSV")
    p.add_argument("indicator_id", metavar="INDICATOR")
    add_input_options(p)
    _add_period(p)
    p.add_argument("--out", metavar="FILE", help="the CSV file to write (default: stdout)")
    add_param_option(p)
    p.set_defaults(command_name="explain")

    p = sub.add_parser("demo", help="the scorecard on the example data shipped in the package")
    _add_period(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--indicator", action="append", metavar="ID", help="only this indicator (repeatable)"
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    add_param_option(p)
    add_benchmarking_options(p, demo=True)
    p.set_defaults(command_name="demo", issues=None, workers=1)

    p = sub.add_parser(
        "reconcile",
        help="compare another per-record list with one indicator's outcomes and explain "
        "every difference (csc-indicators reconcile --help)",
        add_help=False,
        prefix_chars="\0",
    )
    p.add_argument("arguments", nargs=argparse.REMAINDER)
    p.set_defaults(command_name="reconcile")

    from .report import add_report_parser

    add_report_parser(sub)

    from .series import add_series_parser

    add_series_parser(sub)

    p = sub.add_parser("list", help="the registered indicators")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(command_name="list")
    return parser
