"""`nba-assets` end to end: a two-day range through Dagster, recorded in DAGSTER_HOME; one-line errors."""

import pytest
from dagster import DagsterInstance, DagsterRunStatus

from nba_assets.cli import main


@pytest.fixture
def home(platform, tmp_path, monkeypatch):
    path = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(path))
    return path


def test_run_two_days_end_to_end(platform, home, capsys):
    assert main(["run", "--start", "2025-01-20", "--end", "2025-01-21"]) == 0
    out = capsys.readouterr().out
    assert "week 2025-01-20  ok" in out and "2025-01-20  ok" in out and "2025-01-21  ok" in out and "all 5 runs succeeded" in out
    with DagsterInstance.get() as instance:
        runs = instance.get_runs()
        # each date: raw to features, (the week's model on its first date), predictions and grading
        assert len(runs) == 5 and {r.status for r in runs} == {DagsterRunStatus.SUCCESS}
        assert {r.tags["dagster/partition"] for r in runs} == {"2025-01-20", "2025-01-21"}
    assert (home / "dagster.yaml").exists()
    games = platform.table("raw_games")
    assert set(games["game_date"].dt.strftime("%Y-%m-%d")) == {"2025-01-20", "2025-01-21"}
    assert len(platform.table("raw_player_props")) > 0


def test_a_failing_date_makes_the_exit_status_non_zero_and_the_others_still_run(platform, home, capsys, monkeypatch):
    # the clock stands before the second day's games are final: its box scores fail, the first day's do not
    monkeypatch.setenv("NBA_CLOCK", "2025-01-21T21:00:00-05:00")
    assert main(["run", "--start", "2025-01-20", "--end", "2025-01-21", "--select", "raw_box_scores"]) == 1
    out = capsys.readouterr().out
    assert "2025-01-20  ok" in out
    assert "2025-01-21  FAILED" in out and "not final yet" in out and "1 of 2 runs failed: 2025-01-21" in out


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["run", "--start", "2019-01-01"], "2019-01-01 is outside the game-date partitions"),
        (["run", "--start", "2025-02-30"], "--start '2025-02-30' is not a date: write YYYY-MM-DD"),
        (["run", "--start", "2025-01-21", "--end", "2025-01-20"], "--end 2025-01-20 is before --start 2025-01-21"),
        (["run", "--start", "2025-01-20", "--select", "raw_gamez"], "unknown asset raw_gamez in --select; known assets: best_bets_export, feature_store, health_report, live_box_scores"),
    ],
)
def test_mistakes_get_one_line_errors(platform, home, capsys, argv, expected):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_bad_environment_gets_a_one_line_error(platform, home, capsys, monkeypatch):
    monkeypatch.setenv("NBA_SOURCE", "http")
    assert main(["run", "--start", "2025-01-20", "--select", "raw_games"]) == 2
    assert capsys.readouterr().err.strip() == "nba-assets: error: BDL_API_KEY is not set: balldontlie needs an API key when NBA_SOURCE=http"
    monkeypatch.setenv("NBA_SOURCE", "ftp")
    assert main(["run", "--start", "2025-01-20"]) == 2
    assert "NBA_SOURCE='ftp' is not one of simulated, http" in capsys.readouterr().err


def test_selection_with_upstreams(platform, home, capsys):
    assert main(["run", "--start", "2025-01-20", "--select", "*raw_player_props"]) == 0
    out = capsys.readouterr().out
    assert "raw_odds_events" in out and "raw_player_props" in out and "raw_box_scores" not in out


def test_today_builds_the_slate_without_results(platform, home, capsys, monkeypatch):
    from resources.clock import today_et

    today = today_et().isoformat()  # NBA_CLOCK pins it to 2025-01-22
    assert main(["run", "--start", "2025-01-21", "--end", today]) == 0
    out = capsys.readouterr().out
    waiting = "health_report, performance_export, player_game_summary, prediction_grades, raw_box_scores, results_export, system_performance, team_game_summary"
    assert f"{today}  today's slate: {waiting} wait until its games are over" in out
    features = platform.table("feature_store", f"where game_date = '{today}'")
    assert len(features) > 0 and platform.table("raw_box_scores", f"where game_date = '{today}'").empty
