"""`raw_espn_rosters`: every team's ESPN roster as scraped on the game date, with birth dates."""


from datetime import date

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, AssetKey, Failure, Output

from nba_assets.raw.common import (
    ContractViolation,
    DayKind,
    RawConfig,
    ScrapeReport,
    day_kind,
    day_snapshots,
    game_date_value,
    need,
    need_str,
    parse_utc,
    partition_days,
    parsing,
    typed_frame,
)
from nba_assets.tables import raw_asset
from resources.clock import ET
from resources.espn import EspnResource
from resources.landing import LandedRecord, LandingZoneResource
from resources.teams import BY_ESPN_ABBR, BY_ESPN_ID

ROSTER_COLUMNS = {
    "game_date": "datetime64[us]",
    "scraped_at_utc": "datetime64[us]",
    "snapshot_kind": "string",
    "team_abbr": "string",
    "espn_team_id": "Int64",
    "espn_athlete_id": "string",
    "player_name": "string",
    "display_name": "string",
    "first_name": "string",
    "last_name": "string",
    "date_of_birth": "datetime64[us]",
    "espn_age": "Int64",
    "position": "string",
    "jersey": "string",
    "roster_status": "string",
    "injury_status": "string",
}

DAY_OF = "day_of"
LATER_SCRAPE = "later_scrape"


def parse_birth_date(text: object, where: str) -> pd.Timestamp | None:
    """ESPN `dateOfBirth` ("1996-10-24T07:00Z": the date at US midnight, written in UTC) -> the calendar date."""
    if text in (None, ""):
        return None
    if not isinstance(text, str):
        raise ContractViolation(f"{where}: field 'dateOfBirth' should be text like 1996-10-24T07:00Z, got {text!r}")
    try:
        return pd.Timestamp(date.fromisoformat(text[:10]))
    except ValueError:
        raise ContractViolation(f"{where}: field 'dateOfBirth' is not a date: {text!r}") from None


def parse_roster(body: dict, day: date, scraped_at: pd.Timestamp, snapshot_kind: str) -> list[dict]:
    """Rows of one team's `GET .../teams/{id}?enable=roster` body."""
    team = need(body, "team", where="roster")
    espn_abbr = need_str(team, "abbreviation", where="roster team")
    if espn_abbr not in BY_ESPN_ABBR:
        raise ContractViolation(f"roster team {team.get('id')}: field 'team.abbreviation' is not an ESPN NBA team code: {espn_abbr!r}")
    tricode = BY_ESPN_ABBR[espn_abbr].tricode
    rows = []
    for i, athlete in enumerate(need(team, "athletes", where=f"roster {tricode}")):
        where = f"roster {tricode} athletes[{i}]"
        injuries = athlete.get("injuries") or []
        rows.append(
            {
                "game_date": game_date_value(day),
                "scraped_at_utc": scraped_at,
                "snapshot_kind": snapshot_kind,
                "team_abbr": tricode,
                "espn_team_id": int(need(team, "id", where=f"roster {tricode}")),
                "espn_athlete_id": str(need(athlete, "id", where=where)),
                "player_name": need_str(athlete, "fullName", where=where),
                "display_name": athlete.get("displayName"),
                "first_name": athlete.get("firstName"),
                "last_name": athlete.get("lastName"),
                "date_of_birth": parse_birth_date(athlete.get("dateOfBirth"), where),
                "espn_age": athlete.get("age"),
                "position": (athlete.get("position") or {}).get("abbreviation"),
                "jersey": athlete.get("jersey"),
                "roster_status": (athlete.get("status") or {}).get("type"),
                "injury_status": injuries[0].get("status") if injuries else None,
            }
        )
    return rows


def parse_roster_record(record: LandedRecord, day: date) -> pd.DataFrame:
    """All teams of one landed scrape; `snapshot_kind` says whether it was taken on the game date."""
    scraped_at = parse_utc(record.fetched_at, "landing", "fetched_at")
    taken_on = scraped_at.tz_localize("UTC").tz_convert(ET).date()
    kind = DAY_OF if taken_on == day else LATER_SCRAPE
    rows = []
    for team_id, body in sorted(record.payload.items(), key=lambda item: int(item[0])):
        if int(team_id) not in BY_ESPN_ID:
            raise ContractViolation(f"landed roster of unknown ESPN team id {team_id}")
        rows.extend(parse_roster(body, day, scraped_at, kind))
    return typed_frame(rows, ROSTER_COLUMNS)


@raw_asset(columns=ROSTER_COLUMNS, kinds={"espn"}, ins={"raw_games": AssetIn()})
def raw_espn_rosters(
    context: AssetExecutionContext, config: RawConfig, espn: EspnResource, landing: LandingZoneResource, raw_games: pd.DataFrame
) -> Output[pd.DataFrame]:
    """ESPN rosters of all 30 teams with birth dates (`date_of_birth`, the source of `player_age`),
    one row per player per team per scrape. Every scrape of the day is kept (`scraped_at_utc`).

    ESPN answers only today's roster. For a past date the partition is rebuilt from the scrapes
    landed on that date; a past date with games but no scrape (a backfill) stores a scrape taken
    now, marked `snapshot_kind = later_scrape`: use it for birth dates only, never as that day's
    roster. A past date without games and without scrapes stays empty."""
    zone, report, frames = landing.zone(), ScrapeReport(), []
    schedule_known = context.instance.get_materialized_partitions(AssetKey("raw_games"))
    for key, day in partition_days(context.partition_keys):

        def fetch() -> tuple[dict, dict]:
            api = espn.api(key)
            with api.session:
                payload = {str(team_id): body for team_id, body in api.all_rosters().items()}
            report.stats.append(api.session.stats)
            if day_kind(day, key) == DayKind.PAST:
                report.notes.append(f"{key}: no roster was scraped on that date; stored a scrape taken now as `later_scrape` (birth dates only)")
            return {"path": "/apis/site/v2/sports/basketball/nba/teams/{id}", "params": {"enable": "roster"}}, payload

        has_games = bool((raw_games["game_date"] == game_date_value(day)).any())
        if not has_games and key not in schedule_known:
            raise Failure(
                description=f"raw_games {key} is not materialised: a past date's roster fallback needs that day's schedule; materialise raw_games {key} first",
                allow_retries=False,
            )
        records = day_snapshots(zone, "espn", "rosters", key, day, config.reparse, fetch, report, fetch_for_past_day=has_games)
        with parsing("ESPN", "GET /apis/site/v2/sports/basketball/nba/teams/{id}", key):
            frames.extend(parse_roster_record(record, day) for record in records)
    frame = pd.concat(frames, ignore_index=True) if frames else typed_frame([], ROSTER_COLUMNS)
    return Output(frame, metadata=report.metadata(frame, ROSTER_COLUMNS))
