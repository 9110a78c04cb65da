"""Publishing records each trade's versions: new once, amended with what changed, nothing twice."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from stockyard.warehouse import wap
from stockyard.warehouse.db import connect
from stockyard.warehouse.trade_versions import VERSIONED_FIELDS

_COLUMNS = ", ".join(
    f"NULL::VARCHAR AS {name}"
    for name in VERSIONED_FIELDS
    if name not in {"amount_min", "amount_max", "is_current"}
)


def _audit_trades(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, int, bool]]) -> None:
    """An audit trade mart holding (trade_id, amount_min, is_current) rows, the rest null."""
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    values = ", ".join(f"('{t}', {a}, {c})" for t, a, c in rows)
    con.execute(
        f"""CREATE OR REPLACE TABLE audit.fct_trades AS
            SELECT v.trade_id, v.amount_min, v.amount_min * 15 AS amount_max, v.is_current,
                   {_COLUMNS}
            FROM (VALUES {values}) AS v(trade_id, amount_min, is_current)"""
    )


def _publish(con: duckdb.DuckDBPyConnection) -> str:
    run_id = wap.start_audit_run(con)
    con.execute("UPDATE raw.audit_runs SET passed = true WHERE run_id = ?", [run_id])
    return wap.publish(con, run_id=run_id).run_id


def _versions(con: duckdb.DuckDBPyConnection, publish_id: str) -> dict[str, tuple[str, object]]:
    rows = con.execute(
        "SELECT trade_id, change, changed_fields FROM raw.trade_versions WHERE publish_id = ?",
        [publish_id],
    ).fetchall()
    return {t: (c, json.loads(f) if f else None) for t, c, f in rows}


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def test_new_then_amended_with_the_fields_that_changed_and_nothing_for_a_repeat(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _audit_trades(con, [("a", 1001, True), ("b", 15001, True)])
    first = _publish(con)
    assert _versions(con, first) == {"a": ("new", None), "b": ("new", None)}

    _audit_trades(con, [("a", 1001, True), ("b", 15001, False), ("c", 50001, True)])
    second = _publish(con)
    assert _versions(con, second) == {
        "b": ("amended", [{"field": "is_current", "old": True, "new": False}]),
        "c": ("new", None),
    }

    third = _publish(con)  # the same marts again: no version is news
    assert _versions(con, third) == {}
    assert con.execute("SELECT count(*) FROM raw.trade_versions").fetchone() == (4,)


def test_trades_published_before_versions_existed_are_a_baseline_not_news(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _audit_trades(con, [("a", 1001, True)])
    con.execute("CREATE TABLE marts.fct_trades AS SELECT * FROM audit.fct_trades")
    first = _publish(con)
    assert _versions(con, first) == {"a": ("baseline", None)}
    _audit_trades(con, [("a", 1001, True), ("b", 1001, True)])
    assert _versions(con, _publish(con)) == {"b": ("new", None)}


def test_a_change_undone_is_news_again(con: duckdb.DuckDBPyConnection) -> None:
    _audit_trades(con, [("a", 1001, True)])
    _publish(con)
    _audit_trades(con, [("a", 15001, True)])
    _publish(con)
    _audit_trades(con, [("a", 1001, True)])  # the correction is taken back
    undone = _publish(con)
    assert _versions(con, undone) == {
        "a": (
            "amended",
            [
                {"field": "amount_min", "old": 15001, "new": 1001},
                {"field": "amount_max", "old": 225015, "new": 15015},
            ],
        )
    }
