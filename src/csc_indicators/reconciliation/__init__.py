"""Reconciling another list with ours: "why do our figures differ?".

A vendor's report or a council's own spreadsheet lists, record by record, what it counted.
:func:`reconcile` matches that list with an indicator's outcomes on the records' natural key
(the child and the dates that identify the record), puts every record in one class
(:class:`Status`: agree, only in ours, only in theirs, counted differently, met differs,
measure differs, ...) with the reason, and explains systematic differences: a constant offset
in the measures, and the documented parameter whose other value removes the most differences,
proved by recomputing. :func:`csc_indicators.reconciliation.cli.main` is the command line.

The package's modules, by concern:

* :mod:`~csc_indicators.reconciliation.core`: :func:`reconcile` (the entry point), the search of
  alternative parameters and :func:`compute`, which recomputes an indicator keeping its outcomes.
* :mod:`~csc_indicators.reconciliation.model`: the result (:class:`Reconciliation`,
  :class:`Comparison`, :class:`Status`, :class:`Figure`, :class:`Trial`, :class:`Suggestion`).
* :mod:`~csc_indicators.reconciliation.matching`: matching their rows with our outcomes on the
  natural key and classifying each pair.
* :mod:`~csc_indicators.reconciliation.explaining`: the reasons in words, the measure offsets
  and their figure.
* :mod:`~csc_indicators.reconciliation.keys`: what identifies a record (:data:`IDENTITY`) and
  the column spellings of each role.
* :mod:`~csc_indicators.reconciliation.theirs` and
  :mod:`~csc_indicators.reconciliation.values`: reading their list and its cells.
* :mod:`~csc_indicators.reconciliation.render`: a reconciliation as a table, CSV or JSON.
* :mod:`~csc_indicators.reconciliation.cli`: the ``reconcile`` command.
"""

from .core import compute, reconcile
from .keys import IDENTITY
from .model import Comparison, Figure, Reconciliation, Status, Suggestion, Trial
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
