"""Each raw asset materialises a partition of the simulated league into a temporary DuckDB."""

import pandas as pd

from nba_assets_tests.conftest import step_error
from dagster import AssetKey

from nba_assets.raw import (
    live_box_scores,
    raw_box_scores,
    raw_espn_rosters,
    raw_games,
    raw_injuries,
    raw_odds_events,
    raw_player_props,
)

PAST = "2025-01-20"  # the clock stands at 2025-01-22 12:00 ET
PARTITIONED = [raw_games, raw_box_scores, raw_espn_rosters, raw_injuries, raw_odds_events, raw_player_props]
KEYS = {
    "raw_games": ["game_id"],
    "raw_box_scores": ["game_id", "bdl_player_id"],
    "raw_espn_rosters": ["scraped_at_utc", "espn_athlete_id"],
    "raw_injuries": ["scraped_at_utc", "bdl_player_id"],
    "raw_odds_events": ["event_id"],
    "raw_player_props": ["snapshot_at_utc", "bookmaker", "player_name", "side", "line"],
}


def metadata(result, asset_name):
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == AssetKey(asset_name)]
    return {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}


def test_past_date_materialises_every_raw_table(platform):
    result = platform.materialize(PARTITIONED, PAST)
    assert result.success
    games = platform.table("raw_games")
    box = platform.table("raw_box_scores")
    props = platform.table("raw_player_props")
    rosters = platform.table("raw_espn_rosters")
    assert len(games) >= 2 and games["is_final"].all()
    assert set(box["game_id"]) == set(games["game_id"])
    assert (box.groupby("game_id")["team_abbr"].nunique() == 2).all()
    assert (box["minutes"] == 0).any() and box["pts"].sum() == games["home_score"].sum() + games["away_score"].sum()
    assert set(props["game_id"]) <= set(games["game_id"]) and len(props) > 100
    assert (props["line"] * 2 == (props["line"] * 2).round()).all()
    assert (props["snapshot_at_utc"] < props["tip_time_utc"]).all()
    assert props["snapshot_at_utc"].nunique() >= 2  # opening and closing snapshots
    # a backfilled past date has no day-of roster: today's scrape is kept for birth dates only
    assert set(rosters["snapshot_kind"]) == {"later_scrape"} and rosters["team_abbr"].nunique() == 30
    assert rosters["date_of_birth"].notna().mean() > 0.95
    assert platform.table("raw_injuries").empty
    meta = metadata(result, "raw_player_props")
    assert meta["requests"] > 0 and meta["quota_remaining"] > 0 and meta["rows"] == len(props)
    assert "no injury report" in metadata(result, "raw_injuries")["notes"]


def test_rematerialising_replaces_the_partition_exactly(platform):
    platform.materialize(PARTITIONED, PAST)
    first = {name: platform.table(name) for name in KEYS}
    result = platform.materialize(PARTITIONED, PAST)
    for name, key in KEYS.items():
        again = platform.table(name)
        assert len(again) == len(first[name]), name
        assert not again.duplicated(key).any(), name
    # historical odds snapshots already landed are not bought twice
    assert metadata(result, "raw_player_props")["requests"] == 0
    assert metadata(result, "raw_odds_events")["requests"] == 0


def test_other_partitions_are_untouched(platform):
    platform.materialize([raw_games], PAST)
    platform.materialize([raw_games], "2025-01-21")
    platform.materialize([raw_games], PAST)
    games = platform.table("raw_games")
    assert set(games["game_date"].dt.strftime("%Y-%m-%d")) == {PAST, "2025-01-21"}
    assert not games.duplicated("game_id").any()


def test_off_day_is_empty_not_an_error(platform):
    result = platform.materialize(PARTITIONED, "2024-07-15")
    assert result.success
    for name in KEYS:
        frame = platform.table(name)
        assert frame.empty, name
        assert "game_date" in frame.columns


def test_reparse_rebuilds_from_the_landing_zone_without_requests(platform):
    platform.materialize([raw_games, raw_box_scores], PAST)
    before = platform.table("raw_box_scores")
    config = {"ops": {name: {"config": {"reparse": True}} for name in ("raw_games", "raw_box_scores")}}
    result = platform.materialize([raw_games, raw_box_scores], PAST, run_config=config)
    assert metadata(result, "raw_box_scores")["requests"] == 0
    pd.testing.assert_frame_equal(before, platform.table("raw_box_scores"))


def test_reparse_without_landed_responses_fails_clearly(platform):
    config = {"ops": {"raw_games": {"config": {"reparse": True}}}}
    result = platform.materialize([raw_games], PAST, run_config=config, raise_on_error=False)
    assert not result.success
    assert "nothing landed for balldontlie/games partition 2025-01-20" in step_error(result)


def test_today_slate_before_tip(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T11:00:00-05:00")
    result = platform.materialize([raw_games, raw_espn_rosters, raw_injuries, raw_odds_events, raw_player_props], PAST)
    assert result.success
    games = platform.table("raw_games")
    assert len(games) and not games["is_final"].any()
    assert set(platform.table("raw_espn_rosters")["snapshot_kind"]) == {"day_of"}
    props = platform.table("raw_player_props")
    assert len(props) and not props["is_historical"].any()
    assert (props["snapshot_at_utc"] == pd.Timestamp("2025-01-20 16:00")).all()
    # a second scrape later in the day adds a snapshot and keeps the first
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T14:00:00-05:00")
    platform.materialize(PARTITIONED, PAST, selection=["raw_player_props", "raw_espn_rosters"])
    props = platform.table("raw_player_props")
    assert props["snapshot_at_utc"].nunique() == 2
    assert platform.table("raw_espn_rosters")["scraped_at_utc"].nunique() == 2


def test_box_scores_of_an_unfinished_day_fail_and_store_nothing(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T20:30:00-05:00")
    result = platform.materialize([raw_box_scores], PAST, raise_on_error=False)
    assert not result.success
    assert "not final yet" in step_error(result)


def test_future_partition_is_refused(platform):
    result = platform.materialize([raw_games], "2025-01-25", raise_on_error=False)
    assert "is in the future" in step_error(result)


def test_live_box_scores_during_games(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T20:30:00-05:00")
    platform.materialize([live_box_scores])
    live = platform.table("live_box_scores")
    assert live["game_id"].nunique() >= 1 and (live["status"] != "Final").all()
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T12:00:00-05:00")
    platform.materialize([live_box_scores])
    assert platform.table("live_box_scores").empty


def test_roster_fallback_needs_the_days_schedule(platform):
    result = platform.materialize(PARTITIONED, PAST, selection=["raw_espn_rosters"], raise_on_error=False)
    assert "table nba.raw_games does not exist yet: materialise raw_games first" in step_error(result)
    platform.materialize(PARTITIONED, "2025-01-19", selection=["raw_games"])
    result = platform.materialize(PARTITIONED, PAST, selection=["raw_espn_rosters"], raise_on_error=False)
    assert "materialise raw_games 2025-01-20 first" in step_error(result)
    platform.materialize(PARTITIONED, PAST, selection=["raw_games"])
    platform.materialize(PARTITIONED, PAST, selection=["raw_espn_rosters"])
    assert platform.table("raw_espn_rosters")["team_abbr"].nunique() == 30


def test_snapshot_hours_must_be_before_tip(platform):
    config = {"ops": {"raw_player_props": {"config": {"hours_before_tip": [2.0, -0.5]}}}}
    result = platform.materialize(PARTITIONED, PAST, selection=["raw_odds_events", "raw_player_props"], run_config=config, raise_on_error=False)
    assert "hours_before_tip must all be positive" in step_error(result)
