"""The asset jobs that schedules and sensors launch."""

from dagster import define_asset_job

from nba_assets.automation.deadlines import data_selection

morning_job = define_asset_job(
    "morning_scrape", data_selection("raw_games", "raw_espn_rosters", "raw_injuries"),
    description="Today's schedule, every team's roster (birth dates) and the injury report.",
)
odds_job = define_asset_job(
    "odds_snapshot", data_selection("raw_odds_events", "raw_player_props"),
    description="A new snapshot of today's events and player-points lines.",
)
box_scores_job = define_asset_job(
    "box_scores", data_selection("raw_box_scores"),
    description="Yesterday's final box scores (results follow by automation).",
)
slate_job = define_asset_job(
    "refresh_slate",
    data_selection("player_registry", "upcoming_team_game_context", "upcoming_player_game_context", "prop_offers", "feature_store", "predictions",
                   "predictions_export", "best_bets_export", "odds_screen_export"),
    description="Today's registry, context, offers, features, predictions and exports (the odds screen among them), after new lines.",
)
live_job = define_asset_job("live_refresh", data_selection("live_box_scores", "live_exports"), description="Live scores and live exports.")

JOBS = [morning_job, odds_job, box_scores_job, slate_job, live_job]
