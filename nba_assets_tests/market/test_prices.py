"""American prices: validity, payouts, implied and fair probabilities."""

import numpy as np
import pytest

from nba_assets.market.prices import PICKEM_PAYOUT, PICKEM_PRICE, decimal_price, devig, imbalance, implied_probability, overround, price_problem, valid_american


def test_what_prices_pay_and_imply():
    assert decimal_price([-110, 150, 100, -100]).round(4).tolist() == [1.9091, 2.5, 2.0, 2.0]
    assert implied_probability([-110, 125, 100]).round(3).tolist() == [0.524, 0.444, 0.5]


def test_invalid_prices_are_refused_with_the_reason():
    prices = [0, 50, -99, None, -110, 100, -100, 1.5]
    assert valid_american(prices).tolist() == [False, False, False, False, True, True, True, False]
    assert price_problem(prices).tolist() == ["0 is not an American price", "between -100 and +100 is not an American price",
                                               "between -100 and +100 is not an American price", "missing", None, None, None, "not a whole number"]
    assert np.isnan(decimal_price([0, 50])).all()


def test_devig_removes_the_margin_and_keeps_the_ratio():
    over, under = devig([-110, -150, 120], [-110, 130, -140])
    assert (over + under).tolist() == pytest.approx([1, 1, 1])
    assert over[0] == pytest.approx(0.5)
    assert over[1] == pytest.approx((0.6) / (0.6 + 100 / 230))
    assert overround([-110], [-110])[0] == pytest.approx(2 * 110 / 210 - 1)  # 4.76%
    over, under = devig([-110], [None])
    assert np.isnan(over[0]) and np.isnan(under[0])  # one side only: not devigged


def test_pickem_leg_price_is_the_square_root_of_the_power_play_payout():
    assert decimal_price([PICKEM_PRICE])[0] == pytest.approx(PICKEM_PAYOUT ** 0.5, abs=0.005)


def test_main_line_is_the_most_even():
    assert imbalance([-110, -160], [-110, 125]).round(3).tolist() == [0.0, 0.171]
