"""The per-date deadline checks judge the day's operations in check runs, and stay silent in runs that
materialise their asset (a backfill of last season must not report today's raw_games as missing)."""

from dagster import AssetSelection

from nba_assets.automation.deadlines import DEADLINE_CHECKS
from nba_assets.raw.games import raw_games

ON_TIME = next(check for check in DEADLINE_CHECKS if next(iter(check.check_keys)).name == "raw_games_on_time")


def evaluations(result) -> list:
    return [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]


def test_a_run_that_materialises_the_asset_records_no_deadline_verdict(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-22T12:00:00-05:00")  # raw_games of 2025-01-22 is due (11:00 ET) and absent
    result = platform.materialize([raw_games, ON_TIME], "2025-01-20")
    assert result.success and evaluations(result) == []


def test_a_check_run_judges_the_date_that_fell_due(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-22T12:00:00-05:00")
    result = platform.materialize([raw_games, ON_TIME], selection=AssetSelection.checks(ON_TIME))
    [verdict] = evaluations(result)
    assert not verdict.passed and verdict.metadata["game_date"].value == "2025-01-22"
    assert "raw_games 2025-01-22 is missing" in verdict.description
