"""What the Dagster instance recorded of a game date: first materialisations and failed checks."""

from datetime import datetime, timezone

from dagster import AssetCheckEvaluation, AssetCheckKey, AssetKey, AssetRecordsFilter, DagsterEventType, DagsterInstance, ResourceParam
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph
from dagster._core.event_api import PartitionKeyFilter


def first_materialized(instance, asset: str, partition: str) -> datetime | None:
    """When `asset` first held `partition` (UTC), or None if it never did."""
    records = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey(asset), asset_partitions=[partition]), limit=1, ascending=True).records
    return datetime.fromtimestamp(records[0].timestamp, tz=timezone.utc) if records else None


def failed_checks(instance, check_keys: list[AssetCheckKey], partition: str) -> list[tuple[str, str, str]]:
    """(asset, check, severity) of the checks among `check_keys` whose latest evaluation for `partition` failed."""
    if not check_keys:
        return []
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(check_keys, partition_filter=PartitionKeyFilter(key=partition))
    out = []
    for key, record in latest.items():
        evaluation = record.event.dagster_event.event_specific_data if record.event and record.event.dagster_event else None
        if evaluation is not None and hasattr(evaluation, "passed") and not evaluation.passed:
            out.append((key.asset_key.to_user_string(), key.name, evaluation.severity.value))
    return sorted(out)


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
