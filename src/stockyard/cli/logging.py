"""Structured logs: readable on the console, JSON lines in STOCKYARD_HOME/logs/stockyard.jsonl."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import structlog


def configure_logging(log_dir: Path, level: str = "INFO", json_console: bool = False) -> None:
    log_dir.mkdir(parents=True, exist_ok=True)
    file_handler = logging.FileHandler(log_dir / "stockyard.jsonl", encoding="utf-8")
    file_handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(processor=structlog.processors.JSONRenderer())
    )
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=structlog.processors.JSONRenderer()
            if json_console
            else structlog.dev.ConsoleRenderer(colors=False)
        )
    )
    console.setLevel(logging.WARNING)
    root = logging.getLogger("stockyard")
    root.handlers[:] = [file_handler, console]
    root.setLevel(level)
    root.propagate = False
    structlog.configure(
        processors=[
            structlog.stdlib.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
