"""Looked-after children indicators, from the SSDA903 return: placement stability, reviews,
health, adoption, care leavers, returns to care, missing incidents and the activity counts.

One module per topic; ``_shared`` holds the plumbing they share (histories, ages, the snapshot
cohort on the period end, one OC2/OC3 record per child and year). The activity counts are in
three: ``activity`` (on the period end, started; it imports the other two and re-exports them,
so the registry keeps its order), ``ceased`` (ceased, and by reason) and ``uasc``
(unaccompanied asylum-seeking children on the period end).
"""
