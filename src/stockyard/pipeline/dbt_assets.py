"""dbt models as Dagster assets (dagster-dbt), and the publish step of write-audit-publish.

`dbt build` materialises the marts into the `audit` schema and runs every data test there (the
tests appear in Dagster as asset checks). Only when the build and all its tests pass does
`published_marts` copy the audited tables into `marts`; otherwise `marts` stays as it was and the
run fails with the failing tests and rows.
"""

import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from stockyard.config import Settings
from stockyard.pipeline.runtime import Runtime
from stockyard.warehouse import wap
from stockyard.warehouse.dbt import (
    artifacts_dir,
    dbt_environment,
    project_dir,
    run_dbt,
    scoped_environment,
)

UPSTREAM = dg.AssetKey("member_resolutions")


def _project_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if (
            path.is_file()
            and path.suffix in {".sql", ".yml", ".yaml", ".md"}
            and "target" not in path.parts
        ):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_manifest(settings: Settings) -> Path:
    """dbt's manifest.json for this project, parsed only when the project changed.

    Every process that loads the definitions asks for it at once in a deployment (the
    webserver's and the daemon's code servers, each run and step worker) while a run's
    `dbt build` rewrites `target/`. So the manifest is parsed into a scratch folder and moved
    into place under the project's fingerprint: a reader sees a whole file or none, never one
    half written by another process."""
    warehouse_path = settings.resolved_warehouse_path
    parsed = artifacts_dir(warehouse_path) / "parsed"
    manifest = parsed / f"manifest-{_project_fingerprint(project_dir())[:16]}.json"
    if manifest.exists():
        return manifest
    parsed.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parsed, prefix=".parse-") as scratch:
        result = run_dbt(["parse"], warehouse_path=warehouse_path, target_path=Path(scratch))
        written = Path(scratch) / "manifest.json"
        if not result.success or not written.exists():
            raise RuntimeError(
                f"dbt parse failed: {result.exception or 'see ' + str(result.log_path)}"
            )
        os.replace(written, manifest)
    for stale in parsed.glob("manifest-*.json"):
        if stale != manifest:
            stale.unlink(missing_ok=True)
    return manifest


class StockyardTranslator(DagsterDbtTranslator):
    """dbt's `raw.member_resolutions` source is our `member_resolutions` asset.

    That edge makes dbt wait for member matching; the other raw tables keep dbt's default keys
    (`raw/<table>`), declared in `RAW_TABLE_SPECS` with the ingest assets that write them.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if (
            dbt_resource_props["resource_type"] == "source"
            and dbt_resource_props["name"] == "member_resolutions"
        ):
            return UPSTREAM
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "warehouse"


def build_dbt_definitions(settings: Settings) -> tuple[dg.AssetsDefinition, dg.AssetsDefinition]:
    manifest = prepare_manifest(settings)
    warehouse_path = settings.resolved_warehouse_path
    target = artifacts_dir(warehouse_path) / "target"

    @dbt_assets(manifest=manifest, dagster_dbt_translator=StockyardTranslator(), name="dbt_models")
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
        # The dbt subprocess inherits the environment; scoped so a later run in this process
        # (another STOCKYARD_HOME) does not read this warehouse path.
        with scoped_environment(dbt_environment(warehouse_path, market=settings.market)):
            invocation = dbt.cli(
                ["build"], context=context, target_path=target, raise_on_error=False
            )
            yield from invocation.stream()
        audit = wap.record_audit(
            warehouse_path, target_path=target, dbt_success=invocation.is_successful()
        )
        if not audit.passed:
            raise dg.Failure(
                description=f"audit {audit.run_id} failed: marts left exactly as they were",
                metadata={"failures": "\n".join(f.describe() for f in audit.failures)},
            )

    # Every model dbt builds into the audit schema is a mart `publish` copies (keys `audit/<model>`).
    mart_keys = [key for key in dbt_models.keys if key.path[0] == "audit"]

    @dg.asset(
        group_name="warehouse",
        deps=mart_keys,
        required_resource_keys={"runtime"},
        kinds={"duckdb"},
    )
    def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        """The audited marts, copied into `marts` in one transaction."""
        rt: Runtime = context.resources.runtime
        with rt.warehouse() as con:
            result = wap.publish(con, serving_url=rt.settings.serving_url)
        return dg.MaterializeResult(
            metadata={
                "audit_run": result.run_id,
                **{f"rows:{t}": n for t, n in result.tables.items()},
            }
        )

    return dbt_models, published_marts


def dbt_resource() -> DbtCliResource:
    folder = project_dir()
    # The dbt beside this interpreter: a venv's bin/ is often not on PATH (`.venv/bin/stockyard`).
    beside = Path(sys.executable).parent / "dbt"
    executable = str(beside) if beside.exists() else "dbt"
    return DbtCliResource(
        project_dir=str(folder), profiles_dir=str(folder), dbt_executable=executable
    )
