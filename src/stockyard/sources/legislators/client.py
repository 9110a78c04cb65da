"""HTTP side of the congress-legislators source: one method per published file, bytes only."""

from __future__ import annotations

from stockyard.sources.http import Fetched, HttpClient

LEGISLATORS_CURRENT = "legislators-current.yaml"
# The project also publishes legislators-historical.yaml with every term, but our stored snapshot
# lacks it (≥ 4 MiB), so former members come from this CSV: each person's LAST term only.
LEGISLATORS_HISTORICAL = "legislators-historical.csv"
COMMITTEES_CURRENT = "committees-current.yaml"
COMMITTEE_MEMBERSHIP_CURRENT = "committee-membership-current.yaml"
COMMITTEES_HISTORICAL = "committees-historical.yaml"


class LegislatorsClient:
    """Fetches the unitedstates/congress-legislators files (base URL ``settings.legislators``)."""

    def __init__(self, http: HttpClient) -> None:
        self._http = http

    def legislators_current(self) -> Fetched:
        return self._http.get(LEGISLATORS_CURRENT)

    def legislators_historical(self) -> Fetched:
        return self._http.get(LEGISLATORS_HISTORICAL)

    def committees_current(self) -> Fetched:
        return self._http.get(COMMITTEES_CURRENT)

    def committee_membership_current(self) -> Fetched:
        return self._http.get(COMMITTEE_MEMBERSHIP_CURRENT)

    def committees_historical(self) -> Fetched:
        return self._http.get(COMMITTEES_HISTORICAL)
