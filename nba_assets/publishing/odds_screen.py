"""`odds-screen/{date}.json`: every book's latest prices of the date's players and the best of them at fair odds.

The board is `closing`: each book's latest snapshot before tip, what a user can bet now (for a past
date, the close). A player's market is the books' consensus curve on that board (`market.consensus`);
every side of every quote is priced at the curve's probability of that side at the quote's line
(`market.pricing.sides`), so the best over and the best under are the quotes a fair market says are
worth most, whatever any system predicts.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from nba_assets.market.consensus import PLAYER as NAME, consensus
from nba_assets.market.curve import over_probabilities
from nba_assets.market.offers import board
from nba_assets.market.pricing import sides
from nba_assets.publishing.documents import american, date_text, json_value, stamp

BOARD = "closing"
MARKET_FIELDS = ("consensus_line", "fair_line", "market_p_over")


def fair_sides(offers: pd.DataFrame) -> pd.DataFrame:
    """Both sides of every offer of one board priced at the market's fair probability: the board's
    consensus curve at the offer's line (no EV where the player has no two-sided quote to fit it on)."""
    market = consensus(offers)[[*NAME, "market_mean"]]
    mean = offers[NAME].merge(market, on=NAME, how="left")["market_mean"].to_numpy(dtype=float)
    p_over, p_push = over_probabilities(mean, offers["line"].to_numpy(dtype=float))
    return sides(offers, p_over, p_push, p_over, by=NAME)


def best_sides(priced: pd.DataFrame) -> pd.DataFrame:
    """The highest-EV quote of each player and side (on a tie, the better price, then the book's name), indexed by player and side."""
    order = priced.sort_values([*NAME, "side", "ev", "decimal", "bookmaker"], ascending=[True, True, True, False, False, True], kind="stable")
    return order.drop_duplicates([*NAME, "side"]).set_index([*NAME, "side"])


def best_entry(best: pd.DataFrame, key: tuple) -> dict | None:
    """The best quote of one side of a player, or None when no quote of that side can be priced."""
    if key not in best.index:
        return None
    row = best.loc[key]
    return {"book": row["bookmaker"], "line": json_value(row["line"]), "price": american(row["price"]),
            "fair_probability": json_value(row["fair_probability"]), "ev": json_value(row["ev"])}


def quote_entry(row: pd.Series) -> dict:
    """One book's quote of a line: both prices (either may be missing), the book's own no-vig P(over), main or alternate, when posted."""
    return {"book": row["bookmaker"], "book_title": json_value(row["bookmaker_title"]), "line": json_value(row["line"]), "over_price": american(row["over_price"]),
            "under_price": american(row["under_price"]), "fair_over": json_value(row["fair_over"]), "is_main": bool(row["is_main"]),
            "board_at_utc": json_value(row["board_at_utc"])}


def player_entry(game_id: str, name: str, quotes: pd.DataFrame, market: pd.DataFrame, best: pd.DataFrame, teams: pd.Series) -> dict:
    """One player of the screen: the market's view of him, the best over and under, and every book's quotes."""
    lookup = quotes["player_lookup"].dropna()
    lookup = lookup.iloc[0] if len(lookup) else None
    fair = market.loc[(game_id, name)] if (game_id, name) in market.index else pd.Series(dtype="object", index=list(MARKET_FIELDS))
    return {
        "player_name": name, "player_lookup": lookup, "team": json_value(teams.get((game_id, lookup))) if lookup else None,
        "consensus_line": json_value(fair["consensus_line"]), "fair_line": json_value(fair["fair_line"]), "fair_over": json_value(fair["market_p_over"]),
        "books": int(quotes["bookmaker"].nunique()), "sharp_books": int(quotes.loc[quotes["sharp"].astype(bool), "bookmaker"].nunique()),
        "best_over": best_entry(best, (game_id, name, "OVER")), "best_under": best_entry(best, (game_id, name, "UNDER")),
        "quotes": [quote_entry(r) for _, r in quotes.sort_values(["bookmaker", "line"], kind="stable").iterrows()],
    }


def odds_screen_document(day: pd.Timestamp, offers: pd.DataFrame, context: pd.DataFrame, generated_at: datetime) -> dict:
    """`odds-screen/{date}.json` from `prop_offers` (and `upcoming_player_game_context` for each player's team):
    per game, in order of tip, every player with a quote on the latest board."""
    quotes = board(offers[offers["game_date"] == day], BOARD)
    market = consensus(quotes).set_index(NAME)
    best = best_sides(fair_sides(quotes)) if len(quotes) else pd.DataFrame()
    today = context[context["game_date"] == day].drop_duplicates(["game_id", "player_lookup"])
    teams = today.set_index(["game_id", "player_lookup"])["team_abbr"]
    games = []
    for (tip, game_id), rows in quotes.groupby(["tip_time_utc", "game_id"], sort=True, dropna=False):
        players = [player_entry(game_id, name, player_quotes, market, best, teams) for name, player_quotes in rows.groupby("player_name", sort=True)]
        games.append({"game_id": game_id, "tip_time_utc": json_value(tip), "players": players})
    return {"game_date": date_text(day), "generated_at_utc": stamp(generated_at), "board": BOARD, "games": games}
