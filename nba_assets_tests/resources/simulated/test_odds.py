"""The Odds API: shapes, quota, keys, history equal to the present, lines over time."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from resources.simulated import SimulatedLeague
from resources.simulated.odds import BOOKS

from .conftest import NOON_JAN_20, SEED, client_for

EVENTS = "/v4/sports/basketball_nba/events"
HISTORICAL_EVENTS = "/v4/historical/sports/basketball_nba/events"
PROPS = {"regions": "us", "markets": "player_points", "oddsFormat": "american"}


def _odds(client, event_id: str, **params):
    return client.get(f"{EVENTS}/{event_id}/odds", params={**PROPS, **params})


def _historical(client, event_id: str, moment: datetime, **params):
    return client.get(f"/v4/historical/sports/basketball_nba/events/{event_id}/odds",
                      params={**PROPS, "date": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), **params})


def _evening_events(odds):
    return odds.get(EVENTS, params={"commenceTimeFrom": "2025-01-20T20:00:00Z",
                                    "commenceTimeTo": "2025-01-21T06:00:00Z"}).json()


def test_event_list_shape_and_window(odds, season):
    events = _evening_events(odds)
    day = season.schedule[season.schedule["game_date"].astype(str) == "2025-01-20"]
    assert {e["id"] for e in events} == set(day["odds_event_id"])
    for e in events:
        assert list(e) == ["id", "sport_key", "sport_title", "commence_time", "home_team", "away_team"]
        assert len(e["id"]) == 32 and all(c in "0123456789abcdef" for c in e["id"])
        assert e["sport_key"] == "basketball_nba" and e["commence_time"].endswith("Z")
    names = {e["home_team"] for e in odds.get(EVENTS).json()} | {e["away_team"] for e in odds.get(EVENTS).json()}
    assert "Los Angeles Clippers" in names and "LA Clippers" not in names


def test_event_odds_shape(odds, season):
    event = _evening_events(odds)[0]
    response = _odds(odds, event["id"])
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in event} == event
    us_books = {(book.key, book.title) for book in BOOKS if book.region == "us"}
    assert 3 <= len(body["bookmakers"]) <= len(us_books)
    g = int(np.flatnonzero(season.schedule["odds_event_id"] == event["id"])[0])
    roster_names = {season.universe.players[u].odds_name for u in season.box_scores.iloc[season.game_rows(g)]["uid"]}
    for book in body["bookmakers"]:
        assert (book["key"], book["title"]) in us_books
        assert book["last_update"] <= NOON_JAN_20.strftime("%Y-%m-%dT%H:%M:%SZ")
        (market,) = book["markets"]
        assert market["key"] == "player_points" and market["last_update"] == book["last_update"]
        outcomes = market["outcomes"]
        assert len(outcomes) >= 8 and len(outcomes) % 2 == 0
        for over, under in zip(outcomes[::2], outcomes[1::2]):
            assert (over["name"], under["name"]) == ("Over", "Under")
            assert over["description"] == under["description"] and over["point"] == under["point"]
            assert isinstance(over["price"], int) and isinstance(over["point"], float)
            assert over["description"] in roster_names
            assert -500 < over["price"] < 500 and abs(over["price"]) >= 100


def test_no_lines_a_day_ahead_then_lines_that_move(odds, at):
    event = _evening_events(odds)[0]
    tip = datetime.fromisoformat(event["commence_time"].replace("Z", "+00:00"))
    at(tip - timedelta(hours=26))
    early = _odds(odds, event["id"])
    assert early.status_code == 200 and early.json()["bookmakers"] == []
    at(tip - timedelta(hours=5))
    five = {b["key"]: b for b in _odds(odds, event["id"]).json()["bookmakers"]}
    at(tip - timedelta(minutes=5))
    last = {b["key"]: b for b in _odds(odds, event["id"]).json()["bookmakers"]}
    assert five and last
    assert any(five[k]["last_update"] != last[k]["last_update"] for k in five.keys() & last.keys())
    points = lambda b: {(o["description"], o["point"]) for o in b["markets"][0]["outcomes"]}  # noqa: E731
    assert any(points(five[k]) != points(last[k]) for k in five.keys() & last.keys())


def test_historical_equals_current_at_the_same_instant(odds, at):
    event = _evening_events(odds)[0]
    tip = datetime.fromisoformat(event["commence_time"].replace("Z", "+00:00"))
    moments = [tip - timedelta(hours=7, minutes=3, seconds=12), tip - timedelta(minutes=1), tip + timedelta(minutes=47)]
    current = {}
    for moment in moments:
        at(moment)
        current[moment] = (_odds(odds, event["id"]).json(), odds.get(EVENTS).json())
    at(tip + timedelta(days=2))
    for moment in moments:
        snapshot = _historical(odds, event["id"], moment).json()
        stamp = moment.replace(minute=moment.minute - moment.minute % 5, second=0)
        assert snapshot["timestamp"] == stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert snapshot["previous_timestamp"] == (stamp - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert snapshot["next_timestamp"] == (stamp + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert snapshot["data"] == current[moment][0]
        listed = odds.get(HISTORICAL_EVENTS, params={"date": moment.strftime("%Y-%m-%dT%H:%M:%SZ")}).json()
        assert listed["data"] == current[moment][1]


def test_in_game_lines_are_tied_to_the_live_score(odds, bdl, season, at):
    event = _evening_events(odds)[0]
    g = int(np.flatnonzero(season.schedule["odds_event_id"] == event["id"])[0])
    tip = season.schedule["tip_utc"].iat[g].to_pydatetime()
    at(tip + timedelta(minutes=70))
    books = _odds(odds, event["id"]).json()["bookmakers"]
    assert books and all(b["last_update"] > event["commence_time"] for b in books)
    game_id = season.schedule["bdl_game_id"].iat[g]
    odds_name = dict(zip(season.players["bdl_player_id"], season.players["odds_name"]))
    for book in books:
        at(datetime.fromisoformat(book["last_update"].replace("Z", "+00:00")))
        box = next(x for x in bdl.get("/v1/box_scores/live").json()["data"] if x["id"] == game_id)
        scored = {odds_name[p["player"]["id"]]: p["pts"] for side in ("home_team", "visitor_team")
                  for p in box[side]["players"]}
        for outcome in book["markets"][0]["outcomes"]:
            assert outcome["point"] > scored[outcome["description"]]
    at(tip + timedelta(hours=2, minutes=15))
    assert _odds(odds, event["id"]).status_code == 404
    assert event["id"] not in {e["id"] for e in odds.get(EVENTS).json()}


def test_ladders_keep_the_main_line_closest_to_even(odds, season):
    implied = lambda a: -a / (100 - a) if a < 0 else 100 / (100 + a)  # noqa: E731
    found = 0
    for event in _evening_events(odds):
        g = int(np.flatnonzero(season.schedule["odds_event_id"] == event["id"])[0])
        market = season.markets.game(g)
        truth = market.main_lines(int(NOON_JAN_20.timestamp()))
        keys = [book.key for book in BOOKS]
        for book in _odds(odds, event["id"]).json()["bookmakers"]:
            lines: dict[str, list] = {}
            for over, under in zip(book["markets"][0]["outcomes"][::2], book["markets"][0]["outcomes"][1::2]):
                lines.setdefault(over["description"], []).append((over["point"], over["price"], under["price"]))
            for name, pairs in lines.items():
                imbalance = {point: abs(implied(o) - implied(u)) for point, o, u in pairs}
                main = min(imbalance, key=imbalance.get)
                assert main == truth[keys.index(book["key"]), market.names.index(name)]
                if len(pairs) > 1:
                    found += 1
                    assert imbalance[main] <= 0.09  # the main line's chance stays within a few points of even
                    assert min(v for point, v in imbalance.items() if point != main) > imbalance[main]  # a point away moves it along the distribution
    assert found >= 2, "some books should hang alternate lines"


def test_quota_costs_headers_and_429():
    league = SimulatedLeague(seed=SEED, clock=lambda: NOON_JAN_20, odds_quota=25)
    odds = client_for(league, "odds")
    listed = odds.get(EVENTS)
    assert listed.headers["x-requests-last"] == "0" and listed.headers["x-requests-remaining"] == "25"
    event_id = listed.json()[0]["id"]
    steps = [(lambda: _odds(odds, event_id), 1),
             (lambda: _odds(odds, event_id, regions="us,uk", markets="player_points,h2h"), 4),
             (lambda: odds.get(HISTORICAL_EVENTS, params={"date": "2025-01-20T12:00:00Z"}), 1),
             (lambda: _historical(odds, event_id, NOON_JAN_20 - timedelta(hours=1)), 10)]
    used = 0
    for call, cost in steps:
        response = call()
        used += cost
        assert response.status_code == 200
        assert response.headers["x-requests-last"] == str(cost)
        assert response.headers["x-requests-used"] == str(used)
        assert response.headers["x-requests-remaining"] == str(25 - used)
    refused = _historical(odds, event_id, NOON_JAN_20 - timedelta(hours=2))
    assert refused.status_code == 429 and "message" in refused.json()
    assert refused.headers["x-requests-used"] == str(used) and refused.headers["x-requests-last"] == "0"
    assert _odds(odds, event_id).status_code == 200


def test_keys_401_and_bad_requests_422_and_404():
    keys = {"odds": "odds-key", "balldontlie": "bdl-key"}
    league = SimulatedLeague(seed=SEED, clock=lambda: NOON_JAN_20, api_keys=keys)
    odds, bdl = client_for(league, "odds"), client_for(league, "balldontlie")
    for params in ({}, {"apiKey": "wrong"}):
        refused = odds.get(EVENTS, params=params)
        assert refused.status_code == 401 and "message" in refused.json()
        assert "x-requests-remaining" in refused.headers
    events = odds.get(EVENTS, params={"apiKey": "odds-key"})
    assert events.status_code == 200
    assert bdl.get("/v1/games", params={"dates[]": "2025-01-20"}).json() == {"error": "Unauthorized"}
    assert bdl.get("/v1/games", params={"dates[]": "2025-01-20"}, headers={"Authorization": "x"}).status_code == 401
    authorised = bdl.get("/v1/games", params={"dates[]": "2025-01-20"}, headers={"Authorization": "bdl-key"})
    assert authorised.status_code == 200
    future = odds.get(HISTORICAL_EVENTS, params={"apiKey": "odds-key", "date": "2025-01-21T00:00:00Z"})
    assert future.status_code == 422 and "message" in future.json()
    assert odds.get(HISTORICAL_EVENTS, params={"apiKey": "odds-key"}).status_code == 422
    assert odds.get(HISTORICAL_EVENTS, params={"apiKey": "odds-key", "date": "noon"}).status_code == 422
    unknown = _odds(odds, "0" * 32, apiKey="odds-key")
    assert unknown.status_code == 404 and "message" in unknown.json()
    assert _odds(odds, events.json()[0]["id"], apiKey="odds-key", regions="").status_code == 422
    assert client_for(league, "espn").get("/apis/site/v2/sports/basketball/nba/teams/2").status_code == 200


@pytest.mark.parametrize("fmt", ["decimal"])
def test_decimal_odds_format(odds, fmt):
    event = _evening_events(odds)[0]
    books = _odds(odds, event["id"], oddsFormat=fmt).json()["bookmakers"]
    prices = [o["price"] for b in books for o in b["markets"][0]["outcomes"]]
    assert prices and all(1.0 < p < 5.0 for p in prices)
