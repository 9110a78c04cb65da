"""HTTP for the two community aggregates: each is one JSON file on raw.githubusercontent.com."""

from __future__ import annotations

from stockyard.sources.http import Fetched, HttpClient

HOUSE_TRANSACTIONS_PATH = "/data/all_transactions.json"
SENATE_DAILY_SUMMARIES_PATH = "/aggregate/all_daily_summaries.json"


class HouseWatcherClient:
    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def all_transactions(self) -> Fetched:
        return self.http.get(HOUSE_TRANSACTIONS_PATH)


class SenateWatcherClient:
    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def all_daily_summaries(self) -> Fetched:
        return self.http.get(SENATE_DAILY_SUMMARIES_PATH)
