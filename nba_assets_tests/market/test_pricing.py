"""EV of every side of every offer, and the best offer of each player across books and lines."""

import numpy as np
import pandas as pd
import pytest

from nba_assets.market.pricing import best_offers, expected_value, sides


def offers():
    return pd.DataFrame({"game_id": "g", "player_lookup": ["a", "a", "a", "b"], "bookmaker": ["dk", "fd", "br", "dk"], "line": [20.5, 20.5, 19.5, 10.0],
                         "over_price": pd.array([-110, -105, -110, -110], dtype="Int64"), "under_price": pd.array([-110, -115, pd.NA, -110], dtype="Int64"),
                         "board_at_utc": pd.Timestamp("2025-01-20 18:00")})


def test_ev_is_the_probability_times_the_price_less_the_stake_and_a_push_gives_the_stake_back():
    assert expected_value(0.55, 2.0, 0.0) == pytest.approx(0.10)
    assert expected_value(0.55, 2.0, 0.1) == pytest.approx(0.9 * 0.10)


def test_every_offered_side_is_priced_and_one_sided_offers_only_on_their_side():
    priced = sides(offers(), [0.55, 0.55, 0.60, 0.5], [0, 0, 0, 0.06], [0.5, 0.5, 0.55, 0.5])
    assert len(priced) == 7  # br offers no under
    br = priced[priced["bookmaker"] == "br"].iloc[0]
    assert br["side"] == "OVER" and br["ev"] == pytest.approx(0.60 * (1 + 100 / 110) - 1) and br["fair_probability"] == 0.55


def test_the_best_offer_is_the_highest_ev_across_books_and_lines():
    best = best_offers(offers(), [0.55, 0.55, 0.60, 0.45], [0, 0, 0, 0.06], [0.5, 0.5, 0.55, 0.5]).set_index("player_lookup")
    assert (best.loc["a", "bookmaker"], best.loc["a", "line"], best.loc["a", "side"]) == ("br", 19.5, "OVER")
    assert best.loc["b", "side"] == "UNDER" and best.loc["b", "ev"] == pytest.approx(0.94 * (0.55 * (1 + 100 / 110) - 1))


def test_between_equal_chances_the_better_price_wins():
    best = best_offers(offers().iloc[:2], [0.55, 0.55], [0, 0], [0.5, 0.5])
    assert best["bookmaker"].tolist() == ["fd"] and np.isclose(best["decimal"].iloc[0], 1 + 100 / 105)
