"""How the raw -> features backfill grows with history: 1, 2 and 4 seasons of the simulated league.

    python bench/scale.py [--sizes 1,2,4] [--days N] [--keep DIR]

For each size, the most recent N complete seasons (1: 2024-25; 2: 2023-24 and 2024-25; 4: 2021-22
to 2024-25) are backfilled into a fresh temporary warehouse and landing zone, through the `raw`,
`analytics` and `features` groups (not the model, predictions or exports), season by season as a
backfill runs them (`PartitionRunner.backfill`: raw in runs of 10 dates, analytics and features in
one run per season), every asset check evaluated, in this process with an ephemeral instance.
The off-season is skipped (it has nothing to backfill).

Prints per size: dates, asset partitions materialised, rows in the warehouse, wall seconds, seconds
per date and the growth ratios against 1 season, with the warehouse and landing-zone sizes; then,
from the largest warehouse, each table's rows per game date and its BigQuery logical bytes per row
(8 bytes a number, timestamp or date, 1 a boolean, 2 + the UTF-8 length a string), the figures
behind the README's estimate of what a day's run would scan in BigQuery.

`--days N` keeps only the first N dates of each season (a full run of 1 + 2 + 4 seasons takes about
7 season backfills: roughly 10 minutes on an idle 2-core machine, much more on a busy one).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LATEST_SEASON = 2024  # 2024-25: the seasons before it reach back to the first partition (2021-10-19)
GROUPS = ("raw", "analytics", "market", "features")


def season_ranges(count: int, days: int | None) -> list[tuple[date, date]]:
    from nba_assets.partitions import FIRST_GAME_DATE
    from resources.simulated import default_league

    league, first_partition = default_league(), date.fromisoformat(FIRST_GAME_DATE)
    ranges = []
    for season in range(LATEST_SEASON - count + 1, LATEST_SEASON + 1):
        first, last = league.season_days(season)
        first = max(first, first_partition)
        if days:
            last = min(last, first + timedelta(days=days - 1))
        ranges.append((first, last))
    return ranges


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def warehouse_rows(path: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as conn:
        tables = [row[0] for row in conn.execute("select table_name from information_schema.tables where table_schema = 'nba' order by 1").fetchall()]
        return {t: conn.execute(f"select count(*) from nba.{t}").fetchall()[0][0] for t in tables}


def run_size(seasons: int, days: int | None, folder: Path) -> dict:
    """Backfill the last `seasons` seasons into `folder`; returns the figures of the size."""
    from dagster import DagsterInstance

    from nba_assets.definitions import build_defs
    from nba_assets.runner import PartitionRunner

    shutil.rmtree(folder, ignore_errors=True)
    os.environ["NBA_DATA_DIR"] = str(folder)
    defs = build_defs()
    graph = defs.resolve_asset_graph()
    keys = [n.key for n in graph.asset_nodes if n.group_name in GROUPS and n.partitions_def is not None]
    lines: list[str] = []
    runner = PartitionRunner(defs, keys, DagsterInstance.ephemeral(), echo=lines.append)
    ranges = season_ranges(seasons, days)
    failures, stages = [], {}
    started = time.perf_counter()
    for first, last in ranges:
        began = time.perf_counter()
        failed, timings = runner.backfill(first, last)
        failures += failed
        for name, seconds in timings.items():
            stages[name] = stages.get(name, 0.0) + seconds
        print(f"    season {first} .. {last}: {time.perf_counter() - began:6.1f} s ({', '.join(f'{k} {v:.0f} s' for k, v in timings.items() if v >= 0.05)})", flush=True)
    wall = time.perf_counter() - started
    if failures:
        print("    failed runs:\n      " + "\n      ".join(f"{o.partition}: {o.error}" for o in failures))
    partitions = sum(len(runner.instance.get_materialized_partitions(key)) for key in keys)
    rows = warehouse_rows(folder / "warehouse.duckdb")
    return {
        "seasons": seasons, "dates": sum((last - first).days + 1 for first, last in ranges), "partitions": partitions,
        "rows": sum(rows.values()), "table_rows": rows, "wall": wall, "stages": stages, "failed": len(failures),
        "warehouse_mb": (folder / "warehouse.duckdb").stat().st_size / 1e6, "landing_mb": folder_bytes(folder / "landing") / 1e6,
    }


BQ_FIXED = {"BIGINT": 8, "INTEGER": 8, "DOUBLE": 8, "FLOAT": 8, "TIMESTAMP": 8, "DATE": 8, "BOOLEAN": 1, "TIMESTAMP WITH TIME ZONE": 8}


def bigquery_row_bytes(path: Path) -> list[tuple[str, float, float, int]]:
    """Per table: game dates stored, rows per game date, BigQuery logical bytes per row."""
    import duckdb

    out = []
    with duckdb.connect(str(path), read_only=True) as conn:
        for (table,) in conn.execute("select table_name from information_schema.tables where table_schema = 'nba' order by 1").fetchall():
            columns = conn.execute(f"select column_name, data_type from information_schema.columns where table_schema = 'nba' and table_name = '{table}'").fetchall()
            parts = []
            for name, kind in columns:
                if kind in BQ_FIXED:
                    parts.append(f"{BQ_FIXED[kind]} * count(\"{name}\")")
                else:  # strings (and anything else stored as text): 2 bytes + the UTF-8 length
                    parts.append(f"sum(2 + strlen(cast(\"{name}\" as varchar)))")
            rows, total = conn.execute(f"select count(*), {' + '.join(f'coalesce({p}, 0)' for p in parts)} from nba.{table}").fetchall()[0]
            has_date = any(name == "game_date" for name, _ in columns)
            dates = conn.execute(f"select count(distinct game_date) from nba.{table} where game_date is not null").fetchall()[0][0] if has_date else 0
            if rows:
                out.append((table, dates, rows / dates if dates else float("nan"), round(total / rows)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,4", help="numbers of seasons, comma-separated (default 1,2,4; at most 4)")
    parser.add_argument("--days", type=int, help="keep only the first N dates of each season (a shorter run)")
    parser.add_argument("--keep", help="build the warehouses in this folder and keep them (default: a temporary folder, removed)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if not all(1 <= s <= LATEST_SEASON - 2021 + 1 for s in sizes):
        parser.error("sizes are 1 to 4 seasons: the partitions start with season 2021-22")

    os.environ.update(NBA_SOURCE="simulated", NBA_WAREHOUSE="duckdb", NBA_CLOCK=datetime(LATEST_SEASON + 1, 7, 1, 12).astimezone().isoformat())
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nba-scale-"))
    load = os.getloadavg()[0]
    print(f"raw -> features of the simulated league, {os.cpu_count()} cores, load average {load:.1f} at start"
          f"{f', first {args.days} dates of each season' if args.days else ''}; folder {root}")
    results = []
    try:
        for seasons in sizes:
            print(f"  {seasons} season{'s' if seasons > 1 else ''}:", flush=True)
            results.append(run_size(seasons, args.days, root / f"seasons-{seasons}"))
        base = results[0]
        print(f"\n{'seasons':>7} {'dates':>6} {'partitions':>10} {'rows':>11} {'wall s':>8} {'s/date':>7} {'x dates':>7} {'x rows':>7} {'x wall':>7} {'warehouse MB':>12} {'landing MB':>10} {'failed':>6}")
        for r in results:
            print(f"{r['seasons']:7d} {r['dates']:6d} {r['partitions']:10,d} {r['rows']:11,d} {r['wall']:8.1f} {r['wall'] / r['dates']:7.3f} "
                  f"{r['dates'] / base['dates']:7.2f} {r['rows'] / base['rows']:7.2f} {r['wall'] / base['wall']:7.2f} {r['warehouse_mb']:12.1f} {r['landing_mb']:10.1f} {r['failed']:6d}")
        print("\nwall seconds by stage: " + "; ".join(f"{r['seasons']} season(s): " + ", ".join(f"{k} {v:.0f}" for k, v in r["stages"].items() if v >= 0.05) for r in results))
        largest = max(results, key=lambda r: r["seasons"])
        print(f"\nper table, {largest['seasons']} season(s) ({largest['dates']} dates): game dates stored, rows per game date, BigQuery logical bytes per row")
        for table, dates, per_date, row_bytes in bigquery_row_bytes(root / f"seasons-{largest['seasons']}" / "warehouse.duckdb"):
            print(f"  {table:30s} {dates:5d} {per_date:9.1f} {row_bytes:6d} B   ({largest['table_rows'][table]:,d} rows)")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 1 if any(r["failed"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
