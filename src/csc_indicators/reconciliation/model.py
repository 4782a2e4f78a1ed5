"""The result of a reconciliation: every record's class (:class:`Status`) and reason
(:class:`Comparison`), both sides' figures (:class:`Figure`), the parameters tried
(:class:`Trial`) and the one suggested (:class:`Suggestion`), all in one
:class:`Reconciliation`.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping

import attrs

from ..params import format_value
from ..periods import Period
from ..provenance import Provenance
from ..results import Outcome, ValueKind
from .theirs import TheirRow

__all__ = [
    "Comparison",
    "Figure",
    "Reconciliation",
    "Status",
    "Suggestion",
    "Trial",
]


class Status(enum.Enum):
    """The class of one record in a reconciliation."""

    AGREE = "agree"
    """In both lists, counted alike, with the same met flag and measure (where they give
    them)."""
    ONLY_OURS = "only in ours"
    """We count it; it is not in their list."""
    ONLY_THEIRS = "only in theirs"
    """In their list (and counted by them); not among our outcomes."""
    COUNTED_DIFFERS = "counted differently"
    """In both lists; one side counts it, the other leaves it out."""
    MET_DIFFERS = "met differs"
    """Counted by both; one side says met, the other not met."""
    MEASURE_DIFFERS = "measure differs"
    """Counted by both with the same met flag, but a different measure."""
    DUPLICATE_IN_THEIRS = "duplicate in theirs"
    """A second row of theirs with the key of an earlier row."""
    UNREADABLE = "unreadable in theirs"
    """A row of theirs that cannot be matched: no child id, or a date that is not a date."""
    NOT_COUNTED_BY_EITHER = "not counted by either"
    """We considered it and left it out; it is not in their list either."""

    @property
    def is_difference(self) -> bool:
        """Whether the two sides disagree about the record (or cannot be compared)."""
        return self not in (Status.AGREE, Status.NOT_COUNTED_BY_EITHER)

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True)
class Comparison:
    """One record of either list, classified, with the reason."""

    status: Status
    """Its class."""
    child_id: str
    """The child."""
    key: tuple[object, ...]
    """The identifying dates (``datetime.date`` or ``None``) it was matched on, in the order of
    :attr:`Reconciliation.key_roles`."""
    ours: Outcome | None
    """Our outcome, when we have one."""
    theirs: TheirRow | None
    """Their row, when they have one."""
    reason: str
    """Why it is in this class, in words."""


@attrs.frozen(slots=True)
class Figure:
    """One side's figure: numerator, denominator and value (``None`` when not known)."""

    numerator: int | float | None
    denominator: int
    value: float | None
    rounded_value: float | int | None

    def to_dict(self) -> dict[str, object]:
        """The figure as a plain dict."""
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "rounded_value": self.rounded_value,
        }


@attrs.frozen(slots=True)
class Trial:
    """One alternative parameter value tried, with the differences it leaves."""

    name: str
    value: object
    differences: int | None
    """The number of records that still differ among the children screened: those with a
    difference, or a fixed sample of them when many differ (see
    :attr:`Reconciliation.trials`); ``None`` when the recomputation failed."""
    error: str | None = None


@attrs.frozen(slots=True)
class Suggestion:
    """The parameter value that removes the most differences, proved by recomputing."""

    name: str
    value: object
    before: int
    """Records differing with our parameters."""
    after: int
    """Records differing when recomputed with this value."""
    counts_after: Mapping[str, int]
    """Records per class after, by class name."""
    param: str
    """The ``NAME=VALUE`` text that sets it (for ``--param``)."""
    text: str
    """The explanation, in words."""


@attrs.frozen(slots=True)
class Reconciliation:
    """Their list compared with our outcomes, record by record."""

    indicator: str
    title: str
    period: Period
    parameters: Mapping[str, object] = attrs.field(repr=False)
    """Our parameters (as the result records them)."""
    key_roles: tuple[str, ...]
    """The dates records were matched on, after the child id."""
    columns: Mapping[str, str]
    """Their column name to the role it was read as."""
    ignored_columns: tuple[str, ...]
    """Their columns not used."""
    comparisons: tuple[Comparison, ...] = attrs.field(repr=False)
    """Every record of either list, classified: theirs in their order (with our matching
    outcome), then ours not in their list, in our order."""
    ours: Figure
    """Our figure."""
    theirs: Figure
    """Their figure, from their list (their counted rows; their met flags or measures)."""
    offsets: tuple[str, ...] = ()
    """Systematic measure differences, in words (``118 of 120 measures are ours + 1``)."""
    suggestion: Suggestion | None = None
    """The parameter that closes the most of the gap, when one reduces it."""
    trials: tuple[Trial, ...] = ()
    """Every alternative tried, in order, with the differences it leaves among the children
    that differ (each child is decided from its own records, so the others are left out of
    this screen; the suggestion's own counts come from recomputing everything). When more
    than :data:`~csc_indicators.reconciliation.core.SCREEN_CHILDREN` children differ, the
    screen is a fixed sample of them, chosen by a hash of the child id, and a note says so."""
    notes: tuple[str, ...] = ()
    """Caveats: columns they do not give, a list that looks like another period, ..."""
    provenance: Provenance | None = None
    """What our figures were computed with."""
    kind: ValueKind = ValueKind.PERCENTAGE
    """How the indicator's value is formed (as the result says)."""

    def counts(self) -> dict[Status, int]:
        """The number of records in each class (every class, zeros included)."""
        tally = Counter(c.status for c in self.comparisons)
        return {s: tally.get(s, 0) for s in Status}

    @property
    def differences(self) -> tuple[Comparison, ...]:
        """The records the two sides disagree about (or that cannot be compared)."""
        return tuple(c for c in self.comparisons if c.status.is_difference)

    def summary(self) -> dict[str, object]:
        """The headline: indicator, period, both figures, counts per class, explanations."""
        return {
            "indicator": self.indicator,
            "title": self.title,
            "period": str(self.period),
            "matched_on": ["child_id", *self.key_roles],
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
            "ours": self.ours.to_dict(),
            "theirs": self.theirs.to_dict(),
            "counts": {str(s): n for s, n in self.counts().items()},
            "differences": len(self.differences),
            "offsets": list(self.offsets),
            "suggestion": None
            if self.suggestion is None
            else {
                "parameter": self.suggestion.name,
                "value": format_value(self.suggestion.value),
                "param": self.suggestion.param,
                "differences_before": self.suggestion.before,
                "differences_after": self.suggestion.after,
                "counts_after": dict(self.suggestion.counts_after),
                "text": self.suggestion.text,
            },
            "trials": [
                {
                    "parameter": t.name,
                    "value": format_value(t.value),
                    "differences": t.differences,
                    **({"error": t.error} if t.error else {}),
                }
                for t in self.trials
            ],
            "notes": list(self.notes),
        }

    def rows(self, everything: bool = False) -> list[dict[str, object]]:
        """One plain dict per differing record (every record when ``everything``): class,
        child, the key dates, both sides' counted, met and measure, their line, the reason
        and our own reason."""
        out: list[dict[str, object]] = []
        for c in self.comparisons if everything else self.differences:
            row: dict[str, object] = {"status": str(c.status), "child_id": c.child_id}
            for role, value in zip(self.key_roles, c.key, strict=True):
                row[role] = value
            o, t = c.ours, c.theirs
            row.update(
                our_counted=None if o is None else o.counted,
                our_met=None if o is None else o.met,
                our_measure=None if o is None else o.measure,
                their_line=None if t is None else t.line,
                their_counted=None if t is None else t.counted,
                their_met=None if t is None else t.met,
                their_measure=None if t is None else t.measure,
                reason=c.reason,
                our_reason=None if o is None else o.reason,
            )
            out.append(row)
        return out
