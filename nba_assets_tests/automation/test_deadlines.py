"""The per-date deadline checks judge the day's operations: in check runs and UI materialisations, not
in a backfill's runs (filling last season says nothing of today's raw_games)."""

from dagster import AssetSelection

from nba_assets.automation.deadlines import DEADLINE_CHECKS
from nba_assets.raw.games import raw_games

ON_TIME = next(check for check in DEADLINE_CHECKS if next(iter(check.check_keys)).name == "raw_games_on_time")


def evaluations(result) -> list:
    return [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]


def test_a_backfill_run_records_no_deadline_verdict(platform, monkeypatch):
    from dagster import materialize

    monkeypatch.setenv("NBA_CLOCK", "2025-01-22T12:00:00-05:00")  # raw_games of 2025-01-22 is due (11:00 ET) and absent
    result = materialize([raw_games, ON_TIME], partition_key="2025-01-20", resources=platform.resources(), instance=platform.instance,
                         tags={"dagster/backfill": "abcdefgh"})
    assert result.success and evaluations(result) == []


def test_a_materialisation_from_the_ui_judges_the_date_due_after_writing(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-22T12:00:00-05:00")
    [verdict] = evaluations(platform.materialize([raw_games, ON_TIME], "2025-01-22"))
    assert not verdict.passed and verdict.severity.value == "WARN" and verdict.description == "raw_games 2025-01-22 arrived late"


def test_a_check_run_judges_the_date_that_fell_due(platform, monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-22T12:00:00-05:00")
    result = platform.materialize([raw_games, ON_TIME], selection=AssetSelection.checks(ON_TIME))
    [verdict] = evaluations(result)
    assert not verdict.passed and verdict.metadata["game_date"].value == "2025-01-22"
    assert "raw_games 2025-01-22 is missing" in verdict.description
