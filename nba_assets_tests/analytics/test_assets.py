"""Today's slate before tip: day-of rosters, the injury report and current lines flow to the feature store."""

import pandas as pd
from dagster import AssetSelection, DagsterInstance

from nba_assets_tests.conftest import materialize_range

TODAY = "2025-01-20"


def test_todays_slate_uses_the_day_of_roster_injuries_and_pre_tip_lines(platform, monkeypatch):
    from nba_assets.definitions import build_defs

    defs = build_defs()
    everything = [*defs.assets, *defs.asset_checks]
    instance = DagsterInstance.ephemeral()
    raw = AssetSelection.groups("raw") - AssetSelection.assets("live_box_scores")
    downstream = AssetSelection.groups("analytics", "market", "features")
    # history: the ten days before, backfilled after the fact
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T04:00:00-05:00")
    for selection in (raw, downstream):
        assert materialize_range(everything, selection, "2025-01-10", "2025-01-19", defs.resources, instance).success
    # today, late morning: no box scores yet
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T11:00:00-05:00")
    results = AssetSelection.assets("raw_box_scores", "player_game_summary", "team_game_summary")
    for selection in (raw - results, downstream - results):
        result = materialize_range(everything, selection, TODAY, TODAY, defs.resources, instance)
        failed = [e.event_specific_data.check_name for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed]
        assert result.success and not failed, failed

    context = platform.table("upcoming_player_game_context", f"where game_date = '{TODAY}'")
    assert set(context["roster_source"]) == {"day_of_roster"}
    assert context["player_age"].notna().all()
    assert context.groupby("team_abbr").size().between(13, 21).all()
    assert context["injury_status"].notna().any()
    lines = context.dropna(subset=["current_line"])
    assert len(lines) > 50 and (lines["line_snapshot_at_utc"] < lines["tip_time_utc"]).all()
    assert (lines["line_snapshot_at_utc"] == pd.Timestamp("2025-01-20 16:00")).all()  # the 11:00 ET scrape
    features = platform.table("feature_store", f"where game_date = '{TODAY}'")
    assert len(features) == len(context) and set(features["roster_source"]) == {"day_of_roster"}
    assert features["injury_risk"].max() == 1.0 and features["has_vegas_line"].mean() > 0.4
