"""The example authority shipped in the package reads cleanly and is internally consistent."""

from __future__ import annotations

import itertools
from collections import defaultdict

from csc_indicators import example_bundle


def load():  # type: ignore[no-untyped-def]
    return example_bundle()


def test_reads_without_problems() -> None:
    bundle = load()
    assert bundle.issues == ()
    assert sorted((s.kind, s.collection_year) for s in bundle.sources)[0] == ("CIN census", 2024)
    years = {s.collection_year for s in bundle.sources if s.kind == "SSDA903"}
    assert years == {2022, 2023, 2024}
    assert 300 <= len({r.child_id for r in bundle.referrals or ()}) <= 1500
    assert len(bundle.children or ()) >= 30


def test_no_overlapping_episodes_and_reasons_for_new_episodes_agree() -> None:
    episodes = defaultdict(list)
    for e in load().episodes or ():
        episodes[e.child_id].append(e)
    for child, items in episodes.items():
        items.sort(key=lambda e: e.start_date)
        for before, after in itertools.pairwise(items):
            assert before.end_date is not None, child
            assert before.end_date <= after.start_date, child
            if before.end_date == after.start_date:
                changed_status = before.legal_status != after.legal_status
                assert (after.reason_new_episode in "LBU") == changed_status, (child, after)
                assert before.reason_ceased == "X1", child
            else:
                assert after.reason_new_episode == "S", (child, after)


def test_no_overlapping_plans() -> None:
    plans = defaultdict(list)
    for p in load().plans or ():
        plans[p.child_id].append(p)
    for child, items in plans.items():
        items.sort(key=lambda p: p.start_date)
        for before, after in itertools.pairwise(items):
            assert before.end_date is not None and before.end_date <= after.start_date, child
