"""`raw_games`: the balldontlie schedule and results of a game date."""


from datetime import date

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, Output

from nba_assets.raw.common import (
    ContractViolation,
    RawConfig,
    ScrapeReport,
    game_date_value,
    game_id,
    latest_or_fetch,
    need,
    need_int,
    need_str,
    parse_utc,
    partition_days,
    parsing,
    typed_frame,
)
from nba_assets.tables import raw_asset
from resources.balldontlie import BalldontlieResource
from resources.landing import LandingZoneResource
from resources.teams import BY_TRICODE

GAMES_COLUMNS = {
    "game_date": "datetime64[us]",
    "game_id": "string",
    "bdl_game_id": "Int64",
    "season": "Int64",
    "status": "string",
    "is_final": "boolean",
    "period": "Int64",
    "postseason": "boolean",
    "tip_time_utc": "datetime64[us]",
    "home_team_abbr": "string",
    "away_team_abbr": "string",
    "home_score": "Int64",
    "away_score": "Int64",
    "scraped_at_utc": "datetime64[us]",
}

NOT_PLAYED = frozenset({"Postponed", "Cancelled", "Canceled"})


def team_abbr(game: dict, side: str, where: str) -> str:
    """The NBA tricode of `home_team` / `visitor_team` of a balldontlie game."""
    abbr = need_str(game, side, "abbreviation", where=where)
    if abbr not in BY_TRICODE:
        raise ContractViolation(f"{where}: field '{side}.abbreviation' is not an NBA tricode: {abbr!r}")
    return abbr


def game_identity(game: dict, day: date) -> tuple[str, str, str, str]:
    """(where, game_id, away, home) of a balldontlie game object that should belong to `day`."""
    where = f"game {game.get('id', '?')}"
    listed = need_str(game, "date", where=where)[:10]
    if listed != day.isoformat():
        raise ContractViolation(f"{where}: field 'date' is {listed}, not the requested {day.isoformat()}")
    home = team_abbr(game, "home_team", where)
    away = team_abbr(game, "visitor_team", where)
    return where, game_id(day, away, home), away, home


def parse_games(pages: list[dict], day: date, scraped_at: pd.Timestamp) -> pd.DataFrame:
    """One row per game of `day` from the pages of `GET /v1/games?dates[]=day`."""
    rows = []
    for page in pages:
        for game in need(page, "data", where="page"):
            where, gid, away, home = game_identity(game, day)
            status = need_str(game, "status", where=where)
            rows.append(
                {
                    "game_date": game_date_value(day),
                    "game_id": gid,
                    "bdl_game_id": need_int(game, "id", where=where),
                    "season": need_int(game, "season", where=where),
                    "status": status,
                    "is_final": status == "Final",
                    "period": need_int(game, "period", where=where, allow_none=True),
                    "postseason": bool(game.get("postseason", False)),
                    "tip_time_utc": parse_utc(need_str(game, "datetime", where=where), where, "datetime"),
                    "home_team_abbr": home,
                    "away_team_abbr": away,
                    "home_score": need_int(game, "home_team_score", where=where, allow_none=True),
                    "away_score": need_int(game, "visitor_team_score", where=where, allow_none=True),
                    "scraped_at_utc": scraped_at,
                }
            )
    frame = typed_frame(rows, GAMES_COLUMNS)
    duplicated = frame["game_id"][frame["game_id"].duplicated()]
    if len(duplicated):
        raise ContractViolation(f"game_id {duplicated.iloc[0]} appears twice (a team plays two games on one date?)")
    return frame.sort_values("tip_time_utc", kind="stable").reset_index(drop=True)


@raw_asset(columns=GAMES_COLUMNS, kinds={"balldontlie"})
def raw_games(context: AssetExecutionContext, config: RawConfig, balldontlie: BalldontlieResource, landing: LandingZoneResource) -> Output[pd.DataFrame]:
    """balldontlie schedule and results of the game date: one row per game, with tip time (UTC),
    status (`Final`, the tip time before it starts, the quarter while it is played) and scores.
    `game_id` is `YYYYMMDD_AWAY_HOME` with the ET game date."""
    zone, report, frames = landing.zone(), ScrapeReport(), []
    for key, day in partition_days(context.partition_keys):

        def fetch() -> tuple[dict, list[dict]]:
            api = balldontlie.api(key)
            with api.session:
                pages = api.games(day)
            report.stats.append(api.session.stats)
            return {"path": "/v1/games", "params": {"dates[]": key}}, pages

        record = latest_or_fetch(zone, "balldontlie", "games", key, config.reparse, fetch, report)
        with parsing("balldontlie", "GET /v1/games", key):
            frames.append(parse_games(record.payload, day, parse_utc(record.fetched_at, "landing", "fetched_at")))
    frame = pd.concat(frames, ignore_index=True) if frames else typed_frame([], GAMES_COLUMNS)
    tips = {f"{day:%Y-%m-%d}": [f"{t:%Y-%m-%dT%H:%M:%S}" for t in rows["tip_time_utc"]] for day, rows in frame.groupby("game_date")}
    return Output(frame, metadata={**report.metadata(frame, GAMES_COLUMNS), "tip_times_utc": MetadataValue.json(tips)})
