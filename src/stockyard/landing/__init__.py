"""Bytes in, bytes out: the landing zone (fsspec), its manifest and retention."""

from stockyard.landing.page_cache import FilePageCache
from stockyard.landing.page_images import (
    PAGE_IMAGES_DATASET,
    PAGE_IMAGES_SOURCE,
    page_image_name,
)
from stockyard.landing.zone import LandedFile, LandingZone, WriteResult

__all__ = [
    "PAGE_IMAGES_DATASET",
    "PAGE_IMAGES_SOURCE",
    "FilePageCache",
    "LandedFile",
    "LandingZone",
    "WriteResult",
    "page_image_name",
]
