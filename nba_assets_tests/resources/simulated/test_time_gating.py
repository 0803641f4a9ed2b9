"""What the API reveals depends on the simulated now: nothing about the future leaks."""

from __future__ import annotations

from datetime import timedelta

import numpy as np



def _pick_game(season, offset: int = 300):
    g = offset
    row = season.schedule.iloc[g]
    return g, row["tip_utc"].to_pydatetime(), row["game_date"].isoformat(), int(row["bdl_game_id"])


def _game(bdl, day: str, game_id: int) -> dict:
    return next(g for g in bdl.get("/v1/games", params={"dates[]": day, "per_page": 100}).json()["data"]
                if g["id"] == game_id)


def _box(bdl, day: str, game_id: int) -> dict | None:
    return next((g for g in bdl.get("/v1/box_scores", params={"date": day}).json()["data"] if g["id"] == game_id), None)


def test_before_tip_the_game_is_scheduled_without_box_score(bdl, season, at):
    g, tip, day, game_id = _pick_game(season)
    at(tip - timedelta(minutes=1))
    game = _game(bdl, day, game_id)
    assert game["status"] == tip.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert game["period"] == 0 and game["time"] is None
    assert game["home_team_score"] == 0 and game["visitor_team_score"] == 0
    assert game["home_q1"] is None and game["home_timeouts_remaining"] is None
    assert _box(bdl, day, game_id) is None
    assert game_id not in {x["id"] for x in bdl.get("/v1/box_scores/live").json()["data"]}


def test_live_box_scores_advance_monotonically_and_end_final(bdl, season, at):
    g, tip, day, game_id = _pick_game(season)
    previous, statuses = None, []
    for minutes in (5, 25, 50, 62, 80, 110, 130):
        at(tip + timedelta(minutes=minutes))
        live = {x["id"]: x for x in bdl.get("/v1/box_scores/live").json()["data"]}
        assert game_id in live
        box = live[game_id]
        assert box == _box(bdl, day, game_id)
        statuses.append(box["status"])
        players = {p["player"]["id"]: p for key in ("home_team", "visitor_team") for p in box[key]["players"]}
        for p in players.values():
            assert p["pts"] == 2 * p["fgm"] + p["fg3m"] + p["ftm"] and p["fgm"] <= p["fga"]
        assert box["home_team_score"] == sum(p["pts"] for p in box["home_team"]["players"])
        if previous is not None:
            for pid, p in players.items():
                for key in ("pts", "fga", "fgm", "fta", "reb", "ast"):
                    assert p[key] >= previous[pid][key], (pid, key)
                assert int(p["min"]) >= int(previous[pid]["min"])
        previous = players
    assert statuses[0] == "1st Qtr" and "Halftime" in statuses and statuses[-1] in ("4th Qtr", "OT")
    at(tip + timedelta(hours=2, minutes=15))
    final = _box(bdl, day, game_id)
    assert final["status"] == "Final" and final["time"] == "Final"
    assert game_id not in {x["id"] for x in bdl.get("/v1/box_scores/live").json()["data"]}
    truth = season.box_scores.iloc[season.game_rows(g)]
    by_id = {p["player"]["id"]: p for key in ("home_team", "visitor_team") for p in final[key]["players"]}
    for bdl_id, pts, minutes in zip(truth["bdl_player_id"], truth["pts"], truth["min"]):
        assert by_id[bdl_id]["pts"] == pts and int(by_id[bdl_id]["min"]) == minutes
    assert all(previous[pid]["pts"] <= by_id[pid]["pts"] for pid in by_id)


def test_games_endpoint_shows_live_period_and_clock(bdl, season, at):
    g, tip, day, game_id = _pick_game(season, 301)
    at(tip + timedelta(minutes=20))
    game = _game(bdl, day, game_id)
    assert game["status"] == "1st Qtr" and game["period"] == 1
    minutes, seconds = game["time"].split(":")
    assert 0 <= int(minutes) < 12 and len(seconds) == 2
    assert game["home_q1"] is not None and game["home_q2"] is None


def test_injury_report_is_as_of_now(bdl, season, at):
    entry = next(e for e in season.injury_entries if e.status == "Out" and e.end_ts - e.start_ts > 3 * 86400
                 and e.start_ts > season.tip_ts[200])
    player = season.universe.players[entry.uid]
    from datetime import datetime, timezone
    at(datetime.fromtimestamp(entry.start_ts - 60, timezone.utc))
    before = bdl.get("/v1/player_injuries", params={"per_page": 100}).json()
    at(datetime.fromtimestamp(entry.start_ts, timezone.utc))
    after = bdl.get("/v1/player_injuries", params={"per_page": 100}).json()
    ids_before = {i["player"]["id"]: i for page in [before] for i in page["data"]}
    ids_after = {i["player"]["id"]: i for i in after["data"]}
    assert ids_before.get(player.bdl_id, {}).get("description") != entry.description
    assert ids_after[player.bdl_id]["status"] == "Out"
    assert ids_after[player.bdl_id]["description"] == entry.description
    assert ids_after[player.bdl_id]["return_date"] == f"{entry.return_date:%b} {entry.return_date.day}"


def test_injuries_last_a_few_to_about_twenty_games_and_day_to_day_players_sometimes_sit(season):
    b = season.box_scores.sort_values(["uid", "tip_utc"])
    runs, current, last_uid = [], 0, None
    for uid, out in zip(b["uid"], b["dnp_reason"] == "injury"):
        if uid != last_uid or not out:
            if current:
                runs.append(current)
            current = 0
        current += int(out)
        last_uid = uid
    runs.append(current) if current else None
    assert 1 <= np.median(runs) <= 8 and max(runs) >= 12
    assert all(run <= 40 for run in runs)
    playing_questionable = b[b["status"] == "Day-To-Day"]
    assert len(playing_questionable) > 50 and (playing_questionable["dnp_reason"] != "injury").all()
    ruled_out = [e for e in season.injury_entries if "ruled out" in e.description]
    assert ruled_out and all(e.status == "Out" for e in ruled_out)
