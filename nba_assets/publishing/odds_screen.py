"""`odds-screen/{date}.json`: every book's latest prices of the date's players and the best of them at fair odds.

The board is `closing`: each book's latest snapshot before tip, what a user can bet now (for a past
date, the close). A player's market is the books' consensus curve on that board (`market.consensus`);
every side of every quote is priced at the curve's probability of that side at the quote's line
(`market.pricing.sides`), so the best over and the best under are the quotes a fair market says are
worth most, whatever any system predicts.
"""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from operator import itemgetter

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


def best_quotes(priced: pd.DataFrame) -> dict[tuple, dict]:
    """The highest-EV quote of each player and side (on a tie, the better price, then the book's name), by (game, player, side)."""
    order = priced.sort_values([*NAME, "side", "ev", "decimal", "bookmaker"], ascending=[True, True, True, False, False, True], kind="stable")
    best = order.drop_duplicates([*NAME, "side"])
    return {(r["game_id"], r["player_name"], r["side"]): {"book": r["bookmaker"], "line": json_value(r["line"]), "price": american(r["price"]),
                                                         "fair_probability": json_value(r["fair_probability"]), "ev": json_value(r["ev"])}
            for r in best[[*NAME, "side", "bookmaker", "line", "price", "fair_probability", "ev"]].to_dict("records")}


def quote_entry(row: dict) -> dict:
    """One book's quote of a line: both prices (either may be missing), the book's own no-vig P(over), main or alternate, when posted."""
    return {"book": row["bookmaker"], "book_title": json_value(row["bookmaker_title"]), "line": json_value(row["line"]), "over_price": american(row["over_price"]),
            "under_price": american(row["under_price"]), "fair_over": json_value(row["fair_over"]), "is_main": bool(row["is_main"]),
            "board_at_utc": json_value(row["board_at_utc"])}


def player_entry(game_id: str, name: str, quotes: list[dict], market: dict, best: dict, teams: dict) -> dict:
    """One player of the screen: the market's view of him, the best over and under, and every book's quotes."""
    lookup = next((q["player_lookup"] for q in quotes if not pd.isna(q["player_lookup"])), None)
    fair = market.get((game_id, name), {})
    return {
        "player_name": name, "player_lookup": lookup, "team": json_value(teams.get((game_id, lookup))) if lookup else None,
        **{field: json_value(fair.get(column)) for field, column in (("consensus_line", "consensus_line"), ("fair_line", "fair_line"), ("fair_over", "market_p_over"))},
        "books": len({q["bookmaker"] for q in quotes}), "sharp_books": len({q["bookmaker"] for q in quotes if q["sharp"]}),
        "best_over": best.get((game_id, name, "OVER")), "best_under": best.get((game_id, name, "UNDER")),
        "quotes": [quote_entry(q) for q in sorted(quotes, key=lambda q: (q["bookmaker"], q["line"]))],
    }


def odds_screen_document(day: pd.Timestamp, offers: pd.DataFrame, context: pd.DataFrame, generated_at: datetime) -> dict:
    """`odds-screen/{date}.json` from `prop_offers` (and `upcoming_player_game_context` for each player's team):
    per game, in order of tip, every player with a quote on the latest board."""
    quotes = board(offers[offers["game_date"] == day], BOARD).sort_values(["tip_time_utc", "game_id", "player_name"], kind="stable")
    market = {(r["game_id"], r["player_name"]): r for r in consensus(quotes)[[*NAME, *MARKET_FIELDS]].to_dict("records")}
    best = best_quotes(fair_sides(quotes)) if len(quotes) else {}
    today = context[context["game_date"] == day].drop_duplicates(["game_id", "player_lookup"])
    teams = dict(zip(zip(today["game_id"], today["player_lookup"]), today["team_abbr"]))
    columns = ["tip_time_utc", "game_id", "player_name", "player_lookup", "bookmaker", "bookmaker_title", "line", "over_price", "under_price", "fair_over",
               "is_main", "sharp", "board_at_utc"]
    games = []
    for (tip, game_id), game_quotes in groupby(quotes[columns].to_dict("records"), key=itemgetter("tip_time_utc", "game_id")):
        players = [player_entry(game_id, name, list(player_quotes), market, best, teams) for name, player_quotes in groupby(game_quotes, key=itemgetter("player_name"))]
        games.append({"game_id": game_id, "tip_time_utc": json_value(tip), "players": players})
    return {"game_date": date_text(day), "generated_at_utc": stamp(generated_at), "board": BOARD, "games": games}
