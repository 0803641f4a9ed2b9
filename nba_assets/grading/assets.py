"""The `prediction_grades` and `system_performance` assets."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, MetadataValue, Output

from nba_assets.grading.grade import GRADE_COLUMNS, grade, ungraded_games
from nba_assets.grading.performance import PERFORMANCE_COLUMNS, performance, summarize
from nba_assets.grading.plots import markdown_image, performance_png, units_png
from nba_assets.partitions import season_start_year
from nba_assets.tables import history_in, table_asset

SHOWN = ["system_id", "segment", "picks", "wins", "losses", "hit_rate", "roi", "roi_low", "roi_high", "units", "clv_prob", "clv_line",
         "mae", "line_mae", "log_loss", "market_log_loss", "log_loss_diff", "log_loss_diff_low", "log_loss_diff_high", "mean_probability"]


@table_asset(
    group="grading", columns=GRADE_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"predictions": AssetIn(), "player_game_summary": AssetIn(), "prop_offers": AssetIn()},
)
def prediction_grades(predictions: pd.DataFrame, player_game_summary: pd.DataFrame, prop_offers: pd.DataFrame) -> Output[pd.DataFrame]:
    """Every date's latest prediction per player, game and system against what happened, once that
    date's box scores exist: a player who did not play voids the pick (the reason from the injury
    status known at prediction time); PASS and NO_LINE have no result; a pick is graded at its
    offer's line (actual == line is a push; otherwise it wins when (actual > line) == (OVER)) and
    settled at its price: `pick_return` per unit, `units` at its stake (a push or a void returns the
    stake); its closing-line value against the book's and the consensus's last board before tip
    (empty where no later board exists). `absolute_error` for everyone who played; log loss and Brier
    of the system's P(over) and the market's at the line. A game whose box score never came is not
    graded (listed as `games_without_box_score`)."""
    frame = grade(predictions, player_game_summary, prop_offers)
    ungraded = ungraded_games(predictions, player_game_summary)
    records = {system: summarize(rows) for system, rows in frame.groupby("system_id")}
    decided = {system: record for system, record in records.items() if record["wins"] + record["losses"]}
    return Output(
        frame,
        metadata={
            "rows": len(frame),
            "voided": int(frame["is_voided"].sum()),
            "games_without_box_score": MetadataValue.md(", ".join(ungraded) if ungraded else "none"),
            **{f"hit_rate_{system}": record["hit_rate"] for system, record in decided.items()},
            **{f"picks_{system}": record["wins"] + record["losses"] for system, record in decided.items()},
            **{f"units_{system}": float(record["units"]) for system, record in decided.items()},
            **{f"log_loss_vs_market_{system}": float(record["log_loss_diff"]) for system, record in records.items() if record["scored"]},
        },
    )


@table_asset(
    group="grading", columns=PERFORMANCE_COLUMNS, kinds={"pandas"}, single_run_backfill=True,
    ins={"grades": history_in("prediction_grades", include_same_day=True)},
)
def system_performance(context: AssetExecutionContext, grades: pd.DataFrame) -> Output[pd.DataFrame]:
    """Each system's record as of the date, over the last 7 days, 30 days and the season to date:
    picks, wins, losses, hit rate; ROI at offered prices with its 95% interval and the units won at
    the platform's stakes; closing-line value; MAE, bias and the line's own MAE on the same rows; log
    loss and Brier of P(over) beside the market's on the same rows, with the paired difference's 95%
    interval; by edge bucket (|edge| < 1.5, 1.5-3, 3-5, 5+) and a calibration table (probability
    decile vs win rate). Plots: hit rate and calibration; cumulative units and CLV this season."""
    frame = performance(grades, [pd.Timestamp(key) for key in context.partition_keys])  # a range run: every date at once
    latest = frame[frame["game_date"] == frame["game_date"].max()] if len(frame) else frame
    season = latest[latest["period"] == "season"]
    table = lambda kind: MetadataValue.md(season[season["segment_type"] == kind][SHOWN].to_markdown(index=False, floatfmt=".3f") if len(season) else "none")  # noqa: E731
    metadata = {"rows": len(frame), "season_overall": table("overall"), "season_by_edge_bucket": table("edge_bucket"), "season_calibration": table("probability_decile")}
    if len(season):
        as_of = frame["game_date"].max()
        this_season = grades[(grades["game_date"] <= as_of) & (season_start_year(grades["game_date"]) == season_start_year(pd.Series([as_of])).iloc[0])]
        metadata["plot"] = MetadataValue.md(markdown_image(performance_png(latest), "hit rate by edge bucket and calibration"))
        metadata["units_and_clv"] = MetadataValue.md(markdown_image(units_png(this_season), "cumulative units and closing-line value per system"))
    return Output(frame, metadata=metadata)
