"""Stitching several returns (several collection years) into one set of records.

Each year's return repeats the records still open at its start: an episode of care, a referral
or a plan open on 31 March appears again, perhaps closed, in the next year's return. The rule:

* Records are matched by a key per kind (for example an episode by child and start date; a
  kind without a key is matched only by being exactly equal).
* Exact repeats are loaded once; a repeat inside one return is reported as a duplicate.
* A record that differs between returns is taken from the latest collection year. When the
  earlier copy only lacked values the later one adds (an end date, a reason, more review
  dates) that is the normal course of events and nothing is reported; any other difference is
  reported as a revision.
* Two different records with the same key in the same year (or in returns whose year is
  unknown) cannot be told apart: for keyed kinds both are loaded and the clash is reported as a
  conflict; for the child's header facts the first is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..results import DataIssue

__all__ = ["Return", "stitch"]


@attrs.define
class Return:
    """The records of one return (one collection year), before stitching."""

    location: str
    records: dict[str, list[tuple[Any, str]]] = attrs.field(factory=dict)
    """Bundle field -> [(record, "path:line")], in file order."""
    sources: list[str] = attrs.field(factory=list)
    year: int | None = None


def _blank(value: object) -> bool:
    return value is None or value == () or value == ""


def completes(old: Any, new: Any) -> bool:
    """Whether ``new`` only fills in values ``old`` left blank (an open record, closed)."""
    if type(old) is not type(new) or not attrs.has(type(old)):
        return False
    for a in attrs.fields(type(old)):
        before, after = getattr(old, a.name), getattr(new, a.name)
        if before == after or _blank(before):
            continue
        if (
            isinstance(before, tuple)
            and isinstance(after, tuple)
            and after[: len(before)] == before
        ):
            continue
        return False
    return True


def stitch(
    returns: list[Return],
    issues: list[DataIssue],
    keys: Mapping[str, Callable[[Any], tuple[Any, ...]]],
    *,
    first_wins: frozenset[str] = frozenset({"children"}),
) -> dict[str, list[Any]]:
    """The records of all returns, each loaded once by the rule of this module; problems are
    appended to ``issues``."""
    ordered = sorted(returns, key=lambda r: (r.year is not None, r.year or 0))
    out: dict[str, list[Any]] = {}
    fields = {f for r in ordered for f in r.records}
    for field in sorted(fields):
        key_of = keys.get(field)
        kept: dict[Any, tuple[Any, str, int | None]] = {}
        extra: list[Any] = []
        for ret in ordered:
            seen_here: set[Any] = set()
            for record, where in ret.records.get(field, ()):
                key = (field, *key_of(record)) if key_of is not None else record
                previous = kept.get(key)
                if previous is None:
                    kept[key] = (record, where, ret.year)
                    seen_here.add(key)
                    continue
                old, old_where, old_year = previous
                if old == record:
                    if key in seen_here:
                        issues.append(
                            DataIssue(
                                f"an exact duplicate of the record at {old_where}; loaded once",
                                record.child_id,
                                record,
                                "duplicate",
                                location=where,
                            )
                        )
                    seen_here.add(key)
                    continue
                later = ret.year is not None and old_year is not None and ret.year > old_year
                if later and key not in seen_here:
                    kept[key] = (record, where, ret.year)
                    seen_here.add(key)
                    if not completes(old, record):
                        issues.append(
                            DataIssue(
                                f"revised in the {ret.year} return: replaces the {old_year} "
                                f"version at {old_where}",
                                record.child_id,
                                record,
                                "revised",
                                location=where,
                            )
                        )
                    continue
                if field in first_wins:
                    issues.append(
                        DataIssue(
                            f"conflicts with the record at {old_where} (same child, other values, "
                            "same collection year): the first is loaded",
                            record.child_id,
                            record,
                            "conflict",
                            location=where,
                        )
                    )
                    continue
                issues.append(
                    DataIssue(
                        f"conflicts with the record at {old_where} (same key, other values, same "
                        "collection year): both are loaded",
                        record.child_id,
                        record,
                        "conflict",
                        location=where,
                    )
                )
                extra.append(record)
        out[field] = [record for record, _, _ in kept.values()] + extra
    return out
