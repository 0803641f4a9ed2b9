"""Names per source: ASCII balldontlie, accented ESPN, and the Odds API's occasional variants."""

from __future__ import annotations

from collections import Counter

import pytest

from resources.simulated.names import ascii_fold, normalise, odds_spelling

from .conftest import YEAR


def test_normalise_and_fold():
    assert ascii_fold("Nikola Jokić") == "Nikola Jokic"
    assert ascii_fold("Kristaps Porziņģis Ørsted") == "Kristaps Porzingis Orsted"
    assert normalise("P.J. Washington") == normalise("PJ Washington") == "pjwashington"
    assert normalise("Jaren Jackson Jr.") == "jarenjacksonjr"
    assert odds_spelling("Herbert", "Jones", "", "nickname") == "Herb Jones"
    assert odds_spelling("Jaren", "Jackson", "Jr.", "no_suffix") == "Jaren Jackson"
    assert odds_spelling("P.J.", "Washington", "", "no_dots") == "PJ Washington"
    assert odds_spelling("Luka", "Dončić", "", "") == "Luka Doncic"


@pytest.mark.parametrize("year", [2016, YEAR, 2035])
def test_names_are_unique_per_season_after_normalisation(league, year):
    uids = [u for uids in league.universe.opening(year).values() for u in uids]
    players = [league.universe.players[u] for u in uids]
    for spelling in ("espn_full", "odds_name"):
        keys = [normalise(getattr(p, spelling)) for p in players]
        assert len(set(keys)) == len(keys), spelling
    assert len({p.bdl_id for p in players}) == len(players)
    assert len({p.espn_id for p in players}) == len(players)


def test_spelling_rules_per_source(league):
    league.universe.opening(2035)
    players = league.universe.players
    for p in players:
        assert (p.bdl_first + p.bdl_last).isascii() and p.odds_name.isascii()
        if p.suffix:
            assert p.bdl_last.endswith(p.suffix) and p.espn_full.endswith(p.suffix)
    accented = [p for p in players if not p.espn_full.isascii()]
    assert accented and all(p.bdl_last == ascii_fold(p.espn_last) for p in accented)
    assert all(p.odds_name == ascii_fold(p.espn_full) for p in players if p.odds_variant == "")


def test_variant_rates_roughly_as_specified(league):
    league.universe.opening(2035)
    players = league.universe.players
    n = len(players)
    kinds = Counter(p.odds_variant for p in players)
    differs = sum(normalise(p.odds_name) != normalise(p.espn_full) for p in players)
    assert n > 1500
    assert 0.01 <= differs / n <= 0.08, "a few % of players are spelled differently by the Odds API"
    assert 0.002 <= kinds["nickname"] / n <= 0.02, "about 1% use a nickname"
    assert kinds["no_suffix"] > 0 and kinds["no_dots"] > 0
    assert 0.02 <= sum(bool(p.suffix) for p in players) / n <= 0.1
    assert 0.01 <= sum("." in p.first for p in players) / n <= 0.07
    assert 0.03 <= sum(not p.espn_full.isascii() for p in players) / n <= 0.2


def test_api_spellings(bdl, espn, season):
    day = sorted(season.games_by_date)[30]
    boxes = bdl.get("/v1/box_scores", params={"date": day.isoformat()}).json()["data"]
    for game in boxes:
        for key in ("home_team", "visitor_team"):
            for entry in game[key]["players"]:
                assert (entry["player"]["first_name"] + entry["player"]["last_name"]).isascii()
    full_names = [a["fullName"] for team_id in range(1, 31)
                  for a in espn.get(f"/apis/site/v2/sports/basketball/nba/teams/{team_id}",
                                    params={"enable": "roster"}).json()["team"]["athletes"]]
    assert any(not name.isascii() for name in full_names)
