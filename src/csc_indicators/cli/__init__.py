"""The ``csc-indicators`` command line: the scorecard, one indicator's outcomes, the list of
indicators and a demo.

* :mod:`csc_indicators.cli.commands`: the commands and :func:`main` (the console entry point
  ``csc_indicators.cli:main``).
* :mod:`csc_indicators.cli.options`: the parser and the checks of the options.
* :mod:`csc_indicators.cli.render`: scorecards and lists as a table, CSV, JSON or Markdown,
  reusable by any command; the public names of the two modules below are importable from it.
* :mod:`csc_indicators.cli.render_list`: the indicator list (:func:`spec_dict`,
  :func:`render_list`).
* :mod:`csc_indicators.cli.formats`: the formats' building blocks shared by every command
  (``FORMATS``, ``WIDTH``, ``plain``, ``csv_text``, ``write_csv_rows``, ``add_provenance``).

Bad input ends the run with one line on stderr naming the file, the place and the problem, and
a non-zero exit status (2 for a mistake in the options, 1 for anything else); never a traceback.
"""

from __future__ import annotations

import sys

from .commands import Progress, example_data, main
from .options import PROG, CliError, UsageError, build_parser

__all__ = ["PROG", "CliError", "Progress", "UsageError", "build_parser", "example_data", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
