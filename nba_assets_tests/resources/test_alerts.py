"""Alerts reach the configured channel with what, asset, partition and error."""

import email
import email.policy
import json
import socketserver
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


class _SmtpSession(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib to deliver one message; what arrives is kept in `server.received`."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 localhost test SMTP")
        envelope = {"rcpt": []}
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                envelope["from"] = line.split(":", 1)[1].strip()
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(line.split(":", 1)[1].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                body = []
                while (data := self.rfile.readline().decode()) not in (".\r\n", ""):
                    body.append(data)
                self.server.received.append({**envelope, "message": email.message_from_string("".join(body), policy=email.policy.default)})
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSession)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_email_channel_sends_through_the_smtp_server(tmp_path, smtp_server):
    alerts = AlertsResource(channel="email", log_path=str(tmp_path / "alerts.log"), smtp_host="127.0.0.1", smtp_port=smtp_server.server_address[1],
                            mail_from="nba-assets@example.org", mail_to="oncall@example.org")
    alerts.send("check failed (error)", "raw_box_scores_on_time", asset="raw_box_scores", partition="2025-01-20", error="raw_box_scores 2025-01-20 is missing")
    [delivered] = smtp_server.received
    assert delivered["from"] == "<nba-assets@example.org>" and delivered["rcpt"] == ["<oncall@example.org>"]
    message = delivered["message"]
    assert message["Subject"].startswith("[nba-assets] check failed (error): raw_box_scores_on_time | asset raw_box_scores | partition 2025-01-20")
    body = json.loads(message.get_content())
    assert (body["asset"], body["partition"], body["error"]) == ("raw_box_scores", "2025-01-20", "raw_box_scores 2025-01-20 is missing")
    assert not (tmp_path / "alerts.log").exists()
