"""ESPN site API under /espn: a team with its roster as of now (no history, like the real one)."""

from __future__ import annotations

import re
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from ..clock import ET
from ..teams import BY_ESPN_ABBR, BY_ESPN_ID
from .protocol import Response
from .seeding import stable_hex, stable_int

_PACIFIC = ZoneInfo("America/Los_Angeles")
_ROUTE = re.compile(r"/apis/site/v2/sports/basketball/nba/teams/([A-Za-z0-9]+)/?")
_POSITIONS = {"PG": ("1", "Point Guard"), "SG": ("2", "Shooting Guard"), "SF": ("3", "Small Forward"),
              "PF": ("4", "Power Forward"), "C": ("5", "Center")}
_INJURY_TYPES = {
    "Out": ({"id": "4", "name": "INJURY_STATUS_OUT", "description": "out", "abbreviation": "O"},
            {"description": "OUT", "abbreviation": "OUT"}),
    "Day-To-Day": ({"id": "5", "name": "INJURY_STATUS_DAYTODAY", "description": "day-to-day", "abbreviation": "DD"},
                   {"description": "GTD", "abbreviation": "GTD"}),
}


def handle(league, request, path: str) -> Response:
    """Answer one ESPN request (`path` without the /espn prefix)."""
    match = _ROUTE.fullmatch(path)
    if not match:
        return Response(404, {"code": 404, "message": f"no ESPN endpoint {path}"})
    ident = match.group(1)
    team = BY_ESPN_ID.get(int(ident)) if ident.isdigit() else BY_ESPN_ABBR.get(ident.upper())
    if team is None:
        return Response(404, {"code": 404, "message": f"Failed to get team {ident}"})
    now = league.now()
    body = _team(team)
    if "roster" in ",".join(request.query.get("enable", [])).split(","):
        body["athletes"] = _athletes(league, team.tricode, now)
    return Response(200, {"team": body})


def _team(team) -> dict:
    color = stable_hex("espn-color", team.tricode)
    slug = team.bdl_full_name.lower().replace(" ", "-")
    return {"id": str(team.espn_id), "uid": f"s:40~l:46~t:{team.espn_id}", "slug": slug, "location": team.city,
            "name": team.name, "abbreviation": team.espn_abbr, "displayName": team.bdl_full_name,
            "shortDisplayName": team.name, "color": color[:6], "alternateColor": color[6:12], "isActive": True,
            "logos": [{"href": f"https://a.espncdn.com/i/teamlogos/nba/500/{team.espn_abbr.lower()}.png",
                       "width": 500, "height": 500, "alt": "", "rel": ["full", "default"]}]}


def _athletes(league, tricode: str, now: datetime) -> list[dict]:
    today = now.astimezone(ET).date()
    year = league.roster_year(today)
    uids = league.universe.roster_on(year, today)[tricode]
    injuries = {}
    if league.season_of(today) == year:
        ts = now.timestamp()
        for entry in league.season(year).injury_entries:
            if entry.start_ts > ts:
                break
            if ts < entry.end_ts:
                injuries[entry.uid] = entry
    players = league.universe.players
    return [_athlete(players[u], today, injuries.get(u)) for u in sorted(uids, key=lambda u: players[u].last)]


def _athlete(p, today, injury) -> dict:
    born = datetime.combine(p.birth_date, time(0, 0), _PACIFIC).astimezone(timezone.utc)
    pos_id, pos_name = _POSITIONS[p.pos_espn]
    short_first = p.first if "." in p.first else p.first[0] + "."
    return {
        "id": p.espn_id, "uid": f"s:40~l:46~a:{p.espn_id}", "guid": p.espn_guid, "type": "basketball",
        "alternateIds": {"sdr": p.espn_id}, "firstName": p.first, "lastName": p.espn_last,
        "fullName": p.espn_full, "displayName": p.espn_full, "shortName": f"{short_first} {p.espn_last}",
        "weight": float(p.weight), "displayWeight": f"{p.weight} lbs", "height": float(p.height_in),
        "displayHeight": f"{p.height_in // 12}' {p.height_in % 12}\"", "age": p.age_on(today),
        "dateOfBirth": born.strftime("%Y-%m-%dT%H:%MZ"), "debutYear": p.entry_year,
        "citizenship": p.country, "slug": p.espn_full.lower().replace(" ", "-").replace(".", ""),
        "jersey": p.jersey,
        "position": {"id": pos_id, "name": pos_name, "displayName": pos_name, "abbreviation": p.pos_espn,
                     "leaf": True},
        "injuries": [] if injury is None else [_injury(injury)],
        "experience": {"years": max(0, today.year - p.entry_year - (today.month < 10))},
        "active": True,
        "status": {"id": "1", "name": "Active", "type": "active", "abbreviation": "Active"},
    }


def _injury(entry) -> dict:
    kind, fantasy = _INJURY_TYPES[entry.status]
    stamp = datetime.fromtimestamp(entry.start_ts, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    ident = 100_000 + stable_int("injury", entry.uid, entry.start_ts, modulo=900_000)
    return {"id": str(ident), "shortComment": entry.description, "status": entry.status, "date": stamp, "type": kind,
            "details": {"fantasyStatus": fantasy, "type": entry.part, "location": entry.location,
                        "side": entry.side, "returnDate": entry.return_date.isoformat()}}
