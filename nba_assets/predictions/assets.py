"""The `predictions` asset."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, Config, Failure, MetadataValue, Output
from pydantic import Field

from nba_assets.model.artifact import PointsModel
from nba_assets.partitions import week_of
from nba_assets.predictions.recommend import DEFAULT_THRESHOLD, PREDICTION_COLUMNS, predict_slate
from nba_assets.tables import table_asset
from resources.clock import now_utc
from resources.model_files import StoredModel


class PredictionConfig(Config):
    """Launchpad options of `predictions`."""

    edge_threshold: float = Field(default=DEFAULT_THRESHOLD, description="Recommend OVER / UNDER when |predicted - line| reaches this many points.")


def models_by_week(points_model: StoredModel | dict[str, StoredModel], dates: list[pd.Timestamp]) -> dict[str, PointsModel]:
    """The model serving each week of the run (the input is one model, or one per week of a range)."""
    served = PointsModel.served(points_model)
    if isinstance(served, PointsModel):
        return {week_of(day): served for day in dates}
    return served


@table_asset(
    group="predictions", columns=PREDICTION_COLUMNS, kinds={"catboost"}, single_run_backfill=True,
    ins={"feature_store": AssetIn(), "upcoming_player_game_context": AssetIn(), "points_model": AssetIn()},
)
def predictions(
    context: AssetExecutionContext, config: PredictionConfig, feature_store: pd.DataFrame, upcoming_player_game_context: pd.DataFrame,
    points_model: object,
) -> Output[pd.DataFrame]:
    """Two rows per player with a game on the date, one per system: `catboost` (the week's model)
    and `moving_average` (0.5 last 5 + 0.3 last 10 + 0.2 season). `edge` = predicted points - line;
    OVER when edge >= threshold, UNDER when edge <= -threshold, else PASS; NO_LINE without a line;
    a player ruled out is not recommended, nor is a cold-start model or one that does not beat the
    baseline (`reason` says why). `confidence` is the calibrated probability that the pick wins.
    Re-materialising replaces the date's predictions (refreshed when new lines land)."""
    dates = sorted(feature_store["game_date"].unique()) if len(feature_store) else []
    models = models_by_week(points_model, [pd.Timestamp(d) for d in dates])
    injury = upcoming_player_game_context.set_index(["game_id", "player_lookup"])["injury_status"]
    predicted_at = pd.Timestamp(now_utc().replace(tzinfo=None))
    frames = []
    for week, slate in feature_store.groupby(feature_store["game_date"].map(week_of)) if len(feature_store) else []:
        if week not in models:
            raise Failure(description=f"no points_model for the week of {week}: materialise points_model {week} first", allow_retries=False)
        status = pd.Series(injury.reindex(pd.MultiIndex.from_frame(slate[["game_id", "player_lookup"]])).to_numpy(), index=slate.index)
        frames.append(predict_slate(slate, status, models[week], config.edge_threshold, predicted_at))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(PREDICTION_COLUMNS)).astype(PREDICTION_COLUMNS)
    counts = frame.groupby(["system_id", "recommendation"]).size().unstack(fill_value=0) if len(frame) else pd.DataFrame()
    return Output(
        frame,
        metadata={
            "rows": len(frame),
            "models": ", ".join(sorted(frame["model_version"].unique())) if len(frame) else "none",
            "recommendations": MetadataValue.md(counts.to_markdown() if len(counts) else "none"),
            "preview": MetadataValue.md(frame[frame["recommendation"].isin(["OVER", "UNDER"])].head(15).to_markdown(index=False) if len(frame) else "none"),
        },
    )
