"""Resources configured from the environment; the warehouse switch."""

import pytest
from dagster import EnvVar

from resources.errors import ConfigurationError
from resources.settings import resource_defs
from resources.warehouse import WarehouseBigQueryIOManager, WarehouseDuckDBIOManager


def test_defaults_are_simulated_and_local_duckdb(monkeypatch, tmp_path):
    for name in ("NBA_SOURCE", "NBA_WAREHOUSE", "BDL_API_KEY", "ODDS_API_KEY", "BDL_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NBA_DATA_DIR", str(tmp_path))
    defs = resource_defs()
    assert isinstance(defs["io_manager"], WarehouseDuckDBIOManager)
    assert defs["io_manager"].database == str(tmp_path / "warehouse.duckdb")
    assert defs["balldontlie"].source == "simulated" and defs["balldontlie"].base_url == "https://api.balldontlie.io"
    assert defs["balldontlie"].api_key is None and defs["landing"].data_dir == str(tmp_path)


def test_keys_and_urls_come_from_the_environment_by_reference(monkeypatch):
    monkeypatch.setenv("BDL_API_KEY", "secret-1")
    monkeypatch.setenv("ODDS_API_BASE_URL", "http://127.0.0.1:9/odds")
    defs = resource_defs()
    assert defs["balldontlie"].api_key == EnvVar("BDL_API_KEY")
    assert defs["odds_api"].base_url == EnvVar("ODDS_API_BASE_URL")
    assert "secret-1" not in repr(defs)


def test_bigquery_needs_its_project_and_dataset(monkeypatch):
    monkeypatch.setenv("NBA_WAREHOUSE", "bigquery")
    monkeypatch.delenv("GCP_PROJECT", raising=False)
    monkeypatch.delenv("BQ_DATASET", raising=False)
    with pytest.raises(ConfigurationError, match="NBA_WAREHOUSE=bigquery needs GCP_PROJECT and BQ_DATASET"):
        resource_defs()
    monkeypatch.setenv("GCP_PROJECT", "props-prod")
    monkeypatch.setenv("BQ_DATASET", "nba")
    manager = resource_defs()["io_manager"]
    assert isinstance(manager, WarehouseBigQueryIOManager)
    assert manager.project == EnvVar("GCP_PROJECT") and manager.dataset == EnvVar("BQ_DATASET")


def test_unknown_source_or_warehouse(monkeypatch):
    monkeypatch.setenv("NBA_WAREHOUSE", "sqlite")
    with pytest.raises(ConfigurationError, match="NBA_WAREHOUSE='sqlite' is not one of duckdb, bigquery"):
        resource_defs()
