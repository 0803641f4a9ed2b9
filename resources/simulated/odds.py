"""Player-points markets: which books list whom, at what line and price, at any moment.

Each book posts about 20 h before tip and updates every 1-3 h, and within half an hour of injury
news. At an update its estimate is 0.75 x the player's expected points given the absences known
then + 0.25 x his last-five average + market noise (partly fading toward tip, so the line moves
toward a better estimate) + the book's own noise. Lines sit at .5 unless a book rounds a player to
a whole number; prices are about -110/-110, skewed by where the estimate sits in the half point.
Some books also hang alternate lines (+-1, +-2) at lopsided prices; the main line is always the
pair closest to even. After tip the books post wild in-game lines built on the live score. All
update times fall on 5-minute marks, so the odds at t equal the 5-minute snapshot at t.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from .games import EXPECTED_MINUTES
from .live import clock_at
from .seeding import rng

BOOKS = (("draftkings", "DraftKings"), ("fanduel", "FanDuel"), ("betmgm", "BetMGM"),
         ("williamhill_us", "Caesars"), ("espnbet", "ESPN BET"))
STEP = 300
_VIG = 0.025


def _align(ts: float) -> int:
    return int(ts // STEP * STEP)


def american(prob: float) -> int:
    """American price for an implied probability (vig included)."""
    return -int(round(100 * prob / (1 - prob))) if prob >= 0.5 else int(round(100 * (1 - prob) / prob))


@dataclass
class _Book:
    key: str
    title: str
    updates: np.ndarray
    live_updates: np.ndarray
    noise: np.ndarray
    tilt: np.ndarray
    whole: np.ndarray
    ladder: np.ndarray
    listed: np.ndarray
    jitter: np.ndarray


class GameMarket:
    """The player_points market of one game, from posting to the final buzzer."""

    def __init__(self, season, game_idx: int):
        self.season, self.game_idx = season, game_idx
        rows = season.game_rows(game_idx)
        box = season.box_scores.iloc[rows]
        self.rows = rows
        self.tip, self.end = int(season.tip_ts[game_idx]), int(season.end_ts[game_idx])
        self.periods = int(season.schedule["periods"].iat[game_idx])
        self.side = (~box["is_home"].to_numpy()).astype(int)
        self.known = season.known_ts[rows]
        self.rate = season.ppm_ctx[rows]
        self.exp_pts = box["exp_pts"].to_numpy()
        self.played = box["min"].to_numpy() > 0
        last5 = box["last5_pts"].to_numpy()
        self.last5 = np.where(np.isnan(last5), self.exp_pts, last5)
        self.names = [season.universe.players[u].odds_name for u in box["uid"]]
        r = rng(season.seed, "market", season.year, game_idx)
        n = len(box)
        self.close_noise = r.normal(0.0, 1.25, n)
        self.open_noise = r.normal(0.0, 1.5, n)
        news = sorted({int(t) for t in self.known if self.tip - 86400 < t < self.tip})
        self.books = []
        for key, title in BOOKS:
            offers = r.random() < 0.97
            post = _align(self.tip - 20 * 3600 + r.uniform(-2.5, 1.5) * 3600)
            times, t = [], post
            while t < self.tip:
                times.append(t)
                t = _align(t + r.uniform(60, 180) * 60)
            times += [u for u in (_align(t0 + r.uniform(5, 30) * 60) for t0 in news) if post < u < self.tip]
            updates = np.unique(np.array(times, dtype=np.int64))
            live, t = [], self.tip + STEP
            while t < self.end:
                live.append(t)
                t = _align(t + r.uniform(5, 15) * 60)
            book = _Book(key, title, updates if offers else updates[:0], np.array(live, dtype=np.int64),
                         noise=r.normal(0.0, 0.4, n), tilt=np.clip(r.normal(0.0, 0.006, n), -0.01, 0.01),
                         whole=r.random(n) < 0.07, ladder=r.random(n), listed=r.random(n),
                         jitter=r.normal(0.0, 1.0, (len(updates) + len(live), n)))
            self.books.append(book)

    def expected_at(self, ts: int) -> tuple[np.ndarray, np.ndarray]:
        """(expected points, expected minutes) per row given the absences public at `ts`."""
        minutes = np.zeros(len(self.rate))
        for side in (0, 1):
            avail = np.flatnonzero((self.side == side) & (self.known > ts))
            minutes[avail] = EXPECTED_MINUTES[len(avail)]
        return self.rate * minutes, minutes

    def snapshot(self, ts: int) -> list[dict]:
        """Bookmakers as The Odds API shows them at `ts` (books without a market are left out)."""
        out = []
        for book in self.books:
            if ts >= self.tip:
                k = int(np.searchsorted(book.live_updates, ts, side="right")) - 1
                if k < 0 or not len(book.updates):
                    continue
                update = int(book.live_updates[k])
                outcomes = self._live_outcomes(book, update, len(book.updates) + k)
            else:
                k = int(np.searchsorted(book.updates, ts, side="right")) - 1
                if k < 0:
                    continue
                update = int(book.updates[k])
                outcomes = self._pregame_outcomes(book, update, k)
            if not outcomes:
                continue
            stamp = _iso(update)
            out.append({"key": book.key, "title": book.title, "last_update": stamp,
                        "markets": [{"key": "player_points", "last_update": stamp, "outcomes": outcomes}]})
        return out

    def main_lines(self, ts: int) -> np.ndarray:
        """Each book's main line per row at `ts` before tip (NaN where not listed): shape (books, rows)."""
        lines = np.full((len(self.books), len(self.rate)), np.nan)
        for b_idx, book in enumerate(self.books):
            k = int(np.searchsorted(book.updates, ts, side="right")) - 1
            if k >= 0:
                est, listed = self._estimate(book, int(book.updates[k]), k)
                lines[b_idx, listed] = self._line(book, est)[listed]
        return lines

    def _estimate(self, book: _Book, update: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        mu, minutes = self.expected_at(update)
        post = int(book.updates[0])
        fade = 1.0 - min(1.0, max(0.0, (update - post) / max(1, self.tip - post)))
        # Books hang lines near the median, a little under the mean of a right-skewed outcome.
        est = (0.75 * mu + 0.25 * self.last5 - 0.045 * mu + self.close_noise + self.open_noise * fade + book.noise
               + 0.2 * book.jitter[k])
        listed = (self.known > update) & (minutes >= 15) & (book.listed < np.where(minutes >= 24, 0.93, 0.7))
        return np.maximum(est, 1.0), listed

    @staticmethod
    def _line(book: _Book, est: np.ndarray) -> np.ndarray:
        return np.where(book.whole, np.round(est), np.floor(est) + 0.5)

    def _pregame_outcomes(self, book: _Book, update: int, k: int) -> list[dict]:
        est, listed = self._estimate(book, update, k)
        line = self._line(book, est)
        outcomes = []
        for i in np.flatnonzero(listed):
            p_main = 0.5 + 0.08 * (est[i] - line[i]) + book.tilt[i]
            steps = (-2, -1, 0, 1, 2) if book.ladder[i] < 0.05 else (-1, 0, 1) if book.ladder[i] < 0.12 else (0,)
            for step in steps:
                if line[i] + step <= 0:
                    continue
                p = min(0.9, max(0.1, p_main - 0.11 * step))
                outcomes += _pair(self.names[i], float(line[i] + step), p)
        return outcomes

    def _live_outcomes(self, book: _Book, update: int, k: int) -> list[dict]:
        clock = clock_at(self.tip, self.periods, update)
        so_far = self.season.events.stats_at(self.game_idx, clock.minute)[:, -1]
        est = so_far + self.exp_pts * (1.0 - clock.fraction) + 2.5 * book.jitter[k] + book.noise
        _, minutes = self.expected_at(self.tip)
        listed = self.played & (minutes >= 15) & (book.listed < np.where(minutes >= 24, 0.93, 0.7))
        outcomes = []
        for i in np.flatnonzero(listed):
            line = max(float(so_far[i]) + 0.5, float(np.floor(est[i])) + 0.5)
            outcomes += _pair(self.names[i], line, min(0.7, max(0.3, 0.5 + 0.07 * book.jitter[k, i])))
        return outcomes


def _pair(name: str, point: float, p_over: float) -> list[dict]:
    return [{"name": "Over", "description": name, "price": american(p_over + _VIG), "point": point},
            {"name": "Under", "description": name, "price": american(1.0 - p_over + _VIG), "point": point}]


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class SeasonMarkets:
    """GameMarket per game of a season, built on first use (thread-safe)."""

    def __init__(self, season):
        self.season = season
        self._cache: dict[int, GameMarket] = {}
        self._lock = threading.Lock()

    def game(self, game_idx: int) -> GameMarket:
        """The market of game `game_idx`."""
        with self._lock:
            if game_idx not in self._cache:
                self._cache[game_idx] = GameMarket(self.season, game_idx)
            return self._cache[game_idx]


def consensus_lines(season) -> pd.DataFrame:
    """Per listed player-game: the median over books of each book's main line at its latest update
    before tip (`line`) and at its first posting (`opening_line`), with the actual result."""
    records = []
    for g in range(len(season.schedule)):
        market = season.markets.game(g)
        closing = market.main_lines(market.tip - 1)
        opening = np.full_like(closing, np.nan)
        for b_idx, book in enumerate(market.books):
            if len(book.updates):
                opening[b_idx] = market.main_lines(int(book.updates[0]))[b_idx]
        n_books = (~np.isnan(closing)).sum(axis=0)
        for i in np.flatnonzero(n_books):
            row = market.rows.start + int(i)
            records.append((g, row, float(np.nanmedian(closing[:, i])),
                            float(np.nanmedian(opening[:, i])) if (~np.isnan(opening[:, i])).any() else np.nan,
                            int(n_books[i])))
    frame = pd.DataFrame(records, columns=["game_idx", "row", "line", "opening_line", "n_books"])
    box = season.box_scores.iloc[frame["row"].to_numpy()]
    for col in ("uid", "player_name", "team", "game_date", "min", "pts", "dnp", "exp_pts"):
        frame[col] = box[col].to_numpy()
    return frame
