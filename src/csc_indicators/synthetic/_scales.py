"""The scales of the synthetic data and the calibration of its volumes."""

from __future__ import annotations

from typing import Final

SMALL_AUTHORITY: Final = 0.03
"""A small authority: a few hundred children (the shipped example data uses it over 3 years)."""

LARGE_AUTHORITY: Final = 1.0
"""A large authority: about 10,000 referrals a year and 1,230 children looked after on 31 March
(1,750 at some time in the year)."""

ENGLAND: Final = 65.0
"""About England: 650,000 referrals a year and 80,000 children looked after on 31 March."""

# -- calibration (scale 1.0, per financial year) -----------------------------------------------
# Chains of referrals (one per child) that start each year; follow-up referrals add to them.
_CIN_CHAINS_PER_YEAR: Final = 6_900.0
# Periods of care started each year by children new to care (returns to care add to them).
_LAC_ENTRANTS_PER_YEAR: Final = 485.0
# Children receiving a series of short breaks (V3 or V4) who start each year.
_SHORT_BREAK_ENTRANTS_PER_YEAR: Final = 12.0
