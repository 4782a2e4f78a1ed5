"""Make the example authority shipped in the package (``csc-indicators demo`` reads it).

A small synthetic authority from :func:`csc_indicators.synthetic.generate` with a fixed seed,
written with the library's own writers into ``src/csc_indicators/data/example/``:

* ``cin/cin_census.xml``: one CIN census file holding the three years' children-in-need
  records (an extract whose header names the last year);
* ``ssda903/<year>/*.csv``: one SSDA903 return per collection year, each holding what that
  year's return would (episodes open on 31 March shown open), which the reader stitches back
  together;
* ``teams.csv``: a lookup of the children to 4 made-up teams (for ``--by team``), some moving
  team on 1 October 2024 and a few left out (``unassigned``): :func:`write_teams`.

Run from the repository root: ``python scripts/make_example_data.py``. The output is the same
on every run (fixed seed); the script checks that the files read back to the same records.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import attrs  # noqa: E402

from csc_indicators import Bundle, Period  # noqa: E402
from csc_indicators.io import (  # noqa: E402
    read_cin_census,
    read_ssda903,
    write_cin_census,
    write_ssda903,
)

SEED = 20240401
SCALE = 0.02
FIRST_YEAR = 2022
YEARS = 3
LA_CODE = "999"
OUT = ROOT / "src" / "csc_indicators" / "data" / "example"

README = """# Example authority (synthetic)

A small, entirely synthetic local authority for `csc-indicators demo` and for trying the library:
no record describes a real child. It was made by `scripts/make_example_data.py` (seed {seed},
scale {scale}, collection years {first}-{first_two} to {last}-{last_two}) and is rewritten
identically by that script.

- `cin/cin_census.xml`: the CIN census records of all {years} years in one file (the header names
  the {last}-{last_two} collection).
- `ssda903/<year>/`: one SSDA903 return per collection year, as CSV tables with the DfE column
  names (`header.csv`, `uasc.csv`, `episodes.csv`, `reviews.csv`, `oc2.csv`, `oc3.csv`,
  `ad1.csv`, `placed_for_adoption.csv`, `previous_permanence.csv`, `missing.csv`). An episode
  open on 31 March appears open in that year's return and again, closed or still open, in the
  next: the reader stitches the years together.
- `teams.csv`: a made-up lookup of the children to 4 teams (`child_id,team,from,to`) for
  breakdowns (`csc-indicators series --example --by team`): one child in 7 moves team on
  1 October 2024 and one in 50 is left out, so falls in the group `unassigned`.

Counts: {counts}.
"""


def _sorted(bundle: Bundle, name: str) -> list[object]:
    return sorted(getattr(bundle, name) or (), key=repr)


TEAMS = ("North", "South", "East", "West")
"""The example's made-up teams."""
MOVED_ON = "2024-10-01"
"""The day some children move team."""


def write_teams(bundle: Bundle, path: Path) -> int:
    """Write ``teams.csv``: every child of ``bundle`` (by sorted id) to one of :data:`TEAMS` in
    turn; one in 7 moves to the next team on :data:`MOVED_ON`; one in 50 is left out (its
    outcomes fall in ``unassigned``). Returns the number of rows."""
    ids: set[str] = set()
    for name in ("referrals", "assessments", "section47s", "plans", "children", "episodes"):
        ids.update(r.child_id for r in getattr(bundle, name) or ())
    lines = ["child_id,team,from,to"]
    for i, child in enumerate(sorted(ids)):
        if i % 50 == 49:
            continue
        team = TEAMS[i % len(TEAMS)]
        if i % 7 == 3:
            before = _dt.date.fromisoformat(MOVED_ON) - _dt.timedelta(days=1)
            lines.append(f"{child},{team},,{before.isoformat()}")
            lines.append(f"{child},{TEAMS[(i + 1) % len(TEAMS)]},{MOVED_ON},")
        else:
            lines.append(f"{child},{team},,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main() -> int:
    """Generate, write and check the example data."""
    try:
        from csc_indicators.synthetic import generate  # type: ignore[import-not-found]
    except ImportError:
        print("csc_indicators.synthetic is not available yet: nothing written", file=sys.stderr)
        return 1
    bundle: Bundle = generate(SCALE, first_year=FIRST_YEAR, years=YEARS, seed=SEED)
    last = FIRST_YEAR + YEARS - 1
    # Only the generated returns are replaced; hand-made files beside them (the benchmarking
    # example's comparators and targets) are kept.
    for generated in (OUT / "cin", OUT / "ssda903"):
        if generated.exists():
            shutil.rmtree(generated)
    (OUT / "cin").mkdir(parents=True)
    write_cin_census(bundle, OUT / "cin" / "cin_census.xml", collection_year=last, la_code=LA_CODE)
    years = {}
    for year in range(FIRST_YEAR, last + 1):
        write_ssda903(bundle, OUT / "ssda903" / str(year), collection_year=year)
        years[year] = OUT / "ssda903" / str(year)

    cin = read_cin_census(OUT / "cin" / "cin_census.xml")
    looked_after = read_ssda903(years)
    for name in ("referrals", "assessments", "section47s", "transfer_ins", "plans"):
        if _sorted(cin, name) != _sorted(bundle, name):
            raise SystemExit(f"the CIN census does not read back the same {name}")
    first_day = Period.financial_year(FIRST_YEAR).start
    last_day = Period.financial_year(last).end
    expected = [
        e
        if e.end_date is None or e.end_date <= last_day
        else attrs.evolve(e, end_date=None, reason_ceased=None, reason_place_change=None)
        for e in bundle.episodes or ()
        if e.start_date <= last_day and (e.end_date is None or e.end_date >= first_day)
    ]
    if sorted(looked_after.episodes or (), key=repr) != sorted(expected, key=repr):
        raise SystemExit("the SSDA903 returns do not stitch back to the same episodes")
    if cin.issues or looked_after.issues:
        problems = (cin.issues + looked_after.issues)[:3]
        raise SystemExit(f"reading back reported problems: {problems}")
    write_teams(cin + looked_after, OUT / "teams.csv")
    counts = ", ".join(
        f"{len(getattr(b, n) or ())} {n.replace('_', ' ')}"
        for b, n in (
            (cin, "referrals"),
            (cin, "assessments"),
            (cin, "plans"),
            (looked_after, "children"),
            (looked_after, "episodes"),
        )
    )
    (OUT / "README.md").write_text(
        README.format(
            seed=SEED,
            scale=SCALE,
            first=FIRST_YEAR,
            first_two=f"{(FIRST_YEAR + 1) % 100:02d}",
            last=last,
            last_two=f"{(last + 1) % 100:02d}",
            years=YEARS,
            counts=counts,
        )
    )
    print(f"wrote {OUT.relative_to(ROOT)}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
