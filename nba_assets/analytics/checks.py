"""Asset checks of the analytics tables (DESIGN §6: what went wrong in a predecessor)."""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetIn, MetadataValue, asset_check

from nba_assets.analytics.context import DAY_OF, FALLBACK
from nba_assets.partitions import game_date_partitions
from nba_assets.quality import SCHEDULE, empty_dates, table_checks
from nba_assets.raw.rosters import DAY_OF as DAY_OF_SCRAPE

GAME_ID = r"^\d{8}_[A-Z]{3}_[A-Z]{3}$"
ROSTER_SIZE = (13, 21)
AGE_RANGE = (18.0, 45.0)
AGE_COVERAGE = {"day_of_roster": 0.95, "box_score_fallback": 0.85}
RESOLVED = {"balldontlie": 0.99, "odds": 0.98}
MIN_NAMES = 50  # a date's share of resolved names counts at least this many names
ODDS_ONLY_MAX = 0.2


def _md(frame: pd.DataFrame, rows: int = 15) -> MetadataValue:
    return MetadataValue.md(frame.head(rows).to_markdown(index=False) if len(frame) else "none")


def game_rows_problems(frame: pd.DataFrame) -> pd.DataFrame:
    """Games whose id is malformed, does not carry the game date, or which do not have exactly one home and one away row."""
    if frame.empty:
        return frame[["game_id"]]
    ids = frame["game_id"].astype("string")
    malformed = ~ids.str.match(GAME_ID) | (ids.str[:8] != frame["game_date"].dt.strftime("%Y%m%d"))
    per_game = frame.groupby("game_id").agg(rows=("team_abbr", "size"), home=("home", "sum"))
    wrong = per_game[(per_game["rows"] != 2) | (per_game["home"] != 1)].index
    bad = frame[malformed | frame["game_id"].isin(wrong)]
    return bad.groupby("game_id", as_index=False).size()


def two_rows_per_game_check(asset: str):
    @asset_check(asset=asset, name=f"{asset}_two_rows_per_game", blocking=True, partitions_def=game_date_partitions,
                 description="game_id is YYYYMMDD_AWAY_HOME with the game date, and each game has one home and one away row.")
    def _check(frame: pd.DataFrame) -> AssetCheckResult:
        bad = game_rows_problems(frame)
        return AssetCheckResult(passed=bad.empty, metadata={"games": int(frame["game_id"].nunique()) if len(frame) else 0, "bad_games": _md(bad)})

    return _check


def rate_problems(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with usage rate outside [0, 100] or a shooting percentage outside [0, 1.5]."""
    usage = frame["usage_rate"]
    shooting = frame[["ts_pct", "efg_pct"]]
    bad = (usage.notna() & ((usage < 0) | (usage > 100))) | ((shooting < 0) | (shooting > 1.5)).any(axis=1)
    return frame[bad]


@asset_check(asset="player_game_summary", blocking=True, partitions_def=game_date_partitions,
             description="0 <= usage_rate <= 100 and shooting percentages within [0, 1.5].")
def player_rates_in_range(player_game_summary: pd.DataFrame) -> AssetCheckResult:
    bad = rate_problems(player_game_summary)
    return AssetCheckResult(
        passed=bad.empty,
        metadata={"rows_out_of_range": len(bad), "examples": _md(bad[["game_id", "player_lookup", "minutes", "usage_rate", "ts_pct", "efg_pct"]])},
    )


def resolution_shares(registry: pd.DataFrame) -> dict[str, float]:
    return {source: float(group["player_lookup"].notna().mean()) for source, group in registry.groupby("source")}


def too_few_resolved(names: pd.DataFrame, share: float) -> bool:
    """Whether fewer than `share` of `names` resolve, counting a slate as at least `MIN_NAMES` names: on
    a two-game slate one name no feed but the odds knows (a two-way player on a day without box scores)
    is one name, not a registry that stopped resolving."""
    unresolved = int(names["player_lookup"].isna().sum())
    return unresolved > (1 - share) * max(len(names), MIN_NAMES)


def registry_problems(registry: pd.DataFrame) -> dict[str, str]:
    """Per date: sources resolving too few names, and odds names unknown to every other source on a
    scale that says a source lacks players (a few are rookies and players new to the feeds)."""
    problems = {}
    for day, rows in registry.groupby(registry["game_date"].dt.strftime("%Y-%m-%d")):
        found = [f"{source} {float(names['player_lookup'].notna().mean()):.1%} resolved (needs {RESOLVED[source]:.0%})"
                 for source, names in rows.groupby("source") if source in RESOLVED and too_few_resolved(names, RESOLVED[source])]
        odds = rows[rows["source"] == "odds"]
        only = float((odds["match_method"] == "odds_only").mean()) if len(odds) else 0.0
        if only > ODDS_ONLY_MAX:
            found.append(f"{only:.1%} of odds names known to no other source (at most {ODDS_ONLY_MAX:.0%})")
        if found:
            problems[day] = "; ".join(found)
    return problems


@asset_check(asset="player_registry", partitions_def=game_date_partitions,
             description="On each date at least 99% of balldontlie players and 98% of odds names resolve to a player_lookup (a slate "
             "counting as 50 names at least, so one name of a two-game slate is not a failure), and at most 20% of odds names are known to no "
             "other source (odds_only: rookies before their first box score).")
def registry_resolves_names(player_registry: pd.DataFrame) -> AssetCheckResult:
    problems = registry_problems(player_registry)
    unresolved = player_registry[player_registry["player_lookup"].isna()]
    odds_only = player_registry[player_registry["match_method"] == "odds_only"]
    return AssetCheckResult(
        passed=not problems,
        metadata={**{f"resolved_{s}": v for s, v in resolution_shares(player_registry).items()},
                  "odds_only": len(odds_only), "problems": MetadataValue.json(problems),
                  "unresolved": _md(unresolved[["game_date", "source", "source_name", "game_id"]], 50)},
    )


@asset_check(asset="player_registry", partitions_def=game_date_partitions,
             description="No player_lookup is claimed by two different balldontlie ids (two players folded into one).")
def registry_one_id_per_player(player_registry: pd.DataFrame) -> AssetCheckResult:
    bdl = player_registry[player_registry["source"] == "balldontlie"]
    ids = bdl.groupby("player_lookup")["source_id"].nunique()
    shared = bdl[bdl["player_lookup"].isin(ids[ids > 1].index)].drop_duplicates(["player_lookup", "source_id"])
    return AssetCheckResult(passed=shared.empty, severity=AssetCheckSeverity.WARN, metadata={"shared_keys": _md(shared[["player_lookup", "source_id", "source_name"]])})


def age_problems(context: pd.DataFrame) -> dict[str, object]:
    """Per date and roster source: the share of rostered players with an age, and ages outside 18-45.

    A roster scraped on the game date gives every birth date, so 95% is required. A backfilled
    date (box-score fallback) knows only the birth dates of players still on a roster when it ran;
    it must reach 85% and its coverage is reported.
    """
    if context.empty:
        return {"coverage": {}, "low_coverage": [], "out_of_range": 0}
    keys = [context["game_date"].dt.strftime("%Y-%m-%d"), context["roster_source"]]
    coverage = context.groupby(keys)["player_age"].apply(lambda a: float(a.notna().mean()))
    floors = coverage.index.get_level_values(1).map(lambda source: AGE_COVERAGE[source])
    ages = context["player_age"].dropna()
    return {
        "coverage": {f"{day} {source}": share for (day, source), share in coverage.items()},
        "low_coverage": sorted(coverage[coverage.to_numpy() < floors.to_numpy()].index.get_level_values(0)),
        "out_of_range": int(((ages < AGE_RANGE[0]) | (ages > AGE_RANGE[1])).sum()),
    }


@asset_check(asset="upcoming_player_game_context", partitions_def=game_date_partitions,
             description="player_age is present for at least 95% of rostered players on each date (85% on a backfilled date "
             "using the box-score fallback, whose birth dates come from later roster scrapes) and lies within 18-45.")
def player_age_present(upcoming_player_game_context: pd.DataFrame) -> AssetCheckResult:
    found = age_problems(upcoming_player_game_context)
    return AssetCheckResult(
        passed=not found["low_coverage"] and found["out_of_range"] == 0,
        metadata={"min_coverage": min(found["coverage"].values(), default=1.0), "dates_below_floor": ", ".join(found["low_coverage"]) or "none",
                  "ages_out_of_range": found["out_of_range"]},
    )


def roster_problems(context: pd.DataFrame, team_context: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(teams of the slate with a day-of roster of the wrong size, teams that used the box-score
    fallback, teams whose players are not known at all: no roster scraped that day and no box score)."""
    sizes = context.groupby(["game_date", "team_abbr", "roster_source"], as_index=False).size()
    teams = team_context[["game_date", "team_abbr"]].merge(sizes, on=["game_date", "team_abbr"], how="left")
    fallback = teams[teams["roster_source"] == FALLBACK]
    unknown = teams[teams["roster_source"].isna()]
    day_of = teams[teams["roster_source"] == DAY_OF]
    bad = day_of[(day_of["size"] < ROSTER_SIZE[0]) | (day_of["size"] > ROSTER_SIZE[1])]
    return bad, fallback, unknown


@asset_check(asset="upcoming_player_game_context", partitions_def=game_date_partitions,
             additional_ins={"upcoming_team_game_context": AssetIn("upcoming_team_game_context")},
             description="Every team playing has a roster scraped on the game date (13-21 players); a backfilled date "
             "without one uses that day's box score, which is reported here. A team whose players are not known at all "
             "(no roster scraped that day and no box score) is warned about; a roster of the wrong size fails.")
def rosters_scraped_on_game_date(upcoming_player_game_context: pd.DataFrame, upcoming_team_game_context: pd.DataFrame) -> AssetCheckResult:
    bad, fallback, unknown = roster_problems(upcoming_player_game_context, upcoming_team_game_context)
    notes = [f"{len(fallback)} team-games used the box-score fallback (no roster scraped that day)"] if len(fallback) else []
    if len(unknown):
        notes.append(f"{len(unknown)} team-games have no known players (no roster scraped that day, no box score)")
    return AssetCheckResult(
        passed=bad.empty and unknown.empty, severity=AssetCheckSeverity.ERROR if len(bad) else AssetCheckSeverity.WARN,
        metadata={"teams": len(upcoming_team_game_context), "teams_on_box_score_fallback": len(fallback),
                  "fallback_dates": ", ".join(sorted(fallback["game_date"].dt.strftime("%Y-%m-%d").unique())) or "none",
                  "bad_rosters": _md(bad), "teams_without_known_players": _md(unknown[["game_date", "team_abbr"]])},
        description="; ".join(notes) or None,
    )


@asset_check(asset="upcoming_player_game_context", blocking=True, partitions_def=game_date_partitions,
             description="Every line used comes from snapshots taken strictly before tip.")
def lines_snapshotted_before_tip(upcoming_player_game_context: pd.DataFrame) -> AssetCheckResult:
    with_line = upcoming_player_game_context.dropna(subset=["current_line"])
    late = with_line[~(with_line["line_snapshot_at_utc"] < with_line["tip_time_utc"])]
    return AssetCheckResult(passed=late.empty, metadata={"lines": len(with_line), "lines_at_or_after_tip": len(late),
                                                         "examples": _md(late[["game_id", "player_lookup", "line_snapshot_at_utc", "tip_time_utc"]])})


BOX_SCORES = ("raw_box_scores", "box scores")
# table: (unique key, the table whose dates must have rows here; None: checked below)
ANALYTICS_TABLES = {
    "player_registry": (["game_date", "source", "source_id", "game_id"], SCHEDULE),
    "player_game_summary": (["game_id", "player_lookup"], BOX_SCORES),
    "team_game_summary": (["game_id", "team_abbr"], BOX_SCORES),
    "upcoming_team_game_context": (["game_id", "team_abbr"], SCHEDULE),
    "upcoming_player_game_context": (["game_id", "player_lookup"], None),
}


def dates_with_known_players(games: pd.DataFrame, rosters: pd.DataFrame, box: pd.DataFrame) -> list[str]:
    """Dates with games on which some team's players are known: a roster scraped that day, or (a
    backfilled date) that day's box score."""
    day = lambda frame: frame["game_date"].dt.strftime("%Y-%m-%d")  # noqa: E731
    known = set(day(rosters[rosters["snapshot_kind"] == DAY_OF_SCRAPE])) | set(day(box))
    return sorted(set(day(games)) & known)


@asset_check(
    asset="upcoming_player_game_context", name="upcoming_player_game_context_not_empty_on_game_days", blocking=True,
    partitions_def=game_date_partitions,
    additional_ins={"raw_games": AssetIn("raw_games"), "raw_espn_rosters": AssetIn("raw_espn_rosters"), "raw_box_scores": AssetIn("raw_box_scores")},
    description="Every date with games whose players are known (a roster scraped that day, or a backfilled date's box score) has rows.",
)
def player_context_not_empty(upcoming_player_game_context: pd.DataFrame, raw_games: pd.DataFrame, raw_espn_rosters: pd.DataFrame,
                             raw_box_scores: pd.DataFrame) -> AssetCheckResult:
    expected = dates_with_known_players(raw_games, raw_espn_rosters, raw_box_scores)
    empty = empty_dates(upcoming_player_game_context, raw_games[raw_games["game_date"].dt.strftime("%Y-%m-%d").isin(expected)])
    return AssetCheckResult(passed=not empty, metadata={"dates_with_known_players": len(expected), "empty_dates": ", ".join(empty) or "none"})


ANALYTICS_CHECKS = [
    *[check for name, (keys, reference) in ANALYTICS_TABLES.items() for check in table_checks(name, keys, reference=reference)],
    player_context_not_empty,
    two_rows_per_game_check("team_game_summary"),
    two_rows_per_game_check("upcoming_team_game_context"),
    player_rates_in_range,
    registry_resolves_names,
    registry_one_id_per_player,
    player_age_present,
    rosters_scraped_on_game_date,
    lines_snapshotted_before_tip,
]
