"""ESPN roster: the current roster with birth dates, ages as of now, injuries and trades."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from resources.teams import BY_TRICODE, TEAMS

from .conftest import YEAR

ROSTER = "/apis/site/v2/sports/basketball/nba/teams/{}"


def _athletes(espn, team_id) -> list[dict]:
    response = espn.get(ROSTER.format(team_id), params={"enable": "roster"})
    assert response.status_code == 200
    return response.json()["team"]["athletes"]


def test_team_shape_uses_espn_ids_and_abbreviations(espn):
    for team in TEAMS:
        body = espn.get(ROSTER.format(team.espn_id), params={"enable": "roster"}).json()["team"]
        assert body["id"] == str(team.espn_id) and body["abbreviation"] == team.espn_abbr
        assert body["displayName"] == team.bdl_full_name and body["isActive"] is True
        assert 13 <= len(body["athletes"]) <= 17
    assert espn.get(ROSTER.format("gs"), params={"enable": "roster"}).json()["team"]["id"] == "9"
    assert "athletes" not in espn.get(ROSTER.format(9)).json()["team"]
    for bad in ("99", "XYZ"):
        response = espn.get(ROSTER.format(bad), params={"enable": "roster"})
        assert response.status_code == 404 and "message" in response.json()


def test_athletes_have_birth_dates_and_ages_as_of_now(espn, season, clock):
    today = clock().date()
    expected = season.universe.roster_on(YEAR, today)["BOS"]
    athletes = _athletes(espn, 2)
    assert {a["id"] for a in athletes} == {season.universe.players[u].espn_id for u in expected}
    by_id = {season.universe.players[u].espn_id: season.universe.players[u] for u in expected}
    for a in athletes:
        player = by_id[a["id"]]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T0[78]:00Z", a["dateOfBirth"])
        assert date.fromisoformat(a["dateOfBirth"][:10]) == player.birth_date
        if 5 <= player.birth_date.month <= 9:
            assert a["dateOfBirth"].endswith("T07:00Z")
        if player.birth_date.month in (12, 1, 2):
            assert a["dateOfBirth"].endswith("T08:00Z")
        assert a["age"] == player.age_on(today) and 18 <= a["age"] <= 41
        assert a["fullName"] == player.espn_full and a["position"]["abbreviation"] in {"PG", "SG", "SF", "PF", "C"}
        assert a["status"]["type"] == "active" and isinstance(a["injuries"], list)


def test_espn_injuries_agree_with_the_balldontlie_report(espn, bdl, season, at):
    at(datetime(YEAR + 1, 2, 25, 16, 0, tzinfo=timezone.utc))
    report = bdl.get("/v1/player_injuries", params={"per_page": 100}).json()["data"]
    assert report
    by_team: dict[int, dict[int, str]] = {}
    for item in report:
        by_team.setdefault(item["player"]["team_id"], {})[item["player"]["id"]] = item["status"]
    bdl_of = dict(zip(season.players["espn_athlete_id"], season.players["bdl_player_id"]))
    for team in TEAMS[:10]:
        shown = {bdl_of[a["id"]]: a["injuries"][0]["status"] for a in _athletes(espn, team.espn_id) if a["injuries"]}
        assert shown == by_team.get(team.bdl_id, {})


def test_rosters_follow_trades_and_the_off_season(espn, season, at):
    trade = season.trades.iloc[0]
    player = season.universe.players[int(trade["uid"])]
    noon = datetime(trade["effective"].year, trade["effective"].month, trade["effective"].day, 17, tzinfo=timezone.utc)
    at(noon - timedelta(days=1))
    assert player.espn_id in {a["id"] for a in _athletes(espn, BY_TRICODE[trade["from_team"]].espn_id)}
    at(noon)
    assert player.espn_id in {a["id"] for a in _athletes(espn, BY_TRICODE[trade["to_team"]].espn_id)}
    assert player.espn_id not in {a["id"] for a in _athletes(espn, BY_TRICODE[trade["from_team"]].espn_id)}
    at(datetime(YEAR + 1, 8, 1, 16, tzinfo=timezone.utc))
    coming = season.universe.opening(YEAR + 1)["BOS"]
    athletes = _athletes(espn, 2)
    assert {a["id"] for a in athletes} == {season.universe.players[u].espn_id for u in coming}
    assert all(a["injuries"] == [] for a in athletes)
