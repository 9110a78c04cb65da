"""Finding the dbt project, and the project's own offline settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stockyard.warehouse.dbt import DBT_PROJECT_DIR, PROJECT_DIR_ENV, artifacts_dir, project_dir


def test_project_dir_is_the_repository_dbt_folder() -> None:
    assert (DBT_PROJECT_DIR / "dbt_project.yml").is_file()
    assert DBT_PROJECT_DIR.name == "dbt"


def test_environment_overrides_the_project_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: other\n", encoding="utf-8")
    monkeypatch.setenv(PROJECT_DIR_ENV, str(tmp_path))
    assert project_dir() == tmp_path.resolve()


def test_an_override_without_a_project_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROJECT_DIR_ENV, str(tmp_path))
    with pytest.raises(FileNotFoundError, match=PROJECT_DIR_ENV):
        project_dir()


def test_dbt_artifacts_go_beside_the_warehouse_not_into_the_repo(tmp_path: Path) -> None:
    assert artifacts_dir(tmp_path / "w.duckdb") == tmp_path.resolve() / "dbt"


def test_project_never_phones_home_nor_needs_the_hub() -> None:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["flags"]["send_anonymous_usage_stats"] is False
    assert not (DBT_PROJECT_DIR / "packages.yml").exists()
    assert not (DBT_PROJECT_DIR / "dependencies.yml").exists()
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    output = profile["stockyard"]["outputs"][profile["stockyard"]["target"]]
    assert output["type"] == "duckdb"
    assert "STOCKYARD_WAREHOUSE_PATH" in output["path"]
