"""The books differ: requests select them by region or by name, each keeps its own schedule, and
over a season the market is what pricing, line shopping and closing-line value need offline."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from resources.simulated import SimulatedLeague
from resources.simulated import market_figures as figures
from resources.simulated.books import BOOKS, SHARP

from .conftest import NOON_JAN_20, SEED, client_for

EVENTS = "/v4/sports/basketball_nba/events"
SOFT = figures.SOFT
REGULAR = [b for b, book in enumerate(BOOKS) if not book.sharp and not book.catch_up]
KEYS = [book.key for book in BOOKS]


def _books(odds, event_id: str, **params) -> list[str]:
    response = odds.get(f"{EVENTS}/{event_id}/odds", params={"markets": "player_points", **params})
    assert response.status_code == 200
    return [book["key"] for book in response.json()["bookmakers"]]


@pytest.fixture(scope="module")
def evening(odds) -> str:
    """An event tipping in the evening of the pinned day (every book has posted by noon)."""
    return odds.get(EVENTS, params={"commenceTimeFrom": "2025-01-21T00:00:00Z"}).json()[0]["id"]


def test_books_and_their_regions():
    assert KEYS == ["pinnacle", "draftkings", "fanduel", "betmgm", "williamhill_us", "espnbet", "betrivers"]
    assert [book.title for book in BOOKS] == ["Pinnacle", "DraftKings", "FanDuel", "BetMGM", "Caesars", "ESPN BET", "BetRivers"]
    assert {book.key: book.region for book in BOOKS if book.region != "us"} == {"pinnacle": "eu", "espnbet": "us2"}
    assert BOOKS[SHARP].key == "pinnacle" and BOOKS[SOFT].key == "betrivers"


def test_regions_and_bookmakers_select_the_books(odds, evening):
    everyone = _books(odds, evening, regions="us,us2,eu")
    assert everyone == [key for key in KEYS if key in everyone] and len(everyone) >= 5
    us = _books(odds, evening, regions="us")
    assert us == [key for key in everyone if key not in ("pinnacle", "espnbet")]
    assert set(_books(odds, evening, regions="eu")) <= {"pinnacle"}
    assert set(_books(odds, evening, regions="us2,uk,au")) <= {"espnbet"}
    named = _books(odds, evening, bookmakers="betrivers,pinnacle")
    assert named == [key for key in ("pinnacle", "betrivers") if key in everyone]
    assert _books(odds, evening, bookmakers="betrivers,pinnacle", regions="us2") == named  # bookmakers take priority
    assert _books(odds, evening, bookmakers="fanatics,prizepicks") == []  # books it does not have: none listed


def test_request_costs_by_region_and_by_ten_books():
    league = SimulatedLeague(seed=SEED, clock=lambda: NOON_JAN_20, odds_quota=1000)
    odds = client_for(league, "odds")
    event = odds.get(EVENTS).json()[0]["id"]

    def cost(path: str, **params) -> str:
        response = odds.get(path, params={"markets": "player_points", **params})
        assert response.status_code == 200
        return response.headers["x-requests-last"]

    current, past = f"{EVENTS}/{event}/odds", f"/v4/historical/sports/basketball_nba/events/{event}/odds"
    hour_ago = (NOON_JAN_20 - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ten = "pinnacle,draftkings,fanduel,betmgm,williamhill_us,espnbet,betrivers,fanatics,prizepicks,underdog"
    assert cost(current, regions="us,us2,eu") == "3"
    assert cost(current, regions="us,eu", markets="player_points,h2h") == "4"
    assert cost(current, bookmakers=ten) == "1"
    assert cost(current, bookmakers=ten + ",bovada") == "2"
    assert cost(current, bookmakers="pinnacle", regions="us,us2,eu") == "1"
    assert cost(past, bookmakers="pinnacle,betrivers", date=hour_ago) == "10"
    assert cost(past, regions="us,eu", date=hour_ago) == "20"
    used = odds.get(EVENTS).headers["x-requests-used"]
    for params in ({}, {"regions": ""}, {"bookmakers": ""}, {"bookmakers": ",", "regions": ""}, {"regions": "mars"}):
        refused = odds.get(current, params={"markets": "player_points", **params})
        assert refused.status_code == 422 and "regions" in refused.json()["message"]
        assert refused.headers["x-requests-used"] == used


def test_each_book_keeps_its_schedule(season):
    last_half_hour = {b: [] for b in range(len(BOOKS))}
    for g in range(len(season.schedule)):
        market = season.markets.game(g)
        tip = market.tip
        for b, book in enumerate(market.books):
            times = book.updates
            if not len(times):
                continue
            assert (times % 300 == 0).all() and (times < tip).all()
            gaps = np.diff(times) / 60
            first = (tip - times[0]) / 3600
            if b == SHARP:
                assert 12 - 1 / 12 <= first <= 14 and gaps.max(initial=0) <= 90
            elif b == SOFT:
                assert 18.5 - 1 / 12 <= first <= 22.5
                assert (tip - times[-1]) // 60 in (20, 25), "the catch-up board lands 25 or 20 minutes before tip"
                assert ((gaps[:-1] >= 240) & (gaps[:-1] <= 480)).all() and gaps[-1] <= 480
                assert book.board(tip - 1800, strict=True) < len(times) - 1 == book.board(tip - 900)
            else:
                assert 18.5 - 1 / 12 <= first <= 22.5 and gaps.max(initial=0) <= 180
            last_half_hour[b].append(bool((times > tip - 1800).any()))
    assert all(last_half_hour[SOFT])
    for b in [SHARP, *REGULAR]:
        assert 0.1 < np.mean(last_half_hour[b]) < 0.9, "other books sometimes post in the last half hour too"


def test_news_moves_the_sharp_book_first_and_the_soft_book_at_its_next_board(season):
    reaction = {b: [] for b in range(len(BOOKS))}
    stale = 0
    for g in range(0, len(season.schedule), 2):
        market = season.markets.game(g)
        _, minutes = market.expected_at(market.tip - 30 * 3600)
        fresh = (market.known > market.tip - 14 * 3600) & (market.known < market.tip - 3600) & (minutes >= 24)
        for row in np.flatnonzero(fresh):
            news = int(market.known[row])
            for b, book in enumerate(market.books):
                later = book.updates[book.updates > news]
                if len(book.updates) and len(later):
                    reaction[b].append((later[0] - news) / 60)
            soft = market.books[SOFT]
            k, before = soft.board(news + 50 * 60), soft.board(news - 1)
            if before >= 0 and k == before and soft.shows[before, row]:
                stale += 1
                assert soft.shows[k, row], "the soft book still lists a player ruled out since its last board"
    assert max(reaction[SHARP]) <= 15
    assert max(max(reaction[b]) for b in REGULAR) <= 45
    assert np.median(reaction[SOFT]) > 60 and stale >= 20


@pytest.fixture(scope="module")
def boards(season) -> figures.Boards:
    return figures.Boards(season)


@pytest.fixture(scope="module")
def per_book(boards):
    return figures.book_figures(boards).set_index("book")


def test_closing_lines_sharp_most_accurate_soft_least(per_book, boards):
    excess = per_book["mae_excess"]  # MAE above the sharp book's on the player-games both list
    assert all(0.005 < excess[KEYS[b]] < excess["betrivers"] for b in REGULAR)
    common = per_book["mae_common"]  # on the player-games every book lists
    assert all(common["pinnacle"] < common[KEYS[b]] < common["betrivers"] for b in REGULAR)
    assert 4.9 <= figures.consensus(boards)["mae"] <= 5.4


def test_no_side_bias_and_margins_by_kind_of_book(per_book):
    assert per_book["over"].between(0.46, 0.54).all() and per_book["under"].between(0.46, 0.54).all()
    assert (per_book["push"] < 0.02).all()
    assert 0.02 <= per_book.loc["pinnacle", "overround"] <= 0.03
    assert per_book.loc[[KEYS[b] for b in REGULAR], "overround"].between(0.045, 0.05).all()
    assert 0.055 <= per_book.loc["betrivers", "overround"] <= 0.065
    assert (per_book["moved"] > 0.3).all(), "closing lines differ from the openers"


def test_the_soft_book_is_beatable_with_the_sharp_book_as_the_guide(boards):
    strategy = figures.soft_strategy(boards)
    assert 0.10 <= strategy.gaps <= 0.30, "the soft book's decision-board line is a point or more off the sharp one"
    assert len(strategy.decided) >= 500
    roi, low, high = strategy.roi()
    assert low > 0 and roi < 0.2
    assert np.nanmean(strategy.bets["clv"]) > 0, "the soft book's close moves toward the bets"
    assert (strategy.bets["ev"] >= 0.03).all()


def test_the_catch_up_takes_in_the_news_the_soft_book_missed(season):
    dropped, moves = 0, []
    for g in range(len(season.schedule)):
        market = season.markets.game(g)
        soft = market.books[SOFT]
        if len(soft.updates) < 2:
            continue
        missed = (market.known > soft.updates[-2]) & (market.known < soft.updates[-1])
        for row in np.flatnonzero(missed & soft.shows[-2]):
            assert not soft.shows[-1, row], "a player ruled out since its last board is gone from the catch-up"
            dropped += 1
            mates = (market.side == market.side[row]) & soft.shows[-2] & soft.shows[-1]
            moves += list(soft.line[-1, mates] - soft.line[-2, mates])
    assert dropped >= 50 and np.mean(moves) > 0.3 and (np.array(moves) > 0).mean() > 2 * (np.array(moves) < 0).mean()
