"""The Dagster code location loads, and its sensor only asks for runs when a source has news."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from stockyard.config import Settings
from stockyard.pipeline.definitions import HOUSE_JOB, SENATE_JOB, TRANSFORM_JOB, build_definitions
from stockyard.replay import SAMPLE_ROOT, Fault, ReplayServer, demo_source_overrides


@pytest.fixture(scope="module")
def defs(tmp_path_factory: pytest.TempPathFactory) -> dg.Definitions:
    return build_definitions(Settings(home=tmp_path_factory.mktemp("defs-home")))


def test_definitions_load_with_every_source_and_the_dbt_models(defs: dg.Definitions) -> None:
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    for asset in (
        "legislators_snapshot",
        "house_fd_index",
        "house_ptr_documents",
        "senate_ptr_documents",
        "benzinga_trades",
        "member_resolutions",
        "audit/fct_trades",
        "audit/dim_members",
        "published_marts",
        "alert_deliveries",
    ):
        assert asset in keys, asset
    assert {j.name for j in defs.resolve_all_job_defs()} >= {HOUSE_JOB, SENATE_JOB, TRANSFORM_JOB}
    assert defs.resolve_sensor_def("new_disclosures") is not None
    graph = defs.resolve_asset_graph()
    # WAP: publishing waits on the audited marts, and dbt waits on member matching.
    published = graph.get(dg.AssetKey("published_marts"))
    assert dg.AssetKey(["audit", "fct_trades"]) in published.parent_keys
    # Alerts go out from what was published, never before the publish.
    assert graph.get(dg.AssetKey("alert_deliveries")).parent_keys == {published.key}
    upstream = graph.get_ancestor_asset_keys(dg.AssetKey(["audit", "fct_trades"]))
    assert dg.AssetKey("member_resolutions") in upstream


def _evaluate(
    replay: ReplayServer,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    cursor: str | None,
    today: str = "2022-12-31",
):
    # The sensor reads Settings from the environment, as it does under the daemon.
    for source, values in demo_source_overrides(replay.url).items():
        if isinstance(values, dict) and "base_url" in values:
            monkeypatch.setenv(f"STOCKYARD_{source.upper()}__BASE_URL", values["base_url"])
            monkeypatch.setenv(f"STOCKYARD_{source.upper()}__MAX_RETRIES", "1")
            monkeypatch.setenv(f"STOCKYARD_{source.upper()}__MAX_BACKOFF_SECONDS", "0.1")
    monkeypatch.setenv("STOCKYARD_HOME", str(home))
    # The bundled sample is a recorded past: the sensor follows it from its last week.
    monkeypatch.setenv("STOCKYARD_SENSOR__TODAY", today)
    defs = build_definitions(Settings(home=home))
    sensor = defs.resolve_sensor_def("new_disclosures")
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
        return sensor(context)


def test_sensor_skips_when_a_source_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ReplayServer(SAMPLE_ROOT) as replay:
        replay.inject(Fault("status", path="/house_clerk/*", status=503, times=100))
        result = _evaluate(replay, tmp_path, monkeypatch, None)
    assert isinstance(result, dg.SkipReason)
    assert "not answering" in (result.skip_message or "")


def test_sensor_interval_is_a_setting(tmp_path: Path) -> None:
    defs = build_definitions(Settings(home=tmp_path, sensor={"interval_seconds": 45}))
    assert defs.resolve_sensor_def("new_disclosures").minimum_interval_seconds == 45


def test_sensor_asks_only_for_what_is_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ReplayServer(SAMPLE_ROOT) as replay:
        first = _evaluate(replay, tmp_path, monkeypatch, None)
        assert isinstance(first, dg.SensorResult)
        runs = {r.job_name: r for r in first.run_requests or []}
        assert sorted(runs) == sorted([HOUSE_JOB, SENATE_JOB, TRANSFORM_JOB])
        assert runs[HOUSE_JOB].partition_key == "2022"
        cursor = json.loads(first.cursor or "{}")
        assert cursor["house_index"].startswith("2022:")
        # The sample's last Senate reports of 2022 were filed on the 28th–30th (the listing).
        filed = sorted(set(cursor["senate_reports"].values()))
        assert filed and filed[0] >= "2022-12-24" and filed[-1] <= "2022-12-31"
        senate_tags = runs[SENATE_JOB].tags
        assert senate_tags["dagster/asset_partition_range_start"] == filed[0]
        assert senate_tags["dagster/asset_partition_range_end"] == filed[-1]

        again = _evaluate(replay, tmp_path, monkeypatch, first.cursor)
        assert isinstance(again, dg.SkipReason)

        # A look repeated from the same cursor (a daemon killed before it saved the new one)
        # asks for the same run keys, so Dagster starts nothing twice.
        repeat = _evaluate(replay, tmp_path, monkeypatch, None)
        assert isinstance(repeat, dg.SensorResult)
        assert [r.run_key for r in repeat.run_requests or []] == [
            r.run_key for r in first.run_requests or []
        ]

        # One report the last look had not seen: only the Senate (its day) and the transform.
        seen = dict(cursor["senate_reports"])
        newest = max(seen, key=lambda rid: seen[rid])
        del seen[newest]
        older = json.dumps({"house_index": cursor["house_index"], "senate_reports": seen})
        later = _evaluate(replay, tmp_path, monkeypatch, older)
    assert isinstance(later, dg.SensorResult)
    runs = {r.job_name: r for r in later.run_requests or []}
    assert sorted(runs) == sorted([SENATE_JOB, TRANSFORM_JOB])
    day = cursor["senate_reports"][newest]
    assert runs[SENATE_JOB].tags["dagster/asset_partition_range_start"] == day
    assert runs[SENATE_JOB].tags["dagster/asset_partition_range_end"] == day
