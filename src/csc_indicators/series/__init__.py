"""Series and breakdowns: indicators over many periods, split into groups.

* :func:`series`: every indicator over every period (see :func:`monthly_periods`), maybe
  broken down ``by`` a dimension (:data:`DIMENSIONS`) or a :class:`Lookup`; each cell equals
  what :func:`~csc_indicators.scorecard` gives for its indicator and period.
* :class:`Series`, :class:`SeriesCell`: the typed table.
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
