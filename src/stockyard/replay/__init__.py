"""The local HTTP server that serves recorded responses (demo and tests), with faults on demand."""

from stockyard.replay.server import Fault, LoggedRequest, ReplayServer
from stockyard.replay.sample import SAMPLE_ROOT, replay_settings_env

__all__ = ["SAMPLE_ROOT", "Fault", "LoggedRequest", "ReplayServer", "replay_settings_env"]
