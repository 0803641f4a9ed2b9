"""What a game looks like at a moment: status, clock, score, quarter scores and stats so far.

Real time maps onto the game clock: 120 minutes of play (48 game minutes plus 5 per overtime,
stretched evenly) with a 15-minute halftime, so every game ends 2h15m after tip. Each shot, free
throw, rebound, ... of the final box score happens at a seeded moment of its period, so the stats
shown at a moment are those of the events before it: they only grow, and at the end they are the
final box score.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .games import STATS
from .seeding import rng

PLAY_SECONDS, HALFTIME_SECONDS = 7200, 900
# Event kinds and what each adds to the STATS columns.
_KINDS = ("2miss", "2make", "3miss", "3make", "ftmiss", "ftmake", "oreb", "dreb", "ast", "stl", "blk",
          "turnover", "pf")
_ADDS = {"2miss": {"fga": 1}, "2make": {"fga": 1, "fgm": 1, "pts": 2},
         "3miss": {"fga": 1, "fg3a": 1}, "3make": {"fga": 1, "fg3a": 1, "fgm": 1, "fg3m": 1, "pts": 3},
         "ftmiss": {"fta": 1}, "ftmake": {"fta": 1, "ftm": 1, "pts": 1}}
KIND_MATRIX = np.array([[_ADDS.get(k, {k: 1}).get(s, 0) for s in STATS] for k in _KINDS])
_FROM_BOX = {"2make": {"fgm": 1, "fg3m": -1}, "2miss": {"fga": 1, "fg3a": -1, "fgm": -1, "fg3m": 1},
             "3make": {"fg3m": 1}, "3miss": {"fg3a": 1, "fg3m": -1}, "ftmake": {"ftm": 1},
             "ftmiss": {"fta": 1, "ftm": -1}}
_UNMIX = np.array([[_FROM_BOX.get(k, {k: 1}).get(s, 0) for k in _KINDS] for s in STATS])


@dataclass(frozen=True)
class Clock:
    """The game at one moment: phase ("scheduled", "live", "final"), period, time left in the
    period (seconds), game minutes played and the share of the game played."""

    phase: str
    period: int
    seconds_left: int
    minute: float
    fraction: float

    @property
    def status_text(self) -> str:
        """balldontlie's status of a tipped game: "1st Qtr".."4th Qtr", "Halftime", "OT", "Final"."""
        if self.phase == "final":
            return "Final"
        if self.period == 2 and self.minute == 24.0 and self.seconds_left == 0:
            return "Halftime"
        return "OT" if self.period > 4 else ("1st Qtr", "2nd Qtr", "3rd Qtr", "4th Qtr")[self.period - 1]

    @property
    def time_text(self) -> str:
        """balldontlie's `time`: the period clock "5:32", "Half" or "Final"."""
        if self.phase == "final":
            return "Final"
        if self.status_text == "Halftime":
            return "Half"
        return f"{self.seconds_left // 60}:{self.seconds_left % 60:02d}"


def clock_at(tip_ts: int, periods: int, now_ts: float) -> Clock:
    """The game clock of a game tipping at `tip_ts` with `periods` periods, at `now_ts`."""
    total = 48.0 + 5.0 * (periods - 4)
    elapsed = now_ts - tip_ts
    if elapsed < 0:
        return Clock("scheduled", 0, 0, 0.0, 0.0)
    if elapsed >= PLAY_SECONDS + HALFTIME_SECONDS:
        return Clock("final", periods, 0, total, 1.0)
    per_minute = PLAY_SECONDS / total
    if elapsed < 24 * per_minute:
        minute = elapsed / per_minute
    elif elapsed < 24 * per_minute + HALFTIME_SECONDS:
        return Clock("live", 2, 0, 24.0, 24.0 / total)
    else:
        minute = min(total, 24.0 + (elapsed - 24 * per_minute - HALFTIME_SECONDS) / per_minute)
    if minute < 48.0:
        period = int(minute // 12) + 1
        end = 12.0 * period
    else:
        period = min(periods, 5 + int((minute - 48.0) // 5))
        end = 48.0 + 5.0 * (period - 4)
    return Clock("live", period, int((end - minute) * 60), minute, minute / total)


class GameEvents:
    """Seeded event times of every game of a season (built lazily per game, thread-safe)."""

    def __init__(self, season):
        self.season = season
        self.final = season.box_scores[list(STATS)].to_numpy()
        self.away = (~season.box_scores["is_home"].to_numpy()).astype(int)
        self.ot_row = season.overtime["row"].to_numpy()
        self.ot_no = season.overtime["ot"].to_numpy()
        self.ot_stats = season.overtime[list(STATS)].to_numpy()
        self.periods = season.schedule["periods"].to_numpy()
        self._cache: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def events(self, game_idx: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row within the game, kind index, game minute) of every event of the game."""
        with self._lock:
            if game_idx not in self._cache:
                self._cache[game_idx] = self._build(game_idx)
            return self._cache[game_idx]

    def _build(self, game_idx: int):
        rows = self.season.game_rows(game_idx)
        n = rows.stop - rows.start
        in_game = (self.ot_row >= rows.start) & (self.ot_row < rows.stop)
        regulation = self.final[rows].copy()
        segments = []
        for k in np.unique(self.ot_no[in_game]):
            pick = in_game & (self.ot_no == k)
            counts = np.zeros((n, len(STATS)), dtype=int)
            counts[self.ot_row[pick] - rows.start] = self.ot_stats[pick]
            regulation -= counts
            segments.append((counts, 48.0 + 5.0 * (k - 1), 48.0 + 5.0 * k))
        segments.insert(0, (regulation, 0.0, 48.0))
        r = rng(self.season.seed, "events", self.season.year, game_idx)
        who, kind, when = [], [], []
        for counts, start, end in segments:
            per_kind = counts @ _UNMIX
            for k_idx in range(len(_KINDS)):
                number = per_kind[:, k_idx]
                total = int(number.sum())
                who.append(np.repeat(np.arange(n), number))
                kind.append(np.full(total, k_idx))
                when.append(r.uniform(start, end, total))
        return np.concatenate(who), np.concatenate(kind), np.concatenate(when)

    def stats_at(self, game_idx: int, minute: float) -> np.ndarray:
        """STATS counts per row of the game after `minute` game minutes."""
        who, kind, when = self.events(game_idx)
        rows = self.season.game_rows(game_idx)
        n = rows.stop - rows.start
        done = when < minute
        counts = np.zeros((n, len(_KINDS)), dtype=int)
        np.add.at(counts, (who[done], kind[done]), 1)
        return counts @ KIND_MATRIX

    def period_points(self, game_idx: int, minute: float) -> np.ndarray:
        """Points per (home/away, period) scored before `minute`: shape (2, periods)."""
        who, kind, when = self.events(game_idx)
        rows = self.season.game_rows(game_idx)
        periods = int(self.periods[game_idx])
        pts = KIND_MATRIX[kind, STATS.index("pts")]
        done = when < minute
        period = np.where(when < 48.0, when // 12, 4 + (when - 48.0) // 5).astype(int)
        out = np.zeros((2, periods), dtype=int)
        np.add.at(out, (self.away[rows][who[done]], period[done]), pts[done])
        return out
