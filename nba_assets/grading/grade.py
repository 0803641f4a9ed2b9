"""Grading predictions after the game (DESIGN §4), as a plain function of DataFrames.

- Only the latest prediction per player, game and system is graded.
- A player who did not play (no minutes, or absent from his game's box score) voids the pick; the
  reason comes from the injury status known when the prediction was made.
- A game without any box score (the source never published one) cannot be graded: its predictions
  are left out (`ungraded_games`), neither voided nor decided.
- PASS and NO_LINE have no result. Otherwise actual == line is a push, and the pick wins when
  (actual > line) == (recommendation == OVER).
- The absolute error is graded for every player who played, whatever the recommendation.
"""

from __future__ import annotations

import pandas as pd

from nba_assets.picks import pick_results

GRADE_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "player_lookup": "string", "system_id": "string", "model_version": "string",
    "predicted_points": "float64", "line": "float64", "edge": "float64", "recommendation": "string", "confidence": "float64",
    "injury_status": "string", "actual_points": "float64", "minutes": "float64", "is_voided": "boolean", "void_reason": "string",
    "result": "string", "prediction_correct": "boolean", "absolute_error": "float64", "line_absolute_error": "float64",
}
KEY = ["game_id", "player_lookup", "system_id"]


def latest_predictions(predictions: pd.DataFrame) -> pd.DataFrame:
    """The latest prediction per player, game and system."""
    ordered = predictions.sort_values("predicted_at_utc", kind="stable")
    return ordered.drop_duplicates(KEY, keep="last")


def ungraded_games(predictions: pd.DataFrame, games: pd.DataFrame) -> list[str]:
    """Games with predictions but no box score at all: nothing to grade them against."""
    return sorted(set(predictions["game_id"]) - set(games["game_id"]))


def grade(predictions: pd.DataFrame, games: pd.DataFrame) -> pd.DataFrame:
    """One graded row per latest prediction of a game with a box score; `games` is
    `player_game_summary` of the same dates."""
    picks = latest_predictions(predictions)
    picks = picks[~picks["game_id"].isin(ungraded_games(picks, games))]
    played = games[["game_id", "player_lookup", "points", "minutes"]].rename(columns={"points": "actual_points"})
    out = picks.merge(played, on=["game_id", "player_lookup"], how="left")
    out["minutes"] = out["minutes"].astype(float)
    did_not_play = out["minutes"].fillna(0) <= 0
    out["actual_points"] = out["actual_points"].astype(float).where(~did_not_play)
    out["is_voided"] = did_not_play
    status = out["injury_status"].astype("string")
    reason = ("did not play (" + status + " before the game)").where(status.notna(), "did not play (no injury reported)")
    reason = reason.where(out["minutes"].notna(), "not in the box score")
    out["void_reason"] = reason.where(did_not_play)
    out["result"] = pick_results(out["recommendation"], out["line"], out["actual_points"], ~did_not_play)
    decided = out["result"].isin(["win", "loss"])
    out["prediction_correct"] = pd.Series(out["result"] == "win", dtype="boolean").where(decided)
    out["absolute_error"] = (out["predicted_points"] - out["actual_points"]).abs()
    out["line_absolute_error"] = (out["line"] - out["actual_points"]).abs()
    return out[list(GRADE_COLUMNS)].astype(GRADE_COLUMNS).sort_values(["game_date", *KEY]).reset_index(drop=True)
