"""The market's fair probability P(points > L) of each player at any line: a consensus curve of the books.

Each book's two-sided quotes on a board give (line, fair P(over)) pairs (multiplicative devig); one
count distribution per player (`curve`, the market's dispersion) is fitted to all of them at once,
its mean chosen so that the weighted logit residuals cancel. A sharp book (Pinnacle) weighs
`SHARP_WEIGHT` times a soft one, a book's alternate lines half its main line. One-sided quotes are
not devigged and do not count. `consensus_line` is the median of the books' main lines (the line the
features and the grading call the line); `fair_line` the half-point line a fair book would hang.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.market.curve import DISPERSION, fair_line, fit_means, over_probabilities

SHARP_WEIGHT = 3.0
ALTERNATE_WEIGHT = 0.5
PLAYER = ["game_id", "player_name"]
CONSENSUS_COLUMNS = {
    "game_id": "string", "player_name": "string", "player_lookup": "string", "market_mean": "float64", "fair_line": "float64",
    "consensus_line": "float64", "market_p_over": "float64", "books": "Int64", "sharp_books": "Int64", "board_at_utc": "datetime64[us]",
}


def quote_weights(offers: pd.DataFrame) -> np.ndarray:
    """Each two-sided quote's weight in the consensus (0 for one-sided quotes)."""
    two_sided = offers["fair_over"].notna().to_numpy()
    book = np.where(offers["sharp"].astype(bool).to_numpy(), SHARP_WEIGHT, 1.0)
    line = np.where(offers["is_main"].astype(bool).to_numpy(), 1.0, ALTERNATE_WEIGHT)
    return np.where(two_sided, book * line, 0.0)


def consensus(offers: pd.DataFrame, dispersion: float = DISPERSION, by: list[str] = PLAYER) -> pd.DataFrame:
    """One row per player of one board's offers (`offers.board_offers`): the market's mean, fair line,
    consensus line and P(over) at it, and how many books (and sharp books) priced him; `by` adds to
    the player's key (by book: each book's own curve)."""
    weight = quote_weights(offers) if len(offers) else np.zeros(0)
    priced = offers[weight > 0]
    columns = {**{name: "string" for name in by}, **CONSENSUS_COLUMNS}
    if priced.empty:
        return pd.DataFrame(columns=list(columns)).astype(columns)
    group = priced.groupby(by, sort=True).ngroup().to_numpy()
    groups = int(group.max()) + 1
    mean = fit_means(group, priced["line"].to_numpy(float), priced["fair_over"].to_numpy(float), weight[weight > 0], groups, dispersion)
    first = np.unique(group, return_index=True)[1]
    summary = priced.iloc[first][[*by, "player_lookup"]].reset_index(drop=True)
    book = pd.factorize(priced["bookmaker"])[0]
    pairs = np.unique(group * (book.max() + 1) + book)
    summary["books"] = np.bincount(pairs // (book.max() + 1), minlength=groups)
    sharp = priced["sharp"].astype(bool).to_numpy()
    sharp_pairs = np.unique((group * (book.max() + 1) + book)[sharp])
    summary["sharp_books"] = np.bincount(sharp_pairs // (book.max() + 1), minlength=groups)
    latest = np.full(groups, np.iinfo(np.int64).min)
    np.maximum.at(latest, group, priced["board_at_utc"].to_numpy(dtype="datetime64[us]").astype(np.int64))
    summary["board_at_utc"] = latest.astype("datetime64[us]")
    summary["consensus_line"] = group_median(group, priced["line"].to_numpy(float), priced["is_main"].astype(bool).to_numpy(), groups)
    summary["market_mean"] = mean
    summary["fair_line"] = fair_line(mean, dispersion)
    known = summary["consensus_line"].notna().to_numpy()
    summary["market_p_over"] = np.where(known, over_probabilities(mean, summary["consensus_line"].fillna(0.5).to_numpy(), dispersion)[0], np.nan)
    return summary[list(columns)].astype(columns)


def group_median(group: np.ndarray, values: np.ndarray, mask: np.ndarray, groups: int) -> np.ndarray:
    """The median of `values[mask]` per group (NaN for a group without one; an even count gives the midpoint of the middle two)."""
    out = np.full(groups, np.nan)
    g, v = group[mask], values[mask]
    if not len(g):
        return out
    order = np.lexsort((v, g))
    g, v = g[order], v[order]
    starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    counts = np.diff(np.r_[starts, len(g)])
    low, high = starts + (counts - 1) // 2, starts + counts // 2
    out[g[starts]] = (v[low] + v[high]) / 2
    return out


def player_markets(offers: pd.DataFrame, dispersion: float = DISPERSION) -> pd.DataFrame:
    """The consensus of a board's offers per player of the platform (game_id, player_lookup): names the registry could not resolve are left out."""
    market = consensus(offers, dispersion)
    return market.dropna(subset=["player_lookup"]).drop_duplicates(["game_id", "player_lookup"]).reset_index(drop=True)
