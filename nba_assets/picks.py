"""What a pick is and what it is worth, the one place each rule is written: how a pick is graded, what
it returns at its price, the hit rate at which picks at -110 pay, and how sure a hit rate or a mean
return is (their 95% intervals)."""

from __future__ import annotations

import numpy as np
import pandas as pd

OVER, UNDER, PASS, NO_LINE = "OVER", "UNDER", "PASS", "NO_LINE"
BREAK_EVEN = 110 / 210  # risk 110 to win 100: a pick pays for itself at 52.4%
# How the reason a system may not pick at all begins (training and calibration write it, the exports read it).
NO_EDGE, COLD_START, NOT_USED = "no edge", "cold start", "not used"
Z95 = 1.959964


def pick_results(recommendation: pd.Series, line: pd.Series, actual: pd.Series, played: pd.Series) -> pd.Series:
    """The grading rule: a pick (OVER / UNDER) of a player who played is a push when actual == line,
    else a win when (actual > line) == OVER, else a loss; a pick of a player who did not play, and
    PASS or NO_LINE, have no result (None)."""
    decided = recommendation.isin([OVER, UNDER]) & played.astype(bool)
    push = decided & (actual == line)
    won = decided & ~push & ((actual > line) == (recommendation == OVER))
    return pd.Series(np.select([push, won, decided], ["push", "win", "loss"], default=None), index=recommendation.index, dtype="object").where(decided)


def pick_returns(result: pd.Series, decimal) -> pd.Series:
    """What each pick returned per unit staked at its decimal price: a win the price minus the stake,
    a push nothing (the stake comes back), a loss the stake; a pick without a result (voided: the
    player did not play; PASS, NO_LINE) has no return (NaN)."""
    decimal = pd.Series(np.asarray(decimal, dtype=float), index=result.index)
    out = pd.Series(np.nan, index=result.index)
    out[result == "win"] = decimal[result == "win"] - 1
    out[result == "push"] = 0.0
    out[result == "loss"] = -1.0
    return out


def mean_interval(total, squares, count):
    """The 95% interval of a mean from the sum, the sum of squares and the count of the values (normal
    approximation; NaN with fewer than two values); of each triple when given arrays."""
    total, squares, count = (np.asarray(x, dtype=float) for x in (total, squares, count))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / count
        variance = (squares - count * mean**2) / (count - 1)
        half = Z95 * np.sqrt(np.maximum(variance, 0.0) / count)
    low, high = np.where(count > 1, mean - half, np.nan), np.where(count > 1, mean + half, np.nan)
    return (float(low), float(high)) if low.ndim == 0 else (low, high)


def wilson_interval(wins, decided):
    """The 95% Wilson score interval of a hit rate of `wins` out of `decided` (NaN without any); of
    each pair when given arrays."""
    wins, decided = np.asarray(wins, dtype=float), np.asarray(decided, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = wins / decided
        centre = (rate + Z95**2 / (2 * decided)) / (1 + Z95**2 / decided)
        half = Z95 * np.sqrt(rate * (1 - rate) / decided + Z95**2 / (4 * decided**2)) / (1 + Z95**2 / decided)
    low, high = np.where(decided > 0, np.clip(centre - half, 0.0, 1.0), np.nan), np.where(decided > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return (float(low), float(high)) if low.ndim == 0 else (low, high)
