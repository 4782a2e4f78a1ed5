"""Five headline indicators computed from the returns the way an analyst would without the library.

Benchmark code only (issue #12): not part of the package, not a dependency of it. Each module
is one implementation with the same two entry points:

* ``prepare()``: the one-off set-up an analyst pays once per session (the working-day calendar,
  a database connection); timed apart from the work;
* ``run(directory, rules) -> Timed``: read the CIN census XML and the SSDA903 CSV tables of one
  authority into the tool's own typed tables (timed as *read*), then compute the five figures
  from them (timed as *compute*).

``library`` is the project itself; ``with_pandas``, ``with_duckdb`` and ``with_polars`` follow
the rules of ``docs/indicators/*.md`` in the idiom of each tool. :mod:`benchmarks.peers.rules`
holds what they share: the period's dates and cut-offs, the code lists, the bank holidays and
the flattening of the census XML (none of the three tools reads nested XML on its own).
"""

from __future__ import annotations

IMPLEMENTATIONS = ("library", "pandas", "duckdb", "polars")
"""The names the driver (``benchmarks/bench_peers.py``) accepts, the library first."""

MODULES = {
    "library": "peers.library",
    "pandas": "peers.with_pandas",
    "duckdb": "peers.with_duckdb",
    "polars": "peers.with_polars",
}
"""The module of each implementation, importable with ``benchmarks/`` on ``sys.path``."""

THIRD_PARTY = {
    "library": ("csc_indicators", "csc_indicators.io"),
    "pandas": ("numpy", "pandas"),
    "duckdb": ("duckdb", "pyarrow"),
    "polars": ("polars",),
}
"""The packages each implementation imports, imported (and timed) before its set-up."""
