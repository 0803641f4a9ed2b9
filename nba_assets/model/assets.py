"""`points_model`: one CatBoost model per week, trained on everything before that week."""

import pandas as pd
from collections.abc import Iterator

from dagster import AssetCheckResult, AssetExecutionContext, AssetIn, MetadataValue, Output, TimeWindowPartitionMapping, asset

from nba_assets.model.artifact import PointsModel
from nba_assets.model.checks import DETERMINISM_SPEC, determinism_result
from nba_assets.model.training import train_points_model, training_rows
from nba_assets.partitions import model_weeks
from nba_assets.tables import OWNER
from resources.clock import ET
from resources.warehouse import EARLIER_DATES_ONLY

TRAINING_WEEKS = 104


def training_in(asset_name: str) -> AssetIn:
    """The `TRAINING_WEEKS` weeks of daily partitions before the model's week: never the week itself."""
    mapping = TimeWindowPartitionMapping(start_offset=-TRAINING_WEEKS, end_offset=-1, allow_nonexistent_upstream_partitions=True)
    return AssetIn(asset_name, partition_mapping=mapping, metadata=EARLIER_DATES_ONLY)


def model_metadata(model: PointsModel) -> dict:
    meta = model.metadata
    out = {
        "model_version": meta["model_version"],
        "cold_start": meta["cold_start"],
        "used": meta["used"],
        "feature_contract_version": meta["feature_contract_version"],
        "feature_names": MetadataValue.md(", ".join(f"`{n}`" for n in meta["feature_names"])),
        "serves_from": meta["serves_from"],
        "training_window": MetadataValue.json(meta["training_window"]),
        "rows_train": meta["rows"]["train"],
        "rows_validation": meta["rows"]["validation"],
    }
    if meta.get("reason"):
        out["reason"] = meta["reason"]
    evidence = pd.DataFrame([{"system": system, **{k: v for k, v in record.items() if k != "roi_interval"},
                              "roi_low": record.get("roi_interval", [None, None])[0], "roi_high": record.get("roi_interval", [None, None])[1]}
                             for system, record in meta.get("pick_evidence", {}).items()])
    if len(evidence):
        out["pick_evidence_at_offered_prices"] = MetadataValue.md(evidence.to_markdown(index=False, floatfmt=".3f"))
    if meta.get("blend_weight") is not None:
        out["blend_weight"] = float(meta["blend_weight"])
    if meta["validation"]:
        out.update(
            validation_window=MetadataValue.json(meta["validation"]["window"]),
            validation_mae_model=meta["validation"]["mae_model"],
            validation_mae_baseline=meta["validation"]["mae_baseline"],
            best_iteration=meta["validation"]["best_iteration"],
            file_hash=meta["file_hash"],
        )
        if meta["validation"].get("log_loss", {}).get("rows"):
            out["validation_log_loss"] = MetadataValue.json(meta["validation"]["log_loss"])
        if meta["validation"]["mae_line"] is not None:
            out.update(validation_mae_line=meta["validation"]["mae_line"], validation_mae_model_on_line_rows=meta["validation"]["mae_model_on_line_rows"])
        importances = pd.Series(meta["feature_importances"]).sort_values(ascending=False).rename("importance").rename_axis("feature").reset_index()
        out["feature_importances"] = MetadataValue.md(importances.to_markdown(index=False, floatfmt=".2f"))
    return out


@asset(
    partitions_def=model_weeks,
    io_manager_key="model_store",
    group_name="model",
    owners=[OWNER],
    kinds={"catboost", "python"},
    pool="duckdb",
    ins={"features": training_in("feature_store"), "games": training_in("player_game_summary"), "offers": training_in("prop_offers")},
    check_specs=[DETERMINISM_SPEC],
)
def points_model(context: AssetExecutionContext, features: pd.DataFrame, games: pd.DataFrame, offers: pd.DataFrame) -> Iterator[Output | AssetCheckResult]:
    """CatBoost regressor of a player's points on the feature contract, serving the game dates of its
    week (Monday to Sunday, ET) and trained only on feature rows of games played before that week
    (the last 20% of those dates held out in time order for early stopping, validation and
    each system's probability curve and the blend's weight), with a fixed seed: a backfill is an
    honest walk-forward backtest. Stored in CatBoost's format with its metadata: feature contract,
    training window, rows, validation MAE of the model and of the moving-average baseline, log loss
    of each system against the market's, each system's out-of-sample record at the books' offered
    prices (which decides whether it may pick), feature importances, file hash. With too little
    history it is a flagged cold start; a model that does not beat the baseline is kept but not used."""
    week_start = context.partition_time_window.start.astimezone(ET).date()
    rows = training_rows(features, games)
    model = train_points_model(rows, week_start, offers)
    yield Output(model, metadata=model_metadata(model))
    yield determinism_result(model, rows, offers)
