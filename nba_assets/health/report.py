"""Grading a game date's operations from what the Dagster instance recorded (DESIGN §5 deadlines).

- BRONZE: something expected is missing, or a blocking (ERROR) check failed;
- SILVER: everything is there and sound, but late, or a run failed on the way, or a warning;
- GOLD: everything on time, every check passed, no failed run. An off day is GOLD with nothing to do.

A date on which no system published picks because none has out-of-sample picks that pay at the offered prices gets a note
saying so: honest operations, whatever the grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from resources.clock import ET

GOLD, SILVER, BRONZE = "GOLD", "SILVER", "BRONZE"
# asset: (days after the game date, hour ET) by which its partition must first be materialised
DEADLINES = {
    "raw_games": (0, 11),
    "raw_player_props": (0, 13),
    "feature_store": (0, 13),
    "predictions": (0, 13),
    "raw_box_scores": (1, 3),
    "player_game_summary": (1, 8),
    "prediction_grades": (1, 8),
    "results_export": (1, 8),
}


@dataclass
class DayFacts:
    """What happened to one game date's partitions."""

    game_date: date
    games: int
    first_materialized: dict[str, datetime | None]
    failed_checks: list[tuple[str, str, str]] = field(default_factory=list)  # (asset, check, severity)
    failed_runs: int = 0
    no_edge: str | None = None  # why no picks were published, when no system's picks pay at offered prices


def deadline(day: date, asset: str) -> datetime:
    days, hour = DEADLINES[asset]
    return datetime.combine(day + timedelta(days=days), time(hour), tzinfo=ET)


def grade_day(facts: DayFacts) -> tuple[str, list[str]]:
    """The grade of the day and the issues behind it."""
    if facts.games == 0:
        return GOLD, ["off day: no games"]
    bronze, silver = [], []
    for asset in DEADLINES:
        when = facts.first_materialized.get(asset)
        if when is None:
            bronze.append(f"missing: {asset}")
        elif when > deadline(facts.game_date, asset):
            due = deadline(facts.game_date, asset)
            silver.append(f"late: {asset} first materialised {when.astimezone(ET):%Y-%m-%d %H:%M} ET, due {due:%Y-%m-%d %H:%M} ET")
    for asset, check, severity in facts.failed_checks:
        (bronze if severity == "ERROR" else silver).append(f"check failed ({severity.lower()}): {asset} {check}")
    if facts.failed_runs:
        silver.append(f"{facts.failed_runs} failed run(s) for this date")
    grade = BRONZE if bronze else SILVER if silver else GOLD
    notes = [f"note: no picks published: {facts.no_edge}"] if facts.no_edge else []
    return grade, bronze + silver + notes
