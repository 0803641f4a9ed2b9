"""The `predictions` asset."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, Config, Failure, MetadataValue, Output
from pydantic import Field

from nba_assets.market.offers import board
from nba_assets.market.stakes import Staking
from nba_assets.model.artifact import PointsModel
from nba_assets.model.evidence import EV_THRESHOLD
from nba_assets.partitions import week_of
from nba_assets.predictions.recommend import PREDICTION_COLUMNS, PickSettings, predict_slate
from nba_assets.tables import table_asset
from resources.clock import now_utc
from resources.model_files import StoredModel
from resources.settings import number_setting

DEFAULT_STAKING = Staking()


class PredictionConfig(Config):
    """Launchpad options of `predictions`; each default comes from its environment variable when the code location loads."""

    ev_threshold: float = Field(default=number_setting("NBA_EV_THRESHOLD", EV_THRESHOLD),
                                description="Recommend an offer only when its EV (per unit staked) reaches this (env NBA_EV_THRESHOLD).")
    bankroll_units: float = Field(default=number_setting("NBA_BANKROLL_UNITS", DEFAULT_STAKING.bankroll_units),
                                  description="The bankroll the stakes are a fraction of, in units (env NBA_BANKROLL_UNITS).")
    kelly_fraction: float = Field(default=number_setting("NBA_KELLY_FRACTION", DEFAULT_STAKING.kelly_fraction),
                                  description="The share of Kelly's stake to bet (env NBA_KELLY_FRACTION; a quarter by default).")
    max_pick_units: float = Field(default=number_setting("NBA_MAX_PICK_UNITS", DEFAULT_STAKING.max_pick_units),
                                  description="Most units on one pick (env NBA_MAX_PICK_UNITS).")
    max_game_units: float = Field(default=number_setting("NBA_MAX_GAME_UNITS", DEFAULT_STAKING.max_game_units),
                                  description="Most units on the picks of one game together (env NBA_MAX_GAME_UNITS).")
    max_day_units: float = Field(default=number_setting("NBA_MAX_DAY_UNITS", DEFAULT_STAKING.max_day_units),
                                 description="Most units on one day's picks of a system together (env NBA_MAX_DAY_UNITS).")

    def settings(self) -> PickSettings:
        return PickSettings(self.ev_threshold, Staking(self.bankroll_units, self.kelly_fraction, self.max_pick_units, self.max_game_units, self.max_day_units))


def models_by_week(points_model: StoredModel | dict[str, StoredModel], dates: list[pd.Timestamp]) -> dict[str, PointsModel]:
    """The model serving each week of the run (the input is one model, or one per week of a range)."""
    served = PointsModel.served(points_model)
    if isinstance(served, PointsModel):
        return {week_of(day): served for day in dates}
    return served


@table_asset(
    group="predictions", columns=PREDICTION_COLUMNS, kinds={"catboost"}, single_run_backfill=True,
    ins={"feature_store": AssetIn(), "upcoming_player_game_context": AssetIn(), "prop_offers": AssetIn(), "points_model": AssetIn()},
)
def predictions(
    context: AssetExecutionContext, config: PredictionConfig, feature_store: pd.DataFrame, upcoming_player_game_context: pd.DataFrame,
    prop_offers: pd.DataFrame, points_model: object,
) -> Output[pd.DataFrame]:
    """Four rows per player with a game on the date, one per system: `market` (the books' consensus
    curve, the baseline), `catboost` (the week's model), `moving_average` (0.5 last 5 + 0.3 last 10 +
    0.2 season) and `blend` (the market moved towards the model by its fitted weight). Each prices
    every offer of the decision board and names the best one (side, book, line, price, the market's
    fair probability, its own probability, EV); OVER / UNDER where that EV reaches the threshold and
    the system's out-of-sample record at offered prices pays, staked by fractional Kelly; else PASS
    with the reason (`no edge: ...` for a system that may not pick); NO_LINE without a line.
    Re-materialising replaces the date's predictions (refreshed when new lines land; a game past its
    lock keeps the board it was priced on)."""
    dates = sorted(feature_store["game_date"].unique()) if len(feature_store) else []
    models = models_by_week(points_model, [pd.Timestamp(d) for d in dates])
    injury = upcoming_player_game_context.set_index(["game_id", "player_lookup"])["injury_status"]
    decision = board(prop_offers, "decision")
    predicted_at = pd.Timestamp(now_utc().replace(tzinfo=None))
    frames = []
    for week, slate in feature_store.groupby(feature_store["game_date"].map(week_of)) if len(feature_store) else []:
        if week not in models:
            raise Failure(description=f"no points_model for the week of {week}: materialise points_model {week} first", allow_retries=False)
        status = pd.Series(injury.reindex(pd.MultiIndex.from_frame(slate[["game_id", "player_lookup"]])).to_numpy(), index=slate.index)
        offers = decision[decision["game_id"].isin(slate["game_id"].unique())]
        frames.append(predict_slate(slate, status, models[week], offers, predicted_at, config.settings()))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(PREDICTION_COLUMNS)).astype(PREDICTION_COLUMNS)
    counts = frame.groupby(["system_id", "recommendation"]).size().unstack(fill_value=0) if len(frame) else pd.DataFrame()
    picks = frame[frame["recommendation"].isin(["OVER", "UNDER"])]
    shown = ["system_id", "player_lookup", "recommendation", "book", "offer_line", "price", "fair_probability", "probability", "ev", "stake_units"]
    return Output(
        frame,
        metadata={
            "rows": len(frame),
            "models": ", ".join(sorted(frame["model_version"].unique())) if len(frame) else "none",
            "recommendations": MetadataValue.md(counts.to_markdown() if len(counts) else "none"),
            "units_staked": MetadataValue.json(picks.groupby("system_id")["stake_units"].sum().round(2).to_dict() if len(picks) else {}),
            "preview": MetadataValue.md(picks.sort_values("ev", ascending=False)[shown].head(15).to_markdown(index=False, floatfmt=".3f") if len(picks) else "no picks"),
        },
    )
