"""What an offer is worth to a system, and the best offer of each player (line shopping).

The expected value of a bet of 1 at decimal price d on a side the system gives probability p among
decided outcomes, with push probability q (a whole line; a push returns the stake), is
EV = (1 - q) (p d - 1): p d - 1 on a half-point line. Every side of every line of every book is
priced; a player's best offer is the one with the highest EV (on a tie, the better price).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.market.prices import decimal_price

PLAYER = ["game_id", "player_lookup"]
OFFER_FIELDS = ["side", "bookmaker", "line", "price", "decimal", "probability", "fair_probability", "ev", "board_at_utc"]


def expected_value(probability, decimal, push) -> np.ndarray:
    """EV of a bet of 1 at `decimal` odds on a side of chance `probability` among decided outcomes."""
    return (1 - np.asarray(push, dtype=float)) * (np.asarray(probability, dtype=float) * np.asarray(decimal, dtype=float) - 1)


def sides(offers: pd.DataFrame, p_over, p_push, fair_over, by: list[str] = PLAYER) -> pd.DataFrame:
    """Both sides of every offer as rows: its price, the system's probability of it winning, the
    market's fair probability of it, and its EV (missing where the book does not offer the side)."""
    p_over, p_push, fair_over = (np.asarray(x, dtype=float) for x in (p_over, p_push, fair_over))
    base = offers[[*by, "bookmaker", "line", "board_at_utc"]].reset_index(drop=True)
    out = []
    for side, price, probability, fair in (("OVER", offers["over_price"], p_over, fair_over), ("UNDER", offers["under_price"], 1 - p_over, 1 - fair_over)):
        decimal = decimal_price(price)
        out.append(base.assign(side=side, price=price.to_numpy(), decimal=decimal, probability=probability, fair_probability=fair,
                               ev=expected_value(probability, decimal, p_push)))
    stacked = pd.concat(out, ignore_index=True)
    return stacked[stacked["ev"].notna()]


def best_sides(group: np.ndarray, book: np.ndarray, decimal_over: np.ndarray, decimal_under: np.ndarray, p_over, p_push) -> tuple[np.ndarray, np.ndarray]:
    """(offer index, side: True for OVER) of the highest-EV side of each group's offers (`group`,
    `book`: integer codes per offer; on a tie the better price, then the lower book code)."""
    p_over, p_push = np.asarray(p_over, dtype=float), np.asarray(p_push, dtype=float)
    decimal = np.concatenate([decimal_over, decimal_under])
    ev = expected_value(np.concatenate([p_over, 1 - p_over]), decimal, np.concatenate([p_push, p_push]))
    groups, books = np.concatenate([group, group]), np.concatenate([book, book])
    order = np.lexsort((books, -decimal, -ev, groups))
    order = order[np.isfinite(ev[order])]
    best = order[np.r_[True, groups[order][1:] != groups[order][:-1]]] if len(order) else order
    n = len(group)
    return best % n, best < n


def offer_codes(offers: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """What `best_sides` needs of `offers`, computed once: group and book codes, and each side's price (American and decimal)."""
    group = pd.factorize(offers[by[0]], sort=True)[0] if len(by) == 1 else offers.groupby(by, sort=True).ngroup().to_numpy()
    book = pd.factorize(offers["bookmaker"], sort=True)[0]
    prices = {column: offers[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan) for column in ("over_price", "under_price")}
    return group, book, {**prices, "decimal_over": decimal_price(prices["over_price"]), "decimal_under": decimal_price(prices["under_price"])}


def chosen(offers: pd.DataFrame, rows: np.ndarray, over: np.ndarray, prices: dict[str, np.ndarray], p_over, p_push, fair_over, by: list[str]) -> pd.DataFrame:
    """The chosen side of each chosen offer as a row of `OFFER_FIELDS`."""
    p_over, p_push, fair_over = (np.asarray(x, dtype=float)[rows] for x in (p_over, p_push, fair_over))
    out = offers.iloc[rows][[*by, "bookmaker", "line", "board_at_utc"]].reset_index(drop=True)
    out["side"] = np.where(over, "OVER", "UNDER")
    out["price"] = np.where(over, prices["over_price"][rows], prices["under_price"][rows])
    out["decimal"] = np.where(over, prices["decimal_over"][rows], prices["decimal_under"][rows])
    out["probability"] = np.where(over, p_over, 1 - p_over)
    out["fair_probability"] = np.where(over, fair_over, 1 - fair_over)
    out["ev"] = expected_value(out["probability"].to_numpy(), out["decimal"].to_numpy(), p_push)
    return out[[*by, *OFFER_FIELDS]]


def best_offers(offers: pd.DataFrame, p_over, p_push, fair_over, by: list[str] = PLAYER) -> pd.DataFrame:
    """One row per player (`by`: game_id, player_lookup): the side, book, line and price of the offer
    with the highest EV (on a tie the better price, then the book's name)."""
    if offers.empty:
        return pd.DataFrame(columns=[*by, *OFFER_FIELDS])
    group, book, prices = offer_codes(offers, by)
    rows, over = best_sides(group, book, prices["decimal_over"], prices["decimal_under"], p_over, p_push)
    return chosen(offers, rows, over, prices, p_over, p_push, fair_over, by)
