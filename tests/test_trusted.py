"""The readers' fast record constructor builds exactly what the record class builds."""

from __future__ import annotations

import datetime as dt

import pytest

from csc_indicators.records._trusted import trusted_maker
from csc_indicators.records.cin import Assessment, Referral
from csc_indicators.synthetic import generate


def test_same_record_as_the_class() -> None:
    values = ("C1", dt.date(2024, 1, 2), None, "RC1", False, "1A", "N1")
    made = trusted_maker(Referral)(*values)
    built = Referral(*values)
    assert made == built
    assert hash(made) == hash(built)
    assert repr(made) == repr(built)
    with pytest.raises(AttributeError):
        made.child_id = "C2"  # type: ignore[misc]


def test_every_synthetic_record_round_trips() -> None:
    import attrs

    bundle = generate(0.02, first_year=2023, years=1, seed=7)
    seen = 0
    for field in attrs.fields(type(bundle)):
        records = getattr(bundle, field.name)
        if not isinstance(records, tuple) or not records or not attrs.has(type(records[0])):
            continue
        for r in records[:50]:
            cls = type(r)
            values = [getattr(r, a.name) for a in attrs.fields(cls)]
            assert trusted_maker(cls)(*values) == r
            seen += 1
    assert seen > 200


def test_cached_per_class() -> None:
    assert trusted_maker(Assessment) is trusted_maker(Assessment)
