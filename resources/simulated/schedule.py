"""The regular-season schedule of one season (there are no playoffs in the simulated league).

82 games per team (4 against each division rival, 4 or 3 against the other conference teams, 2
against the other conference: 1,230 games) from a Tuesday in Oct 19-25 to about Apr 12-15, with no
games on Thanksgiving, Christmas Eve or during the All-Star break. Games are placed day by day by
urgency (teams with the most games left per day left go first); a team never plays twice a day or
three days in a row and has about 12-16 back-to-backs. Tip times are in ET by the home team's time
zone (19:00-22:30), with some weekend afternoon games.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import combinations

import numpy as np
import pandas as pd

from ..clock import ET
from ..teams import TEAMS
from .seeding import rng, stable_hex

# The seasons the simulated league holds, by the year they start.
MIN_YEAR, MAX_YEAR = 2000, 2099

GAME_LENGTH = timedelta(hours=2, minutes=15)
_EVENING = {"East": (19 * 60, 19 * 60 + 30), "Central": (20 * 60, 20 * 60 + 30),
            "Mountain": (21 * 60, 21 * 60), "Pacific": (22 * 60, 22 * 60 + 30)}
_ZONE = {**{t: "East" for t in "ATL BOS BKN CHA CLE DET IND MIA NYK ORL PHI TOR WAS".split()},
         **{t: "Central" for t in "CHI MIL MIN MEM NOP OKC DAL HOU SAS".split()},
         **{t: "Mountain" for t in "DEN UTA PHX".split()}, **{t: "Pacific" for t in "GSW LAC LAL POR SAC".split()}}
_AFTERNOON = (12 * 60, 13 * 60, 15 * 60, 15 * 60 + 30, 17 * 60, 18 * 60)
_WEEKDAY_WEIGHT = (7.0, 8.0, 9.5, 5.5, 9.0, 8.0, 6.5)


def opening_day(year: int) -> date:
    """The Tuesday in Oct 19-25 of `year` on which season `year` starts."""
    first = date(year, 10, 19)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def off_days(year: int) -> set[date]:
    """Thanksgiving, Christmas Eve and the All-Star break (Friday to Wednesday) of season `year`."""
    nov1 = date(year, 11, 1)
    thanksgiving = nov1 + timedelta(days=(3 - nov1.weekday()) % 7 + 21)
    feb1 = date(year + 1, 2, 1)
    all_star = feb1 + timedelta(days=(6 - feb1.weekday()) % 7 + 14)
    return {thanksgiving, date(year, 12, 24)} | {all_star + timedelta(days=k) for k in range(-2, 4)}


def matchups(year: int, seed: int) -> list[tuple[str, str]]:
    """(home, away) for all 1,230 games of the season, in a fixed order."""
    r = rng(seed, "matchups", year)
    games: list[tuple[str, str]] = []
    for a, b in combinations(TEAMS, 2):
        if a.conference != b.conference:
            games += [(a.tricode, b.tricode), (b.tricode, a.tricode)]
        elif a.division == b.division:
            games += [(a.tricode, b.tricode), (b.tricode, a.tricode)] * 2
    for conference in ("East", "West"):
        divisions = sorted({t.division for t in TEAMS if t.conference == conference})
        members = {d: [t.tricode for t in TEAMS if t.division == d] for d in divisions}
        for d1, d2 in combinations(divisions, 2):
            shift = int(r.integers(0, 5))
            for i, team in enumerate(members[d1]):
                for k, other in enumerate(members[d2]):
                    light = k in ((i + shift) % 5, (i + shift + 1) % 5)
                    if not light:
                        games += [(team, other), (other, team)] * 2
                    elif k == (i + shift) % 5:
                        games += [(team, other), (team, other), (other, team)]
                    else:
                        games += [(other, team), (other, team), (team, other)]
    return games


def _place(games: list[tuple[str, str]], year: int, seed: int) -> list[date]:
    """A game date for every game (see module docstring for the rules)."""
    r = rng(seed, "calendar", year)
    start, skip = opening_day(year), off_days(year)
    planned_end = date(year + 1, 4, 10) + timedelta(days=int(r.integers(0, 3)))
    days = [start + timedelta(days=k) for k in range((planned_end - start).days + 1)]
    days = [d for d in days if d not in skip]
    teams = [t.tricode for t in TEAMS]
    remaining = {t: 82 for t in teams}
    last: dict[str, list[date]] = {t: [] for t in teams}
    b2b = {t: 0 for t in teams}
    met: dict[frozenset, date] = {}
    placed: list[date | None] = [None] * len(games)
    todo = list(r.permutation(len(games)))
    weights = [_WEEKDAY_WEIGHT[d.weekday()] for d in days]
    day_index = 0
    while todo:
        if day_index < len(days):
            day = days[day_index]
            left_weight = sum(weights[day_index:])
            target = len(todo) * weights[day_index] / left_weight * float(r.uniform(0.8, 1.2))
            target = 2 if day_index == 0 else int(np.clip(round(target), 2, 14))
            days_left = len(days) - day_index
        else:
            day = days[-1] + timedelta(days=day_index - len(days) + 1)
            target, days_left = 15, 1
        urgency = {t: remaining[t] / days_left for t in teams}

        def playable(team: str) -> bool:
            history = last[team]
            if not history or history[-1] < day - timedelta(days=1):
                return True
            if len(history) > 1 and history[-2] == day - timedelta(days=2):
                return False
            return b2b[team] < 16 and r.random() < 0.1 + max(0.0, urgency[team] - 0.45) * 3.0

        free = {t for t in teams if playable(t)}
        noise = r.random(len(todo)) * 0.25
        scored = []
        for j, g in enumerate(todo):
            home, away = games[g]
            score = urgency[home] + urgency[away] + noise[j]
            recent = met.get(frozenset((home, away)))
            if recent is not None and (day - recent).days < 10:
                score -= 0.5
            scored.append((-score, g))
        scored.sort()
        busy: set[str] = set()
        chosen = []
        for _, g in scored:
            if len(chosen) >= target:
                break
            home, away = games[g]
            if home in free and away in free and home not in busy and away not in busy:
                chosen.append(g)
                busy.update((home, away))
        for g in chosen:
            placed[g] = day
            for team in games[g]:
                if last[team] and last[team][-1] == day - timedelta(days=1):
                    b2b[team] += 1
                last[team].append(day)
                remaining[team] -= 1
            met[frozenset(games[g])] = day
        chosen_set = set(chosen)
        todo = [g for g in todo if g not in chosen_set]
        day_index += 1
    _fold_thin_days(games, placed)
    return placed  # type: ignore[return-value]


def _fold_thin_days(games: list[tuple[str, str]], placed: list) -> None:
    """Move the games of single-game days to the latest earlier day where both teams can play."""
    on: dict[str, set[date]] = {}
    for (home, away), day in zip(games, placed):
        on.setdefault(home, set()).add(day)
        on.setdefault(away, set()).add(day)

    def fits(team: str, day: date) -> bool:
        near = [day + timedelta(days=k) in on[team] for k in (-2, -1, 0, 1, 2)]
        return not near[2] and not (near[0] and near[1]) and not (near[1] and near[3]) and not (near[3] and near[4])

    per_day: dict[date, list[int]] = {}
    for g, day in enumerate(placed):
        per_day.setdefault(day, []).append(g)
    for day in sorted(per_day):
        if len(per_day[day]) != 1:
            continue
        g = per_day[day][0]
        home, away = games[g]
        on[home].discard(day), on[away].discard(day)
        for k in range(1, 8):
            target = day - timedelta(days=k)
            if target in per_day and fits(home, target) and fits(away, target):
                placed[g] = target
                per_day[target].append(g)
                break
        else:
            target = day
        on[home].add(target), on[away].add(target)


def _tip_minutes(r: np.random.Generator, day: date, home: str) -> int:
    if day.weekday() >= 5 and r.random() < 0.22:
        return int(r.choice(_AFTERNOON))
    if day.month == 12 and day.day == 25:
        return int(r.choice(_AFTERNOON[:4]))
    early, late = _EVENING[_ZONE[home]]
    return early if r.random() < 0.6 else late


def build_schedule(seed: int, year: int) -> pd.DataFrame:
    """One row per game, ordered by tip: game_idx, bdl_game_id, odds_event_id, season, game_date (ET
    date), tip_utc (aware UTC datetime), end_utc (tip + 2h15m), home, away (tricodes)."""
    games = matchups(year, seed)
    dates = _place(games, year, seed)
    r = rng(seed, "tips", year)
    rows = []
    for (home, away), day in zip(games, dates):
        minutes = _tip_minutes(r, day, home)
        local = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=ET)
        rows.append((day, local.astimezone(timezone.utc), home, away))
    rows.sort(key=lambda row: (row[1], row[2]))
    frame = pd.DataFrame(rows, columns=["game_date", "tip_utc", "home", "away"])
    frame.insert(0, "game_idx", np.arange(len(frame)))
    frame.insert(1, "bdl_game_id", 15_000_000 + (year - 2000) * 10_000 + frame["game_idx"])
    frame.insert(2, "odds_event_id", [stable_hex(seed, "event", year, i) for i in range(len(frame))])
    frame.insert(3, "season", year)
    frame["end_utc"] = [tip + GAME_LENGTH for tip in frame["tip_utc"]]
    return frame
