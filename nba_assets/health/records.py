"""What the Dagster instance recorded of game dates: first materialisations, failed checks, failed runs;
for many dates at once (a range run asks once, not once per date)."""

from collections import Counter
from datetime import datetime, timezone

from dagster import (
    AssetCheckEvaluation,
    AssetCheckKey,
    AssetKey,
    AssetRecordsFilter,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    ResourceParam,
    RunsFilter,
)
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.tags import PARTITION_NAME_TAG

PAGE = 1000


def first_materializations(instance, asset: str, partitions: list[str]) -> dict[str, datetime]:
    """When `asset` first held each of `partitions` (UTC); partitions it never held are left out."""
    first, cursor = {}, None
    while partitions:
        page = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey(asset), asset_partitions=partitions), limit=PAGE, cursor=cursor, ascending=True)
        for record in page.records:
            first.setdefault(record.partition_key, datetime.fromtimestamp(record.timestamp, tz=timezone.utc))
        if not page.has_more:
            break
        cursor = page.cursor
    return first


def first_materialized(instance, asset: str, partition: str) -> datetime | None:
    """When `asset` first held `partition` (UTC), or None if it never did."""
    return first_materializations(instance, asset, [partition]).get(partition)


def failed_checks_by_partition(instance, check_keys: list[AssetCheckKey], partitions: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Per partition of `partitions`: (asset, check, severity) of the checks among `check_keys` whose
    latest evaluation for that partition failed, sorted (one query per check for all the partitions)."""
    out = {partition: [] for partition in partitions}
    if not check_keys or not partitions:
        return out
    infos = instance.event_log_storage.get_asset_check_partition_info(list(check_keys), partition_keys=list(partitions))
    for info in infos:
        if info.partition_key in out and info.latest_execution_status == AssetCheckExecutionRecordStatus.FAILED:
            latest = instance.event_log_storage.get_latest_asset_check_execution_by_key([info.check_key], partition_filter=PartitionKeyFilter(key=info.partition_key))
            record = latest.get(info.check_key)
            evaluation = record.event.dagster_event.event_specific_data if record and record.event and record.event.dagster_event else None
            if evaluation is not None and hasattr(evaluation, "passed") and not evaluation.passed:
                out[info.partition_key].append((info.check_key.asset_key.to_user_string(), info.check_key.name, evaluation.severity.value))
    return {partition: sorted(found) for partition, found in out.items()}


def failed_runs_by_partition(instance, partitions: list[str]) -> dict[str, int]:
    """Per partition of `partitions`: how many runs of that one partition failed."""
    runs = instance.get_runs(filters=RunsFilter(tags={PARTITION_NAME_TAG: list(partitions)}, statuses=[DagsterRunStatus.FAILURE])) if partitions else []
    counts = Counter(run.tags.get(PARTITION_NAME_TAG) for run in runs)
    return {partition: counts.get(partition, 0) for partition in partitions}


# The code location's asset graph as a resource parameter of the sensors and assets that read the
# instance's record of its assets and checks (`definitions.build_defs` provides it).
AssetGraph = ResourceParam[BaseAssetGraph]


def all_check_keys(graph: BaseAssetGraph, blocking_only: bool = False) -> list[AssetCheckKey]:
    """Every asset check of `graph` (inline check specs included), or only the blocking ones."""
    return sorted((k for k in graph.asset_check_keys if not blocking_only or graph.get_check_spec(k).blocking), key=str)


def check_evaluations(instance: DagsterInstance) -> list[tuple[str, AssetCheckEvaluation]]:
    """(run id, evaluation) of every asset check evaluated in any run the instance holds."""
    out = []
    for run_id in instance.get_run_ids():
        connection = instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        out += [(run_id, record.event_log_entry.dagster_event.event_specific_data) for record in connection.records]
    return out
