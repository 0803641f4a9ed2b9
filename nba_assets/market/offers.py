"""Every book's offers on a game date: per player, book and line, both sides' prices and what they are worth.

Two boards per book and player:
- `decision`: the book's latest snapshot strictly before the pick's lock, `PICK_LOCK` before tip: the
  board a pick is made on (a prediction made later for a game already locked prices it the same);
- `closing`: the book's latest snapshot strictly before tip: the closing line once the game has
  tipped, against which a pick's closing-line value is measured. It is the decision board itself when
  the book posted nothing after the lock (then there is no later board to judge the pick by).

A quote whose price is missing, zero or between -100 and +100 is refused (`refused_quotes` names the
book, player, event and snapshot); the rest of the slate goes on. A line quoted on one side only is
kept (the odds screen shows it) but not devigged. Pick'em sites are priced as a leg of a 2-pick Power
Play (`prices.PICKEM_PRICE`), whatever price the feed carries for them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.market.prices import PICKEM_BOOKS, PICKEM_PRICE, SHARP_BOOKS, devig, imbalance, overround, price_problem

PICK_LOCK = pd.Timedelta(minutes=30)
BOARDS = {"decision": PICK_LOCK, "closing": pd.Timedelta(0)}
OFFER_COLUMNS = {
    "game_date": "datetime64[us]", "game_id": "string", "event_id": "string", "tip_time_utc": "datetime64[us]", "board": "string",
    "player_name": "string", "player_lookup": "string", "bookmaker": "string", "bookmaker_title": "string", "sharp": "boolean",
    "pickem": "boolean", "snapshot_at_utc": "datetime64[us]", "board_at_utc": "datetime64[us]", "line": "float64",
    "over_price": "Int64", "under_price": "Int64", "fair_over": "float64", "fair_under": "float64", "overround": "float64", "is_main": "boolean",
}
OFFER_KEY = ["game_id", "player_name", "bookmaker", "board", "line"]
REFUSED_COLUMNS = ["game_date", "event_id", "game_id", "snapshot_at_utc", "bookmaker", "player_name", "side", "line", "price", "problem"]
BOOK_KEY = ["game_id", "bookmaker", "player_name"]
SNAPSHOT = ["game_date", "event_id", "tip_time_utc", "snapshot_at_utc", "bookmaker_title", "board_at_utc"]


def pickem(bookmaker: pd.Series) -> pd.Series:
    return bookmaker.isin(PICKEM_BOOKS)


def quote_problems(quotes: pd.DataFrame) -> pd.Series:
    """Why each quote cannot be bet at (None where it can); pick'em sites are priced by their payout, whatever they quote."""
    problem = pd.Series(price_problem(quotes["price"]) if len(quotes) else [], index=quotes.index, dtype="object")
    return problem.where(~pickem(quotes["bookmaker"]), None)


def refused_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """Quotes of sportsbooks whose price cannot be bet at, with the problem."""
    problem = quote_problems(quotes)
    bad = problem.notna()
    return quotes[bad].assign(problem=problem[bad])[REFUSED_COLUMNS].reset_index(drop=True)


def refusal_text(refused: pd.DataFrame) -> list[str]:
    """One line per refused quote, naming the book, player, event and snapshot."""
    return [f"The Odds API, event {r.event_id} ({r.game_id}), snapshot {r.snapshot_at_utc:%Y-%m-%dT%H:%M:%SZ}, book {r.bookmaker}, "
            f"player {r.player_name!r}, {r.side} {r.line:g}: price {r.price if pd.notna(r.price) else 'missing'}: {r.problem}"
            for r in refused.itertuples()]


def usable_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """The quotes a price can be read from: refused ones left out, pick'em sites at their payout's
    price, and `board_at_utc`, when the book last updated the board a quote belongs to (the snapshot
    time where the feed does not say)."""
    quotes = quotes[quote_problems(quotes).isna()].copy()
    updated = quotes["book_updated_at_utc"] if "book_updated_at_utc" in quotes else pd.Series(pd.NaT, index=quotes.index)
    quotes["board_at_utc"] = updated.fillna(quotes["snapshot_at_utc"])
    quotes.loc[pickem(quotes["bookmaker"]), "price"] = PICKEM_PRICE
    return quotes


def latest_board(quotes: pd.DataFrame, lead: pd.Timedelta) -> pd.DataFrame:
    """Each book's quotes of each player at its latest snapshot strictly before `lead` ahead of tip."""
    usable = quotes[quotes["snapshot_at_utc"] < quotes["tip_time_utc"] - lead]
    latest = usable.groupby(BOOK_KEY)["snapshot_at_utc"].transform("max")
    return usable[usable["snapshot_at_utc"] == latest]


def _micros(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype="datetime64[us]").astype(np.int64)


def two_sided(quotes: pd.DataFrame, rows: np.ndarray, book_player: np.ndarray) -> pd.DataFrame:
    """One row per book, player and line among `quotes[rows]` (one board), with the over and under
    prices (either may be missing); `book_player` numbers each quote's (game, book, player)."""
    key = book_player[rows] * 4096 + np.round(quotes["line"].to_numpy(dtype=float)[rows] * 2).astype(np.int64)  # lines are whole or half points
    keys, first = np.unique(key, return_index=True)
    out = quotes.iloc[rows[first]][[*BOOK_KEY, "line", *SNAPSHOT]].reset_index(drop=True)
    side, price = quotes["side"].to_numpy()[rows], quotes["price"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[rows]
    for name, column in (("Over", "over_price"), ("Under", "under_price")):
        mine = np.flatnonzero(side == name)
        found, at = np.unique(key[mine], return_index=True)
        prices = np.full(len(keys), np.nan)
        prices[np.searchsorted(keys, found)] = price[mine[at]]
        out[column] = pd.array(prices, dtype="Int64")
    out["_book_player"] = book_player[rows[first]]
    return out


def board_offers(quotes: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """The offers of `quotes` (`raw_player_props` rows) on the decision and the closing board, refused
    quotes left out; `names` (odds rows of `player_registry`: game_id, source_name, player_lookup)
    gives each odds name its player."""
    quotes = usable_quotes(quotes).reset_index(drop=True)
    if quotes.empty:
        return pd.DataFrame(columns=list(OFFER_COLUMNS)).astype(OFFER_COLUMNS)
    book_player = quotes.groupby(BOOK_KEY, sort=False).ngroup().to_numpy()
    snapshot, tip = _micros(quotes["snapshot_at_utc"]), _micros(quotes["tip_time_utc"])
    frames = []
    for number, (name, lead) in enumerate(BOARDS.items()):
        usable = snapshot < tip - int(lead / pd.Timedelta(microseconds=1))
        latest = np.full(book_player.max() + 1, np.iinfo(np.int64).min)
        np.maximum.at(latest, book_player[usable], snapshot[usable])  # each book's latest snapshot of each player before the cut-off
        rows = np.flatnonzero(usable & (snapshot == latest[book_player]))
        frames.append(two_sided(quotes, rows, book_player).assign(board=name, _board=number))
    offers = pd.concat(frames, ignore_index=True)
    if offers.empty:
        return pd.DataFrame(columns=list(OFFER_COLUMNS)).astype(OFFER_COLUMNS)
    offers["fair_over"], offers["fair_under"] = devig(offers["over_price"], offers["under_price"])
    offers["overround"] = overround(offers["over_price"], offers["under_price"])
    offers["is_main"] = main_line(offers, offers["_book_player"].to_numpy() * 2 + offers["_board"].to_numpy())
    offers["sharp"] = offers["bookmaker"].isin(SHARP_BOOKS)
    offers["pickem"] = pickem(offers["bookmaker"])
    keys = names[["game_id", "source_name", "player_lookup"]].dropna().drop_duplicates(["game_id", "source_name"])
    offers = offers.merge(keys.rename(columns={"source_name": "player_name"}), on=["game_id", "player_name"], how="left")
    order = np.lexsort([pd.factorize(offers[name], sort=True)[0] for name in reversed(OFFER_KEY)])  # the key's order, on integer codes
    return offers.iloc[order][list(OFFER_COLUMNS)].astype(OFFER_COLUMNS).reset_index(drop=True)


def main_line(offers: pd.DataFrame, board_of: np.ndarray) -> np.ndarray:
    """Whether each two-sided offer is its book's main line for the player on its board (`board_of`
    numbers them): the line whose over and under prices are closest to even (the lowest on a tie)."""
    gap = imbalance(offers["over_price"], offers["under_price"])
    order = np.lexsort((offers["line"].to_numpy(dtype=float), gap, board_of))
    order = order[np.isfinite(gap[order])]
    main = np.zeros(len(offers), dtype=bool)
    if len(order):
        main[order[np.r_[True, board_of[order][1:] != board_of[order][:-1]]]] = True
    return main


def board(offers: pd.DataFrame, name: str) -> pd.DataFrame:
    """The offers of one board (`decision` or `closing`)."""
    return offers[offers["board"] == name]
