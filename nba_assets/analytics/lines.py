"""Choosing "the line" from raw player-points quotes (DESIGN §3).

A book can quote several lines for a player (a ladder); its main line is the one whose over and
under prices are closest to even. The game's line is the median of the books' main lines at each
book's latest snapshot strictly before the pick's lock (`market.offers.PICK_LOCK`, 30 minutes before
tip: what a pick can still be made on); the opening line is the same median at each book's earliest
snapshot (with an even number of books, the midpoint of the middle two, kept exactly). Quotes taken
at or after the lock never count, nor quotes whose price cannot be bet at (`market.offers.usable_quotes`).
"""

from __future__ import annotations

import pandas as pd

from nba_assets.keys import player_lookup
from nba_assets.market.offers import PICK_LOCK, usable_quotes
from nba_assets.market.prices import imbalance

KEYS = ["game_id", "player_name"]
MAIN_LINE_COLUMNS = ["game_id", "snapshot_at_utc", "tip_time_utc", "bookmaker", "player_name", "line", "board_at_utc"]


def main_lines(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot, book and player: the line whose Over and Under prices are closest to even, and
    `board_at_utc`, when the book last updated the board it belongs to (the snapshot time if unknown)."""
    quotes = usable_quotes(quotes)
    sides = quotes.pivot_table(
        index=["game_id", "snapshot_at_utc", "tip_time_utc", "bookmaker", "player_name", "line", "board_at_utc"],
        columns="side", values="price", aggfunc="first",
    )
    sides = sides.dropna(subset=[c for c in ("Over", "Under") if c in sides.columns])
    if sides.empty or not {"Over", "Under"} <= set(sides.columns):
        return pd.DataFrame(columns=MAIN_LINE_COLUMNS)
    sides["imbalance"] = imbalance(sides["Over"], sides["Under"])
    sides = sides.reset_index().sort_values(["imbalance", "line"], kind="stable")
    return sides.drop_duplicates(["game_id", "snapshot_at_utc", "bookmaker", "player_name"])[MAIN_LINE_COLUMNS]


CONSENSUS_COLUMNS = [*KEYS, "player_lookup", "current_line", "opening_line", "line_movement", "line_books", "line_spread", "line_snapshot_at_utc",
                     "opening_snapshot_at_utc"]


def before_lock(quotes: pd.DataFrame) -> pd.DataFrame:
    """The quotes taken strictly before the pick's lock of their game."""
    return quotes[quotes["snapshot_at_utc"] < quotes["tip_time_utc"] - PICK_LOCK]


def consensus_lines(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per game and player: `current_line` (median of books' latest pre-lock main lines),
    `opening_line` (median of their earliest), `line_movement` (current - opening, empty unless a
    book published a new board in between), `line_books`, `line_spread` (how far apart the books'
    latest main lines are: highest - lowest) and the snapshot times used."""
    mains = main_lines(before_lock(quotes))
    if mains.empty:
        return pd.DataFrame(columns=CONSENSUS_COLUMNS)
    mains = mains.sort_values("snapshot_at_utc", kind="stable")
    by_book = mains.groupby([*KEYS, "bookmaker"])
    latest, earliest = by_book.tail(1), by_book.head(1)
    current = latest.groupby(KEYS).agg(current_line=("line", "median"), line_books=("bookmaker", "nunique"), highest=("line", "max"),
                                       lowest=("line", "min"), line_snapshot_at_utc=("snapshot_at_utc", "max"))
    current["line_spread"] = current["highest"] - current["lowest"]
    opening = earliest.groupby(KEYS).agg(opening_line=("line", "median"), opening_snapshot_at_utc=("snapshot_at_utc", "min"))
    boards = by_book["board_at_utc"].agg(["min", "max"])
    observed = (boards["min"] != boards["max"]).groupby(level=KEYS).any().rename("observed")
    out = current.join(opening).join(observed).reset_index()
    out["line_movement"] = (out["current_line"] - out["opening_line"]).where(out["observed"])
    out.insert(2, "player_lookup", out["player_name"].map(player_lookup))
    return out[CONSENSUS_COLUMNS]
