"""ApiSession against httpx mock transports: retries, pagination, errors, secrets."""

import httpx
import pytest

from resources.balldontlie import BalldontlieApi
from resources.http import ApiSession, RetrySettings, UpstreamContractError, UpstreamUnavailable
from resources.odds_api import OddsApi

SECRET = "sk-live-5f3e9a1c-do-not-print"


def session_for(handler, sleeps=None, partition="2025-01-20", attempts=4, base_url="http://api.test"):
    client = httpx.Client(base_url=base_url, transport=httpx.MockTransport(handler), headers={"Authorization": SECRET})
    return ApiSession(
        "balldontlie",
        client,
        partition=partition,
        retry=RetrySettings(max_attempts=attempts, backoff_seconds=0.5, max_backoff_seconds=4.0),
        sleep=(sleeps.append if sleeps is not None else (lambda _s: None)),
        secrets=(SECRET,),
    )


def scripted(*responses):
    """A handler answering each request with the next of `responses` (the last one repeats)."""
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = responses[min(len(seen) - 1, len(responses) - 1)]
        if isinstance(item, Exception):
            raise item
        return item

    handler.seen = seen
    return handler


def test_pagination_follows_next_cursor_to_the_end():
    def handler(request):
        cursor = request.url.params.get("cursor")
        pages = {None: ([1, 2], 7), "7": ([3, 4], 9), "9": ([5], None)}
        data, nxt = pages[cursor]
        meta = {"per_page": 2} | ({"next_cursor": nxt} if nxt else {})
        return httpx.Response(200, json={"data": [{"id": i} for i in data], "meta": meta})

    pages = list(session_for(handler).paginate("/v1/games", {"dates[]": ["2025-01-20"]}))
    assert [row["id"] for page in pages for row in page["data"]] == [1, 2, 3, 4, 5]


def test_429_with_retry_after_waits_at_least_that_long_then_succeeds():
    sleeps = []
    handler = scripted(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"ok": True}))
    session = session_for(handler, sleeps)
    body, _ = session.get_json("/v1/box_scores")
    assert body == {"ok": True}
    assert len(sleeps) == 1 and sleeps[0] >= 7
    assert session.stats.requests == 2 and session.stats.retries == 1


def test_500_twice_then_success_backs_off_exponentially_within_caps():
    sleeps = []
    handler = scripted(httpx.Response(500), httpx.Response(503), httpx.Response(200, json=[1]))
    body, _ = session_for(handler, sleeps).get_json("/v1/games")
    assert body == [1]
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0


def test_timeouts_and_dropped_connections_are_retried():
    handler = scripted(httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), httpx.Response(200, json={}))
    session = session_for(handler)
    session.get_json("/v1/games")
    assert session.stats.retries == 2


def test_persistent_500_fails_after_the_budget():
    handler = scripted(httpx.Response(500))
    with pytest.raises(UpstreamUnavailable) as err:
        session_for(handler, attempts=4).get_json("/v1/box_scores", {"date": "2025-01-20"})
    assert len(handler.seen) == 4
    message = str(err.value)
    assert "balldontlie GET /v1/box_scores?date=2025-01-20" in message and "partition 2025-01-20" in message and "HTTP 500" in message


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(status):
    handler = scripted(httpx.Response(status, json={"error": "nope"}))
    with pytest.raises(UpstreamContractError) as err:
        session_for(handler).get_json("/v1/games")
    assert len(handler.seen) == 1
    assert f"HTTP {status}" in str(err.value)
    assert err.value.allow_retries is False


def test_a_body_cut_short_is_fetched_again():
    handler = scripted(httpx.Response(200, content=b'{"data": [{"id": 1, "min": "3'), httpx.Response(200, json={"data": [{"id": 1}]}))
    session = session_for(handler)
    assert session.get_json("/v1/box_scores", {"date": "2025-01-20"})[0] == {"data": [{"id": 1}]}
    assert len(handler.seen) == 2 and session.stats.retries == 1


def test_a_body_that_is_never_json_fails_clearly_without_step_retries():
    handler = scripted(httpx.Response(200, content=b'{"data": [{"id": 1, "min": "3'))
    with pytest.raises(UpstreamContractError) as err:
        session_for(handler).get_json("/v1/box_scores", {"date": "2025-01-20"})
    assert len(handler.seen) == 4 and err.value.allow_retries is False
    assert "not valid JSON" in str(err.value) and "in all 4 attempts" in str(err.value)
    assert "partition 2025-01-20" in str(err.value) and "/v1/box_scores" in str(err.value)


def test_the_key_never_appears_in_error_text():
    # The Odds API takes its key in the query string; a server may even echo the URL back.
    def echo(request):
        return httpx.Response(401, text=f"bad key for {request.url}")

    client = httpx.Client(base_url="http://odds.test", transport=httpx.MockTransport(echo))
    api = OddsApi(ApiSession("The Odds API", client, partition="2025-01-20", secrets=(SECRET,)), SECRET)
    with pytest.raises(UpstreamContractError) as err:
        api.event_odds("abc")
    assert SECRET not in str(err.value) and "apiKey=***" in str(err.value)

    handler = scripted(httpx.Response(500, text=SECRET))
    with pytest.raises(UpstreamUnavailable) as err:
        session_for(handler).get_json("/v1/games", {"apiKey": SECRET})
    assert SECRET not in str(err.value) and err.value.__cause__ is None


def test_base_url_path_prefix_is_kept():
    handler = scripted(httpx.Response(200, json={"data": []}))
    api = BalldontlieApi(session_for(handler, base_url="http://127.0.0.1:8765/balldontlie"))
    from datetime import date

    api.box_scores(date(2025, 1, 20))
    url = handler.seen[0].url
    assert url.path == "/balldontlie/v1/box_scores" and url.params["date"] == "2025-01-20"
    assert handler.seen[0].headers["Authorization"] == SECRET


def test_quota_headers_are_recorded():
    handler = scripted(httpx.Response(200, json=[], headers={"x-requests-remaining": "19890", "x-requests-used": "110", "x-requests-last": "10"}),
                       httpx.Response(200, json=[], headers={"x-requests-remaining": "19880", "x-requests-used": "120", "x-requests-last": "10"}))
    session = session_for(handler)
    session.get_json("/v4/sports/basketball_nba/events")
    session.get_json("/v4/sports/basketball_nba/events")
    assert session.stats.as_metadata() == {"requests": 2, "retries": 0, "credits": 20, "quota_remaining": 19880, "quota_used": 120}


def test_a_spent_quota_is_not_retried():
    handler = scripted(httpx.Response(429, json={"message": "Usage quota has been reached."}, headers={"x-requests-remaining": "0"}))
    with pytest.raises(UpstreamContractError, match="usage quota is spent"):
        session_for(handler).get_json("/v4/historical/sports/basketball_nba/events/x/odds")
    assert len(handler.seen) == 1
    # The Odds API answers a spent quota with 401 and its error code: not a bad key
    handler = scripted(httpx.Response(401, json={"message": "Usage quota has been reached.", "error_code": "OUT_OF_USAGE_CREDITS"}))
    with pytest.raises(UpstreamContractError) as err:
        session_for(handler).get_json("/v4/historical/sports/basketball_nba/events/x/odds")
    assert "usage quota is spent" in str(err.value) and "check the API key" not in str(err.value) and len(handler.seen) == 1
