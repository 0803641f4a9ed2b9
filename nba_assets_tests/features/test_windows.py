import numpy as np
import pandas as pd

from nba_assets.features.windows import Trailing


def test_trailing_windows_match_pandas_rolling_within_groups():
    rng = np.random.default_rng(1)
    groups = pd.Series(np.repeat(["a", "b", "c"], [1, 7, 15]))
    values = pd.Series(rng.integers(0, 40, len(groups)).astype(float) + rng.random(len(groups)))
    windows = Trailing(pd.DataFrame({"g": groups, "v": values}), "g", ["v"])
    g = values.groupby(groups, sort=False)
    for n in (2, 5, 10):
        expected = g.rolling(n, min_periods=1).mean().reset_index(level=0, drop=True)
        assert np.allclose(windows.mean("v", n), expected, rtol=0, atol=1e-9)
        expected_std = g.rolling(n, min_periods=1).std(ddof=0).reset_index(level=0, drop=True)
        assert np.allclose(windows.std("v", n), expected_std, rtol=0, atol=1e-7)
    lagged = g.shift(2).groupby(groups, sort=False).rolling(3, min_periods=1).mean().reset_index(level=0, drop=True)
    assert np.allclose(windows.mean("v", 3, lag=2), lagged, rtol=0, atol=1e-9, equal_nan=True)
    _, count = windows.sum("v", 4)
    assert count.tolist()[:9] == [1, 1, 2, 3, 4, 4, 4, 4, 1]
