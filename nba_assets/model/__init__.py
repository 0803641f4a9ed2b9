"""The points model: a walk-forward CatBoost regressor of a player's points, and its baseline."""
