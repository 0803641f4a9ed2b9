"""The analytics assets: the player registry, game summaries and the pre-game context of each slate.

Each body selects its dates and calls the plain functions of this package; a backfill of a range
is one run that computes every date at once.
"""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, MetadataValue, Output

from nba_assets.analytics.box_scores import PLAYER_GAME_COLUMNS, TEAM_GAME_COLUMNS, player_game_summary, team_game_summary
from nba_assets.analytics.context import (
    FALLBACK,
    PLAYER_CONTEXT_COLUMNS,
    TEAM_CONTEXT_COLUMNS,
    upcoming_player_context,
    upcoming_team_context,
)
from nba_assets.analytics.registry import REGISTRY_COLUMNS, build_registry
from nba_assets.tables import history_in, table_asset

GROUP = "analytics"


def run_dates(context: AssetExecutionContext) -> list[pd.Timestamp]:
    """The game dates (warehouse form) this run materialises."""
    return [pd.Timestamp(key) for key in context.partition_keys]


def on_dates(frame: pd.DataFrame, dates: list[pd.Timestamp]) -> pd.DataFrame:
    """The rows of `frame` dated on one of `dates`."""
    return frame[frame["game_date"].isin(dates)] if len(frame) else frame


def preview(frame: pd.DataFrame, rows: int = 10) -> MetadataValue:
    return MetadataValue.md(frame.head(rows).to_markdown(index=False) if len(frame) else "(no rows)")


@table_asset(
    group=GROUP, columns=REGISTRY_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"known_box_scores": history_in("raw_box_scores", include_same_day=True), "raw_espn_rosters": AssetIn(), "raw_injuries": AssetIn(), "raw_player_props": AssetIn()},
)
def player_registry(
    context: AssetExecutionContext, known_box_scores: pd.DataFrame, raw_espn_rosters: pd.DataFrame, raw_injuries: pd.DataFrame, raw_player_props: pd.DataFrame
) -> Output[pd.DataFrame]:
    """Every player id and spelling seen on the game date, in balldontlie box scores and injury
    reports (by id), ESPN rosters and The Odds API quotes (by name), resolved to one
    `player_lookup`, with how each was matched (`match_method`) and the birth date when ESPN gives
    it. Unresolved names, and odds names known to no other source (`odds_only`), are listed in the metadata."""
    dates = run_dates(context)
    registry = build_registry(on_dates(known_box_scores, dates), known_box_scores, raw_espn_rosters, raw_injuries, raw_player_props)
    unresolved = registry[registry["player_lookup"].isna()]
    odds_only = registry[registry["match_method"] == "odds_only"].drop_duplicates("source_name")
    share = lambda source: float(registry.loc[registry["source"] == source, "player_lookup"].notna().mean()) if (registry["source"] == source).any() else 1.0  # noqa: E731
    return Output(
        registry,
        metadata={
            "rows": len(registry),
            "resolved_share_balldontlie": share("balldontlie"),
            "resolved_share_espn": share("espn"),
            "resolved_share_odds": share("odds"),
            "match_methods": MetadataValue.json(registry["match_method"].value_counts().to_dict()),
            "unresolved": MetadataValue.md(unresolved[["game_date", "source", "source_name", "game_id", "team_abbr"]].head(50).to_markdown(index=False) if len(unresolved) else "none"),
            "odds_only": MetadataValue.md(odds_only[["game_date", "source_name", "game_id"]].head(50).to_markdown(index=False) if len(odds_only) else "none"),
        },
    )


@table_asset(
    name="player_game_summary", group=GROUP, columns=PLAYER_GAME_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"raw_box_scores": AssetIn(), "player_registry": AssetIn()},
)
def player_game_summary_asset(context: AssetExecutionContext, raw_box_scores: pd.DataFrame, player_registry: pd.DataFrame) -> Output[pd.DataFrame]:
    """One row per player per game of the date, DNPs included (`is_dnp`, minutes 0): points, the
    counting stats, and usage rate (% of team possessions used on the floor; empty under 5
    minutes), true shooting % and effective FG % (fractions)."""
    keys = player_registry[player_registry["source"] == "balldontlie"].drop_duplicates("source_id").set_index("source_id")["player_lookup"]
    lookups = raw_box_scores["bdl_player_id"].astype("string").map(keys)
    frame = player_game_summary(raw_box_scores, lookups)
    played = frame[~frame["is_dnp"]]
    return Output(
        frame,
        metadata={"rows": len(frame), "dnp_rows": int(frame["is_dnp"].sum()), "points_per_played_game": float(played["points"].mean()) if len(played) else 0.0, "preview": preview(frame)},
    )


@table_asset(
    name="team_game_summary", group=GROUP, columns=TEAM_GAME_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"player_game_summary": AssetIn(), "raw_games": AssetIn()},
)
def team_game_summary_asset(player_game_summary: pd.DataFrame, raw_games: pd.DataFrame) -> Output[pd.DataFrame]:
    """Two rows per game, one per team: points for and against (the final score), possessions (FGA
    + 0.44 FTA + TOV - OREB; scaled up by `box_score_share` when the box score lists only some of the
    team's players), offensive and defensive rating (points per 100 possessions) and pace
    (possessions per 48 minutes of the game's length, overtime included)."""
    frame = team_game_summary(player_game_summary, raw_games)
    incomplete = frame[frame["box_score_share"] < 1]
    return Output(
        frame,
        metadata={"rows": len(frame), "games": int(frame["game_id"].nunique()), "mean_pace": float(frame["pace"].mean()) if len(frame) else 0.0,
                  "team_games_with_incomplete_box_score": len(incomplete),
                  "min_box_score_share": float(frame["box_score_share"].min()) if len(frame) else 1.0, "preview": preview(frame)},
    )


@table_asset(
    name="upcoming_team_game_context", group=GROUP, columns=TEAM_CONTEXT_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"raw_games": AssetIn(), "team_history": history_in("team_game_summary")},
)
def upcoming_team_game_context_asset(raw_games: pd.DataFrame, team_history: pd.DataFrame) -> Output[pd.DataFrame]:
    """Each team of each game on the date, as known before tip: days of rest since its last game,
    back-to-back, games in the previous 7 days, and its record this season entering the game."""
    frame = upcoming_team_context(raw_games, team_history)
    return Output(frame, metadata={"rows": len(frame), "teams_on_back_to_back": int(frame["back_to_back"].sum()), "preview": preview(frame)})


@table_asset(
    name="upcoming_player_game_context", group=GROUP, columns=PLAYER_CONTEXT_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={
        "upcoming_team_game_context": AssetIn(), "raw_espn_rosters": AssetIn(), "raw_box_scores": AssetIn(),
        "known_players": history_in("player_registry", include_same_day=True),
        "raw_injuries": AssetIn(), "raw_player_props": AssetIn(), "history": history_in("player_game_summary"),
    },
)
def upcoming_player_game_context_asset(
    context: AssetExecutionContext, upcoming_team_game_context: pd.DataFrame, raw_espn_rosters: pd.DataFrame, raw_box_scores: pd.DataFrame,
    known_players: pd.DataFrame, raw_injuries: pd.DataFrame, raw_player_props: pd.DataFrame, history: pd.DataFrame,
) -> Output[pd.DataFrame]:
    """Every rostered player of the date's games, as known before tip: days of rest, back-to-back,
    games and minutes in the previous 7 days, age on the game date (from ESPN `dateOfBirth`), the
    injury status reported before tip, and the line (median of the books' main lines at their last
    snapshot before tip), opening line, movement and number of books. The roster is the team's
    ESPN scrape of that day; a backfilled date without one takes the players of that day's box
    score (`roster_source = box_score_fallback`); birth dates come from any roster snapshot of the
    last `HISTORY_DAYS` (a birth date does not change), so a backfill knows those of players still
    on a roster when it ran."""
    registry = on_dates(known_players, run_dates(context))
    births = known_players.sort_values("game_date")
    frame = upcoming_player_context(upcoming_team_game_context, raw_espn_rosters, raw_box_scores, registry, raw_injuries, raw_player_props, history, births)
    return Output(
        frame,
        metadata={
            "rows": len(frame),
            "with_line": int(frame["current_line"].notna().sum()),
            "with_age": float(frame["player_age"].notna().mean()) if len(frame) else 0.0,
            "teams_on_roster_fallback": int(frame.loc[frame["roster_source"] == FALLBACK, "team_abbr"].nunique()),
            "preview": preview(frame),
        },
    )


ANALYTICS_ASSETS = [player_registry, player_game_summary_asset, team_game_summary_asset, upcoming_team_game_context_asset, upcoming_player_game_context_asset]
