"""Teammates who are out and the opponent's defence of a position, on a hand-made history."""

import pandas as pd
import pytest

from nba_assets.features.lineup import opponent_allowed_to_position, primary_position, teammates_out_minutes

D1, D2, D3 = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02"), pd.Timestamp("2025-01-03")


def game(day, player, team, opponent, minutes, points, position="G"):
    return {"game_date": day, "game_id": f"{day:%Y%m%d}_{opponent}_{team}", "player_lookup": player, "team_abbr": team, "opponent_abbr": opponent,
            "minutes": minutes, "points": points, "position": position}


def test_the_minutes_of_teammates_who_sat_out_or_are_ruled_out_are_someone_elses():
    history = pd.DataFrame([game(D1, "p1", "AAA", "BBB", 30, 20), game(D1, "p2", "AAA", "BBB", 20, 10),
                            game(D2, "p1", "AAA", "CCC", 32, 22), game(D2, "p2", "AAA", "CCC", 0, 0)])  # p2 did not play on D2
    targets = pd.DataFrame({"game_date": D3, "game_id": "20250103_DDD_AAA", "team_abbr": "AAA", "player_lookup": ["p1", "p2", "p3"],
                            "injury_status": [None, None, "Out"]})
    recent = pd.Series([31.0, 20.0, 15.0])
    out = teammates_out_minutes(targets, recent, history)
    assert out.tolist() == [20.0 + 15.0, 15.0, 20.0]  # p1 loses p2 (sat out D2) and p3 (ruled out); nobody counts himself
    # a game on the target date itself is never used: the previous game stays D2
    same_day = pd.concat([history, pd.DataFrame([game(D3, "p2", "AAA", "DDD", 0, 0)])])
    assert teammates_out_minutes(targets, recent, same_day).tolist() == out.tolist()


def test_what_the_opponent_allowed_to_the_position_before_the_date():
    history = pd.DataFrame([game(D1, "g1", "AAA", "BBB", 30, 30), game(D1, "c1", "AAA", "BBB", 30, 12, "C-F"),
                            game(D2, "g2", "CCC", "BBB", 30, 50, "G-F")])
    targets = pd.DataFrame({"game_date": [D2, D3, D3], "player_lookup": ["g1", "g1", "c1"], "opponent_abbr": "BBB"})
    assert opponent_allowed_to_position(targets, history).tolist() == [30.0, 40.0, 12.0]
    unknown = pd.DataFrame({"game_date": [D3], "player_lookup": ["rookie"], "opponent_abbr": ["BBB"]})
    assert opponent_allowed_to_position(unknown, history).isna().all()  # no position known yet: defaulted downstream


@pytest.mark.parametrize("raw,expected", [("G", "G"), ("F-C", "F"), ("C-F", "C"), ("", None), (None, None)])
def test_primary_position(raw, expected):
    value = primary_position(pd.Series([raw], dtype="string")).iloc[0]
    assert (value if pd.notna(value) else None) == expected
