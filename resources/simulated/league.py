"""The simulated league: seasons on demand, the clock, API keys and the Odds API quota."""

from __future__ import annotations

import os
import threading
from datetime import date, datetime, timezone
from typing import Callable

import httpx
import pandas as pd

from .. import clock as _clock
from .schedule import MAX_YEAR, MIN_YEAR, build_schedule
from .season import SimSeason
from .universe import Universe

SIMULATED_BASE_URLS: dict[str, str] = {
    "balldontlie": "http://simulated.invalid/balldontlie",
    "espn": "http://simulated.invalid/espn",
    "odds": "http://simulated.invalid/odds",
}


class Quota:
    """The Odds API usage counter of one league (thread-safe)."""

    def __init__(self, total: int):
        self.total, self.used = total, 0
        self._lock = threading.Lock()

    def charge(self, cost: int) -> bool:
        """Spend `cost` requests if that many remain; False (nothing spent) otherwise."""
        with self._lock:
            if cost > self.total - self.used:
                return False
            self.used += cost
            return True

    def headers(self, last: int) -> list[tuple[str, str]]:
        """The x-requests-* headers after a request that cost `last`."""
        with self._lock:
            return [("x-requests-remaining", str(self.total - self.used)), ("x-requests-used", str(self.used)),
                    ("x-requests-last", str(last))]


class SimulatedLeague:
    """A deterministic simulated NBA serving balldontlie, ESPN and The Odds API as one WSGI app.

    `seed` fixes everything; `clock` returns the simulated now (an aware datetime; default
    `resources.clock.now_utc`, read on every request); `api_keys` ({"balldontlie": ..., "odds":
    ...}) makes those services answer 401 to requests without the key; `odds_quota` is the Odds
    API request budget. Seasons (regular season only, start years 2000-2099) are generated on
    first use and cached.
    """

    def __init__(self, seed: int = 20211019, clock: Callable[[], datetime] | None = None,
                 api_keys: dict[str, str] | None = None, odds_quota: int = 20_000):
        self.seed = seed
        self.clock = clock if clock is not None else (lambda: _clock.now_utc())
        self.api_keys = dict(api_keys or {})
        self.quota = Quota(odds_quota)
        self.universe = Universe(seed)
        self._schedules: dict[int, pd.DataFrame] = {}
        self._seasons: dict[int, SimSeason] = {}
        self._year_locks: dict[int, threading.Lock] = {}
        self._lock = threading.Lock()
        self._app = None

    @property
    def wsgi_app(self):
        """The WSGI callable serving /balldontlie, /espn and /odds."""
        if self._app is None:
            from .app import SimulatedApp
            self._app = SimulatedApp(self)
        return self._app

    def transport(self) -> httpx.BaseTransport:
        """An in-process httpx transport onto `wsgi_app` (no sockets)."""
        return httpx.WSGITransport(app=self.wsgi_app)

    def now(self) -> datetime:
        """The simulated now, as an aware UTC datetime."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the league clock must return an aware datetime")
        return moment.astimezone(timezone.utc)

    def _year_lock(self, year: int) -> threading.Lock:
        with self._lock:
            return self._year_locks.setdefault(year, threading.Lock())

    def schedule(self, year: int) -> pd.DataFrame:
        """The schedule of season `year` (cheap: no game is simulated)."""
        if year in self._seasons:
            return self._seasons[year].schedule
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"the simulated league has seasons {MIN_YEAR}-{MAX_YEAR}, not {year}")
        with self._year_lock(year):
            if year not in self._schedules:
                self._schedules[year] = build_schedule(self.seed, year)
            return self._schedules[year]

    def season(self, start_year: int) -> SimSeason:
        """The season starting in `start_year`, generated on first use and cached."""
        if start_year in self._seasons:
            return self._seasons[start_year]
        schedule = self.schedule(start_year)
        with self._year_lock(start_year):
            if start_year not in self._seasons:
                self._seasons[start_year] = SimSeason(self.seed, start_year, self.universe, schedule)
            return self._seasons[start_year]

    def season_days(self, year: int) -> tuple[date, date]:
        """First and last game day (ET) of season `year`."""
        games = self.schedule(year)["game_date"]
        return games.iat[0], games.iat[-1]

    def season_of(self, d: date) -> int | None:
        """The season whose regular season (first to last game day) contains ET date `d`."""
        year = d.year if d.month >= 7 else d.year - 1
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        first, last = self.season_days(year)
        return year if first <= d <= last else None

    def roster_year(self, d: date) -> int:
        """The season whose rosters are current on `d`: the running one, else the coming one."""
        year = d.year if d.month >= 7 else d.year - 1
        if d.month < 7 and d > self.season_days(year)[1]:
            year += 1
        return year

    def listing_open(self, year: int) -> datetime:
        """When season `year`'s games appear on The Odds API (its schedule release)."""
        return datetime(year, 8, 15, tzinfo=timezone.utc)

    def event_seasons(self, moment: datetime) -> list[int]:
        """Seasons whose events can be listed at `moment`."""
        years = [moment.year - 1, moment.year]
        return [y for y in years if MIN_YEAR <= y <= MAX_YEAR and self.listing_open(y) <= moment]

    def find_event(self, event_id: str, moment: datetime) -> tuple[int, int] | None:
        """(season, game_idx) of an Odds API event id among the seasons listed around `moment`."""
        years = sorted(set(self.event_seasons(moment)) | set(self._schedules) | set(self._seasons))
        for year in years:
            schedule = self.schedule(year)
            hits = (schedule["odds_event_id"] == event_id).to_numpy().nonzero()[0]
            if len(hits):
                return year, int(hits[0])
        return None


_DEFAULT: SimulatedLeague | None = None
_DEFAULT_LOCK = threading.Lock()


def default_league() -> SimulatedLeague:
    """The process-wide league, created once: seed from NBA_SIM_SEED (default 20211019), The Odds API
    quota from NBA_SIM_ODDS_QUOTA (default 1,000,000 requests: a paid plan, enough to backfill seasons)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = SimulatedLeague(
                seed=int(os.environ.get("NBA_SIM_SEED", "20211019")),
                odds_quota=int(os.environ.get("NBA_SIM_ODDS_QUOTA", "1000000")),
            )
        return _DEFAULT
