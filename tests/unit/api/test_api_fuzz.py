"""Schemathesis fuzzes every documented operation of the JSON API in-process (ASGI): whatever
the query, path or header, no answer is a 5xx.

Bounded to stay under a minute on two cores: the fuzzing phase only, a few examples per
operation in both modes (inputs that fit the schema, and inputs that break it, which is where a
500 hides), derandomized so each run sends the same requests. The app reads the seeded
warehouse, so filters hit real SQL. (The coverage phase, every boundary of every parameter,
found nothing more and takes minutes: run it by hand with `schemathesis run` when changing params.)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from stockyard.api import create_app
from stockyard.config import Settings

from .conftest import build_published_warehouse


def _schema() -> schemathesis.schemas.BaseSchema:
    # Module level (schemathesis parametrizes at collection), so no tmp_path fixture here.
    folder = Path(tempfile.mkdtemp(prefix="stockyard-fuzz-"))
    warehouse = build_published_warehouse(folder / "warehouse.duckdb")
    loaded = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(Settings(home=folder, warehouse_path=warehouse))
    )
    loaded.config.phases.update(phases=["fuzzing"])
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], no_shrink=True
    )
    return loaded


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_operation_answers_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
