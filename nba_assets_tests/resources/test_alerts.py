"""Alerts reach the configured channel with what, asset, partition and error."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from resources.alerts import AlertsResource


def test_log_channel_appends_json_lines(tmp_path):
    alerts = AlertsResource(log_path=str(tmp_path / "alerts.log"))
    alerts.send("run failed", "run 1234 failed", asset="raw_box_scores", partition="2025-01-20", error="HTTP 500")
    alerts.send("check failed (error)", "feature_store_varies", asset="feature_store", partition="2025-01-20", error="constant")
    lines = [json.loads(line) for line in (tmp_path / "alerts.log").read_text().splitlines()]
    assert [(a["kind"], a["asset"], a["partition"], a["error"]) for a in lines] == [
        ("run failed", "raw_box_scores", "2025-01-20", "HTTP 500"), ("check failed (error)", "feature_store", "2025-01-20", "constant")]


@pytest.fixture
def webhook():
    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/xyz", received
    server.shutdown()


def test_slack_channel_posts_to_the_webhook(tmp_path, webhook):
    url, received = webhook
    alerts = AlertsResource(channel="slack", log_path=str(tmp_path / "alerts.log"), slack_webhook_url=url)
    alerts.send("run failed", "run 1234 failed", asset="predictions", partition="2025-01-20", error="no points_model for the week")
    [message] = received
    assert message["text"] == "[nba-assets] run failed: run 1234 failed | asset predictions | partition 2025-01-20 | no points_model for the week"
