"""Python's cycle collector, paused while the library builds many objects that hold no cycles.

Records, outcomes, decisions and the trees a reader builds hold no reference cycles, so the
cycle collector can never free any of them; while millions are made it would only walk them
again and again (a sixth to a third of the time of a large read or scorecard, and a cost that
grows faster than the data). The readers, the scorecard, the series, reconciliation, the
synthetic generator and the command line run inside :func:`collector_paused`, which restores
the collector as it found it (so that a caller that paused it keeps it paused). Nothing is
freed later than it would be otherwise: reference counting frees everything the library drops.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Within the block the cycle collector does not run; it is restored as it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
