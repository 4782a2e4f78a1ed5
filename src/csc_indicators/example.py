"""The example authority shipped in the package: a small synthetic local authority (no record
describes a real child) for ``csc-indicators demo``, the documentation and trying the library."""

from __future__ import annotations

import os
from importlib import resources

from .bundle import Bundle
from .errors import InputError

__all__ = [
    "EXAMPLE_AUTHORITY",
    "EXAMPLE_NEIGHBOURS",
    "example_benchmarking_paths",
    "example_bundle",
    "example_paths",
    "example_teams_path",
]


def example_paths() -> tuple[list[str], list[str]]:
    """The example authority's files: (CIN census XML files, SSDA903 directories).

    Raises:
        InputError: the example data is not installed.
    """
    root = resources.files("csc_indicators") / "data" / "example"
    base = os.fspath(root)  # type: ignore[call-overload]
    cin_dir = os.path.join(base, "cin")
    ssda_dir = os.path.join(base, "ssda903")
    if not os.path.isdir(cin_dir) or not os.path.isdir(ssda_dir):
        raise InputError("the example data is not installed (run scripts/make_example_data.py)")
    cin = sorted(os.path.join(cin_dir, n) for n in os.listdir(cin_dir) if n.endswith(".xml"))
    return cin, [ssda_dir]


def example_bundle() -> Bundle:
    """The example authority's records, read from the files shipped in the package: the CIN
    census of 2024-25 and the SSDA903 returns of 2022-23 to 2024-25, stitched.

    >>> from csc_indicators import example_bundle
    >>> example_bundle()  # doctest: +ELLIPSIS
    Bundle(referrals=836, assessments=546, ..., sources=31, issues=0)

    Raises:
        InputError: the example data is not installed.
    """
    from .io import read_cin_census, read_ssda903, stitch_cin

    cin, _ = example_paths()
    years = example_ssda903_years()
    return stitch_cin([read_cin_census(p) for p in cin]) + read_ssda903(list(years), years=years)


def example_ssda903_years() -> dict[str, int]:
    """The example's SSDA903 returns, one directory per collection year (named by the year),
    with their years: ``{directory: year}``, oldest first, for ``read_ssda903(..., years=)``.

    Raises:
        InputError: the example data is not installed.
    """
    _, (ssda_dir,) = example_paths()
    names = sorted(n for n in os.listdir(ssda_dir) if n.isdigit())
    return {os.path.join(ssda_dir, n): int(n) for n in names}


EXAMPLE_AUTHORITY = "999"
"""The example authority's old code in the example comparators file (``Example Borough``)."""

EXAMPLE_NEIGHBOURS: tuple[str, ...] = ("991", "993", "995", "997", "989")
"""The example authority's statistical neighbours in the example comparators file."""


def example_benchmarking_paths() -> tuple[str, str]:
    """The example authority's made-up benchmarking files: (targets CSV, comparators CSV),
    for :func:`csc_indicators.benchmarking.read_targets` and
    :func:`~csc_indicators.benchmarking.read_comparators` with :data:`EXAMPLE_AUTHORITY` and
    :data:`EXAMPLE_NEIGHBOURS`. No figure in them is a real statistic.

    Raises:
        InputError: the example data is not installed.
    """
    root = resources.files("csc_indicators") / "data" / "example" / "benchmarking"
    base = os.fspath(root)  # type: ignore[call-overload]
    targets = os.path.join(base, "targets.csv")
    comparators = os.path.join(base, "comparators.csv")
    if not os.path.isfile(targets) or not os.path.isfile(comparators):
        raise InputError("the example benchmarking files are not installed")
    return targets, comparators


def example_teams_path() -> str:
    """The example authority's made-up lookup of children to 4 teams (``teams.csv``:
    ``child_id,team,from,to``), for :meth:`csc_indicators.Lookup.from_csv` and
    ``csc-indicators series --example --by team``. Some children move team on 1 October 2024;
    a few are left out (their outcomes fall in the group ``unassigned``).

    Raises:
        InputError: the example data is not installed.
    """
    root = resources.files("csc_indicators") / "data" / "example"
    path = os.path.join(os.fspath(root), "teams.csv")  # type: ignore[call-overload]
    if not os.path.isfile(path):
        raise InputError("the example teams file is not installed")
    return path
