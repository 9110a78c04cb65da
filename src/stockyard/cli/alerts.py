"""`stockyard alerts`: follow members, tickers, committees or states, and manage deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from stockyard.cli.common import HomeOption, load_settings

if TYPE_CHECKING:
    import duckdb

    from stockyard.config import Settings

__all__ = ["alerts_app"]

alerts_app = typer.Typer(
    help="Follow members, tickers, committees or states: webhooks and email on each publish.",
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True)


@contextmanager
def _served(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """The published data follows are checked against and deliveries are planned from (the
    current serving snapshot), or None before the first publish."""
    from stockyard.warehouse import serving
    from stockyard.warehouse.queries import WarehouseNotReady, open_readonly

    try:
        con = open_readonly(serving.served_path(settings.resolved_warehouse_path))
    except WarehouseNotReady:
        yield None
        return
    try:
        yield con
    finally:
        con.close()


@alerts_app.command("add")
def alerts_add(
    webhook: Annotated[str | None, typer.Option(help="POST each publish's news here")] = None,
    email: Annotated[str | None, typer.Option(help="Mail a digest to this address")] = None,
    digest: Annotated[
        str, typer.Option(help="email: 'publish' (a mail per publish) or 'daily'")
    ] = "publish",
    name: Annotated[str, typer.Option(help="A name to know it by")] = "",
    member: Annotated[str | None, typer.Option(help="Bioguide id or part of a name")] = None,
    state: Annotated[str | None, typer.Option(help="Two-letter state, e.g. CA")] = None,
    party: Annotated[str | None, typer.Option(help="D, R, I or L")] = None,
    chamber: Annotated[str | None, typer.Option(help="house or senate")] = None,
    committee: Annotated[str | None, typer.Option(help="Committee id, e.g. SSFI")] = None,
    ticker: Annotated[str | None, typer.Option(help="Exact ticker, e.g. NVDA")] = None,
    tx_type: Annotated[str | None, typer.Option(help="P, S, 'S (partial)' or E")] = None,
    owner: Annotated[str | None, typer.Option(help="self, SP, JT or DC")] = None,
    oversight: Annotated[
        bool, typer.Option(help="Only trades in industries the member's committees oversee")
    ] = False,
    min_amount: Annotated[
        int | None, typer.Option(help="Only trades whose band starts at this many dollars")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Follow the trades matching a filter (the /api/trades filters)."""
    from stockyard.alerts.follows import FollowError
    from stockyard.alerts.service import add_follow, store_for
    from stockyard.api.params import follow_filter

    if (webhook is None) == (email is None):
        err.print("[red]Give exactly one of --webhook URL or --email ADDRESS.[/]")
        raise typer.Exit(2)
    settings = load_settings(home)
    try:
        wanted = follow_filter(
            {
                "member": member,
                "state": state,
                "party": party,
                "chamber": chamber,
                "committee": committee,
                "ticker": ticker,
                "tx_type": tx_type,
                "owner": owner,
                "oversight": oversight,
            },
            min_amount,
        )
        with _served(settings) as con:
            follow = add_follow(
                store_for(settings),
                con,
                name=name,
                channel="webhook" if webhook else "email",
                target=webhook or email or "",
                wanted=wanted,
                digest=digest,
            )
    except (FollowError, ValueError) as exc:
        err.print(f"[red]Not added:[/] {exc}")
        raise typer.Exit(2) from exc
    out.print(
        f"Following [bold]{follow.filter.describe()}[/] as {follow.follow_id} → {follow.target}"
    )
    if follow.secret:
        out.print(
            f"Webhook secret (shown once; verify X-Stockyard-Signature with it): {follow.secret}"
        )


@alerts_app.command("list")
def alerts_list(
    dead: Annotated[bool, typer.Option(help="Show the dead-letter list instead")] = False,
    home: HomeOption = None,
) -> None:
    """The follows, or the deliveries that could not be made (--dead)."""
    from stockyard.alerts.service import store_for

    store = store_for(load_settings(home))
    if dead:
        table = Table(title="Dead-letter deliveries (resend with `stockyard alerts resend ID`)")
        table.add_column("delivery", no_wrap=True, min_width=32)
        for column in ("follow", "publish", "trades", "tries", "why"):
            table.add_column(column, overflow="fold")
        for d in store.deliveries("dead"):
            table.add_row(
                d.delivery_id,
                d.follow_id,
                d.publish_id,
                str(d.events),
                str(d.attempts),
                (d.last_error or "")[:120],
            )
        out.print(table)
        return
    table = Table(title="Follows")
    table.add_column("id", no_wrap=True, min_width=14)  # whole: it is what the commands take
    table.add_column("name")
    table.add_column("filter", min_width=16)
    for column in ("channel", "to", "since"):
        table.add_column(column, overflow="fold")
    for f in store.follows():
        table.add_row(
            f.follow_id,
            f.name,
            f.filter.describe(),
            f.channel if f.channel == "webhook" else f"email ({f.digest})",
            f.target,
            f.created_at.date().isoformat(),
        )
    out.print(table)


@alerts_app.command("remove")
def alerts_remove(
    follow_id: Annotated[str, typer.Argument(help="The follow's id (see `alerts list`)")],
    home: HomeOption = None,
) -> None:
    """Stop a follow. What it was already owed is still delivered."""
    from stockyard.alerts.service import store_for

    if not store_for(load_settings(home)).remove_follow(follow_id):
        err.print(f"[red]No follow {follow_id}.[/] See `stockyard alerts list`.")
        raise typer.Exit(1)
    out.print(f"Removed {follow_id}.")


@alerts_app.command("test")
def alerts_test(
    follow_id: Annotated[str, typer.Argument(help="The follow's id (see `alerts list`)")],
    home: HomeOption = None,
) -> None:
    """Send a follow a delivery with no trades now, to check its receiver gets it."""
    from stockyard.alerts.service import store_for, test_delivery

    settings = load_settings(home)
    store = store_for(settings)
    follow = store.follow(follow_id)
    if follow is None:
        err.print(f"[red]No follow {follow_id}.[/] See `stockyard alerts list`.")
        raise typer.Exit(1)
    report = test_delivery(store, follow, settings)
    if report.dead:
        err.print(f"[red]Not delivered:[/] {next(iter(report.failures.values()))}")
        raise typer.Exit(1)
    out.print(f"Delivered a test to {follow.target}.")


@alerts_app.command("deliver")
def alerts_deliver(home: HomeOption = None) -> None:
    """Plan what new publishes owe the follows and send everything due (the pipeline does this
    after each publish; run it to catch up by hand)."""
    from stockyard.alerts.service import run_alerts, store_for

    settings = load_settings(home)
    with _served(settings) as con:
        if con is None:
            err.print("[red]Nothing published yet.[/] Next: `stockyard demo --no-serve`.")
            raise typer.Exit(1)
        done = run_alerts(store_for(settings), con, settings)
    out.print(
        f"Planned {done.plan.deliveries} deliveries ({done.plan.events} trades) from "
        f"{len(done.plan.publishes)} new publishes; delivered {done.report.delivered}, "
        f"dead-lettered {done.report.dead}."
    )
    for delivery_id, why in done.report.failures.items():
        err.print(f"  dead: {delivery_id}: {why}")


@alerts_app.command("resend")
def alerts_resend(
    delivery_id: Annotated[str, typer.Argument(help="A dead-letter delivery (`list --dead`)")],
    home: HomeOption = None,
) -> None:
    """Send a dead-lettered delivery again (same idempotency key, same body)."""
    from stockyard.alerts.delivery import resend
    from stockyard.alerts.service import store_for

    settings = load_settings(home)
    try:
        report = resend(store_for(settings), delivery_id, settings.alerts)
    except LookupError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    if report.dead:
        err.print(f"[red]Still not delivered:[/] {report.failures[delivery_id]}")
        raise typer.Exit(1)
    out.print(f"Delivered {delivery_id}.")
