"""The indicators: one function per figure, each returning an explained
:class:`~csc_indicators.results.IndicatorResult`.

Importing this package registers every indicator in :data:`csc_indicators.INDICATORS`.
Children-in-need indicators live in the modules for referrals, assessments, child protection
(section 47 enquiries, conferences and plans) and activity counts; looked-after indicators in the
modules for placements, reviews, adoption, health, care leavers and activity.
"""

__all__: list[str] = []
