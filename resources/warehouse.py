"""The warehouse IO managers: local DuckDB by default, BigQuery in production.

Both are Dagster's own pandas IO managers (one table per asset, named after it; a partitioned asset's
`partition_expr` metadata names its partition column) with the repairs an operation needs:

- an empty frame (an off day) still creates the table and clears the partition, instead of being
  skipped, so downstream readers find a table with its columns;
- an input of strictly earlier dates (metadata `EARLIER_DATES_ONLY`) whose table does not exist yet
  loads as an empty frame with the table's columns: nothing before the first stored date is no
  history, as a table without those rows would say; any other missing table is a clear failure;
- DuckDB writes a partition in one transaction (delete the partition's rows, insert the new ones),
  so a failed insert leaves the previous rows in place, and inserts by column name, adding columns
  that a newer version of an asset brings;
- BigQuery keeps each table partitioned by day on the partition column and replaces each game date
  of a write in one job of its own (a `WRITE_TRUNCATE` load into `table$YYYYMMDD`, or a DELETE of
  that date alone when it has no rows) instead of deleting the range, then loading it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from dagster import ConfigurableIOManagerFactory, EnvVar, Failure, InputContext, OutputContext, TimeWindow
from dagster._core.storage.db_io_manager import DbIOManager, DbTypeHandler, TableSlice
from dagster_duckdb.io_manager import DuckDbClient, _get_cleanup_statement
from dagster_duckdb_pandas import DuckDBPandasIOManager, DuckDBPandasTypeHandler
from dagster_gcp.bigquery.io_manager import BigQueryClient
from dagster_gcp_pandas import BigQueryPandasIOManager, BigQueryPandasTypeHandler

from resources.errors import ConfigurationError

WAREHOUSES = ("duckdb", "bigquery")
# Metadata of an input that reads only dates before the partition (histories, training windows).
EARLIER_DATES_ONLY = {"earlier_dates_only": True}
DUCKDB_FILE = "warehouse.duckdb"
SCHEMA = "nba"


class _DuckDBFrames(DuckDBPandasTypeHandler):
    def handle_output(self, context: OutputContext, table_slice: TableSlice, obj: pd.DataFrame, connection):
        table = f"{table_slice.schema}.{table_slice.table}"
        connection.register("incoming_frame", obj)
        try:
            connection.execute(f"create table if not exists {table} as select * from incoming_frame limit 0").fetchall()
            existing = {row[0] for row in connection.execute(f"describe {table}").fetchall()}
            for column in obj.columns:
                if column not in existing:
                    kind = connection.execute(f'select typeof("{column}") from incoming_frame limit 1').fetchall()
                    sql_type = kind[0][0] if kind else "VARCHAR"
                    connection.execute(f'alter table {table} add column "{column}" {sql_type}').fetchall()
            if len(obj):
                connection.execute(f"insert into {table} by name select * from incoming_frame").fetchall()
        finally:
            connection.unregister("incoming_frame")
        context.add_output_metadata({"dagster/partition_row_count" if context.has_partition_key else "dagster/row_count": len(obj)})

    def load_input(self, context: InputContext, table_slice: TableSlice, connection) -> pd.DataFrame:
        if not table_exists(connection, table_slice.schema, table_slice.table):
            return no_table_yet(context, table_slice)
        return super().load_input(context, table_slice, connection)


def no_table_yet(context: InputContext, table_slice: TableSlice) -> pd.DataFrame:
    """What reading a table that does not exist gives: for an input of earlier dates only, no rows
    (with the columns of the upstream asset's column schema); for any other input, `MissingTable`."""
    table = f"{table_slice.schema}.{table_slice.table}"
    if not context.definition_metadata.get("earlier_dates_only"):
        raise MissingTable(f"table {table} does not exist yet: materialise {table_slice.table} first")
    schema = (context.upstream_output.definition_metadata if context.upstream_output else {}).get("dagster/column_schema")
    if schema is None:
        raise MissingTable(f"table {table} does not exist yet and its asset declares no column schema to read it as empty")
    context.log.info(f"{table} does not exist yet: its earlier dates are read as no rows")
    return pd.DataFrame({column.name: pd.Series(dtype=column.type) for column in schema.columns})


class MissingTable(Failure):
    """An asset reads a table that no materialisation has created yet (retrying the step cannot help)."""

    def __init__(self, message: str):
        super().__init__(description=message, allow_retries=False)
        self.message = message

    def __str__(self) -> str:
        return self.message


def table_exists(connection, schema: str, table: str) -> bool:
    return bool(
        connection.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchall()[0][0]
    )


class _TransactionalDuckDbClient(DuckDbClient):
    # DuckDB 2 refuses new work on a connection until the previous statement's result is consumed.
    @staticmethod
    def ensure_schema_exists(context: OutputContext, table_slice: TableSlice, connection) -> None:
        connection.execute(f"create schema if not exists {table_slice.schema}").fetchall()

    @staticmethod
    def delete_table_slice(context: OutputContext, table_slice: TableSlice, connection) -> None:
        # Inside a transaction a failed DELETE (no table yet) would abort it: look before deleting.
        if table_exists(connection, table_slice.schema, table_slice.table):
            connection.execute(_get_cleanup_statement(table_slice)).fetchall()

    @staticmethod
    @contextmanager
    def connect(context, table_slice):
        Path(context.resource_config["database"]).parent.mkdir(parents=True, exist_ok=True)
        session = DuckDbClient.connect(context, table_slice)
        conn = session.__enter__()
        try:
            conn.execute("begin transaction").fetchall()
            try:
                yield conn
            except BaseException:
                conn.execute("rollback").fetchall()
                raise
            conn.execute("commit").fetchall()
        finally:
            conn.close()  # also when the step failed: an open handle would lock the file for other readers


class WarehouseDuckDBIOManager(DuckDBPandasIOManager):
    """DuckDB warehouse: one table per asset in schema `nba`, each partition written in one transaction."""

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler]:
        return [_DuckDBFrames()]

    def create_io_manager(self, context) -> DbIOManager:
        return DbIOManager(
            db_client=_TransactionalDuckDbClient(),
            database=self.database,
            schema=self.schema_,
            type_handlers=self.type_handlers(),
            default_load_type=pd.DataFrame,
            io_manager_name="WarehouseDuckDBIOManager",
        )


class _BigQueryFrames(BigQueryPandasTypeHandler):
    def handle_output(self, context: OutputContext, table_slice: TableSlice, obj: pd.DataFrame, connection):
        if _game_date_window(table_slice) is not None:
            return _write_days(context, table_slice, obj, connection)
        if not obj.empty:
            return super().handle_output(context, table_slice, obj, connection)
        job = connection.load_table_from_dataframe(
            dataframe=obj.rename(columns=str.upper),
            destination=f"{table_slice.schema}.{table_slice.table}",
            project=table_slice.database,
        )
        job.result()
        context.add_output_metadata({"dagster/partition_row_count" if context.has_partition_key else "dagster/row_count": 0})

    def load_input(self, context: InputContext, table_slice: TableSlice, connection) -> pd.DataFrame:
        from google.api_core.exceptions import NotFound

        try:
            connection.get_table(f"{table_slice.database}.{table_slice.schema}.{table_slice.table}")
        except NotFound:
            return no_table_yet(context, table_slice)
        return super().load_input(context, table_slice, connection)


def _game_date_window(table_slice: TableSlice):
    """The (start, end) of a slice partitioned by one time window (game dates), else None."""
    dimensions = table_slice.partition_dimensions or []
    if len(dimensions) == 1 and isinstance(dimensions[0].partitions, TimeWindow):
        return dimensions[0].partitions
    return None


def _write_days(context: OutputContext, table_slice: TableSlice, obj: pd.DataFrame, connection) -> None:
    """Each game date of the slice in one BigQuery job of its own, so that no reader ever sees a date
    half written: a `WRITE_TRUNCATE` load into the date's partition (`table$YYYYMMDD` of a table
    partitioned by day on the partition column), or, for a date without rows, one DELETE of it."""
    from google.api_core.exceptions import NotFound
    from google.cloud import bigquery

    column = table_slice.partition_dimensions[0].partition_expr.upper()
    start, end = (moment.replace(tzinfo=None) for moment in _game_date_window(table_slice))
    frame = obj.rename(columns=str.upper)
    days = pd.to_datetime(frame[column]) if len(frame) else pd.Series(dtype="datetime64[ns]")
    outside = frame[(days < start) | (days >= end)]
    if len(outside):
        raise Failure(description=f"{table_slice.table}: {len(outside)} rows have a {column.lower()} outside {start:%Y-%m-%d}..{end:%Y-%m-%d}; nothing was written", allow_retries=False)
    table = f"{table_slice.database}.{table_slice.schema}.{table_slice.table}"
    try:
        schema = connection.get_table(table).schema  # the table's own types, also for an all-null column of a day
    except NotFound:
        schema = None
    partitioning = bigquery.TimePartitioning(type_=bigquery.TimePartitioningType.DAY, field=column)
    if schema is None:  # the first write creates the table, partitioned by day, with the frame's columns
        connection.load_table_from_dataframe(frame.head(0), table, job_config=bigquery.LoadJobConfig(time_partitioning=partitioning),
                                             project=table_slice.database).result()
    for day in pd.date_range(start, end, freq="D", inclusive="left"):
        rows = frame[days == day]
        if rows.empty:
            connection.query(f"DELETE FROM `{table}` WHERE {column} >= '{day:%Y-%m-%d %H:%M:%S}' AND {column} < '{day + pd.Timedelta(days=1):%Y-%m-%d %H:%M:%S}'").result()
            continue
        config = bigquery.LoadJobConfig(
            write_disposition=bigquery.WriteDisposition.WRITE_TRUNCATE, time_partitioning=partitioning,
            schema=[field for field in schema or [] if field.name in frame.columns] or None,  # columns a newer version adds are detected
            schema_update_options=[bigquery.SchemaUpdateOption.ALLOW_FIELD_ADDITION],
        )
        connection.load_table_from_dataframe(rows, f"{table}${day:%Y%m%d}", job_config=config, project=table_slice.database).result()
    context.add_output_metadata({"dagster/partition_row_count" if context.has_partition_key else "dagster/row_count": len(obj)})


class _PartitionWritingBigQueryClient(BigQueryClient):
    """dagster-gcp's client, but a game-date slice is not deleted beforehand: each date is replaced by one job."""

    @staticmethod
    def delete_table_slice(context: OutputContext, table_slice: TableSlice, connection) -> None:
        if _game_date_window(table_slice) is None:
            BigQueryClient.delete_table_slice(context, table_slice, connection)

    @staticmethod
    @contextmanager
    def connect(context, table_slice):
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import bigquery

        config = context.resource_config or {}
        # A BigQuery emulator (BIGQUERY_EMULATOR_HOST, which the client library honours) takes no credentials.
        credentials = AnonymousCredentials() if os.environ.get("BIGQUERY_EMULATOR_HOST") else None
        client = bigquery.Client(project=config.get("project") or None, location=config.get("location") or None, credentials=credentials)
        try:
            yield client
        finally:
            client.close()


class WarehouseBigQueryIOManager(BigQueryPandasIOManager):
    """BigQuery warehouse (dagster-gcp): dataset `BQ_DATASET` in project `GCP_PROJECT`; tables partitioned
    by day on `game_date`, each game date written by one job of its own."""

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler]:
        return [_BigQueryFrames()]

    def create_io_manager(self, context) -> DbIOManager:
        return DbIOManager(
            db_client=_PartitionWritingBigQueryClient(write_mode=self.write_mode, gcp_credentials=self.gcp_credentials),
            database=self.project,
            schema=self.dataset,
            type_handlers=self.type_handlers(),
            default_load_type=pd.DataFrame,
            io_manager_name="WarehouseBigQueryIOManager",
        )


def warehouse_io_manager(kind: str, data_dir: str) -> ConfigurableIOManagerFactory:
    """The IO manager for `NBA_WAREHOUSE`: `duckdb` (a file under `data_dir`) or `bigquery`."""
    if kind == "duckdb":
        return WarehouseDuckDBIOManager(database=str(Path(data_dir) / DUCKDB_FILE), schema=SCHEMA)
    if kind == "bigquery":
        missing = [name for name in ("GCP_PROJECT", "BQ_DATASET") if not os.environ.get(name)]
        if missing:
            raise ConfigurationError(f"NBA_WAREHOUSE=bigquery needs {' and '.join(missing)} in the environment")
        return WarehouseBigQueryIOManager(project=EnvVar("GCP_PROJECT"), dataset=EnvVar("BQ_DATASET"))
    raise ConfigurationError(f"NBA_WAREHOUSE={kind!r} is not one of {', '.join(WAREHOUSES)}")
