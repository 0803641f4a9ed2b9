"""The sensors that run the day: lines, live scores, reconciliation (the self-heal), deadlines, alerts.

All start RUNNING with `dagster dev` (pause one from the UI's Automation page, or
`dagster sensor stop NAME`). Every run request has a run key, so a tick that sees nothing new
requests nothing, and nothing is ever requested twice.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd
from dagster import (
    AssetCheckKey,
    AssetKey,
    AssetRecordsFilter,
    AssetSelection,
    AutomationConditionSensorDefinition,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_failure_sensor,
    sensor,
)

from nba_assets.automation.deadlines import DEADLINE_ASSETS, DEADLINE_SELECTION, data_selection, due_date, on_time_key
from nba_assets.automation.failures import failure_text
from nba_assets.automation.jobs import live_job, odds_job, slate_job
from nba_assets.automation.policies import FRESHNESS
from nba_assets.health.records import AssetGraph, all_check_keys, failed_checks_by_partition
from nba_assets.partitions import game_date_partitions, week_of
from resources.alerts import AlertsResource
from resources.clock import now_utc, today_et

if TYPE_CHECKING:
    from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph

RUNNING = DefaultSensorStatus.RUNNING
RECONCILE_TAG = "nba-assets/reconcile"
RECONCILE_DAYS = 7
RECONCILE_MAX_REQUESTS = 3
RECONCILE_MAX_ATTEMPTS = 3
# What the reconciliation sensor may ask for: the assets partitioned by game date and the weekly model.
RECONCILE_SELECTION = AssetSelection.from_string('partitions:"time"')
LIVE_BEFORE_TIP = timedelta(minutes=10)
LIVE_AFTER_LAST_TIP = timedelta(hours=3)
CLOSING_BEFORE_TIP = timedelta(minutes=20)  # inside the pick's lock (30 minutes before tip): the closing line, not a pick's board


def latest_storage_id(instance, asset: str, partition: str | None = None) -> int | None:
    records = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey(asset), asset_partitions=[partition] if partition else None), limit=1
    ).records
    return records[0].storage_id if records else None


@sensor(job=slate_job, minimum_interval_seconds=60, default_status=RUNNING,
        description="A new odds snapshot of today's games refreshes today's registry, context, features, predictions and exports, once per snapshot.")
def lines_sensor(context: SensorEvaluationContext):
    today = today_et().isoformat()
    seen = latest_storage_id(context.instance, "raw_player_props", today)
    if seen is None:
        return SkipReason(f"no odds snapshot for {today} yet")
    if context.cursor and int(context.cursor) >= seen:
        return SkipReason("no new odds snapshot since the last refresh")
    return SensorResult(run_requests=[RunRequest(run_key=f"lines-{today}-{seen}", partition_key=today)], cursor=str(seen))


def tip_times(instance, day: str) -> list[pd.Timestamp]:
    """The tip times (UTC) of `day`'s games from its stored schedule, earliest first (none without games)."""
    record = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey("raw_games"), asset_partitions=[day]), limit=1).records
    if not record:
        return []
    tips = record[0].asset_materialization.metadata.get("tip_times_utc")
    return sorted(pd.Timestamp(t) for t in (tips.value.get(day) or [] if tips is not None else []))


def game_window(instance, day: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(first tip - 10 min, last tip + 3 h) in UTC from the stored schedule of `day`, or None without games."""
    times = tip_times(instance, day)
    return (times[0] - LIVE_BEFORE_TIP, times[-1] + LIVE_AFTER_LAST_TIP) if times else None


@sensor(job=odds_job, minimum_interval_seconds=120, default_status=RUNNING,
        description="20 minutes before each tip of today's games (inside the pick's lock), one more odds snapshot: the closing line "
        "the day's picks are judged against (closing-line value). The picks of a locked game are not made again on it.")
def closing_lines_sensor(context: SensorEvaluationContext):
    today, now = today_et().isoformat(), pd.Timestamp(now_utc().replace(tzinfo=None))
    due = [tip for tip in tip_times(context.instance, today) if tip - CLOSING_BEFORE_TIP <= now < tip]
    if not due:
        return SkipReason("no game tips in the next 20 minutes")
    return RunRequest(run_key=f"closing-{today}-{due[0]:%H%M}", partition_key=today)


@sensor(job=live_job, minimum_interval_seconds=180, default_status=RUNNING,
        description="During game windows (first tip - 10 min to last tip + 3 h, ET date's schedule), live box scores and live exports every few minutes; quiet otherwise.")
def live_sensor(context: SensorEvaluationContext):
    now = pd.Timestamp(now_utc().replace(tzinfo=None))
    for day in (today_et(), today_et() - timedelta(days=1)):  # late games run past midnight
        window = game_window(context.instance, day.isoformat())
        if window and window[0] <= now <= window[1]:
            slot = now.floor("5min")
            return RunRequest(run_key=f"live-{slot:%Y%m%dT%H%M}")
    return SkipReason("no game in progress")


def _reconcile_attempts(instance, day: str) -> int:
    return instance.get_runs_count(filters=RunsFilter(tags={RECONCILE_TAG: day}))


def reconciled(graph: BaseAssetGraph) -> list[str]:
    """Everything a finished date must hold: every asset partitioned by game date, upstream first.
    The reconciliation sensor asks again for what is missing or failed a blocking check."""
    return [key.to_user_string() for key in graph.toposorted_asset_keys if graph.get(key).partitions_def == game_date_partitions]


def with_dependents(graph: BaseAssetGraph, broken: list[str]) -> list[str]:
    """`broken` and every reconciled asset downstream of one of them, in pipeline order."""
    names = {key.to_user_string() for key in AssetSelection.assets(*broken).downstream().resolve(graph)}
    return [asset for asset in reconciled(graph) if asset in names]


def data_checks(graph: BaseAssetGraph, assets: list[str]) -> list[AssetCheckKey]:
    """The checks of `assets` that judge their data (the deadline checks judge today's operations: the deadline sensor runs them)."""
    return sorted(data_selection(*assets).resolve_checks(graph), key=str)


def reconciliation_requests(instance, graph: BaseAssetGraph, today: date) -> tuple[list[RunRequest], list[str]]:
    """What to ask again for the last `RECONCILE_DAYS` finished dates: assets missing or whose
    blocking checks failed, with what depends on them, one run per date (the earliest first), and
    the week's model (once per week) when predictions need it; at most `RECONCILE_MAX_REQUESTS` date
    runs per tick and `RECONCILE_MAX_ATTEMPTS` per date. Returns the requests and the dates given up on."""
    requests, given_up, dated, models = [], [], 0, set()
    daily = reconciled(graph)
    materialized = {asset: instance.get_materialized_partitions(AssetKey(asset)) for asset in (*daily, "points_model")}
    days = [(today - timedelta(days=offset)).isoformat() for offset in range(RECONCILE_DAYS, 0, -1)]
    failed = failed_checks_by_partition(instance, all_check_keys(graph, blocking_only=True), days)
    after_the_model = with_dependents(graph, ["predictions"])
    for day in days:
        failing = {asset for asset, _, _ in failed[day]}
        broken = [asset for asset in daily if day not in materialized[asset] or asset in failing]
        if not broken:
            continue
        attempts = _reconcile_attempts(instance, day)
        if attempts >= RECONCILE_MAX_ATTEMPTS:
            given_up.append(f"{day}: {', '.join(broken)}")
            continue
        if dated >= RECONCILE_MAX_REQUESTS:
            break
        selection = with_dependents(graph, broken)
        week = week_of(pd.Timestamp(day))
        if "predictions" in selection and week not in materialized["points_model"]:
            # the week's model first (once the features it learns from exist), the predictions on a later tick
            selection = [a for a in selection if a not in after_the_model]
            if "feature_store" not in selection and week not in models:
                models.add(week)
                requests.append(RunRequest(run_key=f"reconcile-model-{week}-{_reconcile_attempts(instance, f'week {week}') + 1}", partition_key=week,
                                           asset_selection=[AssetKey("points_model")], tags={RECONCILE_TAG: f"week {week}"}))
        if selection:
            dated += 1
            requests.append(RunRequest(run_key=f"reconcile-{day}-{attempts + 1}", partition_key=day, asset_selection=[AssetKey(a) for a in selection],
                                       asset_check_keys=data_checks(graph, selection), tags={RECONCILE_TAG: day}))
    return requests, given_up


@sensor(minimum_interval_seconds=1800, default_status=RUNNING, asset_selection=RECONCILE_SELECTION,
        description=f"The self-heal: for the last {RECONCILE_DAYS} finished dates, assets missing or whose blocking checks failed are asked "
        f"for again with what depends on them, at most {RECONCILE_MAX_REQUESTS} dates a tick and {RECONCILE_MAX_ATTEMPTS} attempts a date (then an alert).")
def reconciliation_sensor(context: SensorEvaluationContext, alerts: AlertsResource, asset_graph: AssetGraph):
    requests, given_up = reconciliation_requests(context.instance, asset_graph, today_et())
    cursor = json.loads(context.cursor) if context.cursor else {}
    for item in given_up:
        if item not in cursor.get("alerted", []):
            alerts.send("reconciliation gave up", summary=f"still broken after {RECONCILE_MAX_ATTEMPTS} attempts", partition=item.split(":")[0], error=item)
            cursor.setdefault("alerted", []).append(item)
    if not requests:
        return SensorResult(skip_reason=SkipReason("every recent date is complete"), cursor=json.dumps(cursor))
    return SensorResult(run_requests=requests, cursor=json.dumps(cursor))


@sensor(minimum_interval_seconds=300, default_status=RUNNING,
        asset_selection=DEADLINE_SELECTION,
        description="Once an asset's per-game-date deadline passes, runs its on-time check for the date that fell due.")
def deadline_sensor(context: SensorEvaluationContext):
    now = now_utc()
    cursor = json.loads(context.cursor) if context.cursor else {}
    due = {asset: due_date(asset, now).isoformat() for asset in DEADLINE_ASSETS}
    fresh = [asset for asset in DEADLINE_ASSETS if cursor.get(asset) != due[asset]]
    if not fresh:
        return SkipReason("no deadline passed since the last check")
    checks = [on_time_key(a) for a in fresh]
    key = "-".join(f"{a}:{due[a]}" for a in fresh)
    return SensorResult(run_requests=[RunRequest(run_key=f"deadlines-{key}", asset_selection=[], asset_check_keys=checks)], cursor=json.dumps(due))


@run_failure_sensor(default_status=RUNNING, monitor_all_code_locations=True, description="Every failed run goes to the alerts channel, with its assets, partition and error.")
def run_failure_alert(context: RunFailureSensorContext, alerts: AlertsResource):
    run = context.dagster_run
    failed_steps = sorted({e.step_key for e in context.get_step_failure_events() if e.step_key})
    assets = ", ".join(sorted(k.to_user_string() for k in (run.asset_selection or []))) or ", ".join(failed_steps) or run.job_name
    partition = run.tags.get("dagster/partition") or "-".join(filter(None, (run.tags.get("dagster/asset_partition_range_start"), run.tags.get("dagster/asset_partition_range_end")))) or None
    error = failure_text(context.get_step_failure_events()) or context.failure_event.message or "run failed"
    alerts.send("run failed", summary=f"run {run.run_id[:8]} of {run.job_name} failed", asset=assets, partition=partition, error=error)


def failed_check_records(instance, check_keys: list[AssetCheckKey], after_id: int) -> list:
    """Executions of `check_keys` recorded after `after_id` whose evaluation failed, oldest first."""
    from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

    found = []
    for key in check_keys:
        history = instance.event_log_storage.get_asset_check_execution_history(key, limit=50, status={AssetCheckExecutionRecordStatus.FAILED})
        found += [record for record in history if record.id > after_id]
    return sorted(found, key=lambda record: record.id)


@sensor(minimum_interval_seconds=60, default_status=RUNNING, description="Every failed asset check (deadline checks included) goes to the alerts channel.")
def check_failure_alert(context: SensorEvaluationContext, alerts: AlertsResource, asset_graph: AssetGraph):
    cursor = json.loads(context.cursor) if context.cursor else {"after": 0, "last": {}}
    records = failed_check_records(context.instance, all_check_keys(asset_graph), cursor["after"])
    if not records:
        return SkipReason("no new failed check")
    for record in records:
        evaluation = record.event.dagster_event.event_specific_data if record.event and record.event.dagster_event else None
        severity = evaluation.severity.value.lower() if evaluation is not None else "error"
        partition = getattr(evaluation, "partition", None) or getattr(record, "partition", None)
        error = evaluation.description if evaluation is not None else None
        said = f"{partition}|{error}"
        if cursor["last"].get(str(record.key)) == said:
            continue  # the same finding again (a check re-run in another run): alerted already
        alerts.send(f"check failed ({severity})", summary=record.key.name, asset=record.key.asset_key.to_user_string(), partition=partition, error=error)
        cursor["last"][str(record.key)] = said
    cursor["after"] = records[-1].id
    return SensorResult(cursor=json.dumps(cursor))


def expectation(policy) -> str:
    """What a freshness policy asks, in words."""
    if hasattr(policy, "deadline_cron"):
        return f"expected a materialisation in the {policy.lower_bound_delta} before each deadline '{policy.deadline_cron}' ({policy.timezone})"
    return f"expected a materialisation at least every {policy.fail_window.to_timedelta()}"


@sensor(minimum_interval_seconds=120, default_status=RUNNING,
        description="An asset whose freshness policy Dagster's freshness daemon judges FAIL goes to the alerts channel, once per failure.")
def freshness_alert(context: SensorEvaluationContext, alerts: AlertsResource):
    from dagster._core.definitions.freshness import FreshnessState

    cursor = json.loads(context.cursor) if context.cursor else {}
    records = context.instance.event_log_storage.get_freshness_state_records([AssetKey(a) for a in FRESHNESS])
    sent = 0
    for key, record in sorted(records.items(), key=lambda item: item[0].to_user_string()):
        name, since = key.to_user_string(), record.updated_at.isoformat(timespec="seconds")
        if record.freshness_state == FreshnessState.FAIL and cursor.get(name) != since:
            alerts.send("freshness failed", summary=f"{name} is not fresh", asset=name, error=f"{expectation(FRESHNESS[name])}; failing since {since}")
            sent += 1
        cursor[name] = since
    return SensorResult(cursor=json.dumps(cursor), skip_reason=None if sent else SkipReason("no asset turned stale"))


automation_sensor = AutomationConditionSensorDefinition(
    "automation", target=AssetSelection.all(), default_status=RUNNING, minimum_interval_seconds=60,
    description="Evaluates the assets' automation conditions: results of finished dates follow their inputs, the model retrains on Mondays.",
)

SENSORS = [closing_lines_sensor, lines_sensor, live_sensor, reconciliation_sensor, deadline_sensor, run_failure_alert, check_failure_alert, freshness_alert, automation_sensor]
