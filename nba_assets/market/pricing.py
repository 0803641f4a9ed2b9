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
    fields = {"bookmaker": offers["bookmaker"].to_numpy(dtype=object), "line": offers["line"].to_numpy(dtype=float), "board_at_utc": offers["board_at_utc"].to_numpy(),
              **{name: offers[name].to_numpy() for name in by}}
    return group, book, {**prices, "decimal_over": decimal_price(prices["over_price"]), "decimal_under": decimal_price(prices["under_price"]), **fields}


def chosen(rows: np.ndarray, over: np.ndarray, fields: dict[str, np.ndarray], p_over, p_push, fair_over, by: list[str]) -> dict[str, np.ndarray]:
    """The chosen side of each chosen offer (`rows`, `over`) as arrays of `by` and `OFFER_FIELDS` (`fields`: from `offer_codes`)."""
    p_over, p_push, fair_over = (np.asarray(x, dtype=float)[rows] for x in (p_over, p_push, fair_over))
    probability = np.where(over, p_over, 1 - p_over)
    decimal = np.where(over, fields["decimal_over"][rows], fields["decimal_under"][rows])
    return {**{name: fields[name][rows] for name in by}, "side": np.where(over, "OVER", "UNDER").astype(object), "bookmaker": fields["bookmaker"][rows],
            "line": fields["line"][rows], "price": np.where(over, fields["over_price"][rows], fields["under_price"][rows]), "decimal": decimal,
            "probability": probability, "fair_probability": np.where(over, fair_over, 1 - fair_over), "ev": expected_value(probability, decimal, p_push),
            "board_at_utc": fields["board_at_utc"][rows]}


def best_offers(offers: pd.DataFrame, p_over, p_push, fair_over, by: list[str] = PLAYER) -> pd.DataFrame:
    """One row per player (`by`: game_id, player_lookup): the side, book, line and price of the offer
    with the highest EV (on a tie the better price, then the book's name)."""
    if offers.empty:
        return pd.DataFrame(columns=[*by, *OFFER_FIELDS])
    group, book, fields = offer_codes(offers, by)
    rows, over = best_sides(group, book, fields["decimal_over"], fields["decimal_under"], p_over, p_push)
    return pd.DataFrame(chosen(rows, over, fields, p_over, p_push, fair_over, by))[[*by, *OFFER_FIELDS]]
