"""`stockyard review`: list the rows OCR was unsure of, fix a field, see the trail."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from stockyard.cli.common import HomeOption

if TYPE_CHECKING:
    import duckdb

    from stockyard.warehouse.review_store import ReviewStore

__all__ = ["review_app"]

review_app = typer.Typer(
    help="Check rows read from scanned filings and fix what OCR got wrong.", no_args_is_help=True
)
out = Console()
err = Console(stderr=True)


def _store(home: Path | None) -> ReviewStore:
    from stockyard.cli.common import load_settings as _settings
    from stockyard.warehouse.review_store import ReviewStore

    return ReviewStore(_settings(home).resolved_review_db_path)


@contextmanager
def _warehouse(home: Path | None, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    from stockyard.cli.common import load_settings as _settings
    from stockyard.warehouse.db import connect

    path = _settings(home).resolved_warehouse_path
    if not path.exists():
        err.print(
            f"[red]No warehouse at {path}.[/] Next: `stockyard demo --no-serve` or `stockyard run`."
        )
        raise typer.Exit(1)
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def _table(title: str, columns: Sequence[str]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    return table


@review_app.command("list")
def review_list(
    filing: Annotated[str | None, typer.Option(help="Only this filing, e.g. house-9110644")] = None,
    home: HomeOption = None,
) -> None:
    """Rows with fields still flagged for review, least confident first."""
    from stockyard.warehouse.review import rows_to_review

    with _warehouse(home, read_only=True) as con:
        rows = rows_to_review(con, filing)
    if not rows:
        out.print("Nothing to review: every published row was read with confidence or reviewed.")
        return
    table = _table(
        f"{len(rows)} rows to check against the page",
        ("filing", "row", "page", "member", "asset", "conf", "check"),
    )
    for row in rows:
        table.add_row(
            row.filing_id,
            str(row.row_position),
            str(row.page or ""),
            row.member_name or "",
            (row.asset_name or "")[:50],
            f"{row.read_confidence or 0:.2f}",
            ", ".join(row.needs_review),
        )
    out.print(table)
    out.print("Fix a field: stockyard review set FILING ROW FIELD VALUE --by NAME")


@review_app.command("set")
def review_set(
    filing: Annotated[str, typer.Argument(help="Filing id, e.g. house-9110644")],
    row: Annotated[int, typer.Argument(help="Row position in the filing (see `review list`)")],
    field: Annotated[
        str,
        typer.Argument(help="owner, asset_name, ticker, tx_type, tx_date, notified_date or amount"),
    ],
    value: Annotated[str, typer.Argument(help="The value as the page shows it; 'null' to clear")],
    by: Annotated[str, typer.Option("--by", help="Who reviewed (kept in the trail)")],
    note: Annotated[str | None, typer.Option(help="Why, for the trail")] = None,
    home: HomeOption = None,
) -> None:
    """Record a fix of one field. It is kept apart from the parsed data, survives re-parsing and
    shows as "corrected by review" from the next publish."""
    from stockyard.warehouse.review import ReviewError, add_correction

    with _warehouse(home, read_only=True) as con:
        try:
            correction = add_correction(
                con,
                _store(home),
                filing_id=filing,
                row_position=row,
                field=field,
                value=value,
                reviewer=by,
                note=note,
            )
        except ReviewError as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from exc
    out.print(
        f"Recorded: {filing} row {row} {field}: {correction.old_value!r} → {correction.new_value!r} "
        f"by {correction.reviewer}. Applied at the next publish (`stockyard run`)."
    )


@review_app.command("history")
def review_history(
    filing: Annotated[str | None, typer.Option(help="Only this filing")] = None,
    home: HomeOption = None,
) -> None:
    """Every correction, newest first: who, when, old → new, and whether it is published."""
    from stockyard.warehouse.review import list_corrections

    with _warehouse(home, read_only=True) as con:
        corrections = list_corrections(con, _store(home), filing)
    table = _table(
        f"{len(corrections)} review corrections",
        ("when", "filing", "row", "field", "old → new", "by", "published", "note"),
    )
    for c in corrections:
        table.add_row(
            c.reviewed_at.isoformat(timespec="seconds"),
            c.filing_id,
            str(c.row_position),
            c.field,
            f"{c.old_value!r} → {c.new_value!r}",
            c.reviewer,
            "yes" if c.applied else "pending",
            c.note or "",
        )
    out.print(table)
