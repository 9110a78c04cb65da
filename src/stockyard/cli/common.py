"""What every command shares: the --home option and the settings it loads (with logging set
up). A module of its own so that the command modules and app.py need not import each other."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from stockyard.config import Settings

__all__ = ["HomeOption", "load_settings"]

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="Stockyard home (default: STOCKYARD_HOME or .stockyard)"),
]


def load_settings(home: Path | None, **overrides: Any) -> Settings:
    if home is not None:
        overrides["home"] = home
    settings = Settings(**overrides)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from stockyard.cli.logging import configure_logging

    configure_logging(settings.log_dir, settings.log_level, settings.log_json)
    return settings
