"""Game-date partitions: one per calendar day in America/New_York, today's slate included.

A game belongs to the ET date it tips on (22:30 ET on Jan 20 is Jan 20, though it is Jan 21 in UTC).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from dagster import DailyPartitionsDefinition, WeeklyPartitionsDefinition

from resources.clock import ET

FIRST_GAME_DATE = "2021-10-19"

game_date_partitions = DailyPartitionsDefinition(
    start_date=FIRST_GAME_DATE,
    timezone="America/New_York",
    end_offset=1,
    fmt="%Y-%m-%d",
)

# The points model is trained once a week (Monday 00:00 ET); the first week holds the first game date.
model_weeks = WeeklyPartitionsDefinition(start_date="2021-10-18", timezone="America/New_York", day_offset=1, end_offset=1, fmt="%Y-%m-%d")



def week_of(day: pd.Timestamp) -> str:
    """The `model_weeks` partition key (its Monday) of a game date."""
    return f"{(day - pd.Timedelta(days=day.weekday())):%Y-%m-%d}"


# Tables of results: a date's partition can only be complete once its games are over. Today's slate
# is built without them (one partitions definition for all, so a date is one run).
RESULTS_TABLES = frozenset({"raw_box_scores", "player_game_summary", "team_game_summary", "prediction_grades", "system_performance",
                            "results_export", "performance_export", "health_report"})


def partition_date(key: str) -> date:
    """The game date of a partition key (`YYYY-MM-DD`)."""
    return date.fromisoformat(key)


def et_midnight(day: date) -> datetime:
    """Midnight ET at the start of `day`, timezone-aware."""
    return datetime(day.year, day.month, day.day, tzinfo=ET)


def season_of(day: date) -> int:
    """The NBA season (its start year) a date belongs to: August to July (2025-01-20 -> 2024)."""
    return day.year if day.month >= 8 else day.year - 1


def season_start_year(game_dates: pd.Series) -> pd.Series:
    """`season_of` for a column of game dates (timestamps)."""
    return game_dates.dt.year - (game_dates.dt.month < 8).astype(int)
