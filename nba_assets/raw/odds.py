"""`raw_odds_events` and `raw_player_props`: The Odds API events and every player-points snapshot.

Today's slate is read from the current endpoints; a past date from the historical ones at fixed
moments before each tip. Each snapshot is kept in the landing zone under a name that says what it
is (event, moment), so a snapshot already paid for is never fetched again, and a partition is
always rebuilt from every snapshot landed for it.
"""


from datetime import date, datetime, timedelta

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, Failure, Output
from pydantic import Field

from nba_assets.partitions import et_midnight
from nba_assets.raw.common import (
    ContractViolation,
    DayKind,
    RawConfig,
    ScrapeReport,
    as_utc,
    day_kind,
    game_date_value,
    game_id,
    land,
    need,
    need_int,
    need_number,
    need_str,
    parse_utc,
    partition_days,
    parsing,
    stamp,
    typed_frame,
)
from nba_assets.tables import raw_asset
from resources.clock import ET, now_utc
from resources.landing import LandedRecord, LandingZone, LandingZoneResource
from resources.odds_api import OddsApiResource
from resources.teams import BY_NAME

EVENTS_SNAPSHOT_HOUR_ET = 10
MARKET = "player_points"

EVENT_COLUMNS = {
    "game_date": "datetime64[us]",
    "event_id": "string",
    "game_id": "string",
    "tip_time_utc": "datetime64[us]",
    "home_team": "string",
    "away_team": "string",
    "home_team_abbr": "string",
    "away_team_abbr": "string",
    "listed_at_utc": "datetime64[us]",
}

PROPS_COLUMNS = {
    "game_date": "datetime64[us]",
    "game_id": "string",
    "event_id": "string",
    "snapshot_at_utc": "datetime64[us]",
    "tip_time_utc": "datetime64[us]",
    "is_historical": "boolean",
    "bookmaker": "string",
    "bookmaker_title": "string",
    "book_updated_at_utc": "datetime64[us]",
    "player_name": "string",
    "side": "string",
    "line": "float64",
    "price": "Int64",
}


class PropsConfig(RawConfig):
    """Launchpad options of `raw_player_props`."""

    hours_before_tip: list[float] = Field(
        default=[10.0, 1.0, 0.25],
        description="For a past date: take historical snapshots this many hours before each tip (the opening line, the board a pick "
        "is made on before its lock 30 minutes before tip, and the closing line). Each costs quota; a snapshot already landed is never fetched again.",
    )


def event_row(event: dict, day: date, listed_at: pd.Timestamp) -> dict | None:
    """A row for one Odds API event, or None when it does not tip on `day` (ET)."""
    where = f"event {event.get('id', '?')}"
    tip = parse_utc(need_str(event, "commence_time", where=where), where, "commence_time")
    if as_utc(tip).astimezone(ET).date() != day:
        return None
    names = {side: need_str(event, side, where=where) for side in ("home_team", "away_team")}
    for side, name in names.items():
        if name not in BY_NAME:
            raise ContractViolation(f"{where}: field '{side}' is not an NBA team name: {name!r}")
    home, away = BY_NAME[names["home_team"]].tricode, BY_NAME[names["away_team"]].tricode
    return {
        "game_date": game_date_value(day),
        "event_id": need_str(event, "id", where=where),
        "game_id": game_id(day, away, home),
        "tip_time_utc": tip,
        "home_team": names["home_team"],
        "away_team": names["away_team"],
        "home_team_abbr": home,
        "away_team_abbr": away,
        "listed_at_utc": listed_at,
    }


def snapshot_of(record: LandedRecord) -> tuple[object, pd.Timestamp, bool]:
    """(body, snapshot time, historical?) of a landed Odds API record; historical bodies are wrapped."""
    payload = record.payload
    if isinstance(payload, dict) and "timestamp" in payload and "data" in payload:
        return payload["data"], parse_utc(need_str(payload, "timestamp", where="historical snapshot"), "historical snapshot", "timestamp"), True
    return payload, parse_utc(record.fetched_at, "landing", "fetched_at"), False


def parse_events(records: list[LandedRecord], day: date) -> tuple[pd.DataFrame, int]:
    """The day's events, each from its latest listing; and how many listed events tip on other days."""
    latest: dict[str, dict] = {}
    elsewhere = 0
    for record in records:
        events, listed_at, _ = snapshot_of(record)
        if not isinstance(events, list):
            raise ContractViolation("events snapshot: expected a list of events")
        for event in events:
            row = event_row(event, day, listed_at)
            if row is None:
                elsewhere += 1
            elif row["event_id"] not in latest or latest[row["event_id"]]["listed_at_utc"] <= listed_at:
                latest[row["event_id"]] = row
    frame = typed_frame(list(latest.values()), EVENT_COLUMNS)
    return frame.sort_values(["tip_time_utc", "game_id"], kind="stable").reset_index(drop=True), elsewhere


def parse_props(record: LandedRecord, day: date) -> list[dict]:
    """One row per outcome of the `player_points` market in one landed event-odds snapshot."""
    event, snapshot_at, historical = snapshot_of(record)
    where = f"event {event.get('id', '?') if isinstance(event, dict) else '?'}"
    base = event_row(event, day, snapshot_at)
    if base is None:
        raise ContractViolation(f"{where}: commence_time is not on {day}")
    rows = []
    for b, book in enumerate(need(event, "bookmakers", where=where)):
        at_book = f"{where} bookmakers[{b}]"
        for market in need(book, "markets", where=at_book):
            if need_str(market, "key", where=at_book) != MARKET:
                continue
            updated = market.get("last_update") or book.get("last_update")
            for o, outcome in enumerate(need(market, "outcomes", where=at_book)):
                at = f"{at_book} {MARKET} outcomes[{o}]"
                side = need_str(outcome, "name", where=at)
                if side not in ("Over", "Under"):
                    raise ContractViolation(f"{at}: field 'name' should be Over or Under, got {side!r}")
                rows.append(
                    {
                        "game_date": base["game_date"],
                        "game_id": base["game_id"],
                        "event_id": base["event_id"],
                        "snapshot_at_utc": snapshot_at,
                        "tip_time_utc": base["tip_time_utc"],
                        "is_historical": historical,
                        "bookmaker": need_str(book, "key", where=at_book),
                        "bookmaker_title": book.get("title"),
                        "book_updated_at_utc": parse_utc(updated, at_book, "last_update") if updated else None,
                        "player_name": need_str(outcome, "description", where=at),
                        "side": side,
                        "line": need_number(outcome, "point", where=at),
                        # a missing price is kept as missing: the offers refuse it by name, the rest of the slate goes on
                        "price": need_int(outcome, "price", where=at, allow_none=True) if "price" in outcome else None,
                    }
                )
    return rows


def _events_window(day: date) -> tuple[datetime, datetime]:
    start = et_midnight(day)
    return start, et_midnight(day + timedelta(days=1))


@raw_asset(columns=EVENT_COLUMNS, kinds={"odds_api"})
def raw_odds_events(context: AssetExecutionContext, config: RawConfig, odds_api: OddsApiResource, landing: LandingZoneResource) -> Output[pd.DataFrame]:
    """The Odds API events (games) tipping on the game date (ET), one row per event with its
    `game_id` and tip time. Today: the current listing; a past date: the historical listing at
    10:00 ET, fetched once and kept."""
    zone, report, frames = landing.zone(), ScrapeReport(), []
    for key, day in partition_days(context.partition_keys):
        start, end = _events_window(day)
        if not config.reparse:
            api = odds_api.api(key)
            with api.session:
                if day_kind(day, key) == DayKind.TODAY:
                    land(zone, "odds_api", "events", key, f"current-{stamp(now_utc())}", {"path": "/v4/sports/basketball_nba/events"}, api.events(start, end), report)
                else:
                    at = start + timedelta(hours=EVENTS_SNAPSHOT_HOUR_ET)
                    name = f"historical-{stamp(at)}"
                    if not zone.exists("odds_api", "events", key, name):
                        body = api.historical_events(at, start, end)
                        land(zone, "odds_api", "events", key, name, {"path": "/v4/historical/sports/basketball_nba/events", "date": stamp(at)}, body, report)
            report.stats.append(api.session.stats)
            report.credits_by_date[key] = report.credits_by_date.get(key, 0) + api.session.stats.credits
        records = zone.records("odds_api", "events", key)
        report.records_used += len(records)
        report.reparsed = report.reparsed or config.reparse
        with parsing("The Odds API", "GET /v4/.../events", key):
            frame, elsewhere = parse_events(records, day)
        if elsewhere:
            report.notes.append(f"{key}: {elsewhere} listed events tip on another ET date and were left out")
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if frames else typed_frame([], EVENT_COLUMNS)
    return Output(frame, metadata=report.metadata(frame, EVENT_COLUMNS))


def fetch_snapshots(zone: LandingZone, api, key: str, day: date, events: pd.DataFrame, hours_before_tip: list[float], report: ScrapeReport) -> int:
    """Land the snapshots a partition still lacks; returns how many landed snapshots were reused."""
    now, reused = now_utc(), 0
    for event in events.itertuples():
        tip = as_utc(event.tip_time_utc)
        if day_kind(day, key) == DayKind.TODAY:
            if tip > now:
                body = api.event_odds(event.event_id)
                land(zone, "odds_api", "event_odds", key, f"{event.event_id}-current-{stamp(now)}", {"path": "/v4/sports/basketball_nba/events/{id}/odds"}, body, report)
            continue
        for hours in hours_before_tip:
            at = tip - timedelta(hours=hours)
            name = f"{event.event_id}-historical-{stamp(at)}"
            if at >= now:
                continue
            if zone.exists("odds_api", "event_odds", key, name):
                reused += 1
                continue
            body = api.historical_event_odds(event.event_id, at)
            land(zone, "odds_api", "event_odds", key, name, {"path": "/v4/historical/sports/basketball_nba/events/{id}/odds", "date": stamp(at)}, body, report)
    return reused


@raw_asset(columns=PROPS_COLUMNS, kinds={"odds_api"}, ins={"raw_odds_events": AssetIn()})
def raw_player_props(context: AssetExecutionContext, config: PropsConfig, odds_api: OddsApiResource, landing: LandingZoneResource, raw_odds_events: pd.DataFrame) -> Output[pd.DataFrame]:
    """Every player-points quote of every snapshot of the game date's events: one row per snapshot
    x book x player x side, with the line (exact, half points kept), the American price (missing
    where the book gave none), the snapshot time and the tip time. Ladders (several lines per player
    and book) and snapshots taken after tip are kept raw; choosing the line and refusing prices that
    cannot be bet at is the market layer's job. The books are those `NBA_ODDS_BOOKMAKERS` names (or
    the regions `NBA_ODDS_REGIONS`); `credits` counts the usage each date's requests spent."""
    if any(hours <= 0 for hours in config.hours_before_tip):
        raise Failure(description=f"hours_before_tip must all be positive, got {config.hours_before_tip}: a snapshot at or after tip is not a pre-game line", allow_retries=False)
    zone, report, rows, reused = landing.zone(), ScrapeReport(), [], 0
    for key, day in partition_days(context.partition_keys):
        if not config.reparse:
            events = raw_odds_events[raw_odds_events["game_date"] == game_date_value(day)]
            api = odds_api.api(key)
            with api.session:
                reused += fetch_snapshots(zone, api, key, day, events, config.hours_before_tip, report)
            report.stats.append(api.session.stats)
            report.credits_by_date[key] = report.credits_by_date.get(key, 0) + api.session.stats.credits
        records = zone.records("odds_api", "event_odds", key)
        report.records_used += len(records)
        report.reparsed = report.reparsed or config.reparse
        with parsing("The Odds API", "GET /v4/.../events/{id}/odds", key):
            for record in records:
                rows.extend(parse_props(record, day))
    if reused:
        report.notes.append(f"{reused} historical snapshots were already landed and not fetched again")
    frame = typed_frame(rows, PROPS_COLUMNS)
    frame = frame.sort_values(["game_id", "snapshot_at_utc", "bookmaker", "player_name", "line", "side"], kind="stable").reset_index(drop=True)
    return Output(frame, metadata=report.metadata(frame, PROPS_COLUMNS))
