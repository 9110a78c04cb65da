"""The client against the replay server serving the bundled tree (the demo's path, offline)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest

from stockyard.config import SourceSettings
from stockyard.replay import SAMPLE_ROOT, ReplayServer
from stockyard.sources.http import HttpClient, NotFoundError
from stockyard.sources.legislators import LegislatorsClient, parse_current_yaml


@pytest.fixture(scope="module")
def http() -> Iterator[HttpClient]:
    with ReplayServer(SAMPLE_ROOT) as server:
        settings = SourceSettings(
            base_url=server.base_url("legislators"), rate_per_second=500, burst=50
        )
        with HttpClient("legislators", settings, backoff_base=0.01) as http:
            yield http


@pytest.fixture(scope="module")
def client(http: HttpClient) -> LegislatorsClient:
    return LegislatorsClient(http)


def test_every_file_is_fetched_and_decompressed(client: LegislatorsClient) -> None:
    folder = SAMPLE_ROOT / "legislators"
    fetches = {
        "legislators-current.yaml": client.legislators_current(),
        "legislators-historical.csv": client.legislators_historical(),
        "committees-current.yaml": client.committees_current(),
        "committee-membership-current.yaml": client.committee_membership_current(),
        "committees-historical.yaml": client.committees_historical(),
    }
    for name, fetched in fetches.items():
        assert fetched.status == 200
        assert fetched.url.endswith(f"/legislators/{name}")
        assert fetched.content == gzip.decompress((folder / f"{name}.gz").read_bytes())
    assert len(parse_current_yaml(fetches["legislators-current.yaml"].content).records) == 537


def test_unbundled_file_is_a_not_found_error(http: HttpClient) -> None:
    # The full historical YAML is published upstream but not in our replay tree.
    with pytest.raises(NotFoundError, match=r"legislators-historical\.yaml"):
        http.get("legislators-historical.yaml")
