"""csc_indicators: English children's social care performance indicators, computed exactly as
the statutory returns define them, and explained down to the record.

The public API:

* :class:`WorkingDayCalendar` and :class:`DayCount`: working-day arithmetic.
* :class:`Period`: reporting periods (financial years, quarters, months, rolling 12 months).
* The typed records of :mod:`csc_indicators.records` (referrals, assessments, episodes, ...).
* :class:`IndicatorResult`, :class:`Outcome`, :class:`DataIssue`: explainable results;
  :class:`Distribution`: band counts and a median, with the same per-record outcomes.
* :mod:`csc_indicators.indicators`: the indicator functions; :data:`INDICATORS`: their registry.
* :func:`scorecard`: every indicator a bundle of records allows, in one call.
* :func:`example_bundle`: the synthetic example authority shipped in the package.
* :mod:`csc_indicators.io`: reading (and writing) the CIN census and SSDA903 returns.
"""

from . import indicators
from .bundle import Bundle, SourceInfo
from .calendar import DayCount, WorkingDayCalendar
from .errors import (
    CalendarRangeError,
    CscIndicatorsError,
    InputError,
    RecordError,
    ResultMergeError,
)
from .example import example_bundle
from .periods import Period, PeriodKind
from .reconciliation import reconcile
from .records import (
    AdoptionRecord,
    Assessment,
    CareLeaverRecord,
    Child,
    ChildProtectionPlan,
    CinChild,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47,
    TransferInConference,
)
from .registry import INDICATORS, IndicatorSpec
from .results import DataIssue, Distribution, IndicatorResult, Outcome, Polarity, ValueKind
from .scoring import NotComputed, Scorecard, scorecard

__version__ = "0.1.0.dev0"

__all__ = [
    "INDICATORS",
    "AdoptionRecord",
    "Assessment",
    "Bundle",
    "CalendarRangeError",
    "CareLeaverRecord",
    "Child",
    "ChildProtectionPlan",
    "CinChild",
    "CscIndicatorsError",
    "DataIssue",
    "DayCount",
    "Distribution",
    "Episode",
    "HealthAssessment",
    "HealthOutcomeRecord",
    "IndicatorResult",
    "IndicatorSpec",
    "InputError",
    "LookedAfterReview",
    "MissingEpisode",
    "NotComputed",
    "Outcome",
    "Period",
    "PeriodKind",
    "PlacedForAdoption",
    "Polarity",
    "PreviousPermanence",
    "RecordError",
    "Referral",
    "ResultMergeError",
    "Scorecard",
    "Section47",
    "SourceInfo",
    "TransferInConference",
    "ValueKind",
    "WorkingDayCalendar",
    "__version__",
    "example_bundle",
    "indicators",
    "reconcile",
    "scorecard",
]
