"""`nba-assets demo`: the whole pipeline on the simulated league, then its walk-forward results.

It backfills the previous season (history for the model) and the current one through the latest
finished game date, in the stages a backfill runs them (raw, analytics, offers and features, one
model a week, predictions and grading), and prints how the systems did walk-forward, against the
market on the same player-games: MAE beside the line's, log loss of P(over) beside the market's, and
each system's picks at the books' offered prices: hit rate, ROI with its 95% interval, units won at
its stakes and closing-line value.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date, timedelta

import duckdb
import pandas as pd
from dagster import Definitions

from nba_assets.grading.performance import compared_rows, summarize
from nba_assets.partitions import season_of
from nba_assets.runner import PartitionRunner, ensure_dagster_home
from resources.clock import today_et
from resources.settings import data_dir
from resources.simulated import default_league
from resources.warehouse import DUCKDB_FILE, SCHEMA, table_exists


def demo_end(today: date) -> date:
    """The last date of the demo: yesterday if the simulated season was on, else its last game day."""
    league, day = default_league(), today - timedelta(days=1)
    for _ in range(400):
        if league.season_of(day) is not None:
            return day
        day -= timedelta(days=1)
    raise RuntimeError("the simulated league has no season in the last 400 days")


def demo_start(end: date) -> date:
    """The first game date of the season before `end`'s: a full season of history for the model."""
    return default_league().season_days(season_of(end) - 1)[0]


def walk_forward(start: date, end: date) -> pd.DataFrame:
    """Graded rows of the period, every system, on the player-games where all predicted, a line existed and the player played."""
    with duckdb.connect(str(data_dir() / DUCKDB_FILE), read_only=True) as conn:
        if not table_exists(conn, SCHEMA, "prediction_grades"):
            return pd.DataFrame()
        grades = conn.execute(f"select * from {SCHEMA}.prediction_grades where game_date between ? and ?", [start, end]).fetchdf()
    return compared_rows(grades)


def _interval(value: float, low: float, high: float, scale: float = 100.0, digits: int = 1) -> str:
    return f"{scale * value:+.{digits}f} [{scale * low:+.{digits}f}, {scale * high:+.{digits}f}]" if pd.notna(low) else f"{scale * value:+.{digits}f}"


def results_table(grades: pd.DataFrame) -> str:
    """Per system on the same player-games: MAE beside the line's, log loss beside the market's (the
    paired difference's interval), and its picks at offered prices: hit rate, ROI, units, CLV."""
    if grades.empty:
        return "no graded player-games with a line yet"
    first = grades[grades["system_id"] == grades["system_id"].iloc[0]]
    lines = [f"{len(first)} player-games with a line where every system predicted ({grades['game_date'].min():%Y-%m-%d} .. {grades['game_date'].max():%Y-%m-%d}); "
             f"the line's MAE {summarize(first)['line_mae']:.3f}, the market's log loss {summarize(first)['market_log_loss']:.4f}",
             f"  {'system':>16} {'MAE':>6} {'log loss':>9} {'- market [95%] (x1000)':>26} {'picks':>6} {'hit rate':>9} {'ROI % [95%]':>22} {'units':>8} "
             f"{'CLV pp (n)':>14}"]
    for system, rows in grades.groupby("system_id"):
        r = summarize(rows)
        decided = r["wins"] + r["losses"]
        picks = f"{decided:>6} {r['hit_rate']:>9.1%} {_interval(r['roi'], r['roi_low'], r['roi_high']):>22} {r['units']:>+8.1f}" if decided else f"{0:>6} {'-':>9} {'-':>22} {'-':>8}"
        clv = f"{100 * r['clv_prob']:+.1f} ({r['clv_picks']})" if r["clv_picks"] else "-"
        lines.append(f"  {system:>16} {r['mae']:6.3f} {r['log_loss']:9.4f} {_interval(r['log_loss_diff'], r['log_loss_diff_low'], r['log_loss_diff_high'], 1000.0, 2):>26} "
                     f"{picks} {clv:>14}")
    return "\n".join(lines)


def season_ranges(start: date, end: date) -> list[tuple[date, date]]:
    """The parts of [start, end] inside a simulated regular season, one per season."""
    league, out = default_league(), []
    for season in range(season_of(start), season_of(end) + 1):
        first, last = league.season_days(season)
        if max(first, start) <= min(last, end):
            out.append((max(first, start), min(last, end)))
    return out


def run_demo(build_defs: Callable[[], Definitions], end: date | None = None, start: date | None = None) -> int:
    """Backfill the simulated league from `start` (default: the previous season's first game) through
    `end` (default: the latest finished game date) and print the walk-forward results; return the exit status.
    `build_defs` makes the code location once the demo's environment is set."""
    os.environ["NBA_SOURCE"] = "simulated"
    os.environ["NBA_WAREHOUSE"] = "duckdb"
    end = end or demo_end(today_et())
    start = start or demo_start(end)
    ensure_dagster_home()
    print(f"demo: simulated league, {start} .. {end}, data in {data_dir()}")
    began = time.monotonic()
    runner, failures, stages = PartitionRunner.load("*", build_defs()), [], {}
    for first, last in season_ranges(start, end):  # season by season: the off-season has nothing to backfill
        failed, timings = runner.backfill(first, last)
        failures += failed
        stages = {name: stages.get(name, 0.0) + seconds for name, seconds in timings.items()}
    print("\nstage timings: " + ", ".join(f"{name} {seconds:.0f}s" for name, seconds in stages.items()) + f", total {time.monotonic() - began:.0f}s")
    season_start = max(start, default_league().season_days(season_of(end))[0])
    periods = [("previous season", start, season_start - timedelta(days=1))] if start < season_start else []
    for label, first, last in [*periods, ("this season", season_start, end)]:
        print(f"\nwalk-forward results, {label}:")
        print(results_table(walk_forward(first, last)))
    print(f"\nwarehouse: {data_dir() / DUCKDB_FILE}; open the UI with `dagster dev` (same DAGSTER_HOME) to see these runs, checks and plots.")
    return 1 if failures else 0
