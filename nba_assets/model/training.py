"""Training the points model, walk-forward and deterministic.

The model that serves the dates of a period is trained only on feature rows of played games
dated strictly before the period starts. The last 20% of those dates (at least a week) are held
out, in time order, for early stopping, for the validation metrics of the model, of the baseline
and of the line on the same rows, for fitting each system's probability curve and the blend's
weight, and for the out-of-sample record at the books' offered prices that decides whether each
system may pick at all (`evidence`). The market fits nothing, so it is judged on every training
date; the baseline, whose curve is fitted, on the validation window (on every row of a cold start). With too little history the artifact is a flagged cold start: no CatBoost
model, so no CatBoost and no blend; the market and the baseline still price every offer.

What it learns (chosen by measurement on the real 2024-25 walk-forward, `bench/model_quality.py`):
a player's points as an anchor plus a correction, the anchor being the real line where the market
gave one (the best single forecast there is) and his last-10 average otherwise; CatBoost learns the
median of the difference (absolute-error loss: the median is what MAE rewards). Seasons are weighted
by recency: each season back counts `SEASON_WEIGHT` as much as the one after it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from catboost import CatBoostRegressor

from nba_assets.features.build import real_line
from nba_assets.features.contract import FEATURE_CONTRACT, FeatureContract
from nba_assets.market.consensus import player_markets
from nba_assets.market.curve import DISPERSION, over_probabilities
from nba_assets.market.offers import board
from nba_assets.model import baseline
from nba_assets.model.artifact import SYSTEM_ID, TARGET, PointsModel, anchor
from nba_assets.model.evidence import blend_weight, system_evidence
from nba_assets.model.probability import BLEND, MARKET, PointsCurve, blend, log_loss
from nba_assets.partitions import season_start_year
from nba_assets.picks import COLD_START, NOT_USED
from resources.model_files import file_hash

SEED = 20211019
PARAMS = {
    "iterations": 1000,
    "learning_rate": 0.05,
    "depth": 6,
    "loss_function": "MAE",  # of points minus the anchor: the median, which the absolute error rewards
    "random_seed": SEED,
    "thread_count": 2,  # fixed: the same rows give the same model on any machine
    "od_type": "Iter",
    "od_wait": 50,
    "allow_writing_files": False,
    "verbose": False,
}
MIN_TRAIN_ROWS = 3000
MIN_TRAIN_DATES = 30
VALIDATION_SHARE = 0.2
MIN_VALIDATION_DATES = 7
SEASON_WEIGHT = 0.5


def training_rows(features: pd.DataFrame, games: pd.DataFrame) -> pd.DataFrame:
    """Feature rows of games the player played, with the points he scored (`actual_points`)."""
    played = games[games["minutes"].astype(float) > 0][["game_id", "player_lookup", "points"]]
    rows = features.merge(played.rename(columns={"points": "actual_points"}), on=["game_id", "player_lookup"], how="inner")
    rows["actual_points"] = rows["actual_points"].astype(float)
    return rows.sort_values(["game_date", "game_id", "player_lookup"], kind="stable").reset_index(drop=True)


def split_by_date(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, validation): the last `VALIDATION_SHARE` of dates, at least `MIN_VALIDATION_DATES`, held out."""
    dates = np.sort(rows["game_date"].unique())
    held_out = max(MIN_VALIDATION_DATES, int(round(len(dates) * VALIDATION_SHARE)))
    first_validation = dates[-held_out]
    return rows[rows["game_date"] < first_validation], rows[rows["game_date"] >= first_validation]


def _mae(predicted: pd.Series | np.ndarray, actual: pd.Series) -> float:
    return float(np.nanmean(np.abs(np.asarray(predicted, dtype=float) - actual.to_numpy(dtype=float))))


def _window(rows: pd.DataFrame) -> dict[str, str | None]:
    if rows.empty:
        return {"first_game_date": None, "last_game_date": None}
    return {"first_game_date": f"{rows['game_date'].min():%Y-%m-%d}", "last_game_date": f"{rows['game_date'].max():%Y-%m-%d}"}


def season_weights(rows: pd.DataFrame) -> np.ndarray:
    """Each row's training weight: 1 for the latest season of the rows, `SEASON_WEIGHT` per season before it."""
    seasons = season_start_year(rows["game_date"])
    return (SEASON_WEIGHT ** (seasons.max() - seasons)).to_numpy(dtype=float)


def with_market(rows: pd.DataFrame, offers: pd.DataFrame) -> pd.DataFrame:
    """`rows` with `market_mean`, the books' consensus mean of each player-game (empty without offers)."""
    markets = player_markets(offers)[["game_id", "player_lookup", "market_mean"]] if len(offers) else pd.DataFrame(columns=["game_id", "player_lookup", "market_mean"])
    out = rows.drop(columns=["market_mean"], errors="ignore").merge(markets, on=["game_id", "player_lookup"], how="left")
    out.index = rows.index
    out["market_mean"] = out["market_mean"].astype(float)
    return out


def systems_record(rows: pd.DataFrame, offers: pd.DataFrame, means: dict[str, pd.Series]) -> dict[str, dict]:
    """Each system's out-of-sample record at offered prices on `rows` (`means`: the prediction each system's curve is around)."""
    line = real_line(rows)
    return {system: system_evidence(system, rows.assign(mean=mean), offers, line) for system, mean in means.items()}


def validation_log_loss(rows: pd.DataFrame, curves: dict[str, PointsCurve], means: dict[str, pd.Series], weight: float | None) -> dict[str, float | int]:
    """Log loss of P(over) at the real line on the validation rows the market priced, per system (the served curves)."""
    line = real_line(rows)
    known = line.notna() & rows["market_mean"].notna() & (rows["actual_points"] != line)
    if not known.any():
        return {"rows": 0}
    over = (rows.loc[known, "actual_points"] > line[known]).astype(float)
    market, _ = over_probabilities(rows.loc[known, "market_mean"], line[known], DISPERSION)
    out: dict[str, float | int] = {"rows": int(known.sum()), MARKET: float(log_loss(market, over).mean())}
    for system, curve in curves.items():
        p, _ = curve.over(means[system][known], line[known])
        out[system] = float(log_loss(p, over).mean())
    if weight is not None and SYSTEM_ID in curves:
        p, _ = curves[SYSTEM_ID].over(means[SYSTEM_ID][known], line[known])
        out[BLEND] = float(log_loss(blend(p, market, weight), over).mean())
    return out


def train_points_model(rows: pd.DataFrame, serves_from: date, offers: pd.DataFrame | None = None, contract: FeatureContract = FEATURE_CONTRACT) -> PointsModel:
    """The model serving dates from `serves_from` on, from training rows (and the books' offers) dated strictly before it."""
    rows = rows[rows["game_date"] < pd.Timestamp(serves_from)]
    offers = board(offers, "decision") if offers is not None and len(offers) else pd.DataFrame(columns=["game_id", "player_lookup"])
    offers = offers[offers["game_date"] < pd.Timestamp(serves_from)] if len(offers) else offers
    meta = {
        "feature_contract_version": contract.version,
        "feature_names": list(contract.names),
        "serves_from": f"{serves_from:%Y-%m-%d}",
        "training_window": _window(rows),
        "target": TARGET,
        "season_weight": SEASON_WEIGHT,
        "params": {k: v for k, v in PARAMS.items() if k not in ("verbose", "allow_writing_files")},
    }
    base = baseline.moving_average(rows)
    if len(rows) < MIN_TRAIN_ROWS or rows["game_date"].nunique() < MIN_TRAIN_DATES:
        priced = with_market(rows, offers)
        meta.update(
            cold_start=True, used=False, model_version="cold-start", rows={"train": len(rows), "validation": 0},
            reason=f"{COLD_START}: {len(rows)} training rows over {rows['game_date'].nunique()} dates "
            f"(need {MIN_TRAIN_ROWS} rows and {MIN_TRAIN_DATES} dates); no CatBoost model and no blend: only the market and the baseline recommend",
            probability={baseline.SYSTEM_ID: PointsCurve.fit(base, rows["actual_points"], real_line(rows)).as_dict()}, blend_weight=None,
            pick_evidence=systems_record(priced, offers, {MARKET: base * np.nan, baseline.SYSTEM_ID: base}), validation={}, feature_importances={},
        )
        return PointsModel.of(meta, None)

    train, valid = split_by_date(rows)
    names = list(contract.names)
    model = CatBoostRegressor(**PARAMS)
    model.fit(train[names].astype(float), train["actual_points"] - anchor(train), sample_weight=season_weights(train),
              eval_set=(valid[names].astype(float), valid["actual_points"] - anchor(valid)), use_best_model=True)
    trained = PointsModel(metadata={**meta, "model_version": "catboost"}, model=model)
    predicted = pd.Series(trained.predict(valid, contract), index=valid.index)
    base_valid = base.loc[valid.index]
    priced = with_market(rows, offers)  # the market fits nothing: every training date is out of sample for it
    valid = priced.loc[valid.index]
    means = {SYSTEM_ID: predicted, baseline.SYSTEM_ID: base_valid}
    curves = {system: PointsCurve.fit(mean, valid["actual_points"], real_line(valid)) for system, mean in means.items()}
    weight = blend_weight(curves[SYSTEM_ID], valid.assign(mean=predicted), real_line(valid))
    with_line = real_line(valid).notna()
    model_mae, baseline_mae = _mae(predicted, valid["actual_points"]), _mae(base_valid, valid["actual_points"])
    predictions_hash = file_hash(np.round(predicted.to_numpy(), 9).tobytes())
    used = model_mae < baseline_mae
    meta.update(
        cold_start=False,
        used=used,
        reason=None if used else f"{NOT_USED}: validation MAE {model_mae:.3f} does not beat the baseline's {baseline_mae:.3f}",
        # the file embeds a per-training id, so the version names what the model does instead
        model_version=f"catboost-{predictions_hash[:12]}",
        rows={"train": len(train), "validation": len(valid)},
        validation={
            "window": _window(valid),
            "mae_model": model_mae,
            "mae_baseline": baseline_mae,
            "mae_model_on_line_rows": _mae(predicted[with_line], valid.loc[with_line, "actual_points"]) if with_line.any() else None,
            "mae_line": _mae(real_line(valid)[with_line], valid.loc[with_line, "actual_points"]) if with_line.any() else None,
            "best_iteration": int(model.get_best_iteration()),
            "predictions_sha256": predictions_hash,
            "log_loss": validation_log_loss(valid, curves, means, weight),
        },
        feature_importances={name: float(v) for name, v in zip(names, model.get_feature_importance())},
        probability={system: curve.as_dict() for system, curve in curves.items()},
        blend_weight=weight,
        pick_evidence={**systems_record(priced, offers, {MARKET: base * np.nan}),
                       **systems_record(valid, offers, {SYSTEM_ID: predicted, baseline.SYSTEM_ID: base_valid, BLEND: predicted})},
    )
    return PointsModel.of(meta, model)
