"""CSV adapters: the real 2024-25 data of `../shared/real-data` (see its SOURCES.md) in the shapes the
project's analytics functions take. Only reading and reshaping here; every computation is the project's.

- player logs (nba_api) -> `player_game_summary` rows (PLAYER_GAME_COLUMNS; usage/ts/efg left empty)
- team logs (regular season) -> `team_game_summary` (the project's function fed one totals row per team-game)
- DFS lines (PrizePicks, Underdog) -> raw quotes for `consensus_lines`: an Over and an Under at -110 per
  player, book and game, snapshot one hour before tip
- registry rows (balldontlie-shaped ids, odds names matched by the registry's own `odds_players`)
- birth dates (NBA.com person id first, then Basketball-Reference by name)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from nba_assets.analytics.box_scores import PLAYER_GAME_COLUMNS, team_game_summary
from nba_assets.analytics.names import name_words, without_suffix
from nba_assets.analytics.registry import REGISTRY_COLUMNS, odds_players
from nba_assets.keys import player_lookup

SEASON = 2024
FIRST_DAY, LAST_DAY = pd.Timestamp("2024-10-22"), pd.Timestamp("2025-04-13")
BOOKS = {"prizepicks": ["PrizePicks"], "underdog": ["Underdog"], "both": ["PrizePicks", "Underdog"]}
SNAPSHOT_BEFORE_TIP = pd.Timedelta(hours=1)


def _game_id(dates: pd.Series, away: pd.Series, home: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y%m%d") + "_" + away + "_" + home


def _is_home(matchup: pd.Series, team: pd.Series) -> pd.Series:
    """"MIL vs. DET": MIL at home; "DET @ MIL": MIL at home, from either team's row (NBA.com writes a
    neutral-site game, Cup semifinals or abroad, as "A @ B" for both teams: B is the nominal home)."""
    parts = matchup.str.split(" ")
    home_team = parts.str[-1].where(matchup.str.contains(" @ ", regex=False), parts.str[0])
    return team == home_team


def _opponent(matchup: pd.Series, team: pd.Series) -> pd.Series:
    parts = matchup.str.split(" ")
    return parts.str[-1].where(parts.str[0] == team, parts.str[0])


def player_games(data: Path) -> pd.DataFrame:
    """`player_game_summary` rows from the nba_api regular-season player logs (players who appeared)."""
    logs = pd.read_csv(data / "boxscores/nba_api_player_gamelogs_2024_25_regular.csv")
    logs["game_date"] = pd.to_datetime(logs["date"])
    logs = logs[logs["game_date"].between(FIRST_DAY, LAST_DAY)]
    team = logs["matchup"].str.split(" ").str[0]
    home = _is_home(logs["matchup"], team)
    frame = pd.DataFrame({
        "game_date": logs["game_date"], "season": SEASON, "player_lookup": logs["player"].map(player_lookup),
        "bdl_player_id": logs["player_id"], "player_name": logs["player"], "team_abbr": team, "opponent_abbr": logs["opponent"],
        "home": home, "minutes": logs["minutes"].astype(float), "points": logs["pts"], "fgm": logs["fgm"], "fga": logs["fga"],
        "fg3m": logs["threes_made"], "fg3a": logs["threes_attempted"], "ftm": logs["ftm"], "fta": logs["fta"], "oreb": logs["oreb"],
        "dreb": logs["dreb"], "reb": logs["reb"], "ast": logs["ast"], "stl": logs["stl"], "blk": logs["blk"], "tov": logs["tov"],
        "pf": logs["pf"], "plus_minus": logs["plus_minus"], "is_dnp": logs["minutes"] <= 0,
        "usage_rate": np.nan, "ts_pct": np.nan, "efg_pct": np.nan,
    })
    frame["game_id"] = _game_id(frame["game_date"], frame["opponent_abbr"].where(frame["home"], frame["team_abbr"]),
                                frame["team_abbr"].where(frame["home"], frame["opponent_abbr"]))
    return frame[list(PLAYER_GAME_COLUMNS)].astype(PLAYER_GAME_COLUMNS).sort_values(["game_date", "game_id", "team_abbr"]).reset_index(drop=True)


def team_games(data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`team_game_summary` of the regular season, team name -> tricode) from the NBA.com team logs.

    The project's `team_game_summary` sums player rows; fed one row per team-game holding the team's
    totals (MIN = 5 x 48 player minutes) it gives the team-log figures exactly."""
    logs = pd.read_csv(data / "boxscores/nba_api_team_gamelogs_2024_25.csv", dtype={"SEASON_ID": str, "GAME_ID": str})
    names = logs[["TEAM_NAME", "TEAM_ABBREVIATION"]].drop_duplicates()
    logs = logs[logs["SEASON_ID"].str[0] == "2"].copy()
    logs["game_date"] = pd.to_datetime(logs["GAME_DATE"])
    home = _is_home(logs["MATCHUP"], logs["TEAM_ABBREVIATION"])
    opponent = _opponent(logs["MATCHUP"], logs["TEAM_ABBREVIATION"])
    totals = pd.DataFrame({
        "game_date": logs["game_date"].astype("datetime64[us]"), "season": SEASON, "team_abbr": logs["TEAM_ABBREVIATION"],
        "opponent_abbr": opponent, "home": home, "minutes": logs["MIN"].astype(float), "points": logs["PTS"],
        "fga": logs["FGA"], "fta": logs["FTA"], "tov": logs["TOV"], "oreb": logs["OREB"],
    })
    totals["game_id"] = _game_id(totals["game_date"], totals["opponent_abbr"].where(home, totals["team_abbr"]), totals["team_abbr"].where(home, totals["opponent_abbr"]))
    return team_game_summary(totals), names


def schedule(teams: pd.DataFrame, tips: pd.DataFrame) -> pd.DataFrame:
    """`raw_games`-shaped rows: tip time from the lines file where known, else 00:00 UTC of the next day."""
    games = teams[teams["home"]][["game_date", "game_id", "team_abbr", "opponent_abbr"]].rename(
        columns={"team_abbr": "home_team_abbr", "opponent_abbr": "away_team_abbr"})
    games = games.merge(tips, on="game_id", how="left")
    games["tip_time_utc"] = games["tip_time_utc"].fillna(games["game_date"] + pd.Timedelta(days=1)).astype("datetime64[us]")
    return games.sort_values(["game_date", "game_id"]).reset_index(drop=True)


def dfs_lines(data: Path, books: str, team_names: pd.DataFrame) -> pd.DataFrame:
    """One row per line: game_date (ET), game_id, tip_time_utc (naive UTC), bookmaker, player_name, line."""
    lines = pd.read_csv(data / "props/dfs_player_points_2024_25_prizepicks_underdog.csv")
    lines = lines[(lines["market"] == "player_points") & lines["bookmaker"].isin(BOOKS[books])]
    code = dict(zip(team_names["TEAM_NAME"], team_names["TEAM_ABBREVIATION"]))
    code["Los Angeles Clippers"] = code.get("LA Clippers", "LAC")
    tip = pd.to_datetime(lines["commence_time"], utc=True)
    lines = lines.assign(
        game_date=tip.dt.tz_convert("America/New_York").dt.tz_localize(None).dt.normalize().astype("datetime64[us]"),
        tip_time_utc=tip.dt.tz_localize(None).astype("datetime64[us]"), player_name=lines["player"],
        home_team_abbr=lines["home_team"].map(code), away_team_abbr=lines["away_team"].map(code),
    )
    lines["game_id"] = _game_id(lines["game_date"], lines["away_team_abbr"], lines["home_team_abbr"])
    return lines[["game_date", "game_id", "tip_time_utc", "bookmaker", "player_name", "line"]].reset_index(drop=True)


def quotes(lines: pd.DataFrame, games: pd.DataFrame) -> pd.DataFrame:
    """Raw quotes for `consensus_lines`: Over and Under at -110 for each line of a scheduled game."""
    lines = lines.drop(columns="tip_time_utc").merge(games[["game_id", "tip_time_utc"]], on="game_id")
    lines["snapshot_at_utc"] = lines["tip_time_utc"] - SNAPSHOT_BEFORE_TIP
    sides = [lines.assign(side=side, price=-110.0) for side in ("Over", "Under")]
    return pd.concat(sides, ignore_index=True)[["game_date", "game_id", "snapshot_at_utc", "tip_time_utc", "bookmaker", "player_name", "side", "line", "price"]]


def _suffixless(name: str) -> str:
    return "".join(without_suffix(name_words(name)))


def birth_dates(data: Path, box: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """(`player_lookup`, `date_of_birth`) of the box-score players, and how each was found."""
    players = box.drop_duplicates("bdl_player_id")[["bdl_player_id", "player_name", "player_lookup"]]
    nba = pd.read_csv(data / "rosters/nba_common_player_info_snapshot2023.csv")
    by_id = players.merge(nba[["person_id", "birthdate"]], left_on=players["bdl_player_id"].astype(int), right_on="person_id")
    bbref = pd.read_csv(data / "rosters/bbref_player_career_info_active_since_2020.csv").dropna(subset=["birth_date"])
    bbref = bbref.assign(player_lookup=bbref["player"].map(player_lookup), loose=bbref["player"].map(_suffixless))
    rest = players[~players["player_lookup"].isin(by_id["player_lookup"])]
    exact = rest.merge(bbref.drop_duplicates("player_lookup", keep=False)[["player_lookup", "birth_date"]], on="player_lookup")
    rest = rest[~rest["player_lookup"].isin(exact["player_lookup"])].assign(loose=lambda f: f["player_name"].map(_suffixless))
    loose = rest.merge(bbref.drop_duplicates("loose", keep=False)[["loose", "birth_date"]], on="loose")
    out = pd.concat([
        by_id[["player_lookup"]].assign(date_of_birth=pd.to_datetime(by_id["birthdate"])),
        exact[["player_lookup"]].assign(date_of_birth=pd.to_datetime(exact["birth_date"])),
        loose[["player_lookup"]].assign(date_of_birth=pd.to_datetime(loose["birth_date"])),
    ], ignore_index=True).astype({"date_of_birth": "datetime64[us]"})
    return out, {"players": len(players), "nba_person_id": len(by_id), "bbref_name": len(exact), "bbref_without_suffix": len(loose)}


def registry(box: pd.DataFrame, lines: pd.DataFrame, births: pd.DataFrame) -> pd.DataFrame:
    """Registry rows: one `balldontlie` row per player id (the nba_api person id) and one `odds` row per
    line name and game, matched by the registry's `odds_players` among the players of the game's teams."""
    ids = box.drop_duplicates("bdl_player_id").merge(births, on="player_lookup", how="left")
    bdl = pd.DataFrame({
        "source": "balldontlie", "source_id": ids["bdl_player_id"].astype("string"), "player_lookup": ids["player_lookup"],
        "source_name": ids["player_name"], "game_id": None, "date_of_birth": ids["date_of_birth"], "match_method": "id",
    })
    candidates = box[["team_abbr", "player_name", "player_lookup"]].drop_duplicates(["team_abbr", "player_lookup"])
    odds = odds_players(lines[["game_date", "game_id", "player_name"]], candidates)
    odds = odds.assign(source="odds", date_of_birth=pd.NaT)[list(bdl.columns)]
    rows = pd.concat([bdl, odds.astype({"date_of_birth": "datetime64[us]"})], ignore_index=True)
    rows = rows.assign(game_date=pd.NaT, team_abbr=None)[list(REGISTRY_COLUMNS)]
    return rows.astype(REGISTRY_COLUMNS)  # the registry table's types (merge_asof keys must match exactly)


def empty_rosters() -> pd.DataFrame:
    """No ESPN scrapes: every team takes its players from the date's box score."""
    return pd.DataFrame({
        "game_date": pd.Series(dtype="datetime64[us]"), "team_abbr": pd.Series(dtype="string"), "snapshot_kind": pd.Series(dtype="string"),
        "scraped_at_utc": pd.Series(dtype="datetime64[us]"), "espn_athlete_id": pd.Series(dtype="string"),
        "player_name": pd.Series(dtype="string"), "injury_status": pd.Series(dtype="string"), "date_of_birth": pd.Series(dtype="datetime64[us]"),
    })


def empty_injuries() -> pd.DataFrame:
    return pd.DataFrame({
        "game_date": pd.Series(dtype="datetime64[us]"), "bdl_player_id": pd.Series(dtype="Int64"), "player_name": pd.Series(dtype="string"),
        "team_abbr": pd.Series(dtype="string"), "status": pd.Series(dtype="string"), "scraped_at_utc": pd.Series(dtype="datetime64[us]"),
    })
