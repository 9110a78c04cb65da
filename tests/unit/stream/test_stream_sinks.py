"""The DuckDB stream tables are idempotent; the InfluxDB lines are escaped."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import duckdb

from stockyard.stream.events import Alert, BarSignal, NewsEvent
from stockyard.stream.processor import Output
from stockyard.stream.sinks import line_protocol
from stockyard.warehouse.stream_sink import ensure_stream_schema, stream_counts, write_batch

SIGNAL = BarSignal("AAPL", 0, 60_000, 1, 2, 0.5, 1.5, 100, 1.2, 1.3, 0.01, None, None, 0.5)


def test_writing_a_batch_twice_leaves_the_same_rows(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_stream_schema(con)
    bars = [
        astuple(SIGNAL),
        astuple(BarSignal(*astuple(SIGNAL)[:2], 120_000, *astuple(SIGNAL)[3:])),
    ]
    news = [("n1", 1, "t", "u", "s", "", "Apple", "AAPL")]
    alerts = [("AAPL", 60_000, "n1", 0.6, 1.5, "t", "u", 1)]
    write_batch(con, bars, news, alerts)
    write_batch(con, bars, news, alerts)
    assert stream_counts(con) == {"stream.minute_bars": 2, "stream.news": 1, "stream.alerts": 1}
    # A repeat keeps the stored row; a revision (recomputed minute) replaces it.
    corrected = (*astuple(SIGNAL)[:6], 9.9, *astuple(SIGNAL)[7:])
    write_batch(con, [corrected])
    assert con.execute("SELECT count(*), max(close) FROM stream.minute_bars").fetchone() == (2, 1.5)
    write_batch(con, revised_bars=[corrected, corrected])
    assert con.execute("SELECT count(*), max(close) FROM stream.minute_bars").fetchone() == (2, 9.9)


def test_line_protocol_escapes_tags_and_strings() -> None:
    news = NewsEvent("n", 5, 'He said "buy", then left', "u", "s", "", "Bank of America")
    alert = Alert("AAPL", 60_000, "n", 0.6, 1.5, "t", "u", 5)
    body = line_protocol(Output(signals=[SIGNAL], news=[(news, ["BAC"])], alerts=[alert]))
    lines = body.split("\n")
    assert lines[0].startswith("minute_bars,ticker=AAPL open=1,high=2,") and lines[0].endswith(
        " 60000"
    )
    assert "ret_5m" not in lines[0] and "volume_z=0.5" in lines[0]
    assert (
        lines[2]
        == 'news,term=Bank\\ of\\ America title="He said \\"buy\\", then left",tickers="BAC" 5'
    )
