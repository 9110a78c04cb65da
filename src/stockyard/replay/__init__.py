"""The local HTTP server that serves recorded responses (demo and tests), with faults on demand."""

from stockyard.replay.sample import SAMPLE_ROOT, demo_source_overrides
from stockyard.replay.server import Fault, LoggedRequest, ReplayServer

__all__ = ["SAMPLE_ROOT", "Fault", "LoggedRequest", "ReplayServer", "demo_source_overrides"]
