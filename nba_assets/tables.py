"""The shared shape of a warehouse table asset: game-date partitions, table, group, owner, kinds, pool."""

from __future__ import annotations

from collections.abc import Mapping

from dagster import AssetIn, Backoff, BackfillPolicy, Jitter, RetryPolicy, TableColumn, TableSchema, TimeWindowPartitionMapping, asset

from nba_assets.partitions import game_date_partitions
from resources.settings import warehouse_kind
from resources.warehouse import EARLIER_DATES_ONLY

OWNER = "team:data-platform"
HISTORY_DAYS = 400


def history_in(asset_name: str, include_same_day: bool = False) -> AssetIn:
    """An input of the `HISTORY_DAYS` game dates before the partition (and the partition itself if
    `include_same_day`), loaded in one warehouse read. Features use strictly earlier dates only."""
    mapping = TimeWindowPartitionMapping(
        start_offset=-HISTORY_DAYS, end_offset=0 if include_same_day else -1, allow_nonexistent_upstream_partitions=True
    )
    return AssetIn(asset_name, partition_mapping=mapping, metadata=None if include_same_day else EARLIER_DATES_ONLY)


def table_asset(*, group: str, columns: Mapping[str, str], kinds: set[str], partitioned: bool = True, single_run_backfill: bool = False, **kwargs):
    """`@asset` for a warehouse table named after the asset.

    Every such asset writes the warehouse, so all share the `duckdb` pool (limit 1 locally: DuckDB
    allows one writing process). `single_run_backfill` makes a backfill of a range one run that
    computes every date at once (for transforms that are cheap and cannot fail on one date alone).
    """
    metadata = {"dagster/column_schema": table_schema(columns)}
    if partitioned:
        metadata["partition_expr"] = "game_date"
    def decorate(fn):
        return asset(
            partitions_def=game_date_partitions if partitioned else None,
            metadata=metadata,
            group_name=group,
            owners=[OWNER],
            kinds={"python", warehouse_kind(), *kinds},
            pool="duckdb",
            **({"backfill_policy": BackfillPolicy.single_run()} if single_run_backfill else {}),
            **kwargs,
        )(fn)

    return decorate


RAW_DATES_PER_RUN = 10
# Transient upstream trouble that outlasts a request's own retries: try the step again later.
# Contract errors (4xx, bad bodies) and "not final yet" raise Failure(allow_retries=False) instead.
SCRAPE_RETRY = RetryPolicy(max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)


def table_schema(columns: Mapping[str, str]) -> TableSchema:
    """The UI's column schema of a table given as name -> pandas dtype."""
    return TableSchema(columns=[TableColumn(name=name, type=str(dtype)) for name, dtype in columns.items()])


def raw_asset(*, columns: Mapping[str, str], kinds: set[str], partitioned: bool = True, **kwargs):
    """`@asset` for a raw table: scraped, parsed and loaded in one step. A backfill runs
    `RAW_DATES_PER_RUN` dates per run, so one bad date fails ten, not a season, and is re-run alone."""
    if partitioned:
        kwargs.setdefault("backfill_policy", BackfillPolicy.multi_run(max_partitions_per_run=RAW_DATES_PER_RUN))
    kwargs.setdefault("retry_policy", SCRAPE_RETRY)
    return table_asset(group="raw", columns=columns, kinds=kinds, partitioned=partitioned, **kwargs)
