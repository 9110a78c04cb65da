from pathlib import Path

import pytest

from stockyard.config import Settings
from stockyard.sources.http import redact


def test_defaults_live_under_stockyard_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.resolved_home == tmp_path / ".stockyard"
    assert settings.resolved_warehouse_path == tmp_path / ".stockyard" / "warehouse.duckdb"
    assert settings.resolved_landing_url == str(tmp_path / ".stockyard" / "landing")
    assert settings.landing_retention_days is None  # keep everything by default


def test_environment_and_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "STOCKYARD_BENZINGA__API_KEY=from-dotenv\nSTOCKYARD_HOME=/srv/sy\n"
    )
    monkeypatch.setenv("STOCKYARD_HOUSE_CLERK__RATE_PER_SECOND", "0.5")
    monkeypatch.setenv("STOCKYARD_LANDING_URL", "s3://bucket/landing")
    settings = Settings()
    assert settings.resolved_home == Path("/srv/sy")
    assert settings.house_clerk.rate_per_second == 0.5
    # A partial override keeps the source's default base URL.
    assert settings.house_clerk.base_url == "https://disclosures-clerk.house.gov"
    assert settings.resolved_landing_url == "s3://bucket/landing"
    key = settings.benzinga.api_key
    assert key is not None and key.get_secret_value() == "from-dotenv"


def test_secrets_never_print(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STOCKYARD_BENZINGA__API_KEY", "sekrit-token")
    settings = Settings()
    assert "sekrit-token" not in repr(settings) and "sekrit-token" not in str(settings.model_dump())
    assert "sekrit-token" not in redact("https://api.benzinga.com/x?token=sekrit-token&date=1")
