"""The BigQuery warehouse writes each game date in one job of its own, against a local stand-in of
BigQuery's REST API (the network boundary: `BIGQUERY_EMULATOR_HOST`, which the client library honours).

The stand-in records every job the IO manager sends (query jobs and load jobs with their parquet
rows) and answers as BigQuery does; the tests assert what was sent: one `WRITE_TRUNCATE` load per
date into `table$YYYYMMDD` of a table partitioned by day on `GAME_DATE`, no delete of the whole
range beforehand, a date without rows cleared by one DELETE of that date alone, and rows outside the
partition refused before anything is written.
"""

from __future__ import annotations

import io
import json
import re
import threading
import uuid
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pyarrow.parquet as pq
import pytest
from dagster import DailyPartitionsDefinition, asset, materialize

from resources.warehouse import WarehouseBigQueryIOManager

PROJECT, DATASET = "test-project", "nba"
DAYS = DailyPartitionsDefinition(start_date="2025-01-01", timezone="America/New_York")


class FakeBigQuery(BaseHTTPRequestHandler):
    """Just enough of BigQuery v2: jobs.insert (queries; loads by multipart upload), jobs.get,
    jobs.getQueryResults, tables.get. Every job is DONE at once."""

    jobs: dict = {}
    tables: dict = {}
    log: list = []

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _job(self, configuration: dict, rows: pd.DataFrame | None = None, types=None) -> dict:
        job_id = configuration.pop("_job_id", None) or uuid.uuid4().hex
        job = {"jobReference": {"projectId": PROJECT, "jobId": job_id, "location": "US"}, "configuration": configuration,
               "status": {"state": "DONE"}, "statistics": {"creationTime": "1", "startTime": "1", "endTime": "2"}}
        self.jobs[job_id] = job
        self.log.append({"configuration": configuration, "rows": rows})
        if "load" in configuration:
            table_id = configuration["load"]["destinationTable"]["tableId"].split("$")[0]
            self.tables.setdefault(table_id, configuration["load"].get("schema") or {"fields": bigquery_fields(types)})
        return job

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/upload/"):
            message = BytesParser(policy=email_policy).parsebytes(b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
            parts = list(message.iter_parts())
            resource = json.loads(parts[0].get_content())
            parquet = pq.read_table(io.BytesIO(parts[1].get_payload(decode=True)))
            configuration = resource["configuration"]
            configuration["_job_id"] = resource.get("jobReference", {}).get("jobId")
            return self._send(200, self._job(configuration, parquet.to_pandas(), parquet.schema))
        resource = json.loads(body or b"{}")
        configuration = resource.get("configuration", {})
        configuration["_job_id"] = resource.get("jobReference", {}).get("jobId")
        return self._send(200, self._job(configuration))

    def do_GET(self):
        path = self.path.split("?")[0]
        if match := re.search(r"/queries/([^/]+)$", path):
            job = self.jobs[match.group(1)]
            return self._send(200, {"kind": "bigquery#getQueryResultsResponse", "jobReference": job["jobReference"], "jobComplete": True,
                                    "totalRows": "0", "rows": [], "schema": {"fields": []}})
        if match := re.search(r"/jobs/([^/]+)$", path):
            return self._send(200, self.jobs[match.group(1)])
        if match := re.search(r"/datasets/([^/]+)/tables/([^/]+)$", path):
            table = match.group(2)
            if table not in self.tables:
                return self._send(404, {"error": {"code": 404, "message": f"Not found: Table {PROJECT}:{DATASET}.{table}", "status": "NOT_FOUND"}})
            return self._send(200, {"tableReference": {"projectId": PROJECT, "datasetId": DATASET, "tableId": table}, "schema": self.tables[table]})
        return self._send(404, {"error": {"code": 404, "message": f"not in the stand-in: GET {path}"}})


def bigquery_fields(schema) -> list[dict]:
    """BigQuery's column types for a parquet schema, as a load job would create the table."""
    import pyarrow as pa

    def kind(t):
        if pa.types.is_timestamp(t):
            return "TIMESTAMP" if t.tz else "DATETIME"
        if pa.types.is_floating(t):
            return "FLOAT"
        if pa.types.is_integer(t):
            return "INTEGER"
        if pa.types.is_boolean(t):
            return "BOOLEAN"
        return "STRING"

    return [{"name": field.name, "type": kind(field.type), "mode": "NULLABLE"} for field in schema]


@pytest.fixture
def bigquery(monkeypatch):
    FakeBigQuery.jobs, FakeBigQuery.tables, FakeBigQuery.log = {}, {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBigQuery)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("BIGQUERY_EMULATOR_HOST", f"http://127.0.0.1:{server.server_port}")
    try:
        yield FakeBigQuery
    finally:
        server.shutdown()
        server.server_close()


def games_asset(frame_for):
    @asset(partitions_def=DAYS, metadata={"partition_expr": "game_date"}, io_manager_key="warehouse")
    def games(context):
        window = context.partition_time_window
        return frame_for(pd.Timestamp(window.start.replace(tzinfo=None)), pd.Timestamp(window.end.replace(tzinfo=None)))

    return games


def rows_on(days: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"game_date": pd.to_datetime(days), "game_id": [f"{d.replace('-', '')}_BOS_NYK" for d in days], "points": [110.0] * len(days)})


def loads(log: list) -> list[dict]:
    return [entry for entry in log if "load" in entry["configuration"]]


def queries(log: list) -> list[str]:
    return [entry["configuration"]["query"]["query"] for entry in log if "query" in entry["configuration"]]


def run(asset_def, partition_range: tuple[str, str]):
    warehouse = WarehouseBigQueryIOManager(project=PROJECT, dataset=DATASET)
    start, end = partition_range
    return materialize([asset_def], resources={"warehouse": warehouse}, partition_key=start if start == end else None,
                       tags={} if start == end else {"dagster/asset_partition_range_start": start, "dagster/asset_partition_range_end": end},
                       raise_on_error=False)


def test_each_game_date_is_replaced_by_one_truncating_load_into_its_partition(bigquery):
    days = ["2025-01-20", "2025-01-22"]  # 2025-01-21 has no games
    result = run(games_asset(lambda start, end: rows_on([d for d in days if start <= pd.Timestamp(d) < end])), ("2025-01-20", "2025-01-22"))
    assert result.success
    written = loads(bigquery.log)
    first, per_day = written[0], written[1:]
    assert first["configuration"]["load"]["destinationTable"]["tableId"] == "games" and first["rows"].empty  # creates the table
    assert first["configuration"]["load"]["timePartitioning"] == {"type": "DAY", "field": "GAME_DATE"}
    assert [w["configuration"]["load"]["destinationTable"]["tableId"] for w in per_day] == ["games$20250120", "games$20250122"]
    for w, day in zip(per_day, days):
        assert w["configuration"]["load"]["writeDisposition"] == "WRITE_TRUNCATE"
        assert w["configuration"]["load"]["timePartitioning"] == {"type": "DAY", "field": "GAME_DATE"}
        assert list(w["rows"]["GAME_DATE"].dt.strftime("%Y-%m-%d")) == [day]  # only that date's rows
    deletes = [q for q in queries(bigquery.log) if q.startswith("DELETE")]
    assert deletes == ["DELETE FROM `test-project.nba.games` WHERE GAME_DATE >= '2025-01-21 00:00:00' AND GAME_DATE < '2025-01-22 00:00:00'"]


def test_a_second_write_keeps_the_table_and_its_types(bigquery):
    asset_def = games_asset(lambda start, end: rows_on([f"{start:%Y-%m-%d}"]))
    assert run(asset_def, ("2025-01-20", "2025-01-20")).success
    bigquery.log.clear()
    assert run(asset_def, ("2025-01-20", "2025-01-20")).success
    [again] = loads(bigquery.log)  # no table creation, one load of the date
    assert again["configuration"]["load"]["destinationTable"]["tableId"] == "games$20250120"
    assert [f["name"] for f in again["configuration"]["load"]["schema"]["fields"]] == ["GAME_DATE", "GAME_ID", "POINTS"]
    assert not [q for q in queries(bigquery.log) if q.startswith(("DELETE", "TRUNCATE", "DROP"))]
    bigquery.log.clear()
    newer = games_asset(lambda start, end: rows_on([f"{start:%Y-%m-%d}"]).assign(minutes=240.0))  # a newer version adds a column
    assert run(newer, ("2025-01-20", "2025-01-20")).success
    [added] = loads(bigquery.log)
    assert [f["name"] for f in added["configuration"]["load"]["schema"]["fields"]] == ["GAME_DATE", "GAME_ID", "POINTS", "MINUTES"]
    assert added["configuration"]["load"]["schemaUpdateOptions"] == ["ALLOW_FIELD_ADDITION"]


def test_rows_outside_the_partition_are_refused_before_anything_is_written(bigquery):
    result = run(games_asset(lambda start, end: rows_on([f"{start:%Y-%m-%d}", "2025-02-01"])), ("2025-01-20", "2025-01-20"))
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "games: 1 rows have a game_date outside 2025-01-20..2025-01-21; nothing was written" in failure.event_specific_data.error.message
    assert not loads(bigquery.log) and not [q for q in queries(bigquery.log) if q.startswith("DELETE")]
