"""Box-score formulas on a hand-computed game."""

import pandas as pd
import pytest

from nba_assets.analytics.box_scores import player_game_summary, team_game_summary

DAY = pd.Timestamp("2025-01-20")


def line(team, opp, home, pid, minutes, pts, fgm, fga, fg3m, fg3a, ftm, fta, oreb, tov):
    return {"game_date": DAY, "game_id": "20250120_BOS_LAL", "bdl_player_id": pid, "player_name": f"P{pid}", "team_abbr": team,
            "opponent_abbr": opp, "home": home, "minutes": minutes, "pts": pts, "fgm": fgm, "fga": fga, "fg3m": fg3m, "fg3a": fg3a,
            "ftm": ftm, "fta": fta, "oreb": oreb, "dreb": 0, "reb": oreb, "ast": 0, "stl": 0, "blk": 0, "turnover": tov, "pf": 0, "plus_minus": 0}


@pytest.fixture
def box():
    # LAL: two players sharing 240 minutes; BOS: one player (240 minutes) and a DNP
    rows = [
        line("LAL", "BOS", True, 1, 120.0, 30, 12, 20, 2, 5, 4, 5, 2, 3),
        line("LAL", "BOS", True, 2, 120.0, 20, 8, 20, 0, 2, 4, 5, 3, 2),
        line("BOS", "LAL", False, 3, 240.0, 40, 16, 40, 4, 10, 4, 10, 5, 10),
        line("BOS", "LAL", False, 4, 0.0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ]
    return pd.DataFrame(rows)


def test_player_rates(box):
    players = player_game_summary(box, pd.Series(["a", "b", "c", "d"]))
    a = players.iloc[0]
    assert a.ts_pct == pytest.approx(30 / (2 * (20 + 0.44 * 5)))
    assert a.efg_pct == pytest.approx((12 + 0.5 * 2) / 20)
    # used: 20 + 0.44*5 + 3 = 25.2; team used: 40 + 0.44*10 + 5 = 49.4; team minutes 240 -> 48
    assert a.usage_rate == pytest.approx(100 * 25.2 * 48 / (120 * 49.4))
    c = players.iloc[2]
    # 240 minutes is all five floor spots: every possession of the team, spread over five spots
    assert c.usage_rate == pytest.approx(20.0)
    dnp = players.iloc[3]
    assert bool(dnp.is_dnp) and pd.isna(dnp.usage_rate) and pd.isna(dnp.ts_pct) and dnp.minutes == 0
    assert players["season"].unique().tolist() == [2024]


def test_usage_is_left_empty_for_short_stints(box):
    box.loc[1, "minutes"] = 3.0
    assert pd.isna(player_game_summary(box, pd.Series(list("abcd"))).iloc[1].usage_rate)


def test_team_possessions_ratings_and_pace(box):
    teams = team_game_summary(player_game_summary(box, pd.Series(list("abcd"))))
    assert list(teams["team_abbr"]) == ["LAL", "BOS"] and len(teams) == 2
    lal, bos = teams.iloc[0], teams.iloc[1]
    lal_poss = 40 + 0.44 * 10 + 5 - 5  # FGA + 0.44 FTA + TOV - OREB
    bos_poss = 40 + 0.44 * 10 + 10 - 5
    assert lal.possessions == pytest.approx(lal_poss) and bos.possessions == pytest.approx(bos_poss)
    assert lal.off_rating == pytest.approx(100 * 50 / lal_poss) and lal.def_rating == pytest.approx(100 * 40 / bos_poss)
    assert lal.pace == pytest.approx(48 * (lal_poss + bos_poss) / 2 / 48)
    assert bool(lal.win) and not bool(bos.win) and lal.opp_points == 40


def schedule(period=4, home_score=50, away_score=40):
    return pd.DataFrame([{"game_id": "20250120_BOS_LAL", "home_team_abbr": "LAL", "away_team_abbr": "BOS", "home_score": home_score,
                          "away_score": away_score, "period": period}])


def test_pace_is_per_48_minutes_of_the_games_length(box):
    """An overtime game lasts 53 minutes: pace counts possessions per 48 of them, whatever the box score's minutes add up to."""
    players = player_game_summary(box.assign(minutes=box["minutes"] * 0.9), pd.Series(list("abcd")))  # minutes truncated in the box
    lal_poss, bos_poss = 40 + 0.44 * 10 + 5 - 5, 40 + 0.44 * 10 + 10 - 5
    regulation = team_game_summary(players, schedule(period=4)).iloc[0]
    assert regulation.minutes == 48 and regulation.pace == pytest.approx((lal_poss + bos_poss) / 2)
    overtime = team_game_summary(players, schedule(period=5)).iloc[0]
    assert overtime.minutes == 53 and overtime.pace == pytest.approx(48 * (lal_poss + bos_poss) / 2 / 53)


def test_a_box_score_missing_players_takes_the_final_score_and_scales_possessions(box):
    """LAL's box score lists 50 of its 62 points (a player missing from the feed): the final score
    decides points and the result, and possessions grow by 62 / 50."""
    players = player_game_summary(box, pd.Series(list("abcd")))
    teams = team_game_summary(players, schedule(home_score=62, away_score=40)).set_index("team_abbr")
    lal, bos = teams.loc["LAL"], teams.loc["BOS"]
    assert lal.points == 62 and lal.box_score_share == pytest.approx(50 / 62) and bos.box_score_share == 1.0
    lal_poss = (40 + 0.44 * 10 + 5 - 5) * 62 / 50
    assert lal.possessions == pytest.approx(lal_poss) and lal.off_rating == pytest.approx(100 * 62 / lal_poss)
    assert bos.def_rating == pytest.approx(100 * 62 / lal_poss) and bool(lal.win)
    # the final score, not the box, decides who won
    assert not bool(team_game_summary(players, schedule(home_score=62, away_score=70)).set_index("team_abbr").loc["LAL", "win"])
