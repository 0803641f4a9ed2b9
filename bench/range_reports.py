"""A season range run of `system_performance` and `health_report`, as a backfill from the UI makes it
(both assets backfill a range as one run), on a season the platform already stored.

    python bench/real_season.py --start 2024-04-16 --keep /tmp/real      # the real season, through the platform
    python bench/range_reports.py --kept /tmp/real/clean [--start 2024-10-22] [--end 2025-06-22] [--repeat 2]

Works on copies of the kept warehouse and Dagster instance (the originals are not touched). Prints
the run's wall time, each step's time, the rows written, and a digest of what the two tables hold
for the range, so that two versions of the code can be compared on the same input: run it at both
and compare the seconds (and that the digest of `system_performance` is the same).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ASSETS = ("system_performance", "health_report")


def digest(data_dir: Path, table: str, start: str, end: str, columns: str) -> str:
    """sha256 (16 hex) of the range's rows of `table`, in a fixed order, rounded to 9 decimals."""
    import duckdb

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        rows = con.sql(f"select {columns} from nba.{table} where game_date between '{start}' and '{end}' order by all").fetchall()
    text = "\n".join("|".join(f"{v:.9f}" if isinstance(v, float) else str(v) for v in row) for row in rows)
    return f"{len(rows)} rows, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kept", required=True, help="a folder kept by bench/real_season.py --keep (its clean/ run): data/ and dagster_home/")
    parser.add_argument("--start", default="2024-10-22")
    parser.add_argument("--end", default="2025-06-22")
    parser.add_argument("--repeat", type=int, default=2, help="runs of the range (the first warms the caches)")
    args = parser.parse_args()
    kept = Path(args.kept)
    if not (kept / "data" / "warehouse.duckdb").exists() or not (kept / "dagster_home").is_dir():
        print(f"{kept} is not a kept run: expected data/warehouse.duckdb and dagster_home/ (make one with bench/real_season.py --keep)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="nba-range-reports-"))
    shutil.copytree(kept / "data", work / "data", ignore=shutil.ignore_patterns("landing", "exports"))
    shutil.copytree(kept / "dagster_home", work / "home")
    os.environ.update(NBA_SOURCE="simulated", NBA_WAREHOUSE="duckdb", NBA_DATA_DIR=str(work / "data"), DAGSTER_HOME=str(work / "home"),
                      NBA_CLOCK=f"{args.end}T23:00:00-04:00")

    from dagster import DagsterInstance, materialize

    from nba_assets.automation.deadlines import data_selection
    from nba_assets.definitions import build_defs

    defs = build_defs()
    instance = DagsterInstance.get()
    print(f"range {args.start} .. {args.end}: {', '.join(ASSETS)} as one run; instance {instance.get_runs_count()} runs (copy in {work})")
    for attempt in range(1, args.repeat + 1):
        began = time.perf_counter()
        result = materialize([*defs.assets, *defs.asset_checks], selection=data_selection(*ASSETS), resources=defs.resources, instance=instance,
                             tags={"dagster/asset_partition_range_start": args.start, "dagster/asset_partition_range_end": args.end},
                             run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}, raise_on_error=False)
        wall = time.perf_counter() - began
        steps = {e.step_key: e.event_specific_data.duration_ms / 1000 for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
        rows = {}
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            if "rows" in materialization.metadata:
                rows[materialization.asset_key.to_user_string()] = int(materialization.metadata["rows"].value)
        print(f"run {attempt}: {'ok' if result.success else 'FAILED'} in {wall:.1f} s; steps " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
              + "; rows " + ", ".join(f"{k} {v}" for k, v in rows.items()))
        if not result.success:
            return 1
    print("system_performance:", digest(work / "data", "system_performance", args.start, args.end,
                                        "game_date, system_id, period, segment_type, segment, picks, wins, losses, pushes, voided, hit_rate, played, mae, bias, line_mae"))
    print("health_report:", digest(work / "data", "health_report", args.start, args.end, "game_date, grade, games, issues"))
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
