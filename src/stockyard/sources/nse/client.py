"""HTTP for NSE's bhavcopy archive. A 404 is a day without a file (a holiday, a weekend, or a
day not published yet): `bhavcopy` returns None for it rather than raising."""

from __future__ import annotations

from datetime import date

from stockyard.sources.http import Fetched, HttpClient, NotFoundError
from stockyard.sources.nse.urls import path_for


class NseClient:
    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def bhavcopy(self, file_format: str, day: date) -> Fetched | None:
        """The day's file in ``file_format`` (FULL or LEGACY), or None when NSE has none."""
        try:
            return self.http.get(path_for(file_format, day))
        except NotFoundError:
            return None
