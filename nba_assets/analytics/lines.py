"""Choosing "the line" from raw player-points quotes (DESIGN §3).

A book can quote several lines for a player (a ladder); its main line is the one whose over and
under prices are closest to even. The game's line is the median of the books' main lines at each
book's latest snapshot strictly before tip; the opening line is the same median at each book's
earliest snapshot (with an even number of books, the midpoint of the middle two, kept exactly).
Quotes taken at or after tip never count.
"""

from __future__ import annotations

import pandas as pd

from nba_assets.keys import player_lookup

KEYS = ["game_id", "player_name"]


def implied_probability(american: pd.Series) -> pd.Series:
    """The probability an American price implies (vig included): -110 -> 0.524, +125 -> 0.444."""
    price = american.astype(float)
    return (-price / (-price + 100)).where(price < 0, 100 / (price + 100))


MAIN_LINE_COLUMNS = ["game_id", "snapshot_at_utc", "tip_time_utc", "bookmaker", "player_name", "line", "board_at_utc"]


def main_lines(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot, book and player: the line whose Over and Under prices are closest to even, and
    `board_at_utc`, when the book last updated the board it belongs to (the snapshot time if unknown)."""
    board = quotes["book_updated_at_utc"] if "book_updated_at_utc" in quotes else pd.Series(pd.NaT, index=quotes.index)
    quotes = quotes.assign(board_at_utc=board.fillna(quotes["snapshot_at_utc"]))
    sides = quotes.pivot_table(
        index=["game_id", "snapshot_at_utc", "tip_time_utc", "bookmaker", "player_name", "line", "board_at_utc"],
        columns="side", values="price", aggfunc="first",
    )
    sides = sides.dropna(subset=[c for c in ("Over", "Under") if c in sides.columns])
    if sides.empty or not {"Over", "Under"} <= set(sides.columns):
        return pd.DataFrame(columns=MAIN_LINE_COLUMNS)
    sides["imbalance"] = (implied_probability(sides["Over"]) - implied_probability(sides["Under"])).abs()
    sides = sides.reset_index().sort_values(["imbalance", "line"], kind="stable")
    return sides.drop_duplicates(["game_id", "snapshot_at_utc", "bookmaker", "player_name"])[MAIN_LINE_COLUMNS]


CONSENSUS_COLUMNS = [*KEYS, "player_lookup", "current_line", "opening_line", "line_movement", "line_books", "line_spread", "line_snapshot_at_utc",
                     "opening_snapshot_at_utc"]


def consensus_lines(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per game and player: `current_line` (median of books' latest pre-tip main lines),
    `opening_line` (median of their earliest), `line_movement` (current - opening, empty unless a
    book published a new board in between), `line_books`, `line_spread` (how far apart the books'
    latest main lines are: highest - lowest) and the snapshot times used."""
    pre_tip = quotes[quotes["snapshot_at_utc"] < quotes["tip_time_utc"]]
    mains = main_lines(pre_tip)
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
