"""Which tests share an xdist worker, and in which order the groups are sent.

`make test` runs one worker per core. A session fixture that builds a whole home (the demo, the
NSE + news build) must be built once, so every test using it runs in one worker; every other
module is a group of its own, so a module fixture is never built twice. The longest groups go
first, or the run would end waiting on one of them.

xdist's own `loadgroup` marks tests by rewriting their node ids, which pytest 9 no longer allows,
so the scheduler below groups by the node id's path instead, and collection checks that every
test using a shared fixture sits in that fixture's group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController

# a path prefix → the group (named after the shared session fixture its tests use)
SHARED = {
    "tests/integration/pipeline/test_demo_": "demo_home",
    "tests/integration/global_markets/": "global_build",
}
LONGEST_FIRST = (
    "demo_home",
    "tests/integration/pipeline/test_dagster_deployment.py",
    "tests/integration/pipeline/test_faults_and_idempotence.py",
)


def group_of(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    return next((group for prefix, group in SHARED.items() if path.startswith(prefix)), path)


def order_and_check(items: list[pytest.Item]) -> None:
    """Longest groups first (a stable sort); refuse a shared fixture used outside its group."""
    for item in items:
        for fixture in set(SHARED.values()) & set(getattr(item, "fixturenames", ())):
            if group_of(item.nodeid) != fixture:
                raise pytest.UsageError(
                    f"{item.nodeid} uses {fixture}, so under xdist it would build it again in "
                    f"another worker: move it under a path tests/support/xdist_groups.py gives "
                    f"{fixture} (e.g. {next(p for p, g in SHARED.items() if g == fixture)}…)"
                )

    def rank(item: pytest.Item) -> int:
        group = group_of(item.nodeid)
        return LONGEST_FIRST.index(group) if group in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


class GroupScheduling(LoadScopeScheduling):
    """xdist's load-by-scope scheduler with our groups, sent in collection order."""

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False  # keep the longest-first collection order

    def add_node_collection(self, node: WorkerController, collection: Sequence[str]) -> None:
        # Schemathesis gives its 43 fuzzed operations one node id; the scheduler keys tests by
        # id, so without this it would run one of them and count the rest as done.
        seen: Counter[str] = Counter()
        unique = []
        for nodeid in collection:
            seen[nodeid] += 1
            unique.append(nodeid if seen[nodeid] == 1 else f"{nodeid}#{seen[nodeid]}")
        super().add_node_collection(node, unique)

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)
