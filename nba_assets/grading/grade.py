"""Grading predictions after the game (DESIGN §4), as a plain function of DataFrames.

- Only the latest prediction per player, game and system is graded.
- A player who did not play (no minutes, or absent from his game's box score) voids the pick; the
  reason comes from the injury status known when the prediction was made.
- A game without any box score (the source never published one) cannot be graded: its predictions
  are left out (`ungraded_games`), neither voided nor decided.
- PASS and NO_LINE have no result. Otherwise a pick is graded at its offer's line: actual == line is
  a push, and the pick wins when (actual > line) == (recommendation == OVER).
- Every pick is settled at its price (`picks.pick_returns`): `pick_return` per unit staked, `units`
  won or lost at its stake (a push and a void return the stake: 0 units); its closing-line value
  against the book's and the consensus's last board before tip (`market.clv`), empty without a later board.
- The absolute error is graded for every player who played, whatever the recommendation; the log
  loss and Brier score of the system's P(over) and of the market's at the line for every player who
  played with a line and a decided outcome.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.market.clv import CLV_COLUMNS, closing_line_value
from nba_assets.market.prices import decimal_price
from nba_assets.model.probability import log_loss
from nba_assets.picks import OVER, UNDER, pick_results, pick_returns

GRADE_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "player_lookup": "string", "system_id": "string", "model_version": "string",
    "predicted_points": "float64", "line": "float64", "edge": "float64", "recommendation": "string", "book": "string", "offer_line": "float64",
    "price": "Int64", "probability": "float64", "fair_probability": "float64", "ev": "float64", "stake_units": "float64", "p_over": "float64",
    "market_p_over": "float64", "injury_status": "string", "actual_points": "float64", "minutes": "float64", "is_voided": "boolean",
    "void_reason": "string", "result": "string", "prediction_correct": "boolean", "pick_return": "float64", "units": "float64",
    "clv_prob_book": "float64", "clv_line_book": "float64", "clv_prob_market": "float64", "clv_line_market": "float64",
    "log_loss": "float64", "market_log_loss": "float64", "brier": "float64", "market_brier": "float64",
    "absolute_error": "float64", "line_absolute_error": "float64",
}
KEY = ["game_id", "player_lookup", "system_id"]


def latest_predictions(predictions: pd.DataFrame) -> pd.DataFrame:
    """The latest prediction per player, game and system."""
    ordered = predictions.sort_values("predicted_at_utc", kind="stable")
    return ordered.drop_duplicates(KEY, keep="last")


def ungraded_games(predictions: pd.DataFrame, games: pd.DataFrame) -> list[str]:
    """Games with predictions but no box score at all: nothing to grade them against."""
    return sorted(set(predictions["game_id"]) - set(games["game_id"]))


def scores(out: pd.DataFrame) -> dict[str, pd.Series]:
    """Log loss and Brier score of the system's and the market's P(over) at the line, where the player played and the outcome was decided."""
    actual, line = out["actual_points"].astype(float), out["line"].astype(float)
    p, market = out["p_over"].astype(float), out["market_p_over"].astype(float)
    scored = actual.notna() & line.notna() & (actual != line) & p.notna() & market.notna()
    over = (actual > line).astype(float)
    return {
        "log_loss": pd.Series(log_loss(p, over), index=out.index).where(scored), "market_log_loss": pd.Series(log_loss(market, over), index=out.index).where(scored),
        "brier": ((p - over) ** 2).where(scored), "market_brier": ((market - over) ** 2).where(scored),
    }


def grade(predictions: pd.DataFrame, games: pd.DataFrame, offers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One graded row per latest prediction of a game with a box score; `games` is
    `player_game_summary` of the same dates, `offers` their `prop_offers` (for closing-line value)."""
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
    out["result"] = pick_results(out["recommendation"], out["offer_line"], out["actual_points"], ~did_not_play)
    decided = out["result"].isin(["win", "loss"])
    out["prediction_correct"] = pd.Series(out["result"] == "win", dtype="boolean").where(decided)
    out["pick_return"] = pick_returns(out["result"], decimal_price(out["price"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)))
    is_pick = out["recommendation"].isin([OVER, UNDER])
    out["units"] = (out["stake_units"].astype(float) * out["pick_return"]).where(out["pick_return"].notna(), np.where(is_pick, 0.0, np.nan))
    out[CLV_COLUMNS] = np.nan
    judged = is_pick & ~did_not_play
    if judged.any() and offers is not None and len(offers):
        out.loc[judged, CLV_COLUMNS] = closing_line_value(out[judged].assign(side=out.loc[judged, "recommendation"]), offers).to_numpy()
    for name, values in scores(out).items():
        out[name] = values
    out["absolute_error"] = (out["predicted_points"] - out["actual_points"]).abs()
    out["line_absolute_error"] = (out["line"] - out["actual_points"]).abs()
    return out[list(GRADE_COLUMNS)].astype(GRADE_COLUMNS).sort_values(["game_date", *KEY]).reset_index(drop=True)
