"""Wall time of a season's backfill launched the way the UI launches one, run by Dagster's own daemon.

    python bench/daemon_backfill.py [--season 2024] [--days N] [--keep DIR]

Starts `dagster dev` (webserver, daemon, code server) on 127.0.0.1 with a fresh instance and
warehouse, its sensors and schedules stopped so that the backfill is the only work, then sends the
webserver the GraphQL mutation the UI's "Launch backfill" sends (`launchPartitionBackfill`): every
partitioned asset, the season's game dates (or its first `--days`) and their model weeks. The
backfill daemon then plans the runs under the assets' backfill policies (raw in runs of 10 dates,
analytics to exports in single runs, one run per model week) with no hand-holding. Prints progress,
the wall time, the runs and their outcomes, the partitions materialised per asset, and the asset
check results of the backfill's runs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nba_assets_tests.ui_driver import LAUNCH_BACKFILL, REPO_ROOT, DagsterDev  # noqa: E402


STATUS = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      status
      numPartitions
      error { message }
      assetBackfillData {
        assetBackfillStatuses {
          ... on AssetPartitionsStatusCounts {
            assetKey { path }
            numPartitionsTargeted
            numPartitionsInProgress
            numPartitionsMaterialized
            numPartitionsFailed
          }
        }
      }
    }
    ... on PythonError { message }
  }
}
"""

FINISHED = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


def targets(first: str, last: str) -> list[dict]:
    """`partitionsByAssets` of the mutation: each partitioned asset with its range of the backfill."""
    import pandas as pd

    from nba_assets.definitions import defs
    from nba_assets.partitions import model_weeks, week_of

    weeks = (week_of(pd.Timestamp(first)), week_of(pd.Timestamp(last)))
    selected = []
    for node in defs.resolve_asset_graph().asset_nodes:
        if node.partitions_def is None:
            continue
        start, end = weeks if node.partitions_def == model_weeks else (first, last)
        selected.append({"assetKey": {"path": node.key.path}, "partitions": {"range": {"start": start, "end": end}}})
    return selected


def check_outcomes(dagster_home: Path, backfill_id: str) -> tuple[Counter, list[str]]:
    """Passed / failed asset check evaluations over the backfill's runs, and the failures' names."""
    import os

    from dagster import DagsterEventType, DagsterInstance, RunsFilter

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    outcomes, failed = Counter(), []
    with DagsterInstance.get() as instance:
        for run in instance.get_runs(RunsFilter(tags={"dagster/backfill": backfill_id})):
            for record in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
                evaluation = record.dagster_event.event_specific_data
                outcomes["passed" if evaluation.passed else "failed"] += 1
                if not evaluation.passed:
                    failed.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name} ({run.tags.get('dagster/partition_range_start') or run.tags.get('dagster/partition')})")
    return outcomes, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--season", type=int, default=2024, help="season start year of the simulated league (default 2024 = 2024-25)")
    parser.add_argument("--days", type=int, help="only the first N game dates of the season")
    parser.add_argument("--keep", help="keep the instance, warehouse and dagster dev log in this folder")
    parser.add_argument("--timeout", type=float, default=3600, help="give up after this many seconds (default 3600)")
    args = parser.parse_args()

    from resources.simulated import default_league

    first, last = default_league().season_days(args.season)
    if args.days:
        last = min(last, first + timedelta(days=args.days - 1))
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nba-daemon-backfill-"))
    shutil.rmtree(folder, ignore_errors=True)
    home, data = folder / "dagster_home", folder / "data"
    home.mkdir(parents=True)
    data.mkdir()
    shutil.copy(REPO_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    clock = f"{last + timedelta(days=2)}T12:00:00-05:00"
    server = DagsterDev(home, data, folder / "dagster-dev.log", env={"NBA_SOURCE": "simulated", "NBA_WAREHOUSE": "duckdb", "NBA_CLOCK": clock})
    print(f"season {args.season}: game dates {first} .. {last}, clock {clock}, folder {folder}")
    stopped = server.stop_automation()
    print(f"stopped {len(stopped)} sensors and schedules so the backfill is the only work")
    server.start()
    try:
        print(f"dagster dev ready in {server.wait_until_loaded('nba_assets', 'raw_games', timeout=180):.0f} s at {server.url}")
        selection = targets(first.isoformat(), last.isoformat())
        launched = time.monotonic()
        result = server.graphql(LAUNCH_BACKFILL, {"params": {"partitionsByAssets": selection, "title": f"season {args.season} (bench)"}})["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            print(f"launch refused: {result}")
            return 1
        backfill_id = result["backfillId"]
        print(f"backfill {backfill_id}: {len(selection)} assets")
        status, last_report = None, 0.0
        while time.monotonic() - launched < args.timeout:
            server.check_alive()  # a dead dagster dev fails the bench with the end of its log, not after the timeout
            backfill = server.graphql(STATUS, {"id": backfill_id})["partitionBackfillOrError"]
            status = backfill.get("status")
            counts = backfill["assetBackfillData"]["assetBackfillStatuses"]
            if status in FINISHED:
                break
            if time.monotonic() - last_report > 30:
                done = sum(c["numPartitionsMaterialized"] for c in counts)
                targeted = sum(c["numPartitionsTargeted"] for c in counts)
                runs = Counter(run["status"] for run in server.runs())
                print(f"  {time.monotonic() - launched:6.0f} s  {status}  asset partitions {done}/{targeted}  runs {dict(runs)}", flush=True)
                last_report = time.monotonic()
            time.sleep(2)
        elapsed = time.monotonic() - launched
        runs = [run for run in server.runs() if any(t["key"] == "dagster/backfill" and t["value"] == backfill_id for t in run["tags"])]
        print(f"\nbackfill {status} in {elapsed:.0f} s ({elapsed / 60:.1f} min); {len(runs)} runs: {dict(Counter(run['status'] for run in runs))}")
        print(f"{'asset':32} {'targeted':>8} {'done':>6} {'failed':>6}")
        for c in sorted(counts, key=lambda c: "/".join(c["assetKey"]["path"])):
            print(f"{'/'.join(c['assetKey']['path']):32} {c['numPartitionsTargeted']:8d} {c['numPartitionsMaterialized']:6d} {c['numPartitionsFailed']:6d}")
        ok = status == "COMPLETED_SUCCESS" and all(c["numPartitionsMaterialized"] == c["numPartitionsTargeted"] for c in counts)
    finally:
        leftovers = server.stop()
        if leftovers:
            print(f"processes left after stopping dagster dev: {leftovers}")
    outcomes, failed = check_outcomes(home, backfill_id)
    print(f"asset check evaluations in the backfill's runs: {dict(outcomes)}")
    for name in failed:
        print(f"  failed: {name}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
