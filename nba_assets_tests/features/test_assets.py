"""The feature store materialised through Dagster: one date alone equals the same date of a range run."""

import pandas as pd
from dagster import AssetSelection, materialize

from nba_assets_tests.conftest import QUIET

KEY = ["game_id", "player_lookup"]


def rows_on(frame: pd.DataFrame, day: pd.Timestamp, same: bool = True) -> pd.DataFrame:
    return frame[(frame["game_date"] == day) == same].sort_values(KEY).reset_index(drop=True)


def test_a_single_date_run_reproduces_the_range_run_and_replaces_only_its_partition(pipeline_slice, monkeypatch):
    day = pd.Timestamp("2024-11-18")
    before = pipeline_slice.table("feature_store")
    monkeypatch.setenv("NBA_DATA_DIR", str(pipeline_slice.data_dir))
    monkeypatch.setenv("NBA_CLOCK", "2024-12-01T12:00:00-05:00")
    defs = pipeline_slice.defs
    result = materialize([*defs.assets, *defs.asset_checks], selection=AssetSelection.assets("feature_store"), partition_key="2024-11-18",
                         resources=defs.resources, instance=pipeline_slice.instance, run_config=QUIET)
    assert result.success
    after = pipeline_slice.table("feature_store")
    assert len(after) == len(before) and not after.duplicated(KEY).any()
    pd.testing.assert_frame_equal(rows_on(after, day), rows_on(before, day))
    pd.testing.assert_frame_equal(rows_on(after, day, same=False), rows_on(before, day, same=False))
