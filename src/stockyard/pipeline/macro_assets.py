"""Macro data assets: one per Treasury Fiscal Data dataset, incremental by record_date.

Unpartitioned on purpose: the watermark (newest record_date loaded) decides each run's window, so
a daily run fetches a week or so, and a fresh warehouse backfills from HISTORY_START in one go.
"""

from datetime import UTC, datetime

import dagster as dg

from stockyard.pipeline.ingest import treasury
from stockyard.pipeline.runtime import Runtime
from stockyard.sources.treasury import DATASETS, TreasuryDataset


def _treasury_asset(ds: TreasuryDataset) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"treasury_{ds.name}",
        group_name="sources",
        required_resource_keys={"runtime"},
        kinds={"python", "duckdb"},
        description=f"{ds.description}; incremental by record_date (raw.{ds.raw_table}).",
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        rt: Runtime = context.resources.runtime
        run = treasury.run_dataset(rt, ds, today=datetime.now(UTC).date())
        for error in run.report.errors[:20]:
            context.log.warning(error)
        return dg.MaterializeResult(
            metadata={
                **run.report.metadata(),
                "window": run.window.key,
                "watermark": run.watermark.isoformat() if run.watermark else "",
            }
        )

    return _asset


TREASURY_ASSETS = [_treasury_asset(ds) for ds in DATASETS]

# The raw tables these assets write, so the lineage shows who feeds the treasury dbt sources.
MACRO_RAW_TABLE_SPECS = [
    dg.AssetSpec(
        dg.AssetKey(["raw", ds.raw_table]),
        deps=[asset],
        group_name="raw",
        kinds={"duckdb"},
        description=f"raw.{ds.raw_table}, written by treasury_{ds.name}",
    )
    for ds, asset in zip(DATASETS, TREASURY_ASSETS, strict=True)
]
