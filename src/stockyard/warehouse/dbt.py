"""Running the dbt project in-process (dbt's ``dbtRunner``) against one warehouse file.

The pipeline runs the same project through dagster-dbt; both find it through ``DBT_PROJECT_DIR``.
dbt's target/ and logs/ go next to the warehouse, never into the repository, and dbt never
calls home (``DO_NOT_TRACK``; the project also sets ``send_anonymous_usage_stats: false``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from stockyard.config import MarketSettings

PROJECT_DIR_ENV: Final = "STOCKYARD_DBT_PROJECT_DIR"
WAREHOUSE_PATH_ENV: Final = "STOCKYARD_WAREHOUSE_PATH"
# Read by dbt_project.yml's `benchmark` and `prices_adjusted` vars (the Settings.market names).
BENCHMARK_ENV: Final = "STOCKYARD_MARKET__BENCHMARK"
PRICES_ADJUSTED_ENV: Final = "STOCKYARD_MARKET__PRICES_ADJUSTED"
_PROJECT_FILE: Final = "dbt_project.yml"


def _find_project_dir(start: Path) -> Path:
    """The nearest ``dbt/`` holding a dbt_project.yml above ``start`` (the repository's project)."""
    for folder in start.resolve().parents:
        candidate = folder / "dbt"
        if (candidate / _PROJECT_FILE).is_file():
            return candidate
    # Installed without the repository: only the environment override can locate the project.
    return start.resolve().parent / "dbt"


# The repository's dbt project; `project_dir()` applies the STOCKYARD_DBT_PROJECT_DIR override.
DBT_PROJECT_DIR: Final[Path] = _find_project_dir(Path(__file__))


def project_dir() -> Path:
    """The dbt project to run: STOCKYARD_DBT_PROJECT_DIR if set, else DBT_PROJECT_DIR."""
    override = os.environ.get(PROJECT_DIR_ENV)
    folder = Path(override).expanduser().resolve() if override else DBT_PROJECT_DIR
    if not (folder / _PROJECT_FILE).is_file():
        raise FileNotFoundError(
            f"no {_PROJECT_FILE} in {folder}; set {PROJECT_DIR_ENV} to the stockyard dbt project"
        )
    return folder


def artifacts_dir(warehouse_path: Path) -> Path:
    """Where dbt's target/ and logs/ live for a warehouse: beside the DuckDB file."""
    return warehouse_path.expanduser().resolve().parent / "dbt"


@dataclass(frozen=True, slots=True)
class NodeResult:
    unique_id: str
    status: str  # dbt's: success, error, skipped, pass, fail, warn
    message: str | None
    failures: int | None


@dataclass(frozen=True, slots=True)
class DbtResult:
    args: tuple[str, ...]
    success: bool
    target_path: Path
    log_path: Path
    nodes: list[NodeResult] = field(default_factory=list)
    exception: str | None = None

    @property
    def run_results_path(self) -> Path:
        return self.target_path / "run_results.json"


# dbtRunner reads process-wide state (environment, flags); two runs at once would mix them.
_RUN_LOCK = threading.Lock()


@contextmanager
def scoped_environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for a block only (dbt reads its profile from them)."""
    previous = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _node_results(result: object) -> list[NodeResult]:
    nodes: list[NodeResult] = []
    for item in getattr(result, "results", None) or []:
        node = getattr(item, "node", None)
        nodes.append(
            NodeResult(
                unique_id=str(getattr(node, "unique_id", "")),
                status=str(getattr(item, "status", "")),
                message=getattr(item, "message", None),
                failures=getattr(item, "failures", None),
            )
        )
    return nodes


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open (class-level) after an in-process run.

    Left open, it holds the file's write lock for the life of the process: no other process can
    open the warehouse, nor this one read-only. dbt-duckdb offers no public call that closes it.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if environment is not None:
            environment.close()


def market_variables(market: MarketSettings) -> dict[str, str]:
    """Settings.market as the environment dbt_project.yml reads its market vars from."""
    return {
        BENCHMARK_ENV: market.benchmark,
        PRICES_ADJUSTED_ENV: "true" if market.prices_adjusted else "false",
    }


def dbt_environment(
    warehouse_path: Path, *, market: MarketSettings | None = None
) -> dict[str, str]:
    """What dbt needs in its environment: the warehouse for the profile, and no phoning home.

    With ``market``, also the benchmark and price-adjustment settings (dbt vars ``benchmark``
    and ``prices_adjusted``); without it dbt reads whatever STOCKYARD_MARKET__* the process has.
    """
    environment = {
        WAREHOUSE_PATH_ENV: str(warehouse_path.expanduser().resolve()),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if market is not None:
        environment.update(market_variables(market))
    return environment


def run_dbt(
    args: Sequence[str],
    *,
    warehouse_path: Path,
    market: MarketSettings | None = None,
    target_path: Path | None = None,
) -> DbtResult:
    """Run ``dbt <args>`` on the project against ``warehouse_path`` (``market``: see
    `dbt_environment`), writing dbt's artifacts to ``target_path`` (default: the warehouse's
    `target/`).

    The caller must not hold a connection to that DuckDB file open meanwhile: dbt opens its own.
    """
    from dbt.cli.main import dbtRunner  # dbt's import is slow; only pay it when running dbt

    project = project_dir()
    artifacts = artifacts_dir(warehouse_path)
    target_path = target_path or artifacts / "target"
    log_path = artifacts / "logs"
    argv = [
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
    ]
    with _RUN_LOCK, scoped_environment(dbt_environment(warehouse_path, market=market)):
        # A stale run_results.json would be read as this run's outcome if dbt stopped early.
        (target_path / "run_results.json").unlink(missing_ok=True)
        try:
            outcome = dbtRunner().invoke(argv)
        finally:
            _release_duckdb()
    return DbtResult(
        args=tuple(args),
        success=bool(outcome.success),
        target_path=target_path,
        log_path=log_path,
        nodes=_node_results(outcome.result),
        exception=str(outcome.exception) if outcome.exception is not None else None,
    )
