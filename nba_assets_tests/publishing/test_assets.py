"""The export assets through Dagster on a real pipeline slice: re-publishing an older date (a backfill,
a re-run) rewrites that date's file and never moves a `latest` document back in time; the odds screen
is published every day, picks or none, games or none."""

import json

from dagster import AssetSelection

from nba_assets.publishing.validate import schema_errors
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


def test_the_odds_screen_is_published_on_a_date_without_picks_and_on_an_off_day(pipeline_slice, monkeypatch):
    monkeypatch.setenv("NBA_DATA_DIR", str(pipeline_slice.data_dir))
    defs = pipeline_slice.defs
    everything = [*defs.assets, *defs.asset_checks]
    exports = pipeline_slice.data_dir / "exports"
    for day in ("2024-10-25", "2024-10-21"):  # no system has earned its picks yet; the day before the season opens
        monkeypatch.setenv("NBA_CLOCK", f"{day}T12:00:00-04:00")
        selection = AssetSelection.assets("odds_screen_export", "best_bets_export")
        assert materialize_range(everything, selection, day, day, defs.resources, pipeline_slice.instance).success, day
    no_picks = json.loads((exports / "odds-screen" / "2024-10-25.json").read_text())
    assert json.loads((exports / "best-bets" / "2024-10-25.json").read_text())["status"] == "no_edge"
    assert schema_errors("odds-screen", no_picks) == [] and len(no_picks["games"]) == 10
    offers = pipeline_slice.table("prop_offers", "where game_date = '2024-10-25' and board = 'closing'")
    assert sum(len(g["players"]) for g in no_picks["games"]) == offers.groupby(["game_id", "player_name"]).ngroups
    assert all(p["best_over"] or p["best_under"] for g in no_picks["games"] for p in g["players"])
    off_day = json.loads((exports / "odds-screen" / "latest.json").read_text())
    assert (off_day["game_date"], off_day["games"]) == ("2024-10-21", []) and schema_errors("odds-screen", off_day) == []
