"""The moving-average baseline system: 0.5 * last 5 + 0.3 * last 10 + 0.2 * season average."""

from __future__ import annotations

import numpy as np
import pandas as pd

SYSTEM_ID = "moving_average"
VERSION = "moving_average_v1"
WEIGHTS = {"points_avg_last_5": 0.5, "points_avg_last_10": 0.3, "points_avg_season": 0.2}


def _defaulted(features: pd.DataFrame, name: str) -> pd.Series:
    if "defaulted_features" not in features:
        return pd.Series(False, index=features.index)
    return features["defaulted_features"].fillna("").str.contains(rf"(?:^|,){name}(?:,|$)", regex=True).astype(bool)


def moving_average(features: pd.DataFrame) -> pd.Series:
    """The baseline's predicted points per feature row; empty for a player with no game played yet.
    Before his first game of the season, the season average is replaced by the last-10 average."""
    season = features["points_avg_season"].where(~_defaulted(features, "points_avg_season"), features["points_avg_last_10"])
    prediction = 0.5 * features["points_avg_last_5"] + 0.3 * features["points_avg_last_10"] + 0.2 * season
    return prediction.where(~_defaulted(features, "points_avg_last_10"), np.nan).astype(float)
