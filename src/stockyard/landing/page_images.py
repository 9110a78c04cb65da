"""Where the upright PNG of each scanned page is landed, so the pipeline and the API agree."""

from __future__ import annotations

__all__ = ["PAGE_IMAGES_DATASET", "PAGE_IMAGES_SOURCE", "page_image_name"]

PAGE_IMAGES_SOURCE = "house_clerk"
PAGE_IMAGES_DATASET = "ptr_pages"


def page_image_name(doc_id: str, page: int) -> str:
    return f"{doc_id}-p{page}.png"
