"""Shared fixtures: the project's own upstream fixtures and the recorded real responses."""

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACTS = Path(__file__).resolve().parents[2] / "shared" / "contracts"


def fixture_json(name: str):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def contract():
    """Load a recorded real response from ../shared/contracts; skip when that folder is absent."""

    def load(name: str):
        path = CONTRACTS / name
        if not path.exists():
            pytest.skip(f"{path} not present")
        return json.loads(path.read_text())

    return load


@pytest.fixture
def platform(tmp_path, monkeypatch):
    """A clean platform: simulated league, a temporary data dir (warehouse + landing), a pinned clock.

    Returns a helper with `materialize(assets, partition)` and `table(name)` (reads the DuckDB warehouse).
    """
    monkeypatch.setenv("NBA_SOURCE", "simulated")
    monkeypatch.setenv("NBA_WAREHOUSE", "duckdb")
    monkeypatch.setenv("NBA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NBA_CLOCK", "2025-01-22T12:00:00-05:00")
    for name in ("BDL_API_KEY", "ODDS_API_KEY", "BDL_BASE_URL", "ESPN_BASE_URL", "ODDS_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return Platform(tmp_path / "data")


class Platform:
    def __init__(self, data_dir: Path):
        from dagster import DagsterInstance

        self.data_dir = data_dir
        self.instance = DagsterInstance.ephemeral()

    def resources(self, **overrides):
        from resources.settings import resource_defs

        return {**resource_defs(), **overrides}

    def materialize(self, assets, partition=None, run_config=None, raise_on_error=True, selection=None, **overrides):
        from dagster import materialize

        return materialize(
            assets,
            partition_key=partition,
            resources=self.resources(**overrides),
            run_config=run_config,
            raise_on_error=raise_on_error,
            selection=selection,
            instance=self.instance,
        )

    def table(self, name: str, where: str = ""):
        import duckdb

        with duckdb.connect(str(self.data_dir / "warehouse.duckdb"), read_only=True) as conn:
            return conn.execute(f"select * from nba.{name} {where}").fetchdf()


def step_error(result) -> str:
    """The text of the (one) failed step's error, with its causes, as the UI shows them."""
    [failure] = [e for e in result.all_events if e.is_step_failure]
    error, parts = failure.step_failure_data.error, []
    while error is not None:
        parts.append(error.message)
        error = error.cause
    return "\n".join(parts)
