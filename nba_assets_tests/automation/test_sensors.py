"""Sensors and schedules against an ephemeral instance: requests, run keys, cursors, and silence when nothing is new."""

import json
from datetime import datetime

import pytest
from dagster import (
    AssetCheckEvaluation,
    AssetKey,
    AssetMaterialization,
    DagsterEventType,
    DagsterInstance,
    DagsterRun,
    MetadataValue,
    SkipReason,
    build_run_status_sensor_context,
    build_schedule_context,
    build_sensor_context,
    materialize,
)

from nba_assets.automation.schedules import box_scores_schedule, morning_scrape_schedule, odds_snapshot_schedule
from nba_assets.automation.sensors import (
    RECONCILE_DAYS,
    check_failure_alert,
    closing_lines_sensor,
    deadline_sensor,
    freshness_alert,
    lines_sensor,
    live_sensor,
    reconciled,
    reconciliation_requests,
    reconciliation_sensor,
    run_failure_alert,
)
from nba_assets.definitions import defs
from resources.alerts import AlertsResource
from resources.clock import ET

TODAY = "2025-01-20"
GRAPH = defs.resolve_asset_graph()
RECONCILED = reconciled(GRAPH)
# What a date cannot have until its week's model exists.
AFTER_THE_MODEL = ("predictions", "prediction_grades", "system_performance", "predictions_export", "best_bets_export", "results_export",
                   "performance_export", "health_report")


@pytest.fixture
def instance(monkeypatch):
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T12:00:00-05:00")
    with DagsterInstance.ephemeral() as instance:
        yield instance


def landed(instance, asset, partition=None, **metadata):
    instance.report_runless_asset_event(AssetMaterialization(asset_key=asset, partition=partition, metadata=metadata))


def test_lines_sensor_refreshes_the_slate_once_per_new_snapshot(instance):
    assert isinstance(lines_sensor(build_sensor_context(instance=instance)), SkipReason)
    landed(instance, "raw_player_props", TODAY)
    first = lines_sensor(build_sensor_context(instance=instance))
    [request] = first.run_requests
    assert request.partition_key == TODAY and request.run_key.startswith(f"lines-{TODAY}-")
    again = lines_sensor(build_sensor_context(instance=instance, cursor=first.cursor))
    assert isinstance(again, SkipReason)  # nothing new: nothing requested
    landed(instance, "raw_player_props", TODAY)
    later = lines_sensor(build_sensor_context(instance=instance, cursor=first.cursor))
    assert len(later.run_requests) == 1 and later.run_requests[0].run_key != request.run_key
    landed(instance, "raw_player_props", "2025-01-19")  # another date's snapshot is not today's lines
    assert isinstance(lines_sensor(build_sensor_context(instance=instance, cursor=later.cursor)), SkipReason)


def test_live_sensor_runs_in_game_windows_only(instance, monkeypatch):
    landed(instance, "raw_games", TODAY, tip_times_utc=MetadataValue.json({TODAY: ["2025-01-21T00:30:00", "2025-01-21T03:30:00"]}))
    assert isinstance(live_sensor(build_sensor_context(instance=instance)), SkipReason)  # noon: quiet
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T20:02:00-05:00")
    request = live_sensor(build_sensor_context(instance=instance))
    assert request.run_key == "live-20250121T0100"
    monkeypatch.setenv("NBA_CLOCK", "2025-01-21T01:10:00-05:00")  # after midnight, yesterday's late game is still on
    assert live_sensor(build_sensor_context(instance=instance)).run_key.startswith("live-")
    monkeypatch.setenv("NBA_CLOCK", "2025-01-21T02:00:00-05:00")
    assert isinstance(live_sensor(build_sensor_context(instance=instance)), SkipReason)


def test_closing_lines_are_snapshotted_inside_each_tips_lock_once(instance, monkeypatch):
    landed(instance, "raw_games", TODAY, tip_times_utc=MetadataValue.json({TODAY: ["2025-01-21T00:30:00", "2025-01-21T00:30:00", "2025-01-21T03:30:00"]}))
    assert isinstance(closing_lines_sensor(build_sensor_context(instance=instance)), SkipReason)  # noon
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T19:05:00-05:00")  # 25 minutes before the first tips: not yet
    assert isinstance(closing_lines_sensor(build_sensor_context(instance=instance)), SkipReason)
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T19:12:00-05:00")
    first = closing_lines_sensor(build_sensor_context(instance=instance))
    assert first.run_key == f"closing-{TODAY}-0030" and first.partition_key == TODAY and closing_lines_sensor.job_name == "odds_snapshot"
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T19:20:00-05:00")  # the same tips: the same run key, so not asked twice
    assert closing_lines_sensor(build_sensor_context(instance=instance)).run_key == first.run_key
    monkeypatch.setenv("NBA_CLOCK", "2025-01-20T22:15:00-05:00")
    assert closing_lines_sensor(build_sensor_context(instance=instance)).run_key == f"closing-{TODAY}-0330"


def test_reconciliation_requests_the_missing_date_and_not_the_healthy_ones(instance):
    days = [f"2025-01-{d:02d}" for d in range(20 - RECONCILE_DAYS, 20)]
    for day in days:
        for asset in RECONCILED:
            if not (day == "2025-01-17" and asset == "player_game_summary"):
                landed(instance, asset, day)
    for week in ("2025-01-06", "2025-01-13"):
        landed(instance, "points_model", week)
    requests, given_up = reconciliation_requests(instance, GRAPH, datetime(2025, 1, 20).date())
    [request] = requests
    assert request.partition_key == "2025-01-17" and request.run_key == "reconcile-2025-01-17-1" and not given_up
    selected = {k.to_user_string() for k in request.asset_selection}
    assert "player_game_summary" in selected and {"prediction_grades", "feature_store"} <= selected  # and what depends on it
    assert "raw_games" not in selected and "raw_box_scores" not in selected  # healthy upstream is left alone


def test_reconciliation_is_bounded_and_gives_up_with_an_alert(instance, tmp_path):
    alerts = AlertsResource(log_path=str(tmp_path / "alerts.log"))
    context = build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH})
    result = reconciliation_sensor(context)
    assert len([r for r in result.run_requests if not r.run_key.startswith("reconcile-model")]) == 3  # bounded per tick
    for _ in range(3):  # three failed attempts at every date
        for day in [f"2025-01-{d:02d}" for d in range(20 - RECONCILE_DAYS, 20)]:
            instance.add_run(DagsterRun(job_name="__ASSET_JOB", run_id=f"{day}-{_}", tags={"nba-assets/reconcile": day}))
    result = reconciliation_sensor(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}, cursor=result.cursor))
    assert not result.run_requests
    lines = [json.loads(line) for line in (tmp_path / "alerts.log").read_text().splitlines()]
    assert len(lines) == RECONCILE_DAYS and lines[0]["kind"] == "reconciliation gave up" and lines[0]["partition"] == "2025-01-13"
    again = reconciliation_sensor(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}, cursor=result.cursor))
    assert not again.run_requests and len((tmp_path / "alerts.log").read_text().splitlines()) == RECONCILE_DAYS  # alerted once


def test_deadline_sensor_runs_each_deadline_once(instance):
    first = deadline_sensor(build_sensor_context(instance=instance))
    [request] = first.run_requests
    assert {k.name for k in request.asset_check_keys} == {"raw_games_on_time", "predictions_on_time", "raw_box_scores_on_time",
                                                          "prediction_grades_on_time", "results_export_on_time"}
    assert isinstance(deadline_sensor(build_sensor_context(instance=instance, cursor=first.cursor)), SkipReason)


def test_the_box_score_scrapes_come_before_their_deadline():
    from nba_assets.health.report import deadline

    due = deadline(datetime(2025, 1, 20).date(), "raw_box_scores")
    ticks = [datetime(2025, 1, 21, int(cron.split()[1]), int(cron.split()[0]), tzinfo=ET) for cron in box_scores_schedule.cron_schedule]
    assert sum(tick < due for tick in ticks) >= 2  # two tries before 03:00 ET; a later one may catch corrections


def test_schedules_pick_the_right_game_date():
    def partition(schedule, hour, minute=0, day=21):
        return schedule(build_schedule_context(scheduled_execution_time=datetime(2025, 1, day, hour, minute, tzinfo=ET))).partition_key

    assert partition(box_scores_schedule, 1, 30) == "2025-01-20"  # yesterday's box scores after midnight
    assert partition(morning_scrape_schedule, 9) == "2025-01-21"
    assert partition(odds_snapshot_schedule, 22) == "2025-01-21"


def test_a_failed_run_reaches_the_alerts_with_asset_partition_and_error(instance, tmp_path, monkeypatch):
    from nba_assets.raw import raw_games
    from resources.settings import resource_defs

    monkeypatch.setenv("NBA_DATA_DIR", str(tmp_path / "data"))
    result = materialize([raw_games], partition_key="2025-01-25", instance=instance, resources=resource_defs(), raise_on_error=False)
    [record] = instance.all_logs(result.run_id, of_type=DagsterEventType.RUN_FAILURE)
    failure = record.dagster_event
    run = instance.get_run_by_id(result.run_id)
    alerts = AlertsResource(log_path=str(tmp_path / "alerts.log"))
    context = build_run_status_sensor_context(sensor_name="run_failure_alert", dagster_event=failure, dagster_instance=instance,
                                              dagster_run=run, resources={"alerts": alerts}).for_run_failure()
    run_failure_alert(context)
    [alert] = [json.loads(line) for line in (tmp_path / "alerts.log").read_text().splitlines()]
    assert alert["kind"] == "run failed" and alert["partition"] == "2025-01-25" and "raw_games" in alert["asset"]
    assert "is in the future" in alert["error"]


def test_a_failed_check_reaches_the_alerts(instance, tmp_path):
    alerts = AlertsResource(log_path=str(tmp_path / "alerts.log"))
    instance.report_runless_asset_event(AssetCheckEvaluation(asset_key=AssetKey("feature_store"), check_name="feature_store_varies", passed=False,
                                                             partition="2025-01-19", description="back_to_back constant"))
    result = check_failure_alert(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}))
    [alert] = [json.loads(line) for line in (tmp_path / "alerts.log").read_text().splitlines()]
    assert (alert["asset"], alert["summary"], alert["partition"], alert["error"]) == ("feature_store", "feature_store_varies", "2025-01-19", "back_to_back constant")
    again = check_failure_alert(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}, cursor=result.cursor))
    assert isinstance(again, SkipReason) and len((tmp_path / "alerts.log").read_text().splitlines()) == 1
    instance.report_runless_asset_event(AssetCheckEvaluation(asset_key=AssetKey("feature_store"), check_name="feature_store_varies", passed=False,
                                                             partition="2025-01-20", description="back_to_back constant"))
    check_failure_alert(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}, cursor=result.cursor))
    assert len((tmp_path / "alerts.log").read_text().splitlines()) == 2  # another date's failure is news


def freshness_turns(instance, asset: str, previous: str, new: str, at: float) -> None:
    """Record a freshness state change the way Dagster's freshness daemon does."""
    from dagster._core.definitions.freshness import FreshnessState, FreshnessStateChange

    change = FreshnessStateChange(key=AssetKey(asset), previous_state=FreshnessState(previous), new_state=FreshnessState(new), state_change_timestamp=float(at))
    instance._report_runless_asset_event(asset_event=change)


def test_a_stale_asset_reaches_the_alerts_once_per_failure(instance, tmp_path):
    alerts = AlertsResource(log_path=str(tmp_path / "alerts.log"))
    sent = lambda: [json.loads(line) for line in (tmp_path / "alerts.log").read_text().splitlines()] if (tmp_path / "alerts.log").exists() else []
    freshness_turns(instance, "raw_games", "UNKNOWN", "PASS", 1_737_380_000)
    freshness_turns(instance, "predictions", "UNKNOWN", "FAIL", 1_737_392_400)
    first = freshness_alert(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}))
    [alert] = sent()
    assert (alert["kind"], alert["asset"]) == ("freshness failed", "predictions")
    assert "deadline '0 13 * * *' (America/New_York)" in alert["error"] and "failing since 2025-01-20T17:00:00" in alert["error"]
    second = freshness_alert(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}, cursor=first.cursor))
    assert second.skip_reason is not None and len(sent()) == 1  # still the same failure
    freshness_turns(instance, "predictions", "FAIL", "PASS", 1_737_400_000)
    freshness_turns(instance, "predictions", "PASS", "FAIL", 1_737_478_800)
    freshness_alert(build_sensor_context(instance=instance, resources={"alerts": alerts, "asset_graph": GRAPH}, cursor=second.cursor))
    assert [a["asset"] for a in sent()] == ["predictions", "predictions"]  # failing again the next day is news


def test_reconciliation_fills_a_fresh_date_before_its_model_and_predictions(instance):
    requests, _ = reconciliation_requests(instance, GRAPH, datetime(2025, 1, 20).date())
    first = requests[0]
    selected = {k.to_user_string() for k in first.asset_selection}
    assert first.partition_key == "2025-01-13" and {"raw_games", "raw_injuries", "feature_store"} <= selected
    assert "predictions" not in selected and not any(r.run_key.startswith("reconcile-model") for r in requests)  # no features to learn from yet
    for asset in RECONCILED:
        if asset not in AFTER_THE_MODEL:
            landed(instance, asset, "2025-01-13")
    requests, _ = reconciliation_requests(instance, GRAPH, datetime(2025, 1, 20).date())
    model = [r for r in requests if r.run_key.startswith("reconcile-model")]
    assert model and model[0].partition_key == "2025-01-13" and [k.to_user_string() for k in model[0].asset_selection] == ["points_model"]
    # 2025-01-13 waits for its model without taking one of the tick's date runs: the next three dates are asked for now
    assert [r.partition_key for r in requests if not r.run_key.startswith("reconcile-model")] == ["2025-01-14", "2025-01-15", "2025-01-16"]


def test_a_week_of_dates_waiting_for_their_model_asks_for_it_once(instance):
    for day in [f"2025-01-{d:02d}" for d in range(13, 20)]:
        for asset in RECONCILED:
            if asset not in AFTER_THE_MODEL:
                landed(instance, asset, day)
    requests, _ = reconciliation_requests(instance, GRAPH, datetime(2025, 1, 20).date())
    assert [(r.run_key, r.partition_key) for r in requests] == [("reconcile-model-2025-01-13-1", "2025-01-13")]


def test_reconciliation_covers_every_asset_partitioned_by_game_date_upstream_first():
    from nba_assets.partitions import game_date_partitions

    daily = {key.to_user_string() for key in GRAPH.get_all_asset_keys() if GRAPH.get(key).partitions_def == game_date_partitions}
    assert set(RECONCILED) == daily and {"raw_games", "feature_store", "health_report"} <= daily
    assert not {"live_box_scores", "live_exports", "status_export", "points_model"} & set(RECONCILED)
    for position, asset in enumerate(RECONCILED):
        parents = {key.to_user_string() for key in GRAPH.get(AssetKey(asset)).parent_keys} & daily
        assert parents <= set(RECONCILED[:position]), f"{asset} comes before its inputs {parents - set(RECONCILED[:position])}"


def test_a_date_whose_blocking_check_failed_is_asked_for_again(instance):
    blocking = next(k for k in sorted(GRAPH.asset_check_keys, key=str) if k.asset_key == AssetKey("feature_store") and GRAPH.get_check_spec(k).blocking)
    for day in [f"2025-01-{d:02d}" for d in range(20 - RECONCILE_DAYS, 20)]:
        for asset in RECONCILED:
            landed(instance, asset, day)
    for week in ("2025-01-06", "2025-01-13"):
        landed(instance, "points_model", week)
    assert reconciliation_requests(instance, GRAPH, datetime(2025, 1, 20).date()) == ([], [])
    instance.report_runless_asset_event(AssetCheckEvaluation(asset_key=blocking.asset_key, check_name=blocking.name, passed=False, partition="2025-01-16"))
    [request], _ = reconciliation_requests(instance, GRAPH, datetime(2025, 1, 20).date())
    selected = [k.to_user_string() for k in request.asset_selection]
    assert request.partition_key == "2025-01-16" and selected[0] == "feature_store" and "predictions" in selected and "raw_games" not in selected
    assert blocking in request.asset_check_keys and not any(k.name.endswith("_on_time") for k in request.asset_check_keys)
