"""Request and response types shared by the simulated API handlers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone


class BadRequest(Exception):
    """A request parameter is missing or malformed (answered 400, or 422 on the Odds API)."""


@dataclass
class Request:
    """The parts of an HTTP request the handlers read."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    def one(self, name: str, default: str | None = None) -> str | None:
        """The last value of query parameter `name`."""
        values = self.query.get(name)
        return values[-1] if values else default

    def many(self, name: str) -> list[str]:
        """All values of a repeated parameter; `dates[]` also accepts plain `dates`."""
        return self.query.get(name, []) + self.query.get(name.removesuffix("[]"), []) if name.endswith("[]") else []

    def integer(self, name: str, default: int | None = None) -> int | None:
        """Query parameter `name` as an int (BadRequest if it is not one)."""
        raw = self.one(name)
        return default if raw is None or raw == "" else self.integer_value(raw, name)

    def integer_value(self, raw: str, name: str) -> int:
        """`raw` (a value of parameter `name`) as an int."""
        try:
            return int(raw)
        except ValueError:
            raise BadRequest(f"{name} must be an integer, got {raw!r}") from None

    def day(self, raw: str, name: str) -> date:
        """`raw` (a value of parameter `name`) as a YYYY-MM-DD date."""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw or ""):
            raise BadRequest(f"{name} must be a date YYYY-MM-DD, got {raw!r}")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise BadRequest(f"{name} must be a date YYYY-MM-DD, got {raw!r}") from None

    def moment(self, name: str) -> datetime | None:
        """Query parameter `name` as an aware UTC datetime (ISO 8601; naive means UTC)."""
        raw = self.one(name)
        if raw is None or raw == "":
            return None
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
        except ValueError:
            raise BadRequest(f"{name} must be an ISO 8601 timestamp (2025-01-20T00:00:00Z), got {raw!r}") from None
        return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


@dataclass
class Response:
    """A JSON answer: status, body and extra headers."""

    status: int
    body: object
    headers: list[tuple[str, str]] = field(default_factory=list)


def dumps(body: object) -> bytes:
    """The one JSON encoding of every answer (compact, UTF-8, insertion order)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
