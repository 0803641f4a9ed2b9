"""`raw_injuries`: the balldontlie injury report as scraped on the game date."""


from datetime import date

import pandas as pd
from dagster import AssetExecutionContext, Output

from nba_assets.raw.common import (
    DayKind,
    RawConfig,
    ScrapeReport,
    day_kind,
    day_snapshots,
    game_date_value,
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
from resources.landing import LandedRecord, LandingZoneResource
from resources.teams import BY_BDL_ID

INJURY_COLUMNS = {
    "game_date": "datetime64[us]",
    "scraped_at_utc": "datetime64[us]",
    "bdl_player_id": "Int64",
    "player_name": "string",
    "first_name": "string",
    "last_name": "string",
    "team_abbr": "string",
    "status": "string",
    "return_date": "string",
    "description": "string",
}


def parse_injuries(record: LandedRecord, day: date) -> pd.DataFrame:
    """Rows of one landed injury report (all pages of `GET /v1/player_injuries`)."""
    scraped_at = parse_utc(record.fetched_at, "landing", "fetched_at")
    rows = []
    for page in record.payload:
        for i, item in enumerate(need(page, "data", where="injury page")):
            where = f"injury report data[{i}]"
            player = need(item, "player", where=where)
            first, last = need_str(player, "first_name", where=where), need_str(player, "last_name", where=where)
            team = BY_BDL_ID.get(player.get("team_id"))
            rows.append(
                {
                    "game_date": game_date_value(day),
                    "scraped_at_utc": scraped_at,
                    "bdl_player_id": need_int(player, "id", where=where),
                    "player_name": f"{first} {last}".strip(),
                    "first_name": first,
                    "last_name": last,
                    "team_abbr": team.tricode if team else None,
                    "status": need_str(item, "status", where=where),
                    "return_date": item.get("return_date"),
                    "description": item.get("description"),
                }
            )
    return typed_frame(rows, INJURY_COLUMNS)


@raw_asset(columns=INJURY_COLUMNS, kinds={"balldontlie"})
def raw_injuries(context: AssetExecutionContext, config: RawConfig, balldontlie: BalldontlieResource, landing: LandingZoneResource) -> Output[pd.DataFrame]:
    """balldontlie injury report (`Out`, `Day-To-Day`, ...) as scraped on the game date: one row per
    listed player per scrape (`scraped_at_utc`). The report has no history: a past date keeps the
    reports landed on it and is empty when none was taken (a backfill cannot know that day's report)."""
    zone, report, frames = landing.zone(), ScrapeReport(), []
    for key, day in partition_days(context.partition_keys):

        def fetch() -> tuple[dict, list[dict]]:
            api = balldontlie.api(key)
            with api.session:
                pages = api.injuries()
            report.stats.append(api.session.stats)
            return {"path": "/v1/player_injuries"}, pages

        records = day_snapshots(zone, "balldontlie", "injuries", key, day, config.reparse, fetch, report, fetch_for_past_day=False)
        if not records and day_kind(day, key) == DayKind.PAST:
            report.notes.append(f"{key}: no injury report was taken on that date (the endpoint has no history)")
        with parsing("balldontlie", "GET /v1/player_injuries", key):
            frames.extend(parse_injuries(record, day) for record in records)
    frame = pd.concat(frames, ignore_index=True) if frames else typed_frame([], INJURY_COLUMNS)
    return Output(frame, metadata=report.metadata(frame, INJURY_COLUMNS))
