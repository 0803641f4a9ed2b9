"""Feature windows on a hand-made history: DNPs skipped, season boundary crossed, the date itself never used."""

import pandas as pd
import pytest

from nba_assets.analytics.context import upcoming_team_context
from nba_assets.features.build import build_features
from nba_assets.features.contract import FEATURE_CONTRACT

D = pd.Timestamp("2024-11-01")


def game(day, points, minutes, opponent="BOS", season=None):
    day = pd.Timestamp(day)
    return {"game_date": day, "game_id": f"{day:%Y%m%d}_{opponent}_LAL", "season": season or (day.year if day.month >= 8 else day.year - 1),
            "player_lookup": "p", "team_abbr": "LAL", "opponent_abbr": opponent, "minutes": minutes, "points": points,
            "ftm": points // 5, "fga": 10, "fg3a": 4, "usage_rate": minutes / 2 if minutes >= 5 else None, "position": "G-F"}


LAST_SEASON = [game("2024-04-01", 10, 20.0), game("2024-04-03", 20, 30.0), game("2024-04-05", 0, 0.0)]  # then a DNP


@pytest.fixture
def features():
    return built([*LAST_SEASON, game("2024-10-25", 30, 30.0, "NYK"), game("2024-10-27", 0, 0.0), game("2024-10-29", 40, 40.0),
                  game("2024-11-01", 999, 48.0)])  # the game being predicted: must never count


def built(games: list[dict]) -> pd.Series:
    """The feature row of player p for the Nov 1 game, from his box-score history `games`."""
    history = pd.DataFrame(games)
    team_history = pd.DataFrame([{"game_date": g, "game_id": f"{g:%Y%m%d}_BOS_LAL", "season": 2024, "team_abbr": t, "win": True, "pace": 100.0, "off_rating": 110.0, "def_rating": 105.0}
                                 for g in pd.to_datetime(["2024-10-25", "2024-10-29"]) for t in ("LAL", "BOS")])
    slate = pd.DataFrame([{"game_date": D, "game_id": "20241101_BOS_LAL", "tip_time_utc": pd.Timestamp("2024-11-01 23:30"), "home_team_abbr": "LAL", "away_team_abbr": "BOS"}])
    teams = upcoming_team_context(slate, team_history)
    context = pd.DataFrame([{
        "game_date": D, "game_id": "20241101_BOS_LAL", "season": 2024, "player_lookup": "p", "team_abbr": "LAL", "opponent_abbr": "BOS",
        "home": True, "days_rest": 3, "back_to_back": False, "games_in_last_7_days": 2, "player_age": 27.5, "injury_status": None,
        "recent_absences": 1, "current_line": 31.5, "opening_line": 30.5, "line_movement": 1.0, "line_spread": 1.5,
    }])
    return build_features(context, teams, history, team_history).iloc[0]


def test_before_his_first_game_of_the_season_his_season_average_is_his_recent_form():
    from nba_assets.model.baseline import moving_average

    first = built(LAST_SEASON)
    assert first.points_avg_last_10 == 15.0 and first.points_avg_season == 15.0 and "points_avg_season" in first.defaulted_features.split(",")
    assert moving_average(first.to_frame().T).iloc[0] == pytest.approx(15.0)  # the baseline reads the filled value as it is


def test_windows_skip_dnps_and_cross_the_season_boundary(features):
    # played games before Nov 1: 10, 20 (last season), 30, 40 (this season)
    assert features.points_avg_last_5 == 25.0 and features.points_avg_last_10 == 25.0
    assert features.points_avg_season == 35.0
    assert features.points_std_last_10 == pytest.approx(pd.Series([10, 20, 30, 40]).std(ddof=0))
    assert features.minutes_avg_last_10 == 30.0 and features.ppm_avg_last_10 == pytest.approx(100 / 120)
    assert features.recent_trend == pytest.approx(35 - 15)  # last two (30, 40) vs the three before (10, 20)
    assert features.minutes_change == pytest.approx(30 - 35)


def test_opponent_team_and_line_features(features):
    assert features.avg_points_vs_opponent == pytest.approx(70 / 3) and features.games_vs_opponent == 3  # vs BOS: 10, 20, 40
    assert features.team_pace == 100.0 and features.opponent_def_rating == 105.0 and features.team_win_pct == 1.0
    assert features.vegas_points_line == 31.5 and features.vegas_line_move == 1.0 and features.has_vegas_line == 1.0
    assert features.injury_risk == pytest.approx(1 / 3)  # missed one of the team's last three games
    assert features.home_away == 1.0 and features.days_rest == 3 and features.player_age == 27.5
    assert features.line_vs_form == 31.5 - 25.0 and features.line_books_spread == 1.5


def test_projected_minutes_usage_and_lineup(features):
    assert features.minutes_avg_last_3 == pytest.approx((30 + 30 + 40) / 3)  # the last three games he played
    assert features.usage_avg_last_10 == pytest.approx((10 + 15 + 15 + 20) / 4)  # known usage of his played games
    assert features.teammates_out_minutes == 0.0  # alone on his roster
    # he scored against BOS only; the opponent BOS allowed guards 10, 20 and 40 in the games before
    assert features.opponent_points_allowed_to_position == pytest.approx(70 / 3)


def test_contract_order_and_quality_columns(features):
    names = list(features.index)
    assert names[:5] == ["game_date", "game_id", "player_lookup", "team_abbr", "opponent_abbr"]
    assert names[5:5 + len(FEATURE_CONTRACT.names)] == list(FEATURE_CONTRACT.names)
    assert features.features_defaulted == 0 and features.defaulted_features == ""


def test_a_player_without_history_gets_counted_defaults():
    context = pd.DataFrame([{"game_date": D, "game_id": "20241101_BOS_LAL", "season": 2024, "player_lookup": "rookie", "team_abbr": "LAL",
                             "opponent_abbr": "BOS", "home": False, "days_rest": None, "back_to_back": False, "games_in_last_7_days": 0,
                             "player_age": 19.2, "injury_status": "Questionable", "recent_absences": 0, "current_line": None, "opening_line": None, "line_movement": None,
                             "line_spread": None}])
    teams = pd.DataFrame([{"game_id": "20241101_BOS_LAL", "team_abbr": t, "days_rest": None, "win_pct": None, "wins": 0, "losses": 0} for t in ("LAL", "BOS")])
    history = pd.DataFrame(columns=["game_date", "game_id", "player_lookup", "team_abbr", "minutes", "points", "ftm", "fga", "fg3a", "season", "opponent_abbr",
                                    "usage_rate", "position"])
    row = build_features(context, teams, history,
                         pd.DataFrame(columns=["game_date", "team_abbr", "pace", "off_rating", "def_rating"])).iloc[0]
    assert row.points_avg_last_10 == 0.0 and row.has_vegas_line == 0.0 and row.injury_risk == 0.5 and row.team_win_pct == 0.5
    assert row.features_defaulted >= 10 and "points_avg_last_10" in row.defaulted_features and bool(row.early_season)
    assert row.usage_avg_last_10 == 20.0 and row.opponent_points_allowed_to_position == 35.0 and row.line_vs_form == 0.0 and row.minutes_avg_last_3 == 0.0
    assert {"usage_avg_last_10", "opponent_points_allowed_to_position", "line_vs_form", "line_books_spread"} <= set(row.defaulted_features.split(","))
