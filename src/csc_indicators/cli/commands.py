"""The commands of ``csc-indicators`` and :func:`main`, which runs one and turns every failure
into one line on stderr and an exit status: 0 done, 1 a problem with the inputs, 2 a mistake in
the options, 130 interrupted. Never a traceback (set ``CSC_INDICATORS_DEBUG=1`` to see one for
an unexpected error)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, Literal, TextIO

from .._collector import collector_paused
from ..bundle import Bundle
from ..calendar import WorkingDayCalendar
from ..errors import CscIndicatorsError
from ..example import example_paths, example_ssda903_years
from ..periods import Period
from ..provenance import Provenance, provenance
from ..registry import INDICATORS, IndicatorSpec
from ..scoring import Scorecard, scorecard
from .benchmarking import (
    Benchmarking,
    BenchmarkView,
    benchmarking_options,
    load_benchmarking,
)
from .options import (
    PROG,
    CliError,
    SsdaInput,
    UsageError,
    build_parser,
    check_input_path,
    one_line,
    parameters_from,
    parse_ssda903,
    period_option,
    resolve_period,
)
from .render import add_provenance, csv_text, render_list, render_scorecard, scorecard_rows
from .render_benchmarking import render_chat

__all__ = ["Progress", "command_parameters", "example_data", "load_inputs", "main"]


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


# -- loading --------------------------------------------------------------------------------------


def _read_ssda903(inputs: Sequence[SsdaInput], errors: Literal["raise", "collect"]) -> Bundle:
    """Read the SSDA903 inputs, with the collection years stated with ``YEAR=DIR``."""
    from ..io import read_ssda903

    paths = [p for _, p in inputs]
    stated = {p: y for y, p in inputs if y is not None}
    return read_ssda903(paths, errors=errors, years=stated or None)


def load_inputs(
    cin: Sequence[str], ssda903: Sequence[str], lenient: bool, progress: Progress | None = None
) -> Bundle:
    """Read the returns named by ``--cin`` and ``--ssda903`` (``[YEAR=]PATH`` values), every
    check of a command reading returns included; ``lenient`` collects the problems (in
    ``Bundle.issues``) instead of stopping at the first.

    Raises:
        UsageError: no input given, or a stated year that is not one.
        CliError: a spreadsheet given where CSV or XML is read.
        CscIndicatorsError: an input that cannot be read.
    """
    from ..io import read_cin_census, stitch_cin

    progress = Progress() if progress is None else progress
    errors: Literal["raise", "collect"] = "collect" if lenient else "raise"
    if not cin and not ssda903:
        raise UsageError("give at least one input: --cin FILE and/or --ssda903 FILE_OR_DIR")
    inputs = parse_ssda903(ssda903)
    for path in cin:
        check_input_path(path, "a CIN census XML file", directory_allowed=False)
    for _, path in inputs:
        check_input_path(path, "SSDA903 CSV tables or XML")
    cin_bundles = []
    for path in cin:
        progress.show(f"reading {path} ...")
        cin_bundles.append(read_cin_census(path, errors=errors))
    bundle = stitch_cin(cin_bundles) if cin_bundles else Bundle()
    if inputs:
        progress.show(f"reading {', '.join(p for _, p in inputs)} ...")
        bundle = bundle + _read_ssda903(inputs, errors)
    progress.done()
    return bundle


_load = load_inputs  # the name run_report is given


def example_data() -> tuple[list[str], list[str]]:
    """The shipped example authority: (CIN census files, SSDA903 directories).

    Kept for callers of earlier versions; see :func:`csc_indicators.example.example_paths` and
    :func:`csc_indicators.example_bundle`.
    """
    return example_paths()


# -- output ---------------------------------------------------------------------------------------


def _write(text: str, out: str | None) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except OSError as exc:
        raise CliError(f"{out}: cannot write: {exc.strerror}") from None


def _write_issues(bundle: Bundle, out: str | None) -> None:
    if out is None:
        return
    columns = ["location", "child_id", "kind", "field", "value", "message"]
    rows = [{c: getattr(i, c) for c in columns} for i in bundle.issues]
    _write(csv_text(rows, columns), out)


def _check_indicators(ids: Sequence[str] | None, option: str) -> None:
    for wanted in ids or ():
        if wanted not in INDICATORS:
            raise UsageError(
                f"{option} {wanted}: no indicator is registered with that id "
                f"(`{PROG} list` shows them)"
            )


def command_parameters(
    args: argparse.Namespace, ids: Sequence[str] | None = None
) -> dict[str, dict[str, object]]:
    """The ``--param`` values of a command (:func:`~csc_indicators.cli.options.add_param_option`)
    for the indicators it runs: ``ids``, or every registered one; checked before any input is
    read. ``{}`` for a command without the option.

    Raises:
        UsageError: as :func:`~csc_indicators.cli.options.parameters_from`.
    """
    run = INDICATORS if not ids else {i: INDICATORS[i] for i in ids if i in INDICATORS}
    return parameters_from(getattr(args, "param", None), run)


def _provenance(card: Scorecard, population: int | None) -> Provenance:
    return provenance(card.results, registry=card.specs, population=population)


# -- commands -------------------------------------------------------------------------------------


def _card(
    args: argparse.Namespace,
    bundle: Bundle,
    period: Period,
    progress: Progress,
    note: str = "",
) -> Scorecard:
    def step(i: int, n: int, spec: IndicatorSpec) -> None:
        progress.show(f"[{i + 1}/{n}] {spec.id}{note}")

    # The scorecard shows figures only: per-record outcomes are not kept (see `explain`).
    card = scorecard(
        bundle,
        period,
        population=args.population,
        calendar=WorkingDayCalendar.england_and_wales(),
        parameters=args.parameters,
        indicators=tuple(args.indicator) if args.indicator else None,
        progress=step if args.workers == 1 else None,
        workers=args.workers,
        outcomes=False,
    )
    progress.done()
    return card


def _run_scorecard(
    args: argparse.Namespace,
    bundle: Bundle,
    progress: Progress,
    bench: Benchmarking | None,
) -> int:
    from ..benchmarking import previous_period

    period = resolve_period(args.year, args.period, bundle)
    card = _card(args, bundle, period, progress)
    view: BenchmarkView | None = None
    if bench is not None:
        previous = None
        if bench.options.compare_previous:
            before = previous_period(period)
            previous = _card(args, bundle, before, progress, f" ({before})")
        view = bench.view(card, previous)
    _write_issues(bundle, args.issues)
    prov = _provenance(card, args.population)
    if view is not None and bench is not None and bench.options.layout == "chat":
        shown = "title" if args.format == "markdown" else "short_title"
        titles = {r["indicator"]: r[shown] for r in scorecard_rows(card, args.population)}
        text = add_provenance(render_chat(card, args.format, view, titles), args.format, prov)
    else:
        text = render_scorecard(
            card,
            args.format,
            bundle=bundle,
            population=args.population,
            benchmarking=view,
            provenance=prov,
        )
    _write(text, args.out)
    return 0


def _benchmarking(args: argparse.Namespace) -> Benchmarking | None:
    """The benchmarking options checked, then their files read: both before the returns."""
    options = benchmarking_options(args)
    return None if options is None else load_benchmarking(options)


def _cmd_scorecard(args: argparse.Namespace, progress: Progress) -> int:
    _check_indicators(args.indicator, "--indicator")
    period_option(args.year, args.period)
    args.parameters = command_parameters(args, args.indicator)
    bench = _benchmarking(args)
    bundle = _load(args.cin, args.ssda903, args.lenient, progress)
    return _run_scorecard(args, bundle, progress, bench)


def _cmd_explain(args: argparse.Namespace, progress: Progress) -> int:
    _check_indicators([args.indicator_id], "explain")
    period_option(args.year, args.period)
    parameters = command_parameters(args, [args.indicator_id])
    bundle = _load(args.cin, args.ssda903, args.lenient, progress)
    period = resolve_period(args.year, args.period, bundle)
    card = scorecard(
        bundle,
        period,
        population=args.population,
        calendar=WorkingDayCalendar.england_and_wales(),
        parameters=parameters,
        indicators=(args.indicator_id,),
    )
    if card.not_computed:
        n = card.not_computed[0]
        raise CliError(f"{n.indicator}: cannot be computed: {n.reason}")
    result = card.results[0]
    _write_issues(bundle, args.issues)
    rows = getattr(result, "rows", None) or result.to_rows  # `rows` after the registry rename
    _write(add_provenance(csv_text(rows()), "csv", _provenance(card, args.population)), args.out)
    if args.out not in (None, "-"):
        print(f"{result}; {len(result.outcomes)} outcomes written to {args.out}")
    return 0


def _cmd_demo(args: argparse.Namespace, progress: Progress) -> int:
    _check_indicators(args.indicator, "--indicator")
    period_option(args.year, args.period)
    args.parameters = command_parameters(args, args.indicator)
    bench = _benchmarking(args)
    cin, _ = example_paths()
    ssda903 = [f"{year}={path}" for path, year in example_ssda903_years().items()]
    bundle = _load(cin, ssda903, False, progress)
    return _run_scorecard(args, bundle, progress, bench)


def _cmd_report(args: argparse.Namespace, progress: Progress) -> int:
    from .report import run_report

    return run_report(args, progress, _load)


def _cmd_series(args: argparse.Namespace, progress: Progress) -> int:
    from .series import run_series

    return run_series(args, progress, _load)


def _cmd_list(args: argparse.Namespace, progress: Progress) -> int:
    _write(render_list(INDICATORS.values(), args.format), None)
    return 0


def _cmd_reconcile(args: argparse.Namespace, progress: Progress) -> int:
    from ..reconciliation.cli import main as reconcile_main

    return reconcile_main(args.arguments)


COMMANDS: dict[str, Callable[[argparse.Namespace, Progress], int]] = {
    "scorecard": _cmd_scorecard,
    "explain": _cmd_explain,
    "demo": _cmd_demo,
    "report": _cmd_report,
    "series": _cmd_series,
    "list": _cmd_list,
    "reconcile": _cmd_reconcile,
}


def _version() -> str:
    from .. import __version__

    return __version__


def _stdout_gone() -> None:
    """After a broken pipe (``csc-indicators list | head``): send what is left to nowhere, so
    that Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, 1 inputs, 2 options, 130 Ctrl-C)."""
    progress = Progress()
    # The command owns its process, and everything it builds (records, results) lives until
    # it ends and holds no reference cycles: the cycle collector would only walk it again and
    # again (about a quarter of the time on a large authority). It is paused for the command
    # and restored as it was for a caller that goes on (the tests call main).
    with collector_paused():
        try:
            try:
                args = build_parser(_version()).parse_args(argv)
            except SystemExit as exc:  # --help, --version, or a mistake argparse reported
                return 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 2
            if getattr(args, "ssda903", None):
                args.ssda903 = [p for group in args.ssda903 for p in group]
            return COMMANDS[args.command_name](args, progress)
        except UsageError as exc:
            progress.done()
            print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
            return 2
        except (CliError, CscIndicatorsError) as exc:
            progress.done()
            print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            progress.done()
            print(f"{PROG}: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            _stdout_gone()
            return 1
        except Exception as exc:
            if os.environ.get("CSC_INDICATORS_DEBUG"):
                raise
            progress.done()
            detail: Any = one_line(str(exc)) or type(exc).__name__
            print(
                f"{PROG}: error: unexpected {type(exc).__name__}: {detail} (please report it; "
                "CSC_INDICATORS_DEBUG=1 shows where)",
                file=sys.stderr,
            )
            return 1
