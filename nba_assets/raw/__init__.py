"""The raw layer: each asset scrapes, parses and loads one game date of one upstream endpoint."""

from nba_assets.raw.box_scores import raw_box_scores
from nba_assets.raw.games import raw_games
from nba_assets.raw.injuries import raw_injuries
from nba_assets.raw.live import live_box_scores
from nba_assets.raw.odds import raw_odds_events, raw_player_props
from nba_assets.raw.rosters import raw_espn_rosters

RAW_ASSETS = [raw_games, raw_box_scores, raw_espn_rosters, raw_injuries, raw_odds_events, raw_player_props, live_box_scores]
