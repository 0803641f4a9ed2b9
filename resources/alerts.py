"""Alerts: a run failed, a check failed, data is late. Where they go is configured by environment.

`NBA_ALERTS`: `log` (default: JSON lines appended to `$NBA_DATA_DIR/alerts.log`), `slack`
(`NBA_SLACK_WEBHOOK_URL`) or `email` (`NBA_SMTP_HOST`, `NBA_SMTP_PORT`, `NBA_ALERT_FROM`, `NBA_ALERT_TO`).
Every alert says what, which asset and partition, and the error.
"""

from __future__ import annotations

import json
import smtplib
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import httpx
from dagster import ConfigurableResource
from pydantic import Field

CHANNELS = ("log", "slack", "email")


class AlertsResource(ConfigurableResource):
    """Sends alerts to a log file (default), a Slack webhook or e-mail."""

    channel: str = Field(default="log", description="log | slack | email (env NBA_ALERTS)")
    log_path: str = Field(description="The alerts log file ($NBA_DATA_DIR/alerts.log)")
    slack_webhook_url: str | None = Field(default=None, description="env NBA_SLACK_WEBHOOK_URL")
    smtp_host: str | None = Field(default=None, description="env NBA_SMTP_HOST")
    smtp_port: int = Field(default=25, description="env NBA_SMTP_PORT")
    mail_from: str | None = Field(default=None, description="env NBA_ALERT_FROM")
    mail_to: str | None = Field(default=None, description="env NBA_ALERT_TO")

    def send(self, kind: str, summary: str, asset: str | None = None, partition: str | None = None, error: str | None = None) -> dict:
        """Deliver one alert; returns it as sent."""
        alert = {
            "at_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "kind": kind, "summary": summary, "asset": asset, "partition": partition, "error": error,
        }
        text = f"[nba-assets] {kind}: {summary}" + (f" | asset {asset}" if asset else "") + (f" | partition {partition}" if partition else "") + (f" | {error}" if error else "")
        if self.channel == "log":
            path = Path(self.log_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a") as handle:
                handle.write(json.dumps(alert) + "\n")
        elif self.channel == "slack":
            httpx.post(self.slack_webhook_url, json={"text": text}, timeout=10).raise_for_status()
        elif self.channel == "email":
            message = EmailMessage()
            message["Subject"], message["From"], message["To"] = text[:120], self.mail_from, self.mail_to
            message.set_content(json.dumps(alert, indent=1))
            with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=10) as smtp:
                smtp.send_message(message)
        else:
            raise ValueError(f"NBA_ALERTS={self.channel!r} is not one of {', '.join(CHANNELS)}")
        return alert
