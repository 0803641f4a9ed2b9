"""Game simulation: minutes, shots and the box score of every game of a season.

A player's expected points are his scoring rate x expected minutes (from his rank among the
team's available players) x game context (pace of both teams, the opponent's defence, home court,
rest). The actual game draws coach's-decision DNPs for the deep bench, minutes around the rank's
share (summing to exactly 240 per team, +25 per overtime), a form factor, then shot attempts and
makes, so pts = 2*fgm + fg3m + ftm always holds. Tied games go to overtime until decided.
"""

from __future__ import annotations

import numpy as np

STATS = ("fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "ast", "stl", "blk", "turnover", "pf", "pts")
BASE_MINUTES = np.array([34, 33, 31, 29, 27, 24, 21, 18, 15, 12, 8, 5, 3, 2] + [2] * 10, dtype=float)
COACH_DNP = np.array([0.0] * 9 + [0.15, 0.45, 0.65, 0.8, 0.88] + [0.9] * 10)


def _share(weights: np.ndarray, total: float, cap: float) -> np.ndarray:
    """Split `total` in proportion to `weights`, no share above `cap`."""
    out = weights / weights.sum() * total
    for _ in range(6):
        over = out > cap
        if not over.any():
            break
        spare = (out[over] - cap).sum()
        out[over] = cap
        free = ~over & (weights > 0)
        out[free] += spare * weights[free] / weights[free].sum()
    return out


def integer_split(shares: np.ndarray, total: int) -> np.ndarray:
    """Round `shares` to integers that sum to `total` (largest remainder)."""
    floor = np.floor(shares).astype(int)
    rest = total - floor.sum()
    if rest > 0:
        floor[np.argsort(-(shares - floor), kind="stable")[:rest]] += 1
    return floor


def expected_minutes(n_available: int) -> np.ndarray:
    """Expected minutes by rank when `n_available` players can play (coach's DNPs priced in)."""
    n = min(n_available, len(BASE_MINUTES))
    weights = BASE_MINUTES[:n] * (1 - COACH_DNP[:n])
    out = np.zeros(n_available)
    out[:n] = _share(weights, 240.0, 42.0)
    return out


EXPECTED_MINUTES = {n: expected_minutes(n) for n in range(1, 25)}


def allocate(r: np.random.Generator, available: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For one team-game (rows in depth order): (expected minutes, actual minutes, coach's DNP)."""
    k = len(available)
    rank = np.cumsum(available) - 1
    expected = np.zeros(k)
    n_av = int(available.sum())
    expected[available] = EXPECTED_MINUTES[n_av]
    draw = r.random(k)
    plays = available & (draw >= COACH_DNP[np.minimum(rank, len(COACH_DNP) - 1)])
    if plays.sum() < min(8, n_av):
        plays |= available & (rank < 8)
    weights = np.where(plays, BASE_MINUTES[np.minimum(rank, len(BASE_MINUTES) - 1)], 0.0)
    weights = weights * np.exp(r.normal(0.0, 0.25, k))
    minutes = np.zeros(k, dtype=int)
    spare = 240 - int(plays.sum())
    minutes[plays] = 1 + integer_split(_share(weights[plays], float(spare), 43.0), spare)
    return expected, minutes, available & ~plays


def points_per_shot(style: dict[str, np.ndarray]) -> np.ndarray:
    """Expected points per field-goal attempt, free throws included."""
    return 2 * style["p2"] * (1 - style["three_share"]) + 3 * style["p3"] * style["three_share"] \
        + style["ft_rate"] * style["ft_pct"]


def shoot(r: np.random.Generator, fga: np.ndarray, minutes: np.ndarray, style: dict[str, np.ndarray],
          pace: np.ndarray) -> dict[str, np.ndarray]:
    """Box-score counts for rows taking `fga` field-goal attempts in `minutes` minutes."""
    hot = r.normal(0.0, 0.015, len(fga))
    p2 = np.clip(style["p2"] + hot, 0.2, 0.8)
    p3 = np.clip(style["p3"] + hot, 0.1, 0.6)
    fg3a = r.binomial(fga, style["three_share"])
    fg2m = r.binomial(fga - fg3a, p2)
    fg3m = r.binomial(fg3a, p3)
    fta = r.poisson(style["ft_rate"] * fga)
    ftm = r.binomial(fta, style["ft_pct"])
    played = minutes * pace
    out = {"fgm": fg2m + fg3m, "fga": fga, "fg3m": fg3m, "fg3a": fg3a, "ftm": ftm, "fta": fta,
           "oreb": r.poisson(style["reb"] * played * 0.24), "dreb": r.poisson(style["reb"] * played * 0.76),
           "ast": r.poisson(style["ast"] * played), "stl": r.poisson(style["stl"] * played),
           "blk": r.poisson(style["blk"] * played), "turnover": r.poisson(style["tov"] * played),
           "pf": np.minimum(6, r.poisson(style["pf"] * minutes))}
    out["pts"] = 2 * out["fgm"] + out["fg3m"] + out["ftm"]
    return out


def simulate(r: np.random.Generator, team_game: np.ndarray, side: np.ndarray, game: np.ndarray,
             unavailable: np.ndarray, ppm: np.ndarray, ctx: np.ndarray, pace: np.ndarray,
             style: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], list[dict]]:
    """Simulate every row (rows grouped by team-game, depth order inside each group).

    Returns the final box-score columns (incl. `min`, `exp_min`, `exp_pts`, `coach_dnp`,
    `plus_minus`) and the overtime increments [{row, ot, min, <stat>...}] inside those totals.
    """
    n = len(team_game)
    exp_min, minutes, coach = np.zeros(n), np.zeros(n, dtype=int), np.zeros(n, dtype=bool)
    starts = np.flatnonzero(np.r_[True, team_game[1:] != team_game[:-1]])
    ends = np.r_[starts[1:], n]
    for a, b in zip(starts, ends):
        exp_min[a:b], minutes[a:b], coach[a:b] = allocate(r, ~unavailable[a:b])
    form = np.exp(r.normal(0.0, 0.17, n))
    attempts = ppm * minutes * ctx * form / points_per_shot(style)
    box = shoot(r, _team_split(r, team_game, attempts, ppm * minutes * ctx / points_per_shot(style)),
                minutes, style, pace)
    box["min"] = minutes
    overtime: list[dict] = []
    g_starts = np.flatnonzero(np.r_[True, game[1:] != game[:-1]])
    g_ends = np.r_[g_starts[1:], n]
    signed = np.where(side == 0, 1, -1)
    for a, b in zip(g_starts, g_ends):
        if (box["pts"][a:b] * signed[a:b]).sum() != 0:
            continue
        rows = np.arange(a, b)
        home, away = rows[side[a:b] == 0], rows[side[a:b] == 1]
        ot = 0
        while box["pts"][home].sum() == box["pts"][away].sum():
            ot += 1
            for team_rows in (home, away):
                top = team_rows[np.argsort(-box["min"][team_rows], kind="stable")[:7]]
                ot_min = integer_split(_share(box["min"][top].astype(float) ** 2, 25.0, 5.0), 25)
                lam = ppm[top] * ot_min * ctx[top] * form[top] / points_per_shot(_take(style, top))
                extra = shoot(r, r.poisson(lam), ot_min, _take(style, top), pace[top])
                if ot >= 6 and team_rows is home:
                    extra["ftm"][0] += 1
                    extra["fta"][0] += 1
                    extra["pts"][0] += 1
                extra["pf"] = np.minimum(extra["pf"], 6 - box["pf"][top])
                extra["min"] = ot_min
                for i, row in enumerate(top):
                    overtime.append({"row": int(row), "ot": ot, **{k: int(v[i]) for k, v in extra.items()}})
                    for key, values in extra.items():
                        box[key][row] += values[i]
    game_diff = np.add.reduceat(box["pts"] * signed, g_starts)
    margin = np.repeat(game_diff, g_ends - g_starts) * signed
    noise = r.normal(0.0, 4.0, n) * np.sqrt(box["min"] / 36.0)
    box["plus_minus"] = np.where(box["min"] > 0, np.round(margin * box["min"] / 48.0 + noise), 0).astype(int)
    box["exp_min"] = exp_min
    box["exp_pts"] = ppm * exp_min * ctx
    box["coach_dnp"] = coach
    return box, overtime


def _take(style: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[rows] for k, v in style.items()}


def _team_split(r: np.random.Generator, team_game: np.ndarray, attempts: np.ndarray,
                expected: np.ndarray) -> np.ndarray:
    """Field-goal attempts per row: each team's total varies like possessions do (sd ~3 around its
    expectation) and is shared by the players in proportion to `attempts` (form moves usage)."""
    starts = np.flatnonzero(np.r_[True, team_game[1:] != team_game[:-1]])
    sizes = np.diff(np.r_[starts, len(team_game)])
    group = np.repeat(np.arange(len(starts)), sizes)
    pos = np.arange(len(team_game)) - starts[group]
    shares = np.zeros((len(starts), int(sizes.max())))
    shares[group, pos] = attempts
    totals = shares.sum(axis=1)
    shares /= np.where(totals > 0, totals, 1.0)[:, None]
    wanted = np.bincount(group, weights=expected, minlength=len(starts))
    team_fga = np.maximum(0, np.round(wanted + r.normal(0.0, 3.0, len(starts)))).astype(int)
    return r.multinomial(team_fga, shares)[group, pos]
