"""`nba-assets demo`: a week of the simulated league into a fresh warehouse, then a summary."""

from datetime import date

from nba_assets.demo import demo_end, run_demo


def test_demo_week_runs_and_summarises(platform, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert run_demo(date(2025, 1, 21)) == 0
    out = capsys.readouterr().out
    assert "demo: simulated league, 2025-01-15 .. 2025-01-21" in out and "all 7 runs succeeded" in out
    summary = out.split("warehouse:")[1]
    assert summary.count("2025-01-") >= 6 and "pts_per_played" in summary
    assert platform.table("raw_box_scores")["game_date"].nunique() >= 6


def test_demo_week_ends_on_the_last_game_day_off_season():
    assert demo_end(date(2025, 1, 22)) == date(2025, 1, 21)
    last = demo_end(date(2025, 8, 1))
    assert date(2025, 4, 1) <= last <= date(2025, 4, 30)
