"""The player registry: every id and spelling seen in a source, resolved to one `player_lookup`.

- balldontlie (box scores, injury report): the id is the identity; the key is `player_lookup` of
  the balldontlie name.
- ESPN (rosters): matched to a balldontlie player of the same team by name (see `names`); an
  athlete who has never appeared in a balldontlie box score keeps his own key (`espn_only`).
- The Odds API (player-points quotes): matched by name among the players of that game's two
  teams. A name like no known player of the game (no shared last name, no near spelling: a rookie
  before his first box score, a player the other sources lack) keeps its own key (`odds_only`);
  one that could be a known player but matches none by the rules stays unresolved. Both are
  listed in the asset's metadata.
"""

from __future__ import annotations

import pandas as pd

from nba_assets.analytics.names import resolve_names, unlike_any_candidate
from nba_assets.keys import player_lookup

REGISTRY_COLUMNS = {
    "game_date": "datetime64[us]", "source": "string", "source_id": "string", "source_name": "string",
    "team_abbr": "string", "game_id": "string", "player_lookup": "string", "match_method": "string",
    "date_of_birth": "datetime64[us]",
}


def _frame(rows: pd.DataFrame) -> pd.DataFrame:
    for column in REGISTRY_COLUMNS:
        if column not in rows:
            rows[column] = None
    return rows[list(REGISTRY_COLUMNS)].astype(REGISTRY_COLUMNS)


def balldontlie_players(box: pd.DataFrame, injuries: pd.DataFrame) -> pd.DataFrame:
    """Registry rows of balldontlie ids (box scores and the injury report), keyed by their names."""
    columns = ["game_date", "bdl_player_id", "player_name", "team_abbr"]
    parts = [frame[columns] for frame in (box, injuries) if len(frame)]
    seen = (pd.concat(parts, ignore_index=True) if parts else box[columns]).drop_duplicates(["game_date", "bdl_player_id"])
    return seen.assign(
        source="balldontlie", source_id=seen["bdl_player_id"].astype("string"), source_name=seen["player_name"],
        player_lookup=seen["player_name"].map(player_lookup), match_method="id",
    )


def espn_players(rosters: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Registry rows of ESPN athletes, matched by name to known balldontlie players of their team."""
    athletes = rosters.sort_values("scraped_at_utc").drop_duplicates(["game_date", "espn_athlete_id"], keep="last")
    names = athletes.rename(columns={"player_name": "name"})[["game_date", "espn_athlete_id", "name", "team_abbr", "date_of_birth"]]
    resolved = resolve_names(names, known.rename(columns={"player_name": "name"}), group="team_abbr")
    unresolved = resolved["player_lookup"].isna()
    resolved.loc[unresolved, "player_lookup"] = resolved.loc[unresolved, "name"].map(player_lookup)
    resolved.loc[unresolved, "match_method"] = "espn_only"
    return resolved.assign(source="espn", source_id=resolved["espn_athlete_id"], source_name=resolved["name"])


def odds_players(props: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Registry rows of The Odds API names, matched among the players of each game's two teams."""
    names = props[["game_date", "game_id", "player_name"]].drop_duplicates(["game_id", "player_name"]).rename(columns={"player_name": "name"})
    if names.empty:
        return names.assign(source="odds", source_id=None, source_name=None, player_lookup=None, match_method=None)
    sides = names[["game_id"]].drop_duplicates()
    sides = pd.concat(
        [sides.assign(team_abbr=sides["game_id"].str.split("_").str[1]), sides.assign(team_abbr=sides["game_id"].str.split("_").str[2])]
    )
    per_game = sides.merge(candidates, on="team_abbr").rename(columns={"player_name": "name"})
    resolved = resolve_names(names, per_game, group="game_id")
    new = unlike_any_candidate(resolved, per_game, group="game_id")
    resolved.loc[new, "player_lookup"] = resolved.loc[new, "name"].map(player_lookup)
    resolved.loc[new, "match_method"] = "odds_only"
    resolved["team_abbr"] = resolved.merge(
        per_game[["game_id", "player_lookup", "team_abbr"]].drop_duplicates(["game_id", "player_lookup"]), on=["game_id", "player_lookup"], how="left"
    )["team_abbr"].to_numpy()
    return resolved.assign(source="odds", source_id=resolved["name"], source_name=resolved["name"])


def build_registry(box: pd.DataFrame, known_box: pd.DataFrame, rosters: pd.DataFrame, injuries: pd.DataFrame, props: pd.DataFrame) -> pd.DataFrame:
    """Registry rows for the dates of `box` / `rosters` / `props` / `injuries`.

    `known_box` is every box-score row the resolution may learn names from (history and the
    dates themselves): identities, not outcomes.
    """
    bdl = balldontlie_players(box, injuries)
    known = known_box[["team_abbr", "player_name"]].assign(player_lookup=known_box["player_name"].map(player_lookup)).drop_duplicates(
        ["team_abbr", "player_lookup"]
    )
    espn = espn_players(rosters, known)
    espn_known = espn[["team_abbr", "name", "player_lookup"]].rename(columns={"name": "player_name"})
    candidates = pd.concat([known, espn_known], ignore_index=True).drop_duplicates(["team_abbr", "player_lookup"])
    odds = odds_players(props, candidates)
    rows = pd.concat([_frame(bdl), _frame(espn), _frame(odds)], ignore_index=True)
    return rows.sort_values(["game_date", "source", "source_id"], kind="stable").reset_index(drop=True)
