"""Stakes: fractional Kelly at the offered price, capped per pick, per game and per day."""

import pandas as pd
import pytest

from nba_assets.market.stakes import Staking, kelly_fraction, stakes


def picks(*rows):
    return pd.DataFrame([{"game_date": pd.Timestamp(day), "game_id": game, "probability": p, "decimal": d} for day, game, p, d in rows])


def test_kelly_is_the_edge_over_the_odds_and_nothing_without_an_edge():
    assert kelly_fraction([0.55, 0.5, 0.45], [2.0, 2.0, 2.0]).tolist() == pytest.approx([0.1, 0.0, 0.0])
    assert kelly_fraction([0.6], [1.909])[0] == pytest.approx((0.6 * 1.909 - 1) / 0.909)


def test_a_quarter_kelly_in_units_capped_per_pick():
    sized = stakes(picks(("2025-01-20", "g1", 0.52, 2.0), ("2025-01-20", "g2", 0.70, 2.0)), Staking())
    assert sized.tolist() == [pytest.approx(0.25 * 0.04 * 100), 2.0]  # 1 unit; the second hits the 2-unit cap


def test_picks_of_one_game_are_sized_together_and_the_day_is_capped():
    one_game = stakes(picks(*[("2025-01-20", "g1", 0.7, 2.0)] * 3), Staking())
    assert one_game.tolist() == [pytest.approx(4 / 3, abs=0.01)] * 3 and one_game.sum() == pytest.approx(4.0, abs=0.02)
    day = stakes(picks(*[("2025-01-20", f"g{i}", 0.7, 2.0) for i in range(15)], ("2025-01-21", "h", 0.7, 2.0)), Staking(max_day_units=20.0))
    assert day[:15].sum() == pytest.approx(20.0, abs=0.1) and day.iloc[15] == 2.0  # another day is not scaled
