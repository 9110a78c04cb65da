"""One OCR page cache for the whole test session: each scanned page is read once per run."""

from __future__ import annotations

import functools
import os

from stockyard.landing import FilePageCache

# conftest.py sets this to a folder it removes at the end of the session.
CACHE_ENV = "STOCKYARD_TEST_OCR_CACHE"


@functools.cache
def shared_page_cache() -> FilePageCache:
    return FilePageCache(os.environ[CACHE_ENV])
