"""The count distribution of a player's points: probabilities at any line, pushes, fits and fair lines."""

import numpy as np
import pytest
from scipy import stats

from nba_assets.market.curve import DISPERSION, fair_line, fit_means, over_probabilities


def scipy_nb(mu, dispersion=DISPERSION):
    return stats.nbinom(mu / (dispersion - 1), 1 / dispersion)


def test_probabilities_are_the_negative_binomial_with_variance_proportional_to_the_mean():
    distribution = scipy_nb(20.0)
    assert distribution.mean() == pytest.approx(20.0) and distribution.var() == pytest.approx(60.0)
    over, push = over_probabilities([20.0, 20.0], [19.5, 20.0])
    assert over[0] == pytest.approx(distribution.sf(19))
    assert push[0] == 0 and push[1] == pytest.approx(distribution.pmf(20))
    assert over[1] == pytest.approx(distribution.sf(20) / (1 - distribution.pmf(20)))  # among decided outcomes


def test_higher_lines_are_less_likely_to_go_over():
    over, _ = over_probabilities(np.full(5, 15.0), [12.5, 13.5, 14.5, 15.5, 16.5])
    assert (np.diff(over) < 0).all()


def test_fitted_means_reproduce_the_books_fair_probabilities():
    true = np.array([24.0, 6.0, 12.0])
    lines = np.array([22.5, 24.5, 26.5, 5.5, 6.5, 11.5])
    group = np.array([0, 0, 0, 1, 1, 2])
    fair, _ = over_probabilities(true[group], lines)
    fitted = fit_means(group, lines, fair, np.ones(len(lines)), 4)
    assert fitted[:3] == pytest.approx(true, rel=1e-5)
    assert np.isnan(fitted[3])  # a group without a quote


def test_a_heavier_weight_pulls_the_fit():
    group, lines, fair = np.array([0, 0]), np.array([20.5, 20.5]), np.array([0.6, 0.4])
    even = fit_means(group, lines, fair, np.array([1.0, 1.0]), 1)[0]
    sharp_over = fit_means(group, lines, fair, np.array([3.0, 1.0]), 1)[0]
    assert sharp_over > even


def test_fair_line_is_the_half_point_closest_to_even():
    lines = fair_line(np.array([20.0, 5.0, np.nan]))
    assert np.isnan(lines[2])
    for mu, line in zip((20.0, 5.0), lines[:2]):
        over, _ = over_probabilities([mu, mu, mu], [line - 1, line, line + 1])
        assert abs(over[1] - 0.5) <= min(abs(over[0] - 0.5), abs(over[2] - 0.5))
