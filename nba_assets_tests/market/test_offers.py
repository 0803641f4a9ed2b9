"""Offers from raw quotes: the decision and closing boards, refused prices, one-sided quotes, pick'em
prices, main lines and the consensus of the books."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.market.consensus import consensus
from nba_assets.market.offers import PICK_LOCK, board, board_offers, refusal_text, refused_quotes
from nba_assets.market.prices import PICKEM_PRICE

TIP = pd.Timestamp("2025-01-21 00:30")
GAME = "20250120_BOS_LAL"
NAMES = pd.DataFrame({"game_id": [GAME, GAME], "source_name": ["LeBron James", "Austin Reaves"], "player_lookup": ["lebronjames", "austinreaves"]})


def quotes(*rows):
    out = []
    for at, book, player, line, over, under in rows:
        for side, price in (("Over", over), ("Under", under)):
            if isinstance(price, str):
                continue
            out.append({"game_date": pd.Timestamp("2025-01-20"), "game_id": GAME, "event_id": "e1", "snapshot_at_utc": pd.Timestamp(at),
                        "tip_time_utc": TIP, "is_historical": True, "bookmaker": book, "bookmaker_title": book.title(),
                        "book_updated_at_utc": pd.Timestamp(at) - pd.Timedelta(minutes=5), "player_name": player, "side": side, "line": line,
                        "price": price})
    return pd.DataFrame(out).astype({"price": "Int64"})


def test_decision_board_is_the_latest_before_the_lock_and_closing_the_latest_before_tip():
    q = quotes(
        ("2025-01-20 14:30", "draftkings", "LeBron James", 23.5, -110, -110),
        ("2025-01-20 23:30", "draftkings", "LeBron James", 24.5, -115, -105),
        ("2025-01-21 00:15", "draftkings", "LeBron James", 25.5, -110, -110),
        ("2025-01-21 01:00", "draftkings", "LeBron James", 14.5, -110, -110),  # in game
    )
    offers = board_offers(q, NAMES)
    decision, closing = board(offers, "decision"), board(offers, "closing")
    assert decision["line"].tolist() == [24.5] and decision["snapshot_at_utc"].iloc[0] < TIP - PICK_LOCK
    assert closing["line"].tolist() == [25.5] and closing["snapshot_at_utc"].iloc[0] < TIP
    assert offers["player_lookup"].eq("lebronjames").all()
    row = decision.iloc[0]
    assert row["fair_over"] + row["fair_under"] == pytest.approx(1.0) and row["overround"] > 0 and row["is_main"]


def test_a_ladder_has_one_main_line_per_book_and_board():
    q = quotes(
        ("2025-01-20 23:30", "fanduel", "LeBron James", 22.5, -160, 125),
        ("2025-01-20 23:30", "fanduel", "LeBron James", 24.5, -112, -108),
        ("2025-01-20 23:30", "fanduel", "LeBron James", 26.5, 130, -165),
    )
    decision = board(board_offers(q, NAMES), "decision")
    assert decision.loc[decision["is_main"], "line"].tolist() == [24.5] and len(decision) == 3


def test_bad_prices_are_refused_by_name_and_the_rest_of_the_slate_goes_on():
    q = quotes(
        ("2025-01-20 23:30", "draftkings", "LeBron James", 24.5, 0, -110),
        ("2025-01-20 23:30", "betmgm", "LeBron James", 24.5, -50, -110),
        ("2025-01-20 23:30", "fanduel", "LeBron James", 24.5, -110, -110),
        ("2025-01-20 23:30", "fanduel", "Austin Reaves", 14.5, pd.NA, -110),
    )
    refused = refused_quotes(q)
    assert sorted(refused["bookmaker"] + "/" + refused["player_name"]) == ["betmgm/LeBron James", "draftkings/LeBron James", "fanduel/Austin Reaves"]
    [text] = [t for t in refusal_text(refused) if "draftkings" in t]
    assert "event e1" in text and "2025-01-20T23:30:00Z" in text and "'LeBron James'" in text and "0 is not an American price" in text
    decision = board(board_offers(q, NAMES), "decision")
    # the refused sides are gone: fanduel's LeBron stands, the other books keep the side they priced properly (one-sided: not devigged)
    lebron = decision[decision["player_name"] == "LeBron James"].set_index("bookmaker")
    assert lebron.loc["fanduel", "fair_over"] == pytest.approx(0.5)
    assert pd.isna(lebron.loc["draftkings", "over_price"]) and pd.isna(lebron.loc["draftkings", "fair_over"])
    assert not lebron.loc["draftkings", "is_main"]


def test_a_book_with_one_side_is_kept_but_not_devigged():
    q = quotes(("2025-01-20 23:30", "bovada", "LeBron James", 24.5, -120, "absent"))
    [row] = board(board_offers(q, NAMES), "decision").to_dict("records")
    assert row["over_price"] == -120 and pd.isna(row["under_price"]) and np.isnan(row["fair_over"]) and not row["is_main"]


def test_pickem_sites_are_priced_by_their_payout():
    q = quotes(("2025-01-20 17:00", "prizepicks", "LeBron James", 24.0, -10000, -10000))
    [row] = board(board_offers(q, NAMES), "decision").to_dict("records")
    assert row["over_price"] == row["under_price"] == PICKEM_PRICE and row["pickem"] and row["fair_over"] == pytest.approx(0.5)
    assert refused_quotes(quotes(("2025-01-20 17:00", "underdog", "LeBron James", 24.0, 0, 0))).empty


def test_consensus_weights_the_sharp_book_and_gives_a_fair_line():
    q = quotes(
        ("2025-01-20 23:30", "pinnacle", "LeBron James", 24.5, -130, 110),
        ("2025-01-20 23:30", "draftkings", "LeBron James", 24.5, -110, -110),
        ("2025-01-20 23:30", "fanduel", "LeBron James", 25.5, -110, -110),
        ("2025-01-20 23:30", "fanduel", "Austin Reaves", 14.5, -110, -110),
    )
    offers = board(board_offers(q, NAMES), "decision")
    market = consensus(offers).set_index("player_name")
    lebron = market.loc["LeBron James"]
    assert lebron["books"] == 3 and lebron["sharp_books"] == 1 and lebron["consensus_line"] == 24.5
    assert lebron["market_p_over"] > 0.5  # pinnacle leans over at 24.5, weighted three times
    assert lebron["fair_line"] in (24.5, 25.5) and lebron["player_lookup"] == "lebronjames"
    assert market.loc["Austin Reaves", "market_p_over"] == pytest.approx(0.5, abs=0.01)
    without_sharp = consensus(offers[offers["bookmaker"] != "pinnacle"]).set_index("player_name")
    assert without_sharp.loc["LeBron James", "market_mean"] < lebron["market_mean"]
