"""Eight date runs launched together under Dagster's daemon, all writing ONE DuckDB warehouse file.

`dagster dev` (webserver, daemon, code server) runs on 127.0.0.1 with a fresh instance whose settings
are the project's (`nba_assets.runner.INSTANCE_YAML`: every pool, `duckdb` included, limited to one
step) plus a run queue that lets all eight runs start at once (`max_concurrent_runs: 8`, and
`op_granularity_run_buffer` so the queue does not hold back runs whose first steps must wait for the
pool). Eight `launchRun` mutations, as the UI's *Materialize* sends them, each ask for the same assets
(the six raw tables, `player_registry`, `player_game_summary`, `team_game_summary`) on a different
game date. The runs scrape the simulated league over HTTP (`NBA_SOURCE=http`), served from this
process. The test then asserts that

- the eight runs succeeded and really ran together (at least 6 in progress at one moment, none alone);
- the `duckdb` pool did the serialising: its limit is 1, every run's steps waited for it, and
  warehouse-writing steps of different runs took turns (but for a few pairs let through together
  by a race of SQLite instance storage, explained in `verify_runs`, which DuckDB's own lock absorbs);
- every table holds each date once: the same rows per date as a reference built in this process by
  `PartitionRunner.run_range` (the same assets, one run per date, one after another, from the
  embedded league), no duplicated key, no missing or extra date, and raw rows identical to the
  reference's (which also shows the HTTP path and the embedded one store the same rows).

Nothing is mocked: the league is the project's simulated one, the warehouse a DuckDB file. The test
prints its figures (`-s`). It takes several minutes: eight run processes on two cores, whose 72
warehouse-writing steps take turns on one pool slot.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest
import yaml
from dagster import AssetKey

from nba_assets_tests.ui_driver import DagsterDev

DATES = [(date(2025, 1, 13) + timedelta(days=i)).isoformat() for i in range(8)]  # a week and a day of January games
CLOCK = "2025-01-22T12:00:00-05:00"  # every game of those dates is final
RAW = ["raw_games", "raw_box_scores", "raw_espn_rosters", "raw_injuries", "raw_odds_events", "raw_player_props"]
ANALYTICS = ["player_registry", "player_game_summary", "team_game_summary"]
ASSETS = RAW + ANALYTICS
LOCATION = "nba_assets"
RUN_TAG = ("nba-assets/test", "concurrent-writers")
MIN_TOGETHER = 6  # runs in progress at the same moment, at least
# Columns that record when something was fetched (the wall clock of the scrape), not what was fetched.
WHEN_FETCHED = {"scraped_at_utc", "listed_at_utc"}

LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
  }
}
"""


def instance_yaml() -> str:
    """The project's instance settings, with a run queue that starts eight runs at once."""
    from nba_assets.runner import INSTANCE_YAML

    settings = yaml.safe_load(INSTANCE_YAML)
    assert settings["concurrency"]["pools"]["default_limit"] == 1, "the project's instance no longer limits its pools to one step"
    settings["concurrency"]["runs"] = {"max_concurrent_runs": len(DATES)}
    # By default the queue launches a run only while the pool has a free slot for each of its root
    # steps (six raw steps here): with a limit of 1 the runs would start nearly one by one. The buffer
    # lets every run start and wait for the pool inside the run, which is what this test is about.
    settings["concurrency"]["pools"]["op_granularity_run_buffer"] = 100
    # Dequeue every second (not 5) and launch the dequeued runs side by side.
    settings["run_queue"] = {"dequeue_interval_seconds": 1, "dequeue_use_threads": True, "dequeue_num_workers": len(DATES)}
    return yaml.safe_dump(settings)


def table_keys() -> dict[str, list[str]]:
    """Each table's key columns, as its `*_unique_keys` check declares them."""
    from nba_assets.analytics.checks import ANALYTICS_TABLES
    from nba_assets.raw.checks import RAW_KEYS

    keys = {**RAW_KEYS, **{name: columns for name, (columns, _) in ANALYTICS_TABLES.items()}}
    return {name: keys[name] for name in ASSETS}


def check_selection(defs) -> list[dict]:
    """The checks the selected assets evaluate themselves (`raw_box_scores_complete`): the launch must
    name them. The checks that are steps of their own are left out to keep the test short (this test
    verifies unique keys itself, on the whole warehouse)."""
    graph = defs.resolve_asset_graph()
    own = {key for name in ASSETS for key in graph.get(AssetKey(name)).assets_def.check_keys}
    return [{"assetKey": {"path": k.asset_key.path}, "name": k.name} for k in sorted(own, key=str)]


def build_reference(data_dir, monkeypatch) -> float:
    """The same assets and dates in this process, one run per date, one after another (what
    `nba-assets run --start .. --end .. --select ...` does), into their own warehouse."""
    from dagster import DagsterInstance

    from nba_assets.definitions import build_defs
    from nba_assets.runner import PartitionRunner

    monkeypatch.setenv("NBA_DATA_DIR", str(data_dir))
    started = time.monotonic()
    defs = build_defs()
    runner = PartitionRunner(defs, [AssetKey(a) for a in ASSETS], DagsterInstance.ephemeral(), echo=lambda line: None, named=frozenset(ASSETS))
    failures = runner.run_range(date.fromisoformat(DATES[0]), date.fromisoformat(DATES[-1]))
    assert not failures, f"the sequential reference failed: {[(f.partition, f.error) for f in failures]}"
    assert [o.partition for o in runner.outcomes] == DATES
    return time.monotonic() - started


def read_tables(path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return {name: conn.execute(f"select * from nba.{name}").fetchdf() for name in ASSETS}


def per_date(frame: pd.DataFrame) -> dict[str, int]:
    return {f"{day:%Y-%m-%d}": int(n) for day, n in frame.groupby("game_date").size().items()}


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows without when they were fetched, in a fixed order, for comparing two warehouses."""
    frame = frame.drop(columns=[c for c in frame.columns if c in WHEN_FETCHED]).astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def attempts(instance, run_id: str, steps: set[str]) -> tuple[list[tuple[float, float, str]], list[str]]:
    """(start, end, step) of each attempt of `steps` in the run (a retried step frees its pool slot
    while it waits), from its step events; and the errors of attempts that did not succeed."""
    from dagster import DagsterEventType

    begin = {DagsterEventType.STEP_START, DagsterEventType.STEP_RESTARTED}
    end = {DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE, DagsterEventType.STEP_UP_FOR_RETRY}
    started, spans, errors = {}, [], []
    for record in instance.all_logs(run_id, of_type=begin | end):
        event = record.dagster_event
        if event.step_key not in steps:
            continue
        if event.event_type in begin:
            started[event.step_key] = record.timestamp
        else:
            spans.append((started.pop(event.step_key), record.timestamp, f"{run_id[:8]}:{event.step_key}"))
            if event.event_type != DagsterEventType.STEP_SUCCESS:
                error = event.event_specific_data.error
                errors.append(f"{run_id[:8]}:{event.step_key} {event.event_type.value}: {error.message.strip().splitlines()[-1][:300] if error else event.message}")
    return spans, errors


def peak_overlap(spans: list[tuple[float, float]]) -> int:
    """The most spans in progress at one moment."""
    edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    peak = current = 0
    for _, step in edges:
        current += step
        peak = max(peak, current)
    return peak


@pytest.fixture
def environment(monkeypatch):
    monkeypatch.setenv("NBA_SOURCE", "simulated")
    monkeypatch.setenv("NBA_WAREHOUSE", "duckdb")
    monkeypatch.setenv("NBA_CLOCK", CLOCK)
    for name in ("BDL_API_KEY", "ODDS_API_KEY", "BDL_BASE_URL", "ESPN_BASE_URL", "ODDS_API_BASE_URL", "NBA_ALERTS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def launch_and_wait(server: DagsterDev, instance, defs, figures: dict, timeout: float = 1500) -> dict[str, str]:
    """Send the eight launches as the UI does, then wait (reading the instance, which spares the
    webserver) until every run has ended; returns the run ids by date."""
    from dagster import DagsterRunStatus, RunsFilter

    selector = {
        "repositoryLocationName": LOCATION, "repositoryName": "__repository__", "pipelineName": "__ASSET_JOB",
        "assetSelection": [{"path": [a]} for a in ASSETS], "assetCheckSelection": check_selection(defs),
    }
    run_ids = {}
    launched = time.monotonic()
    for day in DATES:
        tags = [{"key": "dagster/partition", "value": day}, {"key": RUN_TAG[0], "value": RUN_TAG[1]}]
        params = {"selector": selector, "mode": "default", "runConfigData": {}, "executionMetadata": {"tags": tags}}
        result = server.graphql(LAUNCH, {"params": params})["launchRun"]
        assert result["__typename"] == "LaunchRunSuccess", f"launch of {day} refused: {result}"
        run_ids[day] = result["run"]["runId"]
    figures["launch_s"] = round(time.monotonic() - launched, 1)
    ended = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
    while True:
        server.check_alive()
        statuses = {r.dagster_run.tags["dagster/partition"]: r.dagster_run.status for r in instance.get_run_records(RunsFilter(run_ids=list(run_ids.values())))}
        if len(statuses) == len(DATES) and set(statuses.values()) <= ended:
            break
        if time.monotonic() - launched > timeout:
            raise TimeoutError(f"runs not finished after {timeout:.0f} s: {statuses}; end of the dagster dev log:\n{server.log_tail()}")
        time.sleep(2)
    figures["runs_wall_s"] = round(time.monotonic() - launched, 1)
    failed = {day: status.value for day, status in statuses.items() if status != DagsterRunStatus.SUCCESS}
    assert not failed, f"runs did not succeed: {failed}\n" + "\n\n".join(f"{day}:\n{server.run_messages(run_ids[day])}" for day in failed)
    return run_ids


def verify_runs(instance, run_ids: dict[str, str], figures: dict) -> None:
    """The eight runs succeeded and were all in progress at once; the duckdb pool serialised their writes."""
    from dagster import DagsterEventType, DagsterRunStatus, RunsFilter

    records = instance.get_run_records(RunsFilter(run_ids=list(run_ids.values())))
    assert {r.dagster_run.tags["dagster/partition"] for r in records} == set(DATES)
    assert all(r.dagster_run.status == DagsterRunStatus.SUCCESS for r in records)
    others = [r.dagster_run.tags for r in instance.get_run_records() if r.dagster_run.run_id not in run_ids.values()]
    assert not others, f"runs other than the test's ran (a sensor or schedule?): {others}"
    spans = [(r.start_time, r.end_time) for r in records]
    origin = min(s for s, _ in spans)
    figures["run_spans_s"] = sorted((round(s - origin, 1), round(e - origin, 1)) for s, e in spans)
    figures["peak_runs_in_progress"] = peak_overlap(spans)
    last_start, first_end = max(s for s, _ in spans), min(e for _, e in spans)
    figures["all_eight_in_progress_s"] = round(first_end - last_start, 1)
    # The launches reach the queue over some seconds, so on a busy machine the first run can end
    # before the last starts (seen in CI: one run alone for 16 s, then the other 7 together); what
    # the test needs is most runs writing at once, and none alone all the time.
    assert figures["peak_runs_in_progress"] >= MIN_TOGETHER, f"fewer than {MIN_TOGETHER} runs were ever in progress at once: {figures['run_spans_s']}"
    alone = [span for span in spans if not any(other is not span and other[0] < span[1] and span[0] < other[1] for other in spans)]
    assert not alone, f"runs that overlapped no other: {alone}"

    pool = instance.event_log_storage.get_concurrency_info("duckdb")
    figures["duckdb_pool_limit"] = pool.slot_count
    assert pool.slot_count == 1, f"the duckdb pool's limit is {pool.slot_count}, not 1"
    assert not pool.claimed_slots and not pool.pending_steps, "slots of the duckdb pool are still held after the runs"
    blocked = {}
    for run_id in run_ids.values():
        messages = [r.dagster_event.message or "" for r in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT)]
        blocked[run_id] = sum(m.startswith("Step blocked by limit for pool duckdb") for m in messages)
    figures["steps_blocked_by_pool"] = sum(blocked.values())
    figures["runs_with_a_blocked_step"] = sum(1 for n in blocked.values() if n)
    assert sum(blocked.values()) > 0, "no step ever waited for the duckdb pool: the runs did not contend for it"
    writes, errors = [], []
    for run_id in run_ids.values():
        spans, failed = attempts(instance, run_id, set(ASSETS))
        writes += spans
        errors += failed
    writes.sort()
    figures["pool_step_attempts"] = len(writes)
    figures["failed_attempts_retried"] = errors
    figures["pool_busy_s"] = round(sum(end - start for start, end, _ in writes), 1)
    figures["pool_idle_between_steps_s"] = round(sum(max(0.0, b[0] - a[1]) for a, b in zip(writes, writes[1:])), 1)
    figures["pool_handoffs_between_runs"] = sum(1 for a, b in zip(writes, writes[1:]) if a[2][:8] != b[2][:8])
    assert len(writes) - len(errors) == len(ASSETS) * len(DATES), f"expected {len(ASSETS) * len(DATES)} successful warehouse-writing steps"
    origin = writes[0][0]
    overlapping = [(a[2], round(a[0] - origin, 3), round(a[1] - origin, 3), b[2], round(b[0] - origin, 3), round(b[1] - origin, 3))
                   for i, a in enumerate(writes) for b in writes[i + 1 :] if b[0] < a[1]]
    figures["overlapping_pool_step_pairs"] = len(overlapping)
    figures["overlap_examples"] = overlapping[:3]
    # Not always zero: on SQLite instance storage (what `dagster dev` uses) a pool claim is a SELECT of
    # a free slot then an UPDATE, not atomic across processes (Postgres storage locks the row: FOR
    # UPDATE SKIP LOCKED), so two processes that claim at the same moment can both get the one slot
    # (the pairs above start milliseconds apart). DuckDB's single-writer file lock, whose conflicts
    # dagster-duckdb's connect retries for up to 100 s, keeps such pairs safe: the tables are verified
    # below. Without the pool the eight runs' steps would overlap nearly all the time.
    assert len(overlapping) <= len(writes) // 4, f"warehouse-writing steps overlapped in time (step, start, end, step, start, end): {overlapping[:10]}; failed attempts: {errors}"

    checks = {}
    for run_id in run_ids.values():
        for record in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
            evaluation = record.dagster_event.event_specific_data
            checks[(run_id, evaluation.check_name)] = evaluation.passed
    assert len(checks) == len(DATES)  # raw_box_scores_complete, once a run
    assert all(checks.values()), f"checks failed: {sorted(name for (_, name), ok in checks.items() if not ok)}"


def verify_warehouse(written_path, reference_path, figures: dict) -> None:
    """Every table holds each date once, as the sequential reference does."""
    written, expected = read_tables(written_path), read_tables(reference_path)
    rows = {}
    for name, keys in table_keys().items():
        got, want = written[name], expected[name]
        assert per_date(got) == per_date(want), f"{name}: rows per date {per_date(got)} != reference {per_date(want)}"
        if name != "raw_injuries":  # a past date has no injury report (the reference has none either)
            assert set(per_date(got)) == set(DATES), f"{name}: dates {sorted(per_date(got))}, not {DATES}"
        duplicated = got[got.duplicated(keys, keep=False)]
        assert duplicated.empty, f"{name}: {len(duplicated)} rows share a key {keys}"
        if name in RAW:
            assert canonical(got).equals(canonical(want)), f"{name}: rows differ from the reference"
        else:  # built from histories of other dates, which concurrent runs write in any order: compare the keys
            assert canonical(got[keys]).equals(canonical(want[keys])), f"{name}: keys differ from the reference"
        rows[name] = len(got)
    figures["rows"] = rows
    figures["partitions_verified"] = sum(len(per_date(written[name])) for name in ASSETS)


@pytest.fixture
def league_url(environment):
    """The simulated league of this process (the reference's) served over HTTP on 127.0.0.1: the runs
    scrape it as they would the real APIs (`NBA_SOURCE=http`), so its season is generated once here
    instead of once in each run's process while that run holds the pool."""
    from resources.simulated import default_league, serve

    with serve(default_league()) as server:
        yield server.base_url


def http_source(base_url: str) -> dict[str, str]:
    return {
        "NBA_SOURCE": "http", "BDL_BASE_URL": f"{base_url}/balldontlie", "BDL_API_KEY": "any", "ESPN_BASE_URL": f"{base_url}/espn",
        "ODDS_API_BASE_URL": f"{base_url}/odds", "ODDS_API_KEY": "any",
    }


def test_eight_concurrent_date_runs_keep_every_partition(environment, league_url, tmp_path):
    from dagster import DagsterInstance

    from nba_assets.definitions import defs

    home, data, reference = tmp_path / "dagster_home", tmp_path / "data", tmp_path / "reference"
    home.mkdir()
    data.mkdir()
    (home / "dagster.yaml").write_text(instance_yaml())
    env = {**http_source(league_url), "NBA_WAREHOUSE": "duckdb", "NBA_CLOCK": CLOCK}
    server = DagsterDev(home, data, tmp_path / "dagster-dev.log", env=env)
    figures: dict[str, object] = {}
    began = time.monotonic()
    try:
        server.stop_automation()  # sensors and schedules would launch runs of their own on a fresh instance
        server.start()
        try:
            figures["reference_s"] = round(build_reference(reference, environment), 1)  # while dagster dev loads
            server.wait_until_loaded(LOCATION, ASSETS[0], timeout=300)
            figures["ready_s"] = round(time.monotonic() - began, 1)
            environment.setenv("DAGSTER_HOME", str(home))
            with DagsterInstance.get() as instance:
                run_ids = launch_and_wait(server, instance, defs, figures)
        finally:
            leftovers = server.stop()
        assert not leftovers, f"processes of dagster dev left running: {leftovers}"
        with DagsterInstance.get() as instance:
            verify_runs(instance, run_ids, figures)
        verify_warehouse(data / "warehouse.duckdb", reference / "warehouse.duckdb", figures)
    finally:
        figures["total_s"] = round(time.monotonic() - began, 1)
        print(f"\nconcurrent writers: {figures}")
