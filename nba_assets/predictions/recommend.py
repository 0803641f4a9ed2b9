"""From predicted points to a recommendation against the line (plain functions of DataFrames).

edge = predicted points - line. OVER when edge >= threshold, UNDER when edge <= -threshold, else
PASS; NO_LINE without a line. A player ruled out (injury status Out) is never recommended, nor is a
system that may not recommend (a cold-start model, a model that does not beat the baseline, a
system whose out-of-sample picks do not beat the line: see `calibration.pick_evidence`, a player
without history), nor a pick whose calibrated chance to win is under the break-even of -110
(52.4%: the system's own record says it would not pay), nor any pick of a system that disagrees with the
whole market on a slate (its mean edge over 20+ lines beyond +/-1.5 points: a system biased that day,
say one whose features are stale at the start of a season, would pick one side of every line).
`confidence` is the calibrated probability that the side the edge points to wins, among decided outcomes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.features.build import real_line
from nba_assets.model import baseline
from nba_assets.model.artifact import SYSTEM_ID as CATBOOST, PointsModel
from nba_assets.model.calibration import no_edge_reason
from nba_assets.picks import BREAK_EVEN, NO_LINE, OVER, PASS, UNDER

DEFAULT_THRESHOLD = 1.5
MEAN_EDGE_MAX = 1.5
MIN_SLATE_LINES = 20
PREDICTION_RANGE = (0.0, 70.0)
RULED_OUT = frozenset({"out"})

PREDICTION_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "player_lookup": "string", "team_abbr": "string", "opponent_abbr": "string",
    "system_id": "string", "model_version": "string", "predicted_points": "float64", "clamped": "boolean", "line": "float64",
    "edge": "float64", "recommendation": "string", "reason": "string", "confidence": "float64", "p_over": "float64",
    "p_under": "float64", "injury_status": "string", "threshold": "float64", "predicted_at_utc": "datetime64[us]",
}


def recommend(edge: pd.Series, line: pd.Series, threshold: float, blocked: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(recommendation, reason) per row; `blocked` holds a reason not to recommend, or None."""
    recommendation = pd.Series(PASS, index=edge.index, dtype="object")
    recommendation[edge >= threshold] = OVER
    recommendation[edge <= -threshold] = UNDER
    reason = pd.Series(None, index=edge.index, dtype="object")
    reason[recommendation == PASS] = f"|edge| below {threshold:g}"
    has_block = blocked.notna()
    recommendation[has_block], reason[has_block] = PASS, blocked[has_block]
    no_line = line.isna()
    recommendation[no_line], reason[no_line] = NO_LINE, "no line"
    return recommendation, reason


def system_rows(features: pd.DataFrame, system: str, version: str, predicted: pd.Series, unavailable: str | None, model: PointsModel,
                threshold: float, injury: pd.Series) -> pd.DataFrame:
    """The rows of one system for a slate."""
    low, high = PREDICTION_RANGE
    clamped = (predicted < low) | (predicted > high)
    predicted = predicted.clip(low, high)
    line = real_line(features)
    edge = predicted - line
    blocked = pd.Series(unavailable, index=features.index, dtype="object")
    blocked[predicted.isna() & blocked.isna()] = "no history to predict from"
    blocked[injury.str.lower().isin(RULED_OUT).fillna(False) & blocked.isna()] = "ruled out"
    p_over = pd.Series(np.nan, index=features.index)
    p_under = pd.Series(np.nan, index=features.index)
    known = line.notna() & predicted.notna()
    if known.any():
        over, under = model.calibration(system).over_under(predicted[known], line[known])
        p_over[known], p_under[known] = over, under
    confidence = p_over.where(edge >= 0, p_under)
    blocked[(confidence < BREAK_EVEN) & blocked.isna()] = f"calibrated chance to win under the break-even of -110 ({BREAK_EVEN:.1%})"
    recommendation, reason = recommend(edge, line, threshold, blocked)
    return pd.DataFrame(
        {
            "game_date": features["game_date"], "game_id": features["game_id"], "player_lookup": features["player_lookup"],
            "team_abbr": features["team_abbr"], "opponent_abbr": features["opponent_abbr"], "system_id": system, "model_version": version,
            "predicted_points": predicted, "clamped": clamped, "line": line, "edge": edge, "recommendation": recommendation,
            "reason": reason, "confidence": confidence, "p_over": p_over, "p_under": p_under, "injury_status": injury, "threshold": threshold,
        }
    )


def slate_bias(predictions: pd.DataFrame) -> pd.DataFrame:
    """Per date and system: lines predicted, mean edge, and whether the system is biased against
    the market that day (`MIN_SLATE_LINES` or more lines, mean edge beyond +/-`MEAN_EDGE_MAX`)."""
    edges = predictions.dropna(subset=["edge"])
    bias = edges.groupby(["game_date", "system_id"])["edge"].agg(lines="size", mean_edge="mean").reset_index()
    bias["biased"] = (bias["lines"] >= MIN_SLATE_LINES) & (bias["mean_edge"].abs() > MEAN_EDGE_MAX)
    return bias


def withhold_biased(predictions: pd.DataFrame) -> pd.DataFrame:
    """The picks of a system biased against the market on a date become PASS, with the reason."""
    biased = slate_bias(predictions)
    biased = biased[biased["biased"]]
    out = predictions.copy()
    for row in biased.itertuples():
        picks = (out["game_date"] == row.game_date) & (out["system_id"] == row.system_id) & out["recommendation"].isin([OVER, UNDER])
        out.loc[picks, "recommendation"] = PASS
        out.loc[picks, "reason"] = (f"withheld: {row.system_id} disagrees with the whole market today (mean edge {row.mean_edge:+.2f} "
                                    f"points over {row.lines} lines, beyond +/-{MEAN_EDGE_MAX:g})")
    return out


def predict_slate(features: pd.DataFrame, injury_status: pd.Series, model: PointsModel, threshold: float, predicted_at: pd.Timestamp) -> pd.DataFrame:
    """Rows for both systems for every player of `features` (a feature-store slate)."""
    features = features.reset_index(drop=True)
    injury = injury_status.reset_index(drop=True).astype("string")
    evidence = model.metadata.get("pick_evidence", {})
    if model.model is not None:
        catboost_points = pd.Series(model.predict(features), index=features.index)
        unavailable = model.metadata["reason"] if not model.used else no_edge_reason(CATBOOST, evidence.get(CATBOOST))
    else:
        catboost_points = pd.Series(np.nan, index=features.index)
        unavailable = model.metadata["reason"]
    frames = [
        system_rows(features, CATBOOST, model.version, catboost_points, unavailable, model, threshold, injury),
        system_rows(features, baseline.SYSTEM_ID, baseline.VERSION, baseline.moving_average(features),
                    no_edge_reason(baseline.SYSTEM_ID, evidence.get(baseline.SYSTEM_ID)), model, threshold, injury),
    ]
    out = withhold_biased(pd.concat(frames, ignore_index=True)).assign(predicted_at_utc=predicted_at)
    return out[list(PREDICTION_COLUMNS)].astype(PREDICTION_COLUMNS)
