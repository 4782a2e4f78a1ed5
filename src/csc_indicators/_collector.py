"""Python's cycle collector, paused while the library builds many objects that hold no cycles.

Records, outcomes, decisions and the trees a reader builds hold no reference cycles, so the
cycle collector can never free any of them; while millions are made it would only walk them
again and again (a sixth to a third of the time of a large read or scorecard, and a cost that
grows faster than the data). The readers, the scorecard, the series, reconciliation, the
synthetic generator and the command line run inside :func:`collector_paused`, which restores
the collector as it found it (so that a caller that paused it keeps it paused). Nothing is
freed later than it would be otherwise: reference counting frees everything the library drops.

When it turns the collector back on after a block that left more new objects behind than
the caller had young ones when it started (:func:`worth_ageing`; at least as many as start a
young collection, 700 with Python's default thresholds: a read, a synthetic authority, an
indicator keeping the outcomes of a few thousand records), it first moves every object the
collector tracks into its oldest generation (``gc.freeze()`` then ``gc.unfreeze()``, two list
splices). Without this, the first allocation after a large read starts a young-generation
collection that walks every record just read (2.5 s after reading England's census), and a
middle-generation one walks them again soon after, only to find what is known already:
records and outcomes hold no cycles. The oldest generation is walked when Python's own rule
says so, as before. The caller's young objects are aged with them, but there are fewer of
those than of the library's new ones, whose walks are saved. Smaller blocks (an indicator in
summary mode, a scorecard that keeps no outcomes) leave the generations as they are, so that
a program calling the library often does not see its own young objects aged early. It is also
skipped when the process has frozen objects of its own (``gc.get_freeze_count()``), which
``unfreeze`` would release.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused", "worth_ageing"]


def worth_ageing(made: int, young: tuple[int, int, int]) -> bool:
    """Whether ``made`` new tracked objects, left by a paused block that started with the
    collector's counts at ``young`` (:func:`gc.get_count`), are worth handing to the oldest
    generation unwalked: when they outnumber the caller's young objects then (those in the
    youngest generation, and at most ``threshold0`` survivors of each young collection since
    the middle one was last collected), and would start a young collection."""
    threshold0 = gc.get_threshold()[0]
    callers = young[0] + young[1] * threshold0
    return made >= threshold0 and made > callers


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Within the block the cycle collector does not run; it is restored as it was."""
    collecting = gc.isenabled()
    gc.disable()
    found = gc.get_count()
    try:
        yield
    finally:
        if collecting:
            made = gc.get_count()[0] - found[0]
            if worth_ageing(made, found) and not gc.get_freeze_count():
                gc.freeze()  # every tracked object to the oldest generation, unwalked
                gc.unfreeze()
            gc.enable()
