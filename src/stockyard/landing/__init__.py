"""Bytes in, bytes out: the landing zone (fsspec), its manifest and retention."""

from stockyard.landing.page_cache import FilePageCache
from stockyard.landing.zone import LandedFile, LandingZone, WriteResult

__all__ = ["FilePageCache", "LandedFile", "LandingZone", "WriteResult"]
