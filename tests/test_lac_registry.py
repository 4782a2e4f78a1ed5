"""Every looked-after indicator runs from a Bundle as the scorecard calls it, and has a
specification page, an index row and a nav entry."""

from __future__ import annotations

from pathlib import Path

from csc_indicators import INDICATORS, Bundle, IndicatorResult
from csc_indicators.calendar import default_calendar
from lac_examples import (
    ACTIVITY_CHILDREN,
    ADOPTIONS,
    FY2024,
    IHA_ASSESSMENTS,
    MISSING,
    OC2,
    OC3,
    PLACEMENTS_EXAMPLE,
    REVIEWS,
)


def test_every_lac_indicator_runs_from_a_bundle_as_the_scorecard_calls_it() -> None:
    bundle = Bundle(
        children=ACTIVITY_CHILDREN,
        episodes=PLACEMENTS_EXAMPLE,
        reviews=REVIEWS,
        adoptions=ADOPTIONS,
        health_assessments=IHA_ASSESSMENTS,
        health_outcomes=OC2,
        care_leavers=OC3,
        missing=MISSING,
    )
    specs = INDICATORS.by_family("looked after")
    assert len(specs) == 23
    for spec in specs:
        extra: dict[str, object] = {}
        if spec.uses_calendar:
            extra["calendar"] = default_calendar()
        if spec.uses_population:
            extra["population"] = 20000
        result = spec.function(
            *[getattr(bundle, name) for name in spec.inputs],
            FY2024,
            **{name: getattr(bundle, name) for name in spec.optional_inputs},
            **extra,
        )
        assert isinstance(result, IndicatorResult)
        assert result.indicator == spec.id and result.title == spec.title
        assert result.kind == spec.kind or spec.uses_population
        for name in ("calendar", "population"):
            if name in extra:
                assert result.parameters[name] == extra[name]


def test_every_lac_indicator_has_a_spec_page_an_index_row_and_a_nav_entry() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs"
    index = (docs / "indicators" / "index.md").read_text(encoding="utf-8")
    nav = (docs.parent / "mkdocs.yml").read_text(encoding="utf-8")
    for spec in INDICATORS.by_family("looked after"):
        page = docs / spec.spec_page
        assert page.is_file(), page
        text = page.read_text(encoding="utf-8")
        assert f"`{spec.id}`" in text
        assert "## Worked example" in text
        assert f"| `{spec.id}` |" in index
        assert spec.spec_page in nav
    assert "care-history.md" in nav
