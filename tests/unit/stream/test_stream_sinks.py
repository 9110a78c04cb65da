"""The DuckDB stream tables are idempotent; the InfluxDB lines are escaped."""

from __future__ import annotations

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
    bars = [SIGNAL, SIGNAL._replace(end_ms=120_000)]
    news = [("n1", 1, "t", "u", "s", "", "Apple", "AAPL")]
    alerts = [("AAPL", 60_000, "n1", 0.6, 1.5, "t", "u", 1)]
    write_batch(con, bars, news, alerts)
    write_batch(con, bars, news, alerts)
    assert stream_counts(con) == {"stream.minute_bars": 2, "stream.news": 1, "stream.alerts": 1}
    # A repeat keeps the stored row; a revision (recomputed minute) replaces it.
    corrected = SIGNAL._replace(close=9.9)
    write_batch(con, [corrected])
    assert con.execute("SELECT count(*), max(close) FROM stream.minute_bars").fetchone() == (2, 1.5)
    write_batch(con, revised_bars=[corrected, corrected])
    assert con.execute("SELECT count(*), max(close) FROM stream.minute_bars").fetchone() == (2, 9.9)


def test_a_batch_partly_written_before_adds_only_its_new_rows(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_stream_schema(con)
    write_batch(con, [SIGNAL])
    # A redelivered bar next to a new one, and a key twice in one batch: the append clashes,
    # the batch is written again keeping stored rows, and nothing is lost or doubled.
    later = SIGNAL._replace(end_ms=120_000)
    write_batch(con, [SIGNAL._replace(close=7.0), later, later])
    rows = con.execute("SELECT window_end_ms, close FROM stream.minute_bars ORDER BY 1").fetchall()
    assert rows == [(60_000, 1.5), (120_000, 1.5)]


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
