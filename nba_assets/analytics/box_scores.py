"""Box-score analytics: player and team game summaries (plain functions of DataFrames).

Formulas (per game; a team's box totals are the sum of its players'):
- points, the result and the game's length come from the schedule (`raw_games`: final score,
  periods: 48 minutes plus 5 per overtime); the box score gives the rest;
- possessions = FGA + 0.44 * FTA + TOV - OREB of the box score. A box score that lists only some of
  a team's players (its points fall short of the final score: `box_score_share` < 1) undercounts
  them, so they are scaled by 1 / box_score_share: the missing players are taken to use
  possessions at the rate per point of those listed;
- offensive rating = 100 * points / possessions; defensive rating = 100 * opponent points /
  opponent possessions; pace = 48 * (possessions + opponent possessions) / 2 / game minutes
- usage rate (%) = 100 * (FGA + 0.44 FTA + TOV) * (team minutes / 5) / (minutes * (team FGA + 0.44 team FTA + team TOV)),
  left empty below 5 minutes, where a stint is too short to estimate;
- true shooting % = points / (2 * (FGA + 0.44 FTA)); effective FG % = (FGM + 0.5 * 3PM) / FGA
  (fractions; empty without attempts); `position` is balldontlie's ("G", "F-C", ...).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.partitions import season_start_year

USAGE_MIN_MINUTES = 5.0
STATS = ["fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf"]

PLAYER_GAME_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "season": "Int64", "player_lookup": "string", "bdl_player_id": "Int64",
    "player_name": "string", "team_abbr": "string", "opponent_abbr": "string", "home": "boolean", "minutes": "float64",
    "points": "Int64", **{s: "Int64" for s in STATS}, "plus_minus": "Int64", "is_dnp": "boolean",
    "usage_rate": "float64", "ts_pct": "float64", "efg_pct": "float64", "position": "string",
}

TEAM_GAME_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "season": "Int64", "team_abbr": "string", "opponent_abbr": "string",
    "home": "boolean", "minutes": "float64", "points": "Int64", "opp_points": "Int64", "fga": "Int64", "fta": "Int64",
    "tov": "Int64", "oreb": "Int64", "possessions": "float64", "opp_possessions": "float64", "off_rating": "float64",
    "def_rating": "float64", "pace": "float64", "win": "boolean", "box_score_share": "float64",
}
REGULATION_MINUTES, OVERTIME_MINUTES = 48, 5


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    numerator, denominator = numerator.astype(float), denominator.astype(float)
    return (numerator / denominator.where(denominator > 0)).astype(float)


def player_game_summary(box: pd.DataFrame, lookups: pd.Series) -> pd.DataFrame:
    """One row per player per game, DNPs included, from `raw_box_scores` rows and their `player_lookup`s."""
    frame = box.rename(columns={"turnover": "tov", "pts": "points"}).assign(player_lookup=lookups.to_numpy())
    frame["season"] = season_start_year(frame["game_date"])
    frame["is_dnp"] = frame["minutes"] <= 0
    if "position" not in frame:
        frame["position"] = None
    team = frame.groupby(["game_id", "team_abbr"])[["minutes", "fga", "fta", "tov"]].transform("sum").astype(float)
    used = frame["fga"].astype(float) + 0.44 * frame["fta"].astype(float) + frame["tov"].astype(float)
    team_used = team["fga"] + 0.44 * team["fta"] + team["tov"]
    usage = 100 * used * (team["minutes"] / 5) / (frame["minutes"] * team_used.where(team_used > 0))
    frame["usage_rate"] = usage.where(frame["minutes"] >= USAGE_MIN_MINUTES)
    frame["ts_pct"] = _ratio(frame["points"], 2 * (frame["fga"].astype(float) + 0.44 * frame["fta"].astype(float)))
    frame["efg_pct"] = _ratio(frame["fgm"].astype(float) + 0.5 * frame["fg3m"].astype(float), frame["fga"])
    for column in ("usage_rate", "ts_pct", "efg_pct"):
        frame.loc[frame["is_dnp"], column] = np.nan
    return frame[list(PLAYER_GAME_COLUMNS)].astype(PLAYER_GAME_COLUMNS).reset_index(drop=True)


def game_minutes(periods: pd.Series) -> pd.Series:
    """A game's length in minutes from its periods: 48, plus 5 per overtime."""
    return REGULATION_MINUTES + OVERTIME_MINUTES * (periods.astype(float) - 4).clip(lower=0)


def final_scores(games: pd.DataFrame) -> pd.DataFrame:
    """Each team of each game of the schedule with its final points and the game's minutes."""
    sides = [games.assign(team_abbr=games[f"{side}_team_abbr"], final_points=games[f"{side}_score"]) for side in ("home", "away")]
    both = pd.concat(sides, ignore_index=True)
    return both.assign(game_minutes=game_minutes(both["period"].fillna(4)))[["game_id", "team_abbr", "final_points", "game_minutes"]]


def team_game_summary(players: pd.DataFrame, games: pd.DataFrame | None = None) -> pd.DataFrame:
    """Two rows per game (one per team) from `player_game_summary` rows and the games' final scores
    and periods (`raw_games`; without them, the box score's own points and minutes)."""
    keys = ["game_date", "game_id", "season", "team_abbr", "opponent_abbr", "home"]
    if players.empty:
        return pd.DataFrame(columns=list(TEAM_GAME_COLUMNS)).astype(TEAM_GAME_COLUMNS)
    totals = players.groupby(keys, as_index=False)[["minutes", "points", "fga", "fta", "tov", "oreb"]].sum()
    box_points = totals["points"].astype(float)
    if games is not None:
        final = totals[["game_id", "team_abbr"]].merge(final_scores(games), on=["game_id", "team_abbr"], how="left")
        totals["points"] = final["final_points"].fillna(totals["points"]).to_numpy()
        totals["minutes"] = final["game_minutes"].fillna(totals["minutes"] / 5).to_numpy()
    else:
        totals["minutes"] = totals["minutes"] / 5
    totals["box_score_share"] = _ratio(box_points, totals["points"]).fillna(1.0).clip(upper=1.0)
    box_possessions = totals["fga"] + 0.44 * totals["fta"] + totals["tov"] - totals["oreb"]
    totals["possessions"] = box_possessions / totals["box_score_share"].where(totals["box_score_share"] > 0)
    opponent = totals[["game_id", "team_abbr", "points", "possessions"]].rename(
        columns={"team_abbr": "opponent_abbr", "points": "opp_points", "possessions": "opp_possessions"}
    )
    out = totals.merge(opponent, on=["game_id", "opponent_abbr"], how="left")
    out["off_rating"] = 100 * _ratio(out["points"], out["possessions"])
    out["def_rating"] = 100 * _ratio(out["opp_points"], out["opp_possessions"])
    out["pace"] = 48 * (out["possessions"] + out["opp_possessions"]) / 2 / out["minutes"].where(out["minutes"] > 0)
    out["win"] = out["points"] > out["opp_points"]
    return out[list(TEAM_GAME_COLUMNS)].astype(TEAM_GAME_COLUMNS).sort_values(["game_id", "home"], ascending=[True, False]).reset_index(drop=True)
