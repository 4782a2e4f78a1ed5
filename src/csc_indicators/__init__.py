"""csc_indicators: English children's social care performance indicators, computed exactly as
the statutory returns define them, and explained down to the record.

The public API:

* :class:`WorkingDayCalendar` and :class:`DayCount`: working-day arithmetic.
* :class:`Period`: reporting periods (financial years, quarters, months, rolling 12 months).
* The typed records of :mod:`csc_indicators.records` (referrals, assessments, episodes, ...).
* :class:`IndicatorResult`, :class:`Outcome`, :class:`DataIssue`: explainable results;
  :class:`Distribution`: band counts and a median, with the same per-record outcomes.
* :mod:`csc_indicators.indicators`: the indicator functions; :data:`INDICATORS`: their registry.
* :func:`scorecard`: every indicator a bundle of records allows, in one call, as a
  :class:`Scorecard` (with the :class:`NotComputed` ones and why); :class:`Bundle`: the records
  read from the returns, by kind, with their :class:`SourceInfo`.
* :func:`reconcile`: another per-record list (a vendor's, a council's) against a result, every
  difference explained.
* :func:`series`: indicators over many periods (:func:`monthly_periods`), broken down by
  :data:`DIMENSIONS` or a :class:`Lookup`.
* :func:`report`: the monthly performance report, as a page or a workbook (rendering needs the
  ``report`` extra).
* :func:`example_bundle`: the synthetic example authority shipped in the package.
* :mod:`csc_indicators.io`: reading (and writing) the CIN census and SSDA903 returns.
* :class:`CscIndicatorsError`: the base of every error the library raises on purpose
  (:class:`InputError`, :class:`RecordError`, :class:`CalendarRangeError`,
  :class:`ResultMergeError`).
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
from .report import report
from .results import DataIssue, Distribution, IndicatorResult, Outcome, Polarity, ValueKind
from .scoring import NotComputed, Scorecard, scorecard
from .series import DIMENSIONS, Lookup, Series, SeriesCell, monthly_periods, series

__version__ = "0.1.0.dev0"

__all__ = [
    "DIMENSIONS",
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
    "Lookup",
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
    "Series",
    "SeriesCell",
    "SourceInfo",
    "TransferInConference",
    "ValueKind",
    "WorkingDayCalendar",
    "__version__",
    "example_bundle",
    "indicators",
    "monthly_periods",
    "reconcile",
    "report",
    "scorecard",
    "series",
]
