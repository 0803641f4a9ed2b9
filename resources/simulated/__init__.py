"""The embedded simulated league: a deterministic, seeded NBA that answers balldontlie, the ESPN
site API and The Odds API in their real JSON shapes, as one WSGI app (paths /balldontlie, /espn,
/odds), in-process through `league.transport()` or over HTTP through `serve(league)`.

Only regular seasons are simulated (no preseason, play-in or playoffs). Modules: `names`
(spellings per source), `player` and `universe` (players, careers, rosters, trades), `schedule`,
`injuries`, `games` (minutes, shots, box scores), `season` (one season's ground truth), `live`
(game clock and stats so far), `books` (the bookmakers: sharp, regular, soft) and `odds` (their
lines and snapshots), `market_figures` (what the market looks like over a season), `league`,
`app` with `bdl_api` / `espn_api` / `odds_api`, and `server`.
"""

from .league import SIMULATED_BASE_URLS, SimulatedLeague, default_league
from .season import SimSeason
from .server import SimulatedServer, serve

__all__ = ["SIMULATED_BASE_URLS", "SimSeason", "SimulatedLeague", "SimulatedServer", "default_league", "serve"]
