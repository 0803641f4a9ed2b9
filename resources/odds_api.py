"""The Odds API (`/v4`, sport `basketball_nba`): events and player-points odds, current and historical.

Quota is money: every response's `x-requests-remaining` / `x-requests-used` / `x-requests-last` lands
in the session's stats, and callers keep every snapshot in the landing zone so none is ever fetched twice.

Which books: The Odds API sells books by region (`us`, `us2`, `eu`, ...), each region of a request
costing its price again; naming books (`bookmakers=`) costs one region per 10 books named, and takes
priority over `regions`. By default the platform names `DEFAULT_BOOKMAKERS`: the sharp book (Pinnacle,
region `eu`), the large US sportsbooks and the two pick'em sites, 10 books for the price of one region.
"""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import Field

from resources.http import ApiSession
from resources.upstream import UpstreamResource

SPORT = "basketball_nba"
MARKET_PARAMS = {"markets": "player_points", "oddsFormat": "american"}
DEFAULT_BOOKMAKERS = "pinnacle,draftkings,fanduel,betmgm,williamhill_us,espnbet,betrivers,fanatics,prizepicks,underdog"


def book_params(bookmakers: str, regions: str) -> dict[str, str]:
    """The query that selects the books: the named books when any are named, else the regions."""
    named = ",".join(b.strip() for b in bookmakers.split(",") if b.strip())
    areas = ",".join(r.strip() for r in regions.split(",") if r.strip())
    if not named and not areas:
        raise ValueError("The Odds API needs books or regions to quote: set NBA_ODDS_BOOKMAKERS or NBA_ODDS_REGIONS")
    return {"bookmakers": named} if named else {"regions": areas}


def iso_z(moment: datetime) -> str:
    """`2025-01-21T00:30:00Z`: the timestamp form The Odds API takes."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class OddsApi:
    """The Odds API endpoints the platform reads; each returns the decoded body."""

    def __init__(self, session: ApiSession, api_key: str | None, books: dict[str, str] | None = None):
        self.session = session
        self._key = {"apiKey": api_key} if api_key else {}
        self.odds_params = {**(books or {"bookmakers": DEFAULT_BOOKMAKERS}), **MARKET_PARAMS}

    def _get(self, path: str, params: dict) -> object:
        body, _ = self.session.get_json(path, {**params, **self._key})
        return body

    def events(self, start: datetime, end: datetime) -> list[dict]:
        """Current events tipping in [start, end)."""
        path = f"/v4/sports/{SPORT}/events"
        params = {"commenceTimeFrom": iso_z(start), "commenceTimeTo": iso_z(end)}
        body = self._get(path, params)
        if not isinstance(body, list):
            raise self.session.contract_error(path, params, "expected a list of events")
        return body

    def event_odds(self, event_id: str) -> dict:
        """Current player-points odds of one event."""
        path = f"/v4/sports/{SPORT}/events/{event_id}/odds"
        body = self._get(path, self.odds_params)
        if not isinstance(body, dict) or not isinstance(body.get("bookmakers"), list):
            raise self.session.contract_error(path, self.odds_params, "expected an event with a 'bookmakers' list")
        return body

    def historical_events(self, at: datetime, start: datetime, end: datetime) -> dict:
        """Events as listed at snapshot time `at`, tipping in [start, end): `{timestamp, ..., data}`."""
        path = f"/v4/historical/sports/{SPORT}/events"
        params = {"date": iso_z(at), "commenceTimeFrom": iso_z(start), "commenceTimeTo": iso_z(end)}
        body = self._get(path, params)
        if not isinstance(body, dict) or not isinstance(body.get("data"), list) or "timestamp" not in body:
            raise self.session.contract_error(path, params, "expected {timestamp, data: [events]}")
        return body

    def historical_event_odds(self, event_id: str, at: datetime) -> dict:
        """Player-points odds of one event at snapshot time `at`: `{timestamp, ..., data: event}`."""
        path = f"/v4/historical/sports/{SPORT}/events/{event_id}/odds"
        params = {**self.odds_params, "date": iso_z(at)}
        body = self._get(path, params)
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict) or "timestamp" not in body:
            raise self.session.contract_error(path, params, "expected {timestamp, data: event}")
        return body


class OddsApiResource(UpstreamResource):
    """The Odds API (events, player-points lines). Key in query parameter `apiKey`."""

    base_url: str = Field(default="https://api.the-odds-api.com", description="env ODDS_API_BASE_URL")
    api_key: str | None = Field(default=None, description="env ODDS_API_KEY (needed with NBA_SOURCE=http)")
    bookmakers: str = Field(default=DEFAULT_BOOKMAKERS, description="env NBA_ODDS_BOOKMAKERS: books to quote, comma-separated (10 cost one region); empty: by regions")
    regions: str = Field(default="", description="env NBA_ODDS_REGIONS: regions to quote (us, us2, eu, ...; each costs one region) when no books are named")

    service = "odds"
    label = "The Odds API"
    key_env = "ODDS_API_KEY"

    def secret(self) -> str | None:
        return self.api_key or None

    def api(self, partition: str | None = None) -> OddsApi:
        return OddsApi(self.open_session(partition), self.api_key, book_params(self.bookmakers, self.regions))
