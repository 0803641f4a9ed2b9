"""What the three upstream resources share: where requests go, and how a session is opened.

`source="simulated"` (the default, `NBA_SOURCE`) routes every request to the embedded simulated
league through an in-process httpx transport; `source="http"` sends it to `base_url`, which may carry
a path prefix (`http://127.0.0.1:8765/balldontlie` sends `/v1/games` to `.../balldontlie/v1/games`).
"""

from __future__ import annotations

from typing import ClassVar

import httpx
from dagster import ConfigurableResource, Failure
from pydantic import Field

from resources.errors import ConfigurationError
from resources.http import ApiSession, RetrySettings

SOURCES = ("simulated", "http")


class UpstreamResource(ConfigurableResource):
    """Base of the balldontlie, ESPN and The Odds API resources."""

    source: str = Field(default="simulated", description="`simulated` (embedded league, no network) or `http` (base_url); env NBA_SOURCE")
    base_url: str = Field(description="Base URL of the API, with any path prefix")
    timeout_seconds: float = Field(default=30.0, description="Timeout of each request (connect, read, write, pool)")
    max_attempts: int = Field(default=5, description="Attempts per request, the first included, on 429/5xx/timeouts")
    backoff_seconds: float = Field(default=1.0, description="First backoff step; doubles per retry, with full jitter")
    max_backoff_seconds: float = Field(default=30.0, description="Longest backoff between two attempts")

    service: ClassVar[str] = ""
    label: ClassVar[str] = ""
    key_env: ClassVar[str | None] = None

    def secret(self) -> str | None:
        """The API key, if this source has one; never logged or stored."""
        return None

    def open_session(self, partition: str | None = None) -> ApiSession:
        """A session for one scrape; the caller closes it (`with resource.open_session(key) as s:`)."""
        if self.source == "simulated":
            from resources.simulated import SIMULATED_BASE_URLS, default_league

            base_url, transport = SIMULATED_BASE_URLS[self.service], default_league().transport()
        elif self.source == "http":
            if self.key_env and not self.secret():
                raise Failure(description=f"{self.key_env} is not set: {self.label} needs an API key when NBA_SOURCE=http", allow_retries=False)
            base_url, transport = self.base_url, None
        else:
            raise ConfigurationError(f"NBA_SOURCE={self.source!r} is not one of {', '.join(SOURCES)}")
        client = httpx.Client(
            base_url=base_url,
            transport=transport,
            timeout=httpx.Timeout(self.timeout_seconds),
            headers=self.auth_headers(),
            follow_redirects=False,
        )
        retry = RetrySettings(self.max_attempts, self.backoff_seconds, self.max_backoff_seconds)
        return ApiSession(self.label, client, partition=partition, retry=retry, secrets=(self.secret() or "",))

    def auth_headers(self) -> dict[str, str]:
        return {}
