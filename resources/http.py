"""One HTTP session per scrape: timeouts, bounded retries with backoff and jitter, clear errors.

Every upstream call of the platform goes through `ApiSession.get_json`. Transient trouble (429,
5xx, timeouts, dropped connections, a body cut short so that it is not JSON) is retried with
exponential backoff and full jitter, waiting at least what a `Retry-After` header asks; a body
still not JSON after every attempt, other 4xx and a spent usage quota fail without step retries. Error texts name the source, the endpoint and the partition,
and never contain a secret: query parameters that carry keys are redacted, and the httpx exception
that might carry the full URL is not chained.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import tenacity
from dagster import Failure

# httpx logs every request URL at INFO; The Odds API carries its key in the query string.
logging.getLogger("httpx").setLevel(logging.WARNING)

SECRET_PARAMS = frozenset({"apiKey", "api_key", "key", "token"})
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
QUOTA_SPENT = "OUT_OF_USAGE_CREDITS"  # The Odds API's error code once the plan's credits are used


class UpstreamContractError(Failure):
    """The upstream answered, but not as its contract says (4xx, unparseable or misshapen body).

    Retrying cannot help, so the step fails without step-level retries.
    """

    def __init__(self, message: str):
        super().__init__(description=message, allow_retries=False)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UpstreamUnavailable(Exception):
    """The upstream kept failing transiently until the retry budget ran out."""


class _Transient(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _NotJson(_Transient):
    """A body that does not parse: a response cut short in transit, tried again; if every attempt
    gives one, the upstream breaks its contract."""


@dataclass(frozen=True)
class RetrySettings:
    """How hard a session tries: attempts in all, and the backoff between them (seconds)."""

    max_attempts: int = 5
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 30.0
    max_retry_after_seconds: float = 120.0


@dataclass
class RequestStats:
    """What a session did, for the asset's metadata in the UI."""

    requests: int = 0
    retries: int = 0
    quota_remaining: int | None = None
    quota_used: int | None = None
    credits: int = 0  # usage spent by these requests (`x-requests-last`, where the API says)
    endpoints: dict[str, int] = field(default_factory=dict)

    def as_metadata(self) -> dict[str, int]:
        out = {"requests": self.requests, "retries": self.retries, "credits": self.credits}
        if self.quota_remaining is not None:
            out["quota_remaining"] = self.quota_remaining
        if self.quota_used is not None:
            out["quota_used"] = self.quota_used
        return out


def describe_request(path: str, params: Mapping[str, Any] | None) -> str:
    """`path?query` with secret parameters redacted: safe to print, log or store."""
    if not params:
        return path
    parts = []
    for name, value in params.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            parts.append(f"{name}={'***' if name in SECRET_PARAMS else v}")
    return f"{path}?{'&'.join(parts)}"


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _BackoffOrRetryAfter(tenacity.wait.wait_base):
    def __init__(self, settings: RetrySettings, rng: random.Random):
        self.settings = settings
        self.rng = rng

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        cap = min(self.settings.max_backoff_seconds, self.settings.backoff_seconds * 2 ** (retry_state.attempt_number - 1))
        wait = self.rng.uniform(0, cap)
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            wait = max(wait, min(exc.retry_after, self.settings.max_retry_after_seconds))
        return wait


class ApiSession:
    """Requests against one upstream on behalf of one partition (or one live refresh)."""

    def __init__(
        self,
        source: str,
        client: httpx.Client,
        *,
        partition: str | None = None,
        retry: RetrySettings = RetrySettings(),
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        secrets: tuple[str, ...] = (),
    ):
        self.source = source
        self._secrets = tuple(s for s in secrets if s)
        self.client = client
        self.partition = partition
        self.retry = retry
        self.stats = RequestStats()
        self._sleep = sleep
        self._rng = rng or random.Random()

    def __enter__(self) -> ApiSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def where(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """`source GET path?query (partition D)`: the prefix of every error about this request."""
        label = f"{self.source} GET {describe_request(path, params)}"
        return f"{label} (partition {self.partition})" if self.partition else label

    def scrub(self, text: str) -> str:
        """`text` with every secret of this session replaced by `***`."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def contract_error(self, path: str, params: Mapping[str, Any] | None, problem: str) -> UpstreamContractError:
        return UpstreamContractError(self.scrub(f"{self.where(path, params)}: {problem}"))

    def get_json(self, path: str, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None) -> tuple[Any, httpx.Headers]:
        """GET `path` relative to the base URL and return the decoded JSON body and the headers."""
        self.stats.endpoints[path] = self.stats.endpoints.get(path, 0) + 1

        def count_retry(_state: tenacity.RetryCallState) -> None:
            self.stats.retries += 1

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.retry.max_attempts),
            wait=_BackoffOrRetryAfter(self.retry, self._rng),
            retry=tenacity.retry_if_exception_type(_Transient),
            sleep=self._sleep,
            before_sleep=count_retry,
            reraise=True,
        )
        try:
            body, response = retrying(self._attempt, path, params, headers)
        except _NotJson as exc:
            raise self.contract_error(path, params, f"{exc.reason} in all {self.retry.max_attempts} attempts") from None
        except _Transient as exc:
            raise UpstreamUnavailable(
                self.scrub(f"{self.where(path, params)}: gave up after {self.retry.max_attempts} attempts: {exc.reason}")
            ) from None
        self._record_quota(response.headers)
        return body, response.headers

    def _attempt(self, path: str, params: Mapping[str, Any] | None, headers: Mapping[str, str] | None) -> tuple[Any, httpx.Response]:
        response = self._response(path, params, headers)
        try:
            return json.loads(response.content), response
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _NotJson(f"body is not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc}; {len(response.content)} bytes, truncated?)") from None

    def _response(self, path: str, params: Mapping[str, Any] | None, headers: Mapping[str, str] | None) -> httpx.Response:
        self.stats.requests += 1
        try:
            response = self.client.get(path, params=params, headers=headers)
        except httpx.TimeoutException:
            raise _Transient("timed out") from None
        except httpx.TransportError as exc:
            raise _Transient(f"connection failed ({type(exc).__name__})") from None
        status = response.status_code
        if status in (401, 403, 429) and (response.headers.get("x-requests-remaining") in ("0", "0.0") or QUOTA_SPENT in response.text):
            raise self.contract_error(
                path, params, f"HTTP {status}: the usage quota is spent ({_snippet(response)}); retrying cannot help: "
                "nothing more can be fetched until the quota renews or is raised, and what is stored is kept",
            )
        if status in RETRYABLE_STATUS:
            raise _Transient(f"HTTP {status}", _retry_after_seconds(response))
        if status >= 400:
            hint = " (check the API key)" if status in (401, 403) else ""
            raise self.contract_error(path, params, f"HTTP {status}{hint}: {_snippet(response)}")
        return response

    def _record_quota(self, headers: httpx.Headers) -> None:
        try:
            self.stats.credits += int(float(headers.get("x-requests-last") or 0))
        except ValueError:
            pass
        for header, attr in (("x-requests-remaining", "quota_remaining"), ("x-requests-used", "quota_used")):
            value = headers.get(header)
            if value is not None:
                try:
                    setattr(self.stats, attr, int(float(value)))
                except ValueError:
                    pass

    def paginate(self, path: str, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None, max_pages: int = 1000) -> Iterator[dict]:
        """balldontlie cursor pagination: yield each page, passing `meta.next_cursor` until it is absent."""
        query = dict(params or {})
        for _ in range(max_pages):
            body, _headers = self.get_json(path, query, headers)
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise self.contract_error(path, query, "expected an object with a 'data' list")
            yield body
            cursor = (body.get("meta") or {}).get("next_cursor")
            if cursor in (None, ""):
                return
            query["cursor"] = cursor
        raise self.contract_error(path, params, f"more than {max_pages} pages: the cursor never ends")


def _snippet(response: httpx.Response, limit: int = 200) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:limit] + ("..." if len(text) > limit else "") if text else response.reason_phrase
