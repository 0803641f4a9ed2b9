"""Helpers of the end-to-end UI test (`test_ui.py`): run `dagster dev` in its own process group,
talk to its GraphQL API, and launch Debian's Chromium through Playwright.

Nothing here is collected as a test.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# Flags for a closed network: no background requests (update checks, sync, field trials, QUIC).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
]
# Environment variables of the platform and of Dagster that must not leak from the caller's shell.
STRIPPED_ENV_PREFIXES = ("NBA_", "BDL_", "ESPN_", "ODDS_API_", "DAGSTER_", "GCP_PROJECT", "BQ_DATASET")

POLL = 0.5  # seconds between two polls of the server


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DagsterDev:
    """`python -m dagster dev` (webserver, daemon, code server) from the repo root, in its own process
    group, its output collected in `log_path`."""

    def __init__(self, dagster_home: Path, data_dir: Path, log_path: Path, env: dict[str, str]):
        self.dagster_home, self.data_dir, self.log_path = dagster_home, data_dir, log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED_ENV_PREFIXES)}
        self.env.update(env, DAGSTER_HOME=str(dagster_home), NBA_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
        self.proc: subprocess.Popen | None = None
        self.http = httpx.Client(timeout=10, trust_env=False)

    # -- process ---------------------------------------------------------------------------------

    def stop_automation(self, timeout: float = 120) -> list[str]:
        """Mark every sensor and schedule of the code location STOPPED in the (fresh) instance, before
        `dagster dev` starts, so that its daemon launches no run of its own (they default to RUNNING) and
        the UI's run is the only one. Returns their names."""
        result = subprocess.run(
            [sys.executable, "-m", "nba_assets_tests.ui_driver", "stop-automation"],
            cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"stopping the sensors and schedules failed:\n{result.stdout}\n{result.stderr}")
        return [line.split(" ", 1)[1] for line in result.stdout.splitlines() if line.startswith("stopped ")]

    def start(self) -> None:
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "dagster", "dev", "-h", "127.0.0.1", "-p", str(self.port)],
                cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: teardown signals webserver, daemon, code server and runs
            )

    def stop(self) -> list[str]:
        """Stop the whole process group: SIGTERM (dagster dev shuts its services down), then SIGKILL
        whatever is left. Returns the processes still alive afterwards (should be none)."""
        if self.proc is None:
            return []
        pgid = self.proc.pid
        self._signal_group(pgid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        if not self._wait_group_gone(pgid, timeout=10):
            self._signal_group(pgid, signal.SIGKILL)
            self._wait_group_gone(pgid, timeout=10)
        if self.proc.poll() is None:
            self.proc.wait(timeout=10)
        self.http.close()
        return group_members(pgid)

    @staticmethod
    def _signal_group(pgid: int, sig: int) -> None:
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass

    @staticmethod
    def _wait_group_gone(pgid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not group_members(pgid):
                return True
            time.sleep(0.2)
        return not group_members(pgid)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"dagster dev exited with status {self.proc.returncode}; end of its log:\n{self.log_tail()}")

    # -- GraphQL ---------------------------------------------------------------------------------

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        response = self.http.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}})
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def wait_until_loaded(self, location: str, asset: str, timeout: float = 120) -> float:
        """Wait until the webserver answers, `location` is loaded and defines `asset`; returns the seconds waited."""
        started = time.monotonic()
        deadline, last = started + timeout, "no answer from the webserver yet"
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                data = self.graphql(WORKSPACE_QUERY, {"assetKey": {"path": [asset]}})
            except (httpx.HTTPError, RuntimeError, ValueError) as error:
                last = f"{type(error).__name__}: {error}"
            else:
                entries = {e["name"]: e for e in data["workspaceOrError"].get("locationEntries", [])}
                entry = entries.get(location)
                loaded = (entry or {}).get("locationOrLoadError") or {}
                if loaded.get("__typename") == "PythonError":
                    raise RuntimeError(f"code location {location} failed to load: {loaded['message']}")
                if entry and entry["loadStatus"] == "LOADED" and loaded.get("__typename") == "RepositoryLocation":
                    if data["assetNodeOrError"]["__typename"] == "AssetNode":
                        return time.monotonic() - started
                    last = f"location {location} is loaded but has no asset {asset}"
                else:
                    last = f"workspace: {data['workspaceOrError']}"
            time.sleep(POLL)
        raise TimeoutError(f"dagster dev not ready after {timeout:.0f} s ({last}); end of its log:\n{self.log_tail()}")

    def wait_for_run(self, run_id: str, timeout: float = 180) -> dict:
        """Poll the run until it reaches a terminal status; returns it (status, tags, assets)."""
        deadline, run = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            self.check_alive()
            result = self.graphql(RUN_QUERY, {"runId": run_id})["runOrError"]
            if result["__typename"] == "Run":
                run = result
                if run["status"] in TERMINAL_STATUSES:
                    return run
            time.sleep(POLL)
        daemons = self.graphql(DAEMONS_QUERY)["instance"]["daemonHealth"]["allDaemonStatuses"]
        raise TimeoutError(
            f"run {run_id} not finished after {timeout:.0f} s (last seen: {run and run['status']}); "
            f"daemons: {daemons}; end of the dagster dev log:\n{self.log_tail()}"
        )

    def run_messages(self, run_id: str, last: int = 30) -> str:
        """The last event messages of a run (errors included), for a failure message."""
        events = self.graphql(RUN_EVENTS_QUERY, {"runId": run_id})["logsForRun"].get("events", [])
        lines = []
        for event in events[-last:]:
            line = f"{event['__typename']}: {event.get('message', '')}"
            error = event.get("error")
            if error:
                line += f"\n    {error['message']}"
            lines.append(line)
        return "\n".join(lines)

    def runs(self) -> list[dict]:
        """Every run of the instance: id, status and tags."""
        return self.graphql(RUNS_QUERY)["runsOrError"]["results"]

    def materializations(self, asset: str, partition: str) -> list[dict]:
        node = self.graphql(MATERIALIZATIONS_QUERY, {"assetKey": {"path": [asset]}, "partitions": [partition]})["assetNodeOrError"]
        return node["assetMaterializations"]


def group_members(pgid: int) -> list[str]:
    """Live (non-zombie) processes of process group `pgid`, as `pid command` lines."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            # fields after the command (which is in parentheses and may hold spaces): state ppid pgrp ...
            state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
            if int(pgrp) != pgid or state == "Z":
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:160]
        except (OSError, ValueError):
            continue
        members.append(f"{entry.name} {command}")
    return members


def _stop_automation_in_instance() -> None:
    """`python -m nba_assets_tests.ui_driver stop-automation`, from the repo root, with DAGSTER_HOME set:
    what `dagster sensor stop` / `dagster schedule stop` do, for every sensor and schedule at once."""
    from dagster import DagsterInstance
    from dagster._cli.workspace.cli_target import get_repository_from_cli_opts
    from dagster.version import __version__
    from dagster_shared.cli import WorkspaceOpts

    with (
        DagsterInstance.get() as instance,
        get_repository_from_cli_opts(instance, __version__, WorkspaceOpts(workspace=[str(REPO_ROOT / "workspace.yaml")]), None) as repo,
    ):
        for sensor in repo.get_sensors():
            instance.stop_sensor(sensor.get_remote_origin_id(), sensor.selector_id, sensor)
            print(f"stopped sensor:{sensor.name}")
        for schedule in repo.get_schedules():
            instance.stop_schedule(schedule.get_remote_origin_id(), schedule.selector_id, schedule)
            print(f"stopped schedule:{schedule.name}")


def copy_artifacts(paths: list[Path], folder: Path) -> None:
    """Copy what exists of `paths` into `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.exists():
            shutil.copy2(path, folder / path.name)


TERMINAL_STATUSES = {"SUCCESS", "FAILURE", "CANCELED"}

# The mutation of the UI's "Launch backfill" (it follows the assets' backfill policies).
LAUNCH_BACKFILL = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on PartitionKeysNotFoundError { message }
    ... on InvalidSubsetError { message }
    ... on UnauthorizedError { message }
  }
}
"""

WORKSPACE_QUERY = """
query Ready($assetKey: AssetKeyInput!) {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { name }
          ... on PythonError { message }
        }
      }
    }
  }
  assetNodeOrError(assetKey: $assetKey) { __typename }
}
"""

RUN_QUERY = """
query Run($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      runId
      status
      startTime
      endTime
      tags { key value }
      assetSelection { path }
    }
  }
}
"""

RUN_EVENTS_QUERY = """
query RunEvents($runId: ID!) {
  logsForRun(runId: $runId) {
    __typename
    ... on EventConnection {
      events {
        __typename
        ... on MessageEvent { message }
        ... on ErrorEvent { error { message } }
      }
    }
  }
}
"""

MATERIALIZATIONS_QUERY = """
query Materializations($assetKey: AssetKeyInput!, $partitions: [String!]) {
  assetNodeOrError(assetKey: $assetKey) {
    __typename
    ... on AssetNode {
      assetMaterializations(partitions: $partitions) {
        partition
        runId
        metadataEntries { label ... on IntMetadataEntry { intValue } }
      }
    }
  }
}
"""

RUNS_QUERY = """
{ runsOrError { __typename ... on Runs { results { runId status tags { key value } } } } }
"""

DAEMONS_QUERY = """
{ instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } } }
"""


if __name__ == "__main__":
    if sys.argv[1:] != ["stop-automation"]:
        sys.exit("usage: python -m nba_assets_tests.ui_driver stop-automation")
    _stop_automation_in_instance()
