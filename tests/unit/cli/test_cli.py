import json
from pathlib import Path

from typer.testing import CliRunner

from stockyard.cli.app import app
from stockyard.replay import SAMPLE_ROOT

PDFS = SAMPLE_ROOT / "house_clerk" / "public_disc"
runner = CliRunner()


def test_ptr_parse_json_is_the_documented_shape() -> None:
    result = runner.invoke(
        app, ["ptr", "parse", str(PDFS / "ptr-pdfs/2021/20019331.pdf"), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc) == ["doc_id", "status", "filer_name", "state_district", "transactions"]
    assert (doc["doc_id"], doc["status"], doc["state_district"]) == ("20019331", "parsed", "CA12")
    first = doc["transactions"][0]
    assert list(first) == [
        "owner",
        "asset_name",
        "ticker",
        "asset_type",
        "tx_type",
        "tx_date",
        "notified_date",
        "amount_min",
        "amount_max",
        "filing_status",
        "subholding_of",
        "description",
        "page",
        "text_source",
        "confidence",
        "needs_review",
    ]
    assert isinstance(first["amount_min"], int) and len(first["tx_date"]) == 10


def test_ptr_parse_reports_scans_and_annual_reports() -> None:
    scan = runner.invoke(app, ["ptr", "parse", str(PDFS / "ptr-pdfs/2021/8218109.pdf"), "--json"])
    read = json.loads(scan.stdout)
    assert read["status"] == "parsed"
    assert read["transactions"] and {t["text_source"] for t in read["transactions"]} == {"ocr"}
    assert all(0 <= t["confidence"] <= 1 for t in read["transactions"])
    annual = runner.invoke(
        app, ["ptr", "parse", str(PDFS / "financial-pdfs/2015/10013294.pdf"), "--json"]
    )
    assert json.loads(annual.stdout)["status"] == "not_ptr"


def test_ptr_parse_table_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ptr", "parse", str(PDFS / "ptr-pdfs/2021/20019331.pdf")])
    assert result.exit_code == 0 and "Pelosi" in result.stdout


def test_run_rejects_bad_dates_with_a_clear_message(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", "--from", "2020-13-01", "--to", "2020-12-31", "--home", str(tmp_path)]
    )
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    result = runner.invoke(
        app, ["run", "--from", "2021-01-01", "--to", "2020-12-31", "--home", str(tmp_path)]
    )
    assert result.exit_code == 2 and "before --from" in result.output


def test_status_before_any_build_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--home", str(tmp_path)])
    assert result.exit_code == 1 and "stockyard demo --no-serve" in result.output


def test_review_set_and_history_over_a_published_warehouse(tmp_path: Path) -> None:
    import duckdb

    seed = Path(__file__).resolve().parents[1] / "api" / "marts_seed.sql"
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute(seed.read_text(encoding="utf-8"))
    con.close()
    home = ["--home", str(tmp_path)]
    bad = runner.invoke(app, ["review", "set", "20019331", "3", "amount", "Z", "--by", "Me", *home])
    assert bad.exit_code == 2 and "band letter A-K" in bad.output
    done = runner.invoke(
        app, ["review", "set", "20019331", "3", "amount", "B", "--by", "Me", *home]
    )
    assert done.exit_code == 0, done.output
    assert "'15-15' → '15001-50000'" in done.output and "next publish" in done.output
    history = runner.invoke(app, ["review", "history", *home])
    assert history.exit_code == 0 and "pending" in history.output and "Me" in history.output
    assert (tmp_path / "reviews.sqlite3").exists()
