"""The Dagster market assets: one daily partition through the replay, and no key → no calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from stockyard.config import Settings
from stockyard.pipeline.market_assets import polygon_daily_bars, polygon_tickers
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import SAMPLE_ROOT, ReplayServer
from support.market import market_runtime

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    with ReplayServer(SAMPLE_ROOT) as server:
        yield server


def _materialize(
    asset: dg.AssetsDefinition,
    runtime: Runtime,
    partition: str | None = None,
    instance: dg.DagsterInstance | None = None,
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [asset],
        partition_key=partition,
        resources={"runtime": dg.ResourceDefinition.hardcoded_resource(runtime)},
        instance=instance or dg.DagsterInstance.ephemeral(),
    )


def _metadata(result: dg.ExecuteInProcessResult) -> dict[str, object]:
    (event,) = result.get_asset_materialization_events()
    materialization = event.step_materialization_data.materialization
    return {k: v.value for k, v in materialization.metadata.items()}


def test_one_daily_partition_costs_one_call(replay: ReplayServer, tmp_path: Path) -> None:
    runtime = market_runtime(replay, tmp_path / "home")
    try:
        result = _materialize(polygon_daily_bars, runtime, "2022-06-17")
    finally:
        runtime.close()
    assert result.success
    meta = _metadata(result)
    assert (meta["planned_calls"], meta["grouped_calls"], meta["fetched"], meta["errors"]) == (
        1,
        1,
        1,
        0,
    )
    assert replay.count("/polygon/v2/aggs/grouped/*") == 1
    con = duckdb.connect(str(tmp_path / "home" / "warehouse.duckdb"), read_only=True)
    try:
        (bars,) = con.execute("SELECT count(*) FROM raw.daily_bars").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    assert bars == meta["loaded_documents"] and bars > 490


def test_without_a_key_the_assets_say_how_to_set_one(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    runtime = Runtime(Settings(home=tmp_path / "home"))  # the real Polygon URL, no key
    try:
        for asset, partition in ((polygon_daily_bars, "2022-06-17"), (polygon_tickers, None)):
            result = _materialize(asset, runtime, partition)
            meta = _metadata(result)
            # No call was tried: this sandbox has no network, so any request would be an error.
            assert result.success and (meta["fetched"], meta["errors"]) == (0, 0)
    finally:
        runtime.close()
    # Dagster's console log (the run's log in `dagster dev`) tells the user what to set.
    assert capfd.readouterr().err.count("Set STOCKYARD_POLYGON__API_KEY") == 2
