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


def test_the_odds_books_are_named_by_default_or_bought_by_region(monkeypatch):
    from resources.odds_api import DEFAULT_BOOKMAKERS, book_params

    for name in ("NBA_ODDS_BOOKMAKERS", "NBA_ODDS_REGIONS"):
        monkeypatch.delenv(name, raising=False)
    odds = resource_defs()["odds_api"]
    assert odds.bookmakers == DEFAULT_BOOKMAKERS and len(DEFAULT_BOOKMAKERS.split(",")) == 10  # ten named books cost one region
    assert book_params(odds.bookmakers, odds.regions) == {"bookmakers": DEFAULT_BOOKMAKERS} and "pinnacle" in DEFAULT_BOOKMAKERS
    monkeypatch.setenv("NBA_ODDS_REGIONS", "us,us2,eu")
    odds = resource_defs()["odds_api"]
    assert book_params(odds.bookmakers, odds.regions) == {"regions": "us,us2,eu"}
    monkeypatch.setenv("NBA_ODDS_BOOKMAKERS", "pinnacle, draftkings")
    odds = resource_defs()["odds_api"]
    assert book_params(odds.bookmakers, odds.regions) == {"bookmakers": "pinnacle,draftkings"}  # named books win over regions
    monkeypatch.setenv("NBA_ODDS_BOOKMAKERS", "")
    monkeypatch.setenv("NBA_ODDS_REGIONS", "")
    with pytest.raises(ConfigurationError, match="NBA_ODDS_BOOKMAKERS is empty and NBA_ODDS_REGIONS is not set"):
        resource_defs()


def test_a_number_setting_that_is_not_a_number_is_named(monkeypatch):
    from resources.settings import number_setting

    monkeypatch.setenv("NBA_KELLY_FRACTION", "a quarter")
    with pytest.raises(ConfigurationError, match="NBA_KELLY_FRACTION='a quarter' is not a number"):
        number_setting("NBA_KELLY_FRACTION", 0.25)
    monkeypatch.setenv("NBA_KELLY_FRACTION", "0.5")
    assert number_setting("NBA_KELLY_FRACTION", 0.25) == 0.5
