"""Wall time to backfill a whole simulated season from raw through `feature_store` on this machine.

    python bench/backfill_season.py [--season 2024] [--data-dir DIR] [--keep]

Runs the way a Dagster backfill does under the assets' backfill policies, in this process: the raw
layer in runs of `RAW_DATES_PER_RUN` dates (scrape, parse, load; historical odds at 10 h and 15 min
before each tip), then analytics and features in one run over the whole range, every asset check
evaluated. Prints the time of each stage and of each asset, rows stored, and check outcomes.
(A daemon-launched backfill adds run and step process start-up on top: about 2-5 s per run.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--season", type=int, default=2024, help="season start year (default 2024 = 2024-25)")
    parser.add_argument("--data-dir", help="warehouse and landing zone (default: a fresh temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the data dir afterwards (for bench/feature_store_vs_per_player.py)")
    args = parser.parse_args()

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="nba-backfill-")) / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    os.environ.update(NBA_SOURCE="simulated", NBA_WAREHOUSE="duckdb", NBA_DATA_DIR=str(data_dir))
    os.environ["NBA_CLOCK"] = datetime(args.season + 1, 7, 1, 12).astimezone().isoformat()

    from dagster import AssetSelection, DagsterInstance, materialize

    from nba_assets.automation.deadlines import data_selection
    from nba_assets.definitions import build_defs
    from nba_assets.tables import RAW_DATES_PER_RUN
    from resources.simulated import default_league

    league = default_league()
    first, last = league.season_days(args.season)
    days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    defs = build_defs()
    everything = [*defs.assets, *defs.asset_checks]
    instance = DagsterInstance.ephemeral()
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    raw = data_selection(AssetSelection.groups("raw") - AssetSelection.assets("live_box_scores"))
    downstream = AssetSelection.groups("analytics", "market", "features")
    step_seconds: dict[str, float] = defaultdict(float)
    rows: dict[str, int] = defaultdict(int)
    failed_checks, failed_runs = [], []

    def run(selection, start: str, end: str) -> None:
        result = materialize(everything, selection=selection, resources=defs.resources, instance=instance, run_config=quiet, raise_on_error=False,
                             tags={"dagster/asset_partition_range_start": start, "dagster/asset_partition_range_end": end})
        if not result.success:
            failed_runs.append(f"{start}..{end}")
        for event in result.all_events:
            if event.event_type_value == "STEP_SUCCESS":
                step_seconds[event.step_key] += event.event_specific_data.duration_ms / 1000
            elif event.event_type_value == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
                failed_checks.append(event.event_specific_data.check_name)
        in_run: dict[str, int] = {}
        for event in result.get_asset_materialization_events():
            m = event.event_specific_data.materialization
            if "rows" in m.metadata:  # a range run records each partition with the run's rows
                in_run[m.asset_key.to_user_string()] = int(m.metadata["rows"].value)
        for asset, count in in_run.items():
            rows[asset] += count

    started = time.perf_counter()
    for i in range(0, len(days), RAW_DATES_PER_RUN):
        chunk = days[i : i + RAW_DATES_PER_RUN]
        run(raw, chunk[0], chunk[-1])
    raw_seconds = time.perf_counter() - started
    mid = time.perf_counter()
    run(downstream, days[0], days[-1])
    downstream_seconds = time.perf_counter() - mid
    total = time.perf_counter() - started

    print(f"season {args.season}-{str(args.season + 1)[2:]} of the simulated league: {days[0]} .. {days[-1]} ({len(days)} dates), {os.cpu_count()} cores")
    print(f"raw layer     {raw_seconds:6.1f} s  ({-(-len(days) // RAW_DATES_PER_RUN)} runs of up to {RAW_DATES_PER_RUN} dates)")
    print(f"analytics+features {downstream_seconds:6.1f} s  (one run over the range)")
    print(f"total         {total:6.1f} s   (aim: under 180 s)")
    print("per step (s, summed over runs), and rows stored:")
    checks = sum(seconds for step, seconds in step_seconds.items() if step not in rows)
    for step, seconds in sorted(step_seconds.items(), key=lambda item: -item[1]):
        if step in rows:
            print(f"  {step:30s} {seconds:7.1f} s  {rows[step]:>9,d} rows")
    print(f"  {'all asset checks':30s} {checks:7.1f} s")
    print(f"failed runs: {', '.join(failed_runs) or 'none'}; failed checks: {', '.join(sorted(set(failed_checks))) or 'none'}")
    if args.keep:
        print(f"data kept in {data_dir}")
    else:
        shutil.rmtree(data_dir.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
