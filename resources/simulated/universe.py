"""The persistent player universe: careers across seasons, opening rosters and mid-season trades.

The universe starts in `BASE_YEAR` and is rolled forward one off-season at a time (retirements,
a few free-agent moves, rookies filling the open spots), without simulating any game, so a season's
rosters follow from the seed alone. Roughly 6-10% of a team's roster changes team or leaves per
off-season; each season also has 3-6 mid-season trades (two players swap teams on a date).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta

from ..teams import TEAMS
from .player import Player, new_player
from .seeding import rng

BASE_YEAR = 1990
TRICODES = tuple(t.tricode for t in TEAMS)


@dataclass(frozen=True, slots=True)
class Trade:
    """`uid` plays for `to_team` from ET date `effective` on (for `from_team` before)."""

    uid: int
    from_team: str
    to_team: str
    effective: date


def _retire_probability(age: float, quality: float) -> float:
    p = (0.003 if age < 30 else 0.025 if age < 33 else 0.08 if age < 35 else 0.2 if age < 37
         else 0.42 if age < 39 else 0.75 if age < 40 else 1.0)
    return min(1.0, p + (0.05 if quality < -1.6 and age > 24 else 0.0))


class Universe:
    """Players and team assignments for every season, generated lazily and deterministically."""

    def __init__(self, seed: int):
        self.seed = seed
        self.players: list[Player] = []
        self._used: dict[str, set] = {"names": set(), "bdl": set(), "espn": set()}
        self._opening: dict[int, dict[str, tuple[int, ...]]] = {}
        self._trades: dict[int, tuple[Trade, ...]] = {}
        self._targets: dict[int, dict[str, int]] = {}
        self._lock = threading.RLock()
        self._draft_pick = 0

    def opening(self, year: int) -> dict[str, tuple[int, ...]]:
        """Opening-day roster of `year`'s season: tricode -> player uids (ascending)."""
        self._extend_to(year)
        return self._opening[year]

    def trades(self, year: int) -> tuple[Trade, ...]:
        """The mid-season trades of `year`'s season, by effective date."""
        self._extend_to(year)
        return self._trades[year]

    def roster_on(self, year: int, day: date) -> dict[str, tuple[int, ...]]:
        """Rosters during `year`'s season on ET date `day` (opening rosters before the season)."""
        rosters = {team: list(uids) for team, uids in self.opening(year).items()}
        for trade in self.trades(year):
            if trade.effective <= day:
                rosters[trade.from_team].remove(trade.uid)
                rosters[trade.to_team].append(trade.uid)
        return {team: tuple(sorted(uids)) for team, uids in rosters.items()}

    def _extend_to(self, year: int) -> None:
        if year < BASE_YEAR:
            raise ValueError(f"the simulated universe starts in {BASE_YEAR}")
        with self._lock:
            if not self._opening:
                self._initial()
            while max(self._opening) < year:
                self._offseason(max(self._opening) + 1)

    def _create(self, r, entry_year: int, age: float, pick: int | None) -> int:
        uid = len(self.players)
        self.players.append(new_player(r, self.seed, uid, entry_year, age, pick, self._used))
        return uid

    def _initial(self) -> None:
        r = rng(self.seed, "universe", BASE_YEAR)
        rosters, targets = {}, {}
        for team in TRICODES:
            targets[team] = int(r.integers(13, 18))
            uids = []
            for _ in range(targets[team]):
                age = float(r.uniform(19.5, 34.0))
                years_in = max(0, int(age - 20.5))
                uids.append(self._create(r, BASE_YEAR - years_in, age - years_in, None))
            rosters[team] = tuple(uids)
        self._opening[BASE_YEAR] = rosters
        self._targets[BASE_YEAR] = targets
        self._trades[BASE_YEAR] = self._draw_trades(BASE_YEAR)

    def _offseason(self, year: int) -> None:
        """Roll the league from the end of season `year - 1` to opening day of `year`."""
        r = rng(self.seed, "offseason", year)
        opening_day = date(year, 10, 20)
        end = self.roster_on(year - 1, date(year, 6, 30))
        rosters: dict[str, list[int]] = {}
        for team in TRICODES:
            kept = []
            for uid in end[team]:
                p = self.players[uid]
                age = (opening_day - p.birth_date).days / 365.25
                if r.random() >= _retire_probability(age, p.quality(year)):
                    kept.append(uid)
            rosters[team] = kept
        moved: set[int] = set()
        for _ in range(int(r.binomial(sum(len(v) for v in rosters.values()), 0.0125))):
            a, b = (TRICODES[i] for i in r.choice(len(TRICODES), size=2, replace=False))
            pa = [u for u in rosters[a] if u not in moved]
            pb = [u for u in rosters[b] if u not in moved]
            if not pa or not pb:
                continue
            ua, ub = int(r.choice(pa)), int(r.choice(pb))
            rosters[a].remove(ua), rosters[b].remove(ub)
            rosters[a].append(ub), rosters[b].append(ua)
            moved.update({ua, ub})
        targets = {}
        self._draft_pick = 0
        for team in TRICODES:
            step = int(r.choice([-1, 0, 1], p=[0.1, 0.8, 0.1]))
            targets[team] = min(17, max(13, self._targets[year - 1][team] + step))
            uids = sorted(rosters[team], key=lambda u: -self.players[u].quality(year))
            uids = uids[: targets[team]]
            while len(uids) < targets[team]:
                if r.random() < 0.8:
                    self._draft_pick += 1
                    pick = self._draft_pick if self._draft_pick <= 60 else None
                    uids.append(self._create(r, year, float(r.uniform(19.0, 22.5)), pick))
                else:
                    uids.append(self._create(r, year, float(r.uniform(23.0, 29.0)), None))
            rosters[team] = sorted(uids)
        self._opening[year] = {team: tuple(rosters[team]) for team in TRICODES}
        self._targets[year] = targets
        self._trades[year] = self._draw_trades(year)

    def _draw_trades(self, year: int) -> tuple[Trade, ...]:
        r = rng(self.seed, "trades", year)
        rosters = self._opening[year]
        traded: set[int] = set()
        trades = []
        for _ in range(int(r.integers(3, 7))):
            a, b = (TRICODES[i] for i in r.choice(len(TRICODES), size=2, replace=False))
            effective = date(year, 12, 15) + timedelta(days=int(r.integers(0, 54)))
            picks = []
            for team in (a, b):
                ranked = sorted(rosters[team], key=lambda u: -self.players[u].quality(year))
                candidates = [u for u in ranked[1:11] if u not in traded]
                picks.append(int(r.choice(candidates)))
            traded.update(picks)
            trades += [Trade(picks[0], a, b, effective), Trade(picks[1], b, a, effective)]
        return tuple(sorted(trades, key=lambda t: (t.effective, t.uid)))
