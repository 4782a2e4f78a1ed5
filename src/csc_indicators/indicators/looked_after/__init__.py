"""Looked-after children indicators, from the SSDA903 return: placement stability, reviews,
health, adoption, care leavers, returns to care, missing incidents and the activity counts.

One module per topic; ``_shared`` holds the plumbing they share (histories, ages, the snapshot
cohort on the period end), and other private modules, with no indicator registered in them,
hold plumbing of one concept: ``_over`` (event indicators over many periods), ``_ends`` (the
histories at each period end), ``_oc_records`` (one OC2/OC3 record per child and year),
``_placement_counts`` (placements counted in a window), and the outcome code behind
``health`` (``_initial_health``, ``_oc2_checks``), ``reviews`` (``_review_timeline``) and
``care_leavers`` (``_oc3_outcomes``). The activity counts are in
three: ``activity`` (on the period end, started; it imports the other two and re-exports them,
so the registry keeps its order), ``ceased`` (ceased, and by reason) and ``uasc``
(unaccompanied asylum-seeking children on the period end).
"""
