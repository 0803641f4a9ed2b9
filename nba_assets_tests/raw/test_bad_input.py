"""Bad upstream input fails clearly and leaves what is stored intact."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from nba_assets_tests.conftest import step_error

from nba_assets.raw import raw_box_scores, raw_games

PAST = "2025-01-20"


@contextmanager
def local_balldontlie(body_of):
    """A local server standing in for balldontlie: `body_of(path)` gives the bytes answered to each GET."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = body_of(self.path.split("?")[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/balldontlie"
    finally:
        server.shutdown()


@pytest.fixture
def broken_server():
    """A local server that answers every request with a truncated JSON body."""
    with local_balldontlie(lambda _path: b'{"data": [{"id": 15908, "date": "2025-01-20", "home_te') as url:
        yield url


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


@pytest.fixture
def server_missing_a_box_score():
    """balldontlie with two final games on 2025-01-20 and a box score for only one of them."""
    import json

    from nba_assets_tests.conftest import fixture_json

    record = fixture_json("bdl_box_scores_2025-01-20.json")
    boxed = record["games"][0]["data"][0]
    never = dict(boxed, id=424242, home_team=dict(boxed["home_team"], abbreviation="NYK"), visitor_team=dict(boxed["visitor_team"], abbreviation="MIA"))
    pages = {"/balldontlie/v1/games": {"data": [boxed, never], "meta": {"per_page": 100}}, "/balldontlie/v1/box_scores": {"data": record["box_scores"][0]["data"]}}
    with local_balldontlie(lambda path: json.dumps(pages[path]).encode()) as url:
        yield url


def test_a_box_score_that_never_comes_is_waited_for_then_given_up_and_flagged(platform, server_missing_a_box_score, monkeypatch):
    monkeypatch.setenv("NBA_SOURCE", "http")
    monkeypatch.setenv("BDL_BASE_URL", server_missing_a_box_score)
    monkeypatch.setenv("BDL_API_KEY", "k")
    monkeypatch.setenv("NBA_CLOCK", "2025-01-21T12:00:00-05:00")  # the next day: the game may still come
    result = platform.materialize([raw_box_scores], PAST, raise_on_error=False)
    assert "not final yet" in step_error(result) and "20250120_MIA_NYK: no box score yet" in step_error(result)
    monkeypatch.setenv("NBA_CLOCK", "2025-01-22T12:00:00-05:00")  # two days on: it never will
    result = platform.materialize([raw_box_scores], PAST)
    stored = platform.table("raw_box_scores")
    assert stored["game_id"].unique().tolist() == ["20250120_BOS_LAL"]
    [check] = result.get_asset_check_evaluations()
    assert check.check_name == "raw_box_scores_complete" and not check.passed and check.severity.value == "WARN"
    assert check.metadata["missing"].value == {PAST: ["20250120_MIA_NYK: no box score yet"]}
