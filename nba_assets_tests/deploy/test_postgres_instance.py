"""The production instance (`deploy/dagster.yaml`) on a real, throwaway PostgreSQL server.

A PostgreSQL server is created in a temporary folder, listening on a free TCP port of 127.0.0.1 only
(password authentication), and `DAGSTER_HOME` holds nothing but a copy of `deploy/dagster.yaml`,
with its connection read from `DAGSTER_PG_*`. On that instance, with the simulated league and a
DuckDB warehouse:

1. a backfill of the raw assets, the player registry and the game summaries over 2025-01-19 .. 01-21
   (two runs under the assets' backfill policies) is launched with the GraphQL
   mutation the UI sends (`launchPartitionBackfill`), then carried out by Dagster's own daemon code
   (backfill daemon and queued-run coordinator iterations, in this process) against the code location
   of `workspace.yaml` served by a gRPC code server, each run in its own process as in production;
2. `PartitionRunner` (`nba-assets run`) materialises the raw and analytics assets for today,
   2025-01-22, in this process (today's box scores and game summaries wait for its games);
3. one tick of the sensor daemon evaluates `lines_sensor`, which sees today's odds snapshot.

Everything is then read back through the instance and, with psycopg2, straight from PostgreSQL's
tables. Skipped without PostgreSQL binaries, unless NBA_POSTGRES_TEST_REQUIRED=1 (CI), then failed.
"""

from __future__ import annotations

import glob
import logging
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from nba_assets_tests.ui_driver import LAUNCH_BACKFILL

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_YAML = REPO_ROOT / "deploy" / "dagster.yaml"
REQUIRED = os.environ.get("NBA_POSTGRES_TEST_REQUIRED") == "1"

CLOCK = "2025-01-22T12:00:00-05:00"  # today is 2025-01-22 (ET)
BACKFILL_DATES = ("2025-01-19", "2025-01-20", "2025-01-21")
RUNNER_DATES = ("2025-01-22",)
TODAY = "2025-01-22"
ASSETS = {"raw_games", "raw_box_scores", "raw_espn_rosters", "raw_injuries", "raw_odds_events", "raw_player_props",  # raw and analytics
          "player_registry", "player_game_summary", "team_game_summary", "upcoming_team_game_context", "upcoming_player_game_context"}
RESULTS_OF_A_DATE = {"raw_box_scores", "player_game_summary", "team_game_summary"}  # today's wait for its games
RAW = {name for name in ASSETS if name.startswith("raw_")}
# the backfill: raw and what the next dates' upcoming contexts read (their history); the runner: everything
BACKFILLED = RAW | {"player_registry", "player_game_summary", "team_game_summary"}
BACKFILL_TIMEOUT = 420  # seconds; a loaded 2-core machine takes well under half of it



def unavailable(reason: str):
    """Skip, or fail when the CI asks for this test to run (NBA_POSTGRES_TEST_REQUIRED=1)."""
    if REQUIRED:
        pytest.fail(f"{reason} (NBA_POSTGRES_TEST_REQUIRED=1: the PostgreSQL test must run)", pytrace=False)
    pytest.skip(reason)


def postgres_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL (/usr/lib/postgresql/N/bin), else initdb and pg_ctl on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found and Path(found[-1]).with_name("pg_ctl").exists():
        return Path(found[-1]).parent
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).resolve().parent
    return None


def server_account() -> pwd.struct_passwd | None:
    """Who runs the server. PostgreSQL refuses to run as root: as root (this machine, CI), Debian's
    `postgres` account (created by the postgresql package), else `nobody`; otherwise ourselves."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    bin_dir: Path
    folder: Path
    account: pwd.struct_passwd
    port: int = 0
    user: str = "dagster"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    db: str = "dagster"
    host: str = "127.0.0.1"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """A PostgreSQL binary as the server's account (setuid/setgid in the child when we are root)."""
        drop = {}
        if os.geteuid() == 0:
            drop = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]], cwd=self.folder, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=timeout, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}, check=False, **drop,
        )

    def init(self) -> None:
        (self.folder / "pwfile").write_text(self.password + "\n")
        if os.geteuid() == 0:
            for path in (self.folder, self.folder / "pwfile"):
                os.chown(path, self.account.pw_uid, self.account.pw_gid)
        os.chmod(self.folder, 0o700)
        done = self._run("initdb", "-D", str(self.data), "-U", self.user, f"--pwfile={self.folder / 'pwfile'}", "--auth=scram-sha-256",
                         "-E", "UTF8", "--locale=C", "--no-sync")
        (self.folder / "pwfile").unlink()
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        """pg_ctl start on a free port of 127.0.0.1 (TCP only; its socket file stays in its own folder);
        a port taken between choosing and binding it gets another try."""
        for _ in range(3):
            self.port = free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='{self.folder}' "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")  # a throwaway: no durability needed
            done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
            if done.returncode == 0:
                return
        raise RuntimeError(f"pg_ctl start failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{self.log_tail()}")

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        done = self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop", timeout=60)
        if done.returncode != 0 and (self.data / "postmaster.pid").exists():  # pg_ctl could not stop it: the postmaster is ours to kill
            try:
                os.kill(int((self.data / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)
            except (OSError, ValueError):
                pass

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def connect(self, db: str | None = None):
        import psycopg2

        return psycopg2.connect(host=self.host, port=self.port, user=self.user, password=self.password, dbname=db or self.db, connect_timeout=10)

    def env(self) -> dict[str, str]:
        return {"DAGSTER_PG_HOST": self.host, "DAGSTER_PG_PORT": str(self.port), "DAGSTER_PG_USER": self.user,
                "DAGSTER_PG_PASSWORD": self.password, "DAGSTER_PG_DB": self.db}


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server with an empty `dagster` database; always stopped and deleted."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        unavailable("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin/initdb, or initdb and pg_ctl on PATH): apt-get install postgresql")
    account = server_account()
    if account is None:
        unavailable("running as root and no unprivileged account (postgres, nobody) to run PostgreSQL as")
    folder = Path(tempfile.mkdtemp(prefix="nba-postgres-"))  # under /tmp: pytest's own tmp folders are closed to other accounts
    server = PostgresServer(bin_dir, folder, account)
    try:
        server.init()
        server.start()
        conn = server.connect("postgres")
        try:
            conn.autocommit = True  # CREATE DATABASE runs outside a transaction
            conn.cursor().execute(f"create database {server.db}")
        finally:
            conn.close()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Deployment:
    """What the scenario did, and the handles to read it back."""

    server: PostgresServer
    home: Path
    data_dir: Path
    instance_types: dict[str, str]
    concurrency: object
    backfill_id: str
    backfill_status: str
    runner_failures: list
    runner_lines: list[str]
    sensor_origin_id: str
    sensor_selector_id: str
    timings: dict[str, float]
    run_log: list[str]
    daemon_errors: list[str]


def consume(iterator, errors: list[str]) -> None:
    """Drive one daemon iteration; the errors it reports (it does not raise them) go to `errors`."""
    from dagster._utils.error import SerializableErrorInfo

    errors += [item.to_string() for item in iterator if isinstance(item, SerializableErrorInfo)]


@pytest.fixture(scope="module")
def deployment(postgres, tmp_path_factory):
    """Run the scenario once on the Postgres-backed instance (see the module docstring)."""
    from dagster import AssetSelection, DagsterInstance
    from dagster._core.execution.backfill import BULK_ACTION_TERMINAL_STATUSES
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import WorkspaceFileTarget
    from dagster._daemon.backfill import execute_backfill_iteration
    from dagster._daemon.controller import create_daemon_grpc_server_registry
    from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon
    from dagster._daemon.sensor import execute_sensor_iteration
    from dagster_graphql.test.utils import execute_dagster_graphql

    folder = tmp_path_factory.mktemp("deploy")
    home, data_dir = folder / "dagster_home", folder / "data"
    home.mkdir()
    shutil.copy(DEPLOY_YAML, home / "dagster.yaml")
    logger = logging.getLogger("nba_assets_tests.deploy")
    timings: dict[str, float] = {}
    errors: list[str] = []

    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith(("NBA_", "BDL_", "ESPN_", "ODDS_API_", "DAGSTER_", "GCP_PROJECT", "BQ_DATASET"))]:
            patch.delenv(name)
        for name, value in {**postgres.env(), "DAGSTER_HOME": str(home), "NBA_SOURCE": "simulated", "NBA_WAREHOUSE": "duckdb",
                            "NBA_DATA_DIR": str(data_dir), "NBA_CLOCK": CLOCK}.items():
            patch.setenv(name, value)

        from nba_assets.definitions import build_defs
        from nba_assets.runner import PartitionRunner

        defs = build_defs()
        keys = (AssetSelection.groups("raw", "analytics") - AssetSelection.assets("live_box_scores")).resolve(defs.resolve_asset_graph())
        assert {key.to_user_string() for key in keys} == ASSETS

        with DagsterInstance.get() as instance:
            types = {"run_storage": type(instance.run_storage).__name__, "event_log_storage": type(instance.event_log_storage).__name__,
                     "schedule_storage": type(instance.schedule_storage).__name__, "run_coordinator": type(instance.run_coordinator).__name__}
            began = time.monotonic()
            # The daemon's own setup: a gRPC code server for the code location of workspace.yaml.
            with (
                create_daemon_grpc_server_registry(instance) as registry,
                WorkspaceProcessContext(instance, WorkspaceFileTarget(paths=[str(REPO_ROOT / "workspace.yaml")]), grpc_server_registry=registry) as workspace,
            ):
                location = workspace.create_request_context().get_code_location("nba_assets")
                repo = next(iter(location.get_repositories().values()))
                timings["code server"] = time.monotonic() - began

                # Only lines_sensor may tick (the others default to RUNNING too): stopped as `dagster sensor stop` does.
                lines = None
                for sensor in repo.get_sensors():
                    if sensor.name == "lines_sensor":
                        lines = sensor
                    else:
                        instance.stop_sensor(sensor.get_remote_origin_id(), sensor.selector_id, sensor)

                # 1. the backfill, as the UI launches it, carried out by the daemon's code
                began = time.monotonic()
                partitions = [{"assetKey": {"path": [name]}, "partitions": {"range": {"start": BACKFILL_DATES[0], "end": BACKFILL_DATES[-1]}}}
                              for name in sorted(BACKFILLED)]
                result = execute_dagster_graphql(workspace.create_request_context(), LAUNCH_BACKFILL,
                                                 {"params": {"partitionsByAssets": partitions, "title": "deploy test"}})
                launched = result.data["launchPartitionBackfill"]
                assert launched["__typename"] == "LaunchBackfillSuccess", launched
                backfill_id = launched["backfillId"]
                with QueuedRunCoordinatorDaemon(interval_seconds=1) as queue:
                    deadline = time.monotonic() + BACKFILL_TIMEOUT
                    while True:
                        consume(execute_backfill_iteration(workspace, logger), errors)
                        consume(queue.run_iteration(workspace), errors)
                        backfill = instance.get_backfill(backfill_id)
                        if backfill.status in BULK_ACTION_TERMINAL_STATUSES:
                            break
                        if time.monotonic() > deadline:
                            runs = instance.get_runs()
                            for run in runs:  # leave no run process behind
                                if not run.is_finished:
                                    try:
                                        instance.run_launcher.terminate(run.run_id)
                                    except Exception as error:  # noqa: BLE001 - best effort before failing
                                        errors.append(f"terminating {run.run_id}: {error}")
                            pytest.fail(f"backfill {backfill_id} still {backfill.status.value} after {BACKFILL_TIMEOUT} s; "
                                        f"runs {[(r.run_id[:8], r.status.value) for r in runs]}; daemon errors {errors}")
                        time.sleep(1)
                timings["backfill"] = time.monotonic() - began

                # 2. `nba-assets run` for today, in this process
                began = time.monotonic()
                echoed: list[str] = []
                runner = PartitionRunner(defs, sorted(keys), instance, echo=echoed.append)
                failures = runner.run_range(date.fromisoformat(RUNNER_DATES[0]), date.fromisoformat(RUNNER_DATES[-1]))
                timings["runner"] = time.monotonic() - began

                # 3. one tick of the sensor daemon: lines_sensor sees today's odds snapshot
                began = time.monotonic()
                consume(execute_sensor_iteration(workspace, logger, threadpool_executor=None, submit_threadpool_executor=None), errors)
                timings["sensor tick"] = time.monotonic() - began

            run_log = [describe(record) for record in sorted(instance.get_run_records(), key=lambda r: r.create_timestamp)]
            yield Deployment(
                server=postgres, home=home, data_dir=data_dir, instance_types=types, concurrency=instance.get_concurrency_config(),
                backfill_id=backfill_id, backfill_status=backfill.status.value, runner_failures=failures, runner_lines=echoed,
                sensor_origin_id=lines.get_remote_origin_id(), sensor_selector_id=lines.selector_id, timings=timings, run_log=run_log,
                daemon_errors=errors,
            )


def describe(record) -> str:
    """One line per run, for failure messages and the summary: what launched it, its assets, status, seconds."""
    run = record.dagster_run
    by = "backfill" if run.tags.get("dagster/backfill") else run.tags.get("dagster/sensor_name") or run.tags.get("nba-assets/launched-by") or "?"
    assets = ",".join(sorted(k.to_user_string() for k in run.asset_selection or []))
    span = f"{record.end_time - record.start_time:5.1f}s" if record.start_time and record.end_time else "  -  "
    dates = run.tags.get("dagster/asset_partition_range_start") or run.tags.get("dagster/partition")
    return f"{by:12} {run.status.value:8} {span} {dates} .. {run.tags.get('dagster/asset_partition_range_end', '')}  {assets}"


@pytest.fixture
def instance(deployment, monkeypatch):
    """A fresh instance from DAGSTER_HOME (deploy/dagster.yaml), as the webserver would load it."""
    from dagster import DagsterInstance

    for name, value in {**deployment.server.env(), "DAGSTER_HOME": str(deployment.home)}.items():
        monkeypatch.setenv(name, value)
    with DagsterInstance.get() as instance:
        yield instance


def sql(server: PostgresServer, query: str, *params) -> list[tuple]:
    with server.connect() as conn, conn.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    conn.close()
    return rows


def test_the_instance_is_postgres_from_deploy_yaml(deployment):
    assert deployment.instance_types == {"run_storage": "PostgresRunStorage", "event_log_storage": "PostgresEventLogStorage",
                                         "schedule_storage": "PostgresScheduleStorage", "run_coordinator": "QueuedRunCoordinator"}
    queue = deployment.concurrency.run_queue_config
    assert queue.max_concurrent_runs == 4
    assert {(limit["key"], limit.get("value"), limit["limit"]) for limit in queue.tag_concurrency_limits} == {
        ("dagster/backfill", None, 2), ("nba-assets/reconcile", None, 1), ("dagster/sensor_name", "live_sensor", 1)}
    assert deployment.concurrency.pool_config.default_pool_limit == 1
    # nothing of the instance lives in SQLite files, and the password is in no file of DAGSTER_HOME
    assert not [p for p in deployment.home.rglob("*") if p.suffix in {".db", ".sqlite"}]
    assert "DAGSTER_PG_PASSWORD" in DEPLOY_YAML.read_text()
    assert not [p for p in deployment.home.rglob("*") if p.is_file() and deployment.server.password.encode() in p.read_bytes()]


def test_the_backfill_ran_under_the_daemon_and_is_recorded(deployment, instance):
    from dagster import AssetKey, DagsterRunStatus, RunsFilter

    log = "\n".join(deployment.run_log)
    assert not deployment.daemon_errors, "\n".join(deployment.daemon_errors)
    assert deployment.backfill_status == "COMPLETED_SUCCESS", log
    backfill = instance.get_backfill(deployment.backfill_id)
    assert backfill.status.value == "COMPLETED_SUCCESS" and backfill.title == "deploy test" and backfill.is_asset_backfill
    runs = instance.get_runs(RunsFilter(tags={"dagster/backfill": deployment.backfill_id}))
    assert runs and {r.status for r in runs} == {DagsterRunStatus.SUCCESS}, log
    # The daemon plans the runs under the assets' policies: the raw assets in one run over the range
    # (up to 10 dates a run), then, once they are stored, the analytics in one run over the range.
    assert len(runs) == 2, log
    selections = sorted((sorted(k.to_user_string() for k in r.asset_selection), run_dates(r)) for r in runs)
    assert selections == [(sorted(BACKFILLED - RAW), list(BACKFILL_DATES)), (sorted(RAW), list(BACKFILL_DATES))], log
    analytics, raw = sorted(runs, key=lambda r: any(k.to_user_string() in RAW for k in r.asset_selection))
    raw_end = instance.get_run_record_by_id(raw.run_id).end_time
    assert raw_end <= instance.get_run_record_by_id(analytics.run_id).start_time  # the daemon waited for the raw run
    for name in BACKFILLED:
        assert set(BACKFILL_DATES) <= instance.get_materialized_partitions(AssetKey(name)), name


def run_dates(run) -> list[str]:
    from datetime import timedelta

    first = run.tags.get("dagster/asset_partition_range_start") or run.tags["dagster/partition"]
    last = run.tags.get("dagster/asset_partition_range_end") or first
    span = (date.fromisoformat(last) - date.fromisoformat(first)).days
    return [(date.fromisoformat(first) + timedelta(days=i)).isoformat() for i in range(span + 1)]


def expected_dates(name: str) -> set[str]:
    """The partitions of an asset after the scenario: the backfill's dates if it was backfilled, the
    runner's, but today's results (box scores, game summaries) wait for its games to end."""
    dates = set(RUNNER_DATES) | (set(BACKFILL_DATES) if name in BACKFILLED else set())
    return dates - {TODAY} if name in RESULTS_OF_A_DATE else dates


def test_the_runner_runs_and_their_materialisations_are_in_postgres(deployment, instance):
    from dagster import AssetKey, AssetRecordsFilter, DagsterEventType, DagsterRunStatus, RunsFilter

    assert deployment.runner_failures == [], deployment.runner_lines
    runs = instance.get_runs(RunsFilter(tags={"nba-assets/launched-by": "nba-assets"}))
    assert len(runs) == len(RUNNER_DATES) and {r.status for r in runs} == {DagsterRunStatus.SUCCESS}
    assert sorted(day for r in runs for day in run_dates(r)) == list(RUNNER_DATES)  # one run per date
    for name in ASSETS:
        assert instance.get_materialized_partitions(AssetKey(name)) == expected_dates(name), name
    # the event log of a run is there, step by step, with the rows each asset stored
    [run] = [r for r in runs if run_dates(r) == [TODAY]]
    steps = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.STEP_SUCCESS).records
    [props] = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey("raw_player_props"), asset_partitions=[TODAY]), limit=5).records
    assert len(steps) >= len(ASSETS - RESULTS_OF_A_DATE) and props.run_id == run.run_id
    assert props.asset_materialization.metadata["rows"].value > 0


def test_one_sensor_tick_is_persisted_with_its_run_queued(deployment, instance):
    from dagster import AssetKey, AssetRecordsFilter, DagsterRunStatus
    from dagster._core.scheduler.instigation import TickStatus

    [tick] = instance.get_ticks(deployment.sensor_origin_id, deployment.sensor_selector_id)
    assert tick.status == TickStatus.SUCCESS and len(tick.run_ids) == 1, tick
    [run_key] = tick.run_keys
    cursor = instance.get_instigator_state(deployment.sensor_origin_id, deployment.sensor_selector_id).instigator_data.cursor
    [snapshot] = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey("raw_player_props"), asset_partitions=[TODAY]), limit=1).records
    assert int(cursor) == snapshot.storage_id and run_key == f"lines-{TODAY}-{cursor}"
    run = instance.get_run_by_id(tick.run_ids[0])
    # submitted through the QueuedRunCoordinator: queued (no daemon dequeues it in this test)
    assert run.status == DagsterRunStatus.QUEUED and run.job_name == "refresh_slate"
    assert run.tags["dagster/partition"] == TODAY and run.tags["dagster/sensor_name"] == "lines_sensor"


def test_the_rows_are_in_postgres_tables(deployment):
    """Straight from PostgreSQL's tables (psycopg2), not through Dagster."""
    from dagster import DagsterEventType

    server = deployment.server
    [(backfill_status,)] = sql(server, "select status from bulk_actions where key = %s", deployment.backfill_id)
    [(backfill_runs,)] = sql(server, "select count(*) from run_tags where key = 'dagster/backfill' and value = %s", deployment.backfill_id)
    statuses = dict(sql(server, "select status, count(*) from runs group by status"))
    assert backfill_status == "COMPLETED_SUCCESS" and backfill_runs == 2
    assert statuses == {"SUCCESS": backfill_runs + len(RUNNER_DATES), "QUEUED": 1}, deployment.run_log
    # each asset partition of the backfill materialised once, by one of its runs
    once = sql(server, "select count(*), count(distinct (e.asset_key, e.partition)) from event_logs e join run_tags t on t.run_id = e.run_id "
                       "where e.dagster_event_type = 'ASSET_MATERIALIZATION' and t.key = 'dagster/backfill' and t.value = %s", deployment.backfill_id)
    assert once == [(len(BACKFILLED) * len(BACKFILL_DATES),) * 2]
    partitions = dict(sql(server, "select asset_key, count(distinct partition) from event_logs "
                                  "where dagster_event_type = 'ASSET_MATERIALIZATION' group by asset_key"))
    assert partitions == {f'["{name}"]': len(expected_dates(name)) for name in ASSETS}
    [(events,)] = sql(server, "select count(*) from event_logs")
    # every finished run's event log, step by step, down to its RUN_SUCCESS
    logs = sql(server, "select r.run_id, count(e.id), bool_or(e.dagster_event_type = %s), count(*) filter (where e.dagster_event_type = %s) "
                       "from runs r left join event_logs e on e.run_id = r.run_id where r.status = 'SUCCESS' group by r.run_id",
               DagsterEventType.RUN_SUCCESS.value, DagsterEventType.STEP_SUCCESS.value)  # RUN_SUCCESS is stored as PIPELINE_SUCCESS
    assert len(logs) == statuses["SUCCESS"] and all(ended and steps >= 3 for _, _, ended, steps in logs), logs
    checks = dict(sql(server, "select execution_status, count(*) from asset_check_executions group by execution_status"))
    # evaluated checks are there; none failed. (A range run evaluates a partitioned check once for the range,
    # so the per-date rows Dagster planned for it stay PLANNED, as do those of the sensor's queued run.)
    assert checks.get("SUCCEEDED", 0) > 0 and "FAILED" not in checks, checks
    assert sql(server, "show listen_addresses") == [("127.0.0.1",)]
    ticks = sql(server, "select status from job_ticks where selector_id = %s", deployment.sensor_selector_id)
    assert ticks == [("SUCCESS",)]
    slots = dict(sql(server, "select concurrency_key, count(*) from concurrency_slots group by concurrency_key"))
    assert slots == {"duckdb": 1}  # the one pool the steps claimed, at its limit of one slot
    print(f"\npostgres: runs {statuses}; event_logs {events} rows; {sum(partitions.values())} asset partitions over {len(partitions)} assets; "
          f"check executions {checks}; seconds {({k: round(v) for k, v in deployment.timings.items()})}")
    print("\n".join(deployment.run_log))


def test_the_warehouse_holds_every_date(deployment):
    import duckdb

    with duckdb.connect(str(deployment.data_dir / "warehouse.duckdb"), read_only=True) as conn:
        games = conn.execute("select strftime(game_date, '%Y-%m-%d') d, count(*) from nba.raw_games group by d order by d").fetchall()
        box = conn.execute("select count(distinct game_date) from nba.raw_box_scores").fetchone()[0]
    assert [d for d, _ in games] == [*BACKFILL_DATES, *RUNNER_DATES] and all(n > 0 for _, n in games)
    assert box == len(BACKFILL_DATES) + len(RUNNER_DATES) - 1
