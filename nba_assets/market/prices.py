"""American prices: what they pay, what they imply, and what the two sides of a quote say once the
book's margin is taken out (the one devig of the platform).

Devig: multiplicative. A book's two implied probabilities (vig included) sum to more than 1 by its
margin (the overround); each is divided by their sum, so the fair probabilities of the two sides sum
to 1 and keep the book's ratio. On the two-way, near-even markets of player points the power and
Shin methods give the same numbers to a few tenths of a point; multiplicative is the simplest of the three.

Pick'em sites (PrizePicks, Underdog) post lines, not prices: an entry of picks pays a fixed multiple
when every pick wins. The platform prices each of their picks as one leg of a 2-pick Power Play,
which pays 3x the entry: a leg is worth sqrt(3) = 1.732 in decimal odds, -137 in American odds, on
either side (break-even 57.7% a leg), whatever price the feed carries for them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PICKEM_BOOKS = frozenset({"prizepicks", "underdog"})
PICKEM_PAYOUT = 3.0  # a 2-pick Power Play pays 3x the entry
PICKEM_PRICE = -137  # one leg: decimal sqrt(3) = 1.732
SHARP_BOOKS = frozenset({"pinnacle"})


def _values(price) -> np.ndarray:
    if isinstance(price, np.ndarray) and price.dtype.kind in "fiu":
        return price.astype(float)
    if isinstance(price, pd.Series) and pd.api.types.is_numeric_dtype(price.dtype):
        return price.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(pd.Series(price), errors="coerce").to_numpy(dtype=float)


def valid_american(price) -> np.ndarray:
    """Whether each price is a valid American price: a whole number at or below -100 or at or above +100."""
    values = _values(price)
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (np.round(values) == values) & ((values <= -100) | (values >= 100))


def price_problem(price) -> np.ndarray:
    """Why each price cannot be bet at (None where it can): missing, zero, or between -100 and +100."""
    values = _values(price)
    problem = np.full(len(values), None, dtype=object)
    problem[~np.isfinite(values)] = "missing"
    with np.errstate(invalid="ignore"):
        problem[np.isfinite(values) & (np.round(values) != values)] = "not a whole number"
        problem[values == 0] = "0 is not an American price"
        inside = np.isfinite(values) & (np.round(values) == values) & (values != 0) & (values > -100) & (values < 100)
    problem[inside] = "between -100 and +100 is not an American price"
    return problem


def decimal_price(american) -> np.ndarray:
    """What a winning bet of 1 returns, stake included: -110 -> 1.909, +150 -> 2.5 (NaN where invalid)."""
    values = _values(american)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(values > 0, 1 + values / 100, 1 + 100 / -values)
    return np.where(valid_american(values), out, np.nan)


def implied_probability(american) -> np.ndarray:
    """The probability a price implies, the book's margin included: -110 -> 0.524, +125 -> 0.444."""
    return 1 / decimal_price(american)


def overround(over_price, under_price) -> np.ndarray:
    """The book's margin on a two-sided quote: the two implied probabilities' sum minus 1."""
    return implied_probability(over_price) + implied_probability(under_price) - 1


def devig(over_price, under_price) -> tuple[np.ndarray, np.ndarray]:
    """The fair (no-vig) probabilities of the over and the under of a two-sided quote (NaN where a side is missing or invalid)."""
    over, under = implied_probability(over_price), implied_probability(under_price)
    total = over + under
    return over / total, under / total


def imbalance(over_price, under_price) -> np.ndarray:
    """How far a quote is from even: the gap between its two implied probabilities (a book's main line is the most even)."""
    return np.abs(implied_probability(over_price) - implied_probability(under_price))
