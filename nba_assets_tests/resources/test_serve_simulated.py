"""`nba-assets serve-simulated` answers the three APIs over HTTP on 127.0.0.1."""

import os
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_simulated_command():
    port = free_port()
    env = {**os.environ, "NBA_CLOCK": "2025-01-22T12:00:00-05:00"}
    proc = subprocess.Popen([sys.executable, "-m", "nba_assets.cli", "serve-simulated", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                games = httpx.get(f"{base}/balldontlie/v1/games", params={"dates[]": "2025-01-20"}, timeout=5)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert games.status_code == 200 and len(games.json()["data"]) > 0
        roster = httpx.get(f"{base}/espn/apis/site/v2/sports/basketball/nba/teams/9", params={"enable": "roster"}, timeout=5).json()
        assert roster["team"]["abbreviation"] == "GS" and all("dateOfBirth" in a for a in roster["team"]["athletes"])
        events = httpx.get(f"{base}/odds/v4/historical/sports/basketball_nba/events", params={"date": "2025-01-20T15:00:00Z"}, timeout=5)
        assert events.status_code == 200 and "x-requests-remaining" in events.headers
    finally:
        proc.terminate()
        proc.wait(timeout=10)
