"""The bookmakers of the simulated player-points market: who they are and how each makes its board.

Three kinds of book:
- the sharp book (Pinnacle, region `eu`): low margin, posts late (12-14 h before tip), updates every
  30-90 min and within 5-15 min of injury news, the least recency bias and the least noise of its
  own: its closing line is the most accurate;
- regular US books: about 4.8% margin, post about 20 h before tip, update every 1-3 h and within
  15-45 min of news (before tip in any case);
- the soft, lagging book (BetRivers): about 6% margin, updates every 4-8 h and never on news, more
  noise and recency bias; 25 or 20 min before tip it always posts a final catch-up board on what
  the sharp book knows then (news included), keeping its own recency bias and some noise of its own.

The recency weights sit close together (0.2, 0.25, 0.28 of the last-five average): the whole
market leans on recent form, and a book leaning much less or much more than the others would hang
a line a point away from theirs on most players. Every time falls on the 5-minute grid of the
snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STEP = 300
REGIONS = ("us", "us2", "uk", "eu", "au")


@dataclass(frozen=True)
class Book:
    """How one book makes its player-points market (times in hours or minutes before tip, errors in points)."""

    key: str
    title: str
    region: str
    vig: float  # added to each side's probability: the overround of a pair is twice this
    posts: tuple[float, float]  # hours before tip of its first board
    every: tuple[float, float]  # minutes between its scheduled updates
    news: tuple[float, float] | None  # minutes from injury news to its new board (and before tip); None: waits for its schedule
    recency: float  # weight of the player's last-five average in its estimate (the rest: his expected points)
    noise: float  # sd of its own error per player and game
    jitter: float  # sd of the wobble of each of its boards
    tilt: float  # sd of its price skew per player (probability, cut at 2 sd); its main line is the most even pair, tilt included
    whole: float  # share of players it hangs at a whole number
    lists: tuple[float, float]  # chance it lists a player expected to play 24+ / 15-24 minutes
    catch_up: tuple[int, int] | None = None  # minutes before tip of a final board that follows the sharp book
    settles: float = 0.0  # sd of the catch-up board's own error (points)
    sharp: bool = False


def _regular(key: str, title: str, region: str = "us") -> Book:
    return Book(key, title, region, vig=0.024, posts=(18.5, 22.5), every=(60, 180), news=(15, 45), recency=0.25,
                noise=0.1, jitter=0.06, tilt=0.005, whole=0.15, lists=(0.93, 0.7))


PINNACLE = Book("pinnacle", "Pinnacle", "eu", vig=0.0125, posts=(12, 14), every=(30, 90), news=(5, 15), recency=0.2,
                noise=0.06, jitter=0.04, tilt=0.003, whole=0.1, lists=(0.92, 0.6), sharp=True)
BETRIVERS = Book("betrivers", "BetRivers", "us", vig=0.03, posts=(18.5, 22.5), every=(240, 480), news=None,
                 recency=0.28, noise=0.1, jitter=0.12, tilt=0.006, whole=0.15, lists=(0.9, 0.6),
                 catch_up=(18, 25), settles=0.4)
BOOKS = (PINNACLE, _regular("draftkings", "DraftKings"), _regular("fanduel", "FanDuel"), _regular("betmgm", "BetMGM"),
         _regular("williamhill_us", "Caesars"), _regular("espnbet", "ESPN BET", "us2"), BETRIVERS)
SHARP = next(i for i, book in enumerate(BOOKS) if book.sharp)
SOFT = next(i for i, book in enumerate(BOOKS) if book.catch_up)


def align(ts: float) -> int:
    """`ts` floored to the 5-minute grid."""
    return int(ts // STEP * STEP)


def _steps(r: np.random.Generator, start: int, stop: int, minutes: tuple[float, float]) -> np.ndarray:
    """Grid times from `start` (on the grid) before `stop`, each gap drawn from `minutes` and floored to the grid."""
    count = int((stop - start) // (60 * minutes[0])) + 1
    gaps = r.uniform(minutes[0] * 60, minutes[1] * 60, count) // STEP * STEP
    times = start + (np.cumsum(gaps) - gaps).astype(np.int64)
    return times[times < stop]


def board_times(book: Book, r: np.random.Generator, tip: int, news: list[int]) -> np.ndarray:
    """When `book` posts its pre-game boards: its first board, its schedule, its reactions to the
    injury `news` (epoch seconds) and its catch-up, all before tip (sorted, unique)."""
    post = align(tip - r.uniform(*book.posts) * 3600)
    last = align(tip - 60 * 5 * int(r.integers(-(-book.catch_up[0] // 5), book.catch_up[1] // 5 + 1))) \
        if book.catch_up else tip
    times = [_steps(r, post, last, book.every)]
    if book.news and news:
        reactions = (np.asarray(news) + r.uniform(book.news[0] * 60, book.news[1] * 60, len(news))) // STEP * STEP
        reactions = np.minimum(reactions, last - STEP)  # news just before tip: the book reacts before tip all the same
        times.append(reactions[(reactions > post) & (reactions < last)].astype(np.int64))
    if book.catch_up:
        times.append(np.array([last], dtype=np.int64))
    return np.unique(np.concatenate(times))


def live_times(r: np.random.Generator, tip: int, end: int) -> np.ndarray:
    """When a book updates its in-game lines: every 5-15 minutes from 5 minutes after tip."""
    return _steps(r, tip + STEP, end, (5, 15))


def select(regions: list[str], bookmakers: list[str]) -> tuple[list[int], int]:
    """(indices into BOOKS, how many regions it costs) of a request: the named books when any are
    named (every 10 names, or part of 10, cost one region), else the books of the regions."""
    if bookmakers:
        named = list(dict.fromkeys(bookmakers))
        return [i for i, book in enumerate(BOOKS) if book.key in named], -(-len(named) // 10)
    return [i for i, book in enumerate(BOOKS) if book.region in regions], len(regions)
