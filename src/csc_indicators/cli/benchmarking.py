"""Benchmarking on the command line: the options ``--targets``, ``--comparators``,
``--authority``, ``--neighbours``, ``--compare-previous`` and ``--layout``, checked before any
input is read, and the files they name read before the returns (so a mistake in them is
reported at once).

Decision: the direction of travel needs the scorecard of the previous period, which doubles the
work. It is computed whenever targets or comparators are given (they are read to judge a
figure, and whether it improved is part of that), or with ``--compare-previous`` alone;
``--no-compare-previous`` leaves it out.
"""

from __future__ import annotations

import argparse
import os
from typing import Literal, get_args

import attrs

from ..benchmarking import (
    Area,
    BenchmarkRow,
    ComparatorGroup,
    Comparators,
    Targets,
    benchmark,
    read_comparators,
    read_targets,
)
from ..example import EXAMPLE_AUTHORITY, EXAMPLE_NEIGHBOURS, example_benchmarking_paths
from ..periods import Period
from ..scoring import Scorecard
from .options import CliError, UsageError

__all__ = [
    "LAYOUTS",
    "BenchmarkView",
    "Benchmarking",
    "BenchmarkingOptions",
    "Layout",
    "Neighbours",
    "add_benchmarking_options",
    "benchmarking_options",
    "load_benchmarking",
    "parse_neighbours",
]

Layout = Literal["standard", "chat"]
"""``standard``: the scorecard, with a benchmarking section when benchmarking is asked for;
``chat``: the ChAT-style four-column summary."""

LAYOUTS: tuple[Layout, ...] = get_args(Layout)

NEIGHBOURS_NAME = "statistical neighbours"
"""The name of the comparator group ``--neighbours`` gives."""


@attrs.frozen(slots=True)
class Neighbours:
    """The comparator group as given: codes (or names), and where each came from."""

    codes: tuple[str, ...]
    source: str | None = None
    """The file they were read from, or ``None`` when given on the command line."""
    lines: tuple[int, ...] = ()
    """For a file, the line of each code."""


@attrs.frozen(slots=True)
class BenchmarkingOptions:
    """The benchmarking options, checked: nothing read yet."""

    targets: str | None = None
    comparators: str | None = None
    authority: str | None = None
    neighbours: str | None = None
    """The ``--neighbours`` value: codes separated by commas, or a file."""
    compare_previous: bool = False
    layout: Layout = "standard"


@attrs.frozen(slots=True)
class Benchmarking:
    """The benchmarking files read and the authority and group found in them."""

    options: BenchmarkingOptions
    targets: Targets | None
    comparators: Comparators | None
    authority: Area | None
    group: ComparatorGroup | None

    def view(self, card: Scorecard, previous: Scorecard | None) -> BenchmarkView:
        """The benchmark rows of ``card`` (against ``previous`` for the direction of travel),
        with what the renderers say about where they come from."""
        rows = benchmark(
            card,
            targets=self.targets,
            comparators=self.comparators,
            authority=None if self.authority is None else _code(self.authority),
            neighbours=self.group,
            previous=previous,
        )
        return BenchmarkView(
            tuple(rows),
            targets=self.options.targets,
            comparators=self.options.comparators,
            authority=self.authority,
            group=self.group,
            previous=None if previous is None else previous.period,
        )


@attrs.frozen(slots=True)
class BenchmarkView:
    """Benchmark rows and their sources, as the renderers show them."""

    rows: tuple[BenchmarkRow, ...]
    targets: str | None = None
    """The targets file."""
    comparators: str | None = None
    """The comparators file."""
    authority: Area | None = None
    group: ComparatorGroup | None = None
    previous: Period | None = None
    """The period the direction of travel compares with (``None``: not compared)."""

    @property
    def published_periods(self) -> list[str]:
        """The years of the published figures used, in order."""
        return sorted({r.published_period for r in self.rows if r.published_period})

    def header(self) -> dict[str, object]:
        """Where the figures come from, as plain values (for JSON)."""
        area = self.authority
        return {
            "targets": self.targets,
            "comparators": self.comparators,
            "authority": None
            if area is None
            else {
                "name": area.name,
                "new_la_code": area.code,
                "old_la_code": area.old_code,
                "region": area.region_name or area.region_code,
            },
            "comparator_group": None
            if self.group is None
            else {"name": self.group.name, "members": list(self.group.members)},
            "previous_period": None if self.previous is None else str(self.previous),
            "published_periods": self.published_periods,
        }


def _code(area: Area) -> str:
    return area.code or area.old_code or area.name or ""


# -- the options ----------------------------------------------------------------------------------


def add_benchmarking_options(p: argparse.ArgumentParser, *, demo: bool = False) -> None:
    """Add the benchmarking options to a command's parser (``demo`` adds ``--benchmark``)."""
    g = p.add_argument_group("benchmarking (see the Benchmarking page of the documentation)")
    if demo:
        g.add_argument(
            "--benchmark",
            action="store_true",
            help="against the example targets and comparators shipped in the package: the "
            f"example authority ({EXAMPLE_AUTHORITY}) and its statistical neighbours "
            f"({','.join(EXAMPLE_NEIGHBOURS)})",
        )
    g.add_argument(
        "--targets", metavar="FILE", help="a targets CSV (indicator, target, amber_tolerance)"
    )
    g.add_argument(
        "--comparators",
        metavar="FILE",
        help="published figures for England, regions and authorities (a DfE-style CSV)",
    )
    g.add_argument(
        "--authority",
        metavar="CODE",
        help="the authority's new code, old code or name in the comparators file",
    )
    g.add_argument(
        "--neighbours",
        metavar="CODES|FILE",
        help="the comparator group: codes or names separated by commas, or a file with one per "
        "line; the authority itself is left out",
    )
    g.add_argument(
        "--compare-previous",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="compute the previous period too, for the direction of travel (default: yes "
        "with --targets or --comparators, no otherwise)",
    )
    g.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="standard",
        help="standard: the scorecard (with benchmarking columns); chat: the ChAT-style "
        "summary (needs --comparators)",
    )


def benchmarking_options(args: argparse.Namespace) -> BenchmarkingOptions | None:
    """The benchmarking options of a command, checked before anything is read; ``None`` when
    none is given.

    Raises:
        UsageError: ``--authority`` or ``--neighbours`` without ``--comparators``; ``--layout
            chat`` without ``--comparators``; ``--benchmark`` with a file of one's own; a
            blank or repeated code in ``--neighbours``.
    """
    targets, comparators = args.targets, args.comparators
    authority, neighbours = args.authority, args.neighbours
    layout: Layout = args.layout
    if getattr(args, "benchmark", False):
        given = [
            o
            for o, v in (
                ("--targets", targets),
                ("--comparators", comparators),
                ("--authority", authority),
                ("--neighbours", neighbours),
            )
            if v is not None
        ]
        if given:
            raise UsageError(
                f"--benchmark and {given[0]}: --benchmark uses the example files, authority "
                f"and neighbours; leave it out to give your own"
            )
        targets, comparators = example_benchmarking_paths()
        authority, neighbours = EXAMPLE_AUTHORITY, ",".join(EXAMPLE_NEIGHBOURS)
    for option, value in (("--authority", authority), ("--neighbours", neighbours)):
        if value is not None and comparators is None:
            raise UsageError(
                f"{option} needs --comparators FILE: the published figures to find it in"
            )
    if layout == "chat" and comparators is None:
        raise UsageError("--layout chat needs --comparators FILE: the published figures it shows")
    if authority is not None and not authority.strip():
        raise UsageError("--authority: give a code or name, not a blank")
    if neighbours is not None and not _is_file(neighbours):
        _codes(neighbours)  # a mistake in the codes is found now
    compare = args.compare_previous
    if compare is None:
        compare = targets is not None or comparators is not None
    if targets is None and comparators is None and not compare:
        return None
    return BenchmarkingOptions(targets, comparators, authority, neighbours, compare, layout)


def _looks_like_path(value: str) -> bool:
    return os.sep in value or "/" in value or value.lower().endswith((".txt", ".csv"))


def _is_file(value: str) -> bool:
    return os.path.isfile(value) or _looks_like_path(value)


def _codes(text: str) -> tuple[str, ...]:
    codes = tuple(c.strip() for c in text.split(","))
    if not any(codes):
        raise UsageError("--neighbours: give codes separated by commas, or a file")
    seen: set[str] = set()
    for code in codes:
        if not code:
            raise UsageError(f"--neighbours {text}: an empty code between commas")
        if code.casefold() in seen:
            raise UsageError(f"--neighbours {text}: {code} is given twice")
        seen.add(code.casefold())
    return codes


def parse_neighbours(value: str) -> Neighbours:
    """The ``--neighbours`` value: a file with one code (or name) per line, blank lines and
    lines starting with ``#`` ignored; or codes separated by commas.

    Raises:
        UsageError: a blank or repeated code given on the command line.
        CliError: the file cannot be read, holds no code, repeats one, or has a line with a
            comma (naming the file and the line).
    """
    if not _is_file(value):
        return Neighbours(_codes(value))
    try:
        with open(value, encoding="utf-8-sig") as stream:
            text = stream.read()
    except FileNotFoundError:
        raise CliError(
            f"{value}: no such file (--neighbours takes codes separated by commas, or a file "
            "with one per line)"
        ) from None
    except OSError as exc:
        raise CliError(f"{value}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise CliError(f"{value}:line {line}: not UTF-8 text ({exc.reason})") from None
    codes: list[str] = []
    lines: list[int] = []
    first: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        code = raw.strip()
        if not code or code.startswith("#"):
            continue
        where = f"{value}:line {number}"
        if "," in code:
            raise CliError(f"{where}: one authority code or name per line (got {code!r})")
        if code.casefold() in first:
            raise CliError(f"{where}: {code} is already on line {first[code.casefold()]}")
        first[code.casefold()] = number
        codes.append(code)
        lines.append(number)
    if not codes:
        raise CliError(f"{value}: no authority codes (one per line)")
    return Neighbours(tuple(codes), value, tuple(lines))


# -- reading the files ----------------------------------------------------------------------------


def _unknown(code: str, comparators: Comparators) -> str:
    known = [str(a) for a in comparators.authorities]
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return f"no local authority {code!r} in {comparators.path} (it has {shown})"


def _find(code: str, comparators: Comparators) -> Area | None:
    for area in comparators.authorities:
        if area.matches(code):
            return area
    return None


def load_benchmarking(options: BenchmarkingOptions) -> Benchmarking:
    """Read the targets and comparators files and find the authority and its group in them.

    Raises:
        InputError: a file cannot be read or has a mistake (naming the file, line and column).
        UsageError: ``--authority`` or a ``--neighbours`` code is not in the comparators file.
        CliError: a code in a ``--neighbours`` file is not in it (naming the file and line).
    """
    targets = read_targets(options.targets) if options.targets is not None else None
    comparators = None
    if options.comparators is not None:
        comparators = read_comparators(options.comparators)
    authority: Area | None = None
    group: ComparatorGroup | None = None
    if comparators is not None and options.authority is not None:
        authority = _find(options.authority, comparators)
        if authority is None:
            raise UsageError(
                f"--authority {options.authority}: {_unknown(options.authority, comparators)}"
            )
    if comparators is not None and options.neighbours is not None:
        given = parse_neighbours(options.neighbours)
        for i, code in enumerate(given.codes):
            if _find(code, comparators) is not None:
                continue
            if given.source is None:
                raise UsageError(f"--neighbours {code}: {_unknown(code, comparators)}")
            raise CliError(f"{given.source}:line {given.lines[i]}: {_unknown(code, comparators)}")
        group = ComparatorGroup(given.codes, NEIGHBOURS_NAME)
    return Benchmarking(options, targets, comparators, authority, group)
