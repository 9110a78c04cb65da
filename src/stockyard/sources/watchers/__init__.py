"""Community aggregates of congressional trades: House Stock Watcher and Senate Stock Watcher.

They are second sources: handy for cross-checks and backfills, never the record of truth.
"""

from stockyard.sources.watchers.client import HouseWatcherClient, SenateWatcherClient
from stockyard.sources.watchers.house import parse_house_watcher
from stockyard.sources.watchers.records import WatcherFormatError, WatcherParse
from stockyard.sources.watchers.senate import parse_senate_watcher

__all__ = [
    "HouseWatcherClient",
    "SenateWatcherClient",
    "WatcherFormatError",
    "WatcherParse",
    "parse_house_watcher",
    "parse_senate_watcher",
]
