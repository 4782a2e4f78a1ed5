"""Reconciling another list with ours: "why do our figures differ?".

A vendor's report or a council's own spreadsheet lists, record by record, what it counted.
:func:`reconcile` matches that list with an indicator's outcomes on the records' natural key
(the child and the dates that identify the record), puts every record in one class
(:class:`Status`: agree, only in ours, only in theirs, counted differently, met differs,
measure differs, ...) with the reason, and explains systematic differences: a constant offset
in the measures, and the documented parameter whose other value removes the most differences,
proved by recomputing. :func:`csc_indicators.reconciliation.cli.main` is the command line.
"""

from .core import (
    Comparison,
    Figure,
    Reconciliation,
    Status,
    Suggestion,
    Trial,
    compute,
    reconcile,
)
from .keys import IDENTITY
from .theirs import ReconcileError, TheirList, TheirRow, read_theirs

__all__ = [
    "IDENTITY",
    "Comparison",
    "Figure",
    "ReconcileError",
    "Reconciliation",
    "Status",
    "Suggestion",
    "TheirList",
    "TheirRow",
    "Trial",
    "compute",
    "read_theirs",
    "reconcile",
]
