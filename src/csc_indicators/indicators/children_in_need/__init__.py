"""Children-in-need indicators, from the CIN census: referrals, assessments, section 47
enquiries and conferences, child protection plans, and the activity counts.

One module per stage of the child's journey; ``_shared`` holds the plumbing they share
(record orders, duplicate detection, working-day measures, plan overlaps).
"""
