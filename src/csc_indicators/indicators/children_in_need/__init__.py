"""Children-in-need indicators, from the CIN census: referrals, assessments, section 47
enquiries and conferences, child protection plans, and the activity counts.

One module per stage of the child's journey: ``referrals``, ``assessments``, ``conferences``,
``plans`` (repeat plans), ``plan_durations`` (plans lasting two years or more),
``plan_reviews``, and the activity counts in ``activity`` (events) and ``plan_activity``
(plans). ``_shared`` holds the plumbing they share (record orders, duplicate detection,
working-day measures, plan overlaps, interval checks).
"""
