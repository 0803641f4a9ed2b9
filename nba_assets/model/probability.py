"""Each system's probability that a player's points go over any line, fitted out of sample.

A system's prediction is the mean of a count distribution of his points (`market.curve`: negative
binomial, variance proportional to the mean); its dispersion is the one that makes the outcomes of
the rows it is fitted on most likely, and a logistic recalibration of the curve's logit at the real
line, P(over) = sigmoid(a + b logit(curve)), corrects its lean and its sharpness. The
recalibration is pulled lightly towards flat (a = b = 0: 50%, whatever the curve says), and with
fewer than `MIN_ROWS` decided rows against a real line it is flat: a curve earns its confidence
against the line out of sample, or has none (on the real lines a model's curve around a prediction
half a point off the line says 55% where the line wins half the time). The `market` system is the
books' consensus curve itself. The `blend` starts from the market and moves towards the model:
logit P = logit P_market + w (logit P_model - logit P_market), the weight fitted on log loss.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import optimize
from scipy.special import gammaln

from nba_assets.market.curve import DISPERSION, logit, over_probabilities, sigmoid

MIN_ROWS = 200
DISPERSION_RANGE = (1.2, 10.0)
RIDGE = 1.0  # a light pull of the recalibration towards flat
BLEND_WEIGHTS = np.round(np.arange(0.0, 1.0001, 0.05), 2)


def log_likelihood(actual: np.ndarray, mean: np.ndarray, dispersion: float) -> float:
    """The log likelihood of the points scored under the curves of mean `mean` and `dispersion`."""
    mu = np.clip(mean, 0.25, None)
    size = mu / (dispersion - 1)
    return float(np.sum(gammaln(actual + size) - gammaln(size) - gammaln(actual + 1) + size * np.log(1 / dispersion) + actual * np.log(1 - 1 / dispersion)))


def fit_dispersion(actual: np.ndarray, mean: np.ndarray) -> float:
    """The dispersion that makes `actual` most likely around `mean` (the market's default without rows)."""
    keep = np.isfinite(actual) & np.isfinite(mean)
    if keep.sum() < MIN_ROWS:
        return DISPERSION
    result = optimize.minimize_scalar(lambda phi: -log_likelihood(actual[keep], mean[keep], phi), bounds=DISPERSION_RANGE, method="bounded")
    return float(result.x)


@dataclass(frozen=True)
class PointsCurve:
    """A system's P(points > line) around its predicted mean."""

    dispersion: float = DISPERSION
    intercept: float = 0.0
    slope: float = 1.0
    rows: int = 0

    def over(self, mean, line) -> tuple[np.ndarray, np.ndarray]:
        """(P(over | decided), P(push)) at each line."""
        base, push = over_probabilities(mean, line, self.dispersion)
        return sigmoid(self.intercept + self.slope * logit(base)), push

    @classmethod
    def fit(cls, mean, actual, line) -> PointsCurve:
        """Fitted on rows with a prediction and an outcome; recalibrated on those with a real line and a decided outcome."""
        mean, actual, line = (np.asarray(x, dtype=float) for x in (mean, actual, line))
        dispersion = fit_dispersion(actual, mean)
        keep = np.isfinite(mean) & np.isfinite(actual) & np.isfinite(line) & (actual != line)
        if keep.sum() < MIN_ROWS:
            return cls(dispersion, 0.0, 0.0, int(keep.sum()))
        x = logit(over_probabilities(mean[keep], line[keep], dispersion)[0])
        y = (actual[keep] > line[keep]).astype(float)
        design = np.column_stack([np.ones_like(x), x])
        beta = np.zeros(2)
        for _ in range(50):  # Newton steps on the ridge-penalised log likelihood (towards flat)
            p = sigmoid(design @ beta)
            gradient = design.T @ (y - p) - RIDGE * beta
            hessian = design.T @ (design * (p * (1 - p))[:, None]) + RIDGE * np.eye(2)
            step = np.linalg.solve(hessian, gradient)
            beta += step
            if np.max(np.abs(step)) < 1e-10:
                break
        return cls(dispersion, float(beta[0]), float(beta[1]), int(keep.sum()))

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PointsCurve:
        return cls(float(data["dispersion"]), float(data["intercept"]), float(data["slope"]), int(data["rows"]))




def blend(p_model, p_market, weight: float) -> np.ndarray:
    """The market moved towards the model by `weight` in log odds (0: the market, 1: the model)."""
    return sigmoid(logit(p_market) + weight * (logit(p_model) - logit(p_market)))


def log_loss(p_over, over) -> np.ndarray:
    """Each row's log loss of P(over) against whether it went over (1) or under (0)."""
    p = np.clip(np.asarray(p_over, dtype=float), 1e-6, 1 - 1e-6)
    over = np.asarray(over, dtype=float)
    return -(over * np.log(p) + (1 - over) * np.log(1 - p))


def fit_blend_weight(p_model, p_market, over) -> float:
    """The weight of the model in the blend with the lowest log loss on these rows (0 without rows)."""
    p_model, p_market, over = (np.asarray(x, dtype=float) for x in (p_model, p_market, over))
    keep = np.isfinite(p_model) & np.isfinite(p_market) & np.isfinite(over)
    if keep.sum() < MIN_ROWS:
        return 0.0
    losses = [log_loss(blend(p_model[keep], p_market[keep], w), over[keep]).mean() for w in BLEND_WEIGHTS]
    return float(BLEND_WEIGHTS[int(np.argmin(losses))])


MARKET, BLEND = "market", "blend"


def system_probabilities(system: str, curve: PointsCurve, weight: float, mean, market_mean, line,
                         market: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(P(over | decided), P(push)) of `system` at each line: the market's consensus curve; a model's
    curve around its mean (`mean`); or, for the blend, the market moved towards the model's curve by
    `weight`. `market`: the market's own (P(over), P(push)) at these lines, when already known."""
    market_p, market_push = market if market is not None else over_probabilities(market_mean, line, DISPERSION)
    if system == MARKET:
        return market_p, market_push
    p, push = curve.over(mean, line)
    if system == BLEND:
        return blend(p, market_p, weight), market_push
    return p, push
