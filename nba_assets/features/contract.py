"""The feature contract: the one ordered list of features that training and serving both use.

A model artifact records the contract it was trained on; serving refuses a vector whose names or
order differ. Change a feature's meaning or the list, and the version changes with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeatureContract:
    version: str
    names: tuple[str, ...]

    def as_metadata(self) -> dict[str, str]:
        return {"feature_contract_version": self.version, "feature_names": ",".join(self.names)}


FEATURE_CONTRACT = FeatureContract(
    version="v2",
    names=(
        "points_avg_last_5",
        "points_avg_last_10",
        "points_avg_season",
        "points_std_last_10",
        "minutes_avg_last_10",
        "ppm_avg_last_10",
        "games_in_last_7_days",
        "days_rest",
        "back_to_back",
        "rest_advantage",
        "home_away",
        "player_age",
        "recent_trend",
        "minutes_change",
        "opponent_def_rating",
        "opponent_pace",
        "team_pace",
        "team_off_rating",
        "team_win_pct",
        "avg_points_vs_opponent",
        "games_vs_opponent",
        "ft_share",
        "fg3a_rate",
        "injury_risk",
        "vegas_points_line",
        "vegas_opening_line",
        "vegas_line_move",
        "has_vegas_line",
        "line_vs_form",
        "line_books_spread",
        "minutes_avg_last_3",
        "usage_avg_last_10",
        "teammates_out_minutes",
        "opponent_points_allowed_to_position",
    ),
)

# Valid range of each feature (wide enough for one game's extremes, which a short history averages over);
# the range check fails a slate with a value outside.
FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "points_avg_last_5": (0, 70), "points_avg_last_10": (0, 70), "points_avg_season": (0, 70), "points_std_last_10": (0, 40),
    "minutes_avg_last_10": (0, 60), "ppm_avg_last_10": (0, 3), "games_in_last_7_days": (0, 5), "days_rest": (0, 10),
    "back_to_back": (0, 1), "rest_advantage": (-10, 10), "home_away": (0, 1), "player_age": (18, 45), "recent_trend": (-70, 70),
    "minutes_change": (-60, 60), "opponent_def_rating": (60, 180), "opponent_pace": (70, 130), "team_pace": (70, 130),
    "team_off_rating": (60, 180), "team_win_pct": (0, 1), "avg_points_vs_opponent": (0, 70), "games_vs_opponent": (0, 30),
    "ft_share": (0, 1), "fg3a_rate": (0, 1), "injury_risk": (0, 1), "vegas_points_line": (0, 70), "vegas_opening_line": (0, 70),
    "vegas_line_move": (-25, 25), "has_vegas_line": (0, 1), "line_vs_form": (-50, 50), "line_books_spread": (0, 30),
    "minutes_avg_last_3": (0, 60), "usage_avg_last_10": (0, 100), "teammates_out_minutes": (0, 400),
    "opponent_points_allowed_to_position": (0, 150),
}

# Features that may not be defaulted (filled because missing) for more than a few rows of a slate.
REQUIRED_FEATURES = ("home_away", "back_to_back", "games_in_last_7_days", "player_age", "injury_risk")

# Features that may legitimately take one value across a whole slate when the schedule says so
# (no team on a back-to-back, every team equally rested); the variation check asks the schedule.
SCHEDULE_CONSTANT_OK = ("back_to_back", "rest_advantage")
