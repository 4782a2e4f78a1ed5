"""Series and breakdowns: indicators over many periods, split into groups.

* :func:`series`: every indicator over every period (see :func:`monthly_periods`), maybe
  broken down ``by`` a dimension (:data:`DIMENSIONS`) or a :class:`Lookup`; each cell equals
  what :func:`~csc_indicators.scorecard` gives for its indicator and period.
* :class:`Series`, :class:`SeriesCell`: the typed table.

The package's modules, by concern:

* :mod:`~csc_indicators.series.engine`: :func:`series` and the computation of every indicator
  over every period, each as its declaration allows.
* :mod:`~csc_indicators.series.assembly`: from the results to the table's cells, split into
  groups.
* :mod:`~csc_indicators.series.usage`: how each indicator uses its period (:data:`USAGE`).
* :mod:`~csc_indicators.series.grouping`: the built-in breakdowns (:data:`DIMENSIONS`,
  :func:`age_band`) and :func:`~csc_indicators.series.grouping.grouping_of`;
  :mod:`~csc_indicators.series.grouping_base`: what a breakdown is (:class:`Grouping`);
  :mod:`~csc_indicators.series.lookup`: a user's lookup file (:class:`Lookup`).
* :mod:`~csc_indicators.series.periods`: the periods of a series (:func:`monthly_periods`).
* :mod:`~csc_indicators.series.table`: the table (:class:`Series`, :class:`SeriesCell`).
"""

from .engine import series
from .grouping import (
    AGE_BANDS,
    DIMENSIONS,
    NOT_RECORDED,
    UNASSIGNED,
    Dimension,
    Grouping,
    Lookup,
    LookupRow,
    age_band,
)
from .periods import DEFAULT_KINDS, monthly_periods
from .table import CellStatus, Series, SeriesCell
from .usage import USAGE, PeriodUse, Usage, usage_of

__all__ = [
    "AGE_BANDS",
    "DEFAULT_KINDS",
    "DIMENSIONS",
    "NOT_RECORDED",
    "UNASSIGNED",
    "USAGE",
    "CellStatus",
    "Dimension",
    "Grouping",
    "Lookup",
    "LookupRow",
    "PeriodUse",
    "Series",
    "SeriesCell",
    "Usage",
    "age_band",
    "monthly_periods",
    "series",
    "usage_of",
]
