"""The ``csc-indicators`` command line: the scorecard, one indicator's outcomes, and a demo.

Bad input ends the run with one line on stderr naming the file, the place and the problem, and
a non-zero exit status (2 for a usage error, 1 for anything else); never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import enum
import gc
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from typing import Any, Literal, TextIO

from .bundle import Bundle
from .calendar import WorkingDayCalendar
from .errors import CscIndicatorsError
from .periods import Period
from .registry import INDICATORS, IndicatorSpec
from .results import ValueKind
from .scoring import Scorecard, scorecard

__all__ = ["main"]

PROG = "csc-indicators"
FORMATS = ("table", "csv", "json", "markdown")


class CliError(Exception):
    """A problem to report in one line, then exit with status 1."""


# -- progress ------------------------------------------------------------------------------------


class Progress:
    """Progress messages on stderr, only when stderr is a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._width = 0

    def show(self, message: str) -> None:
        """Replace the current progress line."""
        if self.enabled:
            pad = max(0, self._width - len(message))
            self.stream.write("\r" + message + " " * pad)
            self.stream.flush()
            self._width = len(message)

    def done(self) -> None:
        """Clear the progress line."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


# -- loading -------------------------------------------------------------------------------------


def _load(
    cin: Sequence[str],
    ssda903: Sequence[str],
    lenient: bool,
    progress: Progress,
    years: dict[str, int] | None = None,
) -> Bundle:
    from .io import read_cin_census, read_ssda903, stitch_cin

    errors: Literal["raise", "collect"] = "collect" if lenient else "raise"
    if not cin and not ssda903:
        raise CliError("give at least one input: --cin FILE and/or --ssda903 FILE_OR_DIR")
    cin_bundles = []
    for path in cin:
        progress.show(f"reading {path} ...")
        cin_bundles.append(read_cin_census(path, errors=errors))
    bundle = stitch_cin(cin_bundles) if cin_bundles else Bundle()
    if ssda903:
        progress.show(f"reading {', '.join(ssda903)} ...")
        bundle = bundle + read_ssda903(ssda903, errors=errors, years=years)
    progress.done()
    return bundle


def _period(args: argparse.Namespace, bundle: Bundle) -> Period:
    year: int | None = args.year
    if args.period:
        text = args.period.strip()
        if ".." in text:
            start, _, end = text.partition("..")
            try:
                return Period(
                    _dt.date.fromisoformat(start.strip()), _dt.date.fromisoformat(end.strip())
                )
            except ValueError as exc:
                raise CliError(f"--period {text!r}: {exc}") from None
        if text.upper() in ("Q1", "Q2", "Q3", "Q4"):
            if year is None:
                year = _latest_year(bundle)
            return Period.quarter(year, int(text[1]))
        raise CliError(f"--period {text!r}: expected START..END (ISO dates) or Q1-Q4")
    if year is None:
        year = _latest_year(bundle)
    return Period.financial_year(year)


def _latest_year(bundle: Bundle) -> int:
    years = [s.collection_year for s in bundle.sources if s.collection_year is not None]
    if not years:
        raise CliError("the inputs do not say their collection year: give --year")
    return max(years)


# -- formatting ----------------------------------------------------------------------------------


def _shown(value: float | int | None, kind: str) -> str:
    if value is None:
        return "n/a"
    if kind == str(ValueKind.PERCENTAGE):
        return f"{value}%"
    return str(value)


def _plain(value: object) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return str(value)


def _cell(value: object) -> str:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, list):
        return ";".join(_cell(v) for v in plain)
    return str(plain)


def _table(card: Scorecard, markdown: bool) -> str:
    rows = [r for r in card.rows() if r["status"] == "computed"]
    head = ["Indicator", "Numerator", "Denominator", "Value", "Polarity"]
    body = [
        [
            r["title"],
            str(r["numerator"]),
            str(r["denominator"]),
            _shown(r["rounded_value"], r["kind"]),
            r["polarity"],
        ]
        for r in rows
    ]
    out = io.StringIO()
    start, end = card.period.start, card.period.end
    title = f"Scorecard {card.period} ({start.day} {start:%B %Y} to {end.day} {end:%B %Y})"
    if markdown:
        out.write(f"## {title}\n\n")
        out.write("| " + " | ".join(head) + " |\n")
        out.write("|---|---:|---:|---:|---|\n")
        for line in body:
            out.write("| " + " | ".join(c.replace("|", "\\|") for c in line) + " |\n")
        if not body:
            out.write("| (none) | | | | |\n")
    else:
        out.write(title + "\n\n")
        widths = [max([len(h)] + [len(line[i]) for line in body]) for i, h in enumerate(head)]

        def fmt(cells: list[str]) -> str:
            parts = [cells[0].ljust(widths[0])]
            parts += [c.rjust(w) for c, w in zip(cells[1:4], widths[1:4], strict=True)]
            parts.append(cells[4])
            return "  ".join(parts).rstrip() + "\n"

        out.write(fmt(head))
        out.write("  ".join("-" * w for w in widths) + "\n")
        for line in body:
            out.write(fmt(line))
        if not body:
            out.write("(no indicator could be computed)\n")
    if card.not_computed:
        out.write("\n" + ("### Not computed\n\n" if markdown else "Not computed:\n"))
        for n in card.not_computed:
            bullet = "- " if markdown else "  "
            out.write(f"{bullet}{n.title} ({n.indicator}): {n.reason}\n")
    if card.issues:
        out.write(
            f"\n{len(card.issues)} problem(s) found while reading the inputs "
            "(write them out with --issues FILE).\n"
        )
    return out.getvalue()


def _csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    rows = list(rows)
    if columns is None:
        seen: dict[str, None] = {}
        for row in rows:
            for key in row:
                seen.setdefault(key, None)
        columns = list(seen)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _render(card: Scorecard, fmt: str) -> str:
    if fmt == "csv":
        return _csv_text(card.rows())
    if fmt == "json":
        payload = {
            "period": {
                "name": str(card.period),
                "start": card.period.start.isoformat(),
                "end": card.period.end.isoformat(),
            },
            "indicators": [{k: _plain(v) for k, v in row.items()} for row in card.rows()],
            "not_computed": [
                {
                    "indicator": n.indicator,
                    "title": n.title,
                    "missing": list(n.missing),
                    "reason": n.reason,
                }
                for n in card.not_computed
            ],
            "sources": [
                {
                    "kind": s.kind,
                    "path": s.path,
                    "collection_year": s.collection_year,
                    "la_code": s.la_code,
                }
                for s in card.sources
            ],
            "issues": len(card.issues),
        }
        return json.dumps(payload, indent=2) + "\n"
    return _table(card, markdown=fmt == "markdown")


def _write(text: str, out: str | None) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except OSError as exc:
        raise CliError(f"{out}: cannot write: {exc.strerror}") from None


def _write_issues(bundle: Bundle, out: str | None) -> None:
    if out is None:
        return
    rows = [
        {
            "location": i.location,
            "child_id": i.child_id,
            "kind": i.kind,
            "field": i.field,
            "value": i.value,
            "message": i.message,
        }
        for i in bundle.issues
    ]
    _write(_csv_text(rows, ["location", "child_id", "kind", "field", "value", "message"]), out)


# -- commands ------------------------------------------------------------------------------------


def _population(value: int | None) -> int | None:
    if value is not None and value <= 0:
        raise CliError(f"--population must be a positive whole number, got {value}")
    return value


def _run_scorecard(args: argparse.Namespace, bundle: Bundle, progress: Progress) -> int:
    period = _period(args, bundle)

    def step(i: int, n: int, spec: IndicatorSpec) -> None:
        progress.show(f"[{i + 1}/{n}] {spec.id}")

    workers = args.workers
    if workers < 1:
        raise CliError(f"--workers must be at least 1, got {workers}")
    # The scorecard shows figures only: per-record outcomes are not kept (see `explain`).
    card = scorecard(
        bundle,
        period,
        population=_population(args.population),
        calendar=WorkingDayCalendar.england_and_wales(),
        indicators=tuple(args.indicator) if args.indicator else None,
        progress=step if workers == 1 else None,
        workers=workers,
        outcomes=False,
    )
    progress.done()
    _write_issues(bundle, args.issues)
    _write(_render(card, args.format), args.out)
    return 0


def _cmd_scorecard(args: argparse.Namespace, progress: Progress) -> int:
    bundle = _load(args.cin, args.ssda903, args.lenient, progress)
    return _run_scorecard(args, bundle, progress)


def _cmd_explain(args: argparse.Namespace, progress: Progress) -> int:
    if args.indicator_id not in INDICATORS:
        known = ", ".join(INDICATORS) or "none"
        raise CliError(f"no indicator is registered as {args.indicator_id!r} (registered: {known})")
    bundle = _load(args.cin, args.ssda903, args.lenient, progress)
    period = _period(args, bundle)
    card = scorecard(
        bundle,
        period,
        population=_population(args.population),
        calendar=WorkingDayCalendar.england_and_wales(),
        indicators=(args.indicator_id,),
    )
    if card.not_computed:
        n = card.not_computed[0]
        raise CliError(f"{n.indicator}: cannot be computed: {n.reason}")
    result = card.results[0]
    _write_issues(bundle, args.issues)
    _write(_csv_text(result.to_rows()), args.out)
    if args.out not in (None, "-"):
        print(f"{result}; {len(result.outcomes)} outcomes written to {args.out}")
    return 0


def example_data() -> tuple[list[str], list[str]]:
    """The shipped example authority: (CIN census files, SSDA903 directories)."""
    root = resources.files("csc_indicators") / "data" / "example"
    base = os.fspath(root)  # type: ignore[call-overload]
    cin_dir = os.path.join(base, "cin")
    ssda_dir = os.path.join(base, "ssda903")
    if not os.path.isdir(cin_dir) or not os.path.isdir(ssda_dir):
        raise CliError("the example data is not installed (run scripts/make_example_data.py)")
    cin = sorted(os.path.join(cin_dir, n) for n in os.listdir(cin_dir) if n.endswith(".xml"))
    return cin, [ssda_dir]


def example_years(directories: Sequence[str]) -> dict[str, int]:
    """The collection year of each of the example's SSDA903 returns (its directory's name)."""
    return {os.path.join(d, n): int(n) for d in directories for n in os.listdir(d) if n.isdigit()}


def _cmd_demo(args: argparse.Namespace, progress: Progress) -> int:
    cin, ssda903 = example_data()
    bundle = _load(cin, ssda903, False, progress, example_years(ssda903))
    return _run_scorecard(args, bundle, progress)


def _cmd_list(args: argparse.Namespace, progress: Progress) -> int:
    rows = [
        {
            "indicator": s.id,
            "title": s.title,
            "family": s.family,
            "kind": str(s.kind),
            "polarity": str(s.polarity),
            "inputs": " ".join(s.inputs),
            "optional_inputs": " ".join(s.optional_inputs),
        }
        for s in INDICATORS.values()
    ]
    if args.format == "csv":
        _write(_csv_text(rows), None)
    elif args.format == "json":
        _write(json.dumps(rows, indent=2) + "\n", None)
    else:
        for r in rows:
            print(f"{r['indicator']}: {r['title']} [{r['family']}; needs {r['inputs']}]")
        if not rows:
            print("(no indicators are registered)")
    return 0


# -- the parser ----------------------------------------------------------------------------------


def _add_inputs(p: argparse.ArgumentParser) -> None:
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
        metavar="FILE_OR_DIR",
        help="SSDA903 CSV tables or XML, files or directories (one directory per "
        "year, or a directory of year directories)",
    )
    p.add_argument(
        "--lenient",
        action="store_true",
        help="load everything readable and list problems instead of stopping at the first",
    )
    p.add_argument(
        "--issues", metavar="FILE", help="write the problems found while reading to this CSV file"
    )


def _add_period(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--year",
        type=int,
        metavar="YEAR",
        help="the financial year starting in YEAR (2024 = 2024-25); default: the "
        "latest collection year of the inputs",
    )
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help="another period: START..END (ISO dates) or Q1-Q4 of --year",
    )
    p.add_argument(
        "--population",
        type=int,
        metavar="N",
        help="the 0-17 population, for rates per 10,000 children",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Children's social care performance indicators from the statutory "
        "returns (CIN census, SSDA903), explained down to the record.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("scorecard", help="every indicator the inputs allow")
    _add_inputs(p)
    _add_period(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--indicator", action="append", metavar="ID", help="only this indicator (repeatable)"
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="split the work by child over N processes (default 1)",
    )
    p.set_defaults(run=_cmd_scorecard)

    p = sub.add_parser("explain", help="the per-record outcomes of one indicator, as CSV")
    p.add_argument("indicator_id", metavar="INDICATOR")
    _add_inputs(p)
    _add_period(p)
    p.add_argument("--out", metavar="FILE", help="the CSV file to write (default: stdout)")
    p.set_defaults(run=_cmd_explain)

    p = sub.add_parser("demo", help="the scorecard on the example data shipped in the package")
    _add_period(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--indicator", action="append", metavar="ID", help=argparse.SUPPRESS)
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=_cmd_demo, issues=None, workers=1)

    p = sub.add_parser("list", help="the registered indicators")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(run=_cmd_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    if getattr(args, "ssda903", None):
        args.ssda903 = [p for group in args.ssda903 for p in group]
    progress = Progress()
    run: Callable[[argparse.Namespace, Progress], int] = args.run
    # The command owns its process, and everything it builds (records, results) lives until
    # it ends and holds no reference cycles: the cycle collector would only walk it again and
    # again (about a quarter of the time on a large authority). It is paused for the command
    # and restored as it was for a caller that goes on (the tests call main).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return run(args, progress)
    except (CliError, CscIndicatorsError) as exc:
        progress.done()
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover - interactive
        progress.done()
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
