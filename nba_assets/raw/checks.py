"""Asset checks of the raw tables: unique keys, and no empty roster where a date had games.

(`raw_box_scores_complete`, a box score for every game played, is evaluated by `raw_box_scores`
itself from the schedule it scraped with the box scores.)"""

from nba_assets.quality import not_empty_on_game_days_check, unique_keys_check

RAW_KEYS = {
    "raw_games": ["game_id"],
    "raw_box_scores": ["game_id", "bdl_player_id"],
    "raw_espn_rosters": ["game_date", "scraped_at_utc", "team_abbr", "espn_athlete_id"],
    "raw_injuries": ["game_date", "scraped_at_utc", "bdl_player_id"],
    "raw_odds_events": ["game_date", "event_id"],
    "raw_player_props": ["snapshot_at_utc", "event_id", "bookmaker", "player_name", "side", "line"],
}


RAW_CHECKS = [
    *[unique_keys_check(name, keys) for name, keys in RAW_KEYS.items()],
    unique_keys_check("live_box_scores", ["game_id", "bdl_player_id"], partitioned=False),
    not_empty_on_game_days_check("raw_espn_rosters"),
]
