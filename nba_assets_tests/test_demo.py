"""`nba-assets demo`: the whole pipeline on the simulated league, then the walk-forward results."""

from datetime import date

from nba_assets.definitions import build_defs
from nba_assets.demo import demo_end, demo_start, run_demo, season_ranges


def test_demo_runs_every_stage_and_prints_walk_forward_results(platform, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert run_demo(build_defs, end=date(2025, 1, 21), start=date(2025, 1, 6)) == 0
    out = capsys.readouterr().out
    assert "demo: simulated league, 2025-01-06 .. 2025-01-21" in out and "runs succeeded" in out
    assert "stage timings: raw" in out and "models" in out and "predictions+grading" in out
    results = out.split("walk-forward results, this season:")[1]
    assert "player-games with a line where every system predicted" in results and "the line's MAE" in results and "the market's log loss" in results
    for system in ("market", "moving_average"):  # two weeks of history: no CatBoost model yet, so no blend either
        assert f" {system} " in results
    assert len(platform.table("prediction_grades")) > 0


def test_demo_range_is_last_season_and_this_one_without_the_off_season():
    end = demo_end(date(2025, 1, 22))
    assert end == date(2025, 1, 21)
    start = demo_start(end)
    assert date(2023, 10, 15) <= start <= date(2023, 10, 31)
    ranges = season_ranges(start, end)
    assert len(ranges) == 2 and ranges[0][1] < date(2024, 5, 1) and ranges[1][0] > date(2024, 10, 1)
    last = demo_end(date(2025, 8, 1))
    assert date(2025, 4, 1) <= last <= date(2025, 4, 30)
