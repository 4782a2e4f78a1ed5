"""Looked-after children who went missing, or were away without authorisation, in the period
(SSDA903 Missing table).

Specifications: ``docs/indicators/lac_missing_incident.md`` and
``docs/indicators/lac_away_without_authorisation.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ...codes import SHORT_BREAK_LEGAL_STATUSES
from ...periods import Period
from ...records.looked_after import Episode, MissingEpisode
from ...registry import Family, register
from ...results import IndicatorResult, Polarity, ResultBuilder
from .._common import iso
from ._shared import histories

__all__ = ["lac_away_without_authorisation", "lac_missing_incident"]


def _key(m: MissingEpisode) -> tuple[object, ...]:
    return (m.start_date, m.kind, m.end_date is None, m.end_date or m.start_date)


def _with_incident(
    of: Callable[..., IndicatorResult],
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    period: Period,
    *,
    kinds: tuple[str, ...] = ("M",),
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Children looked after at any time in the period who had an incident of one of ``kinds``
    (``M`` missing, ``A`` away without authorisation) starting in the period.

    Args:
        exclude_short_breaks: leave out children whose every episode in the period is a short
            break (V3/V4), as DfE's missing statistics do.
    """
    b = ResultBuilder(of)
    hs = histories(episodes, b, as_of=period.end)
    incidents: dict[str, list[MissingEpisode]] = {}
    for m in sorted(missing, key=lambda m: (m.child_id, *_key(m))):
        if m.end_date is not None and m.end_date < m.start_date:  # rule 5
            b.issue(
                f"missing incident starting {iso(m.start_date)} ends before it starts "
                f"({iso(m.end_date)})",
                m.child_id,
                m,
                "date order",
            )
        if m.kind in kinds and m.start_date in period:  # rule 3
            incidents.setdefault(m.child_id, []).append(m)
    for cid in sorted(set(hs) | set(incidents)):
        mine = sorted(incidents.get(cid, ()), key=_key)
        h = hs.get(cid)
        touching = h.overlapping(period.start, period.end) if h is not None else []
        if not touching:  # rule 1
            if mine:
                b.exclude(
                    cid, mine[0], "incident in the period but no episode of care in it", len(mine)
                )
            continue
        if exclude_short_breaks and all(  # rule 2
            e.legal_status in SHORT_BREAK_LEGAL_STATUSES for e in touching
        ):
            b.exclude(
                cid, touching[-1], "looked after only under short breaks (V3/V4) in the period"
            )
            continue
        record: object = mine[0] if mine else touching[-1]
        b.count(
            cid,
            record,
            bool(mine),  # rule 4
            len(mine),
            details={"first_incident": iso(mine[0].start_date) if mine else "-"},
        )
    return b.build(period, {"kinds": kinds, "exclude_short_breaks": exclude_short_breaks})


@register(
    title="Looked-after children with a missing incident in the period",
    short_title="LAC with a missing incident",
    family=Family.LOOKED_AFTER,
    unit="child looked after at any time in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903 Missing (MISSING M)",
        "DfE children looked after in England, missing",
    ),
)
def lac_missing_incident(
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    period: Period,
    *,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Looked-after children with a missing incident (``M``) starting in the period.

    Rules (numbered as on the specification page):

    1. Unit: each child with an episode covering at least one day of the period; a child
       with an incident in the period but no such episode is excluded with a reason.
    2. With ``exclude_short_breaks`` (default), a child looked after only under short breaks
       (V3/V4) in the period is excluded with a reason.
    3. Incidents: Missing records of kind ``M`` (missing) starting in the period.
    4. Met when the child has at least one; the measure is their number.
    5. An incident that ends before it starts is reported (``date order``) and still
       counted by its start date.

    Args:
        episodes: SSDA903 episodes, any order.
        missing: SSDA903 Missing records, any order.
        period: the reporting period.
        exclude_short_breaks: leave out children looked after only under short breaks.

    References:
        - DfE, *Children looked after in England including adoptions*, missing tables.
        - DfE, *SSDA903 children looked after return guide*: the Missing table (MISSING,
          MIS_START, MIS_END).
    """
    return _with_incident(
        lac_missing_incident,
        episodes,
        missing,
        period,
        kinds=("M",),
        exclude_short_breaks=exclude_short_breaks,
    )


@register(
    title="Looked-after children away from placement without authorisation in the period",
    short_title="LAC away without authorisation",
    family=Family.LOOKED_AFTER,
    unit="child looked after at any time in the period",
    polarity=Polarity.LOWER_IS_BETTER,
    sources=(
        "SSDA903 Missing (MISSING A)",
        "DfE children looked after in England, missing",
    ),
)
def lac_away_without_authorisation(
    episodes: Iterable[Episode],
    missing: Iterable[MissingEpisode],
    period: Period,
    *,
    exclude_short_breaks: bool = True,
) -> IndicatorResult:
    """Looked-after children with an away-without-authorisation incident (``A``) starting in
    the period.

    Rules (numbered as on the specification page):

    1. Unit: each child with an episode covering at least one day of the period; a child
       with an incident in the period but no such episode is excluded with a reason.
    2. With ``exclude_short_breaks`` (default), a child looked after only under short breaks
       (V3/V4) in the period is excluded with a reason.
    3. Incidents: Missing records of kind ``A`` (away without authorisation) starting in the period.
    4. Met when the child has at least one; the measure is their number.
    5. An incident that ends before it starts is reported (``date order``) and still
       counted by its start date.

    Args:
        episodes: SSDA903 episodes, any order.
        missing: SSDA903 Missing records, any order.
        period: the reporting period.
        exclude_short_breaks: leave out children looked after only under short breaks.

    References:
        - DfE, *Children looked after in England including adoptions*, missing tables.
        - DfE, *SSDA903 children looked after return guide*: the Missing table (MISSING,
          MIS_START, MIS_END).
    """
    return _with_incident(
        lac_away_without_authorisation,
        episodes,
        missing,
        period,
        kinds=("A",),
        exclude_short_breaks=exclude_short_breaks,
    )
