"""Where OCR page readings are kept between runs: gzip'd JSON files under an fsspec URL.

A cache, not landed data: everything in it can be rebuilt from the landed PDF, so entries are
written in place (last writer wins; two writers of one key write the same bytes).
"""

from __future__ import annotations

import gzip
import os
from typing import Any

from fsspec.spec import AbstractFileSystem

from stockyard.landing.fs import filesystem_at

__all__ = ["FilePageCache"]


class FilePageCache:
    """`stockyard.sources.house_clerk.ocr.PageCache` over a folder or object-store prefix."""

    def __init__(self, url: str, *, storage_options: dict[str, Any] | None = None) -> None:
        self.url = url.rstrip("/")
        self.fs: AbstractFileSystem
        self.root: str
        self.fs, self.root = filesystem_at(self.url, storage_options)

    def _path(self, key: str) -> str:
        if ".." in key.split("/"):
            raise ValueError(f"page-cache key must not climb out of the cache: {key!r}")
        return f"{self.root}/{key}.json.gz"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            with self.fs.open(path, "rb") as fh:
                raw: bytes = fh.read()
        except FileNotFoundError:
            return None
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError):
            # A write cut short by a crash: treat it as absent, it will be read again.
            return None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with self.fs.open(tmp, "wb") as fh:
            fh.write(gzip.compress(data, compresslevel=6, mtime=0))
        self.fs.mv(tmp, path)
