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
    ):
        assert asset in keys, asset
    assert {j.name for j in defs.resolve_all_job_defs()} >= {HOUSE_JOB, SENATE_JOB, TRANSFORM_JOB}
    assert defs.resolve_sensor_def("new_disclosures") is not None
    graph = defs.resolve_asset_graph()
    # WAP: publishing waits on the audited marts, and dbt waits on member matching.
    published = graph.get(dg.AssetKey("published_marts"))
    assert dg.AssetKey(["audit", "fct_trades"]) in published.parent_keys
    upstream = graph.get_ancestor_asset_keys(dg.AssetKey(["audit", "fct_trades"]))
    assert dg.AssetKey("member_resolutions") in upstream


def _evaluate(
    replay: ReplayServer, home: Path, monkeypatch: pytest.MonkeyPatch, cursor: str | None
):
    # The sensor reads Settings from the environment, as it does under `dagster dev`.
    for source, values in demo_source_overrides(replay.url).items():
        if isinstance(values, dict) and "base_url" in values:
            monkeypatch.setenv(f"STOCKYARD_{source.upper()}__BASE_URL", values["base_url"])
            monkeypatch.setenv(f"STOCKYARD_{source.upper()}__MAX_RETRIES", "1")
            monkeypatch.setenv(f"STOCKYARD_{source.upper()}__MAX_BACKOFF_SECONDS", "0.1")
    monkeypatch.setenv("STOCKYARD_HOME", str(home))
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


def test_sensor_requests_runs_only_for_news(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bundled sample has no index for the current year: serve one (the 2025 zip) there.
    import datetime as dt

    overlay = tmp_path / "overlay" / "house_clerk" / "public_disc" / "financial-pdfs"
    overlay.mkdir(parents=True)
    year = dt.datetime.now(dt.UTC).year
    real = SAMPLE_ROOT / "house_clerk" / "public_disc" / "financial-pdfs" / "2025FD.zip"
    (overlay / f"{year}FD.zip").write_bytes(real.read_bytes())
    with ReplayServer([SAMPLE_ROOT, tmp_path / "overlay"]) as replay:
        first = _evaluate(replay, tmp_path, monkeypatch, None)
        assert isinstance(first, dg.SensorResult)
        jobs = sorted(r.job_name for r in first.run_requests or [])
        assert jobs == sorted([HOUSE_JOB, SENATE_JOB, TRANSFORM_JOB])
        again = _evaluate(replay, tmp_path, monkeypatch, first.cursor)
        assert isinstance(again, dg.SkipReason)
        assert json.loads(first.cursor or "{}")["house_index"].startswith(f"{year}:")
