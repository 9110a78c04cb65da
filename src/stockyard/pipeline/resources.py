"""Dagster resources. The runtime carries settings, landing zone, HTTP clients and the warehouse.

There is one implementation: "offline" only means the sources' base URLs point at a replay server
(see `stockyard.replay`), so the demo, the tests and production run the same code.
"""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg

from stockyard.config import Settings
from stockyard.pipeline.runtime import Runtime


def runtime_resource(settings: Settings | None = None) -> dg.ResourceDefinition:
    """In-process runs pass their own Settings; `dagster dev` reads the environment."""

    @dg.resource
    def runtime(_: dg.InitResourceContext) -> Iterator[Runtime]:
        rt = Runtime(settings or Settings())
        try:
            yield rt
        finally:
            rt.close()

    return runtime
