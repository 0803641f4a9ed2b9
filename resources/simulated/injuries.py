"""Injuries of one season: who misses which game, and the injury report entries over time.

Out spells start at random (older players a little more often) and last 1 to ~25 games (median
about 4); the report lists the player "Out" from the news (the evening after the game he was hurt
in, or the day of his first missed game) until his return. Short "Day-To-Day" spells list the
player as questionable; he sits about a third of those games, ruled out 30-120 minutes before tip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import numpy as np

from ..clock import ET
from .seeding import rng

_PARTS = (("Ankle", "Leg"), ("Knee", "Leg"), ("Hamstring", "Leg"), ("Calf", "Leg"), ("Back", "Torso"),
          ("Hip", "Leg"), ("Wrist", "Arm"), ("Shoulder", "Arm"), ("Illness", "Other"), ("Foot", "Leg"),
          ("Groin", "Leg"), ("Concussion", "Head"))
_FIVE_MINUTES = 300


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One line of the injury report, shown from `start_ts` until `end_ts` (UTC epoch seconds)."""

    uid: int
    status: str
    start_ts: int
    end_ts: int
    return_date: date
    description: str
    part: str
    location: str
    side: str


@dataclass
class SeasonInjuries:
    """Per box-score row: `unavailable` (Out or ruled out), `status` at tip ("Out", "Day-To-Day" or
    ""), `known_ts` (when the absence became public, UTC epoch seconds; 2**62 if he plays); plus
    the report entries of the season."""

    unavailable: np.ndarray
    status: np.ndarray
    known_ts: np.ndarray
    entries: list[ReportEntry]


def _align(ts: float) -> int:
    return int(ts // _FIVE_MINUTES * _FIVE_MINUTES)


def _et_time(day: date, minutes: float) -> int:
    local = datetime(day.year, day.month, day.day, tzinfo=ET).timestamp()
    return _align(local + minutes * 60)


def _short(day: date) -> str:
    return f"{day:%b} {day.day}"


def build_injuries(seed: int, year: int, uid: np.ndarray, ages: np.ndarray, tip_ts: np.ndarray,
                   end_ts: np.ndarray, game_date: list[date], opponent: list[str], last_names: dict[int, str],
                   season_end_ts: int) -> SeasonInjuries:
    """Draw the season's injuries for the box-score rows (one per rostered player per game, in
    chronological order); `opponent` is the opposing team's nickname on each row."""
    n = len(uid)
    unavailable = np.zeros(n, dtype=bool)
    status = np.full(n, "", dtype=object)
    known = np.full(n, 2**62, dtype=np.int64)
    entries: list[ReportEntry] = []
    order = np.argsort(uid, kind="stable")
    bounds = np.flatnonzero(np.diff(uid[order])) + 1
    for rows in np.split(order, bounds):
        player = int(uid[rows[0]])
        r = rng(seed, "injuries", year, player)
        k = len(rows)
        hazard = (1 / 80) * (1.5 if ages[rows[0]] >= 32 else 1.0)
        out_start = r.random(k) < hazard
        dtd_start = r.random(k) < 1 / 45
        j = 0
        while j < k:
            if not (out_start[j] or dtd_start[j]):
                j += 1
                continue
            is_out = bool(out_start[j])
            length = int(np.clip(round(np.exp(r.normal(1.45, 0.8))), 1, 25)) if is_out else int(r.integers(1, 4))
            spell = rows[j:j + length]
            first = spell[0]
            if j > 0 and r.random() < 0.5:
                news = _align(end_ts[rows[j - 1]] + r.uniform(20, 90) * 60)
            else:
                news = min(_et_time(game_date[first], r.uniform(600, 1050)), _align(tip_ts[first] - 3600))
            part, location = _PARTS[int(r.integers(len(_PARTS)))]
            side = "Not Specified" if location in ("Torso", "Other", "Head") else str(r.choice(["Left", "Right"]))
            name = last_names[player]
            returns = j + length < k
            back_day = game_date[rows[j + length]] if returns else game_date[rows[-1]]
            until = int(tip_ts[rows[j + length]]) if returns else season_end_ts
            day = datetime.fromtimestamp(news, timezone.utc).astimezone(ET).date()
            against = f"{game_date[first]:%A}'s game against the {opponent[first]}"
            if is_out:
                unavailable[spell] = True
                status[spell] = "Out"
                known[spell] = news
                outlook = "is expected to miss several weeks" if length >= 8 else f"will not play {against}"
                text = f"{_short(day)}: {name} ({part.lower()}) {outlook}."
                entries.append(ReportEntry(player, "Out", news, until, back_day, text, part, location, side))
            else:
                status[spell] = "Day-To-Day"
                text = f"{_short(day)}: {name} ({part.lower()}) is questionable for {against}."
                entries.append(ReportEntry(player, "Day-To-Day", news, until, back_day, text, part, location, side))
                for row in spell:
                    if r.random() < 0.35:
                        ruled = max(news, _align(tip_ts[row] - r.uniform(30, 120) * 60))
                        unavailable[row] = True
                        status[row] = "Out"
                        known[row] = ruled
                        game_day = game_date[row]
                        text = (f"{_short(game_day)}: {name} ({part.lower()}) has been ruled out for "
                                f"{game_day:%A}'s game against the {opponent[row]}.")
                        entries.append(ReportEntry(player, "Out", ruled, int(end_ts[row]), back_day, text,
                                                   part, location, side))
            j += length
    entries.sort(key=lambda e: (e.start_ts, e.uid))
    return SeasonInjuries(unavailable, status, known, entries)
