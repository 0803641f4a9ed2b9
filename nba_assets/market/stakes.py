"""How much to bet on each pick: fractional Kelly on the system's probability at the offered price,
in units of a bankroll, capped per pick, per game and per day.

Kelly's fraction of the bankroll on a bet of decimal price d won with probability p (among decided
outcomes) is (p d - 1) / (d - 1); the platform bets `kelly_fraction` of it (a quarter by default:
the probabilities are estimates). Picks of one game (its two teams' players move together: a fast
game lifts every over) are sized together: when their stakes add up to more than `max_game_units`
they are scaled down together; then the day's picks to `max_day_units`. Stakes are in units
(a unit is 1% of a 100-unit bankroll), rounded to hundredths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Staking:
    bankroll_units: float = 100.0
    kelly_fraction: float = 0.25
    max_pick_units: float = 2.0
    max_game_units: float = 4.0
    max_day_units: float = 20.0


def kelly_fraction(probability, decimal) -> np.ndarray:
    """Kelly's fraction of the bankroll for each bet (0 where the bet has no edge)."""
    p, d = np.asarray(probability, dtype=float), np.asarray(decimal, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip((p * d - 1) / (d - 1), 0.0, 1.0)


def _scale_to(total: pd.Series, cap: float) -> pd.Series:
    return (cap / total).where(total > cap, 1.0)


def stakes(picks: pd.DataFrame, staking: Staking = Staking()) -> pd.Series:
    """The stake in units of each pick (`game_date`, `game_id`, `probability`, `decimal`), sized as the module says."""
    if picks.empty:
        return pd.Series(dtype=float, index=picks.index)
    raw = np.minimum(staking.kelly_fraction * kelly_fraction(picks["probability"], picks["decimal"]) * staking.bankroll_units, staking.max_pick_units)
    stake = pd.Series(raw, index=picks.index)
    stake *= _scale_to(stake.groupby([picks["game_date"], picks["game_id"]]).transform("sum"), staking.max_game_units)
    stake *= _scale_to(stake.groupby(picks["game_date"]).transform("sum"), staking.max_day_units)
    return stake.round(2)
