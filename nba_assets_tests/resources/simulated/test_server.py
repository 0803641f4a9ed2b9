"""The same app over HTTP on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest

from resources.simulated import serve

from .conftest import client_for


def test_server_answers_on_loopback_and_shuts_down(league):
    server = serve(league, port=0)
    try:
        assert server.port > 0 and server.base_url == f"http://127.0.0.1:{server.port}"
        params = {"dates[]": "2025-01-18", "per_page": 100}
        over_http = httpx.get(f"{server.base_url}/balldontlie/v1/games", params=params, timeout=10)
        assert over_http.status_code == 200
        assert over_http.content == client_for(league, "balldontlie").get("/v1/games", params=params).content
        roster = httpx.get(f"{server.base_url}/espn/apis/site/v2/sports/basketball/nba/teams/2",
                           params={"enable": "roster"}, timeout=10)
        assert roster.status_code == 200 and roster.json()["team"]["abbreviation"] == "BOS"
        events = httpx.get(f"{server.base_url}/odds/v4/sports/basketball_nba/events", timeout=10)
        assert events.status_code == 200 and "x-requests-remaining" in events.headers
        assert httpx.get(f"{server.base_url}/nowhere", timeout=10).status_code == 404
    finally:
        server.shutdown()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base_url}/balldontlie/v1/games", params={"dates[]": "2025-01-18"}, timeout=2)
