"""The feature store for a full slate the way the asset computes it (one warehouse read, one
vectorised pass) versus a per-player loop doing the same work one player at a time (a warehouse
query per player and per team, features one row at a time: the pattern that cost a predecessor
225 s a day).

    python bench/feature_store_vs_per_player.py [--data-dir DIR] [--date YYYY-MM-DD]

DIR is a data dir holding a backfilled season (`python bench/backfill_season.py --data-dir DIR --keep`);
without one, that backfill runs first into a temporary folder. Prints both wall times, the ratio,
and whether the two give identical features.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nba_assets.features.build import build_features  # noqa: E402
from nba_assets.features.contract import FEATURE_CONTRACT  # noqa: E402
from nba_assets.tables import HISTORY_DAYS  # noqa: E402


def read(conn, sql: str, params: list) -> pd.DataFrame:
    return conn.execute(sql, params).fetchdf()


def slate_inputs(conn, day: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    context = read(conn, "select * from nba.upcoming_player_game_context where game_date = ?", [day])
    teams = read(conn, "select * from nba.upcoming_team_game_context where game_date = ?", [day])
    return context, teams


def vectorised(conn, day: pd.Timestamp) -> pd.DataFrame:
    start = day - pd.Timedelta(days=HISTORY_DAYS)
    context, teams = slate_inputs(conn, day)
    history = read(conn, "select * from nba.player_game_summary where game_date >= ? and game_date < ?", [start, day])
    team_history = read(conn, "select * from nba.team_game_summary where game_date >= ? and game_date < ?", [start, day])
    return build_features(context, teams, history, team_history)


def per_player(conn, day: pd.Timestamp) -> pd.DataFrame:
    start = day - pd.Timedelta(days=HISTORY_DAYS)
    context, teams = slate_inputs(conn, day)
    rows = []
    for i in range(len(context)):
        player = context.iloc[[i]]
        history = read(conn, "select * from nba.player_game_summary where player_lookup = ? and game_date >= ? and game_date < ?",
                       [player["player_lookup"].iloc[0], start, day])
        team_history = read(conn, "select * from nba.team_game_summary where team_abbr in (?, ?) and game_date >= ? and game_date < ?",
                            [player["team_abbr"].iloc[0], player["opponent_abbr"].iloc[0], start, day])
        rows.append(build_features(player, teams, history, team_history))
    return pd.concat(rows, ignore_index=True)


def timed(fn, *args, repeat: int) -> tuple[float, pd.DataFrame]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="a data dir with a backfilled season (default: backfill one first)")
    parser.add_argument("--date", help="the slate (default: the busiest date after February 1)")
    args = parser.parse_args()
    folder = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="nba-bench-"))
    if not (folder / "data" / "warehouse.duckdb").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "backfill_season.py"), "--data-dir", str(folder), "--keep"], check=True, stdout=subprocess.DEVNULL)
    conn = duckdb.connect(str(folder / "data" / "warehouse.duckdb"), read_only=True)
    if args.date:
        day = pd.Timestamp(args.date)
    else:
        busiest = read(conn, "select game_date, count(*) n from nba.upcoming_player_game_context where month(game_date) between 2 and 4 group by 1 order by n desc, 1 limit 1", [])
        day = pd.Timestamp(busiest["game_date"].iloc[0])

    slate_seconds, slate = timed(vectorised, conn, day, repeat=5)
    loop_seconds, looped = timed(per_player, conn, day, repeat=1)
    names = list(FEATURE_CONTRACT.names)
    a = slate.sort_values("player_lookup").reset_index(drop=True)
    b = looped.sort_values("player_lookup").reset_index(drop=True)
    identical = len(a) == len(b) and np.allclose(a[names].to_numpy(float), b[names].to_numpy(float), rtol=0, atol=1e-9)

    print(f"slate {day:%Y-%m-%d}: {len(slate)} players, {slate['game_id'].nunique()} games, history window {HISTORY_DAYS} days")
    print(f"vectorised slate (1 history read, 1 pass):     {slate_seconds * 1000:8.1f} ms  (median of 5)")
    print(f"per-player loop ({2 * len(slate)} queries, {len(slate)} passes): {loop_seconds * 1000:8.1f} ms  ({loop_seconds / len(slate) * 1000:.1f} ms a player)")
    print(f"ratio: {loop_seconds / slate_seconds:.0f}x   (aim: at least 100x)")
    print(f"identical features: {'yes' if identical else 'NO'}")


if __name__ == "__main__":
    main()
