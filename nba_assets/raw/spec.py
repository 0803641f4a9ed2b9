"""The shared shape of a raw asset: game-date partitions, warehouse table, group, owner, kinds, pool."""

from __future__ import annotations

from collections.abc import Mapping

from dagster import asset

from nba_assets.partitions import game_date_partitions
from nba_assets.raw.common import table_schema
from resources.settings import warehouse_kind

OWNER = "team:data-platform"


def raw_asset(*, columns: Mapping[str, str], kinds: set[str], partitioned: bool = True, **kwargs):
    """`@asset` for a raw table: scraped, parsed and loaded in one step into the warehouse table of its name.

    Every raw asset writes the warehouse, so all share the `duckdb` pool (limit 1 locally: DuckDB
    allows one writing process).
    """
    metadata = {"dagster/column_schema": table_schema(columns)}
    if partitioned:
        metadata["partition_expr"] = "game_date"
    return asset(
        partitions_def=game_date_partitions if partitioned else None,
        metadata=metadata,
        group_name="raw",
        owners=[OWNER],
        kinds={"python", warehouse_kind(), *kinds},
        pool="duckdb",
        **kwargs,
    )
