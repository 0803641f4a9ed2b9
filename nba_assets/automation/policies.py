"""Freshness policies and automation conditions, declared per asset (DESIGN §5's ET timeline).

The day is run by declarations, not waits:
- raw scrapes run on schedules (`schedules.py`);
- today's slate (registry -> context -> features -> predictions -> exports) is refreshed by the lines
  sensor whenever a new odds snapshot lands;
- the results of finished dates (yesterday and the day before: summaries, grades, records, exports,
  health) follow their inputs through the automation conditions below, once their blocking checks pass;
- the model retrains every Monday morning.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from dagster import AssetSelection, AssetsDefinition, AutomationCondition, FreshnessPolicy, map_asset_specs

from nba_assets.health.report import DEADLINES
from resources.clock import ET


def daily_deadline(deadline_of: str, window: timedelta) -> FreshnessPolicy:
    """Materialised in the `window` before each day's deadline hour of `deadline_of` (`DEADLINES`)."""
    _, hour = DEADLINES[deadline_of]
    return FreshnessPolicy.cron(deadline_cron=f"0 {hour} * * *", lower_bound_delta=window, timezone=ET.key)


# Deadlines of the asset as a whole (Dagster's freshness policies are not partition-aware: the
# per-game-date deadlines are also checked partition by partition in `deadlines.py`).
FRESHNESS = {
    "raw_games": daily_deadline("raw_games", timedelta(hours=6)),
    "raw_espn_rosters": daily_deadline("raw_games", timedelta(hours=6)),
    "raw_injuries": daily_deadline("raw_games", timedelta(hours=6)),
    "raw_odds_events": FreshnessPolicy.time_window(fail_window=timedelta(hours=4), warn_window=timedelta(hours=3)),
    "raw_player_props": FreshnessPolicy.time_window(fail_window=timedelta(hours=4), warn_window=timedelta(hours=3)),
    "feature_store": daily_deadline("predictions", timedelta(hours=13)),
    "predictions": daily_deadline("predictions", timedelta(hours=13)),
    "predictions_export": daily_deadline("predictions", timedelta(hours=13)),
    "best_bets_export": daily_deadline("predictions", timedelta(hours=13)),
    "raw_box_scores": daily_deadline("raw_box_scores", timedelta(hours=24)),
    "prediction_grades": daily_deadline("prediction_grades", timedelta(hours=24)),
    "results_export": daily_deadline("prediction_grades", timedelta(hours=24)),
    "system_performance": daily_deadline("prediction_grades", timedelta(hours=24)),
    "performance_export": daily_deadline("prediction_grades", timedelta(hours=24)),
    "health_report": FreshnessPolicy.cron(deadline_cron="0 9 * * *", lower_bound_delta=timedelta(hours=24), timezone=ET.key),
    "points_model": FreshnessPolicy.time_window(fail_window=timedelta(days=8), warn_window=timedelta(days=7, hours=6)),
}


def settled_dates(*history_inputs: str) -> AutomationCondition:
    """Yesterday's and the day before's partition, once an input of it was updated since it was last
    handled, no same-date input is missing or in progress, and every blocking check upstream passed.
    `history_inputs` are read as a window of many dates: one missing day there must not hold the run."""
    recent = AutomationCondition.in_latest_time_window(lookback_delta=timedelta(days=2)) & ~AutomationCondition.in_latest_time_window()
    missing = AutomationCondition.any_deps_missing()
    if history_inputs:
        missing = missing.ignore(AssetSelection.assets(*history_inputs))
    return (
        recent
        & AutomationCondition.any_deps_updated().since_last_handled()
        & ~missing
        & ~AutomationCondition.any_deps_in_progress()
        & ~AutomationCondition.in_progress()
        & AutomationCondition.all_deps_blocking_checks_passed()
    ).with_label("settled date: inputs updated, checks passed")


def follows_inputs() -> AutomationCondition:
    """An unpartitioned asset (status.json): after any input updates."""
    return (
        AutomationCondition.any_deps_updated().since_last_handled() & ~AutomationCondition.any_deps_in_progress() & ~AutomationCondition.in_progress()
    ).with_label("inputs updated")


WEEKLY_RETRAIN = AutomationCondition.on_cron("30 4 * * 1", ET.key).with_label("Mondays 04:30 ET")

AUTOMATION = {
    "player_registry": settled_dates("raw_box_scores"),
    "player_game_summary": settled_dates(),
    "team_game_summary": settled_dates(),
    "prediction_grades": settled_dates(),
    "system_performance": settled_dates("prediction_grades"),
    "results_export": settled_dates(),
    "performance_export": settled_dates(),
    "health_report": settled_dates(),
    "status_export": follows_inputs(),
    "points_model": WEEKLY_RETRAIN,
}


def with_policies(assets: Sequence[AssetsDefinition]) -> list[AssetsDefinition]:
    """The assets with their freshness policies and automation conditions attached."""

    def attach(spec):
        name = spec.key.to_user_string()
        changes = {}
        if name in FRESHNESS:
            changes["freshness_policy"] = FRESHNESS[name]
        if name in AUTOMATION:
            changes["automation_condition"] = AUTOMATION[name]
        return spec.replace_attributes(**changes) if changes else spec

    return list(map_asset_specs(attach, assets))
