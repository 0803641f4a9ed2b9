"""Box scores: internally consistent, every rostered player present, trades respected."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from resources.teams import BY_TRICODE

from .conftest import YEAR


def _final_day(season, offset: int = 40):
    return sorted(season.games_by_date)[offset]


def test_ground_truth_box_scores_are_consistent(season):
    b = season.box_scores
    assert (b["pts"] == 2 * b["fgm"] + b["fg3m"] + b["ftm"]).all()
    assert ((b["fgm"] <= b["fga"]) & (b["fg3m"] <= b["fg3a"]) & (b["fg3a"] <= b["fga"])
            & (b["fg3m"] <= b["fgm"]) & (b["ftm"] <= b["fta"])).all()
    assert (b["reb"] == b["oreb"] + b["dreb"]).all()
    assert (b["pf"] <= 6).all()
    dnp = b[b["dnp"]]
    assert (dnp[["min", "pts", "fga", "fta", "reb", "ast", "plus_minus"]] == 0).all().all()
    assert set(dnp["dnp_reason"]) == {"injury", "coach"}
    assert (b.loc[b["status"] == "Out", "dnp"]).all()


def test_minutes_sum_to_240_per_team_plus_25_per_overtime(season):
    minutes = season.box_scores.groupby(["game_idx", "is_home"])["min"].sum().unstack()
    periods = season.schedule.set_index("game_idx")["periods"]
    expected = 240 + 25 * (periods - 4)
    assert (minutes[True] == expected).all() and (minutes[False] == expected).all()
    assert (periods > 4).any(), "some games should need overtime"


def test_team_scores_are_player_sums_and_never_tied(season):
    points = season.box_scores.groupby(["game_idx", "is_home"])["pts"].sum().unstack()
    assert (points[True].to_numpy() == season.schedule["home_score"].to_numpy()).all()
    assert (points[False].to_numpy() == season.schedule["away_score"].to_numpy()).all()
    assert (season.schedule["home_score"] != season.schedule["away_score"]).all()
    assert 105 <= season.schedule[["home_score", "away_score"]].to_numpy().mean() <= 122


def test_api_box_scores_match_ground_truth_and_list_the_whole_roster(season, bdl):
    day = _final_day(season)
    body = bdl.get("/v1/box_scores", params={"date": day.isoformat()}).json()
    assert len(body["data"]) == len(season.games_by_date[day])
    rosters = season.universe.roster_on(YEAR, day)
    for game in body["data"]:
        assert game["status"] == "Final" and game["time"] == "Final"
        for key, score in (("home_team", "home_team_score"), ("visitor_team", "visitor_team_score")):
            team = game[key]
            players = team["players"]
            assert sum(p["pts"] for p in players) == game[score]
            tricode = team["abbreviation"]
            expected = {season.universe.players[u].bdl_id for u in rosters[tricode]}
            assert {p["player"]["id"] for p in players} == expected
            assert sum(int(p["min"]) for p in players) in (240, 265, 290, 315)
            for p in players:
                assert p["pts"] == 2 * p["fgm"] + p["fg3m"] + p["ftm"]
                assert p["reb"] == p["oreb"] + p["dreb"]
                assert isinstance(p["min"], str) and len(p["min"]) == 2
                if p["min"] == "00":
                    assert all(p[k] == 0 for k in ("pts", "fga", "fta", "reb", "ast", "stl", "plus_minus"))
        assert sum(game[f"home_q{q}"] for q in range(1, 5)) + sum(game[f"home_ot{k}"] or 0 for k in (1, 2, 3)) \
            == game["home_team_score"]


def test_dnp_rows_show_up_as_00_in_the_api(season, bdl):
    day = _final_day(season, 60)
    body = bdl.get("/v1/box_scores", params={"date": day.isoformat()}).json()
    rows = [p for g in body["data"] for key in ("home_team", "visitor_team") for p in g[key]["players"]]
    share = sum(p["min"] == "00" for p in rows) / len(rows)
    assert 0.1 <= share <= 0.45
    truth = season.box_scores[season.box_scores["game_date"] == day]
    assert sum(p["min"] == "00" for p in rows) == int(truth["dnp"].sum())


def test_dnp_share_and_scoring_are_realistic(season):
    b = season.box_scores
    played = b[~b["dnp"]]
    assert 0.20 <= b["dnp"].mean() <= 0.30
    assert 9.5 <= played["pts"].mean() <= 12.5
    assert 20 <= played["pts"].quantile(0.9) <= 26
    per_player = played.groupby("uid")["pts"].agg(["mean", "size"])
    regulars = per_player[per_player["size"] >= 40]["mean"]
    assert 23 <= regulars.max() <= 34, "stars score about 25-30"
    assert (b[b["dnp_reason"] == "coach"]["depth"] >= 9).all()


@pytest.mark.parametrize("which", [0, 1])
def test_traded_player_changes_team_on_the_effective_date(season, which):
    trade = season.trades.iloc[which]
    rows = season.box_scores[season.box_scores["uid"] == trade["uid"]]
    before = rows[rows["game_date"] < trade["effective"]]
    after = rows[rows["game_date"] >= trade["effective"]]
    assert len(before) and len(after)
    assert set(before["team"]) == {trade["from_team"]} and set(after["team"]) == {trade["to_team"]}
    assert season.team_on(int(trade["uid"]), trade["effective"] - timedelta(days=1)) == trade["from_team"]
    assert season.team_on(int(trade["uid"]), trade["effective"]) == trade["to_team"]


def test_player_ids_and_names_are_unique_and_ids_stable_across_seasons(league, season):
    players = season.players
    for col in ("uid", "bdl_player_id", "espn_athlete_id", "espn_full_name", "odds_name"):
        assert players[col].is_unique, col
    next_season = league.universe.opening(YEAR + 1)
    returning = set(players["uid"]) & {u for uids in next_season.values() for u in uids}
    assert len(returning) >= 0.85 * len(players)
    assert all(str(i).isdigit() for i in players["espn_athlete_id"])
    assert np.issubdtype(players["bdl_player_id"].dtype, np.integer)
    assert BY_TRICODE["LAC"].odds_name == "Los Angeles Clippers"
