"""Benchmarking: targets and RAG ratings, direction of travel, and published comparators.

* :func:`read_targets`: a targets file (``indicator, target, amber_tolerance``) into
  :class:`Targets`.
* :func:`read_comparators`: a DfE-style comparators file (England, regions, every authority)
  into :class:`Comparators`.
* :func:`benchmark`: both attached to the rows of a :class:`~csc_indicators.Scorecard`, with
  the direction of travel against the previous scorecard and the published figure;
  :func:`benchmark_rows` the same as plain dicts; :func:`chat_summary` and :func:`chat_table`
  the ChAT-style four-column summary.
* :mod:`csc_indicators.benchmarking.rules`: the rules themselves (:func:`rag`,
  :func:`direction`, :func:`quartile_band`, :func:`rank`, :func:`position`) as pure functions.

Bad input raises :class:`~csc_indicators.InputError` naming the file, the line and the column
(or, with ``errors="collect"``, is listed as :class:`~csc_indicators.DataIssue` objects).
"""

from ._common import SUPPRESSION_SYMBOLS, PublishedFigure, decimals_of
from .comparators import (
    Area,
    ComparatorFigure,
    ComparatorGroup,
    Comparators,
    GroupFigure,
    Level,
)
from .comparators_file import read_comparators
from .rows import (
    CHAT_HEADINGS,
    BenchmarkRow,
    ChatRow,
    benchmark,
    benchmark_rows,
    chat_summary,
    chat_table,
    previous_period,
)
from .rules import (
    Band,
    Direction,
    Position,
    Rag,
    direction,
    position,
    position_rating,
    quartile_band,
    quartiles,
    rag,
    rank,
)
from .targets import Target, Targets, read_targets

__all__ = [
    "CHAT_HEADINGS",
    "SUPPRESSION_SYMBOLS",
    "Area",
    "Band",
    "BenchmarkRow",
    "ChatRow",
    "ComparatorFigure",
    "ComparatorGroup",
    "Comparators",
    "Direction",
    "GroupFigure",
    "Level",
    "Position",
    "PublishedFigure",
    "Rag",
    "Target",
    "Targets",
    "benchmark",
    "benchmark_rows",
    "chat_summary",
    "chat_table",
    "decimals_of",
    "direction",
    "position",
    "position_rating",
    "previous_period",
    "quartile_band",
    "quartiles",
    "rag",
    "rank",
    "read_comparators",
    "read_targets",
]
