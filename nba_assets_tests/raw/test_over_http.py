"""NBA_SOURCE=http against the simulated league served on 127.0.0.1: the same tables as in-process."""

import pytest

from nba_assets_tests.conftest import step_error

from nba_assets.raw import raw_box_scores, raw_espn_rosters, raw_games, raw_injuries, raw_odds_events, raw_player_props
from resources.simulated import SimulatedLeague, serve

PAST = "2025-01-20"
ASSETS = [raw_games, raw_box_scores, raw_espn_rosters, raw_injuries, raw_odds_events, raw_player_props]
TABLES = ["raw_games", "raw_box_scores", "raw_espn_rosters", "raw_odds_events", "raw_player_props"]


@pytest.fixture
def league_server():
    server = serve(SimulatedLeague(api_keys={"balldontlie": "bdl-key", "odds": "odds-key"}), host="127.0.0.1", port=0)
    yield server
    server.shutdown()


def test_http_source_with_path_prefixes_matches_the_embedded_league(platform, league_server, monkeypatch):
    assert platform.materialize(ASSETS, PAST).success
    embedded = {name: platform.table(name) for name in TABLES}

    monkeypatch.setenv("NBA_DATA_DIR", str(platform.data_dir.parent / "over_http"))
    platform.data_dir = platform.data_dir.parent / "over_http"
    monkeypatch.setenv("NBA_SOURCE", "http")
    monkeypatch.setenv("BDL_BASE_URL", f"{league_server.base_url}/balldontlie")
    monkeypatch.setenv("ESPN_BASE_URL", f"{league_server.base_url}/espn")
    monkeypatch.setenv("ODDS_API_BASE_URL", f"{league_server.base_url}/odds")
    monkeypatch.setenv("BDL_API_KEY", "bdl-key")
    monkeypatch.setenv("ODDS_API_KEY", "odds-key")
    assert platform.materialize(ASSETS, PAST).success
    for name in TABLES:
        over_http = platform.table(name)
        assert len(over_http) > 0, name
        assert over_http.equals(embedded[name]), name


def test_wrong_key_is_refused_and_not_retried(platform, league_server, monkeypatch):
    monkeypatch.setenv("NBA_SOURCE", "http")
    monkeypatch.setenv("BDL_BASE_URL", f"{league_server.base_url}/balldontlie")
    monkeypatch.setenv("BDL_API_KEY", "wrong-key-987")
    result = platform.materialize([raw_games], PAST, raise_on_error=False)
    message = step_error(result)
    assert "HTTP 401" in message and "wrong-key-987" not in message
