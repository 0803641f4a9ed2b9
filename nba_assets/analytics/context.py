"""Pre-game context of a slate: what is known about each team and rostered player before tip.

Every window looks strictly before the game date: rest and recent load come from games already
played, the record from games already finished, lines from snapshots taken before tip.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.analytics.asof import strictly_before
from nba_assets.analytics.lines import consensus_lines
from nba_assets.partitions import season_start_year

TEAM_CONTEXT_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "season": "Int64", "team_abbr": "string", "opponent_abbr": "string",
    "home": "boolean", "tip_time_utc": "datetime64[us]", "days_rest": "Int64", "back_to_back": "boolean",
    "games_in_last_7_days": "Int64", "wins": "Int64", "losses": "Int64", "win_pct": "float64",
}

PLAYER_CONTEXT_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "season": "Int64", "player_lookup": "string", "player_name": "string",
    "team_abbr": "string", "opponent_abbr": "string", "home": "boolean", "tip_time_utc": "datetime64[us]",
    "roster_source": "string", "days_rest": "Int64", "back_to_back": "boolean", "games_in_last_7_days": "Int64",
    "minutes_in_last_7_days": "float64", "date_of_birth": "datetime64[us]", "player_age": "float64",
    "injury_status": "string", "current_line": "float64", "opening_line": "float64", "line_movement": "float64",
    "line_books": "Int64", "line_spread": "float64", "line_snapshot_at_utc": "datetime64[us]", "recent_absences": "Int64",
}

DAY_OF = "day_of_roster"
FALLBACK = "box_score_fallback"


def slate_teams(games: pd.DataFrame) -> pd.DataFrame:
    """Two rows per scheduled game: each team with its opponent, side and tip time."""
    cols = ["game_date", "game_id", "tip_time_utc"]
    home = games[cols].assign(team_abbr=games["home_team_abbr"], opponent_abbr=games["away_team_abbr"], home=True)
    away = games[cols].assign(team_abbr=games["away_team_abbr"], opponent_abbr=games["home_team_abbr"], home=False)
    teams = pd.concat([home, away], ignore_index=True)
    teams["season"] = season_start_year(teams["game_date"])
    return teams


def _running_counts(events: pd.DataFrame, key: str, extra: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Events sorted by date with running totals per `key`: `n` (events so far) and any `extra` sums."""
    frame = events.sort_values([key, "game_date"], kind="stable").copy()
    frame["one"] = 1
    frame["n"] = frame.groupby(key)["one"].cumsum()
    for name, values in (extra or {}).items():
        frame[name] = values.loc[frame.index].astype(float)
        frame[name] = frame.groupby(key)[name].cumsum()
    return frame


def upcoming_team_context(games: pd.DataFrame, team_history: pd.DataFrame) -> pd.DataFrame:
    """Rest, back-to-back, games in the last 7 days and the record entering each game of the slate."""
    teams = slate_teams(games)
    if teams.empty:
        return pd.DataFrame(columns=list(TEAM_CONTEXT_COLUMNS)).astype(TEAM_CONTEXT_COLUMNS)
    played = _running_counts(team_history, "team_abbr", {"wins_so_far": team_history["win"].astype(float)})
    played["season_start_n"] = played["n"] - played.groupby(["team_abbr", "season"])["one"].cumsum()
    played["season_start_wins"] = played["wins_so_far"] - played.groupby(["team_abbr", "season"])["win"].transform(
        lambda s: s.astype(float).cumsum()
    )
    last = strictly_before(teams, played, "team_abbr", ["game_date", "n", "wins_so_far", "season", "season_start_n", "season_start_wins"])
    week_ago = strictly_before(teams, played, "team_abbr", ["n"], days_earlier=7)
    same_season = last["season"] == teams["season"]
    games_played = (last["n"] - last["season_start_n"]).where(same_season, 0).fillna(0)
    wins = (last["wins_so_far"] - last["season_start_wins"]).where(same_season, 0).fillna(0)
    teams["days_rest"] = (teams["game_date"] - last["game_date"]).dt.days
    teams["back_to_back"] = teams["days_rest"] == 1
    teams["games_in_last_7_days"] = (last["n"].fillna(0) - week_ago["n"].fillna(0)).astype(int)
    teams["wins"], teams["losses"] = wins.astype(int), (games_played - wins).astype(int)
    teams["win_pct"] = (wins / games_played.where(games_played > 0)).astype(float)
    return teams[list(TEAM_CONTEXT_COLUMNS)].astype(TEAM_CONTEXT_COLUMNS).sort_values(["game_date", "game_id", "home"]).reset_index(drop=True)


def age_on(game_dates: pd.Series, birth_dates: pd.Series) -> pd.Series:
    """Age in years on each game date: whole years since the last birthday plus the fraction of the
    year since then (exactly 25.0 on the 25th birthday, just under the day before)."""
    valid = birth_dates.notna() & game_dates.notna()
    out = pd.Series(np.nan, index=game_dates.index)
    if not valid.any():
        return out
    g, b = game_dates[valid], birth_dates[valid]
    years = g.dt.year - b.dt.year - ((g.dt.month < b.dt.month) | ((g.dt.month == b.dt.month) & (g.dt.day < b.dt.day))).astype(int)
    last_birthday = _add_years(b, years)
    next_birthday = _add_years(b, years + 1)
    out[valid] = years + (g - last_birthday).dt.days / (next_birthday - last_birthday).dt.days
    return out


def _add_years(dates: pd.Series, years: pd.Series) -> pd.Series:
    """`dates` moved by `years` (Feb 29 -> Feb 28 in common years)."""
    target_year = dates.dt.year + years
    leap = (target_year % 4 == 0) & ((target_year % 100 != 0) | (target_year % 400 == 0))
    day = dates.dt.day.where(~((dates.dt.month == 2) & (dates.dt.day == 29) & ~leap), 28)
    return pd.to_datetime(pd.DataFrame({"year": target_year, "month": dates.dt.month, "day": day}))


def rostered_players(teams: pd.DataFrame, rosters: pd.DataFrame, box: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Every rostered player of each team of the slate, with `player_lookup` and `roster_source`.

    The roster is the team's latest ESPN scrape taken on the game date before tip; a team without
    one (a backfilled date) takes its players from that day's box score (DNPs included).
    """
    espn_keys = registry[registry["source"] == "espn"][["source_id", "player_lookup"]].drop_duplicates("source_id")
    day_of = rosters[rosters["snapshot_kind"] == "day_of"].merge(teams[["game_date", "team_abbr", "game_id", "tip_time_utc"]], on=["game_date", "team_abbr"])
    before_tip = day_of[day_of["scraped_at_utc"] < day_of["tip_time_utc"]]
    chosen = before_tip if len(before_tip) else day_of
    latest = chosen.groupby(["game_date", "team_abbr"])["scraped_at_utc"].transform("max") == chosen["scraped_at_utc"]
    espn = chosen[latest].merge(espn_keys, left_on="espn_athlete_id", right_on="source_id", how="left")
    espn = espn.assign(roster_source=DAY_OF, roster_injury=espn["injury_status"])[
        ["game_date", "team_abbr", "player_lookup", "player_name", "roster_source", "roster_injury"]
    ]
    covered = espn[["game_date", "team_abbr"]].drop_duplicates()
    bdl_keys = registry[registry["source"] == "balldontlie"][["source_id", "player_lookup"]].drop_duplicates("source_id")
    fallback = box.merge(covered, on=["game_date", "team_abbr"], how="left", indicator=True)
    fallback = fallback[fallback["_merge"] == "left_only"].assign(source_id=lambda f: f["bdl_player_id"].astype("string"))
    fallback = fallback.merge(bdl_keys, on="source_id", how="left").assign(roster_source=FALLBACK, roster_injury=None)[
        ["game_date", "team_abbr", "player_lookup", "player_name", "roster_source", "roster_injury"]
    ]
    players = pd.concat([espn, fallback], ignore_index=True).dropna(subset=["player_lookup"])
    return players.drop_duplicates(["game_date", "team_abbr", "player_lookup"])


def upcoming_player_context(
    teams: pd.DataFrame,
    rosters: pd.DataFrame,
    box: pd.DataFrame,
    registry: pd.DataFrame,
    injuries: pd.DataFrame,
    props: pd.DataFrame,
    history: pd.DataFrame,
    birth_dates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every rostered player of the slate with rest, recent load, age, injury status and lines.

    `teams` is `upcoming_team_game_context`; `history` is `player_game_summary` of earlier dates
    (rows on or after a target's date are never used for it); `birth_dates` (`player_lookup`,
    `date_of_birth`) may come from any roster snapshot, default: those in `registry`.
    """
    players = rostered_players(teams, rosters, box, registry).merge(
        teams[["game_date", "game_id", "season", "team_abbr", "opponent_abbr", "home", "tip_time_utc"]], on=["game_date", "team_abbr"]
    )
    if players.empty:
        return pd.DataFrame(columns=list(PLAYER_CONTEXT_COLUMNS)).astype(PLAYER_CONTEXT_COLUMNS)
    played = history[history["minutes"] > 0]
    played = _running_counts(played, "player_lookup", {"minutes_so_far": played["minutes"]})
    last = strictly_before(players, played, "player_lookup", ["game_date", "n", "minutes_so_far"])
    week_ago = strictly_before(players, played, "player_lookup", ["n", "minutes_so_far"], days_earlier=7)
    players["days_rest"] = (players["game_date"] - last["game_date"]).dt.days
    players["back_to_back"] = players["days_rest"] == 1
    players["games_in_last_7_days"] = (last["n"].fillna(0) - week_ago["n"].fillna(0)).astype(int)
    players["minutes_in_last_7_days"] = last["minutes_so_far"].fillna(0) - week_ago["minutes_so_far"].fillna(0)
    players["recent_absences"] = recent_absences(players, history)

    births = birth_dates if birth_dates is not None else registry
    births = births.dropna(subset=["date_of_birth"]).drop_duplicates("player_lookup", keep="last")[["player_lookup", "date_of_birth"]]
    players = players.merge(births, on="player_lookup", how="left")
    players["player_age"] = age_on(players["game_date"], players["date_of_birth"])
    players["injury_status"] = injury_status(players, injuries, registry)

    lines = consensus_lines(props) if len(props) else consensus_lines(props.head(0))
    odds_keys = registry[registry["source"] == "odds"][["game_id", "source_name", "player_lookup"]].dropna()
    lines = lines.merge(odds_keys, left_on=["game_id", "player_name"], right_on=["game_id", "source_name"], how="inner", suffixes=("_raw", ""))
    lines = lines.drop_duplicates(["game_id", "player_lookup"])[
        ["game_id", "player_lookup", "current_line", "opening_line", "line_movement", "line_books", "line_spread", "line_snapshot_at_utc"]
    ]
    players = players.merge(lines, on=["game_id", "player_lookup"], how="left")
    out = players[list(PLAYER_CONTEXT_COLUMNS)].astype(PLAYER_CONTEXT_COLUMNS)
    return out.sort_values(["game_date", "game_id", "team_abbr", "player_lookup"]).reset_index(drop=True)


def recent_absences(players: pd.DataFrame, history: pd.DataFrame, games: int = 3) -> pd.Series:
    """How many of his team's last `games` games before the date the player did not play in."""
    history = history.astype({"player_lookup": "string", "team_abbr": "string"})
    players = players.astype({"player_lookup": "string", "team_abbr": "string"})
    team_games = history[["game_date", "team_abbr"]].drop_duplicates().sort_values("game_date", kind="stable")
    team_games["team_game_n"] = team_games.groupby("team_abbr").cumcount() + 1
    appearances = history[history["minutes"] > 0][["game_date", "team_abbr", "player_lookup"]].merge(team_games, on=["game_date", "team_abbr"])
    appearances = appearances.sort_values(["player_lookup", "team_abbr", "game_date"], kind="stable")
    appearances["played_so_far"] = appearances.groupby(["player_lookup", "team_abbr"]).cumcount() + 1
    team_now = strictly_before(players, team_games, "team_abbr", ["team_game_n"])["team_game_n"].fillna(0)
    played_now = strictly_before(players, appearances, ["player_lookup", "team_abbr"], ["played_so_far"])["played_so_far"].fillna(0)
    window_start = (team_now - games).clip(lower=0)
    targets = players[["player_lookup", "team_abbr"]].assign(window_start=window_start.astype(float), _order=range(len(players)))
    right = appearances[["player_lookup", "team_abbr", "team_game_n", "played_so_far"]].assign(team_game_n=lambda f: f["team_game_n"].astype(float))
    before_window = pd.merge_asof(
        targets.sort_values("window_start"), right.sort_values("team_game_n"),
        left_on="window_start", right_on="team_game_n", by=["player_lookup", "team_abbr"], direction="backward",
    ).sort_values("_order")["played_so_far"].fillna(0).to_numpy()
    played_in_window = played_now - before_window
    return ((team_now - window_start) - played_in_window).clip(lower=0).astype(int)


def injury_status(players: pd.DataFrame, injuries: pd.DataFrame, registry: pd.DataFrame) -> pd.Series:
    """The injury status known before tip: the game date's latest balldontlie report taken before
    tip, else the status on the ESPN roster used; empty when neither lists the player."""
    status = pd.Series(pd.NA, index=players.index, dtype="string")
    if len(injuries):
        bdl_keys = registry[registry["source"] == "balldontlie"][["source_id", "player_lookup"]].drop_duplicates("source_id")
        report = injuries.assign(source_id=injuries["bdl_player_id"].astype("string")).merge(bdl_keys, on="source_id")
        report = report.merge(players[["game_date", "player_lookup", "tip_time_utc"]], on=["game_date", "player_lookup"])
        report = report[report["scraped_at_utc"] < report["tip_time_utc"]].sort_values("scraped_at_utc")
        latest = report.drop_duplicates(["game_date", "player_lookup"], keep="last").set_index(["game_date", "player_lookup"])["status"]
        status = pd.Series(latest.reindex(pd.MultiIndex.from_frame(players[["game_date", "player_lookup"]])).to_numpy(), index=players.index, dtype="string")
    roster = players["roster_injury"].astype("string") if "roster_injury" in players else pd.Series(pd.NA, index=players.index, dtype="string")
    return status.fillna(roster)
