"""Figures of the simulated player-points market, read straight from its boards: each book's accuracy,
side split and margin, how far the soft book sits from the sharp one, and whether betting the soft
book where the sharp book disagrees pays.

Boards are taken as the platform's snapshots see them: the decision board 1 h before tip (the pick
is made on each book's latest board before tip - 30 min, in practice that snapshot) and the
closing board 15 min before tip (closing-line value); closing-line accuracy takes each book's
latest board before tip. A book's fair probability is its two implied probabilities divided by
their sum (multiplicative devig). Where the sharp book's main line is not the soft book's, its fair
probability is carried to the soft line with a normal approximation of the points: the sharp fair
P(over) at its line fixes the median, the spread is sqrt(3 x line) (the market's variance-to-mean
ratio of a player's points, about 3); pushes on whole-number lines are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from .books import BOOKS, SHARP, SOFT

DECISION, CLOSING = 3600, 900  # seconds before tip of the decision and closing snapshots
DISPERSION = 3.0


def decimal(american: np.ndarray) -> np.ndarray:
    """Decimal price of American prices: -110 -> 1.909, +150 -> 2.5."""
    american = np.asarray(american, dtype=float)
    return np.where(american > 0, 1 + american / 100, 1 + 100 / np.abs(american))


def fair_over(over: np.ndarray, under: np.ndarray) -> np.ndarray:
    """The no-vig probability of the over of (over, under) American prices."""
    p_over, p_under = 1 / decimal(over), 1 / decimal(under)
    return p_over / (p_over + p_under)


def carry(p_over: np.ndarray, line: np.ndarray, to: np.ndarray) -> np.ndarray:
    """P(over `to`) given P(over `line`) = `p_over`, with normal points of spread sqrt(3 x line)."""
    spread = np.sqrt(DISPERSION * np.maximum(line, 1.0))
    median = line + spread * ndtri(np.clip(p_over, 1e-6, 1 - 1e-6))
    return np.where(line == to, p_over, ndtr((median - to) / spread))


class Boards:
    """The main offers of a season's books as snapshots show them, each moment read once."""

    def __init__(self, season):
        self.season = season
        self._read: dict[tuple, pd.DataFrame] = {}

    def at(self, before: int | None, strict: bool = False) -> pd.DataFrame:
        """Every book's main offer per listed player-game at the snapshot `before` seconds before
        tip (strictly before that moment when `strict`; None: each book's first board), with the
        result: game_idx, row, book, line, over, under (American), board_at, played, pts."""
        if (before, strict) not in self._read:
            self._read[before, strict] = self._table(before, strict)
        return self._read[before, strict]

    def _table(self, before: int | None, strict: bool) -> pd.DataFrame:
        season, parts = self.season, []
        for g in range(len(season.schedule)):
            market = season.markets.game(g)
            if before is None:
                arrays = [np.full((len(BOOKS), len(market.rate)), np.nan) for _ in range(4)]
                for b, book in enumerate(market.books):
                    if len(book.updates):
                        for whole, first in zip(arrays, market.main_offers(int(book.updates[0]))):
                            whole[b] = first[b]
            else:
                arrays = market.main_offers(market.tip - before, strict)
            b, i = np.nonzero(~np.isnan(arrays[0]))
            parts.append(np.column_stack([np.full(len(b), g), market.rows.start + i, b, *(a[b, i] for a in arrays)]))
        frame = pd.DataFrame(np.concatenate(parts), columns=["game_idx", "row", "book", "line", "over", "under", "board_at"])
        ints = ["game_idx", "row", "book", "board_at"]
        frame[ints] = frame[ints].astype(np.int64)
        box = season.box_scores.iloc[frame["row"].to_numpy()]
        frame["played"], frame["pts"] = box["min"].to_numpy() > 0, box["pts"].to_numpy()
        return frame


def book_figures(boards: Boards) -> pd.DataFrame:
    """Per book: closing-line MAE on the player-games it lists (`mae`), on those every book lists
    (`mae_common`) and above the sharp book's on those both list (`mae_excess`); over / under /
    push shares (players who played); overround at the decision board; players listed per game;
    share of closing lines that moved from the opener."""
    closing, decision, opening = boards.at(0, strict=True), boards.at(DECISION), boards.at(None)
    played = closing[closing["played"]]
    error = played["pts"] - played["line"]
    common = played[played.groupby("row")["book"].transform("size").to_numpy() == len(BOOKS)]
    moved = closing.merge(opening, on=["row", "book"], suffixes=("", "_open"))
    miss = played.pivot(index="row", columns="book", values="line").sub(played.groupby("row")["pts"].first(), axis=0).abs()
    overround = pd.Series(1 / decimal(decision["over"]) + 1 / decimal(decision["under"]) - 1, index=decision.index)
    return pd.DataFrame({
        "book": [b.key for b in BOOKS],
        "mae": error.abs().groupby(played["book"]).mean(),
        "mae_common": (common["pts"] - common["line"]).abs().groupby(common["book"]).mean(),
        "mae_excess": miss.sub(miss[SHARP], axis=0).mean(),
        "over": (error > 0).groupby(played["book"]).mean(),
        "under": (error < 0).groupby(played["book"]).mean(),
        "push": (error == 0).groupby(played["book"]).mean(),
        "overround": overround.groupby(decision["book"]).mean(),
        "per_game": closing.groupby("book").size() / len(boards.season.schedule),
        "moved": (moved["line"] != moved["line_open"]).groupby(moved["book"]).mean(),
    }).rename_axis(None)


def consensus(boards: Boards, before: int = 0) -> dict[str, float]:
    """The median of the books' main lines at the snapshot `before` seconds before tip (0: each
    book's closing board, the latest strictly before tip) against the points of players who
    played: MAE and over / under / push shares."""
    table = boards.at(before, strict=before == 0)
    line = table.groupby("row")["line"].median()
    result = table.drop_duplicates("row").set_index("row")
    result = result[result["played"]]
    error = result["pts"] - line.loc[result.index]
    return {"mae": float(error.abs().mean()), "over": float((error > 0).mean()), "under": float((error < 0).mean()),
            "push": float((error == 0).mean())}


@dataclass(frozen=True)
class Strategy:
    """Betting the soft book at its decision-board main line where the sharp book's fair probability
    gives an expected value of at least `edge`: the bets (one row each) and their summary."""

    bets: pd.DataFrame  # row, side (+1 over, -1 under), line, price, ev, result (1 win, 0 push or void, -1 loss), profit, clv
    pairs: int  # player-games both books list at the decision board
    gaps: float  # share of them whose main lines differ by a point or more

    @property
    def decided(self) -> pd.DataFrame:
        return self.bets[self.bets["result"] != 0]

    def roi(self) -> tuple[float, float, float]:
        """Mean profit per unit staked on decided bets, and its 95% interval."""
        profit = self.decided["profit"].to_numpy()
        half = 1.96 * profit.std(ddof=1) / np.sqrt(len(profit))
        return float(profit.mean()), float(profit.mean() - half), float(profit.mean() + half)


def soft_strategy(boards: Boards, edge: float = 0.03, soft: int = SOFT, sharp: int = SHARP) -> Strategy:
    """Bet the over or the under of `soft` at its decision board where `sharp`'s fair probability
    (carried to the soft line when the lines differ) makes p x decimal price - 1 >= `edge`; the
    closing-line value of a bet is the soft book's closing fair probability of its side at its
    line minus the implied probability of the price taken."""
    decision = boards.at(DECISION)
    both = decision[decision["book"] == soft].merge(decision[decision["book"] == sharp], on="row", suffixes=("", "_sharp"))
    p_over = carry(fair_over(both["over_sharp"], both["under_sharp"]), both["line_sharp"].to_numpy(), both["line"].to_numpy())
    ev_over, ev_under = p_over * decimal(both["over"]) - 1, (1 - p_over) * decimal(both["under"]) - 1
    side = np.where(ev_over >= ev_under, 1, -1)
    ev = np.maximum(ev_over, ev_under)
    bets = both.assign(side=side, ev=ev, price=np.where(side == 1, both["over"], both["under"]))[ev >= edge]
    margin = np.sign(bets["pts"] - bets["line"]) * bets["side"]
    result = np.where(bets["played"], margin, 0).astype(int)
    profit = np.where(result == 1, decimal(bets["price"]) - 1, np.where(result == -1, -1.0, 0.0))
    closing = boards.at(CLOSING)
    close = bets[["row", "line", "side"]].merge(closing[closing["book"] == soft], on="row", how="left", suffixes=("", "_close"))
    p_close = carry(fair_over(close["over"], close["under"]), close["line_close"].to_numpy(), close["line"].to_numpy())
    clv = np.where(close["side"] == 1, p_close, 1 - p_close) - 1 / decimal(bets["price"].to_numpy())
    bets = bets.assign(result=result, profit=profit, clv=clv)
    columns = ["row", "side", "line", "line_sharp", "price", "ev", "board_at", "board_at_sharp", "result", "profit", "clv"]
    gaps = float(((both["line"] - both["line_sharp"]).abs() >= 1).mean())
    return Strategy(bets[columns].reset_index(drop=True), len(both), gaps)
