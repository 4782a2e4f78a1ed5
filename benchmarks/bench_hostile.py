"""Hostile files: the readers refuse them (or read them) in time linear in their size.

Usage::

    python benchmarks/bench_hostile.py [--small-mb 5] [--large-mb 20]

Builds each hostile shape at two sizes in a temporary directory and times reading it with
``errors="collect"``: a huge text value in a date field, a huge attribute value, a huge comment
in the prolog, a huge tag name, very deep nesting left unclosed, many values and comments each
just under the limits, deep namespaced nesting, and a huge value in a CSV row. For each it
prints the time at both sizes, their ratio (linear growth gives about the ratio of the sizes;
quadratic growth its square) and the length of the message the reader gave (messages quote at
most 40 characters of a value).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from csc_indicators import InputError
from csc_indicators.io import read_cin_census, read_ssda903

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails>'
    "<Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate>"
    "</CollectionDetails></Header><Children>"
)
TAIL = "</Children></Message>\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
)


def child(date: str) -> str:
    return (
        "<Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers><CINdetails>"
        "<CINreferralDate>2024-05-01</CINreferralDate><ReferralNFA>0</ReferralNFA>"
        f"<Assessments><AssessmentActualStartDate>{date}</AssessmentActualStartDate>"
        "</Assessments></CINdetails></Child>"
    )


CASES: dict[str, Callable[[int], str]] = {
    "text in a date field": lambda n: HEAD + child("x" * n) + TAIL,
    "attribute value": lambda n: HEAD + f'<Child a="{"x" * n}"/>' + TAIL,
    "comment in the prolog": lambda n: f"<!--{'x' * n}-->" + HEAD + TAIL,
    "tag name": lambda n: HEAD + f"<{'x' * n}/>" + TAIL,
    "unclosed nesting": lambda n: HEAD + "<a>" * (n // 3),
    "many long values": lambda n: HEAD + child("x" * 60_000) * (n // 60_000) + TAIL,
    "many long comments": lambda n: HEAD + f"<!--{'x' * 60_000}-->" * (n // 60_000) + TAIL,
    "namespaced nesting": lambda n: (
        HEAD.replace("<Message>", '<Message xmlns:n="urn:x">')
        + "<n:a>" * (n // 11)
        + "</n:a>" * (n // 11)
        + TAIL
    ),
}


def run(path: Path, csv: bool) -> tuple[float, int]:
    started = time.perf_counter()
    message = ""
    try:
        if csv:
            bundle = read_ssda903(path.parent, errors="collect")
        else:
            bundle = read_cin_census(path, errors="collect")
        message = " | ".join(str(i) for i in bundle.issues)
    except InputError as exc:
        message = str(exc)
    return time.perf_counter() - started, len(message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small-mb", type=float, default=5)
    parser.add_argument("--large-mb", type=float, default=20)
    args = parser.parse_args()
    sizes = (int(args.small_mb * 1_000_000), int(args.large_mb * 1_000_000))
    print(f"{'case':<24}{'small s':>10}{'large s':>10}{'ratio':>8}{'message':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        cases = [*((name, make, False) for name, make in CASES.items())]
        cases.append(("CSV field", lambda n: EPISODES + f"1,{'x' * n},S,C2,,U1,,,,,,,\n", True))
        for number, (name, make, csv) in enumerate(cases):
            times = []
            length = 0
            for size in sizes:
                folder = Path(tmp) / f"{number}-{size}"
                folder.mkdir()
                path = folder / ("episodes.csv" if csv else "cin.xml")
                path.write_text(make(size))
                elapsed, length = run(path, csv)
                times.append(elapsed)
                path.unlink()
            ratio = times[1] / max(times[0], 1e-6)
            print(f"{name:<24}{times[0]:>10.3f}{times[1]:>10.3f}{ratio:>8.1f}{length:>10}")
    print(
        f"sizes: {sizes[0]:,} and {sizes[1]:,} bytes (linear growth: ratio about "
        f"{sizes[1] / sizes[0]:.1f})"
    )


if __name__ == "__main__":
    main()
