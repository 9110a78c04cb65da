"""From a new PTR on the House Clerk's index to the webhook of someone who follows its member.

A deployed Stockyard, as the deployment test runs it: PostgreSQL 15 (Debian's, started here),
the replay server, `stockyard dagster up` (daemon + webserver) with the `new_disclosures`
sensor looking every 30 s, and a webhook receiver on 127.0.0.1.

1. Warm-up (not measured): the snapshots job (members, tickers, macro), then the sensor's first
   look fetches the 2022 index and the Senate's last week, and publishes. Then a webhook follow of Mikie Sherrill (S001207) is added.
2. At t = 0 the replay server starts listing one more 2022 PTR of hers (a new DocID in the
   2022FD.zip index, its PDF a copy of her real 2022 PTR 20020589: a listing made up for the
   benchmark, its content real).
3. Measured: when the sensor queued the House run, when that run and the transform (dbt build,
   audit, publish, alert deliveries) started and ended, and when the webhook received the trades.
   Each stage is printed with its seconds and its share of the whole. Target: ≤ 90 s to the
   webhook. With a 30 s interval the sensor alone accounts for 0-30 s of it (and the daemon's
   own tick loop a few more), which is the floor any run pays.

Run: `python benchmarks/bench_alert_latency.py` (about 5 minutes, most of it the warm-up).
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the deployment helpers the tests use

from local_server import wide_console  # noqa: E402
from rich.table import Table  # noqa: E402

from stockyard.replay import SAMPLE_ROOT, ReplayServer  # noqa: E402
from support.dagster_deployment import (  # noqa: E402
    UNFINISHED,
    add_follow,
    dagster_up,
    deployment_env,
    graphql,
    launch,
    start_sensor,
    wait_until,
)
from support.receiver import receiving  # noqa: E402
from support.servers import PostgresServer  # noqa: E402

TARGET_SECONDS = 90.0
NEW_DOC = "20099901"
HER_PTR = "20020589"
INDEX = Path("house_clerk/public_disc/financial-pdfs/2022FD.zip")
PDFS = Path("house_clerk/public_disc/ptr-pdfs/2022")
RUN_TIMES = """{ runsOrError { ... on Runs { results {
  runId jobName status creationTime startTime endTime tags { key value } } } } }"""
NEW_MEMBER = f"""  <Member>
    <Prefix>Hon.</Prefix>
    <Last>Sherrill</Last>
    <First>Mikie</First>
    <Suffix />
    <FilingType>P</FilingType>
    <StateDst>NJ11</StateDst>
    <Year>2022</Year>
    <FilingDate>12/30/2022</FilingDate>
    <DocID>{NEW_DOC}</DocID>
  </Member>
"""


def list_new_ptr(overlay: Path) -> None:
    """Write the index with one more PTR, and its PDF, where the replay server looks first."""
    with zipfile.ZipFile(SAMPLE_ROOT / INDEX) as source:
        xml = source.read("2022FD.xml").decode("utf-8")
    closing = xml.rindex("</FinancialDisclosure>")
    grown = xml[:closing] + NEW_MEMBER + xml[closing:]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("2022FD.xml", grown)
    (overlay / PDFS).mkdir(parents=True, exist_ok=True)
    (overlay / PDFS / f"{NEW_DOC}.pdf").write_bytes(
        (SAMPLE_ROOT / PDFS / f"{HER_PTR}.pdf").read_bytes()
    )
    (overlay / INDEX).parent.mkdir(parents=True, exist_ok=True)
    partial = overlay / INDEX.with_suffix(".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(overlay / INDEX)  # listed at once, never half-written


def _runs(http: Any) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = graphql(http, RUN_TIMES)["runsOrError"]["results"]
    for run in results:
        run["tags"] = {t["key"]: t["value"] for t in run["tags"]}
    return results


def _settled(http: Any) -> bool:
    found = _runs(http)
    return (
        bool(found)
        and all(r["status"] not in UNFINISHED for r in found)
        and any(r["jobName"] == "transform_job" and r["status"] == "SUCCESS" for r in found)
    )


def main() -> None:
    console = wide_console()
    scratch = Path(tempfile.mkdtemp(prefix="stockyard-bench-latency-"))
    home, overlay = scratch / "home", scratch / "overlay"
    overlay.mkdir()
    with (
        PostgresServer("dagster") as pg,
        ReplayServer([SAMPLE_ROOT, overlay]) as replay,
        receiving() as receiver,
    ):
        env = deployment_env(pg, replay)
        with dagster_up(home, env) as deployed:
            console.print("Warm-up: the snapshots, the sensor's first look and its publish…")
            launch(deployed.http, "snapshots_job")
            start_sensor(deployed.http)
            wait_until(lambda: _settled(deployed.http), "warmed up", 600, deployed.http)
            add_follow(home, env, "--member", "S001207", "--webhook", receiver.url)
            before = {r["runId"] for r in _runs(deployed.http)}
            console.print("t = 0: the replay server lists a new PTR…")
            listed = time.time()
            list_new_ptr(overlay)
            receiver.arrived.wait(600)
            received = time.time()
            wait_until(lambda: _settled(deployed.http), "settled", 120, deployed.http)
            new_runs = [r for r in _runs(deployed.http) if r["runId"] not in before]
    if not receiver.received:
        raise SystemExit("the webhook never received the new PTR's trades")
    events = json.loads(receiver.received[0].body)["events"]
    filings = {e["trade"]["filing_id"] for e in events}
    house = next(r for r in new_runs if r["jobName"] == "house_job")
    transform = next(r for r in new_runs if r["jobName"] == "transform_job")
    stages = [
        ("the sensor queues the House run", house["creationTime"]),
        ("the House run starts", house["startTime"]),
        ("the House run ends (index + the new PDF landed, parsed, loaded)", house["endTime"]),
        ("the transform starts", transform["startTime"]),
        ("the transform ends (dbt build, audit, publish, alert deliveries)", transform["endTime"]),
        ("the webhook has the trades", received),
    ]
    table = Table(title=f"New PTR → webhook ({len(events)} trades of {', '.join(sorted(filings))})")
    for column in ("stage", "at s", "stage s", "share"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    total = received - listed
    previous = listed
    # In time order: the webhook usually has the trades before the transform's run has ended.
    for name, at in sorted(stages, key=lambda stage: stage[1]):
        table.add_row(
            name, f"{at - listed:.1f}", f"{at - previous:.1f}", f"{(at - previous) / total:.0%}"
        )
        previous = at
    console.print(table)
    verdict = "met" if total <= TARGET_SECONDS else "MISSED"
    console.print(
        f"Listing to webhook: {total:.1f} s (target ≤ {TARGET_SECONDS:.0f} s: {verdict})."
    )
    other = [r["jobName"] for r in new_runs if r["jobName"] not in ("house_job", "transform_job")]
    if other:
        console.print(f"Also queued by the sensor meanwhile: {', '.join(other)}")


if __name__ == "__main__":
    main()
