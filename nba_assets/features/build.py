"""Features for a whole slate (or many slates) in one vectorised computation.

"Last N" is the N most recent games the player played (minutes > 0) strictly before the game
date; DNPs never enter a window, and windows run across a season boundary. Season figures use the
game date's season only. Rolling state is computed once per played game and joined to each target
by `strictly_before`, so a game on the target date can never reach its own features.

Missing values are filled with the documented defaults below and counted in `features_defaulted`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.analytics.asof import strictly_before
from nba_assets.features.contract import FEATURE_CONTRACT
from nba_assets.features.lineup import opponent_allowed_to_position, teammates_out_minutes
from nba_assets.features.windows import Trailing

KEY_COLUMNS = ["game_date", "game_id", "player_lookup", "team_abbr", "opponent_abbr"]
QUALITY_COLUMNS = ["features_defaulted", "defaulted_features", "early_season", "roster_source"]
EARLY_SEASON_TEAM_GAMES = 10
INJURY_RISK = {"out": 1.0, "doubtful": 0.75, "questionable": 0.5, "day-to-day": 0.4, "probable": 0.1}
LEAGUE = {"def_rating": 112.0, "pace": 99.0, "ft_share": 0.17, "fg3a_rate": 0.38, "usage": 20.0, "allowed_to_position": 35.0}

DEFAULTS = {
    "points_avg_last_5": 0.0, "points_avg_last_10": 0.0, "points_avg_season": 0.0, "points_std_last_10": 0.0,
    "minutes_avg_last_10": 0.0, "minutes_avg_last_3": 0.0, "ppm_avg_last_10": 0.0, "teammates_out_minutes": 0.0, "days_rest": 7.0, "player_age": 27.0, "recent_trend": 0.0,
    "minutes_change": 0.0, "opponent_def_rating": LEAGUE["def_rating"], "opponent_pace": LEAGUE["pace"],
    "team_pace": LEAGUE["pace"], "team_off_rating": LEAGUE["def_rating"], "team_win_pct": 0.5, "avg_points_vs_opponent": 0.0,
    "ft_share": LEAGUE["ft_share"], "fg3a_rate": LEAGUE["fg3a_rate"], "rest_advantage": 0.0, "line_vs_form": 0.0, "line_books_spread": 0.0,
    "usage_avg_last_10": LEAGUE["usage"], "opponent_points_allowed_to_position": LEAGUE["allowed_to_position"],
}


def was_defaulted(features: pd.DataFrame, name: str) -> pd.Series:
    """Rows of feature-store `features` in which feature `name` was filled with a default."""
    if "defaulted_features" not in features:
        return pd.Series(False, index=features.index)
    return features["defaulted_features"].fillna("").str.contains(rf"(?:^|,){name}(?:,|$)", regex=True).astype(bool)


def real_line(features: pd.DataFrame) -> pd.Series:
    """The real line of each feature row, empty where the market gave none: `vegas_points_line` holds
    a default there (the player's form), which must never be graded, trained or picked against as a line."""
    return features["vegas_points_line"].where(features["has_vegas_line"] > 0)


def player_rolling(history: pd.DataFrame) -> pd.DataFrame:
    """Per played game: the player's rolling state including that game (windows of played games only)."""
    played = history[history["minutes"].astype(float) > 0].sort_values(["player_lookup", "game_date"], kind="stable").reset_index(drop=True)
    columns = ["points", "minutes", "ftm", "fga", "fg3a"]
    played[columns] = played[columns].astype(float)
    usage = played["usage_rate"].astype(float)
    played["usage_known"], played["usage_sum"] = usage.notna().astype(float), usage.fillna(0.0)
    windows = Trailing(played, "player_lookup", [*columns, "usage_sum", "usage_known"])
    sums = {c: windows.sum(c, 10)[0] for c in columns}
    with np.errstate(invalid="ignore", divide="ignore"):
        played["pts_l5"] = windows.mean("points", 5)
        played["pts_l10"] = windows.mean("points", 10)
        played["pts_std_l10"] = windows.std("points", 10)
        played["min_l10"] = windows.mean("minutes", 10)
        played["min_l3"] = windows.mean("minutes", 3)
        usage_sum, usage_known = windows.sum("usage_sum", 10)[0], windows.sum("usage_known", 10)[0]
        played["usage_l10"] = np.where(usage_known > 0, usage_sum / np.where(usage_known > 0, usage_known, 1), np.nan)
        played["ppm_l10"] = np.where(sums["minutes"] > 0, sums["points"] / sums["minutes"], np.nan)
        played["ft_share_l10"] = np.where(sums["points"] > 0, sums["ftm"] / sums["points"], np.nan)
        played["fg3a_rate_l10"] = np.where(sums["fga"] > 0, sums["fg3a"] / sums["fga"], np.nan)
    played["trend"] = windows.mean("points", 2) - windows.mean("points", 3, lag=2)
    season = played.groupby(["player_lookup", "season"], sort=False)
    games_this_season = season.cumcount() + 1
    played["pts_season"] = season["points"].cumsum() / games_this_season
    played["min_season"] = season["minutes"].cumsum() / games_this_season
    return played


def versus_opponent(history: pd.DataFrame) -> pd.DataFrame:
    """Per played game: the player's running average and count of games against that opponent."""
    played = history[history["minutes"].astype(float) > 0].sort_values(["player_lookup", "opponent_abbr", "game_date"], kind="stable").copy()
    played["points"] = played["points"].astype(float)
    g = played.groupby(["player_lookup", "opponent_abbr"], sort=False)
    played["vs_n"] = g.cumcount() + 1
    played["vs_avg"] = g["points"].cumsum() / played["vs_n"]
    return played


def team_rolling(team_history: pd.DataFrame) -> pd.DataFrame:
    """Per team game: rolling pace and offensive rating (last 10) and defensive rating and pace (last 15)."""
    games = team_history.sort_values(["team_abbr", "game_date"], kind="stable").copy()
    g = games.groupby("team_abbr", sort=False)
    for column, n, name in (("pace", 10, "pace_l10"), ("off_rating", 10, "off_l10"), ("def_rating", 15, "def_l15"), ("pace", 15, "pace_l15")):
        games[name] = g[column].rolling(n, min_periods=1).mean().reset_index(level=0, drop=True)
    return games


def injury_risk(status: pd.Series, recent_absences: pd.Series) -> pd.Series:
    """Risk of not playing: the reported status (Out 1, Doubtful .75, Questionable .5, Day-To-Day .4,
    Probable .1) or, when higher, the share of the team's last 3 games he missed."""
    reported = status.astype("string").str.lower().map(INJURY_RISK).astype(float).fillna(0.0)
    return np.maximum(reported, recent_absences.astype(float).fillna(0) / 3).clip(0, 1)


def build_features(context: pd.DataFrame, team_context: pd.DataFrame, history: pd.DataFrame, team_history: pd.DataFrame) -> pd.DataFrame:
    """The feature store rows of every player of `context` (`upcoming_player_game_context`).

    `history` / `team_history` are `player_game_summary` / `team_game_summary` rows of earlier dates
    (any row dated on or after a target's date is ignored for that target).
    """
    targets = context.reset_index(drop=True)
    if targets.empty:
        return pd.DataFrame(columns=KEY_COLUMNS + list(FEATURE_CONTRACT.names) + QUALITY_COLUMNS)
    history_all = history  # the whole league: teammates and opponents too
    history = history[history["player_lookup"].isin(targets["player_lookup"].unique())]
    state = strictly_before(
        targets, player_rolling(history), "player_lookup",
        ["season", "pts_l5", "pts_l10", "pts_std_l10", "min_l10", "min_l3", "usage_l10", "ppm_l10", "ft_share_l10", "fg3a_rate_l10", "trend",
         "pts_season", "min_season"],
    )
    this_season = state["season"] == targets["season"]
    vs = strictly_before(targets, versus_opponent(history), ["player_lookup", "opponent_abbr"], ["vs_avg", "vs_n"])
    teams = team_rolling(team_history)
    own = strictly_before(targets, teams, "team_abbr", ["pace_l10", "off_l10"])
    opp = strictly_before(targets.rename(columns={"team_abbr": "_own", "opponent_abbr": "team_abbr"}), teams, "team_abbr", ["def_l15", "pace_l15"])
    sides = team_context.set_index(["game_id", "team_abbr"])
    own_ctx = sides.reindex(pd.MultiIndex.from_frame(targets[["game_id", "team_abbr"]]))
    opp_ctx = sides.reindex(pd.MultiIndex.from_frame(targets[["game_id", "opponent_abbr"]]))
    capped_rest = lambda days: pd.Series(days.to_numpy(dtype=float), index=targets.index).clip(upper=10)  # noqa: E731

    features = pd.DataFrame(
        {
            "points_avg_last_5": state["pts_l5"],
            "points_avg_last_10": state["pts_l10"],
            "points_avg_season": state["pts_season"].where(this_season),
            "points_std_last_10": state["pts_std_l10"],
            "minutes_avg_last_10": state["min_l10"],
            "ppm_avg_last_10": state["ppm_l10"],
            "games_in_last_7_days": targets["games_in_last_7_days"].astype(float),
            "days_rest": capped_rest(targets["days_rest"]),
            "back_to_back": targets["back_to_back"].astype(float),
            "rest_advantage": capped_rest(own_ctx["days_rest"]) - capped_rest(opp_ctx["days_rest"]),
            "home_away": targets["home"].astype(float),
            "player_age": targets["player_age"].astype(float),
            "recent_trend": state["trend"],
            "minutes_change": state["min_l10"] - state["min_season"].where(this_season),
            "opponent_def_rating": opp["def_l15"],
            "opponent_pace": opp["pace_l15"],
            "team_pace": own["pace_l10"],
            "team_off_rating": own["off_l10"],
            "team_win_pct": pd.Series(own_ctx["win_pct"].to_numpy(dtype=float), index=targets.index),
            "avg_points_vs_opponent": vs["vs_avg"],
            "games_vs_opponent": vs["vs_n"].fillna(0),
            "ft_share": state["ft_share_l10"],
            "fg3a_rate": state["fg3a_rate_l10"],
            "injury_risk": injury_risk(targets["injury_status"], targets["recent_absences"]),
            "vegas_points_line": targets["current_line"].astype(float),
            "vegas_opening_line": targets["opening_line"].astype(float),
            "vegas_line_move": targets["line_movement"].astype(float),
            "has_vegas_line": targets["current_line"].notna().astype(float),
            "line_vs_form": targets["current_line"].astype(float) - state["pts_l10"],
            "line_books_spread": targets["line_spread"].astype(float),
            "minutes_avg_last_3": state["min_l3"],
            "usage_avg_last_10": state["usage_l10"],
            "teammates_out_minutes": teammates_out_minutes(targets, state["min_l10"], history_all),
            "opponent_points_allowed_to_position": opponent_allowed_to_position(targets, history_all),
        },
        index=targets.index,
    )
    missing = features.isna()
    features["vegas_points_line"] = features["vegas_points_line"].fillna(features["points_avg_last_10"])
    features["vegas_opening_line"] = features["vegas_opening_line"].fillna(features["vegas_points_line"])
    features["vegas_line_move"] = features["vegas_line_move"].fillna(0.0)
    features["minutes_avg_last_3"] = features["minutes_avg_last_3"].fillna(features["minutes_avg_last_10"])
    # before a player's first game of a season, his season average is his recent form, not zero
    features["points_avg_season"] = features["points_avg_season"].fillna(features["points_avg_last_10"])
    features["avg_points_vs_opponent"] = features["avg_points_vs_opponent"].fillna(features["points_avg_season"])
    features = features.fillna(DEFAULTS)
    features = features.fillna({"vegas_points_line": 0.0, "vegas_opening_line": 0.0, "avg_points_vs_opponent": 0.0})
    out = targets[KEY_COLUMNS].copy()
    out[list(FEATURE_CONTRACT.names)] = features[list(FEATURE_CONTRACT.names)].astype(float)
    out["features_defaulted"] = missing.sum(axis=1).astype(int)
    out["defaulted_features"] = missing.dot(missing.columns + ",").str.rstrip(",")
    played = pd.Series(own_ctx["wins"].to_numpy(dtype=float) + own_ctx["losses"].to_numpy(dtype=float), index=targets.index)
    out["early_season"] = played.fillna(0) < EARLY_SEASON_TEAM_GAMES
    out["roster_source"] = targets["roster_source"] if "roster_source" in targets else None
    return out
