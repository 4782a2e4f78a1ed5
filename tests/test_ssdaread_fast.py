"""The SSDA903 reader's fast paths read exactly what the table builders alone read.

Clean rows and groups are made at once from per-column caches (:mod:`._ssda903_fast`), CSV lines
are decoded in batches, the stitcher sorts by per-column keys, and the year evidence and the
code-year check weigh distinct values: each is compared here with the way it was done before, on
damaged returns in both error modes.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest

from csc_indicators import InputError
from csc_indicators.io import _ssda903_csv, _ssda903_fast, read_ssda903, write_ssda903_xml
from csc_indicators.io._ssda903_tables import TABLES
from csc_indicators.io._ssda903_years import _fy, evidence
from csc_indicators.io._stitch import Return, _column_keys, _record_key, _sort_records, comparable
from csc_indicators.records import Episode

EXAMPLE = Path(__file__).parents[1] / "src" / "csc_indicators" / "data" / "example" / "ssda903"

VALUES = [
    "", " ", " x ", "ZZZ", "31/02/2020", "2020-01-01", "1/2/2020", "  01/02/2020 ", '"quoted"',
    '"open', '"a""b"', "\u00e9", "x" * 70, "zz/zz/2020", "0", "1", "true", "N", "-1", "41",
    "WV27 9FW", "wv279fw", "bad post", "u1", "p1", "\u00a0X\u00a0", "\tM1 1AA\t", "2024-13-01",
    "01/01/0001", "31/03/2023", "wbri", "X1", "K2", "A1", "K3", "F3", "F4", "l", "C2", "REFU",
]  # fmt: skip


def _damage(rng: random.Random, line: str) -> list[str]:
    fields = line.split(",")
    r = rng.random()
    if r < 0.55:
        i = rng.randrange(len(fields))
        fields[i] = rng.choice(VALUES) if rng.random() < 0.8 else fields[i].lower()
        return [",".join(fields)]
    if r < 0.65:
        return [line, line]
    if r < 0.7:
        return [",".join(fields[:-1])]
    if r < 0.75:
        return [line + ",x"]
    if r < 0.8:
        return [line + "\udcff"]  # a byte that is not UTF-8
    if r < 0.85:
        return [",,", "", " "]
    if r < 0.9:
        return ["  " + ", ".join(fields) + " "]
    return [line, ",".join([fields[0]] + [rng.choice(VALUES) for _ in fields[1:]])]


def damaged(source: Path, target: Path, seed: int, rate: float) -> Path:
    """A copy of an SSDA903 return with rows damaged at random (fixed by ``seed``)."""
    rng = random.Random(seed)
    target.mkdir(parents=True)
    for path in sorted(source.glob("*.csv")):
        header, *rows = path.read_text(encoding="utf-8").splitlines()
        if rng.random() < 0.1:
            header += "," + header.split(",")[1]  # a repeated column
            rows = [r + "," + (r.split(",")[1] if rng.random() < 0.9 else "zz") for r in rows]
        out = [header]
        for row in rows:
            out.extend(_damage(rng, row) if rng.random() < rate else [row])
        end = rng.choice(["\n", "", "\r\n"])
        data = end.join(out) if end else "\n".join(out)
        target.joinpath(path.name).write_bytes(
            data.encode("utf-8", "surrogateescape") + end.encode()
        )
    return target


def outcome(paths: Any, errors: str, **kwargs: Any) -> Any:
    """Everything a read gives: each field's records and every issue, or the error raised."""
    try:
        bundle = read_ssda903(paths, errors=errors, **kwargs)  # type: ignore[arg-type]
    except InputError as exc:
        return ("error", str(exc), exc.location, exc.field, exc.value)
    fields = {a.name: repr(getattr(bundle, a.name)) for a in attrs.fields(type(bundle))}
    fields["issues"] = repr([attrs.astuple(i, recurse=False) for i in bundle.issues])
    return fields


def both(monkeypatch: pytest.MonkeyPatch, paths: Any, errors: str, **kwargs: Any) -> None:
    """The read with the fast paths, and with the builders alone, give the same."""
    fast = outcome(paths, errors, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(_ssda903_fast, "USE_FAST_PATH", False)
        m.setattr(_ssda903_csv, "BATCH", 97)  # batches end mid-file, lines read one by one
        slow = outcome(paths, errors, **kwargs)
    assert fast == slow


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("errors", ["collect", "raise"])
def test_damaged_csv_returns_read_as_the_builders_read_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, errors: str
) -> None:
    rate = (0.0, 0.02, 0.1, 0.3)[seed % 4]
    years = sorted(p for p in EXAMPLE.iterdir() if p.is_dir())
    copies = [damaged(y, tmp_path / y.name, seed * 10 + i, rate) for i, y in enumerate(years)]
    both(monkeypatch, copies[-1], errors)
    both(monkeypatch, copies, errors)  # several returns, years inferred: D16
    both(monkeypatch, copies, errors, years={c: 2022 + i for i, c in enumerate(copies)})


def test_clean_rows_take_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: Counter[str] = Counter()
    real = _ssda903_fast.row_maker

    def counting(table: Any, places: Any) -> Any:
        maker = real(table, places)
        assert maker is not None, table.name

        def make(texts: Any) -> Any:
            record = maker(texts)
            made[table.name] += record is not None
            return record

        return make

    monkeypatch.setattr(_ssda903_csv, "row_maker", counting)
    bundle = read_ssda903(EXAMPLE / "2024", errors="collect")
    assert made["Episodes"] == len(bundle.episodes) > 0
    assert made["Reviews"] == len(bundle.reviews) > 0


@pytest.mark.parametrize("errors", ["collect", "raise"])
def test_mangled_xml_read_as_the_builders_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: str
) -> None:
    clean = tmp_path / "clean.xml"
    write_ssda903_xml(read_ssda903(EXAMPLE / "2024"), clean)
    both(monkeypatch, clean, errors)
    text = clean.read_text(encoding="utf-8")
    rng = random.Random(5)
    for n in range(6):
        out = text
        for _ in range(20):
            tag = rng.choice(["DECOM", "PL", "LS", "REVIEW", "SEX", "DOB", "CHILDID", "ETHNIC"])
            start = out.find(f"<{tag}>", rng.randrange(len(out)))
            if start < 0:
                continue
            end = out.index(f"</{tag}>", start) + len(tag) + 3
            element = out[start:end]
            value = rng.choice(VALUES).replace("<", "").replace("&", "")
            out = (
                out[:start]
                + rng.choice(
                    [
                        f"<{tag}>{value}</{tag}>",
                        element + element,  # repeated, same value
                        element + f"<{tag}>{value}</{tag}>",  # repeated, another value
                        "",  # absent
                    ]
                )
                + out[end:]
            )
        path = tmp_path / f"mangled{n}.xml"
        path.write_text(out, encoding="utf-8")
        both(monkeypatch, path, errors)


def test_every_read_table_has_a_fast_path() -> None:
    for table in TABLES:
        if table.record is not None:
            places = list(range(len(table.read)))
            assert _ssda903_fast.row_maker(table, places) is not None, table.name


def test_caches_are_bounded(tmp_path: Path) -> None:
    rows = [
        f"C{i},{1 + i % 28:02d}/{1 + i // 28 % 12:02d}/{1900 + i // 336},S,C2,N1,U1,PR1,,,,,,"
        for i in range(40_000)
    ]
    rows.append("C1," + "1" * 100 + ",S,C2,N1,U1,PR1,,,,,,")
    path = tmp_path / "episodes.csv"
    header = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
    path.write_text(header + "PL_POST,URN\n" + "\n".join(rows) + "\n")
    read_ssda903(tmp_path, errors="collect")
    for plan in [_ssda903_fast._plan(t) for t in TABLES]:
        for step in plan.steps if plan else ():
            assert len(step.cache) <= _ssda903_fast.CACHE_LIMIT
            assert all(t is None or len(t) <= _ssda903_fast.TEXT_LIMIT for t in step.cache)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_restored(tmp_path: Path, enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        read_ssda903(EXAMPLE / "2024")
        assert gc.isenabled() is enabled
        with pytest.raises(InputError):
            read_ssda903(tmp_path / "nowhere")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


# -- the stitcher's order and the years --------------------------------------------------------


def _values(rng: random.Random) -> list[Any]:
    pools: list[list[Any]] = [
        [None, "a", "b", "", "B"],
        [None, dt.date(2020, 1, 1), dt.date(1, 1, 1), dt.date(2020, 1, 2)],
        [None, True, False],
        [None, 0, -3, 7],
        ["x", dt.date(2020, 1, 1), None, 3],
        [1, True, 1.0, None],
        [(1,), (True,), ("a",), ()],
    ]
    pool = rng.choice(pools)
    return [rng.choice(pool) for _ in range(rng.randrange(1, 30))]


def test_column_keys_order_as_comparable() -> None:
    rng = random.Random(1)
    for _ in range(500):
        values = _values(rng)
        keys = _column_keys(list(values))
        for i in range(len(values)):
            for j in range(len(values)):
                a, b = comparable(values[i]), comparable(values[j])
                assert (keys[i] < keys[j]) == (a < b)
                assert (keys[i] == keys[j]) == (a == b)


def test_records_sorted_as_by_record_key() -> None:
    rng = random.Random(2)
    days = [None, dt.date(2020, 1, 1), dt.date(2021, 5, 3), dt.date(2019, 4, 1)]
    for _ in range(50):
        episodes = {
            Episode(
                rng.choice(["C1", "C2", "C10"]),
                rng.choice(days[1:]),
                rng.choice(["S", "P"]),
                rng.choice(["C2", "V2"]),
                rng.choice(["U1", "K2"]),
                rng.choice(days),
                rng.choice([None, "X1", "E11"]),
                rng.choice([None, "PR1"]),
            )
            for _ in range(rng.randrange(0, 40))
        }
        records = list(episodes)
        rng.shuffle(records)
        assert _sort_records(records) == sorted(records, key=_record_key)


def _evidence_row_by_row(ret: Return) -> tuple[Any, ...]:
    """The year evidence as it was weighed before: row by row."""
    spans: list[tuple[int, int | None]] = []
    latest: Counter[int] = Counter()
    for field, (a, b) in {
        "episodes": ("start_date", "end_date"),
        "reviews": ("date", "date"),
        "missing": ("start_date", "end_date"),
        "placed_for_adoption": ("decision_date", "ceased_date"),
    }.items():
        for record, _ in ret.records.get(field, ()):
            first, last = getattr(record, a), getattr(record, b)
            start = _fy(first)
            end = _fy(last) if last is not None else None
            if start < 1 or (end is not None and end < start):
                continue
            spans.append((start, end))
            latest[end if end is not None else start] += 1
    if not spans:
        return (0, {}, latest, None)
    top = max(max(s for s, _ in spans), max((e for _, e in spans if e is not None), default=0))
    delta: Counter[int] = Counter()
    for start, end in spans:
        delta[start] += 1
        delta[(end if end is not None else top) + 1] -= 1
    fits: dict[int, int] = {}
    running = 0
    for year in range(min(delta), top + 1):
        running += delta.get(year, 0)
        if running:
            fits[year] = running
    best = max(fits, key=lambda y: (fits[y], latest.get(y, 0), y))
    return (len(spans), fits, latest, best)


def test_year_evidence_as_row_by_row() -> None:
    rng = random.Random(3)
    days = [dt.date(1, 2, 1), dt.date(2020, 3, 31), dt.date(2020, 4, 1), dt.date(2023, 7, 9)]
    for _ in range(200):
        ret = Return("x")
        ret.records["episodes"] = [
            (
                Episode("C1", rng.choice(days), "S", "C2", "U1", rng.choice([None, *days])),
                "x:line 1",
            )
            for _ in range(rng.randrange(0, 12))
        ]
        seen = evidence(ret)
        assert (seen.rows, seen.fits, seen.latest, seen.best) == _evidence_row_by_row(ret)
