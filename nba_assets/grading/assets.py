"""The `prediction_grades` and `system_performance` assets."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, MetadataValue, Output

from nba_assets.grading.grade import GRADE_COLUMNS, grade, ungraded_games
from nba_assets.grading.performance import PERFORMANCE_COLUMNS, performance, summarize
from nba_assets.grading.plots import markdown_image, performance_png
from nba_assets.tables import history_in, table_asset

SHOWN = ["system_id", "segment", "picks", "wins", "losses", "hit_rate", "mae", "line_mae", "bias", "mean_confidence"]


@table_asset(
    group="grading", columns=GRADE_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"predictions": AssetIn(), "player_game_summary": AssetIn()},
)
def prediction_grades(predictions: pd.DataFrame, player_game_summary: pd.DataFrame) -> Output[pd.DataFrame]:
    """Every date's latest prediction per player, game and system against what happened, once that
    date's box scores exist: a player who did not play voids the pick (the reason from the injury
    status known at prediction time); PASS and NO_LINE have no result; actual == line is a push;
    otherwise the pick wins when (actual > line) == (OVER). `absolute_error` for everyone who played.
    A game whose box score never came is not graded (listed as `games_without_box_score`)."""
    frame = grade(predictions, player_game_summary)
    ungraded = ungraded_games(predictions, player_game_summary)
    records = {system: summarize(rows) for system, rows in frame.groupby("system_id")}
    return Output(
        frame,
        metadata={
            "rows": len(frame),
            "voided": int(frame["is_voided"].sum()),
            "games_without_box_score": MetadataValue.md(", ".join(ungraded) if ungraded else "none"),
            **{f"hit_rate_{system}": record["hit_rate"] for system, record in records.items() if record["wins"] + record["losses"]},
            **{f"picks_{system}": record["wins"] + record["losses"] for system, record in records.items() if record["wins"] + record["losses"]},
        },
    )


@table_asset(
    group="grading", columns=PERFORMANCE_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"grades": history_in("prediction_grades", include_same_day=True)},
)
def system_performance(context: AssetExecutionContext, grades: pd.DataFrame) -> Output[pd.DataFrame]:
    """Each system's record as of the date, over the last 7 days, 30 days and the season to date:
    picks, wins, losses, hit rate, MAE, bias, the line's own MAE on the same rows, hit rate by edge
    bucket (|edge| < 1.5, 1.5-3, 3-5, 5+) and a calibration table (confidence decile vs win rate)."""
    frame = performance(grades, [pd.Timestamp(key) for key in context.partition_keys])  # a range run: every date at once
    latest = frame[frame["game_date"] == frame["game_date"].max()] if len(frame) else frame
    season = latest[latest["period"] == "season"]
    table = lambda kind: MetadataValue.md(season[season["segment_type"] == kind][SHOWN].to_markdown(index=False, floatfmt=".3f") if len(season) else "none")  # noqa: E731
    metadata = {"rows": len(frame), "season_overall": table("overall"), "season_by_edge_bucket": table("edge_bucket"), "season_calibration": table("confidence_decile")}
    if len(season):
        metadata["plot"] = MetadataValue.md(markdown_image(performance_png(latest), "hit rate by edge bucket and calibration"))
    return Output(frame, metadata=metadata)
