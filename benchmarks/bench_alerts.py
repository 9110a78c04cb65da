"""Matching one publish against 10,000 follows: one DuckDB join beside a naive per-follow loop.

1. Data: a demo-built warehouse (the bundled real sample), copied. Its trades are recorded as
   two publishes: every trade but the newest filed (the baseline), then all of them, so the second
   publish brings the newest --new trades (default 500, more than a busy day's filings).
2. Follows: N (default 10,000) random follows drawn from the real members, states, parties,
   chambers, committees, tickers, transaction types, owners and bands of that data, each with one
   to three of those filters, all made before the publish.
3. Measured in the same run, three times each, best kept:
   - join: `warehouse.follow_matching.match_versions`, every follow at once (what the pipeline runs);
   - naive: the same publish's trades read once, then each follow checked against each trade in
     a Python loop (the obvious per-follow implementation);
   - plan: `alerts.planning.plan_deliveries` end to end with the follows in their SQLite store
     (match, event payloads, one delivery per follow written to the outbox).
   Both matchers must find the same (follow, trade) pairs. Target: join ≤ 1 s.

Run: `python benchmarks/bench_alerts.py [--follows 10000] [--source PATH/warehouse.duckdb]`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from local_server import demo_warehouse, wide_console
from rich.table import Table

from stockyard.alerts.follows import Follow, FollowFilter
from stockyard.alerts.planning import plan_deliveries
from stockyard.alerts.store import AlertStore
from stockyard.warehouse.db import connect
from stockyard.warehouse.follow_matching import FollowCriteria, match_versions
from stockyard.warehouse.trade_versions import record_versions

TARGET_SECONDS = 1.0
PUBLISH = "bench-publish"


def _values(con: Any, sql: str) -> list[Any]:
    return [r[0] for r in con.execute(sql).fetchall() if r[0] is not None]


def random_follows(con: Any, n: int, created_at: datetime, seed: int = 11) -> list[Follow]:
    rng = random.Random(seed)
    pools = {
        "member": _values(con, "SELECT DISTINCT bioguide_id FROM marts.fct_trades ORDER BY 1"),
        "state": _values(con, "SELECT DISTINCT state FROM marts.fct_trades ORDER BY 1"),
        "party": ["D", "R"],
        "chamber": ["house", "senate"],
        "committee": _values(
            con, "SELECT DISTINCT committee_id FROM marts.bridge_member_committees ORDER BY 1"
        ),
        "ticker": _values(
            con,
            "SELECT ticker_key FROM marts.fct_trades GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 300",
        ),
        "tx_type": ["P", "S", "S (partial)", "E"],
        "owner": ["self", "SP", "JT", "DC"],
        "min_amount": [1001, 15001, 50001, 100001, 250001],
    }
    kinds = [k for k, v in pools.items() if v]
    follows = []
    for i in range(n):
        picked = {k: rng.choice(pools[k]) for k in rng.sample(kinds, rng.randint(1, 3))}
        wanted = FollowFilter(oversight=rng.random() < 0.05, **picked)
        follows.append(Follow(f"f{i:05}", f"f{i:05}", "webhook", "http://127.0.0.1:9/h",
                              wanted, created_at, secret="secret"))  # fmt: skip
    return follows


_TRADES_SQL = """
    SELECT t.trade_id, t.bioguide_id, t.state, upper(left(t.party, 1)), t.chamber,
           upper(coalesce(t.resolved_ticker, t.ticker)), t.tx_type, t.owner, t.amount_min,
           t.is_current, v.change,
           coalesce((SELECT list(committee_id) FROM marts.bridge_member_committees AS b
                     WHERE b.bioguide_id = t.bioguide_id), []),
           t.trade_id IN (SELECT trade_id FROM marts.fct_oversight_trades)
    FROM raw.trade_versions AS v JOIN marts.fct_trades AS t USING (trade_id)
    WHERE v.publish_id = ? AND v.change IN ('new', 'amended')
"""


def naive(con: Any, follows: list[FollowCriteria]) -> set[tuple[str, str]]:
    trades = con.execute(_TRADES_SQL, [PUBLISH]).fetchall()
    found = set()
    for f in follows:
        for (trade_id, bio, state, party, chamber, ticker, tx, owner, amount, current,
             change, committees, oversight) in trades:  # fmt: skip
            if change == "new" and not current:
                continue
            if f.bioguide_id is not None and bio != f.bioguide_id:
                continue
            if f.state is not None and state != f.state:
                continue
            if f.party is not None and party != f.party:
                continue
            if f.chamber is not None and chamber != f.chamber:
                continue
            if f.ticker is not None and ticker != f.ticker:
                continue
            if f.tx_type is not None and tx != f.tx_type:
                continue
            if f.owner is not None and not (
                (f.owner == "self" and owner is None) or owner == f.owner
            ):
                continue
            if f.min_amount is not None and (amount is None or amount < f.min_amount):
                continue
            if f.committee is not None and f.committee not in committees:
                continue
            if f.oversight and not oversight:
                continue
            found.add((f.follow_id, trade_id))
    return found


def _best(runs: int, action: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--follows", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=500, help="trades the measured publish brings")
    parser.add_argument("--source", help="a demo-built warehouse.duckdb (else built here)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    console = wide_console()
    scratch = Path(tempfile.mkdtemp(prefix="stockyard-bench-alerts-"))
    try:
        source = demo_warehouse(args.source, scratch, console)
        path = scratch / "warehouse.duckdb"
        shutil.copy(source, path)
        con = connect(path)
        published_at = datetime.now(UTC)
        con.execute("DELETE FROM raw.trade_versions")
        con.execute(
            """CREATE TEMP TABLE older AS SELECT * FROM marts.fct_trades
               QUALIFY row_number() OVER (ORDER BY filed_date DESC NULLS FIRST, trade_id) > ?""",
            [args.new],
        )
        record_versions(
            con,
            source="older",
            publish_id="baseline",
            published_at=published_at - timedelta(days=2),
            baseline=True,
        )
        counts = record_versions(
            con,
            source="marts.fct_trades",
            publish_id=PUBLISH,
            published_at=published_at,
            baseline=False,
        )
        follows = random_follows(con, args.follows, published_at - timedelta(days=1))
        criteria = [f.criteria() for f in follows]
        join_s, matches = _best(args.runs, lambda: match_versions(con, criteria, [PUBLISH]))
        naive_s, expected = _best(args.runs, lambda: naive(con, criteria))
        if matches.pairs() != expected:
            raise SystemExit("the join and the naive loop disagree: a matching bug")

        store = AlertStore(scratch / "alerts.sqlite3")
        store.add_follows(follows)
        started = time.perf_counter()
        plan = plan_deliveries(store, con, site_url="http://site", now=published_at)
        plan_s = time.perf_counter() - started
        con.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    trades = counts.get("new", 0)
    table = Table(title=f"One publish ({trades:,} new trades) against {args.follows:,} follows")
    for column in ("matcher", "seconds", "vs join", "matches", "note"):
        table.add_column(column, justify="right" if column != "matcher" else "left")
    table.add_row("join (match_versions)", f"{join_s:.3f}", "1.00×", f"{len(matches):,}",
                  f"target ≤ {TARGET_SECONDS:.0f} s")  # fmt: skip
    table.add_row("naive per-follow loop", f"{naive_s:.3f}", f"{naive_s / join_s:.1f}×",
                  f"{len(expected):,}", "same pairs")  # fmt: skip
    table.add_row("plan_deliveries (match + payloads + outbox)", f"{plan_s:.3f}",
                  f"{plan_s / join_s:.1f}×", f"{plan.events:,}",
                  f"{plan.deliveries:,} deliveries")  # fmt: skip
    console.print(table)
    verdict = "met" if join_s <= TARGET_SECONDS else "MISSED"
    console.print(f"Join: {join_s:.3f} s for {args.follows:,} follows (target ≤ 1 s: {verdict}).")


if __name__ == "__main__":
    main()
