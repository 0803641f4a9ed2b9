"""The export assets through Dagster on a real pipeline slice: re-publishing an older date (a backfill,
a re-run) rewrites that date's file and never moves a `latest` document back in time."""

import json

from dagster import AssetSelection

from nba_assets_tests.conftest import materialize_range


def test_an_older_date_never_replaces_the_newest_results_and_record(pipeline_slice, monkeypatch):
    monkeypatch.setenv("NBA_DATA_DIR", str(pipeline_slice.data_dir))
    monkeypatch.setenv("NBA_CLOCK", "2024-12-01T12:00:00-05:00")
    defs = pipeline_slice.defs
    everything = [*defs.assets, *defs.asset_checks]
    exports = pipeline_slice.data_dir / "exports"
    published = AssetSelection.assets("results_export", "performance_export")
    assert materialize_range(everything, published, "2024-11-23", "2024-11-25", defs.resources, pipeline_slice.instance).success
    latest = json.loads((exports / "results" / "latest.json").read_text())
    record = json.loads((exports / "systems" / "performance.json").read_text())
    assert latest["game_date"] == "2024-11-25" and record["as_of"] == "2024-11-25"

    (exports / "results" / "2024-11-21.json").unlink(missing_ok=True)
    assert materialize_range(everything, published, "2024-11-21", "2024-11-21", defs.resources, pipeline_slice.instance).success
    assert json.loads((exports / "results" / "2024-11-21.json").read_text())["game_date"] == "2024-11-21"
    assert json.loads((exports / "results" / "latest.json").read_text())["game_date"] == "2024-11-25"
    assert json.loads((exports / "systems" / "performance.json").read_text())["as_of"] == "2024-11-25"
