"""Synthetic case histories: internally consistent, plausible CIN census and SSDA903 records at
any scale, for tests, benchmarks and the shipped example data.

:func:`generate` returns a :class:`~csc_indicators.bundle.Bundle` of typed records for a chosen
scale and span of financial years; :func:`iter_children` yields the same records one child at a
time (a :class:`ChildRecords` each), so that England-scale output can be streamed to files in
bounded memory. The same arguments always give the same records.

Scale 1.0 (:data:`LARGE_AUTHORITY`) is a large authority: about 10,000 referrals a year, about
1,230 children looked after on each 31 March and 1,750 at some time in each year.
:data:`ENGLAND` (65) is about the national volume; :data:`SMALL_AUTHORITY` (0.03) is a few
hundred children. Every child's id is synthetic (``SYNC0000001`` for children in need,
``SYNL0000001`` for looked-after children and care leavers); there are no names and no unique
pupil numbers.

What is generated, the distributions and what is not modelled are described in
``docs/synthetic-data.md``. In short:

* Children in need: chains of referrals per child (about a fifth of referrals follow a previous
  one within 12 months), each with its assessment, section 47 enquiry, initial conference,
  child protection plan and closure as the case needs; timings in working days of the England
  and Wales calendar.
* Looked-after children: periods of care made of episodes that join on the same date (REC X1),
  with the reason for each new episode derived from what changed (legal status, placement,
  carer), adoption journeys, returns to care, short breaks (V3 and V4), reviews, initial health
  assessments, missing incidents, and the OC2 and OC3 records of the final year.

The package's modules, by concern (all private; the public API is this package's):
``_scales`` (the named scales and the calibration of volumes), ``_records``
(:class:`ChildRecords` and fast record construction), ``_days`` (day tables and the span of the
data), ``_tables`` (the weighted code lists), ``_children_in_need``, ``_care_plans`` (periods of
care planned before their episodes are built), ``_looked_after`` (SSDA903 records of each child)
and ``_generate`` (:func:`generate` and :func:`iter_children`).
"""

from ._generate import generate, iter_children
from ._records import ChildRecords
from ._records import _unchecked_builder as _unchecked_builder  # used by the tests
from ._scales import ENGLAND, LARGE_AUTHORITY, SMALL_AUTHORITY

__all__ = [
    "ENGLAND",
    "LARGE_AUTHORITY",
    "SMALL_AUTHORITY",
    "ChildRecords",
    "generate",
    "iter_children",
]
