"""`raw_box_scores`: every player's line of every finished game of a date (DNPs included)."""


import re
from datetime import date, timedelta

import pandas as pd
from collections.abc import Iterator

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext, Failure, MetadataValue, Output

from nba_assets.raw.common import (
    ContractViolation,
    RawConfig,
    ScrapeReport,
    game_date_value,
    latest_or_fetch,
    need,
    need_int,
    need_str,
    parse_utc,
    partition_days,
    parsing,
    typed_frame,
)
from nba_assets.partitions import game_date_partitions
from nba_assets.raw.games import NOT_PLAYED, game_identity, team_abbr
from nba_assets.tables import raw_asset
from resources.balldontlie import BalldontlieResource
from resources.clock import today_et
from resources.landing import LandingZoneResource

# Box scores of a date are final by about 03:00 ET the next day. A game still without a final box
# score once its date is this many days old never will have one (the source does not carry it: a
# play-in or Cup final missing from its feed): the date is stored with its final games and flagged.
FINAL_GRACE_DAYS = 2

COUNTING_STATS = ("fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "turnover", "pf", "pts")

BOX_SCORE_COLUMNS = {
    "game_date": "datetime64[us]",
    "game_id": "string",
    "bdl_game_id": "Int64",
    "bdl_player_id": "Int64",
    "player_name": "string",
    "first_name": "string",
    "last_name": "string",
    "position": "string",
    "team_abbr": "string",
    "opponent_abbr": "string",
    "home": "boolean",
    "min": "string",
    "minutes": "float64",
    **{stat: "Int64" for stat in COUNTING_STATS},
    "plus_minus": "Int64",
    "scraped_at_utc": "datetime64[us]",
}

_CLOCK = re.compile(r"^(\d{1,3})(?::(\d{1,2})(?:\.\d+)?)?$")


def parse_minutes(text: object, where: str) -> float:
    """balldontlie's `min` as minutes: "34" -> 34.0, "34:30" -> 34.5; "", "0", "00" and null -> 0.0 (did not play)."""
    if text is None:
        return 0.0
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    if not isinstance(text, str):
        raise ContractViolation(f"{where}: field 'min' should be text like \"34\" or \"34:30\", got {text!r}")
    match = _CLOCK.match(text.strip())
    if text.strip() == "":
        return 0.0
    if not match:
        raise ContractViolation(f"{where}: field 'min' should be text like \"34\" or \"34:30\", got {text!r}")
    return int(match.group(1)) + int(match.group(2) or 0) / 60.0


def player_rows(game: dict, day: date, gid: str, where: str, scraped_at: pd.Timestamp) -> list[dict]:
    """The player lines of both teams of one balldontlie box-score game object."""
    rows = []
    home, away = team_abbr(game, "home_team", where), team_abbr(game, "visitor_team", where)
    for side, team, opponent in (("home_team", home, away), ("visitor_team", away, home)):
        for i, line in enumerate(need(game, side, "players", where=where)):
            at = f"{where} {side}.players[{i}]"
            player = need(line, "player", where=at)
            minutes = parse_minutes(line.get("min"), at)
            stats = {stat: (need_int(line, stat, where=at, allow_none=True) or 0) for stat in COUNTING_STATS}
            first, last = need_str(player, "first_name", where=at), need_str(player, "last_name", where=at)
            rows.append(
                {
                    "game_date": game_date_value(day),
                    "game_id": gid,
                    "bdl_game_id": need_int(game, "id", where=where),
                    "bdl_player_id": need_int(player, "id", where=at),
                    "player_name": f"{first} {last}".strip(),
                    "first_name": first,
                    "last_name": last,
                    "position": player.get("position") or None,
                    "team_abbr": team,
                    "opponent_abbr": opponent,
                    "home": side == "home_team",
                    "min": line.get("min"),
                    "minutes": minutes,
                    **stats,
                    "plus_minus": need_int(line, "plus_minus", where=at, allow_none=True),
                    "scraped_at_utc": scraped_at,
                }
            )
    return rows


def unfinished_games(schedule_pages: list[dict], box_games: dict[str, dict], day: date) -> list[str]:
    """`game_id: status` of each scheduled game of `day` whose final box score is not in hand."""
    waiting = []
    for page in schedule_pages:
        for game in need(page, "data", where="schedule page"):
            _, gid, _, _ = game_identity(game, day)
            status = need_str(game, "status", where=f"game {gid}")
            if status in NOT_PLAYED:
                continue
            box = box_games.get(gid)
            box_status = need_str(box, "status", where=f"box score {gid}") if box else "no box score yet"
            if box_status != "Final":
                waiting.append(f"{gid}: {box_status}")
    return waiting


def waited_long_enough(day: date) -> bool:
    """Whether a date is old enough that a game still not final is given up on (`FINAL_GRACE_DAYS`)."""
    return today_et() - day >= timedelta(days=FINAL_GRACE_DAYS)


def parse_box_scores(payload: dict, day: date, partition: str, scraped_at: pd.Timestamp, give_up: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Player rows of `day` from a landed `{games: pages, box_scores: pages}` record, and the
    scheduled games left out because their final box score is not in hand (`game_id: status`).

    While any scheduled game is not final this fails (to be retried later), so a half-played date is
    never stored as if it were complete; with `give_up` (the date is `FINAL_GRACE_DAYS` old) the
    final games are stored and the others returned, to be flagged.
    """
    box_games: dict[str, dict] = {}
    for page in need(payload, "box_scores", where="record"):
        for game in need(page, "data", where="box score page"):
            _, gid, _, _ = game_identity(game, day)
            box_games[gid] = game
    waiting = unfinished_games(need(payload, "games", where="record"), box_games, day)
    if waiting and not give_up:
        raise Failure(
            description=f"balldontlie box scores of {partition} are not final yet ({len(waiting)} games: {'; '.join(waiting[:5])}); "
            "a date's box scores are final by about 03:00 ET the next day (the reconciliation sensor asks again later; "
            f"after {FINAL_GRACE_DAYS} days the final games are stored and the others flagged)",
            allow_retries=False,
        )
    rows = []
    for gid, game in box_games.items():
        if need_str(game, "status", where=f"box score {gid}") == "Final":
            rows.extend(player_rows(game, day, gid, f"box score {gid}", scraped_at))
    frame = typed_frame(rows, BOX_SCORE_COLUMNS)
    dupes = frame[frame.duplicated(["game_id", "bdl_player_id"])]
    if len(dupes):
        first = dupes.iloc[0]
        raise ContractViolation(f"player {first.bdl_player_id} appears twice in game {first.game_id}")
    frame = frame.sort_values(["game_id", "home", "bdl_player_id"], ascending=[True, False, True], kind="stable").reset_index(drop=True)
    return frame, waiting


COMPLETE_SPEC = AssetCheckSpec(
    "raw_box_scores_complete", asset="raw_box_scores", partitions_def=game_date_partitions,
    description=f"Every game the schedule scraped with the box scores lists as played has a final box score. The asset stores "
    f"a date only once all its games are final, except a date {FINAL_GRACE_DAYS} days old whose missing box scores will never "
    "come: stored without them, and warned about here (their players are not graded and lack that game's history).",
)


def completeness_result(missing: dict[str, list[str]]) -> AssetCheckResult:
    games = sum(len(v) for v in missing.values())
    return AssetCheckResult(
        check_name=COMPLETE_SPEC.name, passed=not missing, severity=AssetCheckSeverity.WARN,
        metadata={"games_without_box_score": games, "missing": MetadataValue.json(missing)},
        description=f"{games} games on {', '.join(missing)} never got a final box score" if missing else None,
    )


@raw_asset(columns=BOX_SCORE_COLUMNS, kinds={"balldontlie"}, check_specs=[COMPLETE_SPEC])
def raw_box_scores(context: AssetExecutionContext, config: RawConfig, balldontlie: BalldontlieResource, landing: LandingZoneResource) -> Iterator[Output | AssetCheckResult]:
    """balldontlie box scores of the game date's finished games: one row per player per game,
    DNPs included (`min` "00" or empty, `minutes` 0). Materialising a date whose games are not
    all final fails (nothing is stored) so that an unfinished day never poses as a complete one;
    once the date is `FINAL_GRACE_DAYS` old, a game still without a final box score never will
    have one: the final games are stored and the missing ones listed (`games_without_box_score`),
    and the `raw_box_scores_complete` check warns."""
    zone, report, frames, missing = landing.zone(), ScrapeReport(), [], {}
    for key, day in partition_days(context.partition_keys):

        def fetch() -> tuple[dict, dict]:
            api = balldontlie.api(key)
            with api.session:
                payload = {"games": api.games(day), "box_scores": api.box_scores(day)}
            report.stats.append(api.session.stats)
            return {"paths": ["/v1/games", "/v1/box_scores"], "params": {"date": key}}, payload

        record = latest_or_fetch(zone, "balldontlie", "box_scores", key, config.reparse, fetch, report)
        with parsing("balldontlie", "GET /v1/box_scores", key):
            frame, waiting = parse_box_scores(record.payload, day, key, parse_utc(record.fetched_at, "landing", "fetched_at"), waited_long_enough(day))
        frames.append(frame)
        if waiting:
            missing[key] = waiting
            report.notes.append(f"{key}: {len(waiting)} games still without a final box score after {FINAL_GRACE_DAYS} days, stored without them: {'; '.join(waiting)}")
    frame = pd.concat(frames, ignore_index=True) if frames else typed_frame([], BOX_SCORE_COLUMNS)
    metadata = report.metadata(frame, BOX_SCORE_COLUMNS)
    metadata["games_without_box_score"] = MetadataValue.json(missing)
    yield Output(frame, metadata=metadata)
    yield completeness_result(missing)
