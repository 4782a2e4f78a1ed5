"""The records of one synthetic child, and fast construction of the record classes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

import attrs

from .._record_table import as_table
from ..bundle import RECORD_FIELDS, Bundle
from ..records import (
    AdoptionRecord,
    Assessment,
    CareLeaverRecord,
    Child,
    ChildProtectionPlan,
    CinChild,
    Episode,
    HealthAssessment,
    HealthOutcomeRecord,
    LookedAfterReview,
    MissingEpisode,
    PlacedForAdoption,
    PreviousPermanence,
    Referral,
    Section47,
    TransferInConference,
)
from ._characteristics import Characteristics

T = TypeVar("T")


# -- records of one child ------------------------------------------------------------------


@attrs.define(slots=True)
class ChildRecords:
    """Every record of one synthetic child, by :class:`~csc_indicators.bundle.Bundle` field.

    A child in need has referrals, assessments, section 47 enquiries, transfer-in conferences
    and plans; a looked-after child (or care leaver) has the SSDA903 kinds. Fields a child has
    no records of are empty tuples.
    """

    child_id: str
    """The synthetic id shared by all the child's records."""
    referrals: Sequence[Referral] = ()
    assessments: Sequence[Assessment] = ()
    section47s: Sequence[Section47] = ()
    transfer_ins: Sequence[TransferInConference] = ()
    plans: Sequence[ChildProtectionPlan] = ()
    cin_children: Sequence[CinChild] = ()
    children: Sequence[Child] = ()
    episodes: Sequence[Episode] = ()
    reviews: Sequence[LookedAfterReview] = ()
    adoptions: Sequence[AdoptionRecord] = ()
    placed_for_adoption: Sequence[PlacedForAdoption] = ()
    previous_permanence: Sequence[PreviousPermanence] = ()
    health_assessments: Sequence[HealthAssessment] = ()
    health_outcomes: Sequence[HealthOutcomeRecord] = ()
    care_leavers: Sequence[CareLeaverRecord] = ()
    missing: Sequence[MissingEpisode] = ()

    def to_bundle(self) -> Bundle:
        """This child's records as a bundle (every kind supplied)."""
        return Bundle(**{name: as_table(getattr(self, name)) for name in RECORD_FIELDS})


# -- fast record construction ---------------------------------------------------------------


def _unchecked_builder(cls: type[T]) -> Callable[..., T]:
    """A constructor with the class's own parameters (in field order, with the same defaults)
    that skips the field checks.

    The generator only ever passes values of the right type and code list (the tests rebuild
    every record through the checking constructor and compare), so the checks are redundant
    here and cost about half the construction time at England scale. The function is generated
    once per class, setting each slot directly.
    """
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_missing": attrs.NOTHING}
    params: list[str] = []
    body: list[str] = []
    for i, field in enumerate(attrs.fields(cls)):  # type: ignore[arg-type]
        name = field.name
        default = field.default
        if default is attrs.NOTHING:
            params.append(name)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_f{i}"] = default.factory
            params.append(f"{name}=_missing")
            body.append(f"    if {name} is _missing: {name} = _f{i}()")
        else:
            namespace[f"_d{i}"] = default
            params.append(f"{name}=_d{i}")
        namespace[f"_s{i}"] = cls.__dict__[name].__set__
        body.append(f"    _s{i}(o, {name})")
    source = (
        f"def build({', '.join(params)}):\n    o = _new(_cls)\n"
        + "\n".join(body)
        + "\n    return o\n"
    )
    exec(source, namespace)
    built: Callable[..., T] = namespace["build"]
    return built


_RECORD_TYPES: Final = (
    Referral,
    Assessment,
    Section47,
    TransferInConference,
    ChildProtectionPlan,
    CinChild,
    Child,
    Episode,
    LookedAfterReview,
    AdoptionRecord,
    PlacedForAdoption,
    HealthAssessment,
    HealthOutcomeRecord,
    CareLeaverRecord,
    MissingEpisode,
)
_UNCHECKED: Final[dict[type, Callable[..., Any]]] = {
    cls: _unchecked_builder(cls) for cls in _RECORD_TYPES
}


class _Make:
    """The record constructors in use: checking (the classes) or unchecked (fast)."""

    __slots__ = (
        "adoption",
        "assessment",
        "care_leaver",
        "child",
        "cin_child",
        "episode",
        "health_assessment",
        "health_outcome",
        "missing",
        "placed",
        "plan",
        "referral",
        "review",
        "s47",
        "traits",
        "transfer_in",
    )

    def __init__(self, check: bool, seed: int = 0) -> None:
        def pick(cls: type) -> Callable[..., Any]:
            return cls if check else _UNCHECKED[cls]

        self.referral = pick(Referral)
        self.assessment = pick(Assessment)
        self.s47 = pick(Section47)
        self.transfer_in = pick(TransferInConference)
        self.plan = pick(ChildProtectionPlan)
        self.child = pick(Child)
        self.episode = pick(Episode)
        self.review = pick(LookedAfterReview)
        self.adoption = pick(AdoptionRecord)
        self.placed = pick(PlacedForAdoption)
        self.health_assessment = pick(HealthAssessment)
        self.health_outcome = pick(HealthOutcomeRecord)
        self.care_leaver = pick(CareLeaverRecord)
        self.missing = pick(MissingEpisode)
        self.cin_child = pick(CinChild)
        self.traits = Characteristics(seed)
        """The children's characteristics, for breakdowns."""
