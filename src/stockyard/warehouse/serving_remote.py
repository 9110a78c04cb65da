"""Serving snapshots through object storage: one pipeline machine pushes, N web machines pull.

The pipeline machine pushes each new snapshot to a folder or any fsspec URL (the same kind of URL
as the landing zone, e.g. ``s3://bucket/stockyard/serving``): the file first, then the pointer,
so a reader of the pointer always finds its file. A web machine with only that URL pulls: when
the remote pointer names a snapshot it does not have, it downloads the file under a temporary
name and switches its local pointer (serving.py), so its readers move at their next request.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from pathlib import Path

import structlog

from stockyard.landing.fs import filesystem_at
from stockyard.warehouse import serving

log = structlog.get_logger(__name__)


def push(snapshot: serving.Snapshot, url: str) -> None:
    """Upload ``snapshot`` and then point the remote pointer at it."""
    fs, root = filesystem_at(url)
    fs.makedirs(root, exist_ok=True)
    fs.put_file(str(snapshot.path), f"{root}/{snapshot.name}")
    pointer = {
        "file": snapshot.name,
        "publish_id": snapshot.publish_id,
        "published_at": snapshot.published_at.isoformat(),
    }
    # One object written whole: object stores replace a key atomically.
    fs.pipe_file(f"{root}/{serving.POINTER}", json.dumps(pointer).encode())


def pull(url: str, folder: Path, *, keep_seconds: float = 600.0) -> serving.Snapshot | None:
    """Bring ``folder`` up to the remote pointer; the snapshot now served, or None if the remote
    has none yet. Downloads only when the remote names a snapshot this folder lacks."""
    fs, root = filesystem_at(url)
    try:
        pointer = json.loads(fs.cat_file(f"{root}/{serving.POINTER}"))
    except FileNotFoundError:
        return None
    name = str(pointer["file"])
    local = serving.current(folder)
    if local is not None and local.name == name:
        return local
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    fs.get_file(f"{root}/{name}", str(partial))
    os.replace(partial, folder / name)
    published_at = datetime.fromisoformat(str(pointer["published_at"]))
    serving.point_at(folder, folder / name, str(pointer["publish_id"]), published_at)
    serving.remove_stale(folder, keep_seconds=keep_seconds)
    return serving.current(folder)


class Puller:
    """Pulls every ``interval`` seconds in a daemon thread until stopped (a web machine's job)."""

    def __init__(self, url: str, folder: Path, interval: float) -> None:
        self.url, self.folder, self.interval = url, folder, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="snapshot-puller", daemon=True)

    def start(self) -> Puller:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                pull(self.url, self.folder)
            except Exception as exc:  # an outage of the store must not stop the site
                log.warning("snapshot_pull_failed", url=self.url, error=str(exc))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
