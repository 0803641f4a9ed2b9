"""Closing-line value: how a pick's line and price compare with the market's last board before tip.

Against the same book: its closing board of the player, when the book posted one after the board the
pick was made on. In line points, how far its main line moved the pick's way between the two boards
(an OVER made when the main line was 22.5, closing at 23.5, gained one point; so does an alternate
line's OVER: the market moved its way); in probability points, the book's closing fair probability
of the pick's side at the pick's own line (its devigged quote of that line, or its closing curve
there) minus the probability the pick's price implied. Against the consensus: the same with the
books' consensus (its median main line, its curve), when some book posted a board after the decision.
Where no later board exists the value is empty, never zero: there was nothing to close against.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.market.consensus import PLAYER as NAME, consensus
from nba_assets.market.curve import DISPERSION, over_probabilities
from nba_assets.market.offers import board
from nba_assets.market.prices import implied_probability

PLAYER = ["game_id", "player_lookup"]
CLV_COLUMNS = ["clv_prob_book", "clv_line_book", "clv_prob_market", "clv_line_market"]


def _side_probability(p_over: np.ndarray, side: pd.Series) -> np.ndarray:
    return np.where(side.to_numpy() == "OVER", p_over, 1 - p_over)


def closing_line_value(picks: pd.DataFrame, offers: pd.DataFrame) -> pd.DataFrame:
    """CLV of each pick (`game_id`, `player_lookup`, `book`, `side` OVER/UNDER, `offer_line`, `price`) against the
    closing boards of `offers` (`prop_offers` of its games), aligned with `picks`."""
    out = pd.DataFrame(np.nan, index=picks.index, columns=CLV_COLUMNS)
    offers = offers[offers["player_lookup"].notna()] if len(offers) else offers
    if picks.empty or offers.empty:
        return out
    sign = np.where(picks["side"].to_numpy() == "OVER", 1.0, -1.0)
    implied = implied_probability(picks["price"].astype("Float64").to_numpy(dtype=float, na_value=np.nan))
    times = offers.groupby([*PLAYER, "bookmaker", "board"])["board_at_utc"].max().unstack("board").reindex(columns=["decision", "closing"])
    closing = board(offers, "closing")

    decision = board(offers, "decision")

    # the same book
    book_curves = consensus(closing, DISPERSION, by=[*NAME, "bookmaker"]).dropna(subset=["player_lookup"]).drop_duplicates([*PLAYER, "bookmaker"])
    opened = consensus(decision, DISPERSION, by=[*NAME, "bookmaker"]).dropna(subset=["player_lookup"]).drop_duplicates([*PLAYER, "bookmaker"])
    keys = picks[PLAYER].assign(bookmaker=picks["book"].to_numpy())
    book = keys.merge(book_curves[[*PLAYER, "bookmaker", "market_mean", "consensus_line"]], on=[*PLAYER, "bookmaker"], how="left")
    book = book.merge(opened[[*PLAYER, "bookmaker", "consensus_line"]].rename(columns={"consensus_line": "decision_line"}), on=[*PLAYER, "bookmaker"], how="left")
    book = book.merge(times.reset_index(), on=[*PLAYER, "bookmaker"], how="left")
    exact = keys.assign(line=picks["offer_line"].to_numpy()).merge(
        closing[[*PLAYER, "bookmaker", "line", "fair_over"]].dropna(subset=["fair_over"]).drop_duplicates([*PLAYER, "bookmaker", "line"]),
        on=[*PLAYER, "bookmaker", "line"], how="left")["fair_over"].to_numpy(dtype=float)
    curve_over, _ = over_probabilities(book["market_mean"].to_numpy(dtype=float), picks["offer_line"].to_numpy(dtype=float), DISPERSION)
    close_over = np.where(np.isfinite(exact), exact, curve_over)
    later = (book["closing"] > book["decision"]).fillna(False).to_numpy(dtype=bool)
    out["clv_line_book"] = np.where(later, sign * (book["consensus_line"].to_numpy(dtype=float) - book["decision_line"].to_numpy(dtype=float)), np.nan)
    out["clv_prob_book"] = np.where(later, _side_probability(close_over, picks["side"]) - implied, np.nan)

    # the consensus of the books
    market = consensus(closing).dropna(subset=["player_lookup"]).drop_duplicates(PLAYER)
    at_decision = consensus(decision).dropna(subset=["player_lookup"]).drop_duplicates(PLAYER)[[*PLAYER, "consensus_line"]].rename(columns={"consensus_line": "decision_line"})
    latest = times.groupby(level=PLAYER).max().reset_index()
    merged = picks[PLAYER].merge(market[[*PLAYER, "market_mean", "consensus_line"]], on=PLAYER, how="left").merge(latest, on=PLAYER, how="left")
    merged = merged.merge(at_decision, on=PLAYER, how="left")
    later = (merged["closing"] > merged["decision"]).fillna(False).to_numpy(dtype=bool)
    market_over, _ = over_probabilities(merged["market_mean"].to_numpy(dtype=float), picks["offer_line"].to_numpy(dtype=float), DISPERSION)
    out["clv_line_market"] = np.where(later, sign * (merged["consensus_line"].to_numpy(dtype=float) - merged["decision_line"].to_numpy(dtype=float)), np.nan)
    out["clv_prob_market"] = np.where(later, _side_probability(market_over, picks["side"]) - implied, np.nan)
    return out
