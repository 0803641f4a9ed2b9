"""The 30 NBA teams and how each upstream source names them.

NBA tricodes are the project's team key everywhere; every source's own code, id or name is
mapped to one here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Team:
    tricode: str
    city: str
    name: str
    bdl_full_name: str
    odds_name: str
    bdl_id: int
    espn_id: int
    espn_abbr: str
    conference: str
    division: str


TEAMS: tuple[Team, ...] = (
    Team("ATL", "Atlanta", "Hawks", "Atlanta Hawks", "Atlanta Hawks", 1, 1, "ATL", "East", "Southeast"),
    Team("BOS", "Boston", "Celtics", "Boston Celtics", "Boston Celtics", 2, 2, "BOS", "East", "Atlantic"),
    Team("BKN", "Brooklyn", "Nets", "Brooklyn Nets", "Brooklyn Nets", 3, 17, "BKN", "East", "Atlantic"),
    Team("CHA", "Charlotte", "Hornets", "Charlotte Hornets", "Charlotte Hornets", 4, 30, "CHA", "East", "Southeast"),
    Team("CHI", "Chicago", "Bulls", "Chicago Bulls", "Chicago Bulls", 5, 4, "CHI", "East", "Central"),
    Team("CLE", "Cleveland", "Cavaliers", "Cleveland Cavaliers", "Cleveland Cavaliers", 6, 5, "CLE", "East", "Central"),
    Team("DAL", "Dallas", "Mavericks", "Dallas Mavericks", "Dallas Mavericks", 7, 6, "DAL", "West", "Southwest"),
    Team("DEN", "Denver", "Nuggets", "Denver Nuggets", "Denver Nuggets", 8, 7, "DEN", "West", "Northwest"),
    Team("DET", "Detroit", "Pistons", "Detroit Pistons", "Detroit Pistons", 9, 8, "DET", "East", "Central"),
    Team("GSW", "Golden State", "Warriors", "Golden State Warriors", "Golden State Warriors", 10, 9, "GS", "West", "Pacific"),
    Team("HOU", "Houston", "Rockets", "Houston Rockets", "Houston Rockets", 11, 10, "HOU", "West", "Southwest"),
    Team("IND", "Indiana", "Pacers", "Indiana Pacers", "Indiana Pacers", 12, 11, "IND", "East", "Central"),
    Team("LAC", "LA", "Clippers", "LA Clippers", "Los Angeles Clippers", 13, 12, "LAC", "West", "Pacific"),
    Team("LAL", "Los Angeles", "Lakers", "Los Angeles Lakers", "Los Angeles Lakers", 14, 13, "LAL", "West", "Pacific"),
    Team("MEM", "Memphis", "Grizzlies", "Memphis Grizzlies", "Memphis Grizzlies", 15, 29, "MEM", "West", "Southwest"),
    Team("MIA", "Miami", "Heat", "Miami Heat", "Miami Heat", 16, 14, "MIA", "East", "Southeast"),
    Team("MIL", "Milwaukee", "Bucks", "Milwaukee Bucks", "Milwaukee Bucks", 17, 15, "MIL", "East", "Central"),
    Team("MIN", "Minnesota", "Timberwolves", "Minnesota Timberwolves", "Minnesota Timberwolves", 18, 16, "MIN", "West", "Northwest"),
    Team("NOP", "New Orleans", "Pelicans", "New Orleans Pelicans", "New Orleans Pelicans", 19, 3, "NO", "West", "Southwest"),
    Team("NYK", "New York", "Knicks", "New York Knicks", "New York Knicks", 20, 18, "NY", "East", "Atlantic"),
    Team("OKC", "Oklahoma City", "Thunder", "Oklahoma City Thunder", "Oklahoma City Thunder", 21, 25, "OKC", "West", "Northwest"),
    Team("ORL", "Orlando", "Magic", "Orlando Magic", "Orlando Magic", 22, 19, "ORL", "East", "Southeast"),
    Team("PHI", "Philadelphia", "76ers", "Philadelphia 76ers", "Philadelphia 76ers", 23, 20, "PHI", "East", "Atlantic"),
    Team("PHX", "Phoenix", "Suns", "Phoenix Suns", "Phoenix Suns", 24, 21, "PHX", "West", "Pacific"),
    Team("POR", "Portland", "Trail Blazers", "Portland Trail Blazers", "Portland Trail Blazers", 25, 22, "POR", "West", "Northwest"),
    Team("SAC", "Sacramento", "Kings", "Sacramento Kings", "Sacramento Kings", 26, 23, "SAC", "West", "Pacific"),
    Team("SAS", "San Antonio", "Spurs", "San Antonio Spurs", "San Antonio Spurs", 27, 24, "SA", "West", "Southwest"),
    Team("TOR", "Toronto", "Raptors", "Toronto Raptors", "Toronto Raptors", 28, 28, "TOR", "East", "Atlantic"),
    Team("UTA", "Utah", "Jazz", "Utah Jazz", "Utah Jazz", 29, 26, "UTAH", "West", "Northwest"),
    Team("WAS", "Washington", "Wizards", "Washington Wizards", "Washington Wizards", 30, 27, "WSH", "East", "Southeast"),
)

BY_TRICODE = {t.tricode: t for t in TEAMS}
BY_ESPN_ABBR = {t.espn_abbr: t for t in TEAMS}
BY_ESPN_ID = {t.espn_id: t for t in TEAMS}
BY_BDL_ID = {t.bdl_id: t for t in TEAMS}
# The Odds API spells the Clippers "Los Angeles Clippers"; balldontlie and ESPN say "LA Clippers".
BY_NAME = {**{t.bdl_full_name: t for t in TEAMS}, **{t.odds_name: t for t in TEAMS}}


def tricode_from_espn(abbr: str) -> str:
    """NBA tricode for an ESPN team abbreviation (GS -> GSW, UTAH -> UTA, ...)."""
    try:
        return BY_ESPN_ABBR[abbr].tricode
    except KeyError:
        raise KeyError(f"unknown ESPN team abbreviation {abbr!r}") from None


def tricode_from_name(full_name: str) -> str:
    """NBA tricode for a full team name as balldontlie, ESPN or The Odds API write it."""
    try:
        return BY_NAME[full_name].tricode
    except KeyError:
        raise KeyError(f"unknown team name {full_name!r}") from None
