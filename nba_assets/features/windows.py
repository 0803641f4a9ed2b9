"""Trailing windows over each player's games, for every game at once (numpy over running sums).

Rows must be sorted by group, then date. The window of row i holds the group's last `n` rows up to
and including i (fewer at the start of a group), optionally ending `lag` rows earlier. Running sums
are kept per group, so their magnitude, and the rounding of a difference of two, stays small.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


class Trailing:
    """Running sums of `columns` (and their squares) per group, from which any window is two lookups."""

    def __init__(self, frame: pd.DataFrame, group: str, columns: Sequence[str]):
        codes = pd.factorize(frame[group])[0]
        values = frame[list(columns)].astype(float).reset_index(drop=True)
        values = pd.concat([values, (values**2).add_suffix("^2")], axis=1)
        by = values.groupby(codes, sort=False)
        self.position = by.cumcount().to_numpy()
        self.running = by.cumsum()
        self.index = np.arange(len(values))

    def sum(self, column: str, n: int, lag: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(sum, count) of `column` over each row's window."""
        running = self.running[column].to_numpy()
        valid = self.position >= lag
        end = self.index - lag
        upper = np.where(valid, running[np.clip(end, 0, None)], 0.0)
        lower = np.where(valid & (self.position - lag >= n), running[np.clip(end - n, 0, None)], 0.0)
        return upper - lower, np.where(valid, np.minimum(self.position - lag + 1, n), 0)

    def mean(self, column: str, n: int, lag: int = 0) -> np.ndarray:
        total, count = self.sum(column, n, lag)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / count, np.nan)

    def std(self, column: str, n: int) -> np.ndarray:
        """Population standard deviation over the window."""
        total, count = self.sum(column, n)
        squares, _ = self.sum(f"{column}^2", n)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
            return np.sqrt(np.clip(squares / count - mean**2, 0, None))
