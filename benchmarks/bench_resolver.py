"""Member resolution speed: the indexed resolver vs a linear scan over every legislator.

Both resolve the same 10,000 real names (current members, each on a day of one of their terms);
the baseline is the obvious loop a first version would write, measured in the same run.
Run: `python benchmarks/bench_resolver.py`.
"""

from __future__ import annotations

import gzip
import time
from datetime import date, timedelta

from rich.console import Console
from rich.table import Table

from stockyard.models import Legislator
from stockyard.replay import SAMPLE_ROOT
from stockyard.resolve.members import MemberResolver
from stockyard.sources.legislators.parse_members import parse_current_yaml, parse_historical_csv

N = 10_000


def load() -> list[Legislator]:
    folder = SAMPLE_ROOT / "legislators"
    current = parse_current_yaml(
        gzip.decompress((folder / "legislators-current.yaml.gz").read_bytes())
    )
    former = parse_historical_csv(
        gzip.decompress((folder / "legislators-historical.csv.gz").read_bytes()),
        as_of=date(2026, 6, 15),
    )
    return current.records + former.records


def linear_scan(
    people: list[Legislator], last: str, first: str, chamber: str, on: date
) -> str | None:
    found = [
        p.bioguide_id
        for p in people
        if p.last_name == last
        and p.first_name == first
        and any(t.chamber == chamber and t.start <= on <= t.end for t in p.terms)
    ]
    return found[0] if len(found) == 1 else None


def main() -> None:
    people = load()
    current = [m for m in people if m.is_current]
    queries = []
    for i in range(N):
        member = current[i % len(current)]
        term = member.terms[i % len(member.terms)]
        on = term.start + timedelta(days=i % max(1, (term.end - term.start).days))
        queries.append((member, term, on))

    started = time.perf_counter()
    baseline = [
        linear_scan(people, m.last_name, m.first_name, t.chamber, on) for m, t, on in queries
    ]
    scan_seconds = time.perf_counter() - started

    resolver = MemberResolver(people)
    started = time.perf_counter()
    ours = [
        resolver.resolve(
            f"Hon. {m.first_name} {m.last_name}",
            chamber=t.chamber,
            state_district=t.state_district,
            on=on,
        ).bioguide_id
        for m, t, on in queries
    ]
    resolver_seconds = time.perf_counter() - started

    table = Table(title=f"Resolving {N:,} filer names against {len(people):,} legislators")
    table.add_column("method")
    table.add_column("names/s", justify="right")
    table.add_column("correct", justify="right")
    expected = [m.bioguide_id for m, _, _ in queries]
    for label, seconds, got in (
        ("linear scan, exact names (baseline)", scan_seconds, baseline),
        ("MemberResolver (normalised, indexed)", resolver_seconds, ours),
    ):
        right = sum(a == b for a, b in zip(got, expected, strict=True))
        table.add_row(label, f"{N / seconds:,.0f}", f"{right / N:.1%}")
    Console().print(table)
    Console().print(f"resolver is {scan_seconds / resolver_seconds:.1f}× the baseline's rate")


if __name__ == "__main__":
    main()
