"""The calibrated chance that a pick wins, and the out-of-sample record that decides whether a system may pick."""

import numpy as np
import pandas as pd

from nba_assets.model.calibration import EdgeCalibration, no_edge_reason, pick_evidence


def market(n=4000, signal=0.0, seed=5):
    """Lines that are right on average; a prediction that knows `signal` of the truth beyond the line."""
    rng = np.random.default_rng(seed)
    line = pd.Series(np.round(rng.uniform(5, 30, n) * 2) / 2 + 0.5)
    surprise = rng.normal(0, 6, n)
    actual = (line + surprise).clip(lower=0).round()
    predicted = line + signal * surprise + rng.normal(0, 1, n)
    dates = pd.Series(pd.date_range("2024-11-01", periods=40).repeat(n // 40))
    return predicted, actual, line, dates


def test_the_calibration_of_a_predictor_that_knows_nothing_beyond_the_line_stays_near_50():
    predicted, actual, line, _ = market(signal=0.0)
    over, _ = EdgeCalibration.fit(predicted, actual, line).over_under(predicted, line)
    assert abs(over.mean() - 0.5) < 0.03 and over.max() < 0.56


def test_only_a_system_whose_out_of_sample_picks_pay_may_pick():
    sharp = pick_evidence(*market(signal=0.3))
    assert sharp["beats_the_line"] and sharp["picks"] >= 100 and sharp["hit_rate"] > 0.55 and sharp["interval"][0] > 0.5
    assert no_edge_reason("catboost", sharp) is None
    blind = pick_evidence(*market(signal=0.0))
    assert not blind["beats_the_line"]
    assert no_edge_reason("catboost", blind).startswith("no edge: catboost")
    few = pick_evidence(*(part.iloc[:300] for part in market(signal=0.3)))
    assert not few["beats_the_line"]  # too few rows to calibrate on either half: no evidence, no picks
