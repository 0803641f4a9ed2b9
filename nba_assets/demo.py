"""`nba-assets demo`: a week of the simulated league through the pipeline, then a summary."""

from __future__ import annotations

import os
from datetime import date, timedelta

import duckdb

from nba_assets.runner import PartitionRunner, ensure_dagster_home
from resources.clock import today_et
from resources.settings import data_dir
from resources.simulated import default_league
from resources.warehouse import DUCKDB_FILE, SCHEMA

DEMO_DAYS = 7


def demo_end(today: date) -> date:
    """The last date of the demo week: yesterday if the simulated season was on, else its last game day."""
    league, day = default_league(), today - timedelta(days=1)
    for _ in range(400):
        if league.season_of(day) is not None:
            return day
        day -= timedelta(days=1)
    raise RuntimeError("the simulated league has no season in the last 400 days")


SUMMARY_SQL = f"""
with games as (select game_date, count(*) as games from {SCHEMA}.raw_games group by 1),
box as (select game_date, count(*) as player_rows, count(*) filter (where minutes = 0) as dnps,
               round(avg(pts) filter (where minutes > 0), 1) as pts_per_played from {SCHEMA}.raw_box_scores group by 1),
props as (select game_date, count(*) as quotes, count(distinct player_name) as players_with_lines,
                 count(distinct bookmaker) as books, count(distinct snapshot_at_utc) as snapshots from {SCHEMA}.raw_player_props group by 1),
rosters as (select game_date, count(distinct team_abbr) as teams, count(*) as roster_rows from {SCHEMA}.raw_espn_rosters group by 1),
features as (select game_date, count(*) as feature_rows, sum(has_vegas_line)::int as with_line,
                    round(avg(features_defaulted), 1) as defaulted_per_row from {SCHEMA}.feature_store group by 1)
select strftime(g.game_date, '%Y-%m-%d') as date, g.games, b.player_rows, b.dnps, b.pts_per_played,
       r.teams as roster_teams, p.quotes, p.players_with_lines, p.books, p.snapshots, f.feature_rows, f.with_line, f.defaulted_per_row
from games g left join box b using (game_date) left join props p using (game_date) left join rosters r using (game_date)
left join features f using (game_date)
where g.game_date between ? and ? order by 1
"""


def print_summary(start: date, end: date) -> None:
    path = data_dir() / DUCKDB_FILE
    with duckdb.connect(str(path), read_only=True) as conn:
        frame = conn.execute(SUMMARY_SQL, [start, end]).fetchdf()
    print()
    print(f"warehouse: {path} (schema {SCHEMA})")
    print(frame.to_string(index=False) if len(frame) else "no games in the demo week")


def run_demo(end: date | None = None) -> int:
    """Run every game-date asset for a week of the simulated league; return the exit status."""
    os.environ["NBA_SOURCE"] = "simulated"
    os.environ["NBA_WAREHOUSE"] = "duckdb"
    end = end or demo_end(today_et())
    start = end - timedelta(days=DEMO_DAYS - 1)
    ensure_dagster_home()
    print(f"demo: simulated league, {start} .. {end}, data in {data_dir()}")
    failures = PartitionRunner.load("*").run_range(start, end)
    print_summary(start, end)
    print("\nOpen the UI with `dagster dev` (same DAGSTER_HOME) to see these runs and materialisations.")
    return 1 if failures else 0
