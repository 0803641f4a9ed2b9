"""One player of the persistent universe: identity, bio and latent ability.

Ability is fixed at creation; what a player shows in a season follows from it through the age
curve (`quality`, `points_per_minute`): peak around 27, slow decline after 30.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from . import names
from .seeding import stable_hex, stable_int

ESPN_POSITIONS = ("PG", "SG", "SF", "PF", "C")
_BDL_POSITION = {"PG": (("G",), (1.0,)), "SG": (("G", "G-F"), (0.7, 0.3)), "SF": (("F", "G-F"), (0.7, 0.3)),
                 "PF": (("F", "F-C"), (0.7, 0.3)), "C": (("C", "F-C"), (0.75, 0.25))}
_HEIGHT = {"PG": 74.5, "SG": 77.0, "SF": 79.0, "PF": 81.0, "C": 83.0}
_THREE_SHARE = {"PG": 0.42, "SG": 0.45, "SF": 0.40, "PF": 0.30, "C": 0.10}
_REB = {"PG": 0.13, "SG": 0.14, "SF": 0.18, "PF": 0.23, "C": 0.31}
_AST = {"PG": 0.21, "SG": 0.12, "SF": 0.09, "PF": 0.08, "C": 0.08}
_BLK = {"PG": 0.008, "SG": 0.01, "SF": 0.016, "PF": 0.028, "C": 0.05}
COLLEGES = ("Duke", "Kentucky", "Kansas", "North Carolina", "UCLA", "Arizona", "Gonzaga", "Villanova",
            "Michigan State", "Texas", "Baylor", "Virginia", "Oregon", "Connecticut", "Florida", "Indiana",
            "Louisville", "Syracuse", "Memphis", "Ohio State", "Auburn", "Alabama", "Tennessee", "USC",
            "Creighton", "Marquette", "Iowa", "Purdue", "Wake Forest", "Stanford", "Georgetown", "Houston")
COUNTRIES = ("Serbia", "Slovenia", "Croatia", "Lithuania", "Germany", "Spain", "France", "Latvia",
             "Greece", "Turkey", "Canada", "Australia", "Nigeria", "Cameroon", "Argentina", "Sweden")


@dataclass(frozen=True, slots=True)
class Player:
    """A player's fixed identity, bio and latent ability (see module docstring)."""

    uid: int
    bdl_id: int
    espn_id: str
    espn_guid: str
    first: str
    last: str
    suffix: str
    odds_variant: str
    birth_date: date
    entry_year: int
    pos_espn: str
    pos_bdl: str
    height_in: int
    weight: int
    jersey: str
    college: str | None
    country: str
    draft_year: int | None
    draft_round: int | None
    draft_number: int | None
    skill: float
    other: float
    three_share: float
    p2: float
    p3: float
    ft_rate: float
    ft_pct: float
    reb: float
    ast: float
    stl: float
    blk: float
    tov: float
    pf: float

    @property
    def espn_last(self) -> str:
        """Last name with suffix, accents kept ("Jackson Jr.", "Jokić")."""
        return f"{self.last} {self.suffix}" if self.suffix else self.last

    @property
    def espn_full(self) -> str:
        """ESPN's fullName ("Nikola Jokić", "Jaren Jackson Jr.")."""
        return f"{self.first} {self.espn_last}"

    @property
    def bdl_first(self) -> str:
        """balldontlie's first_name (ASCII)."""
        return names.ascii_fold(self.first)

    @property
    def bdl_last(self) -> str:
        """balldontlie's last_name (ASCII, suffix included)."""
        return names.ascii_fold(self.espn_last)

    @property
    def odds_name(self) -> str:
        """The Odds API's `description` for this player."""
        return names.odds_spelling(self.first, self.last, self.suffix, self.odds_variant)

    def age_on(self, day: date) -> int:
        """Whole years of age on `day`."""
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def quality(self, season: int) -> float:
        """Depth-chart value in `season` (ability plus non-scoring value, through the age curve)."""
        age = (date(season, 11, 1) - self.birth_date).days / 365.25
        return self.skill + self.other - 0.011 * (age - 27.0) ** 2

    def points_per_minute(self, season: int) -> float:
        """Scoring rate in `season` before game context (age curve peaks at 27)."""
        age = (date(season, 11, 1) - self.birth_date).days / 365.25
        return 0.40 * math.exp(0.34 * (self.skill - 0.008 * (age - 27.0) ** 2))


def new_player(rng: np.random.Generator, seed: int, uid: int, entry_year: int, age: float,
               draft_pick: int | None, used: dict[str, set]) -> Player:
    """Create a player entering the league on `entry_year`'s opening day at `age`.

    `used` holds the normalised names and ids already taken, so every name and id stays unique.
    """
    international = rng.random() < 0.22
    while True:
        first, last, suffix = names.draw_name(rng, international)
        variant = names.odds_variant(rng, first, suffix)
        core = names.normalise(f"{first} {last}")
        spelled = names.normalise(names.odds_spelling(first, last, suffix, variant))
        if core not in used["names"] and spelled not in used["names"]:
            used["names"].update({core, spelled})
            break
    salt = 0
    while True:
        bdl_id = (1 + stable_int(seed, "bdl", uid, salt, modulo=6_000) if entry_year < 2019
                  else 3_000_000 + stable_int(seed, "bdl", uid, salt, modulo=1_060_000_000))
        espn_id = str(1_000_000 + stable_int(seed, "espn", uid, salt, modulo=4_900_000))
        if bdl_id not in used["bdl"] and espn_id not in used["espn"]:
            used["bdl"].add(bdl_id)
            used["espn"].add(espn_id)
            break
        salt += 1
    guid = stable_hex(seed, "guid", uid)
    pos = str(rng.choice(ESPN_POSITIONS))
    bdl_options, bdl_p = _BDL_POSITION[pos]
    height = int(round(rng.normal(_HEIGHT[pos], 1.6)))
    skill = float(rng.normal(0.0, 1.0)) + (0.9 - 0.03 * draft_pick if draft_pick and draft_pick <= 30 else 0.0)
    lognormal = lambda sd: float(np.exp(rng.normal(0.0, sd)))  # noqa: E731
    birth = date(entry_year, 10, 20) - timedelta(days=int(age * 365.25))
    return Player(
        uid=uid, bdl_id=bdl_id, espn_id=espn_id,
        espn_guid=f"{guid[:8]}-{guid[8:12]}-{guid[12:16]}-{guid[16:20]}-{guid[20:]}",
        first=first, last=last, suffix=suffix, odds_variant=variant, birth_date=birth,
        entry_year=entry_year, pos_espn=pos, pos_bdl=str(rng.choice(bdl_options, p=bdl_p)),
        height_in=height, weight=int(round(195 + (height - 75) * 7 + rng.normal(0, 10))),
        jersey=str(rng.choice(["0", "00"] + [str(n) for n in range(1, 56)] + ["77", "88", "99"])),
        college=None if international else str(rng.choice(COLLEGES)),
        country=str(rng.choice(COUNTRIES)) if international else "USA",
        draft_year=entry_year if draft_pick else None,
        draft_round=(1 if draft_pick <= 30 else 2) if draft_pick else None,
        draft_number=draft_pick,
        skill=skill, other=float(rng.normal(0.0, 0.6)),
        three_share=float(np.clip(rng.normal(_THREE_SHARE[pos], 0.08), 0.0, 0.7)),
        p2=float(np.clip(rng.normal(0.535 + (0.04 if pos == "C" else 0.0), 0.035), 0.42, 0.66)),
        p3=float(np.clip(rng.normal(0.355, 0.03), 0.25, 0.45)),
        ft_rate=float(np.clip(rng.normal(0.25, 0.07), 0.08, 0.5)),
        ft_pct=float(np.clip(rng.normal(0.78 - (0.08 if pos == "C" else 0.0), 0.07), 0.5, 0.94)),
        reb=_REB[pos] * lognormal(0.2), ast=_AST[pos] * lognormal(0.25), stl=0.03 * lognormal(0.2),
        blk=_BLK[pos] * lognormal(0.3), tov=0.055 * lognormal(0.2), pf=0.075 * lognormal(0.15),
    )
