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

from nba_assets.picks import BREAK_EVEN, NO_EDGE, OVER, PASS, UNDER, pick_results, wilson_interval

MIN_ROWS = 200
RIDGE = 1.0  # a light pull of the fitted curve towards flat
MIN_EVIDENCE_PICKS = 100


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


def pick_evidence(predicted: pd.Series, actual: pd.Series, line: pd.Series, dates: pd.Series) -> dict:
    """How a system's picks would have done out of sample: the rows with a real line are split in two
    halves by date, and a calibration fitted on each half picks the other (never rows it was fitted
    on), where its chance to win clears the break-even of -110. The system beats the line when it
    made at least `MIN_EVIDENCE_PICKS` decided picks that hit at or above break-even, with a 95%
    interval clear of a coin flip; otherwise it publishes no picks."""
    known = predicted.notna() & actual.notna() & line.notna()
    days = np.sort(dates[known].unique())
    results = []
    if len(days) >= 2:
        middle = days[len(days) // 2]
        halves = (known & (dates < middle), known & (dates >= middle))
        for fit_on, pick_on in (halves, halves[::-1]):
            over, under = EdgeCalibration.fit(predicted[fit_on], actual[fit_on], line[fit_on]).over_under(predicted[pick_on], line[pick_on])
            side = pd.Series(np.where(np.maximum(over, under) >= BREAK_EVEN, np.where(over >= under, OVER, UNDER), PASS), index=predicted[pick_on].index)
            results.append(pick_results(side, line[pick_on], actual[pick_on], pd.Series(True, index=side.index)))
    graded = pd.concat(results) if results else pd.Series(dtype="object")
    wins, losses = int((graded == "win").sum()), int((graded == "loss").sum())
    low, high = wilson_interval(wins, wins + losses)
    rate = wins / (wins + losses) if wins + losses else None
    beats = wins + losses >= MIN_EVIDENCE_PICKS and rate >= BREAK_EVEN and low > 0.5
    return {"picks": wins + losses, "wins": wins, "losses": losses, "hit_rate": rate,
            "interval": [None if np.isnan(low) else low, None if np.isnan(high) else high], "beats_the_line": bool(beats)}


def no_edge_reason(system: str, evidence: dict | None) -> str | None:
    """Why `system` may not pick (its evidence does not show it beats the line), or None if it may."""
    if evidence is None:
        return f"{NO_EDGE}: {system} has no out-of-sample record against real lines (a model trained before records were kept): no picks"
    if evidence["beats_the_line"]:
        return None
    if not evidence["picks"]:
        return f"{NO_EDGE}: {system} made no out-of-sample picks against real lines: no picks"
    low, high = evidence["interval"]
    return (f"{NO_EDGE}: {system}'s out-of-sample picks hit {evidence['hit_rate']:.1%} of {evidence['picks']} (95% interval {low:.1%}-{high:.1%}) "
            f"against real lines, not enough to pay at -110 ({BREAK_EVEN:.1%}): no picks")
