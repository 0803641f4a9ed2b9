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


def _scale_to(stake: np.ndarray, group: np.ndarray, cap: float) -> np.ndarray:
    """`stake` scaled down, group by group, so that no group's stakes add up to more than `cap`."""
    total = np.bincount(group, weights=stake)[group]
    return stake * np.where(total > cap, cap / np.where(total > 0, total, 1.0), 1.0)


def stakes(picks: pd.DataFrame, staking: Staking = Staking()) -> pd.Series:
    """The stake in units of each pick (`game_date`, `game_id`, `probability`, `decimal`), sized as the module says."""
    if picks.empty:
        return pd.Series(dtype=float, index=picks.index)
    stake = np.minimum(staking.kelly_fraction * kelly_fraction(picks["probability"], picks["decimal"]) * staking.bankroll_units, staking.max_pick_units)
    day = pd.factorize(picks["game_date"])[0]
    game = pd.factorize(pd.Series(day).astype(str).to_numpy() + "|" + picks["game_id"].astype(str).to_numpy())[0]
    stake = _scale_to(_scale_to(stake, game, staking.max_game_units), day, staking.max_day_units)
    return pd.Series(np.round(stake, 2), index=picks.index)
