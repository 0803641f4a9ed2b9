import pandas as pd

from nba_assets.analytics.asof import strictly_before


def test_strictly_before_never_sees_the_target_date():
    events = pd.DataFrame({"k": ["a", "a", "a", "b"], "game_date": pd.to_datetime(["2025-01-01", "2025-01-03", "2025-01-05", "2025-01-03"]), "v": [1, 2, 3, 9]})
    targets = pd.DataFrame({"k": ["a", "a", "a", "b", "c"], "game_date": pd.to_datetime(["2025-01-03", "2025-01-04", "2025-01-01", "2025-01-10", "2025-01-10"])}, index=[10, 11, 12, 13, 14])
    got = strictly_before(targets, events, "k", ["v", "game_date"])
    assert got.loc[10, "v"] == 1 and got.loc[11, "v"] == 2 and pd.isna(got.loc[12, "v"]) and got.loc[13, "v"] == 9 and pd.isna(got.loc[14, "v"])
    assert got.loc[11, "game_date"] == pd.Timestamp("2025-01-03")
    week = strictly_before(targets, events, "k", ["v"], days_earlier=2)
    assert week.loc[11, "v"] == 1  # strictly before 2025-01-02
