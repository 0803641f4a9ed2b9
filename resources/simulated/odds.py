"""Player-points markets: which books list whom, at what line and price, at any moment.

Every book (`books.BOOKS`) estimates a player's points at each of its boards as his expected points
given the absences public then, pulled toward his last-five average by the book's recency weight,
a little under the mean (books hang lines near the median of a right-skewed outcome), plus the
market's common error (a part that stays to the close and a part that fades as the day's
information arrives, gone at tip), its own error per player and a wobble per board. The
soft book's catch-up board takes what the sharp book knows at that moment (news, the day's
information, its error) and only keeps its own lean on the last five, give or take a little. Lines
sit at .5 unless a book rounds a player to a whole number; prices are even plus the book's margin
on each side, skewed by where the estimate sits in the half point, in the spread of a points
distribution of variance three times the estimate (and by the book's tilt).
Some books also hang alternate lines (+-1, +-2) at lopsided prices, priced from the same estimate
(a points distribution of variance three times the estimate, the main line's chance moved along it)
with a point and a half more margin on each side; the main line is always the pair closest to even. After tip the books post wild in-game lines built on the live score. All
update times fall on 5-minute marks, so the odds at t equal the 5-minute snapshot at t.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pandas as pd
from scipy.special import ndtr

from .books import BOOKS, SHARP, Book, board_times, live_times
from .games import EXPECTED_MINUTES
from .live import clock_at
from .seeding import rng

FADE_SECONDS = 20 * 3600  # the fading part of the market's error is gone at tip, whole 20 h before
_SKEW = 0.045  # lines sit this share of the expected points under the mean
_ALTERNATE_VIG = 0.015  # the margin alternate lines carry on each side beyond the book's own
_DISPERSION = 3.0  # the variance of a player's points as a multiple of his expected points (as in the real 2024-25 lines)


def over_chance(est, line, tilt, low: float = 0.1) -> np.ndarray:
    """A book's chance of the over at `line`: the estimate's distance above it in the spread of a points
    distribution of variance `_DISPERSION` times the estimate, plus the book's tilt, kept within [low, 1 - low]."""
    return np.clip(ndtr((est - line) / np.sqrt(_DISPERSION * np.maximum(est, 1.0))) + tilt, low, 1 - low)


def american(prob):
    """American price(s) for implied probabilities (vig included): 0.524 -> -110, 0.444 -> +125."""
    p = np.asarray(prob, dtype=float)
    with np.errstate(divide="ignore"):
        out = np.where(p >= 0.5, -np.round(100 * p / (1 - p)), np.round(100 * (1 - p) / p)).astype(int)
    return int(out) if out.ndim == 0 else out


@dataclass
class BookMarket:
    """One book's market in one game: its pre-game boards (one row per board time, one column per
    player row of the game) and its in-game update times."""

    book: Book
    updates: np.ndarray  # pre-game board times (epoch seconds), empty when the book has no market
    live_updates: np.ndarray
    est: np.ndarray  # its estimate of each player's points at each board
    line: np.ndarray  # main line
    p_over: np.ndarray  # probability of the over at the main line before the margin
    shows: np.ndarray  # listed on that board
    tilt: np.ndarray  # its price skew per board and row (probability)
    ladder: np.ndarray  # per row: < 0.05 five lines, < 0.12 three, else the main line only
    listed: np.ndarray  # per row: below the book's listing chance for his minutes, it lists him
    noise: np.ndarray  # its own error per row (points)
    jitter: np.ndarray  # standard normal wobble per in-game update and row

    @property
    def key(self) -> str:
        return self.book.key

    @property
    def title(self) -> str:
        return self.book.title

    def board(self, ts: int, strict: bool = False) -> int:
        """Index of its latest pre-game board at `ts` (before `ts` when `strict`); -1 if none yet."""
        return int(np.searchsorted(self.updates, ts, side="left" if strict else "right")) - 1


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
        self.names = season.markets.odds_names[rows.start:rows.stop]
        r = rng(season.seed, "market", season.year, game_idx)
        n = len(box)
        self.close_noise = r.normal(0.0, 1.25, n)
        self.open_noise = r.normal(0.0, 1.5, n)
        news = sorted({int(t) for t in self.known if self.tip - 86400 < t < self.tip})
        self._news_at = np.unique(self.known[self.known < self.tip])
        self._mu, self._minutes = self._epochs()
        self.books = self._boards(_draws(r, n, self.tip, self.end, news))

    def _epochs(self) -> tuple[np.ndarray, np.ndarray]:
        """(expected points, expected minutes) per row in each stretch between two injury news
        before tip: row e holds what is public from the e-th news time on (row 0: before any)."""
        starts = np.r_[np.iinfo(np.int64).min, self._news_at]
        mu, minutes = zip(*(self.expected_at(start) for start in starts))
        return np.array(mu), np.array(minutes)

    def _model(self, updates: np.ndarray, recency, noise: np.ndarray) -> np.ndarray:
        """Estimates of every row at each of `updates` (updates x rows) by books of that recency
        weight and own error (per update, or one for all)."""
        mu = self._mu[np.searchsorted(self._news_at, updates, side="right")]
        fade = np.clip((self.tip - updates) / FADE_SECONDS, 0.0, 1.0)[:, None]
        return mu + recency * (self.last5 - mu) - _SKEW * mu + self.close_noise + self.open_noise * fade + noise

    def _boards(self, draws: list[_Draws]) -> list[BookMarket]:
        """Every book's pre-game boards, all books estimated at once."""
        counts = np.array([len(d.updates) for d in draws])
        of = np.repeat(np.arange(len(BOOKS)), counts)
        updates = np.concatenate([d.updates for d in draws])
        recency, jitter = (np.array([getattr(b, f) for b in BOOKS])[of, None] for f in ("recency", "jitter"))
        wobble = np.concatenate([d.board_jitter for d in draws])
        est = self._model(updates, recency, np.stack([d.noise for d in draws])[of]) + jitter * wobble
        for b, book in enumerate(BOOKS):
            if book.catch_up and counts[b]:
                # The catch-up board: what the sharp book knows now (news included, its own error), with this
                # book's lean on the last five, give or take a little.
                last = int(counts[: b + 1].sum()) - 1
                follow = self._model(updates[last:last + 1], book.recency, draws[SHARP].noise)[0]
                est[last] = follow + book.settles * draws[b].settle
        est = np.maximum(est, 1.0)
        nearest = np.where(np.stack([d.whole for d in draws])[of], np.round(est), np.floor(est) + 0.5)
        tilt = np.stack([d.tilt for d in draws])[of]
        # the main line: of the nearest line and its neighbours, the one whose chance (tilt included) is closest to even
        candidates = np.stack([nearest - 1, nearest, nearest + 1])
        chances = over_chance(est, candidates, tilt)
        pick = np.argmin(np.abs(chances - 0.5), axis=0)
        line = np.take_along_axis(candidates, pick[None], axis=0)[0]
        p_over = np.take_along_axis(chances, pick[None], axis=0)[0]
        minutes = self._minutes[np.searchsorted(self._news_at, updates, side="right")]
        starters, rotation = (np.array([b.lists[i] for b in BOOKS])[of, None] for i in (0, 1))
        listed = np.stack([d.listed for d in draws])[of]
        shows = (self.known > updates[:, None]) & (minutes >= 15) & (listed < np.where(minutes >= 24, starters, rotation))
        cut = np.cumsum(counts)[:-1]
        return [BookMarket(book, d.updates, d.live, *parts, d.ladder, d.listed, d.noise, d.live_jitter)
                for book, d, *parts in zip(BOOKS, draws, *(np.split(x, cut) for x in (est, line, p_over, shows, tilt)))]

    def expected_at(self, ts: int) -> tuple[np.ndarray, np.ndarray]:
        """(expected points, expected minutes) per row given the absences public at `ts`."""
        minutes = np.zeros(len(self.rate))
        for side in (0, 1):
            avail = np.flatnonzero((self.side == side) & (self.known > ts))
            minutes[avail] = EXPECTED_MINUTES[len(avail)]
        return self.rate * minutes, minutes

    def snapshot(self, ts: int, books: list[int] | None = None) -> list[dict]:
        """Bookmakers (all, or those at indices `books` of BOOKS) as The Odds API shows them at `ts`
        (books without a market are left out)."""
        out = []
        for b in range(len(self.books)) if books is None else books:
            market = self.books[b]
            if ts >= self.tip:
                k = int(np.searchsorted(market.live_updates, ts, side="right")) - 1
                if k < 0 or not len(market.updates):
                    continue
                update = int(market.live_updates[k])
                outcomes = self._live_outcomes(market, update, k)
            else:
                k = market.board(ts)
                if k < 0:
                    continue
                update = int(market.updates[k])
                outcomes = self._pregame_outcomes(market, k)
            if not outcomes:
                continue
            stamp = _iso(update)
            out.append({"key": market.key, "title": market.title, "last_update": stamp,
                        "markets": [{"key": "player_points", "last_update": stamp, "outcomes": outcomes}]})
        return out

    def main_offers(self, ts: int, strict: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each book's main line, over and under price (American) and board time per row at `ts`
        before tip (strictly before `ts` when `strict`), NaN where not listed: each (books, rows)."""
        shape = (len(self.books), len(self.rate))
        line, over, under, board = (np.full(shape, np.nan) for _ in range(4))
        for b, market in enumerate(self.books):
            k = market.board(ts, strict)
            if k >= 0:
                shows = market.shows[k]
                line[b, shows] = market.line[k, shows]
                over[b, shows] = american(market.p_over[k, shows] + market.book.vig)
                under[b, shows] = american(1.0 - market.p_over[k, shows] + market.book.vig)
                board[b, shows] = market.updates[k]
        return line, over, under, board

    def main_lines(self, ts: int) -> np.ndarray:
        """Each book's main line per row at `ts` before tip (NaN where not listed): shape (books, rows)."""
        lines = np.full((len(self.books), len(self.rate)), np.nan)
        for b, market in enumerate(self.books):
            k = market.board(ts)
            if k >= 0:
                lines[b, market.shows[k]] = market.line[k, market.shows[k]]
        return lines

    def _pregame_outcomes(self, market: BookMarket, k: int) -> list[dict]:
        rows = np.flatnonzero(market.shows[k])
        width = np.where(market.ladder[rows] < 0.05, 2, np.where(market.ladder[rows] < 0.12, 1, 0))
        row = np.repeat(rows, 2 * width + 1)
        first = np.cumsum(2 * width + 1) - (2 * width + 1)
        step = np.arange(len(row)) - np.repeat(first, 2 * width + 1) - np.repeat(width, 2 * width + 1)
        point = market.line[k, row] + step
        keep = point > 0
        row, step, point = row[keep], step[keep], point[keep]
        p = over_chance(market.est[k, row], point, market.tilt[k, row], low=0.03)
        return _pairs([self.names[i] for i in row], point, p, market.book.vig + _ALTERNATE_VIG * (step != 0))

    def _live_outcomes(self, market: BookMarket, update: int, k: int) -> list[dict]:
        clock = clock_at(self.tip, self.periods, update)
        so_far = self.season.events.stats_at(self.game_idx, clock.minute)[:, -1]
        est = so_far + self.exp_pts * (1.0 - clock.fraction) + 2.5 * market.jitter[k] + market.noise
        _, minutes = self.expected_at(self.tip)
        rows = np.flatnonzero(self.played & _lists(market.book, market.listed, minutes))
        line = np.maximum(so_far[rows] + 0.5, np.floor(est[rows]) + 0.5)
        p = np.clip(0.5 + 0.07 * market.jitter[k, rows], 0.3, 0.7)
        return _pairs([self.names[i] for i in rows], line, p, market.book.vig)


@dataclass
class _Draws:
    """The random draws of one book in one game."""

    updates: np.ndarray
    live: np.ndarray
    noise: np.ndarray
    tilt: np.ndarray
    whole: np.ndarray
    ladder: np.ndarray
    listed: np.ndarray
    board_jitter: np.ndarray  # standard normal, one row per pre-game board
    live_jitter: np.ndarray  # standard normal, one row per in-game update
    settle: np.ndarray  # standard normal per row: the error of a catch-up board


def _draws(r: np.random.Generator, n: int, tip: int, end: int, news: list[int]) -> list[_Draws]:
    """The random draws of every book in one game (a book without a market keeps no board)."""
    offers = r.random(len(BOOKS)) < 0.97
    times = [(board_times(book, r, tip, news), live_times(r, tip, end)) for book in BOOKS]
    uniform = r.random((len(BOOKS), 3, n))
    normal = r.normal(0.0, 1.0, (3 * len(BOOKS) + sum(len(u) + len(v) for u, v in times), n))
    out, at = [], 3 * len(BOOKS)
    for b, (book, (updates, live)) in enumerate(zip(BOOKS, times)):
        own, k = normal[3 * b:3 * b + 3], len(updates) if offers[b] else 0
        out.append(_Draws(updates[:k], live, book.noise * own[0], np.clip(book.tilt * own[1], -2 * book.tilt, 2 * book.tilt),
                          uniform[b, 0] < book.whole, uniform[b, 1], uniform[b, 2], normal[at:at + k],
                          normal[at + len(updates):at + len(updates) + len(live)], own[2]))
        at += len(updates) + len(live)
    return out


def _lists(book: Book, listed: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Whether `book` lists each row given his expected minutes (never under 15)."""
    return (minutes >= 15) & (listed < np.where(minutes >= 24, book.lists[0], book.lists[1]))


def _pairs(names: list[str], points: np.ndarray, p_over: np.ndarray, vig: float | np.ndarray) -> list[dict]:
    """Over / Under outcome pairs of The Odds API for each (name, point, probability of the over)."""
    overs, unders = american(p_over + vig).tolist(), american(1.0 - p_over + vig).tolist()
    out = []
    for name, point, over, under in zip(names, points.tolist(), overs, unders):
        out.append({"name": "Over", "description": name, "price": over, "point": point})
        out.append({"name": "Under", "description": name, "price": under, "point": point})
    return out


def _nanmedian(values: np.ndarray) -> np.ndarray:
    """Median of each column over its non-NaN values (NaN for an all-NaN column, without a warning)."""
    out = np.full(values.shape[1], np.nan)
    some = (~np.isnan(values)).any(axis=0)
    out[some] = np.nanmedian(values[:, some], axis=0)
    return out


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class SeasonMarkets:
    """GameMarket per game of a season, built on first use (thread-safe)."""

    def __init__(self, season):
        self.season = season
        self._cache: dict[int, GameMarket] = {}
        self._lock = threading.Lock()
        self.odds_names: list[str] = []  # The Odds API's spelling of each box-score row's player

    def game(self, game_idx: int) -> GameMarket:
        """The market of game `game_idx`."""
        with self._lock:
            if not self.odds_names:
                players = self.season.universe.players
                spelling = {u: players[u].odds_name for u in self.season.box_scores["uid"].unique()}
                self.odds_names = [spelling[u] for u in self.season.box_scores["uid"]]
            if game_idx not in self._cache:
                self._cache[game_idx] = GameMarket(self.season, game_idx)
            return self._cache[game_idx]


def consensus_lines(season) -> pd.DataFrame:
    """Per listed player-game: the median over books of each book's main line at its latest update
    before tip (`line`) and at its first posting (`opening_line`), with the actual result."""
    frames = []
    for g in range(len(season.schedule)):
        market = season.markets.game(g)
        closing = market.main_lines(market.tip - 1)
        opening = np.full_like(closing, np.nan)
        for b, book in enumerate(market.books):
            if len(book.updates):
                opening[b, book.shows[0]] = book.line[0, book.shows[0]]
        n_books = (~np.isnan(closing)).sum(axis=0)
        listed = np.flatnonzero(n_books)
        if not len(listed):
            continue
        frames.append(pd.DataFrame({"game_idx": g, "row": market.rows.start + listed,
                                    "line": np.nanmedian(closing[:, listed], axis=0),
                                    "opening_line": _nanmedian(opening[:, listed]), "n_books": n_books[listed]}))
    frame = pd.concat(frames, ignore_index=True)
    box = season.box_scores.iloc[frame["row"].to_numpy()]
    for col in ("uid", "player_name", "team", "game_date", "min", "pts", "dnp", "exp_pts"):
        frame[col] = box[col].to_numpy()
    return frame
