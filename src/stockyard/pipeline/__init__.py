"""Orchestration: the only package that imports Dagster.

`dagster dev -m stockyard.pipeline` finds `defs` below (built when Dagster loads it).
"""

from __future__ import annotations

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    from stockyard.pipeline.definitions import build_definitions

    return build_definitions()
