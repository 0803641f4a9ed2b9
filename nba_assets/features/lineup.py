"""Who else is on the floor: the minutes of teammates who are out, and how the opponent defends the
player's position. Point in time, for a whole slate at once, from games strictly before the date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.analytics.asof import strictly_before

POSITIONS = ("G", "F", "C")
ALLOWED_GAMES = 15


def teammates_out_minutes(targets: pd.DataFrame, recent_minutes: pd.Series, history: pd.DataFrame) -> pd.Series:
    """Per target row: the recent minutes (last-10 average) of the teammates on his roster that day who
    are ruled out before tip or did not play in their team's previous game: the minutes someone else
    must play. The player's own minutes never count."""
    team_games = history[["game_date", "team_abbr"]].drop_duplicates()
    last_game = strictly_before(targets, team_games.assign(last_game=team_games["game_date"]), "team_abbr", ["last_game"])["last_game"]
    dnp = history.loc[history["minutes"].astype(float) <= 0, ["game_date", "team_abbr", "player_lookup"]].assign(dnp=True)
    sat_out = targets[["team_abbr", "player_lookup"]].assign(game_date=last_game.to_numpy()).merge(dnp, on=["game_date", "team_abbr", "player_lookup"], how="left")
    ruled_out = targets["injury_status"].astype("string").str.lower().eq("out").fillna(False).to_numpy()
    missing = (sat_out["dnp"].notna().to_numpy() | ruled_out) * recent_minutes.fillna(0.0).to_numpy()
    team_total = pd.Series(missing, index=targets.index).groupby([targets["game_id"], targets["team_abbr"]]).transform("sum")
    return (team_total - missing).astype(float)


def primary_position(position: pd.Series) -> pd.Series:
    """G, F or C from balldontlie's position ("G-F" -> G); empty when unknown."""
    first = position.astype("string").str.strip().str[:1].str.upper()
    return first.where(first.isin(POSITIONS))


def opponent_allowed_to_position(targets: pd.DataFrame, history: pd.DataFrame) -> pd.Series:
    """Per target row: the points the opponent allowed per game to players of the player's position
    (his latest known one) over its last `ALLOWED_GAMES` games before the date; empty without history."""
    played = history[history["minutes"].astype(float) > 0].assign(position=lambda f: primary_position(f["position"]))
    known = played.dropna(subset=["position"])
    allowed = known.groupby(["game_date", "game_id", "opponent_abbr", "position"], as_index=False)["points"].sum()
    allowed = allowed.rename(columns={"opponent_abbr": "defense"}).sort_values(["defense", "position", "game_date"], kind="stable")
    allowed["points"] = allowed["points"].astype(float)
    allowed["allowed"] = allowed.groupby(["defense", "position"])["points"].transform(lambda s: s.rolling(ALLOWED_GAMES, min_periods=1).mean())
    position = strictly_before(targets, known.assign(pos=known["position"]), "player_lookup", ["pos"])["pos"]
    asked = targets[["game_date"]].assign(defense=targets["opponent_abbr"].to_numpy(), position=position.to_numpy())
    found = pd.Series(np.nan, index=targets.index)
    has_position = asked["position"].notna()
    if has_position.any() and len(allowed):
        found[has_position] = strictly_before(asked[has_position], allowed, ["defense", "position"], ["allowed"])["allowed"].to_numpy()
    return found.astype(float)
