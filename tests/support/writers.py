"""Another process writing a warehouse file, as the pipeline does in production.

DuckDB locks a file per process, so a writer in the test's own process would not show what a
reader in another process meets.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PUBLISH_SNAPSHOT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from stockyard.warehouse import serving
    from stockyard.warehouse.db import open_for_writing
    path = Path(sys.argv[1])
    con = open_for_writing(path)
    if sys.argv[3]:
        con.execute(sys.argv[3])
    snapshot = serving.write_snapshot(con, serving.serving_dir(path), publish_id=sys.argv[2])
    con.close()
    print(snapshot.name)
    """
)


def run_sql(path: Path, sql: str) -> subprocess.CompletedProcess[str]:
    """Execute ``sql`` on the file from a separate process."""
    script = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); con.execute(sys.argv[2])"
    return subprocess.run(
        [sys.executable, "-c", script, str(path), sql],
        capture_output=True,
        text=True,
        timeout=60,
    )


def publish_snapshot(path: Path, publish_id: str, sql: str = "") -> str:
    """From a separate process: apply ``sql`` to the warehouse, then publish a serving snapshot
    of it; returns the snapshot's file name."""
    done = subprocess.run(
        [sys.executable, "-c", PUBLISH_SNAPSHOT, str(path), publish_id, sql],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@contextmanager
def writer_holding_lock(path: Path) -> Iterator[None]:
    """A process with the warehouse open read-write until the block ends."""
    script = textwrap.dedent(
        """
        import duckdb, sys
        con = duckdb.connect(sys.argv[1])
        print("locked", flush=True)
        sys.stdin.read()
        con.close()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
