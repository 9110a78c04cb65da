"""`dagster dev -m stockyard.pipeline` finds and loads the code location (checked with Dagster's own CLI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_dagster_validates_the_module(tmp_path: Path) -> None:
    dagster = Path(sys.executable).parent / "dagster"
    env = {
        **os.environ,
        "STOCKYARD_HOME": str(tmp_path / "home"),
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "DO_NOT_TRACK": "1",
    }
    (tmp_path / "dagster").mkdir()
    done = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "stockyard.pipeline"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation successful for code location stockyard.pipeline" in done.stdout + done.stderr
