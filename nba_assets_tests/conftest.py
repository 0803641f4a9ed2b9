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
        """The code location's resources as the environment sets them now (with its asset graph), and `overrides`."""
        from nba_assets.definitions import build_defs

        return {**build_defs().resources, **overrides}

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


RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def materialize_range(assets_and_checks, selection, start: str, end: str, resources, instance):
    """One run over a range of dates, as a single-run backfill does."""
    from dagster import materialize

    from nba_assets.automation.deadlines import data_selection

    return materialize(
        assets_and_checks, selection=data_selection(selection), resources=resources, instance=instance,
        tags=dict(zip(RANGE_TAGS, (start, end))), run_config=QUIET, raise_on_error=False,
    )


@pytest.fixture(scope="session")
def pipeline_slice(tmp_path_factory):
    """A warehouse holding five weeks of the simulated league (2024-10-22 .. 2024-11-25) from raw to
    system_performance, built once for the session as a backfill runs it (range runs, one model a
    week), with every asset check evaluated."""
    from dagster import AssetSelection, DagsterInstance, materialize

    data_dir = tmp_path_factory.mktemp("pipeline") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NBA_SOURCE", "simulated")
        patch.setenv("NBA_WAREHOUSE", "duckdb")
        patch.setenv("NBA_DATA_DIR", str(data_dir))
        patch.setenv("NBA_CLOCK", "2024-12-01T12:00:00-05:00")
        from nba_assets.definitions import build_defs

        defs = build_defs()
        instance = DagsterInstance.ephemeral()
        everything = [*defs.assets, *defs.asset_checks]
        raw = AssetSelection.groups("raw") - AssetSelection.assets("live_box_scores")
        results = [
            materialize_range(everything, raw, "2024-10-22", "2024-11-25", defs.resources, instance),
            materialize_range(everything, AssetSelection.groups("analytics", "market", "features"), "2024-10-22", "2024-11-25", defs.resources, instance),
        ]
        for week in ("2024-10-21", "2024-10-28", "2024-11-04", "2024-11-11", "2024-11-18", "2024-11-25"):
            results.append(materialize(everything, selection=AssetSelection.assets("points_model"), partition_key=week, resources=defs.resources,
                                       instance=instance, run_config=QUIET, raise_on_error=False))
        results.append(materialize_range(everything, AssetSelection.groups("predictions", "grading"), "2024-10-22", "2024-11-25", defs.resources, instance))
    slice_ = Platform(data_dir)
    slice_.instance = instance
    slice_.results = results
    slice_.defs = defs
    return slice_


PAYING_EVIDENCE = {"picks": 400, "wins": 230, "losses": 170, "pushes": 0, "roi": 0.08, "roi_interval": [0.01, 0.15], "beats_the_market": True}


@pytest.fixture(scope="session")
def paying_slice(pipeline_slice):
    """The slice's predictions, grades and record made again as if each week's systems had earned
    their picks out of sample (the slice's five weeks are too few to show the simulated market's
    edge): the path a pick takes, from the project's own functions, on the slice's real features and offers."""
    import json

    import pandas as pd

    from nba_assets.grading.grade import grade
    from nba_assets.grading.performance import performance
    from nba_assets.market.offers import board
    from nba_assets.model.artifact import PointsModel
    from nba_assets.partitions import week_of
    from nba_assets.predictions.recommend import SYSTEMS, predict_slate
    from resources.model_files import load_model

    features, context, games, offers = (pipeline_slice.table(n) for n in ("feature_store", "upcoming_player_game_context", "player_game_summary", "prop_offers"))
    injury = context.set_index(["game_id", "player_lookup"])["injury_status"]
    decision = board(offers, "decision")
    frames = []
    for week, slate in features.groupby(features["game_date"].map(week_of)):
        folder = pipeline_slice.data_dir / "models" / "points_model" / week
        metadata = json.loads((folder / "metadata.json").read_text())
        model = load_model((folder / f"model-{metadata['file_hash'][:16]}.cbm").read_bytes()) if metadata.get("file_hash") else None
        metadata["pick_evidence"] = {system: PAYING_EVIDENCE for system in SYSTEMS}
        status = pd.Series(injury.reindex(pd.MultiIndex.from_frame(slate[["game_id", "player_lookup"]])).to_numpy(), index=slate.index)
        frames.append(predict_slate(slate, status, PointsModel(metadata, model), decision[decision["game_id"].isin(slate["game_id"])], pd.Timestamp("2024-12-01 12:00")))
    predictions = pd.concat(frames, ignore_index=True)
    grades = grade(predictions, games, offers)
    return {"predictions": predictions, "grades": grades, "record": performance(grades, grades["game_date"].max()), "context": context, "offers": offers}
