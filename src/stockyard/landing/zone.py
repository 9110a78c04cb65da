"""The landing zone: every fetched payload, written once, through fsspec.

Layout under the zone's root (a local folder or any fsspec URL such as ``s3://bucket/prefix``)::

    {source}/{dataset}/{partition}/{name}.v{version}[.gz]
    {source}/{dataset}/{partition}/_manifest.jsonl

Text payloads are gzip-compressed; PDFs, zips and other compressed formats are kept as they are.
Writing the same bytes again is a no-op; different bytes under the same name become a new version,
so history is never overwritten and any partition can be re-loaded without calling the source.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from fsspec.spec import AbstractFileSystem

from stockyard.landing.fs import filesystem_at

MANIFEST = "_manifest.jsonl"
# Formats that are already compressed gain nothing from gzip and must stay byte-identical.
_STORED_AS_IS = (".pdf", ".zip", ".gz", ".parquet", ".png", ".jpg", ".gif")


@dataclass(frozen=True, slots=True)
class LandedFile:
    source: str
    dataset: str
    partition: str
    name: str
    version: int
    path: str  # relative to the zone root
    url: str  # where it was fetched from (credentials redacted)
    fetched_at: str  # ISO-8601 UTC
    sha256: str  # of the uncompressed payload
    size: int  # uncompressed bytes
    compressed: bool
    content_type: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


@dataclass(frozen=True, slots=True)
class WriteResult:
    file: LandedFile
    written: bool  # False when identical content was already landed


def _check_segment(kind: str, value: str) -> str:
    if not value or "/" in value or value.startswith(".") or value == MANIFEST:
        raise ValueError(f"invalid landing {kind} {value!r}: use a non-empty name without '/'")
    return value


class LandingZone:
    """Writes and reads landed payloads. Thread-safe within one process."""

    def __init__(self, url: str, *, storage_options: dict[str, Any] | None = None) -> None:
        self.url = url.rstrip("/")
        self.fs: AbstractFileSystem
        self.root: str
        self.fs, self.root = filesystem_at(self.url, storage_options)
        self._lock = threading.Lock()
        self._manifests: dict[str, list[LandedFile]] = {}

    # -- writing -----------------------------------------------------------------------------
    def write(
        self,
        source: str,
        dataset: str,
        partition: str,
        name: str,
        content: bytes,
        *,
        url: str,
        content_type: str = "",
        fetched_at: datetime | None = None,
    ) -> WriteResult:
        for kind, value in (("source", source), ("dataset", dataset), ("partition", partition)):
            _check_segment(kind, value)
        _check_segment("name", name)
        digest = hashlib.sha256(content).hexdigest()
        prefix = f"{source}/{dataset}/{partition}"
        with self._lock:
            manifest = self._load_manifest(prefix)
            versions = [f for f in manifest if f.name == name]
            if versions and versions[-1].sha256 == digest:
                return WriteResult(versions[-1], written=False)
            version = versions[-1].version + 1 if versions else 1
            compressed = not name.lower().endswith(_STORED_AS_IS)
            rel = f"{prefix}/{name}.v{version}" + (".gz" if compressed else "")
            payload = gzip.compress(content, compresslevel=6, mtime=0) if compressed else content
            self.fs.makedirs(self._abs(prefix), exist_ok=True)
            # Data first, manifest second: a crash in between leaves an orphan file, never a
            # manifest entry pointing at nothing.
            with self.fs.open(self._abs(rel), "wb") as fh:
                fh.write(payload)
            landed = LandedFile(
                source=source,
                dataset=dataset,
                partition=partition,
                name=name,
                version=version,
                path=rel,
                url=url,
                fetched_at=(fetched_at or datetime.now(UTC)).isoformat(timespec="seconds"),
                sha256=digest,
                size=len(content),
                compressed=compressed,
                content_type=content_type,
            )
            manifest.append(landed)
            self._append_manifest(prefix, landed)
            return WriteResult(landed, written=True)

    # -- reading -----------------------------------------------------------------------------
    def read(self, landed: LandedFile) -> bytes:
        with self.fs.open(self._abs(landed.path), "rb") as fh:
            raw: bytes = fh.read()
        return gzip.decompress(raw) if landed.compressed else raw

    def manifest(self, source: str, dataset: str, partition: str) -> list[LandedFile]:
        """Every version landed in a partition, oldest first."""
        with self._lock:
            return list(self._load_manifest(f"{source}/{dataset}/{partition}"))

    def latest(self, source: str, dataset: str, partition: str) -> list[LandedFile]:
        """The newest version of each name in a partition, in first-landed order."""
        newest: dict[str, LandedFile] = {}
        for landed in self.manifest(source, dataset, partition):
            newest[landed.name] = landed
        return list(newest.values())

    def find(self, source: str, dataset: str, partition: str, name: str) -> LandedFile | None:
        for landed in reversed(self.manifest(source, dataset, partition)):
            if landed.name == name:
                return landed
        return None

    def partitions(self, source: str, dataset: str) -> list[str]:
        base = self._abs(f"{source}/{dataset}")
        if not self.fs.exists(base):
            return []
        found = []
        for entry in self.fs.ls(base, detail=False):
            part = str(entry).rstrip("/").rsplit("/", 1)[-1]
            if self.fs.exists(f"{base}/{part}/{MANIFEST}"):
                found.append(part)
        return sorted(found)

    def uri(self, landed: LandedFile) -> str:
        """A full URL a person can open (lineage)."""
        return f"{self.url}/{landed.path}"

    # -- housekeeping ------------------------------------------------------------------------
    def apply_retention(
        self, days: int, *, archive_url: str = "", now: datetime | None = None
    ) -> list[LandedFile]:
        """Remove (or move to `archive_url`) payloads fetched more than `days` days ago."""
        cutoff = (now or datetime.now(UTC)).timestamp() - days * 86_400
        archive = LandingZone(archive_url) if archive_url else None
        expired: list[LandedFile] = []
        with self._lock:
            for manifest_path in self.fs.glob(f"{self.root}/*/*/*/{MANIFEST}"):
                prefix = str(manifest_path)[len(self.root) + 1 : -len(MANIFEST) - 1]
                entries = self._load_manifest(prefix)
                keep = []
                for landed in entries:
                    if datetime.fromisoformat(landed.fetched_at).timestamp() >= cutoff:
                        keep.append(landed)
                        continue
                    if archive is not None:
                        archive.write(
                            landed.source,
                            landed.dataset,
                            landed.partition,
                            landed.name,
                            self.read(landed),
                            url=landed.url,
                            content_type=landed.content_type,
                            fetched_at=datetime.fromisoformat(landed.fetched_at),
                        )
                    self.fs.rm(self._abs(landed.path))
                    expired.append(landed)
                if len(keep) != len(entries):
                    self._rewrite_manifest(prefix, keep)
        return expired

    # -- internals ---------------------------------------------------------------------------
    def _abs(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def _load_manifest(self, prefix: str) -> list[LandedFile]:
        cached = self._manifests.get(prefix)
        if cached is not None:
            return cached
        path = self._abs(f"{prefix}/{MANIFEST}")
        entries: list[LandedFile] = []
        if self.fs.exists(path):
            with self.fs.open(path, "rb") as fh:
                for line in fh.read().decode("utf-8").splitlines():
                    if line.strip():
                        entries.append(LandedFile(**json.loads(line)))
        self._manifests[prefix] = entries
        return entries

    def _append_manifest(self, prefix: str, landed: LandedFile) -> None:
        path = self._abs(f"{prefix}/{MANIFEST}")
        line = (landed.to_json() + "\n").encode("utf-8")
        try:
            with self.fs.open(path, "ab") as fh:
                fh.write(line)
        except (NotImplementedError, ValueError):
            # Object stores cannot append: rewrite the (small, per-partition) manifest.
            self._rewrite_manifest(prefix, self._manifests[prefix])

    def _rewrite_manifest(self, prefix: str, entries: list[LandedFile]) -> None:
        body = "".join(e.to_json() + "\n" for e in entries).encode("utf-8")
        with self.fs.open(self._abs(f"{prefix}/{MANIFEST}"), "wb") as fh:
            fh.write(body)
        self._manifests[prefix] = list(entries)
