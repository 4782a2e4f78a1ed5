"""A looked-after child's history of care, derived once from their SSDA903 episodes.

The SSDA903 return records *episodes*: a new episode starts whenever the legal status, the
placement or the carer changes, and the reason for the new episode (RNE) says which. Three
derived notions are needed by several indicators:

* a **period of care**: a chain of a child's episodes joined without a gap (each episode's end
  date is the next one's start date, and the next one is not a fresh start, RNE ``S``);
* a **placement**: consecutive episodes of one period of care that differ only in legal status
  (the later ones have RNE ``L``) collapsed into one;
* the **carer chain** of decision D9: from one episode, walk back over the episodes that joined
  without a change of carer (RNE ``L``, ``T`` or ``U``); the first episode reached is when the
  child started living with the current carer.

:func:`build_histories` groups episodes by child, sorts each child's episodes once into a total
order, keeps one of several episodes starting on the same date (decision D14: an exact duplicate
is reported as ``duplicate``; different episodes are a ``conflict``, and the one with the later
end, then more recorded detail, is kept, whatever the order of the records), leaves out
impossible episodes (reporting each as a :class:`~csc_indicators.results.DataIssue`), and
chains the rest into periods of care.

Judged as known on a date (decision D15): given ``as_of`` (an indicator passes
``period.end``), an end date after ``as_of`` counts as open when choosing between twins, and a
period of care is followed by another only when the next one starts by ``as_of``.

Cessation (decision D17): REC ``X1`` ("a new episode follows") never ends a period of care by
itself; a gap or a non-X1 reason does. A period of care whose last episode ends X1 with no
episode following it is reported and is not :attr:`PeriodOfCare.ceased`. Every
query afterwards (``episode_on``, ``period_on``, ``carer_start``) is logarithmic or linear in
that child's episodes, so indicators built on it are linear in the number of episodes.

"Looked after on a date" uses half-open episodes: an episode covers ``start <= day < end`` (or
every day from ``start`` when open). Consecutive episodes join on the same date, so the child is
covered on the joining day by the later episode; a final episode ending on 31 March means the
child ceased to be looked after on 31 March and is *not* looked after on that day (DfE counts
such a child among those who ceased in the year).

The code lives in three private modules, by concern; every public name is importable from
here:

* ``_history_model``: the types and their queries (:class:`PeriodOfCare`, :class:`Placement`,
  :class:`ChildHistory`, :func:`episode_key`, :func:`is_new_placement`, :func:`placements`).
* ``_history_build``: :func:`build_history`, one child's history from their episodes.
* ``_history_cache``: :func:`build_histories` with its cache (:func:`clear_history_cache`),
  :func:`known_as_of`, and :func:`histories_on` (every child's history on several dates at
  once, for an indicator evaluated over many periods).
"""

from __future__ import annotations

from ._history_build import build_history
from ._history_cache import (
    HistoryRun,
    build_histories,
    clear_history_cache,
    histories_on,
    known_as_of,
)
from ._history_model import (
    NEW_PLACEMENT_REASONS,
    SAME_CARER_REASONS,
    ChildHistory,
    PeriodOfCare,
    Placement,
    episode_key,
    is_new_placement,
    placements,
)

__all__ = [
    "NEW_PLACEMENT_REASONS",
    "SAME_CARER_REASONS",
    "ChildHistory",
    "HistoryRun",
    "PeriodOfCare",
    "Placement",
    "build_histories",
    "build_history",
    "clear_history_cache",
    "episode_key",
    "histories_on",
    "is_new_placement",
    "known_as_of",
    "placements",
]
