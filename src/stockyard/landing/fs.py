"""One way to open a landing URL (a folder or any fsspec URL) as a filesystem and a root path."""

from __future__ import annotations

from typing import Any

import fsspec
from fsspec.spec import AbstractFileSystem

__all__ = ["filesystem_at"]


def filesystem_at(
    url: str, storage_options: dict[str, Any] | None = None
) -> tuple[AbstractFileSystem, str]:
    """The filesystem behind ``url`` and the root inside it, without a trailing slash."""
    fs, root = fsspec.core.url_to_fs(url.rstrip("/"), **(storage_options or {}))
    return fs, str(root).rstrip("/")
