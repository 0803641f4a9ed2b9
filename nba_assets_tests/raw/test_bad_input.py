"""Bad upstream input fails clearly and leaves what is stored intact."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from nba_assets_tests.conftest import step_error

from nba_assets.raw import raw_box_scores, raw_games

PAST = "2025-01-20"


@pytest.fixture
def broken_server():
    """A local server that answers every request with a truncated JSON body."""

    class Truncated(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'{"data": [{"id": 15908, "date": "2025-01-20", "home_te'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Truncated)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/balldontlie"
    server.shutdown()


def test_truncated_body_fails_clearly_and_keeps_the_stored_partition(platform, broken_server, monkeypatch):
    platform.materialize([raw_games], PAST)
    before = platform.table("raw_games")
    monkeypatch.setenv("NBA_SOURCE", "http")
    monkeypatch.setenv("BDL_BASE_URL", broken_server)
    monkeypatch.setenv("BDL_API_KEY", "bdl-secret-key-123")
    result = platform.materialize([raw_games], PAST, raise_on_error=False)
    message = step_error(result)
    assert "balldontlie GET /v1/games" in message and "partition 2025-01-20" in message and "not valid JSON" in message
    assert "bdl-secret-key-123" not in message
    assert platform.table("raw_games").equals(before)


def test_missing_key_with_http_source_names_the_variable(platform, monkeypatch):
    monkeypatch.setenv("NBA_SOURCE", "http")
    result = platform.materialize([raw_games, raw_box_scores], PAST, raise_on_error=False, selection=["raw_games"])
    assert "BDL_API_KEY is not set" in step_error(result)


def test_a_contract_violation_names_source_partition_and_field(platform, monkeypatch, tmp_path):
    # A landed record with a player missing his id: re-parsing it must say exactly what is wrong.
    import gzip
    import json

    platform.materialize([raw_box_scores], PAST)
    [path] = (platform.data_dir / "landing" / "balldontlie" / "box_scores" / PAST).glob("*.json.gz")
    record = json.loads(gzip.decompress(path.read_bytes()))
    del record["payload"]["box_scores"][0]["data"][0]["home_team"]["players"][0]["player"]["id"]
    path.write_bytes(gzip.compress(json.dumps(record).encode()))
    before = platform.table("raw_box_scores")
    result = platform.materialize([raw_box_scores], PAST, raise_on_error=False, run_config={"ops": {"raw_box_scores": {"config": {"reparse": True}}}})
    message = step_error(result)
    assert "UpstreamContractError: balldontlie GET /v1/box_scores (partition 2025-01-20): box score " in message
    assert "home_team.players[0]: field 'id' is missing" in message
    assert platform.table("raw_box_scores").equals(before)
