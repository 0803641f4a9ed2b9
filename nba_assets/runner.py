"""Materialise a selection of assets for a range of game dates, one Dagster run per date.

Runs execute in this process against the instance at `DAGSTER_HOME`, so the UI lists them
afterwards like any run launched from it.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from dagster import AssetKey, AssetSelection, DagsterInstance, Definitions, materialize
from dagster._core.errors import DagsterInvalidSubsetError

from nba_assets.automation.deadlines import data_selection
from nba_assets.automation.failures import failure_text
from nba_assets.partitions import RESULTS_TABLES, game_date_partitions, model_weeks, week_of
from nba_assets.tables import RAW_DATES_PER_RUN
from resources.clock import today_et
from resources.errors import ConfigurationError
from resources.upstream import UpstreamResource

CLI_TAG = "nba-assets/launched-by"


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


RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
MODEL_SERVED_GROUPS = frozenset({"predictions", "grading", "publishing", "health"})


class PartitionRunner:
    """Runs the selected assets through Dagster, recorded in the instance.

    `run_range`: one run per game date (two around the weekly model when it is selected);
    `backfill`: a range in stages, each stage as a backfill under the assets' policies would run it.
    Unpartitioned assets run once.
    """

    def __init__(self, defs: Definitions, keys: list[AssetKey], instance: DagsterInstance, echo: Callable[[str], None] = print, named: frozenset[str] = frozenset()):
        graph = defs.resolve_asset_graph()
        self.defs = defs
        self.graph = graph
        self.assets = [*(defs.assets or []), *(defs.asset_checks or [])]
        self.daily = [k for k in keys if graph.get(k).partitions_def == game_date_partitions]
        self.weekly = [k for k in keys if graph.get(k).partitions_def == model_weeks]
        self.unpartitioned = [k for k in keys if graph.get(k).partitions_def is None]
        self.instance = instance
        self.echo = echo
        self.named = named  # assets the selection names literally (not through `*`)
        self.outcomes: list[PartitionOutcome] = []  # every run so far, in order

    @classmethod
    def load(cls, select: str, defs: Definitions, echo: Callable[[str], None] = print) -> PartitionRunner:
        """A runner of the assets `select` names in the code location `defs` (the entry point builds it)."""
        keys = resolve_selection(select, defs)
        if select.strip() == "*":
            keys = [k for k in keys if defs.resolve_asset_graph().get(k).partitions_def is not None]
        check_keys(defs, keys)
        named = frozenset(p.strip() for p in select.split(",") if p.strip() and "*" not in p and "+" not in p)
        return cls(defs, keys, DagsterInstance.get(), echo, named)

    def _materialize(self, keys: list[AssetKey], label: str, partition: str | None = None, through: str | None = None) -> PartitionOutcome:
        """One run of `keys`: unpartitioned, for `partition`, or for the range `partition`..`through`."""
        started = time.monotonic()
        tags = {CLI_TAG: "nba-assets"}
        if through is not None:
            tags.update(zip(RANGE_TAGS, (partition, through)))
        with warnings.catch_warnings():
            # the assets' differing backfill policies do not apply to runs we shape ourselves, and Dagster says so
            warnings.filterwarnings("ignore", message=".*materializes assets with varying BackfillPolicies.*", category=UserWarning)
            result = materialize(
                self.assets, selection=data_selection(*keys), partition_key=partition if through is None else None, instance=self.instance,
                resources=self.defs.resources, tags=tags, run_config=QUIET, raise_on_error=False,
            )
        outcome = PartitionOutcome(label, result.success, time.monotonic() - started)
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            rows = materialization.metadata.get("rows")
            if rows is not None:
                outcome.rows[materialization.asset_key.to_user_string()] = int(rows.value)
        failed_checks = sorted({e.event_specific_data.check_name for e in result.all_events
                                if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed})
        if not result.success:
            outcome.error = failure_text(e for e in result.all_events if e.is_step_failure) or "the run failed (see the run in the Dagster UI)"
        elif failed_checks:
            outcome.error = f"checks failed: {', '.join(failed_checks)}"
        return outcome

    def _for_date(self, partition: str) -> list[AssetKey]:
        """The daily keys to run for a date: today's slate waits for its results."""
        waiting = sorted(k.to_user_string() for k in self.daily if k.to_user_string() in RESULTS_TABLES - self.named)
        if partition == today_et().isoformat() and waiting:
            self.echo(f"{partition}  today's slate: {', '.join(waiting)} wait until its games are over (name them in --select to force)")
            return [k for k in self.daily if k.to_user_string() not in waiting]
        return self.daily

    def run_range(self, start: date, end: date) -> list[PartitionOutcome]:
        """Run every date of the range (all of them, even after a failure); return the failures.

        With the weekly model selected, a date is two runs around it: what the model learns from
        (raw to features), then, on the first date of a week, the week's model, then what it serves
        (predictions and grading), which is skipped when the first run failed."""
        partitions = check_range(start, end)
        outcomes = []
        if self.unpartitioned:
            outcomes.append(self._report(self._materialize(self.unpartitioned, "unpartitioned")))
        for i, partition in enumerate(partitions):
            keys = self._for_date(partition)
            served = [k for k in keys if self.graph.get(k).group_name in MODEL_SERVED_GROUPS] if self.weekly else []
            before = [k for k in keys if k not in served]
            first = self._report(self._materialize(before, partition, partition)) if before else None
            outcomes += [first] if first else []
            if self.weekly and (i == 0 or date.fromisoformat(partition).weekday() == 0):
                week = week_of(pd.Timestamp(partition))
                outcomes.append(self._report(self._materialize(self.weekly, f"week {week}", week)))
            if served and (first is None or first.ok):
                outcomes.append(self._report(self._materialize(served, partition, partition)))
        return self._summary(outcomes)

    def backfill(self, start: date, end: date) -> tuple[list[PartitionOutcome], dict[str, float]]:
        """The range in stages (raw in runs of `RAW_DATES_PER_RUN` dates, analytics, offers and features in one
        run, one model per week of the range, predictions and grading in one run); returns the failures
        and each stage's seconds."""
        partitions = check_range(start, end)
        group = lambda names: [k for k in self.daily if self.graph.get(k).group_name in names]  # noqa: E731
        stages: dict[str, float] = {}
        outcomes = []

        def stage(name: str, runs: list[tuple[list[AssetKey], str, str | None, str | None]]) -> None:
            began = time.monotonic()
            for keys, label, first, last in runs:
                if keys:
                    outcomes.append(self._report(self._materialize(keys, label, first, last)))
            stages[name] = time.monotonic() - began

        raw = group({"raw"})
        stage("raw", [(raw, f"{chunk[0]}..{chunk[-1]}", chunk[0], chunk[-1])
                      for chunk in (partitions[i : i + RAW_DATES_PER_RUN] for i in range(0, len(partitions), RAW_DATES_PER_RUN))])
        stage("analytics+features", [(group({"analytics", "market", "features"}), f"{partitions[0]}..{partitions[-1]}", partitions[0], partitions[-1])])
        weeks = sorted({week_of(pd.Timestamp(p)) for p in partitions})
        stage("models", [(self.weekly, f"week {week}", week, None) for week in weeks])
        stage("predictions+grading+publishing", [(group(MODEL_SERVED_GROUPS), f"{partitions[0]}..{partitions[-1]}", partitions[0], partitions[-1])])
        return self._summary(outcomes), stages

    def _summary(self, outcomes: list[PartitionOutcome]) -> list[PartitionOutcome]:
        failures = [o for o in outcomes if not o.ok]
        if failures:
            self.echo(f"{len(failures)} of {len(outcomes)} runs failed: {', '.join(o.partition for o in failures)} (re-run a date alone with --start DATE)")
        else:
            self.echo(f"all {len(outcomes)} runs succeeded")
        return failures

    def _report(self, outcome: PartitionOutcome) -> PartitionOutcome:
        self.outcomes.append(outcome)
        rows = ", ".join(f"{k} {v}" for k, v in outcome.rows.items())
        status = "ok    " if outcome.ok else "FAILED"
        self.echo(f"{outcome.partition}  {status} {outcome.seconds:5.1f}s  {rows or ''}{'  ' + outcome.error if outcome.error else ''}")
        return outcome
