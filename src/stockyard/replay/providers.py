"""Which providers render answers from bundled data, found in the replay server's roots."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from stockyard.replay.minute_render import minute_routes
from stockyard.replay.polygon_render import polygon_routes
from stockyard.replay.render import RenderedRoute

# provider folder name → routes built from that folder (empty when its data file is absent).
ROUTE_FACTORIES: dict[str, Callable[[Path], list[RenderedRoute]]] = {
    "polygon": polygon_routes,
}


def discover_routes(roots: Iterable[Path]) -> list[RenderedRoute]:
    """Rendered routes of every root, later roots first (they shadow, as for files)."""
    routes: list[RenderedRoute] = []
    for root in reversed(list(roots)):
        for provider, factory in ROUTE_FACTORIES.items():
            folder = root / provider
            if folder.is_dir():
                routes += factory(folder)
        if (root / "minute_bars").is_dir():  # Polygon's minute aggregates, from the minute CSVs
            routes += minute_routes(root / "minute_bars")
    return routes
