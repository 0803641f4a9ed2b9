"""The `feature_store` asset."""

from collections.abc import Iterator

import pandas as pd
from dagster import AssetCheckResult, AssetIn, MetadataValue, Output

from nba_assets.features.build import KEY_COLUMNS, build_features
from nba_assets.features.checks import INLINE_CHECK_SPECS, leakage_result, variation_result
from nba_assets.features.contract import FEATURE_CONTRACT
from nba_assets.tables import history_in, table_asset

FEATURE_COLUMNS = {
    **{name: ("datetime64[us]" if name == "game_date" else "string") for name in KEY_COLUMNS},
    **{name: "float64" for name in FEATURE_CONTRACT.names},
    "features_defaulted": "Int64", "defaulted_features": "string", "early_season": "boolean", "roster_source": "string",
}


@table_asset(
    group="features", columns=FEATURE_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={
        "upcoming_player_game_context": AssetIn(), "upcoming_team_game_context": AssetIn(),
        "history": history_in("player_game_summary"), "team_history": history_in("team_game_summary"),
    },
    check_specs=INLINE_CHECK_SPECS,
)
def feature_store(
    upcoming_player_game_context: pd.DataFrame, upcoming_team_game_context: pd.DataFrame, history: pd.DataFrame, team_history: pd.DataFrame
) -> Iterator[Output | AssetCheckResult]:
    """The point-in-time features of every player with a game on the date, computed for the whole
    slate at once, in the order of the versioned feature contract, from games strictly before the
    date only. `features_defaulted` counts the features filled with a default (and
    `defaulted_features` names them); `early_season` marks teams with fewer than 10 games played;
    `roster_source` says whether the player came from that day's roster or a backfill's box score."""
    frame = build_features(upcoming_player_game_context, upcoming_team_game_context, history, team_history)
    frame = frame[list(FEATURE_COLUMNS)].astype(FEATURE_COLUMNS)
    yield Output(
        frame,
        metadata={
            "rows": len(frame),
            **FEATURE_CONTRACT.as_metadata(),
            "mean_features_defaulted": float(frame["features_defaulted"].mean()) if len(frame) else 0.0,
            "with_line": int(frame["has_vegas_line"].sum()),
            "preview": MetadataValue.md(frame.head(10).to_markdown(index=False) if len(frame) else "(no rows)"),
        },
    )
    yield leakage_result(frame, history)
    yield variation_result(frame, upcoming_team_game_context, history)
