"""Typed records: the facts the statutory returns hold, one attrs class per kind of fact.

:mod:`~csc_indicators.records.cin` holds the children-in-need records (CIN census) and
:mod:`~csc_indicators.records.looked_after` the looked-after records (SSDA903). All are frozen,
slotted attrs classes whose fields are checked on construction.
"""

from .cin import (
    Assessment,
    ChildProtectionPlan,
    CinChild,
    Referral,
    Section47,
    TransferInConference,
)
from .looked_after import (
    AdoptionRecord,
    CareLeaverRecord,
    Child,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
)

__all__ = [
    "AdoptionRecord",
    "Assessment",
    "CareLeaverRecord",
    "Child",
    "ChildProtectionPlan",
    "CinChild",
    "Episode",
    "HealthAssessment",
    "HealthOutcomeRecord",
    "LookedAfterReview",
    "MissingEpisode",
    "PlacedForAdoption",
    "PreviousPermanence",
    "Referral",
    "Section47",
    "TransferInConference",
]
