"""What the instance recorded, read for many dates at once: the same answer as date by date."""

import time

import pytest
from dagster import (
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetMaterialization,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    AssetSelection,
    AssetSpec,
    DailyPartitionsDefinition,
    MaterializeResult,
    materialize,
    multi_asset,
)

from dagster._core.event_api import PartitionKeyFilter

from nba_assets.health.records import failed_checks_by_partition, failed_runs_by_partition, first_materializations, first_materialized

DAYS = ["2025-01-18", "2025-01-19", "2025-01-20", "2025-01-21"]
VARIES, ROWS = AssetCheckKey(AssetKey("feature_store"), "feature_store_varies"), AssetCheckKey(AssetKey("feature_store"), "feature_store_rows")
VERDICT: dict[str, tuple[bool, AssetCheckSeverity]] = {}


DAILY = DailyPartitionsDefinition(start_date="2025-01-01")


@multi_asset(specs=[AssetSpec("feature_store")], partitions_def=DAILY, can_subset=True,
             check_specs=[AssetCheckSpec(key.name, asset="feature_store", partitions_def=DAILY) for key in (VARIES, ROWS)])
def checked(context):
    yield MaterializeResult(asset_key="feature_store")
    for key in context.selected_asset_check_keys:
        passed, severity = VERDICT[key.name]
        yield AssetCheckResult(check_name=key.name, passed=passed, severity=severity)


def evaluated(instance, key: AssetCheckKey, day: str, passed: bool, severity=AssetCheckSeverity.ERROR):
    """One run of `day` in which check `key` passes or fails (the other check is not evaluated)."""
    VERDICT.clear()
    VERDICT[key.name] = (passed, severity)
    selection = AssetSelection.assets("feature_store").without_checks() | AssetSelection.checks(key)
    assert materialize([checked], selection=selection, partition_key=day, instance=instance).success


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as instance:
        yield instance


def test_first_materialisation_of_each_date(instance):
    for day in ("2025-01-19", "2025-01-18", "2025-01-19"):  # the 19th twice: the first one counts
        instance.report_runless_asset_event(AssetMaterialization(asset_key="raw_games", partition=day))
        time.sleep(0.01)
    first = first_materializations(instance, "raw_games", DAYS)
    assert set(first) == {"2025-01-18", "2025-01-19"} and first["2025-01-18"] > first["2025-01-19"]
    assert [first_materialized(instance, "raw_games", day) for day in DAYS] == [first.get(day) for day in DAYS]


def test_the_latest_evaluation_of_each_check_and_date_decides(instance):
    evaluated(instance, VARIES, "2025-01-18", False)
    evaluated(instance, VARIES, "2025-01-18", True)  # fixed by a re-run: not failing any more
    evaluated(instance, VARIES, "2025-01-19", False, AssetCheckSeverity.WARN)
    evaluated(instance, ROWS, "2025-01-19", False)
    evaluated(instance, ROWS, "2025-01-20", True)
    evaluated(instance, ROWS, "2025-01-20", False)  # broken by a re-run
    found = failed_checks_by_partition(instance, [VARIES, ROWS], DAYS)
    assert found == {"2025-01-18": [], "2025-01-19": [("feature_store", "feature_store_rows", "ERROR"), ("feature_store", "feature_store_varies", "WARN")],
                     "2025-01-20": [("feature_store", "feature_store_rows", "ERROR")], "2025-01-21": []}
    assert failed_checks_by_partition(instance, [VARIES, ROWS], ["2025-01-20"]) == {"2025-01-20": found["2025-01-20"]}
    # Dagster's latest execution of each check for a date, asked date by date, says the same
    for day in DAYS:
        latest = instance.event_log_storage.get_latest_asset_check_execution_by_key([VARIES, ROWS], partition_filter=PartitionKeyFilter(key=day))
        failing = {key.name for key, record in latest.items() if not record.event.dagster_event.event_specific_data.passed}
        assert failing == {name for _, name, _ in found[day]}
    assert failed_checks_by_partition(instance, [], DAYS) == dict.fromkeys(DAYS, [])


def test_failed_runs_of_each_date(instance):
    for number, (day, status) in enumerate([("2025-01-19", DagsterRunStatus.FAILURE), ("2025-01-19", DagsterRunStatus.FAILURE),
                                           ("2025-01-20", DagsterRunStatus.SUCCESS), ("2025-01-21", DagsterRunStatus.FAILURE)]):
        instance.add_run(DagsterRun(job_name="__ASSET_JOB", run_id=f"run-{number}", status=status, tags={"dagster/partition": day}))
    assert failed_runs_by_partition(instance, DAYS) == {"2025-01-18": 0, "2025-01-19": 2, "2025-01-20": 0, "2025-01-21": 1}
