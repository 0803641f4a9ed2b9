"""Each system's probability curve, fitted out of sample, and the blend of the market with the model."""

import numpy as np
import pytest

from nba_assets.market.curve import over_probabilities
from nba_assets.model.probability import BLEND, MARKET, MIN_ROWS, PointsCurve, blend, fit_blend_weight, log_loss, system_probabilities


def points(n=6000, dispersion=3.5, seed=11):
    rng = np.random.default_rng(seed)
    mean = rng.uniform(4, 30, n)
    actual = rng.negative_binomial(mean / (dispersion - 1), 1 / dispersion).astype(float)
    return mean, actual


def test_the_dispersion_that_made_the_points_is_found():
    mean, actual = points()
    curve = PointsCurve.fit(mean, actual, np.floor(mean) + 0.5)
    assert curve.dispersion == pytest.approx(3.5, abs=0.15) and curve.rows == 6000


def test_a_prediction_that_leans_high_is_recalibrated_towards_what_happened():
    mean, actual = points()
    line = np.floor(mean) + 0.5
    leaning = mean + 2.0
    raw, _ = over_probabilities(leaning, line, 3.5)
    curve = PointsCurve.fit(leaning, actual, line)
    fitted, _ = curve.over(leaning, line)
    observed = (actual > line).mean()
    assert raw.mean() - observed > 0.05  # the curve as it is says over too often
    assert abs(fitted.mean() - observed) < 0.01 and curve.intercept < 0


def test_too_few_rows_give_no_confidence():
    mean, actual = points(n=MIN_ROWS - 1)
    curve = PointsCurve.fit(mean, actual, np.floor(mean) + 0.5)
    assert (curve.intercept, curve.slope) == (0.0, 0.0)
    assert curve.over(np.array([30.0]), np.array([10.5]))[0] == pytest.approx([0.5])  # 50% at any line: no evidence, no confidence


def test_a_curve_that_says_more_than_the_outcomes_is_flattened():
    """A prediction half a point off a line that wins half the time: the curve says 55%, the recalibration brings it back to 50%."""
    rng = np.random.default_rng(4)
    line = np.floor(rng.uniform(6, 28, 6000)) + 0.5
    actual = line + 0.5 + np.floor(rng.normal(0, 5, 6000))  # over and under each 50% at the line
    noisy = line + rng.normal(0, 1.0, 6000)  # a model's guess that knows nothing beyond the line
    raw, _ = over_probabilities(noisy, line)
    fitted, _ = PointsCurve.fit(noisy, actual, line).over(noisy, line)
    assert np.abs(raw - 0.5).mean() > 2 * np.abs(fitted - 0.5).mean()


def test_blend_is_the_market_at_weight_zero_and_the_model_at_one():
    p_model, p_market = np.array([0.6, 0.3]), np.array([0.5, 0.5])
    assert blend(p_model, p_market, 0.0) == pytest.approx(p_market)
    assert blend(p_model, p_market, 1.0) == pytest.approx(p_model)
    assert 0.5 < blend(p_model, p_market, 0.5)[0] < 0.6


def test_the_blend_weight_follows_what_the_model_knows():
    rng = np.random.default_rng(2)
    truth = rng.uniform(0.35, 0.65, 8000)
    over = (rng.random(8000) < truth).astype(float)
    market = np.full(8000, 0.5)
    assert fit_blend_weight(truth, market, over) >= 0.8  # the model knows the truth: trust it
    assert fit_blend_weight(rng.uniform(0.35, 0.65, 8000), market, over) <= 0.1  # noise: keep the market
    assert log_loss([0.5], [1])[0] == pytest.approx(np.log(2))


def test_system_probabilities():
    line, market_mean, model_mean = np.array([20.5]), np.array([20.0]), np.array([24.0])
    market, _ = over_probabilities(market_mean, line)
    assert system_probabilities(MARKET, PointsCurve(), 0.0, model_mean, market_mean, line)[0] == pytest.approx(market)
    model, _ = PointsCurve().over(model_mean, line)
    assert system_probabilities("catboost", PointsCurve(), 0.0, model_mean, market_mean, line)[0] == pytest.approx(model)
    mixed = system_probabilities(BLEND, PointsCurve(), 0.5, model_mean, market_mean, line)[0]
    assert market < mixed < model
