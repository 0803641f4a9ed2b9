"""balldontlie under /balldontlie: games, box scores (final and live) and the injury report."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from ..clock import ET
from ..teams import BY_TRICODE
from .games import STATS
from .live import clock_at
from .protocol import BadRequest, Response
from .schedule import MAX_YEAR, MIN_YEAR
from .seeding import rng

_PAGE_DEFAULT, _PAGE_MAX = 25, 100


def handle(league, request, path: str):
    """Answer one balldontlie request (`path` without the /balldontlie prefix)."""
    key = league.api_keys.get("balldontlie")
    if key is not None and request.headers.get("authorization") != key:
        return Response(401, {"error": "Unauthorized"})
    now = league.now()
    routes = {"/v1/games": _games, "/v1/box_scores": _box_scores, "/v1/box_scores/live": _live,
              "/v1/player_injuries": _injuries}
    if path.rstrip("/") not in routes:
        return Response(404, {"error": "Not Found", "message": f"no balldontlie endpoint {path}"})
    return Response(200, routes[path.rstrip("/")](league, request, now))


def team_json(tricode: str) -> dict:
    """A balldontlie team object."""
    t = BY_TRICODE[tricode]
    return {"id": t.bdl_id, "conference": t.conference, "division": t.division, "city": t.city, "name": t.name,
            "full_name": t.bdl_full_name, "abbreviation": t.tricode}


def player_json(p) -> dict:
    """A balldontlie player object (as nested in box scores)."""
    return {"id": p.bdl_id, "first_name": p.bdl_first, "last_name": p.bdl_last, "position": p.pos_bdl,
            "height": f"{p.height_in // 12}-{p.height_in % 12}", "weight": str(p.weight),
            "jersey_number": p.jersey, "college": p.college, "country": p.country, "draft_year": p.draft_year,
            "draft_round": p.draft_round, "draft_number": p.draft_number}


def _iso_z(ts: int, millis: bool) -> str:
    moment = datetime.fromtimestamp(ts, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (".000Z" if millis else "Z")


def game_json(season, g: int, now_ts: float) -> dict:
    """A balldontlie game object as it looks at `now_ts`."""
    sched = season.schedule
    tip = int(season.tip_ts[g])
    periods = int(sched["periods"].iat[g])
    clock = clock_at(tip, periods, now_ts)
    out = {"id": int(sched["bdl_game_id"].iat[g]), "date": sched["game_date"].iat[g].isoformat(),
           "datetime": _iso_z(tip, True)}
    quarters = season.events.period_points(g, clock.minute) if clock.phase != "scheduled" else None
    r = rng(season.seed, "game-extras", season.year, g)
    timeouts, bonus = r.integers(0, 4, 2), r.random(2) < 0.5
    for s, prefix in enumerate(("home", "visitor")):
        for q in range(7):
            started = quarters is not None and q < clock.period and q < periods
            out[f"{prefix}_{'q' if q < 4 else 'ot'}{q + 1 if q < 4 else q - 3}"] = \
                int(quarters[s, q]) if started else None
        tipped = clock.phase != "scheduled"
        out[f"{prefix}_timeouts_remaining"] = (int(timeouts[s]) if clock.phase == "final"
                                               else max(int(timeouts[s]), 7 - 2 * clock.period)) if tipped else None
        out[f"{prefix}_in_bonus"] = bool(bonus[s]) if tipped else None
    scores = quarters.sum(axis=1) if quarters is not None else (0, 0)
    out.update({"season": season.year,
                "status": _iso_z(tip, False) if clock.phase == "scheduled" else clock.status_text,
                "period": clock.period, "time": None if clock.phase == "scheduled" else clock.time_text,
                "postseason": False, "home_team_score": int(scores[0]), "visitor_team_score": int(scores[1]),
                "home_team": team_json(sched["home"].iat[g]), "visitor_team": team_json(sched["away"].iat[g])})
    return out


def box_json(season, g: int, now_ts: float) -> dict | None:
    """A balldontlie box score of game `g` at `now_ts` (None before tip)."""
    game = game_json(season, g, now_ts)
    clock = clock_at(int(season.tip_ts[g]), int(season.schedule["periods"].iat[g]), now_ts)
    if clock.phase == "scheduled":
        return None
    rows = season.game_rows(g)
    box = season.box_scores.iloc[rows]
    stats = season.events.stats_at(g, clock.minute) if clock.phase == "live" else box[list(STATS)].to_numpy()
    minutes = np.floor(box["min"].to_numpy() * clock.fraction + 1e-9).astype(int)
    plus_minus = np.round(box["plus_minus"].to_numpy() * clock.fraction).astype(int)
    players = season.universe.players
    home = box["is_home"].to_numpy()
    for side, key in ((True, "home_team"), (False, "visitor_team")):
        entries = []
        for i in np.flatnonzero(home == side):
            s = dict(zip(STATS, (int(v) for v in stats[i])))
            pct = lambda made, att: round(made / att, 3) if att else 0  # noqa: E731
            entries.append({
                "min": f"{minutes[i]:02d}", "fgm": s["fgm"], "fga": s["fga"], "fg_pct": pct(s["fgm"], s["fga"]),
                "fg3m": s["fg3m"], "fg3a": s["fg3a"], "fg3_pct": pct(s["fg3m"], s["fg3a"]), "ftm": s["ftm"],
                "fta": s["fta"], "ft_pct": pct(s["ftm"], s["fta"]), "oreb": s["oreb"], "dreb": s["dreb"],
                "reb": s["oreb"] + s["dreb"], "ast": s["ast"], "stl": s["stl"], "blk": s["blk"],
                "turnover": s["turnover"], "pf": s["pf"], "pts": s["pts"], "plus_minus": int(plus_minus[i]),
                "player": player_json(players[int(box["uid"].iat[i])])})
        game[key] = {**game[key], "players": entries}
    return game


def _paginate(request, items: list[tuple[int, dict]]) -> dict:
    """Cursor pagination over (id, item) pairs sorted by id: the cursor is the last id returned."""
    per_page = request.integer("per_page", _PAGE_DEFAULT)
    if per_page < 1:
        raise BadRequest("per_page must be at least 1")
    per_page = min(per_page, _PAGE_MAX)
    cursor = request.integer("cursor")
    if cursor is not None:
        items = [pair for pair in items if pair[0] > cursor]
    page = items[:per_page]
    meta = {"per_page": per_page}
    if len(items) > per_page:
        meta["next_cursor"] = page[-1][0]
    return {"data": [item for _, item in page], "meta": meta}


def _games(league, request, now: datetime) -> dict:
    days = {request.day(raw, "dates[]") for raw in request.many("dates[]")}
    start, end = request.one("start_date"), request.one("end_date")
    seasons = {y for y in (request.integer_value(s, "seasons[]") for s in request.many("seasons[]"))
               if MIN_YEAR <= y <= MAX_YEAR}
    if not days and start is None and end is None and not request.many("seasons[]"):
        raise BadRequest("give dates[], seasons[] or start_date/end_date")
    lo = request.day(start, "start_date") if start else None
    hi = request.day(end, "end_date") if end else None
    years = set(seasons) | ({league.season_of(d) for d in days} - {None})
    if lo or hi:
        first, last = (lo or hi).year - 1, (hi or lo).year
        years |= {y for y in range(first, last + 1) if MIN_YEAR <= y <= MAX_YEAR}
    team_ids = {request.integer_value(t, "team_ids[]") for t in request.many("team_ids[]")}
    items = []
    for year in sorted(years):
        schedule = league.schedule(year)
        for g, (day, home, away, game_id) in enumerate(zip(schedule["game_date"], schedule["home"],
                                                            schedule["away"], schedule["bdl_game_id"])):
            if (days and day not in days) or (lo and day < lo) or (hi and day > hi):
                continue
            if team_ids and not team_ids & {BY_TRICODE[home].bdl_id, BY_TRICODE[away].bdl_id}:
                continue
            items.append((int(game_id), (year, g)))
    items.sort(key=lambda pair: pair[0])
    page = _paginate(request, items)
    page["data"] = [game_json(league.season(year), g, now.timestamp()) for year, g in page["data"]]
    return page


def _box_scores(league, request, now: datetime) -> dict:
    raw = request.one("date")
    if raw is None:
        raise BadRequest("date is required (YYYY-MM-DD)")
    day = request.day(raw, "date")
    year = league.season_of(day)
    if year is None:
        return {"data": []}
    season = league.season(year)
    boxes = (box_json(season, g, now.timestamp()) for g in season.games_by_date.get(day, []))
    return {"data": [b for b in boxes if b is not None]}


def _live(league, request, now: datetime) -> dict:
    today = now.astimezone(ET).date()
    ts = now.timestamp()
    out = []
    for year in sorted({league.season_of(today), league.season_of(today - timedelta(days=1))} - {None}):
        season = league.season(year)
        for g in np.flatnonzero((season.tip_ts <= ts) & (ts < season.end_ts)):
            out.append(box_json(season, int(g), ts))
    return {"data": out}


def _injuries(league, request, now: datetime) -> dict:
    today = now.astimezone(ET).date()
    year = league.season_of(today)
    items = []
    if year is not None:
        season = league.season(year)
        ts = now.timestamp()
        current = {}
        for entry in season.injury_entries:
            if entry.start_ts > ts:
                break
            if ts < entry.end_ts:
                current[entry.uid] = entry
        rosters = season.universe.roster_on(year, today)
        team_of = {u: team for team, uids in rosters.items() for u in uids}
        for uid, entry in current.items():
            p = season.universe.players[uid]
            player = {**player_json(p), "team_id": BY_TRICODE[team_of[uid]].bdl_id}
            items.append((p.bdl_id, {"player": player, "return_date": f"{entry.return_date:%b} {entry.return_date.day}",
                                     "description": entry.description, "status": entry.status}))
    items.sort(key=lambda pair: pair[0])
    return _paginate(request, items)
