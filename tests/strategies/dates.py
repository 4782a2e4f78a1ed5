"""Date strategies inside the years the England and Wales calendar covers."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

FIRST = dt.date(2000, 1, 1)
LAST = dt.date(2035, 12, 31)

#: Any date the default calendar covers.
dates = st.dates(min_value=FIRST, max_value=LAST)

#: Dates in a narrower band (2010-2030), leaving room for look-backs and windows.
recent_dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31))
