"""Probability that a pick wins, learnt from out-of-sample picks against real lines.

A pick is a disagreement with the line, so its chance depends on how often such disagreements
were right, not on the model's error in general (the line already knows most of what the model
knows). On the validation window (rows the model never trained on) with a line and a decided
outcome, a logistic curve P(actual > line) = 1 / (1 + exp(-(a + b * edge))) is fitted to the edge
(predicted - line). The confidence of an OVER is that probability, of an UNDER its complement:
the chance of winning among decided outcomes (pushes excluded, as in the hit rate). With fewer
than `MIN_ROWS` such rows the curve is flat at 50%: no evidence, no confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_ROWS = 200
RIDGE = 1.0  # a light pull of the fitted curve towards flat


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class EdgeCalibration:
    intercept: float
    slope: float
    rows: int

    @classmethod
    def fit(cls, predicted: pd.Series, actual: pd.Series, line: pd.Series) -> EdgeCalibration:
        """Fit the curve on rows with a prediction, a line and a decided outcome (actual != line)."""
        keep = predicted.notna() & actual.notna() & line.notna() & (actual != line)
        edge = (predicted[keep] - line[keep]).to_numpy(float)
        over = (actual[keep] > line[keep]).to_numpy(float)
        if len(edge) < MIN_ROWS:
            return cls(0.0, 0.0, int(len(edge)))
        design = np.column_stack([np.ones_like(edge), edge])
        beta = np.zeros(2)
        for _ in range(50):  # Newton steps on the ridge-penalised log-likelihood
            p = _sigmoid(design @ beta)
            gradient = design.T @ (over - p) - RIDGE * beta
            hessian = design.T @ (design * (p * (1 - p))[:, None]) + RIDGE * np.eye(2)
            step = np.linalg.solve(hessian, gradient)
            beta += step
            if np.max(np.abs(step)) < 1e-10:
                break
        return cls(float(beta[0]), float(beta[1]), int(len(edge)))

    def over_under(self, predicted: pd.Series, line: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """(P(over), P(under)) per row, among decided outcomes: they sum to 1."""
        edge = predicted.to_numpy(float) - line.to_numpy(float)
        over = _sigmoid(self.intercept + self.slope * edge)
        return over, 1.0 - over

    def as_dict(self) -> dict:
        return {"intercept": self.intercept, "slope": self.slope, "rows": self.rows}

    @classmethod
    def from_dict(cls, data: dict) -> EdgeCalibration:
        return cls(float(data["intercept"]), float(data["slope"]), int(data["rows"]))
