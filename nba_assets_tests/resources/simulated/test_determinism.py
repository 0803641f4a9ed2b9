"""Same seed, clock and request: the same bytes; another seed: another league."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from resources.simulated import SimulatedLeague

from .conftest import SEED, YEAR, client_for

MOMENT = datetime(2025, 1, 21, 1, 40, tzinfo=timezone.utc)


def _responses(league: SimulatedLeague) -> list[bytes]:
    bdl, espn, odds = (client_for(league, s) for s in ("balldontlie", "espn", "odds"))
    events = odds.get("/v4/sports/basketball_nba/events").json()
    requests = [
        bdl.get("/v1/games", params={"dates[]": ["2025-01-19", "2025-01-20"], "per_page": 100}),
        bdl.get("/v1/box_scores", params={"date": "2025-01-19"}),
        bdl.get("/v1/box_scores/live"),
        bdl.get("/v1/player_injuries", params={"per_page": 100}),
        espn.get("/apis/site/v2/sports/basketball/nba/teams/13", params={"enable": "roster"}),
        odds.get(f"/v4/sports/basketball_nba/events/{events[0]['id']}/odds",
                 params={"regions": "us", "markets": "player_points"}),
        odds.get(f"/v4/sports/basketball_nba/events/{events[-1]['id']}/odds",
                 params={"regions": "us", "markets": "player_points"}),
        odds.get(f"/v4/sports/basketball_nba/events/{events[-1]['id']}/odds",
                 params={"bookmakers": "betrivers,pinnacle,espnbet", "markets": "player_points"}),
        odds.get(f"/v4/historical/sports/basketball_nba/events/{events[-1]['id']}/odds",
                 params={"regions": "us2,eu", "markets": "player_points", "date": "2025-01-20T23:00:00Z"}),
    ]
    assert all(r.status_code == 200 for r in requests)
    return [r.content for r in requests]


def test_same_seed_same_bytes_in_any_request_order():
    first = SimulatedLeague(seed=SEED, clock=lambda: MOMENT)
    second = SimulatedLeague(seed=SEED, clock=lambda: MOMENT)
    second.season(YEAR + 3)  # a later season first: the universe must not depend on request order
    a, b = _responses(first), _responses(second)
    assert a == b
    assert len(b"".join(a)) > 100_000
    pd.testing.assert_frame_equal(first.season(YEAR).box_scores, second.season(YEAR).box_scores)


def test_another_seed_gives_another_league():
    base = _responses(SimulatedLeague(seed=SEED, clock=lambda: MOMENT))
    other = _responses(SimulatedLeague(seed=SEED + 1, clock=lambda: MOMENT))
    assert all(x != y for x, y in zip(base, other))
