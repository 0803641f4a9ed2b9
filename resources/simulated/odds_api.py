"""The Odds API under /odds: events and player_points odds, current and historical, with quota.

Event odds list the books of the requested `regions` (us, us2, uk, eu, au), or exactly the books
named in `bookmakers`, which takes priority when both are given; one of the two is required.
Costs (x-requests-last): current events 0, current event odds 1 per market per region (with
`bookmakers`, every 10 names or part of 10 count as one region), historical events 1, historical
event odds 10 times the current price. Only successful answers are charged; when the quota cannot
cover a request the answer is 429.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import numpy as np

from ..teams import BY_TRICODE
from .books import REGIONS, select
from .protocol import BadRequest, Response

_SPORT = "basketball_nba"
_EVENTS = re.compile(r"/v4/(historical/)?sports/([a-z_]+)/events/?")
_ODDS = re.compile(r"/v4/(historical/)?sports/([a-z_]+)/events/([0-9a-f]+)/odds/?")


def floor_five(moment: datetime) -> datetime:
    """`moment` floored to the 5-minute snapshot grid."""
    moment = moment.astimezone(timezone.utc)
    return moment - timedelta(minutes=moment.minute % 5, seconds=moment.second, microseconds=moment.microsecond)


def handle(league, request, path: str) -> Response:
    """Answer one Odds API request (`path` without the /odds prefix)."""
    quota = league.quota
    key = league.api_keys.get("odds")
    if key is not None and request.one("apiKey") != key:
        return Response(401, {"message": "API key is missing or invalid. Get a key at the-odds-api.com",
                              "error_code": "INVALID_KEY"}, quota.headers(0))
    events, odds = _EVENTS.fullmatch(path), _ODDS.fullmatch(path)
    match = events or odds
    if match is None:
        return Response(404, {"message": f"Not found: {path}"}, quota.headers(0))
    if match.group(2) != _SPORT:
        return Response(404, {"message": f"Unknown sport {match.group(2)}", "error_code": "UNKNOWN_SPORT"},
                        quota.headers(0))
    historical = match.group(1) is not None
    now = league.now()
    moment = now
    if historical:
        moment = request.moment("date")
        if moment is None:
            raise BadRequest("date is required for historical requests (ISO 8601, e.g. 2025-01-20T18:00:00Z)")
        if moment > now:
            return Response(422, {"message": "date is in the future", "error_code": "INVALID_HISTORICAL_TIMESTAMP"},
                            quota.headers(0))
        moment = floor_five(moment)
    if events:
        cost = 1 if historical else 0
        body = _event_list(league, moment, request.moment("commenceTimeFrom"), request.moment("commenceTimeTo"))
    else:
        markets = [m for m in (request.one("markets") or "h2h").split(",") if m]
        regions = [r for r in (request.one("regions") or "").split(",") if r]
        bookmakers = [b for b in (request.one("bookmakers") or "").split(",") if b]
        if not bookmakers and (not regions or not set(regions) <= set(REGIONS)):
            raise BadRequest("regions must be a comma-separated list of us, us2, uk, eu, au "
                             "(or bookmakers a comma-separated list of bookmaker keys)")
        books, priced_regions = select(regions, bookmakers)
        cost = (10 if historical else 1) * len(markets) * priced_regions
        body = _event_odds(league, match.group(3), moment, books if "player_points" in markets else [],
                           request.one("oddsFormat") or "american")
        if body is None:
            return Response(404, {"message": "Event not found. The event may have expired or the event id is invalid.",
                                  "error_code": "EVENT_NOT_FOUND"}, quota.headers(0))
    if not quota.charge(cost):
        return Response(429, {"message": "Usage quota has been reached.", "error_code": "OUT_OF_USAGE_CREDITS"},
                        quota.headers(0))
    if historical:
        stamp = int(moment.timestamp())
        later = moment + timedelta(minutes=5)
        body = {"timestamp": _iso(stamp), "previous_timestamp": _iso(stamp - 300),
                "next_timestamp": _iso(stamp + 300) if later <= now else None, "data": body}
    return Response(200, body, quota.headers(cost))


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _event(schedule, g: int) -> dict:
    return {"id": schedule["odds_event_id"].iat[g], "sport_key": _SPORT, "sport_title": "NBA",
            "commence_time": _iso(int(schedule["tip_utc"].iat[g].timestamp())),
            "home_team": BY_TRICODE[schedule["home"].iat[g]].odds_name,
            "away_team": BY_TRICODE[schedule["away"].iat[g]].odds_name}


def _listed(league, year: int, moment: datetime) -> np.ndarray:
    """Mask of season `year`'s games listed at `moment` (schedule out, not yet completed)."""
    schedule = league.schedule(year)
    end = (schedule["end_utc"].astype("int64") // 10**9).to_numpy()
    return (end > moment.timestamp()) & (league.listing_open(year) <= moment)


def _event_list(league, moment: datetime, lo: datetime | None, hi: datetime | None) -> list[dict]:
    out = []
    for year in league.event_seasons(moment):
        schedule = league.schedule(year)
        tip = (schedule["tip_utc"].astype("int64") // 10**9).to_numpy()
        mask = _listed(league, year, moment)
        if lo is not None:
            mask &= tip >= lo.timestamp()
        if hi is not None:
            mask &= tip <= hi.timestamp()
        out += [_event(schedule, int(g)) for g in np.flatnonzero(mask)]
    return out


def _event_odds(league, event_id: str, moment: datetime, books: list[int], odds_format: str) -> dict | None:
    found = league.find_event(event_id, moment)
    if found is None:
        return None
    year, g = found
    if not _listed(league, year, moment)[g]:
        return None
    season = league.season(year)
    books = season.markets.game(g).snapshot(int(moment.timestamp()), books) if books else []
    if odds_format == "decimal":
        for book in books:
            for market in book["markets"]:
                for outcome in market["outcomes"]:
                    price = outcome["price"]
                    outcome["price"] = round(1 + (100 / -price if price < 0 else price / 100), 2)
    return {**_event(season.schedule, g), "bookmakers": books}
