"""The odds screen on a hand-made board: every player with a quote on the latest board, the market's
view of him, and the best over and under across books at the market's fair probability."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.market.consensus import consensus
from nba_assets.market.curve import over_probabilities
from nba_assets.market.offers import OFFER_COLUMNS
from nba_assets.market.prices import decimal_price, devig, overround
from nba_assets.publishing.odds_screen import odds_screen_document
from nba_assets.publishing.validate import schema_errors

DAY = pd.Timestamp("2025-01-20")
NOW = pd.Timestamp("2025-01-20 17:00", tz="UTC").to_pydatetime()
EARLY, LATE = "20250120_BOS_NYK", "20250120_DEN_LAL"
TIPS = {EARLY: pd.Timestamp("2025-01-21 00:30"), LATE: pd.Timestamp("2025-01-21 03:30")}
TITLES = {"pinnacle": "Pinnacle", "draftkings": "DraftKings", "fanduel": "FanDuel", "betmgm": "BetMGM"}


def quote(book, line, over, under, player="Jalen Brunson", lookup="jalenbrunson", game=EARLY, main=True, board="closing", posted="2025-01-20 23:50"):
    return {"game_date": DAY, "game_id": game, "event_id": f"event-{game}", "tip_time_utc": TIPS[game], "board": board, "player_name": player,
            "player_lookup": lookup, "bookmaker": book, "bookmaker_title": TITLES[book], "sharp": book == "pinnacle", "pickem": False,
            "snapshot_at_utc": pd.Timestamp("2025-01-21 00:00"), "board_at_utc": pd.Timestamp(posted), "line": line,
            "over_price": over, "under_price": under, "is_main": main}


def offers_frame(quotes: list[dict]) -> pd.DataFrame:
    """`prop_offers` rows of the quotes, devigged as the market layer does."""
    frame = pd.DataFrame(quotes)
    frame["over_price"], frame["under_price"] = frame["over_price"].astype("Int64"), frame["under_price"].astype("Int64")
    frame["fair_over"], frame["fair_under"] = devig(frame["over_price"], frame["under_price"])
    frame["overround"] = overround(frame["over_price"], frame["under_price"])
    return frame[list(OFFER_COLUMNS)].astype(OFFER_COLUMNS)


OFFERS = offers_frame([
    quote("pinnacle", 26.5, -110, -110),
    quote("draftkings", 26.5, -115, -105),
    quote("draftkings", 28.5, 140, -175, main=False),
    quote("fanduel", 26.5, 105, None, main=False),  # one side only: still a bet
    quote("betmgm", 27.0, -105, -115, main=False),  # a whole line: a push returns the stake
    quote("fanduel", 26.5, 200, -250, board="decision", posted="2025-01-20 20:00"),  # gone from the board by now
    quote("draftkings", 10.5, -120, None, player="Josh Hart", lookup="joshhart"),  # one-sided only: no market to price him at
    quote("pinnacle", 6.5, -120, 100, player="Mitch Robinson", lookup=None, game=LATE),  # a name the registry did not resolve
])
CONTEXT = pd.DataFrame({"game_date": [DAY, DAY], "game_id": [EARLY, EARLY], "player_lookup": ["jalenbrunson", "joshhart"], "team_abbr": ["NYK", "NYK"]})


def screen() -> dict:
    return odds_screen_document(DAY, OFFERS, CONTEXT, NOW)


def player(document: dict, name: str) -> dict:
    return next(p for g in document["games"] for p in g["players"] if p["player_name"] == name)


def every_side(name: str) -> list[dict]:
    """Every side of every closing quote of a player, priced by hand at the market curve: EV = (1 - push) (p x decimal - 1)."""
    closing = OFFERS[OFFERS["board"] == "closing"]
    mean = consensus(closing).set_index("player_name").loc[name, "market_mean"]
    out = []
    for row in closing[closing["player_name"] == name].itertuples():
        p_over, push = (float(x[0]) for x in over_probabilities(np.array([mean]), np.array([row.line])))
        for side, price, p in (("OVER", row.over_price, p_over), ("UNDER", row.under_price, 1 - p_over)):
            if pd.notna(price):
                ev = (1 - push) * (p * float(decimal_price(np.array([float(price)]))[0]) - 1)
                out.append({"side": side, "book": row.bookmaker, "line": row.line, "price": int(price), "fair_probability": p, "ev": ev})
    return out


def test_the_best_over_and_under_are_the_highest_ev_sides_at_the_market_curve():
    brunson = player(screen(), "Jalen Brunson")
    sides = every_side("Jalen Brunson")
    assert len(sides) == 9  # four two-sided quotes and one over on the closing board; the decision board's +200 is not among them
    for side, field in (("OVER", "best_over"), ("UNDER", "best_under")):
        best = max((s for s in sides if s["side"] == side), key=lambda s: s["ev"])
        assert brunson[field] == {"book": best["book"], "line": best["line"], "price": best["price"],
                                  "fair_probability": pytest.approx(best["fair_probability"]), "ev": pytest.approx(best["ev"])}
    assert (brunson["best_over"]["book"], brunson["best_over"]["line"], brunson["best_over"]["price"]) == ("fanduel", 26.5, 105)
    # the whole line's under (a push at 27 returns the stake) beats the 26.5 unders at better prices
    assert (brunson["best_under"]["book"], brunson["best_under"]["line"], brunson["best_under"]["price"]) == ("betmgm", 27.0, -115)
    assert all(type(brunson[field]["price"]) is int for field in ("best_over", "best_under"))
    assert brunson["best_over"]["ev"] == pytest.approx(brunson["best_over"]["fair_probability"] * 2.05 - 1)  # +105 pays 2.05 a unit on a half line


def test_each_player_shows_the_market_and_every_books_quotes():
    document = screen()
    assert schema_errors("odds-screen", document) == []
    assert [g["game_id"] for g in document["games"]] == [EARLY, LATE] and document["games"][0]["tip_time_utc"] == "2025-01-21T00:30:00"
    assert [p["player_name"] for p in document["games"][0]["players"]] == ["Jalen Brunson", "Josh Hart"]
    brunson = player(document, "Jalen Brunson")
    market = consensus(OFFERS[OFFERS["board"] == "closing"]).set_index("player_name").loc["Jalen Brunson"]
    assert (brunson["player_lookup"], brunson["team"], brunson["consensus_line"], brunson["books"], brunson["sharp_books"]) == ("jalenbrunson", "NYK", 26.5, 4, 1)
    assert brunson["fair_line"] == market["fair_line"] and brunson["fair_over"] == pytest.approx(market["market_p_over"])
    assert [(q["book"], q["line"], q["over_price"], q["under_price"], q["is_main"]) for q in brunson["quotes"]] == [
        ("betmgm", 27.0, -105, -115, False), ("draftkings", 26.5, -115, -105, True), ("draftkings", 28.5, 140, -175, False),
        ("fanduel", 26.5, 105, None, False), ("pinnacle", 26.5, -110, -110, True)]
    fanduel = brunson["quotes"][3]
    assert fanduel["fair_over"] is None and fanduel["board_at_utc"] == "2025-01-20T23:50:00" and fanduel["book_title"] == "FanDuel"
    assert brunson["quotes"][4]["fair_over"] == pytest.approx(0.5)
    hart = player(document, "Josh Hart")  # priced on one side only: listed, but without a market or a best side
    assert (hart["consensus_line"], hart["fair_over"], hart["best_over"], hart["best_under"], hart["books"]) == (None, None, None, None, 1)
    robinson = player(document, "Mitch Robinson")
    assert (robinson["player_lookup"], robinson["team"], robinson["sharp_books"]) == (None, None, 1) and robinson["best_under"]["price"] == 100


def test_a_day_without_offers_is_an_empty_screen():
    document = odds_screen_document(pd.Timestamp("2025-02-14"), OFFERS, CONTEXT, NOW)
    assert document["games"] == [] and document["game_date"] == "2025-02-14" and schema_errors("odds-screen", document) == []
    empty = odds_screen_document(DAY, OFFERS.head(0), CONTEXT.head(0), NOW)
    assert empty["games"] == [] and schema_errors("odds-screen", empty) == []
