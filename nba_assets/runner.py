"""Materialise a selection of assets for a range of game dates, one Dagster run per date.

Runs execute in this process against the instance at `DAGSTER_HOME`, so the UI lists them
afterwards like any run launched from it.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from dagster import AssetKey, AssetSelection, DagsterInstance, Definitions, materialize
from dagster._core.errors import DagsterInvalidSubsetError

from nba_assets.partitions import RESULTS_TABLES, game_date_partitions
from resources.clock import today_et
from resources.errors import ConfigurationError
from resources.upstream import UpstreamResource

CLI_TAG = "nba-assets/launched-by"
_EXCEPTION_PREFIX = re.compile(r"^[\w.]+(Error|Exception|Failure): ")


@dataclass
class PartitionOutcome:
    partition: str
    ok: bool
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def resolve_selection(select: str, defs: Definitions) -> list[AssetKey]:
    """Asset keys of a `dagster asset materialize --select` string, or a ConfigurationError naming what is unknown."""
    graph = defs.resolve_asset_graph()
    parts = [p.strip() for p in select.split(",") if p.strip()]
    if not parts:
        raise ConfigurationError("--select is empty: name assets, e.g. --select raw_games,raw_box_scores")
    selection = AssetSelection.all() if parts == ["*"] else AssetSelection.from_coercible(parts)
    try:
        keys = selection.resolve(graph)
    except DagsterInvalidSubsetError:
        known = sorted(k.to_user_string() for k in graph.get_all_asset_keys())
        unknown = [p.strip("*+") for p in parts if AssetKey(p.strip("*+")) not in graph.get_all_asset_keys()]
        raise ConfigurationError(f"unknown asset {', '.join(unknown)} in --select; known assets: {', '.join(known)}") from None
    return sorted(keys, key=lambda k: k.to_user_string())


def check_keys(defs: Definitions, keys: list[AssetKey]) -> None:
    """With NBA_SOURCE=http, every API the selection calls must have its key in the environment."""
    if (os.environ.get("NBA_SOURCE") or "simulated") != "http":
        return
    graph = defs.resolve_asset_graph()
    needed = {name for key in keys for name in graph.get(key).assets_def.required_resource_keys}
    for name in sorted(needed):
        resource = (defs.resources or {}).get(name)
        if isinstance(resource, UpstreamResource) and resource.key_env and not os.environ.get(resource.key_env):
            raise ConfigurationError(f"{resource.key_env} is not set: {resource.label} needs an API key when NBA_SOURCE=http")


def check_range(start: date, end: date) -> list[str]:
    """The partition keys from start to end, or a ConfigurationError when the range leaves the partitions."""
    if end < start:
        raise ConfigurationError(f"--end {end} is before --start {start}")
    keys = game_date_partitions.get_partition_keys()
    first, last = date.fromisoformat(keys[0]), date.fromisoformat(keys[-1])
    for day in (start, end):
        if not first <= day <= last:
            raise ConfigurationError(f"{day} is outside the game-date partitions ({first} .. {last}, today in ET)")
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def _failure_text(result) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error.cause is not None and "dagster._core.errors" in (error.cls_name or "") + error.message:
                error = error.cause
            message = error.message.strip().splitlines()[0] if error.message.strip() else error.cls_name
            return f"{event.step_key}: {_EXCEPTION_PREFIX.sub('', message)}"
    return "the run failed (see the run in the Dagster UI)"


INSTANCE_YAML = """\
# Instance settings for local runs (export DAGSTER_HOME=$PWD/.dagster).
# Every asset that writes the DuckDB warehouse is in the `duckdb` pool: one step at a time holds it,
# so runs launched together (the UI, a sensor, a backfill, `nba-assets run`) queue instead of
# colliding on DuckDB's single-writer lock.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def ensure_dagster_home() -> Path:
    """The instance that records runs: `DAGSTER_HOME`, or `./.dagster` (what the README exports).

    A home without a `dagster.yaml` gets the project's (the `duckdb` pool limited to one step).
    """
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        home = str(Path(".dagster").resolve())
        os.environ["DAGSTER_HOME"] = home
        print(f"DAGSTER_HOME is not set: recording runs in {home} (export DAGSTER_HOME={home} for `dagster dev` to show them)")
    path = Path(home)
    path.mkdir(parents=True, exist_ok=True)
    if not (path / "dagster.yaml").exists():
        (path / "dagster.yaml").write_text(INSTANCE_YAML)
    return path


class PartitionRunner:
    """One run per game date of the selected game-date assets; unpartitioned ones run once."""

    def __init__(self, defs: Definitions, keys: list[AssetKey], instance: DagsterInstance, echo: Callable[[str], None] = print, named: frozenset[str] = frozenset()):
        graph = defs.resolve_asset_graph()
        self.defs = defs
        self.assets = [*(defs.assets or []), *(defs.asset_checks or [])]
        self.partitioned = [k for k in keys if graph.get(k).partitions_def is not None]
        self.unpartitioned = [k for k in keys if graph.get(k).partitions_def is None]
        self.instance = instance
        self.echo = echo
        self.named = named  # assets the selection names literally (not through `*`)

    @classmethod
    def load(cls, select: str, echo: Callable[[str], None] = print) -> PartitionRunner:
        from nba_assets.definitions import build_defs

        defs = build_defs()
        keys = resolve_selection(select, defs)
        if select.strip() == "*":
            keys = [k for k in keys if defs.resolve_asset_graph().get(k).partitions_def is not None]
        check_keys(defs, keys)
        named = frozenset(p.strip() for p in select.split(",") if p.strip() and "*" not in p and "+" not in p)
        return cls(defs, keys, DagsterInstance.get(), echo, named)

    def _materialize(self, keys: list[AssetKey], partition: str | None) -> PartitionOutcome:
        started = time.monotonic()
        with warnings.catch_warnings():
            # one run per date: the assets' differing backfill policies do not apply, and Dagster says so
            warnings.filterwarnings("ignore", message=".*materializes assets with varying BackfillPolicies.*", category=UserWarning)
            result = materialize(
                self.assets,
                selection=keys,
                partition_key=partition,
                instance=self.instance,
                resources=self.defs.resources,
                tags={CLI_TAG: "nba-assets run"},
                run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
                raise_on_error=False,
            )
        outcome = PartitionOutcome(partition or "unpartitioned", result.success, time.monotonic() - started)
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            rows = materialization.metadata.get("rows")
            if rows is not None:
                outcome.rows[materialization.asset_key.to_user_string()] = int(rows.value)
        failed_checks = [e.event_specific_data.check_name for e in result.all_events
                         if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed]
        if not result.success:
            outcome.error = _failure_text(result)
        elif failed_checks:
            outcome.error = f"checks failed: {', '.join(failed_checks)}"
        return outcome

    def run_range(self, start: date, end: date) -> list[PartitionOutcome]:
        """Run every date of the range (all of them, even after a failure); return the failures."""
        partitions = check_range(start, end)
        outcomes = []
        if self.unpartitioned:
            outcomes.append(self._report(self._materialize(self.unpartitioned, None)))
        for partition in partitions if self.partitioned else []:
            keys = self.partitioned
            waiting = sorted(k.to_user_string() for k in keys if k.to_user_string() in RESULTS_TABLES - self.named)
            if partition == today_et().isoformat() and waiting:
                keys = [k for k in keys if k.to_user_string() not in waiting]
                self.echo(f"{partition}  today's slate: {', '.join(waiting)} wait until its games are over (name them in --select to force)")
            if keys:
                outcomes.append(self._report(self._materialize(keys, partition)))
        failures = [o for o in outcomes if not o.ok]
        if failures:
            self.echo(f"{len(failures)} of {len(outcomes)} runs failed: {', '.join(o.partition for o in failures)} (re-run a date alone with --start DATE)")
        else:
            self.echo(f"all {len(outcomes)} runs succeeded")
        return failures

    def _report(self, outcome: PartitionOutcome) -> PartitionOutcome:
        rows = ", ".join(f"{k} {v}" for k, v in outcome.rows.items())
        status = "ok    " if outcome.ok else "FAILED"
        self.echo(f"{outcome.partition}  {status} {outcome.seconds:5.1f}s  {rows or ''}{'  ' + outcome.error if outcome.error else ''}")
        return outcome
