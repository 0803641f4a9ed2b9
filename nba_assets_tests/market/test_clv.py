"""Closing-line value against the same book and the consensus, empty where no later board exists."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.market.clv import closing_line_value
from nba_assets.market.offers import board_offers

TIP = pd.Timestamp("2025-01-21 00:30")
GAME = "20250120_BOS_LAL"
NAMES = pd.DataFrame({"game_id": [GAME], "source_name": ["LeBron James"], "player_lookup": ["lebronjames"]})


def quotes(*rows):
    return pd.DataFrame([{"game_date": pd.Timestamp("2025-01-20"), "game_id": GAME, "event_id": "e1", "snapshot_at_utc": pd.Timestamp(at), "tip_time_utc": TIP,
                          "bookmaker": book, "bookmaker_title": book, "book_updated_at_utc": pd.Timestamp(updated), "player_name": "LeBron James",
                          "side": side, "line": line, "price": price}
                         for at, updated, book, line, over, under in rows for side, price in (("Over", over), ("Under", under))]).astype({"price": "Int64"})


def pick(side="OVER", book="betrivers", line=19.5, price=-110):
    return pd.DataFrame({"game_id": [GAME], "player_lookup": ["lebronjames"], "book": [book], "side": [side], "offer_line": [line], "price": [price]})


def test_a_pick_the_market_moved_towards_has_positive_clv():
    offers = board_offers(quotes(
        ("2025-01-20 23:30", "2025-01-20 15:00", "betrivers", 19.5, -110, -110),
        ("2025-01-20 23:30", "2025-01-20 23:00", "pinnacle", 21.5, -105, -105),
        ("2025-01-21 00:15", "2025-01-21 00:05", "betrivers", 21.5, -112, -108),  # the soft book catches up after the lock
        ("2025-01-21 00:15", "2025-01-21 00:10", "pinnacle", 22.0, -105, -105),
    ), NAMES)
    [clv] = closing_line_value(pick(), offers).to_dict("records")
    assert clv["clv_line_book"] == 2.0 and clv["clv_line_market"] == pytest.approx(21.75 - 20.5)  # consensus main lines: 20.5 -> 21.75
    assert clv["clv_prob_book"] > 0.05 and clv["clv_prob_market"] > 0.05
    [under] = closing_line_value(pick(side="UNDER"), offers).to_dict("records")
    assert under["clv_line_book"] == -2.0 and under["clv_prob_book"] < 0  # the same move went against an under


def test_without_a_later_board_the_value_is_empty_not_zero():
    offers = board_offers(quotes(
        ("2025-01-20 23:30", "2025-01-20 15:00", "betrivers", 19.5, -110, -110),
        ("2025-01-21 00:15", "2025-01-20 15:00", "betrivers", 19.5, -110, -110),  # the same board seen again at the close
    ), NAMES)
    [clv] = closing_line_value(pick(), offers).to_dict("records")
    assert all(np.isnan(v) for v in clv.values())


def test_an_alternate_lines_pick_gains_in_line_points_what_the_main_line_moved():
    offers = board_offers(quotes(
        ("2025-01-20 23:30", "2025-01-20 15:00", "fanduel", 20.5, -110, -110),
        ("2025-01-20 23:30", "2025-01-20 15:00", "fanduel", 18.5, -160, 130),
        ("2025-01-21 00:15", "2025-01-21 00:05", "fanduel", 21.5, -110, -110),
    ), NAMES)
    [clv] = closing_line_value(pick(book="fanduel", line=18.5, price=-160), offers).to_dict("records")
    assert clv["clv_line_book"] == 1.0 and clv["clv_line_market"] == 1.0  # not 21.5 - 18.5: the pick took the alternate line at its price


def test_a_later_board_at_the_same_line_and_price_is_a_true_zero_in_line_points():
    offers = board_offers(quotes(
        ("2025-01-20 23:30", "2025-01-20 15:00", "betrivers", 19.5, -110, -110),
        ("2025-01-21 00:15", "2025-01-21 00:05", "betrivers", 19.5, -110, -110),
    ), NAMES)
    [clv] = closing_line_value(pick(), offers).to_dict("records")
    assert clv["clv_line_book"] == 0.0 and clv["clv_prob_book"] == pytest.approx(0.5 - 110 / 210)  # the vig paid
