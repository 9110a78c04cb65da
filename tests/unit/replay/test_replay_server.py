import gzip
import json

import httpx
import pytest

from stockyard.replay import Fault, ReplayServer


def test_serves_files_routes_gzip_and_index(replay: ReplayServer) -> None:
    base = replay.base_url("testapi")
    assert httpx.get(f"{base}/ping.json").json() == {"hello": "world"}
    # Routes win when their subset match holds; otherwise the direct file answers.
    assert httpx.get(f"{base}/items", params={"page": "2"}).json() == {"items": [2]}
    assert httpx.get(f"{base}/items", params={"page": "1"}).json() == {"items": [1]}
    posted = httpx.post(f"{base}/search", data={"q": "pelosi", "x": "1"})
    assert posted.status_code == 201 and posted.json() == {"items": [2]}
    gz = httpx.get(f"{base}/dir.html")
    assert gz.headers["content-encoding"] == "gzip" and gz.text.strip() == "<h1>ok</h1>"
    assert httpx.get(f"{base}/view/").text.strip() == "<p>index</p>"
    missing = httpx.get(f"{base}/nope")
    assert missing.status_code == 404 and missing.json()["path"] == "/testapi/nope"
    assert replay.count("/testapi/*") == 7


def test_faults_are_consumed_in_order(replay: ReplayServer) -> None:
    url = f"{replay.base_url('testapi')}/ping.json"
    replay.inject(Fault("status", path="/testapi/ping.json", status=429, retry_after="3", times=2))
    first = httpx.get(url)
    assert first.status_code == 429 and first.headers["retry-after"] == "3"
    assert httpx.get(url).status_code == 429
    assert httpx.get(url).status_code == 200


def test_truncated_and_dropped_responses_break_the_client(replay: ReplayServer) -> None:
    url = f"{replay.base_url('testapi')}/ping.json"
    replay.inject(Fault("truncate", path="*/ping.json"))
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url)
    replay.inject(Fault("drop", path="*/ping.json"))
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url)


def test_faults_can_be_queued_from_another_process(replay: ReplayServer) -> None:
    control = f"{replay.url}/__replay__/faults"
    assert (
        httpx.post(control, data={"kind": "status", "status": "503", "path": "*"}).status_code
        == 204
    )
    assert httpx.get(f"{replay.base_url('testapi')}/ping.json").status_code == 503
    logged = httpx.get(f"{replay.url}/__replay__/requests").json()
    assert logged[-1]["status"] == 503


def test_path_traversal_is_refused(replay: ReplayServer) -> None:
    assert httpx.get(f"{replay.url}/testapi/../../conftest.py").status_code == 404


def test_gzip_fixture_bytes_are_real_gzip(tmp_path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.json.gz").write_bytes(gzip.compress(b'{"a": 1}'))
    with ReplayServer(tmp_path) as server:
        assert json.loads(httpx.get(f"{server.url}/p/a.json").content) == {"a": 1}
