"""Every record of one CIN census ``Child`` at once, the fast way (:func:`fast_child`): what
:class:`._cin_records.CinReader` reads when nothing in the child is out of the ordinary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..records import (
    Assessment,
    ChildProtectionPlan,
    CinChild,
    Referral,
    Section47,
    TransferInConference,
)
from ._tables import CIN_TABLES
from ._trees import Slow, fast_builder, text_of
from ._xml_scan import Tree

__all__ = ["FAST", "ChildRecords", "fast_child"]

FAST = {t.name: fast_builder(t) for t in CIN_TABLES}
"""Each CIN census group's fast builder, by table name (see :func:`._trees.fast_builder`)."""
_FAST_CHILD = FAST["Child"]
_FAST_REFERRAL = FAST["CINdetails"]
_FAST_ASSESSMENT = FAST["Assessments"]
_FAST_SECTION47 = FAST["Section47"]
_FAST_TRANSFER_IN = FAST["Transfer-in"]
_FAST_PLAN = FAST["ChildProtectionPlans"]

ChildRecords = tuple[
    CinChild,
    list[Referral],
    list[Assessment],
    list[Section47],
    list[TransferInConference],
    list[ChildProtectionPlan],
]


def _each(fast: Callable[[Any, str], Any], found: Any, child_id: str) -> list[Any]:
    """The records of one group element or several (a list), the fast way."""
    if type(found) is dict:
        return [fast(found, child_id)]
    if type(found) is not list:
        raise Slow
    records = []
    for tree in found:
        if type(tree) is not dict:
            raise Slow
        records.append(fast(tree, child_id))
    return records


def fast_child(tree: Tree) -> ChildRecords:
    """All the records of one ``Child`` the fast way, as :meth:`~._cin_records.CinReader.child`
    reads them
    when every group is read the fast way and nothing is to be reported; or raise one of
    :data:`._trees.SLOW`."""
    ids = tree.get(b"ChildIdentifiers")
    if type(ids) is not dict:
        raise Slow
    entry = ids.get(b"LAchildID")
    if type(entry) is not bytes:
        raise Slow
    child_id = (text_of(entry) or "").strip()
    if not child_id:
        raise Slow
    child = _FAST_CHILD(tree, child_id)
    referrals: list[Referral] = []
    assessments: list[Assessment] = []
    section47s: list[Section47] = []
    transfer_ins: list[TransferInConference] = []
    plans: list[ChildProtectionPlan] = []
    found = tree.get(b"CINdetails")
    if found is not None:
        for details in found if type(found) is list else (found,):
            if type(details) is not dict:
                raise Slow
            referrals.append(_FAST_REFERRAL(details, child_id))
            group = details.get(b"Assessments")
            if group is not None:
                if type(group) is dict:
                    assessments.append(_FAST_ASSESSMENT(group, child_id))
                else:
                    assessments += _each(_FAST_ASSESSMENT, group, child_id)
            group = details.get(b"Section47")
            if group is not None:
                if type(group) is dict:
                    enquiries = [_FAST_SECTION47(group, child_id)]
                else:
                    enquiries = _each(_FAST_SECTION47, group, child_id)
                section47s += enquiries
            if b"DateOfInitialCPC" in details:
                conference = _FAST_TRANSFER_IN(details, child_id)
                if group is None:
                    transfer_ins.append(conference)
                elif all(e.conference_date != conference.date for e in enquiries):
                    raise Slow  # noted as no transfer-in: the exact way
            group = details.get(b"ChildProtectionPlans")
            if group is not None:
                if type(group) is dict:
                    plans.append(_FAST_PLAN(group, child_id))
                else:
                    plans += _each(_FAST_PLAN, group, child_id)
    return child, referrals, assessments, section47s, transfer_ins, plans
