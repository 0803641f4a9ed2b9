"""Model quality on the REAL 2024-25 season as the platform stored it: three formulations side by side,
walk-forward, against the real lines.

    python bench/real_season.py --start 2024-04-16 --keep /tmp/real      # the warehouse, through the platform's assets
    python bench/model_quality.py --warehouse /tmp/real/clean/data [--first-monday 2024-11-25] [--last-monday 2025-01-06]

Reads the feature store and the player games that `bench/real_season.py` stored (the 2024 playoffs
and the 2024-25 season from the replay server), and for each week trains on every earlier row (the
2024 playoffs at half weight: a season back) and predicts the week:

- `anchored`: the platform's model (`train_points_model`): the real line where there is one, else
  the last-10 average, plus CatBoost's median correction;
- `direct`: CatBoost of the points themselves (Tweedie loss), the platform's earlier model;
- `minutes x rate`: CatBoost of the minutes he will play times CatBoost of his points per minute.

Prints, on the same player-games with a real line: MAE of each against the line's; picks where the
calibrated chance to win clears 52.4% and 55% (hit rate, 95% interval, count); hit rate by edge
bucket; the calibration table (predicted chance against the rate won); the out-of-sample record that
decides whether the platform lets the system pick at all; the time to train a week's model and to
score a slate.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catboost import CatBoostRegressor  # noqa: E402

from nba_assets.features.build import real_line  # noqa: E402
from nba_assets.features.contract import FEATURE_CONTRACT  # noqa: E402
from nba_assets.grading.performance import edge_buckets, summarize  # noqa: E402
from nba_assets.model.probability import PointsCurve  # noqa: E402
from nba_assets.model.training import PARAMS, season_weights, split_by_date, train_points_model, training_rows  # noqa: E402
from nba_assets.picks import BREAK_EVEN, OVER, PASS, UNDER, pick_results, pick_returns  # noqa: E402

FORMULATIONS = ("anchored", "direct", "minutes x rate")
CONFIDENCE_BINS = [0.5, 0.524, 0.55, 0.6, 1.0]


def load(warehouse: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The training rows the platform's feature store and games give, and its offers (decision boards)."""
    import duckdb

    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as conn:
        features = conn.execute("select * from nba.feature_store").fetchdf()
        games = conn.execute("select * from nba.player_game_summary").fetchdf()
        offers = conn.execute("select * from nba.prop_offers where board = 'decision'").fetchdf()
    rows = training_rows(features, games)
    minutes = games[games["minutes"] > 0][["game_id", "player_lookup", "minutes"]].rename(columns={"minutes": "actual_minutes"})
    return rows.merge(minutes, on=["game_id", "player_lookup"], how="left"), offers


def catboost(train: pd.DataFrame, valid: pd.DataFrame, target: str, loss: str, weight: pd.Series | None = None) -> CatBoostRegressor:
    names = list(FEATURE_CONTRACT.names)
    model = CatBoostRegressor(**{**PARAMS, "loss_function": loss})
    model.fit(train[names], train[target], sample_weight=season_weights(train) * (1 if weight is None else weight.to_numpy()),
              eval_set=(valid[names], valid[target]), use_best_model=True)
    return model


def week_predictions(history: pd.DataFrame, offers: pd.DataFrame, week: pd.DataFrame, monday: pd.Timestamp) -> tuple[dict, dict, float]:
    """{formulation: (week predictions, validation predictions)}, the validation rows, and the seconds the platform's model took."""
    started = time.perf_counter()
    platform = train_points_model(history, monday.date(), offers)
    trained = time.perf_counter() - started
    train, valid = split_by_date(history)
    names = list(FEATURE_CONTRACT.names)
    out = {"anchored": (platform.predict(week), platform.predict(valid))}
    direct = catboost(train, valid, "actual_points", "Tweedie:variance_power=1.5")
    out["direct"] = (direct.predict(week[names]), direct.predict(valid[names]))
    rate = lambda rows: rows["actual_points"] / rows["actual_minutes"].clip(lower=1)  # noqa: E731
    minutes = catboost(train, valid, "actual_minutes", "RMSE")
    per_minute = catboost(train.assign(rate=rate(train)), valid.assign(rate=rate(valid)), "rate", "RMSE", weight=train["actual_minutes"])
    out["minutes x rate"] = (minutes.predict(week[names]) * per_minute.predict(week[names]), minutes.predict(valid[names]) * per_minute.predict(valid[names]))
    return out, {"valid": valid, "model": platform}, trained


def graded(week: pd.DataFrame, predicted: np.ndarray, curve: PointsCurve) -> pd.DataFrame:
    """The week's rows with a real line: prediction, edge, the calibrated probability of the side it leans to, the side, and the pick's result."""
    line = real_line(week)
    rows = week.assign(predicted_points=predicted, line=line)[line.notna()].copy()
    rows["edge"] = rows["predicted_points"] - rows["line"]
    over, _ = curve.over(rows["predicted_points"], rows["line"])
    rows["probability"] = np.maximum(over, 1 - over)
    rows["side"] = np.where(over >= 0.5, OVER, UNDER)
    rows["absolute_error"], rows["line_absolute_error"] = (rows["predicted_points"] - rows["actual_points"]).abs(), (rows["line"] - rows["actual_points"]).abs()
    rows["is_voided"] = False
    return rows


def picks_at(rows: pd.DataFrame, floor: float, threshold: float = 0.0) -> pd.DataFrame:
    chosen = (rows["probability"] >= floor) & (rows["edge"].abs() >= threshold)
    recommendation = pd.Series(np.where(chosen, rows["side"], PASS), index=rows.index)
    result = pick_results(recommendation, rows["line"], rows["actual_points"], pd.Series(True, index=rows.index))
    returns = pick_returns(result, pd.Series(1 + 100 / 110, index=rows.index))  # at -110
    return rows.assign(recommendation=recommendation, result=result, pick_return=returns, stake_units=1.0, units=returns, price=-110, offer_line=rows["line"],
                       log_loss=np.nan, market_log_loss=np.nan, brier=np.nan, market_brier=np.nan, clv_prob_market=np.nan, clv_line_market=np.nan,
                       clv_prob_book=np.nan, clv_line_book=np.nan)


def cell(record: dict) -> str:
    decided = record["wins"] + record["losses"]
    return f"{record['hit_rate']:.1%} of {decided} [{record['hit_rate_low']:.1%}, {record['hit_rate_high']:.1%}]" if decided else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", required=True, help="the data folder of a bench/real_season.py run (DIR/clean/data)")
    parser.add_argument("--first-monday", default="2024-11-25")
    parser.add_argument("--last-monday", default="2025-01-06")
    args = parser.parse_args()
    started = time.perf_counter()
    rows, offers = load(Path(args.warehouse))
    print(f"{len(rows)} played player-games with features, {int(real_line(rows).notna().sum())} with a real line, "
          f"{rows['game_date'].min():%Y-%m-%d} .. {rows['game_date'].max():%Y-%m-%d}")
    weeks, scored, trainings, slates, evidence = [], {f: [] for f in FORMULATIONS}, [], [], []
    for monday in pd.date_range(args.first_monday, args.last_monday, freq="W-MON"):
        history = rows[rows["game_date"] < monday]
        week = rows[(rows["game_date"] >= monday) & (rows["game_date"] < monday + pd.Timedelta(days=7))]
        if week.empty:
            continue
        predictions, context, trained = week_predictions(history, offers, week, monday)
        trainings.append(trained)
        valid, model = context["valid"], context["model"]
        for day, slate in week.groupby("game_date"):
            began = time.perf_counter()
            model.predict(slate)
            slates.append((time.perf_counter() - began) * 1000)
        for formulation, (on_week, on_valid) in predictions.items():
            curve = PointsCurve.fit(pd.Series(on_valid, index=valid.index), valid["actual_points"], real_line(valid))
            scored[formulation].append(graded(week, on_week, curve))
        record = model.metadata.get("pick_evidence", {}).get("catboost", {})
        evidence.append((monday, record))
        weeks.append(monday)
        print(f"  week of {monday:%Y-%m-%d}: trained on {len(history)} rows in {trained:.1f} s, {len(week)} rows, "
              f"{int(real_line(week).notna().sum())} with a line; out-of-sample picks {record.get('picks', 0)} hitting "
              f"returning {100 * (record.get('roi') or 0):+.1f}% at offered prices -> {'may pick' if record.get('beats_the_market') else 'no picks'}", flush=True)

    first = pd.concat(scored["anchored"])
    print(f"\nWalk-forward {weeks[0]:%Y-%m-%d} .. {weeks[-1] + pd.Timedelta(days=6):%Y-%m-%d}: {len(first)} player-games with a real line "
          f"(over {100 * (first['actual_points'] > first['line']).mean():.1f} %, under {100 * (first['actual_points'] < first['line']).mean():.1f} %, "
          f"push {100 * (first['actual_points'] == first['line']).mean():.1f} %)")
    print(f"{'':16} {'MAE':>6} {'bias':>6}   {'picks at >= 52.4 %':>30} {'picks at >= 55 %':>30}")
    print(f"{'line':16} {first['line_absolute_error'].mean():6.3f} {(first['line'] - first['actual_points']).mean():+6.3f}")
    for formulation in FORMULATIONS:
        rows_f = pd.concat(scored[formulation])
        print(f"{formulation:16} {rows_f['absolute_error'].mean():6.3f} {(rows_f['predicted_points'] - rows_f['actual_points']).mean():+6.3f}   "
              f"{cell(summarize(picks_at(rows_f, BREAK_EVEN))):>30} {cell(summarize(picks_at(rows_f, 0.55))):>30}")
    print(f"\nHit rate by edge bucket (picks at >= {BREAK_EVEN:.1%} calibrated), [95 % interval]:")
    for formulation in FORMULATIONS:
        rows_f = picks_at(pd.concat(scored[formulation]), BREAK_EVEN)
        cells = [f"{label} {cell(summarize(part))}" for label, part in edge_buckets(rows_f)[1:]]
        print(f"  {formulation:16} " + "; ".join(cells))
    print("\nCalibration of the anchored model (chance to win the side it leans to, predicted vs won, decided outcomes):")
    rows_a = picks_at(first, 0.0)
    rows_a = rows_a[rows_a["result"].isin(["win", "loss"])]
    bins = pd.cut(rows_a["probability"], CONFIDENCE_BINS, right=False)
    for interval, part in rows_a.groupby(bins, observed=True):
        r = summarize(part)
        print(f"  {str(interval):14} predicted {r['mean_probability']:.1%}  won {r['hit_rate']:.1%}  ({r['picks']} outcomes, gap {100 * (r['hit_rate'] - r['mean_probability']):+.1f} points)")
    print(f"\nThe platform's gate at offered prices: weeks whose model may pick {sum(bool(r.get('beats_the_market')) for _, r in evidence)} of {len(evidence)}")
    print(f"Training a week's model (the platform's, its determinism retraining aside): mean {np.mean(trainings):.1f} s, max {np.max(trainings):.1f} s; "
          f"scoring a slate: median {np.median(slates):.1f} ms, max {np.max(slates):.1f} ms ({len(slates)} slates)")
    print(f"wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
