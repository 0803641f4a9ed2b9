"""`live_box_scores`: the box scores of the games in progress right now."""


import pandas as pd
from dagster import AssetExecutionContext, Output

from nba_assets.raw.box_scores import BOX_SCORE_COLUMNS, player_rows
from nba_assets.raw.common import (
    ContractViolation,
    ScrapeReport,
    land,
    need,
    need_int,
    need_str,
    parse_utc,
    parsing,
    stamp,
    typed_frame,
)
from nba_assets.raw.games import team_abbr
from nba_assets.tables import raw_asset
from nba_assets.raw.common import game_id
from resources.balldontlie import BalldontlieResource
from resources.clock import now_utc, today_et
from resources.landing import LandingZoneResource

LIVE_COLUMNS = {
    "fetched_at_utc": "datetime64[us]",
    "status": "string",
    "period": "Int64",
    "clock": "string",
    "home_score": "Int64",
    "away_score": "Int64",
    **{name: dtype for name, dtype in BOX_SCORE_COLUMNS.items() if name != "scraped_at_utc"},
}


def parse_live(pages: list[dict], fetched_at: pd.Timestamp) -> pd.DataFrame:
    """Player rows of every in-progress game in the pages of `GET /v1/box_scores/live`."""
    rows = []
    for page in pages:
        for game in need(page, "data", where="live page"):
            where = f"live game {game.get('id', '?')}"
            day = pd.Timestamp(need_str(game, "date", where=where)[:10]).date()
            gid = game_id(day, team_abbr(game, "visitor_team", where), team_abbr(game, "home_team", where))
            state = {
                "fetched_at_utc": fetched_at,
                "status": need_str(game, "status", where=where),
                "period": need_int(game, "period", where=where, allow_none=True),
                "clock": game.get("time"),
                "home_score": need_int(game, "home_team_score", where=where, allow_none=True),
                "away_score": need_int(game, "visitor_team_score", where=where, allow_none=True),
            }
            for row in player_rows(game, day, gid, where, fetched_at):
                row.pop("scraped_at_utc")
                rows.append({**state, **row})
    frame = typed_frame(rows, LIVE_COLUMNS)
    if frame.duplicated(["game_id", "bdl_player_id"]).any():
        raise ContractViolation("a player appears twice in one live game")
    return frame


@raw_asset(columns=LIVE_COLUMNS, kinds={"balldontlie"}, partitioned=False)
def live_box_scores(context: AssetExecutionContext, balldontlie: BalldontlieResource, landing: LandingZoneResource) -> Output[pd.DataFrame]:
    """Box scores of the games in progress now (balldontlie live endpoint): one row per player,
    with the game's status, period, clock and score. Replaced on every refresh; empty when no
    game is being played. Each response is kept in the landing zone under today's ET date."""
    report = ScrapeReport()
    api = balldontlie.api("live")
    with api.session:
        pages = api.live_box_scores()
    report.stats.append(api.session.stats)
    record = land(landing.zone(), "balldontlie", "live_box_scores", today_et().isoformat(), f"fetch-{stamp(now_utc())}", {"path": "/v1/box_scores/live"}, pages, report)
    report.records_used += 1
    with parsing("balldontlie", "GET /v1/box_scores/live", "live"):
        frame = parse_live(record.payload, parse_utc(record.fetched_at, "landing", "fetched_at"))
    return Output(frame, metadata={**report.metadata(frame, LIVE_COLUMNS), "games_in_progress": int(frame["game_id"].nunique())})
