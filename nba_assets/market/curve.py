"""A player's points as a count distribution: P(points > L) at any line L, from a mean and a dispersion.

Points are negative binomial with mean `mu` and variance `dispersion x mu` (a variance proportional to
the mean: on the real 2024-25 season the variance of a player's points is 2.7-3.5 times the line at every
level of line, so one dispersion fits scorers and role players alike). A line of half a point has no
push; on a whole line the push is P(points = L) and the bet's chance is among decided outcomes, as the
books settle it (a push returns the stake).
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc

DISPERSION = 3.0  # the market's variance-to-mean ratio of a player's points (real 2024-25 lines: 2.7-3.5)
MIN_MEAN = 0.25
MAX_MEAN = 90.0
EPSILON = 1e-6


def cdf(k: np.ndarray, mu: np.ndarray, dispersion: float | np.ndarray) -> np.ndarray:
    """P(points <= k) for whole k (0 below zero)."""
    mu = np.clip(np.asarray(mu, dtype=float), MIN_MEAN, MAX_MEAN)
    phi = np.maximum(np.asarray(dispersion, dtype=float), 1.0 + 1e-6)
    k = np.asarray(k, dtype=float)
    size = mu / (phi - 1.0)
    with np.errstate(invalid="ignore"):
        out = betainc(size, np.maximum(k, 0.0) + 1.0, 1.0 / phi)
    return np.where(k < 0, 0.0, out)


def over_probabilities(mu, line, dispersion: float | np.ndarray = DISPERSION) -> tuple[np.ndarray, np.ndarray]:
    """(P(over | decided), P(push)) of each line given the mean: over means points > line."""
    line = np.asarray(line, dtype=float)
    mu, dispersion = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(dispersion, dtype=float))
    line = np.broadcast_to(line, mu.shape)
    whole = np.floor(line)
    below_or_at = cdf(whole, mu, dispersion)  # P(points <= floor(line))
    push = np.zeros(mu.shape)
    is_whole = line == whole
    if is_whole.any():
        push[is_whole] = below_or_at[is_whole] - cdf(whole[is_whole] - 1, mu[is_whole], dispersion[is_whole])
    over = 1.0 - below_or_at
    decided = np.maximum(1.0 - push, EPSILON)
    return np.clip(over / decided, EPSILON, 1 - EPSILON), push


def logit(p) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPSILON, 1 - EPSILON)
    return np.log(p / (1 - p))


def sigmoid(x) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def fit_means(group: np.ndarray, line: np.ndarray, fair_over: np.ndarray, weight: np.ndarray, groups: int,
              dispersion: float = DISPERSION, iterations: int = 7) -> np.ndarray:
    """The mean of each group whose curve fits its (line, fair P(over)) pairs: the root of the weighted
    sum of logit(P(over line | mean)) - logit(fair P(over)), which rises with the mean (the Illinois
    method of false position on the log of the mean, every group at once, from a bracket around the
    group's lines; pairs of a group at the same line are evaluated once). Groups without a pair get NaN."""
    group, line, weight = np.asarray(group, dtype=np.int64), np.asarray(line, dtype=float), np.asarray(weight, dtype=float)
    pair_key = group * 4096 + np.round(line * 2).astype(np.int64)  # lines are whole or half points
    keys, at = np.unique(pair_key, return_inverse=True)
    pair_group, pair_line = keys // 4096, (keys % 4096) / 2
    pair_weight = np.bincount(at, weights=weight, minlength=len(keys))
    target = np.bincount(pair_group, weights=np.bincount(at, weights=weight * logit(fair_over), minlength=len(keys)), minlength=groups)
    lowest = np.full(groups, MAX_MEAN)
    np.minimum.at(lowest, pair_group, pair_line)
    highest = np.zeros(groups)
    np.maximum.at(highest, pair_group, pair_line)
    # the mean lies near the lines a player is quoted at (within 1e-5 of its log after the bisection)
    lo, hi = np.log(np.clip(0.7 * lowest - 1, MIN_MEAN, MAX_MEAN)), np.log(np.clip(1.4 * highest + 2, MIN_MEAN, MAX_MEAN))
    over = _Overs(pair_line, dispersion)
    total = lambda x: np.bincount(pair_group, weights=pair_weight * logit(over(np.exp(x[pair_group]))), minlength=groups) - target  # noqa: E731
    f_lo, f_hi = total(lo), total(hi)
    outside = (f_lo > 0) | (f_hi < 0)  # a pair so lopsided that the root lies beyond the bracket: search the whole range
    if outside.any():
        lo[outside], hi[outside] = np.log(MIN_MEAN), np.log(MAX_MEAN)
        f_lo, f_hi = total(lo), total(hi)
    last = np.zeros(groups, dtype=np.int8)  # which end the previous step replaced: +1 the high one, -1 the low one
    for _ in range(iterations + int(outside.any()) * 6):
        span = f_hi - f_lo
        x = np.where(span > 0, hi - f_hi * (hi - lo) / np.where(span > 0, span, 1.0), (lo + hi) / 2)
        f_x = total(x)
        above = f_x > 0
        # Illinois: when the same end is replaced twice running, the other end's value is halved, so the bracket closes from both sides
        f_lo = np.where(above, np.where(last == 1, f_lo / 2, f_lo), f_x)
        f_hi = np.where(above, f_x, np.where(last == -1, f_hi / 2, f_hi))
        lo, hi = np.where(above, lo, x), np.where(above, x, hi)
        last = np.where(above, 1, -1).astype(np.int8)
    counted = np.bincount(group, weights=weight, minlength=groups) > 0
    return np.where(counted, np.exp(np.where(np.abs(f_lo) < np.abs(f_hi), lo, hi)), np.nan)


class _Overs:
    """`over_probabilities(mu, lines)[0]` for fixed lines and many means, what a fit evaluates again and
    again: the lines' whole parts and pushes worked out once."""

    def __init__(self, line: np.ndarray, dispersion: float):
        self.below = np.floor(line) + 1.0  # P(points <= floor(line)) = I_p(size, floor(line) + 1)
        self.whole = np.flatnonzero(line == np.floor(line))
        self.p = 1.0 / max(dispersion, 1.0 + 1e-6)
        self.ratio = max(dispersion, 1.0 + 1e-6) - 1.0

    def __call__(self, mu: np.ndarray) -> np.ndarray:
        size = np.clip(mu, MIN_MEAN, MAX_MEAN) / self.ratio
        below_or_at = betainc(size, self.below, self.p)
        decided = np.ones_like(below_or_at)
        if len(self.whole):
            w = self.whole
            push = below_or_at[w] - np.where(self.below[w] > 1, betainc(size[w], np.maximum(self.below[w] - 1, 1.0), self.p), 0.0)
            decided[w] = np.maximum(1.0 - push, EPSILON)
        return np.clip((1.0 - below_or_at) / decided, EPSILON, 1 - EPSILON)


def fair_line(mu: np.ndarray, dispersion: float = DISPERSION) -> np.ndarray:
    """The half-point line whose P(over) is closest to even: the line a fair book would hang (the
    curve's median lies within a few points below its mean, so only the lines around it are tried)."""
    mu = np.asarray(mu, dtype=float)
    known = np.isfinite(mu)
    centre = np.floor(np.where(known, mu, 1.0))
    steps = np.clip(centre[:, None] + np.arange(-5, 4)[None, :], 0, MAX_MEAN)  # candidate lines k + 0.5
    over = 1.0 - cdf(steps, np.where(known, mu, 1.0)[:, None], dispersion)
    best = np.take_along_axis(steps, np.argmin(np.abs(over - 0.5), axis=1)[:, None], axis=1)[:, 0]
    return np.where(known, best + 0.5, np.nan)
