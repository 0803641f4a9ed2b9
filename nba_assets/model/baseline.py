"""The moving-average baseline system: 0.5 * last 5 + 0.3 * last 10 + 0.2 * season average."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_assets.features.build import was_defaulted

SYSTEM_ID = "moving_average"
VERSION = "moving_average_v1"
WEIGHTS = {"points_avg_last_5": 0.5, "points_avg_last_10": 0.3, "points_avg_season": 0.2}


def moving_average(features: pd.DataFrame) -> pd.Series:
    """The baseline's predicted points per feature row; empty for a player with no game played yet.
    Before his first game of the season, the feature store holds his last-10 average as his season average."""
    prediction = sum(weight * features[name].astype(float) for name, weight in WEIGHTS.items())
    return prediction.where(~was_defaulted(features, "points_avg_last_10"), np.nan).astype(float)
