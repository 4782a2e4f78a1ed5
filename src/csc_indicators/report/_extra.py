"""The report's optional libraries, imported only when a report is rendered, with one clear
message when they are missing (the core of the library never needs them)."""

from __future__ import annotations

__all__ = ["INSTALL", "MissingExtraError", "missing"]

INSTALL = "pip install 'csc-indicators[report]'"
"""The command that installs the report's libraries."""


class MissingExtraError(ImportError):
    """A library the report needs is not installed."""


def missing(library: str, what: str) -> MissingExtraError:
    """The error to raise when ``library`` (needed for ``what``) cannot be imported."""
    return MissingExtraError(
        f"{what} needs {library}, which is not installed: {INSTALL} (the report's optional "
        "libraries)"
    )
