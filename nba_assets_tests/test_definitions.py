"""The code location: every asset documented and placed, one Definitions object that validates."""

import os
import subprocess
import sys
from pathlib import Path

from nba_assets.definitions import defs
from nba_assets.partitions import FIRST_GAME_DATE, game_date_partitions
from resources.clock import today_et

ROOT = Path(__file__).resolve().parents[1]


def specs():
    return {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}


def test_asset_specs_snapshot():
    snapshot = {
        key: (spec.group_name, tuple(spec.owners), bool(spec.description), spec.partitions_def is not None, spec.metadata.get("partition_expr"))
        for key, spec in specs().items()
    }
    assert snapshot == {
        "raw_games": ("raw", ("team:data-platform",), True, True, "game_date"),
        "raw_box_scores": ("raw", ("team:data-platform",), True, True, "game_date"),
        "raw_espn_rosters": ("raw", ("team:data-platform",), True, True, "game_date"),
        "raw_injuries": ("raw", ("team:data-platform",), True, True, "game_date"),
        "raw_odds_events": ("raw", ("team:data-platform",), True, True, "game_date"),
        "raw_player_props": ("raw", ("team:data-platform",), True, True, "game_date"),
        "live_box_scores": ("raw", ("team:data-platform",), True, False, None),
        "player_registry": ("analytics", ("team:data-platform",), True, True, "game_date"),
        "player_game_summary": ("analytics", ("team:data-platform",), True, True, "game_date"),
        "team_game_summary": ("analytics", ("team:data-platform",), True, True, "game_date"),
        "upcoming_team_game_context": ("analytics", ("team:data-platform",), True, True, "game_date"),
        "upcoming_player_game_context": ("analytics", ("team:data-platform",), True, True, "game_date"),
        "prop_offers": ("market", ("team:data-platform",), True, True, "game_date"),
        "feature_store": ("features", ("team:data-platform",), True, True, "game_date"),
        "points_model": ("model", ("team:data-platform",), True, True, None),
        "predictions": ("predictions", ("team:data-platform",), True, True, "game_date"),
        "prediction_grades": ("grading", ("team:data-platform",), True, True, "game_date"),
        "system_performance": ("grading", ("team:data-platform",), True, True, "game_date"),
        "predictions_export": ("publishing", ("team:data-platform",), True, True, None),
        "best_bets_export": ("publishing", ("team:data-platform",), True, True, None),
        "results_export": ("publishing", ("team:data-platform",), True, True, None),
        "performance_export": ("publishing", ("team:data-platform",), True, True, None),
        "odds_screen_export": ("publishing", ("team:data-platform",), True, True, None),
        "live_exports": ("publishing", ("team:data-platform",), True, False, None),
        "status_export": ("publishing", ("team:data-platform",), True, False, None),
        "health_report": ("health", ("team:data-platform",), True, True, "game_date"),
    }


def test_every_asset_has_kinds_a_column_schema_and_the_duckdb_pool():
    for key, spec in specs().items():
        if key == "points_model":
            assert {"python", "catboost"} <= set(spec.kinds)
            continue
        if key.endswith("_export") or key == "live_exports":
            assert {"python", "json"} <= set(spec.kinds)
            continue
        assert {"python", "duckdb"} <= set(spec.kinds), key
        assert "dagster/column_schema" in spec.metadata, key
    assert {assets_def.op.pool for assets_def in defs.assets} == {"duckdb"}


def test_partitions_are_et_days_from_the_first_season_through_today():
    keys = game_date_partitions.get_partition_keys()
    assert keys[0] == FIRST_GAME_DATE <= "2021-10-19"
    assert game_date_partitions.timezone == "America/New_York"
    assert keys[-1] >= today_et().isoformat() or "NBA_CLOCK" in os.environ


def test_dagster_definitions_validate(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    run = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Validation successful for code location nba_assets" in run.stderr + run.stdout


def test_backfill_policies_single_run_downstream_and_chunked_raw():
    policies = {key.to_user_string(): a.backfill_policy for a in defs.assets for key in a.keys}
    assert policies["raw_box_scores"].max_partitions_per_run == 10
    for name in ("player_registry", "player_game_summary", "team_game_summary", "upcoming_team_game_context", "upcoming_player_game_context",
                 "prop_offers", "feature_store", "predictions", "prediction_grades", "system_performance", "health_report",
                 "predictions_export", "best_bets_export", "results_export", "performance_export", "odds_screen_export"):
        assert policies[name].max_partitions_per_run is None, name  # single run over the range
    assert policies["live_box_scores"] is None


def test_runs_execute_in_process_and_jobs_inherit_it():
    from dagster import in_process_executor

    assert defs.executor is in_process_executor
    assert defs.resolve_job_def("box_scores").executor_def is in_process_executor


def test_every_table_has_unique_key_and_game_day_checks():
    checks = {(key.asset_key.to_user_string(), key.name) for key in defs.resolve_asset_graph().asset_check_keys}
    for name in ("raw_box_scores", "player_game_summary", "team_game_summary", "upcoming_player_game_context", "feature_store"):
        assert (name, f"{name}_unique_keys") in checks
    for name in ("feature_store_no_leakage", "feature_store_varies", "feature_store_contract_and_ranges", "feature_store_required_present",
                 "feature_store_no_missing_values"):
        assert ("feature_store", name) in checks
    for asset, name in (("points_model", "points_model_contract_matches_serving"), ("points_model", "points_model_is_deterministic"),
                        ("points_model", "points_model_beats_baseline_or_is_not_used"), ("predictions", "predictions_plausible"),
                        ("predictions", "predictions_lines_are_real"), ("prediction_grades", "voided_picks_have_no_result"),
                        ("system_performance", "hit_rate_is_not_too_good"), ("prop_offers", "prop_offers_prices_valid"),
                        ("prop_offers", "prop_offers_fair_probabilities"), ("prop_offers", "prop_offers_before_tip"), ("prop_offers", "prop_offers_unique_keys")):
        assert (asset, name) in checks
    assert ("upcoming_player_game_context", "player_age_present") in checks


def test_sensors_and_schedules_run_by_default():
    from dagster import DefaultScheduleStatus, DefaultSensorStatus

    assert {s.name for s in defs.sensors} == {"closing_lines_sensor", "lines_sensor", "live_sensor", "reconciliation_sensor", "deadline_sensor", "run_failure_alert",
                                              "check_failure_alert", "freshness_alert", "automation"}
    assert all(s.default_status == DefaultSensorStatus.RUNNING for s in defs.sensors)
    assert {s.name for s in defs.schedules} == {"morning_scrape_schedule", "odds_snapshot_schedule", "box_scores_schedule"}
    assert all(s.default_status == DefaultScheduleStatus.RUNNING for s in defs.schedules)


def test_scrapes_retry_with_backoff_and_jitter():
    from dagster import Backoff, Jitter

    raw = [a for a in defs.assets if a.group_names_by_key.get(next(iter(a.keys))) == "raw"]
    assert len(raw) >= 7
    for assets_def in raw:
        policy = assets_def.op.retry_policy
        assert policy.max_retries == 3 and policy.backoff == Backoff.EXPONENTIAL and policy.jitter == Jitter.PLUS_MINUS
