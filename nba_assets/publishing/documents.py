"""The JSON documents the front end reads, built from the warehouse tables (plain functions).

Each document has a JSON Schema in `schemas/`; an export is validated before it is written.
"""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd

from nba_assets.grading.performance import summarize
from nba_assets.picks import COLD_START, NO_EDGE, NOT_USED, OVER, UNDER

SYSTEMS = ("catboost", "moving_average")
TIERS = ((0.60, "A"), (0.56, "B"), (0.0, "C"))
BEST_BETS = 15


def _clean(value):
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python, timestamps -> ISO strings."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def _day(day: pd.Timestamp) -> str:
    return f"{pd.Timestamp(day):%Y-%m-%d}"


def predictions_document(day: pd.Timestamp, predictions: pd.DataFrame, context: pd.DataFrame, generated_at: datetime) -> dict:
    """`predictions/{date}.json`: every game of the date, every player, both systems."""
    rows = predictions[predictions["game_date"] == day]
    players = context[context["game_date"] == day].set_index(["game_id", "player_lookup"])
    games = []
    for game_id, game_rows in rows.groupby("game_id", sort=True):
        entries = []
        for player, player_rows in game_rows.groupby("player_lookup", sort=True):
            info = players.loc[(game_id, player)] if (game_id, player) in players.index else None
            first = player_rows.iloc[0]
            entries.append({
                "player_lookup": player,
                "player_name": _clean(info["player_name"]) if info is not None else None,
                "team": first["team_abbr"], "opponent": first["opponent_abbr"],
                "line": _clean(first["line"]), "injury_status": _clean(first["injury_status"]),
                "systems": {
                    r["system_id"]: {
                        "model_version": r["model_version"], "predicted_points": _clean(r["predicted_points"]), "edge": _clean(r["edge"]),
                        "recommendation": r["recommendation"], "confidence": _clean(r["confidence"]), "reason": _clean(r["reason"]),
                    }
                    for _, r in player_rows.iterrows()
                },
            })
        tip = players.loc[game_id]["tip_time_utc"].iloc[0] if game_id in players.index.get_level_values(0) else None
        games.append({"game_id": game_id, "tip_time_utc": _clean(tip), "players": entries})
    return {"game_date": _day(day), "generated_at_utc": generated_at.isoformat(timespec="seconds"), "games": games}


def primary_system(rows: pd.DataFrame) -> str:
    """The system whose picks headline: the model when it recommends at all that day, else the baseline."""
    catboost = rows[(rows["system_id"] == "catboost") & rows["recommendation"].isin([OVER, UNDER])]
    return "catboost" if len(catboost) else "moving_average"


CANNOT_PICK = (NO_EDGE, COLD_START, NOT_USED)  # reasons a system may not recommend at all


def pick_status(rows: pd.DataFrame) -> tuple[str, str]:
    """(status, message) of a date's picks: `picks`; `no_edge` when no system may pick because none
    that could has an out-of-sample record beating the line (the honest answer is no picks: the
    message gives each system's reason); `no_lines`; or `no_picks` (lines, but no pick cleared the
    edge threshold and the break-even)."""
    picks = rows[rows["recommendation"].isin([OVER, UNDER])]
    if len(picks):
        return "picks", f"{len(picks)} picks"
    lined = rows[rows["line"].notna()]
    if lined.empty:
        return "no_lines", "no player of the date has a line: nothing to pick"
    reasons = lined["reason"].fillna("")
    if reasons.str.startswith(CANNOT_PICK).all() and reasons.str.startswith(NO_EDGE).any():
        per_system = lined.assign(reason=reasons).drop_duplicates("system_id").sort_values("system_id")
        return "no_edge", "no system beats the line, so none publishes picks: " + " ".join(f"{r.system_id}: {r.reason}." for r in per_system.itertuples())
    return "no_picks", "no prediction cleared the edge threshold and the break-even of -110"


def tier(confidence: float) -> str:
    return next(name for floor, name in TIERS if confidence >= floor)


def best_bets_document(day: pd.Timestamp, predictions: pd.DataFrame, context: pd.DataFrame, generated_at: datetime) -> dict:
    """`best-bets/{date}.json`: the primary system's picks ranked by confidence, then edge, with tiers."""
    rows = predictions[predictions["game_date"] == day]
    system = primary_system(rows) if len(rows) else "moving_average"
    picks = rows[(rows["system_id"] == system) & rows["recommendation"].isin([OVER, UNDER])].copy()
    picks["size"] = picks["edge"].abs()
    picks = picks.sort_values(["confidence", "size"], ascending=False).head(BEST_BETS)
    names = context.set_index(["game_id", "player_lookup"])["player_name"] if len(context) else pd.Series(dtype="string")
    bets = [
        {
            "rank": rank, "tier": tier(r["confidence"]), "game_id": r["game_id"], "player_lookup": r["player_lookup"],
            "player_name": _clean(names.get((r["game_id"], r["player_lookup"]))), "team": r["team_abbr"], "opponent": r["opponent_abbr"],
            "recommendation": r["recommendation"], "line": _clean(r["line"]), "predicted_points": _clean(r["predicted_points"]),
            "edge": _clean(r["edge"]), "confidence": _clean(r["confidence"]),
        }
        for rank, (_, r) in enumerate(picks.iterrows(), start=1)
    ]
    status, message = pick_status(rows)
    return {"game_date": _day(day), "generated_at_utc": generated_at.isoformat(timespec="seconds"), "system": system, "status": status,
            "message": message, "tiers": {name: f"confidence >= {floor:.2f}" for floor, name in TIERS}, "bets": bets}


RESULT_RECORD = ("picks", "wins", "losses", "pushes", "voided", "hit_rate", "mae")
PERFORMANCE_RECORD = ("picks", "wins", "losses", "pushes", "voided", "hit_rate", "hit_rate_low", "hit_rate_high", "played", "mae", "bias",
                      "line_mae", "mean_confidence")


def _record(rows: pd.DataFrame) -> dict:
    record = summarize(rows)
    return {key: _clean(record[key]) for key in RESULT_RECORD}


def results_document(day: pd.Timestamp, grades: pd.DataFrame, generated_at: datetime) -> dict:
    """`results/{date}.json`: each system's record of the date and every graded pick."""
    rows = grades[grades["game_date"] == day]
    picks = rows[rows["recommendation"].isin([OVER, UNDER])].sort_values(["system_id", "game_id", "player_lookup"])
    return {
        "game_date": _day(day), "generated_at_utc": generated_at.isoformat(timespec="seconds"),
        "systems": {system: _record(rows[rows["system_id"] == system]) for system in sorted(rows["system_id"].unique())},
        "picks": [
            {"system": r["system_id"], "game_id": r["game_id"], "player_lookup": r["player_lookup"], "recommendation": r["recommendation"],
             "line": _clean(r["line"]), "actual_points": _clean(r["actual_points"]), "result": _clean(r["result"]),
             "voided": bool(r["is_voided"]), "void_reason": _clean(r["void_reason"])}
            for _, r in picks.iterrows()
        ],
    }


def performance_document(record: pd.DataFrame, generated_at: datetime) -> dict:
    """`systems/performance.json`: each system's record as of the latest date, per period and segment."""
    latest = record[record["game_date"] == record["game_date"].max()] if len(record) else record
    systems: dict = {}
    for _, r in latest.iterrows():
        entry = {k: _clean(r[k]) for k in PERFORMANCE_RECORD}
        systems.setdefault(r["system_id"], {}).setdefault(r["period"], {}).setdefault(r["segment_type"], {})[r["segment"]] = entry
    return {"as_of": _day(latest["game_date"].max()) if len(latest) else None, "generated_at_utc": generated_at.isoformat(timespec="seconds"), "systems": systems}


def live_document(day: str, live: pd.DataFrame, generated_at: datetime) -> dict:
    """`live/{date}.json`: the games in progress, their score and each player's line so far."""
    games = []
    for game_id, rows in live.groupby("game_id", sort=True):
        first = rows.iloc[0]
        games.append({
            "game_id": game_id, "status": first["status"], "period": _clean(first["period"]), "clock": _clean(first["clock"]),
            "home_score": _clean(first["home_score"]), "away_score": _clean(first["away_score"]),
            "players": [{"player_name": r["player_name"], "team": r["team_abbr"], "minutes": _clean(r["minutes"]), "points": _clean(r["pts"])}
                        for _, r in rows.sort_values("pts", ascending=False).iterrows()],
        })
    return {"game_date": day, "generated_at_utc": generated_at.isoformat(timespec="seconds"), "games": games}


def live_grading_document(day: str, live: pd.DataFrame, bets: dict | None, generated_at: datetime) -> dict:
    """`live-grading/{date}.json`: today's published best bets against the points scored so far."""
    from nba_assets.keys import player_lookup

    scored = {(r["game_id"], player_lookup(r["player_name"])): r for _, r in live.iterrows()}
    picks = []
    for bet in (bets or {}).get("bets", []):
        row = scored.get((bet["game_id"], bet["player_lookup"]))
        points = _clean(row["pts"]) if row is not None else None
        state = "not started"
        if points is not None:
            over, line = bet["recommendation"] == OVER, bet["line"]
            if points > line:
                state = "won" if over else "lost"
            else:
                state = "in play"
        picks.append({**{k: bet[k] for k in ("game_id", "player_lookup", "recommendation", "line")}, "points_so_far": points,
                      "needed": (bet["line"] - points) if points is not None and bet["recommendation"] == OVER else None, "state": state})
    return {"game_date": day, "generated_at_utc": generated_at.isoformat(timespec="seconds"), "picks": picks}
